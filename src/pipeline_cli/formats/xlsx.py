"""Workbooks (.xlsx): the same records and columns the other formats get, as sheets.

Sheets without a chart are written straight as XML by formats.sheetxml
(100,000 exported projects: about 2 × the CSV export and 35 MiB, against 15 s through
XlsxWriter and 1.2 s for the CSV, on a loaded 2-core machine); a workbook
with a chart (the report's funnel) is written with XlsxWriter in
constant-memory mode, which draws it (openpyxl, which reads workbooks for
`import`, was measured slower for writing still: 24 s against 19 s).
Imported only by a command asked for a workbook.

A sheet is a title, columns (formats.Column) and records (dicts, read once):
a command that prints records in csv prints them as a sheet with one more
line. Cells: amounts (Decimal) as numbers with the same digits JSON writes,
formatted in 亿元; dates as dates; lights as red, yellow and green fills;
text always as text (never a formula). In `zh` headers and labels are
Chinese; in `en` headers are the JSON's keys and values its slugs, so a sheet
compares cell by cell with `--format json` and `import` reads it back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from . import Column, Style, label
from .sheetxml import cell_kind, excel_day, excel_text, letters

# Columns whose values are dates (YYYY-MM-DD), whatever their kind says.
DATE_KEYS = frozenset(
    (
        "stage_since",
        "date",
        "opened",
        "due",
        "closed",
        "next_plan_date",
        "from_date",
        "to_date",
        "plan_from",
        "plan_to",
    )
)
AMOUNT_FORMAT = '#,##0.0000" 亿元"'
DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0.0%"
# Excel's fills for the three lights (its own "good / neutral / bad" shades).
LIGHT_FILLS = {"green": "#C6EFCE", "yellow": "#FFEB9C", "red": "#FFC7CE"}
LIGHT_FONTS = {"green": "#006100", "yellow": "#9C5700", "red": "#9C0006"}
_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (1900 date system, after its 1900-02-29)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
# Kinds whose values are shown by their Chinese labels in zh.
LABELLED_KINDS = frozenset(("stage", "sector", "light", "problem_status"))
_WIDTHS = {"text": 18, "number": 12, "stage": 14, "sector": 18, "light": 9, "bool": 7, "percent": 10}


@dataclass(frozen=True)
class Chart:
    """A bar chart of one numeric column against the labels of another, drawn beside the data.

    `funnel`: horizontal bars, first row at the top, as a funnel is read.
    """

    title: str
    category: str
    value: str
    funnel: bool = False


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    records: Iterable[dict[str, Any]]
    # A last row in bold (a total), laid out like the records.
    footer: dict[str, Any] | None = None
    chart: Chart | None = None
    # Shown in the first row instead of a header when there are no columns (an empty section).
    empty_note: str | None = None
    # Projects: the read path's tuples of these fields (fields.Field), which `records` makes dicts of.
    # The fast writer reads the tuples themselves (no dict or Decimal per row); only one of the two is read.
    rows: Iterable[Sequence[Any]] | None = None
    fields: Sequence[Any] | None = None


def project_sheet(
    en: str,
    zh: str,
    rows: Iterable[Sequence[Any]],
    fields: Sequence[Any],
    style: Style,
    columns: Sequence[str] | None = None,
) -> Sheet:
    """Projects (the read path's tuples of `fields`) as one sheet titled `en` or `zh`; `columns`: those only."""
    from . import field_columns, project_record

    records = (project_record(row, fields) for row in rows)
    shown = [f for name in columns for f in fields if f.name == name] if columns is not None else fields
    return Sheet(zh if style.lang == "zh" else en, field_columns(shown), records, rows=rows, fields=fields)


def header(column: Column, lang: str) -> str:
    """A column's header: its Chinese label in zh, else its JSON key (so a sheet reads back with import)."""
    return (column.zh or column.key) if lang == "zh" else column.key


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = _BAD_SHEET_CHARS.sub(" ", title).strip().strip("'")[:31] or "Sheet"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def number(value: Any) -> int | float:
    """An amount as the cell's number: the digits JSON writes for it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value  # type: ignore[no-any-return]


def column_width(column: Column) -> float:
    return _WIDTHS.get(column.kind, 14) if column.key not in DATE_KEYS and column.kind != "date" else 11


def write_workbook(out: BinaryIO, sheets: Iterable[Sheet], style: Style) -> int:
    """Write the sheets as one workbook to `out` (a binary file); returns the records written.

    Without a chart, straight as XML (formats.sheetxml, about 5× faster on
    large sheets); with one, through XlsxWriter, which draws it.
    """
    sheets = list(sheets)
    if not any(sheet.chart for sheet in sheets):
        from . import sheetxml

        taken: set[str] = set()
        return sheetxml.write(
            out,
            sheets,
            style,
            names=[sheet_name(sheet.title, taken) for sheet in sheets],
            widths=column_width,
            header=header,
            date_keys=DATE_KEYS,
            labelled=LABELLED_KINDS,
            formats={"amount": AMOUNT_FORMAT, "date": DATE_FORMAT, "percent": PERCENT_FORMAT},
            fills=LIGHT_FILLS,
            fonts=LIGHT_FONTS,
        )
    return _write_with_xlsxwriter(out, sheets, style)


def _write_with_xlsxwriter(out: BinaryIO, sheets: Iterable[Sheet], style: Style) -> int:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            # Never guess: text stays text, whatever it looks like.
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": DATE_FORMAT,
        },
    )
    formats = _Formats(workbook)
    taken: set[str] = set()
    total = 0
    for sheet in sheets:
        total += _write_sheet(workbook, formats, sheet, sheet_name(sheet.title, taken), style)
    workbook.close()
    return total


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.amount = workbook.add_format({"num_format": AMOUNT_FORMAT})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.percent = workbook.add_format({"num_format": PERCENT_FORMAT})
        self.bold = workbook.add_format({"bold": True, "top": 1})
        self.bold_amount = workbook.add_format({"bold": True, "top": 1, "num_format": AMOUNT_FORMAT})
        self.light = {
            light: workbook.add_format({"bg_color": LIGHT_FILLS[light], "font_color": LIGHT_FONTS[light]})
            for light in LIGHT_FILLS
        }


def _write_sheet(workbook: Any, formats: _Formats, sheet: Sheet, name: str, style: Style) -> int:
    worksheet = workbook.add_worksheet(name)
    columns = list(sheet.columns)
    lang = style.lang
    if not columns:
        worksheet.write_string(0, 0, sheet.empty_note or "")
        worksheet.set_column(0, 0, 40)
        return 0
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column_width(column))
    header_row = 0
    if style.header:
        for index, column in enumerate(columns):
            worksheet.write_string(0, index, header(column, lang), formats.header)
        worksheet.freeze_panes(1, 0)
        header_row = 1
    writers = [_cell_writer(worksheet, formats, column, lang) for column in columns]
    row = header_row
    count = 0
    for record in sheet.records:
        get = record.get
        for index, (column, write) in enumerate(zip(columns, writers, strict=True)):
            value = get(column.key)
            if value is not None:
                write(row, index, value)
        row += 1
        count += 1
    if sheet.footer is not None:
        for index, column in enumerate(columns):
            value = sheet.footer.get(column.key)
            if value is None:
                worksheet.write_blank(row, index, None, formats.bold)
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                fmt = formats.bold_amount if isinstance(value, Decimal) else formats.bold
                worksheet.write_number(row, index, number(value), fmt)
            else:
                worksheet.write_string(row, index, label(value, column.kind, lang), formats.bold)
        row += 1
    if style.header and count:
        worksheet.autofilter(0, 0, header_row + count - 1, len(columns) - 1)
    if sheet.chart is not None and count:
        _insert_chart(workbook, worksheet, name, columns, sheet.chart, header_row, header_row + count - 1)
    return count


def _cell_writer(worksheet: Any, formats: _Formats, column: Column, lang: str) -> Any:
    """The function that writes one value of `column` (never None) at (row, col), as sheetxml.cell_kind chooses."""
    write_string, write_number, write_boolean = worksheet.write_string, worksheet.write_number, worksheet.write_boolean
    chosen = cell_kind(column, lang, DATE_KEYS)

    def text(row: int, col: int, value: Any) -> None:
        if isinstance(value, bool) and chosen == "value":
            write_boolean(row, col, value)
        elif (
            isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and chosen in ("value", "percent")
        ):
            fmt = formats.percent if chosen == "percent" else formats.amount if isinstance(value, Decimal) else None
            write_number(row, col, number(value), fmt)
        else:
            shown = excel_text(chosen, column, value, lang, LABELLED_KINDS)
            write_string(row, col, shown, formats.light.get(value) if chosen == "light" else None)

    if chosen == "date":

        def date(row: int, col: int, value: Any) -> None:
            day = excel_day(value)
            if day is None:
                write_string(row, col, str(value))
            else:
                write_number(row, col, day, formats.date)

        return date
    return text


def _insert_chart(
    workbook: Any, worksheet: Any, name: str, columns: list[Column], chart: Chart, first: int, last: int
) -> None:
    keys = [column.key for column in columns]
    category, value = keys.index(chart.category), keys.index(chart.value)
    drawn = workbook.add_chart({"type": "bar" if chart.funnel else "column"})
    quoted = "'" + name.replace("'", "''") + "'"
    drawn.add_series(
        {
            "name": chart.title,
            "categories": f"={quoted}!${letters(category)}${first + 1}:${letters(category)}${last + 1}",
            "values": f"={quoted}!${letters(value)}${first + 1}:${letters(value)}${last + 1}",
            "data_labels": {"value": True},
            "fill": {"color": "#4472C4"},
            "gap": 40,
        }
    )
    drawn.set_title({"name": chart.title})
    drawn.set_legend({"none": True})
    if chart.funnel:
        # The first stage at the top, as a funnel reads.
        drawn.set_y_axis({"reverse": True})
    drawn.set_size({"width": 620, "height": 360})
    worksheet.insert_chart(1, len(columns) + 1, drawn)
