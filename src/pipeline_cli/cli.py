"""The root Typer app: global options, command wiring, and where errors become exit codes."""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import re
import signal
import sqlite3
import sys
from collections.abc import Iterator, MutableMapping
from typing import Annotated, Any, NoReturn, Optional

import typer
import typer.completion
import typer.main
import typer.models
from typer._click.exceptions import UsageError as ClickUsageError  # Typer's own copy of Click
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import TyperException

from . import __version__, interrupts, output, store
from .context import AppState, found_state
from .errors import CannotWrite, Interrupted, PipelineError, os_reason
from .model import MAX_INTEGER, echo
from .options import RootLangOption

# --- whole numbers ---------------------------------------------------------------
# Every integer option and argument of every command goes through Click's
# IntParamType, which takes whatever Python's int() takes: `١٢` (other scripts'
# digits), `1_0`, and numbers no SQLite column can hold. One conversion for
# them all, so no command can forget: ASCII digits with an optional sign,
# within SQLite's integers; anything else is a usage error (exit 2).


def _whole_number(self: Any, value: Any, param: Any, ctx: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value).strip()
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            self.fail(output.say("number.not_whole", value=echo(str(value))), param, ctx)
        # More digits than any 64-bit integer: refused before int() reads them.
        number = MAX_INTEGER + 1 if len(text.lstrip("+-").lstrip("0")) > 19 else int(text)
    if abs(number) > MAX_INTEGER:
        self.fail(output.say("number.too_large", value=echo(str(value)), max=MAX_INTEGER), param, ctx)
    return number


# The class Typer builds integer parameters from (Typer carries its own copy of Click).
_INT_TYPE = type(typer.main.get_click_type(annotation=int, parameter_info=typer.models.OptionInfo()))
_INT_TYPE.convert = _whole_number  # type: ignore[method-assign]


# --- text that was not UTF-8 ------------------------------------------------------
# A byte of the command line that is not UTF-8 reaches Python as a lone
# surrogate, which no database, file or terminal can take: every text option
# and argument refuses it (exit 2), but a file or folder name keeps it, since
# a file may be named in another encoding.
_PATH_PARAMETERS = frozenset(("db", "file", "path", "output_file", "source", "target"))
_STRING_TYPE = type(typer.main.get_click_type(annotation=str, parameter_info=typer.models.OptionInfo()))
_string_convert = _STRING_TYPE.convert


def _utf8_text(self: Any, value: Any, param: Any, ctx: Any) -> Any:
    converted = _string_convert(self, value, param, ctx)
    if isinstance(converted, str) and getattr(param, "name", None) not in _PATH_PARAMETERS:
        from .texts import first_surrogate

        index = first_surrogate(converted)
        if index is not None:
            from .i18n import current, text

            lang = current()
            where = "/".join(getattr(param, "opts", ()) or ()) or str(getattr(param, "name", "")).upper()
            self.fail(
                text("text.not_utf8", lang, field=where, position=index + 1) + "\n" + text("text.not_utf8.hint", lang),
                param,
                ctx,
            )
    return converted


_STRING_TYPE.convert = _utf8_text  # type: ignore[method-assign]


# --- a group without its command -------------------------------------------------
# `pipeline` or `pipeline problem` alone is a usage error (exit 2): the help
# goes to stderr with it, since stdout carries only data and stays empty on an
# error. (Typer's rich help prints itself to stdout.) So is a group given only
# its options (`pipeline problem --lang zh`): the help, in that language.
_group_parse_args = TyperGroup.parse_args


def _no_command(self: Any, ctx: Any, args: list[str]) -> list[str]:
    if self.no_args_is_help and not ctx.resilient_parsing:
        result: list[str] = [] if not args else _group_parse_args(self, ctx, args)
        if not args or not (ctx._protected_args or self.invoke_without_command):
            with contextlib.redirect_stdout(sys.stderr):
                shown = ctx.get_help()
            if shown:
                sys.stderr.write(f"{shown}\n")
            ctx.exit(2)
        return result
    result = _group_parse_args(self, ctx, args)
    return result


TyperGroup.parse_args = _no_command  # type: ignore[method-assign]


# --- help in the invocation's language ------------------------------------------
# `pipeline [COMMAND] --help` with --lang zh (anywhere on the command line),
# $PIPELINE_LANG or the settings' lang: helptext.py swaps every text of the
# help for its Chinese from the catalogue while Typer writes it. Imported only
# when a help is shown.
def _help_in_language(format_help: Any) -> Any:
    def format_help_in_language(self: Any, ctx: Any, formatter: Any) -> Any:
        from . import helptext

        with helptext.speaking(self, ctx), helptext.names_whole():
            return format_help(self, ctx, formatter)

    return format_help_in_language


