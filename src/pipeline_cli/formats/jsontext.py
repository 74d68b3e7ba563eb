"""JSON as pipeline writes it: json.dumps's bytes, Decimals digit for digit, streamed.

Apart from formats/__init__.py so that a command printing tsv or csv never
imports the json module or decimal (formats re-exports these names).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from json.encoder import encode_basestring as _text
from typing import Any, TextIO

from . import chunks

# --- values --------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_COMPACT = json.JSONEncoder(ensure_ascii=False, default=_json_default)


def decimal_json(value: Decimal) -> str:
    """A Decimal as a JSON number, digit for digit (no float on the way): 12.5, 871, 0.0001."""
    return f"{value:f}"


def _json_key(key: Any) -> str:
    """A dict key as json.dumps writes it."""
    if isinstance(key, bool) or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    return str(key)


def to_json(value: Any) -> str:
    """Compact JSON (", " and ": " separators, as json.dumps), Decimals as exact numbers."""
    kind = type(value)
    if kind is Decimal:
        return decimal_json(value)
    if kind is dict:
        if _SCALAR_TYPES.issuperset(map(type, value.values())) and Decimal not in map(type, value.values()):
            return _COMPACT.encode(value)
        return "{" + ", ".join(_COMPACT.encode(_json_key(k)) + ": " + to_json(v) for k, v in value.items()) + "}"
    if kind in (list, tuple):
        return "[" + ", ".join(to_json(item) for item in value) + "]"
    return _COMPACT.encode(value)


# --- indented JSON, streamed -----------------------------------------------------
# Python's json module encodes in C only without an indent; with one it falls
# back to pure Python (about ten times slower) and joins the whole text in
# memory: a report of a million projects took 20 s and 3 GiB. write_json
# walks dicts and lists itself, writing as it goes, and hands each flat object
# or list (whose values are all scalars: a project, an event, a funnel row) to
# the C encoder with separators that reproduce the indented layout. The bytes
# are exactly json.dumps(value, indent=2) + newline, as to_json gives.

# Exact types (a subclass takes the slower, equally correct path).
_SCALAR_TYPES = frozenset((str, int, float, bool, type(None), Decimal, dt.date, dt.datetime))
_KEY_TYPES = frozenset((str,))
_FLAT_ENCODERS: dict[int, json.JSONEncoder] = {}


def _flat_encoder(depth: int) -> json.JSONEncoder:
    """Compact C encoder whose item separator puts each value on its own line at `depth`."""
    encoder = _FLAT_ENCODERS.get(depth)
    if encoder is None:
        encoder = json.JSONEncoder(ensure_ascii=False, default=_json_default, separators=(",\n" + "  " * depth, ": "))
        _FLAT_ENCODERS[depth] = encoder
    return encoder


def write_json(out: TextIO, value: Any) -> None:
    """Write `value` as json.dumps(value, indent=2) does, and a newline, piece by piece."""
    _write_json_value(out.write, value, 0)
    out.write("\n")


def _float_json(value: float) -> str:
    return _COMPACT.encode(value)


# How a scalar of each exact type is written (as json.dumps writes it; a
# Decimal digit for digit), for flat objects holding a Decimal, which the C
# encoder cannot write.
_SCALAR_JSON: dict[type, Callable[[Any], str]] = {
    str: _text,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _: "null",
    float: _float_json,
    Decimal: decimal_json,
    dt.date: lambda value: _text(value.isoformat()),
    dt.datetime: lambda value: _text(value.isoformat()),
}


def _write_json_value(write: Any, value: Any, depth: int) -> None:
    if isinstance(value, dict):
        if not value:
            write("{}")
        elif not _KEY_TYPES.issuperset(map(type, value)):
            _write_json_value(write, {_json_key(key): item for key, item in value.items()}, depth)
        elif _SCALAR_TYPES.issuperset(map(type, value.values())):
            inner = "  " * (depth + 1)
            if Decimal in map(type, value.values()):
                scalar = _SCALAR_JSON
                text = (",\n" + inner).join([_text(k) + ": " + scalar[type(v)](v) for k, v in value.items()])
            else:
                text = _flat_encoder(depth + 1).encode(value)[1:-1]
            write("{\n" + inner + text + "\n" + "  " * depth + "}")
        else:
            inner = "  " * (depth + 1)
            write("{")
            for index, (key, item) in enumerate(value.items()):
                write(("\n" if index == 0 else ",\n") + inner + to_json(key) + ": ")
                _write_json_value(write, item, depth + 1)
            write("\n" + "  " * depth + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            write("[]")
        elif _SCALAR_TYPES.issuperset(map(type, value)) and Decimal not in map(type, value):
            text = _flat_encoder(depth + 1).encode(list(value))
            write("[\n" + "  " * (depth + 1) + text[1:-1] + "\n" + "  " * depth + "]")
        else:
            inner = "  " * (depth + 1)
            write("[")
            for index, item in enumerate(value):
                write(("\n" if index == 0 else ",\n") + inner)
                _write_json_value(write, item, depth + 1)
            write("\n" + "  " * depth + "]")
    elif isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        # A stream of objects (a report's list read from SQL): written as a
        # list of them would be, one at a time.
        # Each chunk of items is made as one string, then written.
        inner = "  " * (depth + 1)
        first = True
        for chunk in chunks(value):
            pieces: list[str] = []
            for item in chunk:
                pieces.append(("[\n" if first else ",\n") + inner)
                _write_json_value(pieces.append, item, depth + 1)
                first = False
            write("".join(pieces))
        write("[]" if first else "\n" + "  " * depth + "]")
    else:
        write(to_json(value))
