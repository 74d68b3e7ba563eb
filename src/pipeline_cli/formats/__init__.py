"""The only place that knows table, json, jsonl, csv, tsv and markdown.

Records are plain dicts keyed by field name. Machine formats (json, jsonl,
csv, tsv) always carry slugs and the contract's keys; the human formats
(table, markdown) carry labels in the chosen language. Everything but
`table` streams row by row, so a million projects never sit in memory;
rich is imported only when a table is drawn.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from ..model import PROJECT_FIELDS, RECORD_FIELDS, STAGE_BY_SLUG, sector_label

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")


@dataclass(frozen=True)
class Column:
    """A field shown in tabular output, with its headers in both languages.

    kind picks how a human format shows the value: text, number, stage,
    sector, light, bool, percent.
    """

    key: str
    en: str
    zh: str
    kind: str = "text"

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Style:
    """How human formats look: label language and whether colour is allowed."""

    lang: str = "en"
    color: bool = False
    header: bool = True


# --- values --------------------------------------------------------------


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Amounts are exact Decimals with at most 4 places; the float nearest
        # to such a value prints back as the same digits, so the JSON text is
        # exact. Totals are summed as integers before they get here.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(value: Any, *, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default, indent=indent)


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


def _write_json_value(write: Any, value: Any, depth: int) -> None:
    if isinstance(value, dict):
        if not value:
            write("{}")
        elif not _KEY_TYPES.issuperset(map(type, value)):
            write(_reindent(to_json(value, indent=2), depth))
        elif _SCALAR_TYPES.issuperset(map(type, value.values())):
            text = _flat_encoder(depth + 1).encode(value)
            write("{\n" + "  " * (depth + 1) + text[1:-1] + "\n" + "  " * depth + "}")
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
        elif _SCALAR_TYPES.issuperset(map(type, value)):
            text = _flat_encoder(depth + 1).encode(list(value))
            write("[\n" + "  " * (depth + 1) + text[1:-1] + "\n" + "  " * depth + "]")
        else:
            inner = "  " * (depth + 1)
            write("[")
            for index, item in enumerate(value):
                write(("\n" if index == 0 else ",\n") + inner)
                _write_json_value(write, item, depth + 1)
            write("\n" + "  " * depth + "]")
    else:
        write(to_json(value))


def _reindent(text: str, depth: int) -> str:
    return text.replace("\n", "\n" + "  " * depth)


def plain(value: Any) -> str:
    """A value as CSV/TSV text: slugs as they are, booleans true/false, null empty."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return to_json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


_LIGHT_LABELS = {
    "en": {"green": "green", "yellow": "yellow", "red": "red"},
    "zh": {"green": "绿灯", "yellow": "黄灯", "red": "红灯"},
}
LIGHT_COLORS = {"green": "green", "yellow": "yellow", "red": "red"}


def label(value: Any, kind: str, lang: str) -> str:
    """A value as people read it: Chinese names beside slugs, percentages."""
    if value is None:
        return ""
    if kind == "stage" and value in STAGE_BY_SLUG:
        zh = STAGE_BY_SLUG[value].name_zh
        return zh if lang == "zh" else f"{value} {zh}"
    if kind == "sector":
        sector_zh = sector_label(value)
        if sector_zh is not None:
            return sector_zh if lang == "zh" else f"{value} {sector_zh}"
    if kind == "light":
        return _LIGHT_LABELS["zh" if lang == "zh" else "en"].get(value, str(value))
    if kind == "bool":
        return "✓" if value else ""
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    return plain(value)


# --- writers -------------------------------------------------------------


def write_records(
    out: TextIO,
    records: Iterable[dict[str, Any]],
    columns: Sequence[Column],
    fmt: str,
    style: Style,
    *,
    brief: Sequence[Column] | None = None,
    title: str | None = None,
) -> int:
    """Write records in `fmt`; returns how many were written.

    json/jsonl carry every key of each record; csv/tsv the `columns` given,
    in that order; table and markdown the `brief` columns when given.
    """
    if fmt in ("table", "markdown") and brief is not None:
        columns = brief
    if fmt == "json":
        return _write_json_array(out, records)
    if fmt == "jsonl":
        count = 0
        for record in records:
            out.write(to_json(record) + "\n")
            count += 1
        return count
    if fmt in ("csv", "tsv"):
        return _write_delimited(out, records, columns, "," if fmt == "csv" else "\t", style.header)
    if fmt == "markdown":
        return _write_markdown(out, records, columns, style, title=title)
    return _write_table(out, records, columns, style, title=title)


