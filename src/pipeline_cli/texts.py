"""The one rule for text, on every way in: add, edit, and import of every format.

What is stored is what comes back out of every export format, so every way
in cleans text the same way, and nothing else is done to it anywhere:

- leading and trailing white space (spaces, tabs, line breaks, U+2028,
  U+2029, U+0085, ideographic space) is removed; what is left empty is none;
- no text holds a byte that was not UTF-8 (a lone surrogate, as Python
  reads such a byte of a command line), nor a control character other than tab, line feed, carriage
  return and U+0085 (so no escape sequence, bell, NUL or DEL reaches a
  terminal raw), nor a bidirectional override (which would show text
  reversed); such a value is refused, not changed. Tabs and line breaks
  (LF, CR, U+2028, U+2029, U+0085) are kept inside any text: every export
  format carries them exactly (CSV quotes them, TSV escapes them), and the
  terminal shows them through the output layer.

Refused rather than cleaned silently: a person asked to store that text.
"""

from __future__ import annotations

import functools
import re

from .errors import UsageError

# The controls text may hold: white space and line breaks.
ALLOWED_CONTROLS = frozenset("\t\n\r\x85")
# Bidirectional embeddings, overrides and isolates (the "Trojan Source" characters).
_BIDI = frozenset(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


# The regular expressions here are compiled when first used, not at import
# (half a millisecond for this one): a command printing data never needs them.


@functools.cache
def _forbidden() -> re.Pattern[str]:
    """Every character no text may hold, as one character class: searched in C, not a loop per character."""
    return re.compile(
        "["
        + "".join(
            re.escape(chr(code)) for code in (*range(0x20), *range(0x7F, 0xA0)) if chr(code) not in ALLOWED_CONTROLS
        )
        + "".join(re.escape(char) for char in sorted(_BIDI))
        # Lone surrogates: bytes that were not UTF-8.
        + "\ud800-\udfff"
        + "]"
    )


def first_forbidden(text: str) -> int | None:
    """The index of the first character no text may hold, else None."""
    found = _forbidden().search(text)
    return None if found is None else found.start()


def is_surrogate(char: str) -> bool:
    """A lone surrogate: how Python holds a byte of a command line or name that was not UTF-8."""
    return 0xD800 <= ord(char) <= 0xDFFF


def first_surrogate(text: str) -> int | None:
    """The index of the first byte that was not UTF-8, else None."""
    try:
        text.encode("utf-8")  # in C; only a lone surrogate cannot be encoded
    except UnicodeEncodeError as error:
        return error.start
    return None


def clean_text(value: str | None, field: str) -> str | None:
    """`value` as the field stores it: trimmed, None when empty; UsageError for a forbidden character."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    index = first_forbidden(text)
    if index is not None and is_surrogate(text[index]):
        raise UsageError("text.not_utf8", "text.not_utf8.hint", field=field, position=index + 1)
    if index is not None:
        raise UsageError(
            "text.forbidden_char",
            "text.forbidden_char.hint",
            field=field,
            char=f"U+{ord(text[index]):04X}",
            position=index + 1,
        )
    return text


# --- text as people see it ---------------------------------------------------------
# Stored text keeps its tabs and line breaks (every export carries them), but a
# table row, a one-line confirmation or an error is one line on a terminal: the
# human formats and the messages show them as TSV writes them (`\t`, `\n`,
# `\r`), and any other line break or control character, and a bidirectional
# override stored before the rule refused them, by its code (`\u2028`), so
# nothing splits a line or reaches the terminal raw; a byte that was not UTF-8
# (a file name's, a lone surrogate) by its code too, so printing it cannot fail.
_SHOWN = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


@functools.cache
def _escaped() -> re.Pattern[str]:
    return re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHOWN.get(char) or (f"\\u{code:04x}" if code > 0xFF else f"\\x{code:02x}")


def shown(text: str) -> str:
    """`text` for one line of a terminal: tabs, line breaks, controls and bidi overrides written as escapes."""
    return _escaped().sub(_escape, text)
