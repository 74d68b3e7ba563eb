"""Ctrl-C: where it stops a command, and the one moment it waits.

The console script's SIGINT handler (`on_interrupt`) raises Interrupted, so
the command unwinds and its transaction rolls back. The one moment it must
not: between SQLite's COMMIT returning and the record that it did. A Ctrl-C
there would report "nothing changed" about a change that was saved, and a
user would run a finished import again. `committing()` holds a Ctrl-C over
that moment and raises it as soon as the commit is recorded (`committed()`),
so the interrupt then reports the change as saved.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import Interrupted

_holding = False
_pending = False
_committed = False


def on_interrupt(signum: int, frame: Any) -> None:
    """The SIGINT handler: raise Interrupted at once, or after the commit being recorded."""
    global _pending
    # Further Ctrl-Cs are ignored while the first unwinds (rollback, removing temporary files).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _holding:
        _pending = True
        return
    raise Interrupted()


@contextmanager
def committing() -> Iterator[None]:
    """Hold Ctrl-C over a COMMIT and its record; raise it once both are done."""
    global _holding, _pending, _committed
    _holding = True
    try:
        yield
        _committed = True
    finally:
        _holding = False
    if _pending:
        _pending = False
        raise Interrupted()


def committed() -> bool:
    """Whether this invocation has committed a change (so an interrupt must not say nothing changed)."""
    return _committed


def forget() -> None:
    """A new invocation in this process: nothing committed, nothing pending."""
    global _holding, _pending, _committed
    _holding = _pending = _committed = False
