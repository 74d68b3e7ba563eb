"""Project records in files: CSV, JSON and JSON Lines text in and out.

Pure: bytes or text in, validated records, plans and cells out. Nothing here
opens files, touches the database or prints; `commands/transfer.py` does the
reading and writing, `store` the SQL.

Import checks the whole file before anything is written and collects every
bad row with its number as a spreadsheet counts it (the CSV header is row 1;
a JSON item's number is its 1-based position; a JSON Lines item's its line).

CSV output neutralises cells a spreadsheet would run as a formula
(formats.escape_cell); import removes that escape again (formats.unescape_cell).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import difflib
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .errors import BadData, Message, PipelineError, UsageError
from .fields import COMPUTED_NAMES, STORED_FIELDS, STORED_NAMES, TEXT_NAMES, import_names
from .formats import unescape_cell
from .model import (
    EDIT_COLUMNS,
    UNDONE,
    ProjectRecord,
    change_value,
    changes_text,
    format_yi,
    parse_project_id,
    record_from_mapping,
)

# Free-text fields: the only cells that are escaped on export and unescaped on import.
TEXT_FIELDS = TEXT_NAMES
# Computed fields (a list's csv has them): accepted on import and ignored,
# so a list's csv imports too.
COMPUTED_FIELDS = COMPUTED_NAMES
# Every header import takes (the contract's names, Chinese labels), lower-cased → field name.
_IMPORT_NAMES = import_names()
# For an existing project an empty cell in these keeps the stored value (they
# cannot be null); for a new project it means the default.
KEEP_IF_EMPTY = ("stage", "status", "source", "stage_since")

_EXTENSIONS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


def format_from_name(name: str) -> str | None:
    """csv, json, jsonl or xlsx from a file name's extension, else None."""
    lowered = name.lower()
    for extension, fmt in _EXTENSIONS.items():
        if lowered.endswith(extension):
            return fmt
    return None


# --- decoding ------------------------------------------------------------------

_GB_ENCODINGS = {"gbk", "gb2312", "gb18030", "cp936", "hz"}


def decode(data: bytes, encoding: str | None, name: str) -> str:
    """The file's text; a UTF-8 BOM is dropped; bytes invalid in the encoding are an error.

    Never guesses silently: a UTF-8 file read with --encoding gbk would come
    out as plausible-looking nonsense (mojibake), so that is refused too.
    """
    chosen = (encoding or "utf-8").strip()
    try:
        canonical = codecs.lookup(chosen).name
    except LookupError:
        raise UsageError(f"unknown encoding '{chosen}'", "use utf-8 (the default), gb18030 or gbk") from None
    if data.startswith(b"PK\x03\x04"):
        raise BadData(
            f"{name} is a workbook (.xlsx), not a CSV or JSON file",
            "import reads workbooks: add --format xlsx (or name the file .xlsx)",
        )
    is_utf8 = canonical in ("utf-8", "utf-8-sig")
    if not is_utf8 and _looks_like_utf8(data) and canonical.replace("-", "") in _GB_ENCODINGS | {"big5"}:
        raise BadData(
            f"{name} is UTF-8 text, not {chosen}: reading it as {chosen} would garble its Chinese",
            "leave out --encoding (UTF-8 is the default)",
        )
    try:
        text = data.decode("utf-8-sig" if is_utf8 else canonical)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 2].hex(" ")
        if is_utf8:
            hint = "a file saved by Excel or WPS in Chinese is often GBK: try --encoding gb18030"
        else:
            hint = "try --encoding gb18030 (a superset of gbk), or --encoding utf-8"
        raise BadData(
            f"{name} is not valid {'UTF-8' if is_utf8 else chosen}: bytes {bad} at byte offset {error.start} "
            f"(line {line})",
            hint,
        ) from None
    return text


def _looks_like_utf8(data: bytes) -> bool:
    """Non-ASCII text that decodes as UTF-8 (a GBK file almost never does)."""
    if data.startswith(codecs.BOM_UTF8):
        return True
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# --- parsing -------------------------------------------------------------------


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

    return _parse_table(1, header, numbered(), name, unescape=True, errors=errors)


