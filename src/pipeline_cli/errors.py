"""The ways a command can fail, each tied to one exit code of the contract.

The library layers (model, store, reports) raise these and never print or
exit; the CLI layer turns them into a message on stderr and the exit code.
"""

from __future__ import annotations


class PipelineError(Exception):
    """A refusal the user can act on: a message, an optional hint, an exit code."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


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
