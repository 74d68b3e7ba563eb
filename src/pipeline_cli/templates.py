"""How a catalogue template is filled in: string.Formatter with the catalogue's format specs (i18n.py).

Its own module so that a command printing only data never imports `string`
(whose Template compiles a regular expression at import): i18n.render
imports it with the first message, when the catalogue is loaded too.
"""

from __future__ import annotations

import string
from typing import Any

from .errors import Message
from .i18n import (
    AND_JOINERS,
    CATALOGUE_VOCABULARIES,
    CLAUSE_JOINERS,
    CODE,
    JOINERS,
    MODEL_VOCABULARIES,
    OR_JOINERS,
    label,
    render,
)


class Formatter(string.Formatter):
    """Fills a catalogue template in `lang`: Messages rendered, lists joined, vocabulary slugs labelled."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message):
            return render(value, self.lang)
        if isinstance(value, (list, tuple)) and format_spec == "lines":
            return "\n".join(self.format_field(item, "") for item in value)
        if isinstance(value, (list, tuple)) and format_spec == "clauses":
            return CLAUSE_JOINERS.get(self.lang, "; ").join(self.format_field(item, "") for item in value)
        if isinstance(value, (list, tuple)) and format_spec.endswith(("/or", "/and")):
            spec, joiner = format_spec.rsplit("/", 1)
            joiners = OR_JOINERS if joiner == "or" else AND_JOINERS
            return joiners.get(self.lang, " ").join(self.format_field(item, spec) for item in value)
        if isinstance(value, (list, tuple)):
            return JOINERS.get(self.lang, ", ").join(self.format_field(item, format_spec) for item in value)
        if format_spec == CODE:
            # What a person types (a choice, a setting's key): `marked` among Chinese words, as it is in English.
            return f"`{value}`" if self.lang == "zh" else str(value)
        if format_spec in MODEL_VOCABULARIES or format_spec in CATALOGUE_VOCABULARIES:
            return label(value, format_spec, self.lang)
        if isinstance(value, str):
            # A name, reason or value given by a person: on one line, nothing raw for the terminal.
            from .texts import shown

            return shown(str(super().format_field(value, format_spec)))
        return str(super().format_field(value, format_spec))
