"""The ways a command can fail, each tied to one exit code of the contract.

The library layers (model, store, reports) raise these and never print or
exit; the CLI layer turns them into a message on stderr and the exit code.

A refusal carries a key of the message catalogue (messages.py) and the
message's parameters, never a composed sentence: output.error renders it in
the language chosen for the invocation. The hint is a second key rendered
with the same parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .frozen import Frozen


class Message(Frozen):
    """A catalogue key and its parameters: a sentence waiting for its language.

    A parameter may itself be a Message (or a list of them), rendered in the
    same language.
    """

    __slots__ = ("key", "params")
    key: str
    params: Mapping[str, Any]

    def __init__(self, key: str, params: Mapping[str, Any] | None = None) -> None:
        self._set(key=key, params={} if params is None else params)

    def text(self, lang: str = "en") -> str:
        from .i18n import render

        return render(self, lang)


class PipelineError(Exception):
    """A refusal the user can act on: a message key, an optional hint key, parameters, an exit code.

    `PipelineError("error.no_project", "hint.list_all", id=7)`: both keys are
    looked up in messages.MESSAGES and rendered with the same parameters.
    """

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None, /, **params: Any) -> None:
        super().__init__(message)
        self.key = message
        self.hint_key = hint
        self.params: dict[str, Any] = params

    @property
    def msg(self) -> Message:
        return Message(self.key, self.params)

    @property
    def hint_msg(self) -> Message | None:
        return Message(self.hint_key, self.params) if self.hint_key else None

    def text(self, lang: str = "en") -> str:
        return self.msg.text(lang)

    def hint_text(self, lang: str = "en") -> str | None:
        hint = self.hint_msg
        return hint.text(lang) if hint is not None else None

    @property
    def message(self) -> str:
        """The message in English (tests and logs; people get output.error's rendering)."""
        return self.text("en")

    @property
    def hint(self) -> str | None:
        return self.hint_text("en")

    def __str__(self) -> str:
        return self.message


class UsageError(PipelineError):
    """Bad option or value: unknown sector or stage, malformed date or amount."""

    exit_code = 2


class NotFound(PipelineError):
    """No project with that id."""

    exit_code = 3


class Conflict(PipelineError):
    """The change is not possible now: past the last stage, dropped, --from mismatch."""

    exit_code = 4


class BadData(PipelineError):
    """An import file with invalid rows; nothing was written."""

    exit_code = 5


class DatabaseUnusable(PipelineError):
    """Missing, not a pipeline database, corrupt, or written by a newer schema."""

    exit_code = 6


class Busy(PipelineError):
    """Another command held the write lock past the timeout; nothing changed."""

    exit_code = 7


class CannotWrite(PipelineError):
    """Read-only file or folder, or disk full; nothing changed."""

    exit_code = 8


class LightsFound(PipelineError):
    """`lights --fail-on` found lights at or above the level asked for."""

    exit_code = 9


class Interrupted(BaseException):
    """Ctrl-C, raised by the console script's SIGINT handler.

    Not a KeyboardInterrupt, which Click turns into "Aborted!" and exit 1:
    this one reaches PipelineGroup.invoke and main, which exit 130 quietly.
    Transactions roll back on it as on any exception.
    """


# --- why the system refused: its reason, in the invocation's language ---------------
# The operating system and SQLite give their reasons in English; the common ones
# are in the catalogue (keys os.<ERRNO>, sqlite.*), so a Chinese message does not
# end in an English clause. Others are shown as they come.

_OS_REASONS = (
    "EACCES",
    "EPERM",
    "ENOSPC",
    "EDQUOT",
    "EROFS",
    "ENOENT",
    "EISDIR",
    "ENOTDIR",
    "ENAMETOOLONG",
    "EIO",
    "EFBIG",
    "EEXIST",
    "ELOOP",
    "EBADF",
    "EPIPE",
    "ENXIO",
)
_SQLITE_REASONS = {
    "attempt to write a readonly database": "sqlite.readonly",
    "database or disk is full": "sqlite.full",
    "disk I/O error": "sqlite.io",
    "file is not a database": "sqlite.not_a_database",
    "database disk image is malformed": "sqlite.malformed",
    "unable to open database file": "sqlite.cannot_open",
    "database is locked": "sqlite.locked",
}


def os_reason(error: OSError) -> Message | str:
    """Why the operating system refused, as a catalogue message when it is a common reason."""
    import errno

    name = errno.errorcode.get(error.errno or 0)
    if name in _OS_REASONS:
        return Message(f"os.{name}")
    return error.strerror or str(error)


def sqlite_reason(error: Exception) -> Message | str:
    """Why SQLite refused, as a catalogue message when it is a common reason."""
    text = str(error)
    key = _SQLITE_REASONS.get(text)
    if key is not None:
        return Message(key)
    for prefix, key in (("no such table: ", "sqlite.no_table"), ("no such column: ", "sqlite.no_column")):
        if text.startswith(prefix):
            return Message(key, {"name": text.removeprefix(prefix)})
    return text
