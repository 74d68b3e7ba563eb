"""CSV, JSON and JSON Lines text as numbered rows of cells, with the header names import knows."""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import BadData, UsageError
from ..fields import STORED_NAMES, TEXT_NAMES, import_names
from ..formats import unescape_cell

# Free-text fields: the only cells that are escaped on export and unescaped on import.
TEXT_FIELDS = TEXT_NAMES
# Every header import takes (the contract's names, Chinese labels), lower-cased → field name.
_IMPORT_NAMES = import_names()


@dataclass(frozen=True)
class RawRow:
    """One row of the file: its number, its cells by column, and which were escaped."""

    number: int
    values: dict[str, Any]
    # Text cells that carried the export's formula escape: taken exactly, untrimmed.
    exact: frozenset[str] = frozenset()


@dataclass
class ParsedFile:
    columns: tuple[str, ...]
    rows: list[RawRow]
    errors: list[tuple[int, str]] = field(default_factory=list)
    # "row" for CSV and JSON; JSON Lines numbers by line.
    unit: str = "row"


def parse(text: str, fmt: str, name: str) -> ParsedFile:
    """Split the text into rows; structural problems of the whole file raise BadData."""
    if not text.strip():
        raise BadData(f"{name} is empty", "export a file with `pipeline export` to see the columns import takes")
    if fmt == "csv":
        return _parse_csv(text, name)
    if fmt == "json":
        return _parse_json(text, name)
    if fmt == "jsonl":
        return _parse_jsonl(text, name)
    raise UsageError(f"unknown format '{fmt}'", "use csv, json, jsonl or xlsx")


def _known_columns(found: Iterable[str], name: str, where: str) -> None:
    """Refuse columns import does not know: a misspelt header would lose data silently."""
    unknown = [column for column in found if column not in _IMPORT_NAMES]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(_IMPORT_NAMES), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        quoted = ", ".join(f"'{column}'" for column in unknown)
        raise BadData(
            f"{name}: unknown column{'s' if len(unknown) > 1 else ''} {quoted} ({where})",
            f"{hint}the columns are: {', '.join(STORED_NAMES)} (as `pipeline export` writes them); "
            "remove or rename the others",
        )


def _header_name(cell: str) -> str:
    """A header cell as the field it names (a contract name or a Chinese label); unknown ones as written."""
    text = cell.strip().lower()
    return _IMPORT_NAMES.get(text, text)


def _parse_csv(text: str, name: str) -> ParsedFile:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as error:
        raise BadData(f"{name}: row 1 is not valid CSV: {error}") from None
    errors: list[tuple[int, str]] = []

    def numbered() -> Iterator[tuple[int, list[str]]]:
        number = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                errors.append((number + 1, f"not valid CSV: {error}"))
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
    errors: list[tuple[int, str]] | None = None,
) -> ParsedFile:
    """A header and numbered rows of text cells (CSV or a sheet) as a ParsedFile.

    `unescape`: CSV cells carry the export's formula escape; a workbook's
    text cells are text already and are taken as they are.
    """
    where = f"row {header_number}"
    columns = [_header_name(cell) for cell in header]
    while columns and columns[-1] == "":
        columns.pop()  # trailing empty header cells, as spreadsheets leave them
    if not columns:
        raise BadData(f"{name}: {where} should be the header but is empty", "the first row names the columns")
    if "" in columns:
        raise BadData(f"{name}: column {columns.index('') + 1} of the header ({where}) has no name")
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise BadData(f"{name}: column '{column}' appears twice in the header ({where})")
        seen.add(column)
    _known_columns(columns, name, where)
    # `errors` may grow while `rows` is read (a CSV reader's own errors).
    parsed = ParsedFile(columns=tuple(columns), rows=[], errors=errors if errors is not None else [])
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank row
        if len(cells) > len(columns):
            extra = cells[len(columns) :]
            if any(cell.strip() for cell in extra):
                parsed.errors.append((number, f"{len(cells)} cells but the header has {len(columns)} columns"))
                continue
            cells = cells[: len(columns)]
        values: dict[str, Any] = {}
        exact = set()
        for column, cell in zip(columns, cells, strict=False):
            if unescape and column in TEXT_FIELDS:
                plain = unescape_cell(cell)
                if plain != cell:
                    exact.add(column)
                cell = plain
            values[column] = cell
        for column in columns[len(cells) :]:
            values[column] = ""
        parsed.rows.append(RawRow(number, values, frozenset(exact)))
    if not parsed.rows and not parsed.errors:
        raise BadData(f"{name} has a header but no rows", "add one row per project below the header")
    return parsed


def _json_value(value: Any) -> Any:
    # Numbers are read as Decimal so that 12.3456 is the text that was written,
    # never a binary float.
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


def _item_row(item: Any, number: int, parsed: ParsedFile) -> None:
    if not isinstance(item, dict):
        parsed.errors.append((number, f"is {type(item).__name__ if item is not None else 'null'}, not an object"))
        return
    keys = [_header_name(str(key)) for key in item]
    new = [key for key in keys if key not in parsed.columns]
    if new:
        parsed.columns = (*parsed.columns, *new)
    values = {name: _json_value(value) for name, value in zip(keys, item.values(), strict=True)}
    # JSON is written by programs: its text is taken exactly, not trimmed.
    exact = frozenset(name for name in TEXT_FIELDS if isinstance(values.get(name), str) and values[name].strip())
    parsed.rows.append(RawRow(number, values, exact))


def _load_json(text: str, name: str, where: str = "") -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise BadData(
            f"{name} is not valid JSON{where}: {error.msg} at line {error.lineno} column {error.colno}",
            "check the file with a JSON validator, or export one with `pipeline export --format json`",
        ) from None


def _parse_json(text: str, name: str) -> ParsedFile:
    data = _load_json(text.lstrip("\ufeff"), name)
    if not isinstance(data, list):
        raise BadData(f"{name}: expected a JSON array of project objects, found {type(data).__name__}")
    if not data:
        raise BadData(f"{name} has no projects (an empty array)", "add one object per project")
    parsed = ParsedFile(columns=(), rows=[])
    for number, item in enumerate(data, start=1):
        _item_row(item, number, parsed)
    _check_json_columns(parsed, name)
    return parsed


def _parse_jsonl(text: str, name: str) -> ParsedFile:
    parsed = ParsedFile(columns=(), rows=[], unit="line")
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as error:
            parsed.errors.append((number, f"not valid JSON: {error.msg} at column {error.colno}"))
            continue
        _item_row(item, number, parsed)
    _check_json_columns(parsed, name)
    return parsed


def _check_json_columns(parsed: ParsedFile, name: str) -> None:
    for column in parsed.columns:
        if column not in _IMPORT_NAMES.values():
            first = next(row.number for row in parsed.rows if column in row.values)
            _known_columns([column], name, f"first in {parsed.unit} {first}")
