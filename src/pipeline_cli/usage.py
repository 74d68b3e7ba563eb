"""Click's usage errors (no such option, a missing argument, a bad value) as catalogue messages.

Click words them in English; a person working in Chinese gets them in
Chinese like every other refusal. The exception's own fields (the option's
name, the parameter, the command) are read, not its English text; where
Click only has text (an unknown command, extra arguments, a value Click
itself refused), the few shapes it takes are recognised and anything else
is said in general terms, never in English.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .errors import Message, UsageError

_CHOICE = re.compile(r"^'(?P<value>.*)' is not one of (?P<choices>.*)\.$", re.DOTALL)
_PATH = re.compile(r"^(?:File|Directory|Path) '(?P<path>.*)' (?P<what>is a directory|is a file|does not exist)\.$")
_PATH_KEYS = {
    "is a directory": "usage.path_folder",
    "is a file": "usage.path_file",
    "does not exist": "usage.path_missing",
}
_NO_COMMAND = re.compile(r"^No such command '(?P<name>.*)'\.$", re.DOTALL)
_EXTRA = re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)$", re.DOTALL)
_NEEDS_VALUE = re.compile(r"requires (?:an argument|(?P<count>\d+) arguments)")


def lang_in(args: Sequence[str]) -> str:
    """The language of this invocation, when Click refused it before --lang was read."""
    from . import i18n

    chosen = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            chosen = args[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.removeprefix("--lang=")
    if chosen is not None and chosen.strip().lower() in i18n.LANGS:
        return chosen.strip().lower()
    return i18n.current()


def _hint(exc: Any) -> str | None:
    """Click's name of the parameter in error: 'ID', '--format' / '-f'."""
    if getattr(exc, "param_hint", None) is not None:
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)
    param = getattr(exc, "param", None)
    if param is None:
        return None
    hint = param.get_error_hint(exc.ctx)
    return str(hint).replace("'", "")


def _detail(text: str) -> Message | str:
    """Why Click refused a value: a choice, a path, or our own text (already in the language)."""
    choice = _CHOICE.match(text)
    if choice:
        choices = [c.strip().strip("'") for c in choice.group("choices").split(",")]
        return Message("usage.not_a_choice", {"value": choice.group("value"), "choices": choices})
    path = _PATH.match(text)
    if path:
        return Message(_PATH_KEYS[path.group("what")], {"path": path.group("path")})
    if re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", text) and not re.search(r"[\u4e00-\u9fff]", text):
        return Message("usage.bad_value.general")
    return text


def explain(exc: Any) -> UsageError:
    """The refusal to show for one of Click's usage errors (`exc.exit_code` is 2)."""
    kind = type(exc).__name__
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "pipeline"
    if ctx is not None:
        from .helptext import usage_line

        usage = usage_line(ctx, "zh")
    else:
        usage = command
    hints = {"usage": usage, "command": command}
    general = "usage.hint" if ctx is not None else "usage.help"
    if kind == "NoSuchOption":
        close = list(getattr(exc, "possibilities", None) or [])
        if close:
            return UsageError("usage.no_option", "usage.no_option.close", name=exc.option_name, close=close, **hints)
        return UsageError("usage.no_option", "usage.hint", name=exc.option_name, **hints)
    if kind == "MissingParameter":
        what = "usage.missing_option" if getattr(exc, "param_type", None) == "option" else "usage.missing_argument"
        param = getattr(exc, "param", None)
        if param is not None and getattr(param, "param_type_name", "") == "option":
            what = "usage.missing_option"
        return UsageError(what, "usage.hint", name=_hint(exc) or "", **hints)
    if kind == "BadParameter":
        return UsageError("usage.bad_value", "usage.hint", name=_hint(exc) or "", detail=_detail(exc.message), **hints)
    if kind == "BadOptionUsage":
        needs = _NEEDS_VALUE.search(exc.message)
        if needs:
            count = int(needs.group("count") or 1)
            return UsageError("usage.needs_value", general, name=exc.option_name, count=count, **hints)
        if "does not take a value" in exc.message:
            return UsageError("usage.takes_no_value", general, name=exc.option_name, **hints)
        return UsageError("usage.bad_option", general, name=exc.option_name, **hints)
    message = str(getattr(exc, "message", ""))
    no_command = _NO_COMMAND.match(message)
    if no_command:
        return UsageError("usage.no_command", "usage.no_command.hint", name=no_command.group("name"), **hints)
    extra = _EXTRA.match(message)
    if extra:
        return UsageError("usage.extra", "usage.hint", args=extra.group("args"), **hints)
    return UsageError("usage.general", "usage.hint", **hints)