TyperCommand.format_help = _help_in_language(TyperCommand.format_help)  # type: ignore[method-assign]
TyperGroup.format_help = _help_in_language(TyperGroup.format_help)  # type: ignore[method-assign]


# Completion's descriptions (zsh and fish show them beside each command and
# option) in the same language: a --lang among the words typed, else
# $PIPELINE_LANG or the settings' lang. Values (ids, stages) say theirs in options.py.
def _complete_in_language(shell_complete: Any) -> Any:
    def shell_complete_in_language(self: Any, ctx: Any, incomplete: str) -> Any:
        from typer import _completion_classes

        from . import helptext

        _completion_classes._sanitize_help_text = helptext.one_line
        return helptext.completions(self, ctx, shell_complete(self, ctx, incomplete), helptext.language(ctx))

    return shell_complete_in_language


TyperCommand.shell_complete = _complete_in_language(TyperCommand.shell_complete)  # type: ignore[method-assign]
TyperGroup.shell_complete = _complete_in_language(TyperGroup.shell_complete)  # type: ignore[method-assign]


# --- commands, loaded when needed -------------------------------------------------
# Each command and the module of commands/ that registers it, in the order
# `pipeline --help` lists them. Only the module of the command being run is
# imported and turned into Click commands (Click's "lazily loading
# subcommands"), so `pipeline list` pays neither for the import code nor for
# building the options of twenty other commands: start-up is most of what a
# shell script calling pipeline in a loop waits for. A command missing here
# still works (every module is then loaded); tests/test_startup_imports.py
# keeps the table in step with what the modules register.
COMMAND_MODULES: dict[str, str] = {
    "init": "database",
    "where": "database",
    "check": "database",
    "list": "projects",
    "show": "projects",
    "sectors": "vocab",
    "stages": "vocab",
    "add": "changes",
    "edit": "changes",
    "advance": "changes",
    "move": "changes",
    "drop": "changes",
    "restore": "changes",
    "plan": "changes",
    "undo": "changes",
    "history": "changes",
    "problem": "problems",
    "summary": "overview",
    "funnel": "overview",
    "lights": "overview",
    "due": "overview",
    "report": "overview",
    "rank": "ranking",
    "import": "transfer",
    "export": "transfer",
    "backup": "transfer",
    "copy": "copying",
    "access": "access",
    "config": "config",
    "web": "web",
}
COMMAND_MODULE_NAMES = tuple(dict.fromkeys(COMMAND_MODULES.values()))


def load_commands(module_name: str, only: str | None = None) -> dict[str, Any]:
    """The Click commands that commands/<module_name>.py registers (or just the one named `only`), by name."""
    module = importlib.import_module(f"{__package__}.commands.{module_name}")
    scratch = typer.Typer(
        rich_markup_mode=app.rich_markup_mode,
        pretty_exceptions_enable=False,
    )
    module.register(scratch)
    if only is not None:
        # Build the one command asked for, not the options of its siblings.
        scratch.registered_commands = [
            info
            for info in scratch.registered_commands
            if info.callback is not None and (info.name or typer.main.get_command_name(info.callback.__name__)) == only
        ]
        scratch.registered_groups = [info for info in scratch.registered_groups if info.name == only]
    return dict(typer.main.get_group(scratch).commands)


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands, each built only when it is looked up.

    Looking up a name builds that command alone, from its module; listing
    them (help, completion, an unknown name) loads every module, and lists
    the commands in COMMAND_MODULES order.
    """

    def __init__(self, commands: MutableMapping[str, Any]) -> None:
        self._commands: dict[str, Any] = dict(commands)
        self._loaded: set[str] = set()

    def _load(self, module_name: str) -> None:
        if module_name not in self._loaded:
            self._loaded.add(module_name)
            for name, command in load_commands(module_name).items():
                self._commands.setdefault(name, command)

    def _load_all(self) -> None:
        for module_name in COMMAND_MODULE_NAMES:
            self._load(module_name)

    def __getitem__(self, name: str) -> Any:
        if name not in self._commands:
            module_name = COMMAND_MODULES.get(name)
            if module_name is not None and module_name not in self._loaded:
                self._commands.update(load_commands(module_name, only=name))
            if name not in self._commands:
                self._load_all()
        return self._commands[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        del self._commands[name]

    def __iter__(self) -> Iterator[str]:
        self._load_all()
        listed = [name for name in COMMAND_MODULES if name in self._commands]
        return iter(listed + [name for name in self._commands if name not in COMMAND_MODULES])

    def __len__(self) -> int:
        self._load_all()
        return len(self._commands)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self[name]
        except KeyError:
            return False
        return True


class PipelineGroup(TyperGroup):
    """Turns every failure into the contract's exit code, in one place.

    PipelineError: its message and hint on stderr, its exit code. A closed
    pipe: quiet. Anything else is a bug: exit 1 with a one-line message, the
    traceback only under --debug.

    Its commands are loaded lazily (LazyCommands).
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.commands)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # One invocation, one language: forget a --lang of an earlier run in this process.
        from . import i18n, settings

        i18n.choose(None)
        settings.forget()
        interrupts.forget()
        return super().main(*args, **kwargs)

    def make_context(self, info_name: Optional[str], args: list[str], parent: Any = None, **extra: Any) -> Any:
        self.invocation_args = list(args)  # where a usage error looks for --lang
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickUsageError as exc:
            _usage_error(exc, self.invocation_args)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except PipelineError as err:
            output.error(err)
            raise typer.Exit(err.exit_code) from None
        except ClickUsageError as exc:
            _usage_error(exc, getattr(self, "invocation_args", []))
        except (TyperException, typer.Exit, typer.Abort):
            # Click's own signals: a usage error (exit 2, printed by Typer),
            # an explicit exit, an abort. Not bugs.
            raise
        except BrokenPipeError:
            output.silence_stdout()
            _report_saved(ctx)
            raise typer.Exit(0) from None
        except (KeyboardInterrupt, Interrupted):
            # Ctrl-C: the transaction, if any, was rolled back on the way out.
            _interrupted(ctx)
            raise typer.Exit(130) from None
        except sqlite3.Error as exc:
            # Found while reading rows (a damaged page, a lock held too long):
            # the contract's refusal when there is one, else a bug.
            refusal = _sqlite_refusal(ctx, exc)
            _report_saved(ctx)  # a change committed before the failure stays saved
            if refusal is None:
                if _debug(ctx):
                    raise
                output.internal_error(exc)
                raise typer.Exit(1) from None
            output.error(refusal)
            raise typer.Exit(refusal.exit_code) from None
        except OSError as exc:
            if exc.errno in OUTPUT_ERRNOS:
                # stdout full, closed or failing: exit 8, and a committed change still said.
                output.silence_stdout()
                output.error(CannotWrite("output.failed", "output.failed.hint", reason=os_reason(exc)))
                _report_saved(ctx)
                raise typer.Exit(CannotWrite.exit_code) from None
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
            state = found_state(ctx)
            if state is not None:
                state.close()


