"""Workbooks without charts, written straight as Office Open XML: the fast path of formats.xlsx.

XlsxWriter spends about 12 µs on each cell (its cell record, dimension checks,
XML escaping one call at a time): 100,000 exported projects took 15 s against
1.2 s for the CSV. A sheet's cells here are one f-string each, built by a
function chosen once per column, and escaped only when a text holds a
character that needs it; 100 rows are joined and compressed at a time, so the
memory stays that of a few rows. The result is the same workbook a reader
sees (openpyxl, Excel, WPS, LibreOffice): the same cell types, number formats,
fills, frozen header, autofilter and column widths; strings inline, as
XlsxWriter's constant-memory mode writes them. Charts (the report's funnel)
still go through XlsxWriter, which draws them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO, Literal
from xml.sax.saxutils import escape, quoteattr

from . import NAMED_KEYS, Column, Style, label

if TYPE_CHECKING:
    from .xlsx import Sheet

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Text that needs more than copying: XML's own characters, control characters
# (written as _xHHHH_, as Excel does), and a literal _xHHHH_ (escaped so it reads back as itself).
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]|_x[0-9A-Fa-f]{4}_")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_LITERAL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_EPOCH_ORDINAL = dt.date(1899, 12, 30).toordinal()
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_BATCH = 100

# Cell styles (indexes into styles.xml's cellXfs, written below in this order).
HEADER, AMOUNT, DATE, PERCENT, BOLD, BOLD_AMOUNT = 1, 2, 3, 4, 5, 6
LIGHT_STYLE = {"green": 7, "yellow": 8, "red": 9}

Cell = Callable[[str, Any], str]
# Fields whose slugs a Chinese workbook shows by their names in the catalogue
# (status.active → 在库, light_reason.stage → 阶段停留), as the human formats do.
VOCABULARY_KEYS = NAMED_KEYS


def text_xml(value: str) -> str:
    """A text as the content of <t>: escaped, control characters as _xHHHH_."""
    if _SPECIAL.search(value):
        value = _LITERAL_ESCAPE.sub(r"_x005F_\1", value)
        value = escape(value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


def _string(ref: str, value: str, style: str = "") -> str:
    body = text_xml(value)
    if body[:1].isspace() or body[-1:].isspace():
        return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{body}</t></is></c>'


def number_xml(value: Any) -> str:
    """A number's digits for <v>: a Decimal as written (no exponent), a float by repr."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return str(int(value))