def _parse_table(
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


# --- workbooks -------------------------------------------------------------------


def parse_workbook(data: bytes, name: str, sheet: str | None = None) -> ParsedFile:
    """The first sheet of an .xlsx workbook (or the one named `sheet`), read as CSV is.

    Rows keep the numbers the spreadsheet shows (the header is the first
    non-empty row, usually row 1). Cells become the text a CSV of them would
    hold: numbers as their shortest exact digits, dates as YYYY-MM-DD,
    TRUE/FALSE as true/false; formulas give the value Excel last computed.
    """
    import zipfile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise BadData(
            f"{name} is not a readable .xlsx workbook: {error}",
            "open it in Excel or WPS and save it again as .xlsx (Excel 2007 or later)",
        ) from None
    try:
        names = workbook.sheetnames
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            raise UsageError(
                f"{name} has no sheet named '{sheet}'",
                "its sheets are: " + ", ".join(f"'{n}'" for n in names),
            )
        numbered = (
            (number, [_sheet_cell(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        )
        for number, cells in numbered:
            if any(cell.strip() for cell in cells):
                return _parse_table(number, cells, numbered, name, unescape=False)
        raise BadData(f"{name} is empty", "export a file with `pipeline export` to see the columns import takes")
    finally:
        workbook.close()


def _sheet_cell(value: Any) -> str:
    """A cell's value as CSV text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: what was typed.
        return repr(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


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


# --- validation and plan ---------------------------------------------------------


@dataclass(frozen=True)
class Planned:
    """What importing one row does."""

    number: int
    record: ProjectRecord  # the project as it will be stored (id None: a fresh one)
    before: ProjectRecord | None = None  # the stored project, for an update
    # Field changes for the `edited` event, contract names and values: {"field": [old, new]}.
    edits: dict[str, list[Any]] = field(default_factory=dict)
    date: str = ""  # the day of the edited and status events (a move's is the new stage_since)

    @property
    def action(self) -> str:
        """added, moved (stage changed), updated (other fields or status), unchanged."""
        if self.before is None:
            return "added"
        if self.before.stage != self.record.stage:
            return "moved"
        if self.edits or self.before.status != self.record.status:
            return "updated"
        return "unchanged"


@dataclass
class Plan:
    rows: list[Planned]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def changes(self) -> list[Planned]:
        return [row for row in self.rows if row.action != "unchanged"]


def edit_value(record: ProjectRecord, name: str) -> Any:
    """A field as `edited` events record it: investment a decimal string of 亿元, key a bool."""
    return change_value(name, getattr(record, EDIT_COLUMNS[name]))


def record_mapping(record: ProjectRecord) -> dict[str, Any]:
    """A record as the raw values record_from_mapping takes back."""
    values = {f.name: getattr(record, f.column) for f in STORED_FIELDS if f.column is not None}
    return {**values, "investment": format_yi(record.investment_wan)}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _raw_id(row: RawRow) -> int | None:
    try:
        return _parse_id(row.values.get("id"))
    except UsageError:
        return None


def ids_in(parsed: ParsedFile) -> list[int]:
    """The ids the file names (well-formed ones), to look up before validating."""
    return [project_id for row in parsed.rows if (project_id := _raw_id(row)) is not None]


def plan_import(
    parsed: ParsedFile,
    existing: Mapping[int, ProjectRecord],
    last_event: Mapping[int, str],
    today: dt.date,
    *,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Validate every row against the stored projects; BadData listing every bad row.

    A row whose id is stored updates that project: columns the file lacks keep
    their stored values, and so do empty stage, status, source and stage_since
    cells. A moved project enters its new stage on the row's stage_since if
    the row changes it, else today.
    """
    errors: list[tuple[int, Message | str]] = list(parsed.errors)
    planned: list[Planned] = []
    first_row: dict[int, int] = {}
    for index, row in enumerate(parsed.rows):
        if progress is not None and index % 1000 == 999:
            progress(1000)
        try:
            item = _plan_row(row, existing, last_event, today, first_row, parsed.unit)
        except PipelineError as error:
            hint = error.hint_msg
            reason = error.msg if hint is None else Message("import.reason_hint", {"text": error.msg, "hint": hint})
            errors.append((row.number, reason))
            continue
        planned.append(item)
    if progress is not None:
        progress(len(parsed.rows) % 1000)
    if errors:
        errors.sort(key=lambda pair: pair[0])
        raise BadRows(errors, parsed.unit)
    return Plan(planned)


class BadRows(BadData):
    """Rows that failed validation: each with its number and reason (a Message)."""

    def __init__(self, errors: Sequence[tuple[int, Message | str]], unit: str = "row") -> None:
        self.errors = [(number, Message(r) if isinstance(r, str) else r) for number, r in errors]
        self.unit = unit
        count = len(self.errors)
        lines = [Message("import.bad_line", {"unit": unit, "number": n, "reason": r}) for n, r in self.errors]
        super().__init__(
            "import.bad_rows",
            "import.bad_rows.hint",
            count=count,
            unit=unit if count == 1 else f"{unit}s",
            lines=lines,
        )

    def named(self, name: str) -> BadRows:
        """The same errors, with the file's name in the first line."""
        renamed = BadRows(self.errors, self.unit)
        renamed.key = "import.in_file"
        renamed.params = {"name": name, "text": self.msg}
        return renamed


def _plan_row(
    row: RawRow,
    existing: Mapping[int, ProjectRecord],
    last_event: Mapping[int, str],
    today: dt.date,
    first_row: dict[int, int],
    unit: str,
) -> Planned:
    values = row.values
    project_id = _parse_id(values.get("id"))
    if project_id is not None:
        if project_id in first_row:
            raise UsageError(f"id {project_id} is also on {unit} {first_row[project_id]}")
        first_row[project_id] = row.number
    before = existing.get(project_id) if project_id is not None else None
    if before is not None and before.status == UNDONE:
        raise UsageError(
            f"id {project_id} belonged to a project whose add was undone, and an id is never reused",
            "leave id empty to add it under a new id",
        )
    if before is None:
        record = record_from_mapping(values, default_date=today)
        return Planned(row.number, _exact(record, row), date=today.isoformat())
    assert project_id is not None
    merged = record_mapping(before)
    for column, value in values.items():
        if column in STORED_NAMES and not (column in KEEP_IF_EMPTY and _blank(value)):
            merged[column] = value
    record = _exact(record_from_mapping(merged, default_date=today), row)
    if record.source != before.source:
        raise UsageError(
            f"source '{record.source}' differs from project {project_id}'s '{before.source}', "
            "and where a record came from does not change",
            "leave the source column as exported, or remove the column",
        )
    if record.stage != before.stage:
        if before.status == "dropped" and record.status == "dropped":
            raise UsageError(
                f"project {project_id} is dropped, so its stage cannot change",
                "set its status to active in the same row to restore and move it",
            )
        # Entered on the row's stage_since if the row changes it, else today.
        since = record.stage_since if record.stage_since != before.stage_since else today.isoformat()
        last = last_event.get(project_id)
        if last is not None and since < last:
            raise UsageError(
                f"stage_since {since} is before project {project_id}'s last recorded event ({last})",
                "a move is dated on or after the last event; leave stage_since as stored to move it today",
            )
        record = dataclasses.replace(record, stage_since=since)
    elif record.stage_since != before.stage_since:
        raise UsageError(
            f"stage_since {record.stage_since} differs from the stored {before.stage_since}, "
            f"but the stage stays {record.stage}",
            "stage_since changes only with the stage: leave it as stored, or remove the column",
        )
    edits = {
        name: [edit_value(before, name), edit_value(record, name)]
        for name in EDIT_COLUMNS
        if edit_value(before, name) != edit_value(record, name)
    }
    return Planned(row.number, record, before, edits, today.isoformat())


def _parse_id(value: Any) -> int | None:
    return parse_project_id(value)


def _exact(record: ProjectRecord, row: RawRow) -> ProjectRecord:
    """Escaped text cells back exactly as exported (record_from_mapping trims)."""
    if not row.exact:
        return record
    return dataclasses.replace(record, **{name: row.values[name] for name in row.exact})


# --- describing a plan -------------------------------------------------------------


def describe(item: Planned, project_id: int | None) -> str:
    """One line for a planned row: `12 东华鲲鹏: signed → preliminary`."""
    record = item.record
    who = f"{project_id if project_id is not None else '(new id)'} {record.name}"
    before = item.before
    if before is None:
        status = ", dropped" if record.status == "dropped" else ""
        return f"added {who} ({record.stage}{status})"
    parts = []
    if before.status == "dropped" and record.status == "active":
        parts.append("restored")
    if before.stage != record.stage:
        parts.append(f"{before.stage} → {record.stage}")
    if item.edits:
        parts.append(changes_text(item.edits))
    if before.status == "active" and record.status == "dropped":
        parts.append("dropped")
    return f"{who}: {'; '.join(parts)}"


def name_warnings(plan: Plan, stored: Mapping[str, int], unit: str = "row") -> list[str]:
    """Added rows whose name is already taken: most likely a file imported twice.

    Not an error (two projects may share a name), but worth a word: a row
    without id always adds a project. `stored` maps names to a stored id.
    """
    warnings = []
    seen: dict[str, int] = {}
    for item in plan.rows:
        if item.before is not None:
            continue
        name = item.record.name
        if name in stored:
            warnings.append(f"{unit} {item.number}: project {stored[name]} is also named {name}; this adds another")
        elif name in seen:
            warnings.append(f"{unit} {item.number}: {unit} {seen[name]} adds a project of the same name, {name}")
        else:
            seen[name] = item.number
    return warnings
