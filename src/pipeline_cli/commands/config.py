"""config list|get|set|unset: the user's settings file (settings.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output, settings
from ..errors import NotFound
from ..options import LangOption, group_lang

config_app = typer.Typer(
    no_args_is_help=True, callback=group_lang, help="The settings file: db, lang, user, busy_timeout."
)

KeyArgument = Annotated[
    str, typer.Argument(metavar="KEY", help="One of: " + ", ".join(settings.KEYS) + ".", show_default=False)
]


def _known(key: str) -> str:
    if key not in settings.KEYS:
        settings.check(key, "")  # the refusal for an unknown key
    return key


@config_app.command("list")
def list_(lang: LangOption = None) -> None:
    """Every setting in the file, one `key = value` per line, and the file's path on stderr."""
    values = settings.load()
    output.notice(output.say("config.file", path=str(settings.path())))
    for key in settings.KEYS:
        if key in values:
            output.line(f"{key} = {values[key]}")


@config_app.command("get")
def get(key: KeyArgument, lang: LangOption = None) -> None:
    """The value of one setting (exit 3 when it is not set)."""
    value = settings.load().get(_known(key))
    if value is None:
        raise NotFound("config.not_set", "config.not_set.hint", key=key)
    output.line(value)


@config_app.command("set")
def set_(
    key: KeyArgument,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The value.", show_default=False)],
    lang: LangOption = None,
) -> None:
    """Set one setting in the file (written atomically)."""
    checked = settings.check(key, value)
    values = dict(settings.load())
    values[key] = checked
    where = settings.save(values)
    output.notice(output.say("config.saved", key=key, value=checked, path=str(where)))


@config_app.command("unset")
def unset(key: KeyArgument, lang: LangOption = None) -> None:
    """Remove one setting from the file."""
    values = dict(settings.load())
    if values.pop(_known(key), None) is None:
        output.notice(output.say("config.was_not_set", key=key))
        return
    where = settings.save(values)
    output.notice(output.say("config.removed", key=key, path=str(where)))


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
