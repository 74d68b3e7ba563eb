"""CSV, JSON and JSON Lines text as numbered rows of cells, with the header names import knows."""

from __future__ import annotations

import csv
import difflib
import io
import itertools
import json
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import BadData, Message, UsageError
from ..fields import STORED_NAMES, TEXT_NAMES, import_names
from ..formats import unescape_cell

# Free-text fields: the only cells that are escaped on export and unescaped on import.
TEXT_FIELDS = TEXT_NAMES
# Every header import takes (the contract's names, Chinese labels), lower-cased → field name.
_IMPORT_NAMES = import_names()


@dataclass(frozen=True)
class RawRow:
    """One row of the file: its number and its cells by column (text as written; texts.clean_text trims)."""

    number: int
    values: dict[str, Any]


@dataclass
class ParsedFile:
    """A file's columns and its rows, read once as they are iterated (a table streams; a JSON array is whole).

    `errors` grows while `rows` is read; `finish()`, once they are all read,
    checks what only the whole file tells.
    """

    columns: tuple[str, ...]
    rows: Iterable[RawRow]
    errors: list[tuple[int, Message | str]] = field(default_factory=list)
    # "row" for CSV and JSON; JSON Lines numbers by line.
    unit: str = "row"
    name: str = ""
    # A table (CSV, a sheet) must have a row below its header.
    needs_rows: bool = False
    rows_seen: int = 0
    # JSON: where each column first appeared, to name an unknown one.
    first_in: dict[str, int] = field(default_factory=dict)
    workbook: bool = False

    def finish(self) -> None:
        """After every row is read: columns JSON objects brought that import does not know; a table without rows."""
        for column, first in self.first_in.items():
            if column not in _IMPORT_NAMES.values():
                _known_columns([column], self.name, Message("import.where_first", {"unit": self.unit, "number": first}))
        if self.needs_rows and not self.rows_seen and not self.errors:
            raise BadData("import.no_rows", "import.no_rows.hint", name=self.name)


def parse(text: str, fmt: str, name: str) -> ParsedFile:
    """Split the text into rows; structural problems of the whole file raise BadData."""
    return parse_lines(iter(io.StringIO(text, newline="" if fmt == "csv" else "\n")), fmt, name)


def parse_lines(lines: Iterator[str], fmt: str, name: str) -> ParsedFile:
    """Rows from the text's lines (ends kept: csv's as csv reads them, JSON Lines' at LF only), read lazily."""
    head: list[str] = []
    for line in lines:
        head.append(line)
        if line.strip():
            break
    else:
        raise BadData("import.empty", "import.empty.hint", name=name)
    text_lines = itertools.chain(head, lines)
    if fmt == "csv":
        return _parse_csv(text_lines, name)
    if fmt == "json":
        return _parse_json("".join(text_lines), name)
    if fmt == "jsonl":
        return _parse_jsonl(text_lines, name)
    raise UsageError("import.unknown_format", "import.unknown_format.hint", format=fmt)


# What the csv and json modules say is wrong, in the catalogue where it is a common case.
_CSV_REASONS = {
    "line contains NUL": "csv.nul",
    "unexpected end of data": "csv.eof",
    "new-line character seen in unquoted field - do you need to open the file with newline=''?": "csv.newline",
}
_JSON_REASONS = {
    "Expecting value": "jsonerr.value",
    "Expecting ',' delimiter": "jsonerr.comma",
    "Expecting ':' delimiter": "jsonerr.colon",
    "Expecting property name enclosed in double quotes": "jsonerr.name",
    "Extra data": "jsonerr.extra",
    "Unterminated string starting at": "jsonerr.unterminated",
    "Invalid control character at": "jsonerr.control",
    "Invalid \\escape": "jsonerr.escape",
    "Invalid \\uXXXX escape": "jsonerr.uescape",
}


def csv_reason(error: Exception) -> Message | str:
    text = str(error)
    if text.startswith("field larger than field limit"):
        return Message("csv.too_large")
    key = _CSV_REASONS.get(text)
    return Message(key) if key is not None else text


def json_reason(error: json.JSONDecodeError) -> Message | str:
    key = _JSON_REASONS.get(error.msg)
    return Message(key) if key is not None else error.msg


