"""An .xlsx workbook's sheet as the numbered rows a CSV file gives."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from ..errors import BadData, Message, UsageError
from .rows import ParsedFile, parse_table


def parse_workbook(file: BinaryIO, name: str, sheet: str | None = None) -> ParsedFile:
    """The first sheet of an .xlsx workbook (or the one named `sheet`), read as CSV is, row by row.

    Rows keep the numbers the spreadsheet shows (the header is the first
    non-empty row, usually row 1). Cells become the text a CSV of them would
    hold: numbers as their shortest exact digits, dates as YYYY-MM-DD,
    TRUE/FALSE as true/false; formulas give the value Excel last computed.
    The workbook (read-only mode: the sheet's XML is parsed as it is read)
    stays open until its rows are read.
    """
    import zipfile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
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
        numbered = (
            (number, [_sheet_cell(value) for value in values])
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1)
        )
        for number, cells in numbered:
            if any(cell.strip() for cell in cells):
                parsed = parse_table(number, cells, _closing(numbered, workbook), name, unescape=False)
                parsed.workbook = True
                break
        else:
            raise BadData("import.empty", "import.empty.hint", name=name)
    except BaseException:
        workbook.close()
        raise
    return parsed


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