def _write_json_array(out: TextIO, records: Iterable[dict[str, Any]]) -> int:
    count = 0
    out.write("[")
    for record in records:
        out.write(("\n  " if count == 0 else ",\n  ") + to_json(record))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _write_delimited(
    out: TextIO, records: Iterable[dict[str, Any]], columns: Sequence[Column], delimiter: str, header: bool
) -> int:
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    keys = [column.key for column in columns]
    if header:
        writer.writerow(keys)
    count = 0
    for record in records:
        writer.writerow([plain(record.get(key)) for key in keys])
        count += 1
    return count


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _write_markdown(
    out: TextIO, records: Iterable[dict[str, Any]], columns: Sequence[Column], style: Style, *, title: str | None
) -> int:
    if title:
        out.write(f"### {title}\n\n")
    numeric = {"number", "percent"}
    if style.header:
        out.write("| " + " | ".join(_markdown_cell(c.header(style.lang)) for c in columns) + " |\n")
        out.write("|" + "|".join("---:" if c.kind in numeric else "---" for c in columns) + "|\n")
    count = 0
    for record in records:
        cells = [_markdown_cell(label(record.get(c.key), c.kind, style.lang)) for c in columns]
        out.write("| " + " | ".join(cells) + " |\n")
        count += 1
    return count


def _write_table(
    out: TextIO, records: Iterable[dict[str, Any]], columns: Sequence[Column], style: Style, *, title: str | None
) -> int:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=title,
        show_header=style.header,
        header_style="bold",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for column in columns:
        # Numbers, flags and lights stay on one line. Labels wrap between slug
        # and Chinese name, and free text keeps at least a few cells, so an
        # 80-column terminal still shows every column readably.
        table.add_column(
            column.header(style.lang),
            justify="right" if column.kind in ("number", "percent") else "left",
            no_wrap=column.kind in ("number", "percent", "bool", "light"),
            min_width=6 if column.kind == "text" else None,
            # Chinese text has no spaces to wrap at: fold it by character.
            overflow="fold",
        )
    count = 0
    for record in records:
        cells = []
        for column in columns:
            value = record.get(column.key)
            text = label(value, column.kind, style.lang)
            if column.kind == "light" and value in LIGHT_COLORS:
                cells.append(Text("● " + text, style=LIGHT_COLORS[value]))
            else:
                cells.append(Text(text))
        table.add_row(*cells)
        count += 1
    print_rich(out, table, style)
    return count


def print_rich(out: TextIO, renderable: Any, style: Style) -> None:
    """Print any rich renderable to `out`, colour only when allowed."""
    from rich.console import Console

    # In a pipe there is no terminal width to respect: let tables be as wide
    # as their content instead of wrapping at 80 columns.
    width = None if _isatty(out) else 1000
    # Without colour, no escape codes at all (not even bold): NO_COLOR and a
    # pipe get plain text, whatever FORCE_COLOR or TERM say.
    console = Console(
        file=out,
        no_color=not style.color,
        color_system="auto" if style.color else None,
        highlight=False,
        soft_wrap=False,
        width=width,
    )
    console.print(renderable)


def _isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def write_object(out: TextIO, record: dict[str, Any], columns: Sequence[Column], fmt: str, style: Style) -> None:
    """One object: JSON as an object, jsonl as one line, others as a one-row table."""
    if fmt == "json":
        write_json(out, record)
    elif fmt == "table":
        _write_fields(out, record, columns, style)
    else:
        write_records(out, [record], columns, fmt, style)


