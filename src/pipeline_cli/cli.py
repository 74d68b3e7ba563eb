"""The root Typer app: global options, command wiring, and where errors become exit codes."""

from __future__ import annotations

import sqlite3
import sys
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from . import __version__, output, store
from .commands import changes, database, projects, reports, transfer, vocab
from .context import AppState
from .errors import PipelineError


class PipelineGroup(TyperGroup):
    """Turns every failure into the contract's exit code, in one place.

    PipelineError: its message and hint on stderr, its exit code. A closed
    pipe: quiet. Anything else is a bug: exit 1 with a one-line message, the
    traceback only under --debug.
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except PipelineError as err:
            output.error(err)
            raise typer.Exit(err.exit_code) from None
        except (TyperException, typer.Exit, typer.Abort):
            # Click's own signals: a usage error (exit 2, printed by Typer),
            # an explicit exit, an abort. Not bugs.
            raise
        except BrokenPipeError:
            output.silence_stdout()
            _report_saved(ctx)
            raise typer.Exit(0) from None
        except sqlite3.Error as exc:
            # Found while reading rows (a damaged page, a lock held too long):
            # the contract's refusal when there is one, else a bug.
            refusal = _sqlite_refusal(ctx, exc)
            if refusal is None:
                if _debug(ctx):
                    raise
                output.internal_error(exc)
                raise typer.Exit(1) from None
            output.error(refusal)
            raise typer.Exit(refusal.exit_code) from None
        except OSError as exc:
            if not _report_saved(ctx):
                if _debug(ctx):
                    raise
                output.internal_error(exc)
            raise typer.Exit(1) from None
        except Exception as exc:
            if _debug(ctx):
                raise
            output.internal_error(exc)
            raise typer.Exit(1) from None
        finally:
            state = ctx.obj
            if isinstance(state, AppState):
                state.close()


def _sqlite_refusal(ctx: Any, exc: sqlite3.Error) -> PipelineError | None:
    state = ctx.obj
    if not isinstance(state, AppState):
        return None
    return store.translate_error(exc, state.location().path)


def _debug(ctx: Any) -> bool:
    return isinstance(ctx.obj, AppState) and ctx.obj.debug


def _report_saved(ctx: Any) -> bool:
    """If a change was committed before output failed, say so on stderr."""
    state = ctx.obj
    if isinstance(state, AppState) and state.saved:
        for line in state.saved:
            sys.stderr.write(f"saved: {line}\n")
        sys.stderr.write("pipeline: the change was saved, but its output could not be written\n")
        return True
    return False


app = typer.Typer(
    cls=PipelineGroup,
    help="Track a city's investment-attraction pipeline (招商项目): projects, stages, history, reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"pipeline {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
        typer.Option("--db", metavar="PATH", help="Database file [default: $PIPELINE_DB, else the user data folder]."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = AppState(db=db, debug=debug)


for module in (database, projects, vocab, changes, reports, transfer):
    module.register(app)


def main() -> None:
    app()