def _usage_error(exc: ClickUsageError, args: list[str]) -> NoReturn:
    """A usage error of Click's (no such option, missing argument, a bad value): exit 2.

    In English Click prints it (Typer's box, with the usage line); in Chinese
    it is said in Chinese, as every refusal is: usage.explain turns Click's
    exception into a catalogue message.
    """
    from . import i18n, usage

    lang = usage.lang_in(args)
    if lang != "zh":
        raise exc
    i18n.choose(lang)  # Click refused the command line before reading its --lang
    output.error(usage.explain(exc))
    raise typer.Exit(exc.exit_code)


def _sqlite_refusal(ctx: Any, exc: sqlite3.Error) -> PipelineError | None:
    state = found_state(ctx)
    if state is None:
        return None
    return store.translate_error(exc, state.location().path)


def _debug(ctx: Any) -> bool:
    state = found_state(ctx)
    return state is not None and state.debug


# What a failing write to stdout raises: no room, too big, an I/O error, stdout closed.
OUTPUT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF}


def _interrupted(ctx: Any) -> None:
    """Ctrl-C: one quiet line; a change committed before it is still reported as saved."""
    state = found_state(ctx)
    if state is not None and state.saved:
        for line in state.saved:
            sys.stderr.write(output.say("frame.saved", line=line) + "\n")
    elif interrupts.committed():
        # Between the COMMIT and the line saying what it saved.
        sys.stderr.write(output.say("frame.saved.committed") + "\n")
    else:
        sys.stderr.write(output.say("frame.interrupted") + "\n")


def _reopen_closed_standard_streams() -> None:
    """A closed stdin, stdout or stderr (`pipeline list >&-`) is /dev/null opened so that writes to it fail.

    The descriptors 0-2 are then taken, so no file pipeline opens can get one
    of them and receive what is meant for stdout; a write to a closed stdout
    fails with EBADF (exit 8, the saved change reported on stderr).
    """
    for fd, flags in ((0, os.O_RDONLY), (1, os.O_RDONLY), (2, os.O_WRONLY)):
        try:
            os.fstat(fd)
        except OSError:
            with contextlib.suppress(OSError):
                opened = os.open(os.devnull, flags)
                if opened != fd:
                    os.dup2(opened, fd)
                    os.close(opened)
    if sys.stdout is None:
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    if sys.stdin is None:
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115