def _write_fields(out: TextIO, record: dict[str, Any], columns: Sequence[Column], style: Style) -> None:
    """A single record as a two-column field/value table, for `show`."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, padding=(0, 2, 0, 0))
    table.add_column(style="bold")
    table.add_column()
    for column in columns:
        value = record.get(column.key)
        text = label(value, column.kind, style.lang)
        if column.kind == "light" and value in LIGHT_COLORS:
            table.add_row(column.header(style.lang), Text("● " + text, style=LIGHT_COLORS[value]))
        else:
            table.add_row(column.header(style.lang), Text(text))
    print_rich(out, table, style)


# --- the columns of each kind of record ----------------------------------------

PROJECT_COLUMNS = (
    Column("id", "ID", "编号", "number"),
    Column("name", "Name", "项目名称"),
    Column("sector", "Sector", "产业领域", "sector"),
    Column("stage", "Stage", "进度", "stage"),
    Column("status", "Status", "状态"),
    Column("investment", "亿元", "投资(亿元)", "number"),
    Column("key", "Key", "重点", "bool"),
    Column("district", "District", "区市"),
    Column("unit", "Unit", "责任单位"),
    Column("lead", "Lead", "包联领导"),
    Column("note", "Note", "备注"),
    Column("source", "Source", "来源"),
    Column("stage_since", "Since", "进入阶段日期"),
    Column("days_in_stage", "Days", "停留天数", "number"),
    Column("light", "Light", "亮灯", "light"),
)
_BRIEF_PROJECT_KEYS = ("id", "name", "sector", "stage", "investment", "key", "district", "days_in_stage", "light")
PROJECT_BRIEF_COLUMNS = tuple(c for c in PROJECT_COLUMNS if c.key in _BRIEF_PROJECT_KEYS)

EVENT_COLUMNS = (
    Column("id", "Event", "事件", "number"),
    Column("project_id", "Project", "项目编号", "number"),
    Column("project", "Name", "项目名称"),
    Column("kind", "Kind", "类型"),
    Column("from", "From", "原阶段", "stage"),
    Column("to", "To", "新阶段", "stage"),
    Column("date", "Date", "日期"),
    Column("recorded_at", "Recorded (UTC)", "记录时间(UTC)"),
    Column("note", "Note", "说明"),
    Column("by", "By", "操作人"),
    Column("changes", "Changes", "修改内容"),
    Column("change", "Change", "变更号", "number"),
    Column("undoes", "Undoes", "撤销", "number"),
)
_BRIEF_EVENT_KEYS = ("id", "project_id", "project", "kind", "from", "to", "date", "note", "by", "changes")
EVENT_BRIEF_COLUMNS = tuple(c for c in EVENT_COLUMNS if c.key in _BRIEF_EVENT_KEYS)

STAGE_COLUMNS = (
    Column("position", "#", "序号", "number"),
    Column("stage", "Stage", "阶段"),
    Column("name_zh", "中文", "中文"),
    Column("name_en", "English", "英文"),
    Column("yellow_days", "Yellow (days)", "黄灯(天)", "number"),
    Column("red_days", "Red (days)", "红灯(天)", "number"),
)

SECTOR_COLUMNS = (
    Column("position", "#", "序号", "number"),
    Column("sector", "Sector", "产业领域"),
    Column("name_zh", "中文", "中文"),
    Column("name_en", "English", "英文"),
)

# `check`: one record per violation found.
CHECK_COLUMNS = (
    Column("check", "Check", "检查项"),
    Column("project_id", "Project", "项目编号", "number"),
    Column("event_id", "Event", "事件", "number"),
    Column("message", "Problem", "问题"),
)


# --- export files (import takes them back) ----------------------------------------


def _csv_cell(text: str) -> str:
    # Quote any cell with a comma, quote or line break. (The csv module leaves
    # a lone carriage return unquoted when lines end in \n, and a reader then
    # splits the row there.)
    if any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_export(out: TextIO, records: Iterable[dict[str, Any]], fmt: str, *, bom: bool = False) -> int:
    """Exported projects as csv, json or jsonl; returns how many.

    csv: one header line of RECORD_FIELDS, then one line per project, its
    text cells already made formula-safe by records.csv_cells.
    """
    from ..records import csv_cells

    if bom:
        out.write("\ufeff")
    if fmt != "csv":
        return write_records(out, records, (), fmt, Style())
    out.write(",".join(RECORD_FIELDS) + "\n")
    count = 0
    for record in records:
        out.write(",".join(_csv_cell(cell) for cell in csv_cells(record)) + "\n")
        count += 1
    return count


# --- plain project rows (lights) --------------------------------------------------


def write_plain_projects(out: TextIO, rows: Iterable[Sequence[Any]], fmt: str, style: Style) -> None:
    """Projects as store's plain tuples (model.PROJECT_FIELDS order), in json, jsonl, csv or tsv.

    The same text write_records gives for project objects, without a dict
    per row: a million lights stream at the speed of the csv module.
    """
    from json.encoder import encode_basestring as text

    if fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        if style.header:
            writer.writerow(PROJECT_FIELDS)
        writer.writerows(rows)
        return

    def s(value: str | None) -> str:
        return "null" if value is None else text(value)

    # Slugs, statuses, sources, ISO dates and lights never need escaping
    # (the schema and the store guarantee their characters); free text does.
    template = (
        '{"id": %d, "name": %s, "sector": "%s", "stage": "%s", "status": "%s", "investment": %s, "key": %s,'
        ' "district": %s, "unit": %s, "lead": %s, "note": %s, "source": "%s", "stage_since": "%s",'
        ' "days_in_stage": %d, "light": %s}'
    )
    write = out.write
    first = True
    if fmt == "json":
        write("[")
    for r in rows:
        line = template % (
            r[0],
            text(r[1]),
            r[2],
            r[3],
            r[4],
            "null" if r[5] is None else repr(r[5]),
            r[6],
            s(r[7]),
            s(r[8]),
            s(r[9]),
            s(r[10]),
            r[11],
            r[12],
            r[13],
            "null" if r[14] is None else '"' + r[14] + '"',
        )
        if fmt == "json":
            write(("\n  " if first else ",\n  ") + line)
        else:
            write(line + "\n")
        first = False
    if fmt == "json":
        write("]\n" if first else "\n]\n")


LIGHTS_BRIEF_COLUMNS = tuple(
    c
    for c in PROJECT_COLUMNS
    if c.key in ("id", "name", "sector", "stage", "investment", "unit", "stage_since", "days_in_stage", "light")
)