def excel_day(value: Any) -> int | None:
    """A date (or YYYY-MM-DD text) as Excel's day number, or None when it is not one."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            return None
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.date):
        return value.toordinal() - _EPOCH_ORDINAL
    return None


def _s(index: int) -> str:
    return f' s="{index}"' if index else ""


CellKind = Literal["date", "light", "percent", "named", "yes_no", "value"]


def cell_kind(column: Column, lang: str, date_keys: frozenset[str]) -> CellKind:
    """How a workbook writes the values of `column`: the one choice both writers (this and XlsxWriter's) make.

    date: a date cell; light: its label on its fill; percent: a percent
    cell; named: a vocabulary's Chinese names (zh); yes_no: 是/否 (zh);
    value: as the value's type says (text, boolean, amount, number).
    """
    if column.key in date_keys or column.kind == "date":
        return "date"
    if column.kind in ("light", "percent"):
        return "light" if column.kind == "light" else "percent"
    if lang == "zh" and column.kind == "text" and column.key in VOCABULARY_KEYS:
        return "named"
    if lang == "zh" and column.kind == "bool":
        return "yes_no"
    return "value"


def excel_text(kind: CellKind, column: Column, value: Any, lang: str, labelled: frozenset[str]) -> str:
    """The text of a cell that is written as text, as the workbook shows it."""
    if kind == "named":
        from ..i18n import label as vocabulary_label

        return vocabulary_label(value, VOCABULARY_KEYS[column.key], lang)
    if kind == "yes_no":
        return "是" if value else "否"
    if lang == "zh" and (kind == "light" or column.kind in labelled):
        return label(value, column.kind, lang)
    if isinstance(value, (dict, list)):
        # A role's districts, an edit's changes: the JSON's text in en, as people read them in zh.
        if lang == "zh":
            from . import human_cell

            return human_cell(value, column, lang)
        from .jsontext import to_json

        return to_json(value)
    return str(value)


def cell_writer(column: Column, lang: str, date_keys: frozenset[str], labelled: frozenset[str]) -> Cell:
    """The function that writes one value of `column` (never None) as a <c> at `ref`."""
    kind = column.kind
    chosen = cell_kind(column, lang, date_keys)
    if chosen == "date":
        date_style = _s(DATE)

        def date(ref: str, value: Any) -> str:
            day = excel_day(value)
            if day is None:
                return _string(ref, str(value))
            return f'<c r="{ref}"{date_style}><v>{day}</v></c>'

        return date
    if chosen == "light":
        styles = {light: _s(index) for light, index in LIGHT_STYLE.items()}

        def light(ref: str, value: Any) -> str:
            return _string(ref, excel_text(chosen, column, value, lang, labelled), styles.get(value, ""))

        return light
    if chosen == "percent":
        percent_style = _s(PERCENT)

        def percent(ref: str, value: Any) -> str:
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                return f'<c r="{ref}"{percent_style}><v>{number_xml(value)}</v></c>'
            return _string(ref, str(value))

        return percent
    if chosen in ("named", "yes_no"):

        def named(ref: str, value: Any) -> str:
            return _string(ref, excel_text(chosen, column, value, lang, labelled))

        return named
    amount_style = _s(AMOUNT)
    use_label = lang == "zh" and kind in labelled

    def text(ref: str, value: Any) -> str:
        if isinstance(value, str):
            return _string(ref, label(value, kind, lang) if use_label else value)
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, Decimal):
            return f'<c r="{ref}"{amount_style}><v>{format(value, "f")}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{number_xml(value)}</v></c>'
        return _string(ref, excel_text(chosen, column, value, lang, labelled))

    return text


def keys(columns: Sequence[Column]) -> list[str]:
    return [column.key for column in columns]


def tuple_row_writer(fields: Sequence[Any], names: Sequence[str], writers: Sequence[Cell]) -> Callable[[Any, str], str]:
    """The function that writes one project tuple (of `fields`, fields.Field) as a <row>, row number given as text.

    Made once per sheet from the fields' kinds (as formats.line_writer is): an
    id, a count, an amount, the key and the light are one expression each,
    with the cell the record path writes for the same value; text and dates go
    through their column's cell writer (`writers`), which escapes them.
    """
    parts = []
    for index, (f, letter) in enumerate(zip(fields, names, strict=True)):
        value, ref = f"r[{index}]", f"'{letter}' + n"
        if f.kind == "int":
            cell = f"'<c r=\"{letter}' + n + '\"><v>%d</v></c>' % {value}"
        elif f.kind == "money":
            cell = f"'<c r=\"{letter}' + n + '\"{_s(AMOUNT)}><v>' + {value} + '</v></c>'"
        elif f.kind == "bool":
            cell = f"'<c r=\"{letter}' + n + '\" t=\"b\"><v>' + ('1' if {value} else '0') + '</v></c>'"
        elif f.display == "light":
            inline = (
                f"'<c r=\"{letter}' + n + '\"' + _lights[{value}] + ' t=\"inlineStr\"><is><t>' + {value}"
                " + '</t></is></c>'"
            )
            cell = f"({inline} if {value} in _lights else _w[{index}]({ref}, {value}))"
        else:
            cell = f"_w[{index}]({ref}, {value})"
        parts.append(f"('' if {value} is None else {cell})")
    body = "''.join(('<row r=\"', n, '\">', " + ", ".join(parts) + ", '</row>'))"
    namespace: dict[str, Any] = {"_w": list(writers), "_lights": {light: _s(i) for light, i in LIGHT_STYLE.items()}}
    exec(f"def row(r, n):\n    return {body}\n", namespace)
    return namespace["row"]  # type: ignore[no-any-return]


def letters(index: int) -> str:
    """A column's letters: 0 → A, 26 → AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


class _SheetResult:
    def __init__(self, name: str, count: int, filter_ref: str | None, dimension: str) -> None:
        self.name, self.count, self.filter_ref, self.dimension = name, count, filter_ref, dimension


def _write_sheet(
    stream: Any,
    sheet: Sheet,
    name: str,
    style: Style,
    widths: Sequence[float],
    header: Callable[[Column, str], str],
    date_keys: frozenset[str],
    labelled: frozenset[str],
    selected: bool,
) -> _SheetResult:
    def put(text: str) -> None:
        stream.write(text.encode("utf-8"))

    columns = list(sheet.columns)
    lang = style.lang
    view = ' tabSelected="1"' if selected else ""
    if not columns:
        put(f'<sheetViews><sheetView{view} workbookViewId="0"/></sheetViews>')
        put('<sheetFormatPr defaultRowHeight="15"/><cols><col min="1" max="1" width="40" customWidth="1"/></cols>')
        put(f'<sheetData><row r="1">{_string("A1", sheet.empty_note or "")}</row></sheetData>')
        put('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
        return _SheetResult(name, 0, None, "A1")
    if style.header:
        put(
            f'<sheetViews><sheetView{view} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        )
    else:
        put(f'<sheetViews><sheetView{view} workbookViewId="0"/></sheetViews>')
    put('<sheetFormatPr defaultRowHeight="15"/><cols>')
    put(
        "".join(f'<col min="{i + 1}" max="{i + 1}" width="{width}" customWidth="1"/>' for i, width in enumerate(widths))
    )
    put("</cols><sheetData>")
    names = [letters(index) for index in range(len(columns))]
    row = 1
    if style.header:
        header_style = _s(HEADER)
        put(
            '<row r="1">'
            + "".join(_string(f"{n}1", header(c, lang), header_style) for n, c in zip(names, columns, strict=True))
            + "</row>"
        )
        row = 2
    first = row
    plan = [
        (column.key, name_, cell_writer(column, lang, date_keys, labelled))
        for column, name_ in zip(columns, names, strict=True)
    ]
    batch: list[str] = []
    fields = sheet.fields
    if sheet.rows is not None and fields is not None and lang == "en" and [f.name for f in fields] == keys(columns):
        # Projects straight from their tuples: one generated expression per cell.
        line = tuple_row_writer(fields, names, [write for _, _, write in plan])
        for values in sheet.rows:
            batch.append(line(values, str(row)))
            row += 1
            if len(batch) >= _BATCH:
                put("".join(batch))
                batch.clear()
    else:
        for record in sheet.records:
            get = record.get
            number = str(row)
            cells = [f'<row r="{number}">']
            for key, letter, write in plan:
                value = get(key)
                if value is not None:
                    cells.append(write(letter + number, value))
            cells.append("</row>")
            batch.append("".join(cells))
            row += 1
            if len(batch) >= _BATCH:
                put("".join(batch))
                batch.clear()
    put("".join(batch))
    count = row - first
    if sheet.footer is not None:
        number = str(row)
        cells = [f'<row r="{number}">']
        for column, letter in zip(columns, names, strict=True):
            value = sheet.footer.get(column.key)
            ref = letter + number
            if value is None:
                cells.append(f'<c r="{ref}"{_s(BOLD)}/>')
            elif isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                bold = BOLD_AMOUNT if isinstance(value, Decimal) else BOLD
                cells.append(f'<c r="{ref}"{_s(bold)}><v>{number_xml(value)}</v></c>')
            else:
                cells.append(_string(ref, label(value, column.kind, lang), _s(BOLD)))
        cells.append("</row>")
        put("".join(cells))
    put("</sheetData>")
    filter_ref = None
    if style.header and count:
        filter_ref = f"A1:{names[-1]}{first + count - 1}"
        put(f'<autoFilter ref="{filter_ref}"/>')
    put('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    last_row = row if sheet.footer is not None else row - 1
    return _SheetResult(name, count, filter_ref, f"A1:{names[-1]}{max(last_row, 1)}")


def _styles(amount: str, date: str, percent: str, fills: dict[str, str], fonts: dict[str, str]) -> str:
    lights = ("green", "yellow", "red")
    font_xml = '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    font_xml += '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    font_xml += "".join(
        f'<font><sz val="11"/><color rgb="FF{fonts[light].lstrip("#")}"/><name val="Calibri"/><family val="2"/></font>'
        for light in lights
    )
    fill_xml = '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    fill_xml += "".join(
        f'<fill><patternFill patternType="solid"><fgColor rgb="FF{fills[light].lstrip("#")}"/>'
        '<bgColor indexed="64"/></patternFill></fill>'
        for light in lights
    )
    border_xml = "<border><left/><right/><top/><bottom/><diagonal/></border>"
    border_xml += '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    border_xml += '<border><left/><right/><top style="thin"><color auto="1"/></top><bottom/><diagonal/></border>'
    xfs = [
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" '
        'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>',
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
        '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>',
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="2" xfId="0" applyFont="1" applyBorder="1"/>',
        '<xf numFmtId="164" fontId="1" fillId="0" borderId="2" xfId="0" applyNumberFormat="1" applyFont="1" '
        'applyBorder="1"/>',
    ]
    xfs += [
        f'<xf numFmtId="0" fontId="{2 + i}" fillId="{2 + i}" borderId="0" xfId="0" applyFont="1" applyFill="1"/>'
        for i in range(3)
    ]
    return (
        _HEAD + f'<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="3"><numFmt numFmtId="164" formatCode={quoteattr(amount)}/>'
        f'<numFmt numFmtId="165" formatCode={quoteattr(date)}/><numFmt numFmtId="166" formatCode={quoteattr(percent)}/>'
        f'</numFmts><fonts count="5">{font_xml}</fonts><fills count="5">{fill_xml}</fills>'
        f'<borders count="3">{border_xml}</borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
        'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
    )


def write(
    out: BinaryIO,
    sheets: Sequence[Sheet],
    style: Style,
    *,
    names: Sequence[str],
    widths: Callable[[Column], float],
    header: Callable[[Column, str], str],
    date_keys: frozenset[str],
    labelled: frozenset[str],
    formats: dict[str, str],
    fills: dict[str, str],
    fonts: dict[str, str],
) -> int:
    """The sheets as one workbook on `out` (seekable or not); returns the records written."""
    results: list[_SheetResult] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for index, (sheet, name) in enumerate(zip(sheets, names, strict=True)):
            # The rows go to a temporary file first: the sheet's <dimension>, which readers
            # such as openpyxl's read-only mode rely on, comes before them.
            with tempfile.TemporaryFile() as rows:
                column_widths = [widths(column) for column in sheet.columns]
                result = _write_sheet(rows, sheet, name, style, column_widths, header, date_keys, labelled, index == 0)
                results.append(result)
                rows.seek(0)
                with package.open(f"xl/worksheets/sheet{index + 1}.xml", "w") as stream:
                    opening = f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{result.dimension}"/>'
                    stream.write((_HEAD + opening).encode())
                    shutil.copyfileobj(rows, stream, 1 << 20)
        count = len(results)
        sheet_entries = "".join(
            f'<sheet name={quoteattr(r.name)} sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, r in enumerate(results)
        )
        defined = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{escape(_quoted(r.name))}!{_absolute(r.filter_ref)}</definedName>"
            for i, r in enumerate(results)
            if r.filter_ref
        )
        package.writestr(
            "xl/workbook.xml",
            _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f"<sheets>{sheet_entries}</sheets>"
            + (f"<definedNames>{defined}</definedNames>" if defined else "")
            + "</workbook>",
        )
        package.writestr(
            "xl/_rels/workbook.xml.rels",
            _HEAD
            + f'<Relationships xmlns="{_PKG_REL}">'
            + "".join(
                f'<Relationship Id="rId{i + 1}" Type="{_REL}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(count)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
        )
        package.writestr("xl/styles.xml", _styles(formats["amount"], formats["date"], formats["percent"], fills, fonts))
        package.writestr(
            "_rels/.rels",
            _HEAD + f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(count)
        )
        package.writestr(
            "[Content_Types].xml",
            _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheet_types}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        )
    return sum(r.count for r in results)


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str | None) -> str:
    assert ref is not None
    return ":".join("$" + re.sub(r"(\d+)", r"$\1", part) for part in ref.split(":"))
