"""Sentences for people in the chosen language: the one renderer of the message catalogue.

The catalogue (messages.py, plain dicts) is imported on the first message
rendered, so a read command that prints only data never loads it. A text
is a `str.format` template with named parameters; a parameter's format spec
may name a vocabulary whose values are shown in the language:

    {stage:stage}    slug in English, Chinese name in Chinese (sector likewise)
    {kind:kind}      an event kind, looked up as "kind.<value>" (status, light likewise)
    {choices:code}   what a person types: `table` in backticks in Chinese, as it is in English

A parameter that is a Message is rendered in the same language; a list is
joined (", " in English, "、" in Chinese; one per line with the spec
`lines`), each item formatted with the spec.

How to add a message: one entry in messages.MESSAGES,
`"area.what": {"en": "...{name}...", "zh": "...{name}..."}`, with the same
parameters in both texts and Chinese punctuation in the Chinese one; raise
`UsageError("area.what", "area.what.hint", name=...)` or call `i18n.text`.
tests/test_messages.py checks every key.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import Message

LANGS = ("en", "zh")
# Vocabularies a format spec may name, and where their labels come from.
MODEL_VOCABULARIES = ("stage", "sector")
CATALOGUE_VOCABULARIES = ("kind", "status", "light", "field", "unit", "source")
JOINERS = {"en": ", ", "zh": "、"}
# The spec suffix `/or` joins a list as alternatives: "a or b" ("a或b").
OR_JOINERS = {"en": " or ", "zh": "或"}
# ... and `/and` as a conjunction: "a and b" ("a与b").
AND_JOINERS = {"en": " and ", "zh": "与"}
# The spec `code` marks a value as typed: `table` in Chinese, table in English.
CODE = "code"
# The spec `clauses` joins the parts of one sentence (an edit's fields).
CLAUSE_JOINERS = {"en": "; ", "zh": "；"}

_catalogue: Mapping[str, Mapping[str, str]] | None = None


def catalogue() -> Mapping[str, Mapping[str, str]]:
    global _catalogue
    if _catalogue is None:
        from .messages import MESSAGES

        _catalogue = MESSAGES
    return _catalogue


def label(value: Any, vocabulary: str, lang: str) -> str:
    """A slug of a vocabulary as people read it in `lang` (unknown values as they are)."""
    if vocabulary in MODEL_VOCABULARIES:
        if lang != "zh":
            return str(value)
        from .model import STAGE_BY_SLUG, sector_label

        if vocabulary == "sector":
            return sector_label(str(value)) or str(value)
        entry = STAGE_BY_SLUG.get(value)
        return entry.name_zh if entry is not None else str(value)
    if vocabulary == "field":
        # A project field: its contract name in English, its label (fields.FIELDS) in Chinese.
        from .fields import FIELD_BY_NAME

        # Other things a message names (a date, an option): "field.<name>" in the catalogue.
        field = FIELD_BY_NAME.get(str(value))
        if field is not None:
            return field.zh if lang == "zh" else str(value)
    texts = catalogue().get(f"{vocabulary}.{value}")
    if texts is None:
        return str(value)
    return texts[lang if lang in texts else "en"]


def render(message: Message, lang: str = "en") -> str:
    """The message's text in `lang` with its parameters filled in.

    A key the catalogue does not hold is shown as it is (tests/test_messages.py
    fails for every such key raised in the code).
    """
    texts = catalogue().get(message.key)
    if texts is None:
        # A sentence composed before the catalogue held it: the values it quotes on its line too.
        from .texts import shown

        return shown(message.key)
    template = texts.get(lang) or texts["en"]
    from .templates import Formatter  # string.Formatter: imported with the first message, as the catalogue is

    return Formatter(lang).vformat(template, (), dict(message.params))


def text(key: str, lang: str | None = None, /, **params: Any) -> str:
    """The catalogue's `key` in `lang` (default: the invocation's language)."""
    return render(Message(key, params), lang or current())


# --- the invocation's language ---------------------------------------------------
# Resolved here and nowhere else: --lang (before or after the command), else
# $PIPELINE_LANG in any case, else the settings file's `lang`, else en.

_chosen: str | None = None


def choose(lang: str | None) -> None:
    """Set (or, with None, forget) the --lang given on the command line; resolve() checks it."""
    global _chosen
    _chosen = lang


def command_line_lang() -> str:
    """The --lang given on the command line (before or after the command), else en."""
    return checked(_chosen) if _chosen is not None else "en"


def checked(lang: str) -> str:
    """`lang` in any case and spacing, as en or zh; anything else is a usage error (exit 2)."""
    value = lang.strip().lower()
    if value not in LANGS:
        from .errors import UsageError

        raise UsageError("lang.bad", "lang.bad.hint", lang=lang.strip())
    return value


def resolve() -> str:
    """--lang, else $PIPELINE_LANG (any case), else the settings' lang, else en; a bad value is a usage error."""
    if _chosen is not None:
        return checked(_chosen)
    import os

    env = os.environ.get("PIPELINE_LANG", "")
    if env.strip():
        return checked(env)
    from . import settings

    configured = settings.get("lang")
    return checked(configured) if configured else "en"


def current() -> str:
    """The invocation's language for rendering a message: as resolve(), English when that fails."""
    try:
        return resolve()
    except Exception:
        if _chosen is not None and _chosen.strip().lower() in LANGS:
            return _chosen.strip().lower()
        return "en"