def _known_columns(found: Iterable[str], name: str, where: Message) -> None:
    """Refuse columns import does not know: a misspelt header would lose data silently."""
    unknown = [column for column in found if column not in _IMPORT_NAMES]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(_IMPORT_NAMES), n=1)
        quoted = ", ".join(f"'{column}'" for column in unknown)
        key = "import.unknown_columns" if len(unknown) > 1 else "import.unknown_column"
        hint = "import.unknown_column.close" if close else "import.unknown_column.hint"
        found = close[0] if close else ""
        raise BadData(key, hint, name=name, columns=quoted, where=where, close=found, fields=list(STORED_NAMES))


def _header_name(cell: str) -> str:
    """A header cell as the field it names (a contract name or a Chinese label); unknown ones as written.

    Full-width brackets and spaces, as a Chinese keyboard types them
    (计划总投资（亿元）), name the same column as ASCII ones.
    """
    text = cell.strip().lower()
    if text in _IMPORT_NAMES:
        return _IMPORT_NAMES[text]
    return _IMPORT_NAMES.get(unicodedata.normalize("NFKC", text).replace(" ", ""), text)


def known_header(cell: str) -> bool:
    """Whether a header cell names a column import takes."""
    return _header_name(cell) in _IMPORT_NAMES.values()


def _parse_csv(lines: Iterable[str], name: str) -> ParsedFile:
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except csv.Error as error:
        raise BadData("import.csv_header", name=name, reason=csv_reason(error)) from None
    errors: list[tuple[int, Message | str]] = []

    def numbered() -> Iterator[tuple[int, list[str]]]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                errors.append((number + 1, Message("import.csv_row", {"reason": csv_reason(error)})))
                return
            number += 1
            yield number, cells

    return parse_table(1, header, numbered(), name, unescape=True, errors=errors)


def parse_table(
    header_number: int,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    name: str,
    *,
    unescape: bool,
    errors: list[tuple[int, Message | str]] | None = None,
) -> ParsedFile:
    """A header and numbered rows of text cells (CSV or a sheet) as a ParsedFile.

    `unescape`: CSV cells carry the export's formula escape; a workbook's
    text cells are text already and are taken as they are.
    """
    where = Message("import.where_row", {"number": header_number})
    columns = [_header_name(cell) for cell in header]
    while columns and columns[-1] == "":
        columns.pop()  # trailing empty header cells, as spreadsheets leave them
    if not columns:
        raise BadData("import.header_empty", "import.header_empty.hint", name=name, where=where)
    if "" in columns:
        raise BadData("import.header_unnamed", name=name, column=columns.index("") + 1, where=where)
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise BadData("import.header_twice", name=name, column=column, where=where)
        seen.add(column)
    _known_columns(columns, name, where)
    # `errors` may grow while `rows` is read (a CSV reader's own errors).
    parsed = ParsedFile(
        columns=tuple(columns), rows=(), errors=errors if errors is not None else [], name=name, needs_rows=True
    )
    parsed.rows = _table_rows(parsed, columns, rows, unescape)
    return parsed


def _table_rows(
    parsed: ParsedFile, columns: list[str], rows: Iterable[tuple[int, Sequence[str]]], unescape: bool
) -> Iterator[RawRow]:
    width = len(columns)
    unescaped = [unescape and column in TEXT_FIELDS for column in columns]
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank row
        if len(cells) > width:
            extra = cells[width:]
            if any(cell.strip() for cell in extra):
                counts = {"cells": len(cells), "columns": width}
                parsed.errors.append((number, Message("import.too_many_cells", counts)))
                continue
            cells = cells[:width]
        values: dict[str, Any] = {}
        for column, cell, escaped in zip(columns, cells, unescaped, strict=False):
            values[column] = unescape_cell(cell) if escaped else cell
        for column in columns[len(cells) :]:
            values[column] = ""
        parsed.rows_seen += 1
        yield RawRow(number, values)


# Fields whose JSON value may be other than a string: every other stored
# field is text (or a slug or date written as text) and takes a string or null.
_STRING_ONLY = frozenset(STORED_NAMES) - {"id", "investment", "key"}


class _LongNumber(str):
    """A JSON integer too long for a number import takes: kept as its digits, refused where it lands."""