def _report_saved(ctx: Any) -> bool:
    """If a change was committed before output failed, say so on stderr."""
    state = found_state(ctx)
    if state is not None and state.saved:
        for line in state.saved:
            sys.stderr.write(output.say("frame.saved", line=line) + "\n")
        sys.stderr.write(output.say("frame.saved.unprinted") + "\n")
        return True
    return False


app = typer.Typer(
    cls=PipelineGroup,
    help="Track a city's investment-attraction pipeline (招商项目): projects, stages, history, reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- pipeline --install-completion, in the language ---------------------------------
# Typer's own says "Shells.bash completion installed in …" in English whatever the
# language, and "Shell None is not supported." with exit 1 where it cannot tell
# the shell: here it says what it did in the invocation's language, and a shell
# it cannot install for is a usage error (exit 2) with a hint.
_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    from typer import _completion_shared

    from . import i18n, usage
    from .errors import UsageError

    i18n.choose(usage.lang_in(getattr(ctx.find_root().command, "invocation_args", None) or []))
    shell = getattr(value, "value", value) if isinstance(value, str) else None
    if shell is None and not os.getenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"):
        shell = _completion_shared._get_shell_name()
    if shell not in _SHELLS:
        key = "completion.no_shell" if shell is None else "completion.unsupported_shell"
        output.error(UsageError(key, "completion.shell.hint", shell=str(shell)))
        raise typer.Exit(2)
    _, path = _completion_shared.install(shell=shell)
    output.line(output.say("completion.installed", shell=shell, path=str(path)))
    output.line(output.say("completion.restart"))
    raise typer.Exit(0)


for _placeholder in (
    typer.completion._install_completion_placeholder_function,
    typer.completion._install_completion_no_auto_placeholder_function,
):
    _placeholder.__defaults__[0].callback = _install_completion  # type: ignore[index]


def _version(value: bool) -> None:
    if value:
        try:
            output.line(f"pipeline {__version__}")
            sys.stdout.flush()
        except OSError as error:  # `pipeline --version > /dev/full`
            output.silence_stdout()
            output.error(CannotWrite("output.failed", "output.failed.hint", reason=os_reason(error)))
            raise typer.Exit(CannotWrite.exit_code) from None
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Optional[str],
        typer.Option("--db", metavar="PATH", help="Database file (default: $PIPELINE_DB, else the user data folder)."),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    lang: RootLangOption = None,
) -> None:
    from . import i18n

    command_starts()
    i18n.resolve()  # --lang, $PIPELINE_LANG or the settings: a bad value is exit 2 for every command
    ctx.obj = AppState(db=db, debug=debug)


def command_starts() -> None:
    """Start-up is over (the command is built, its root options read): garbage collection resumes.

    The console script paused it while starting (pipeline_cli/__init__.py);
    what start-up made is frozen first, so no collection scans it again.
    """
    import gc

    import pipeline_cli

    if pipeline_cli.gc_paused:
        pipeline_cli.gc_paused = False
        gc.freeze()
        gc.enable()


def main() -> None:
    """The console script: run the app, flush stdout and stderr, and end the process at once.

    Tearing down an interpreter that has loaded Typer and Click takes about
    10 ms, as long as `pipeline list` spends on its own work, so the process
    ends with os._exit once its output is flushed. Nothing is lost: the
    database connection is closed by PipelineGroup.invoke, files a command
    writes are closed by their writers, and nothing registers atexit work.
    An exception other than SystemExit (a bug under --debug) propagates and
    exits the ordinary way, with its traceback.
    """
    # Until this handler replaces it, the package's own (pipeline_cli/__init__.py) ends a
    # Ctrl-C during the imports with a quiet exit 130.
    with contextlib.suppress(ValueError):  # not the main thread
        signal.signal(signal.SIGINT, interrupts.on_interrupt)
    code: Any = 0
    try:
        _reopen_closed_standard_streams()
        try:
            app()
        except SystemExit as exit_:
            code = exit_.code
        if code is None:
            code = 0
        elif not isinstance(code, int):
            sys.stderr.write(f"{code}\n")
            code = 1
        try:
            sys.stdout.flush()
        except (OSError, ValueError) as error:
            # `pipeline --version > /dev/full`: exit 8 with the reason, not Python's 120.
            output.silence_stdout()
            if not code:
                reason = os_reason(error) if isinstance(error, OSError) else str(error)
                with contextlib.suppress(OSError, ValueError):
                    output.error(CannotWrite("output.failed", "output.failed.hint", reason=reason))
                code = CannotWrite.exit_code
    except Interrupted:
        # Ctrl-C outside a command (while starting, parsing or ending): quiet, and
        # a change committed before it is not reported as undone.
        with contextlib.suppress(OSError, ValueError):
            key = "frame.saved.committed" if interrupts.committed() else "frame.interrupted"
            sys.stderr.write(output.say(key) + "\n")
        output.silence_stdout()
        code = 130
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
