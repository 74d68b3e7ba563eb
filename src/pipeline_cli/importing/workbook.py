"""An .xlsx workbook's sheet as the numbered rows a CSV file gives."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import BadData, Message, UsageError
from .rows import ParsedFile, known_header, parse_table


def parse_workbook(file: BinaryIO, name: str, sheet: str | None = None) -> ParsedFile:
    """The first sheet of an .xlsx workbook (or the one named `sheet`), read as CSV is, row by row.

    Rows keep the numbers the spreadsheet shows (the header is the first
    non-empty row, usually row 1; rows above it holding one text that names
    no column are the sheet's title and are passed over). Cells become the text a CSV of them would
    hold: numbers as their shortest exact digits, dates as YYYY-MM-DD,
    TRUE/FALSE as true/false; formulas give the value Excel last computed.
    The workbook (read-only mode: the sheet's XML is parsed as it is read)
    stays open until its rows are read.
    """
    import zipfile
    import zlib

    import openpyxl

    check_size(file, name)
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, zlib.error, *_DAMAGED) as error:
        reason = Message("zip.bad") if str(error) == "File is not a zip file" else str(error)
        raise BadData("import.bad_workbook", "import.bad_workbook.hint", name=name, reason=reason) from None
    try:
        names = workbook.sheetnames
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in names:
            worksheet = workbook[sheet]
        else:
            quoted = [f"'{n}'" for n in names]
            raise UsageError("import.no_sheet", "import.no_sheet.hint", name=name, sheet=sheet, sheets=quoted)
        numbered = _numbered_rows(worksheet.iter_rows(values_only=True), name)
        title: tuple[int, list[str]] | None = None
        for number, cells in numbered:
            filled = [cell for cell in cells if cell.strip()]
            if not filled:
                continue
            if title is None and len(filled) == 1 and not known_header(filled[0]):
                # A title above the header (黄岛区招商项目清单), as a district's sheet has one.
                title = (number, cells)
                continue
            rows: Iterator[tuple[int, list[str]]] = numbered
            if title is not None and not any(known_header(cell) for cell in filled):
                # No header below it either: the lone cell was the header, and is refused as one.
                rows = itertools.chain([(number, cells)], numbered)
                number, cells = title
            if filled:
                parsed = parse_table(number, cells, _closing(rows, workbook), name, unescape=False)
                parsed.workbook = True
                break
        else:
            if title is not None:  # one lone cell and nothing below it: a header without rows
                parsed = parse_table(title[0], title[1], iter(()), name, unescape=False)
                parsed.workbook = True
                return parsed
            raise BadData("import.empty", "import.empty.hint", name=name)
    except BaseException:
        workbook.close()
        raise
    return parsed


# Excel's and WPS's limits: a sheet with more rows or columns was not written by a spreadsheet.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
# A part of the workbook that unpacks to more than this is refused before it is read
# (its size is declared in the zip's directory, and the zip module never unpacks more).
MAX_PART_BYTES = 1 << 30
# ... as is a large part packed more than 100 to 1: a real sheet packs 5 to 30 to 1
# (30 for a million empty formatted rows), a zip bomb a thousand to 1.
MAX_RATIO = 100
_RATIO_FROM_BYTES = 16 << 20


def check_size(file: BinaryIO, name: str) -> None:
    """Refuse (exit 5) a workbook whose parts unpack to more than a sheet can hold, before any is read.

    What is not a zip at all is left to openpyxl, which says so.
    """
    import zipfile

    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        parts = []
    finally:
        file.seek(0)
    for part in parts:
        size = part.file_size
        if size > MAX_PART_BYTES or (size > _RATIO_FROM_BYTES and size > MAX_RATIO * max(part.compress_size, 1)):
            raise BadData(
                "import.workbook_too_big",
                "import.workbook_too_big.hint",
                name=name,
                part=part.filename,
                size=size >> 20,
                packed=max(part.compress_size >> 20, 1),
            )


# What openpyxl raises on a damaged sheet while its rows are read (read-only mode parses as it goes):
# XML that is not well-formed, a damaged zip stream, a cell whose value does not fit its type.
_DAMAGED = (SyntaxError, ValueError, TypeError, IndexError, KeyError, OverflowError, EOFError, OSError)


def _numbered_rows(rows: Iterator[tuple[Any, ...]], name: str) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows numbered as the spreadsheet shows them, as text cells.

    An empty row (openpyxl fills the gaps between rows, and pads rows to the
    widest one) costs no conversion; the cells right of the last column
    anything was written in are dropped, so one stray cell far to the right
    does not make every row 16,384 cells long. More rows than a spreadsheet
    holds, or a sheet openpyxl cannot read on, is bad data (exit 5).
    """
    import zipfile
    import zlib

    number = 0
    width = 0  # the last column any row so far has a value in: every cell right of it is empty
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except (*_DAMAGED, zipfile.BadZipFile, zlib.error) as error:
            raise BadData(
                "import.workbook_damaged", "import.workbook_damaged.hint", name=name, row=number + 1, reason=str(error)
            ) from None
        number += 1
        if number > MAX_ROWS or len(values) > MAX_COLUMNS:
            raise BadData("import.workbook_too_many", "import.workbook_too_big.hint", name=name, row=number)
        if values.count(None) == len(values):
            yield number, []
            continue
        tail = values[width:]
        if tail.count(None) != len(tail):
            end = len(values)
            while values[end - 1] is None:
                end -= 1
            width = end
        yield number, [_sheet_cell(value) for value in values[:width]]


def _closing(rows: Iterator[tuple[int, list[str]]], workbook: Any) -> Iterator[tuple[int, list[str]]]:
    """The rows, then the workbook closed (also when they are left unread)."""
    try:
        yield from rows
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
    # Office Open XML writes a character XML cannot hold (a carriage return,
    # a control) as _xHHHH_, and a literal "_x" as _x005F_x; openpyxl hands
    # the escapes over as they are.
    return _ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), str(value))


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