class _Object(dict[str, Any]):
    """A JSON object, with the keys it held more than once (json.loads would keep the last silently)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    found = _Object()
    repeated = []
    for key, value in pairs:
        if key in found:
            repeated.append(key)
        found[key] = value
    found.duplicates = tuple(repeated)
    return found


def _integer(digits: str) -> int | str:
    # Python refuses to read integers of more than 4,300 digits (and reading
    # long ones is slow); none is a valid id or amount anyway.
    return int(digits) if len(digits) <= 30 else _LongNumber(digits)


def _loads(text: str) -> Any:
    return json.loads(text, parse_float=Decimal, parse_int=_integer, object_pairs_hook=_object)


def _json_kind(value: Any) -> str:
    if value is None:
        return "json.null"
    if isinstance(value, bool):
        return "json.boolean"
    if isinstance(value, (int, Decimal, float, _LongNumber)):
        return "json.number"
    if isinstance(value, list):
        return "json.array"
    if isinstance(value, dict):
        return "json.object"
    return "json.string"


def _json_value(value: Any) -> Any:
    # Numbers are read as Decimal so that 12.3456 is the text that was written,
    # never a binary float; one of a huge exponent stays short (and is refused).
    if isinstance(value, Decimal):
        return f"{value:f}" if value.is_finite() and -30 < value.adjusted() < 30 else str(value)
    return value


def _item_problem(item: Any, keys: Sequence[str]) -> Message | None:
    """Why a JSON object cannot be a project row, else None."""
    repeated = list(item.duplicates) if isinstance(item, _Object) else []
    repeated += [key for index, key in enumerate(keys) if key in keys[:index] and key not in repeated]
    if repeated:
        return Message("import.json_duplicate_key", {"key": repeated[0]})
    for key, value in zip(keys, item.values(), strict=True):
        plain = value is None or (isinstance(value, str) and not isinstance(value, _LongNumber))
        # Text fields take a string or null; no field takes an array or object
        # (ids, amounts and key are checked by their own rules).
        if (key in _STRING_ONLY and not plain) or isinstance(value, (list, dict)):
            return Message("import.json_not_text", {"field": key, "kind": Message(_json_kind(value))})
    return None


def _item_row(item: Any, number: int, parsed: ParsedFile) -> RawRow | None:
    """A JSON item as a row, or None with its error noted."""
    if not isinstance(item, dict):
        parsed.errors.append((number, Message("import.not_object", {"kind": Message(_json_kind(item))})))
        return None
    keys = [_header_name(str(key)) for key in item]
    problem = _item_problem(item, keys)
    if problem is not None:
        parsed.errors.append((number, problem))
        return None
    new = [key for key in keys if key not in parsed.columns]
    if new:
        parsed.columns = (*parsed.columns, *new)
        for key in new:
            parsed.first_in.setdefault(key, number)
    values = {name: _json_value(value) for name, value in zip(keys, item.values(), strict=True)}
    parsed.rows_seen += 1
    return RawRow(number, values)


def _load_json(text: str, name: str, where: str = "") -> Any:
    try:
        return _loads(text)
    except json.JSONDecodeError as error:
        raise BadData(
            "import.bad_json",
            "import.bad_json.hint",
            name=name,
            reason=json_reason(error),
            line=error.lineno,
            column=error.colno,
        ) from None
    except RecursionError:
        raise BadData("import.json_too_deep", "import.json_too_deep.hint", name=name) from None


def _parse_json(text: str, name: str) -> ParsedFile:
    data = _load_json(text.lstrip("\ufeff"), name)
    del text
    if not isinstance(data, list):
        raise BadData("import.json_not_array", name=name, kind=Message(_json_kind(data)))
    if not data:
        raise BadData("import.json_empty", "import.json_empty.hint", name=name)
    parsed = ParsedFile(columns=(), rows=(), name=name)

    def rows() -> Iterator[RawRow]:
        for number, item in enumerate(data, start=1):
            row = _item_row(item, number, parsed)
            if row is not None:
                yield row

    parsed.rows = rows()
    return parsed


def _parse_jsonl(lines: Iterable[str], name: str) -> ParsedFile:
    parsed = ParsedFile(columns=(), rows=(), unit="line", name=name)
    parsed.rows = _jsonl_rows(parsed, lines)
    return parsed


def _jsonl_rows(parsed: ParsedFile, lines: Iterable[str]) -> Iterator[RawRow]:
    # Lines end at LF only (a CRLF's CR is white space to JSON): str.splitlines
    # would also split at U+2028, U+2029, U+0085 and a lone CR, which JSON
    # allows raw inside a string.
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            item = _loads(line)
        except json.JSONDecodeError as error:
            reason = Message("import.bad_json_line", {"reason": json_reason(error), "column": error.colno})
            parsed.errors.append((number, reason))
            continue
        except RecursionError:
            parsed.errors.append((number, Message("import.json_too_deep.line")))
            continue
        row = _item_row(item, number, parsed)
        if row is not None:
            yield row
