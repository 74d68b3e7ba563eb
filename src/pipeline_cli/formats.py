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
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from .model import SECTOR_BY_SLUG, STAGE_BY_SLUG

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
    if kind == "sector" and value in SECTOR_BY_SLUG:
        zh = SECTOR_BY_SLUG[value].name_zh
        return zh if lang == "zh" else f"{value} {zh}"
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
    from .model import RECORD_FIELDS
    from .records import csv_cells

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


# --- reports: summary, funnel, lights, the dispatch report --------------------------
# Each report is a reports.* dataclass, drawn here in every format: json with
# the contract's keys; jsonl, csv and tsv as long rows (one per group, stage,
# project or report line); table (rich) and markdown for people, markdown
# written to be pasted into the meeting's minutes.

_COUNT = Column("count", "Projects", "项目数", "number")
_INVESTMENT = Column("investment", "Investment (亿元)", "计划投资(亿元)", "number")
_FIELD_COLUMNS = {c.key: c for c in PROJECT_COLUMNS}
_NONE_LABEL = {"en": "(none)", "zh": "(未填)"}
_KEY_LABEL = {"en": ("key", "other"), "zh": ("重点", "非重点")}
_TOTAL_LABEL = {"en": "Total", "zh": "合计"}


def _words(style: Style, en: str, zh: str) -> str:
    return zh if style.lang == "zh" else en


def _group_label(field: str, value: Any, lang: str) -> str:
    if value is None:
        return _NONE_LABEL[lang]
    if field == "key":
        return _KEY_LABEL[lang][0 if value else 1]
    kind = _FIELD_COLUMNS[field].kind if field in ("sector", "stage") else "text"
    return label(value, kind, lang)


def _yi(total: Any) -> str:
    return plain(total.investment)


def _write_object_json(out: TextIO, value: Any) -> None:
    write_json(out, value)


def _write_jsonl(out: TextIO, records: Iterable[dict[str, Any]]) -> None:
    for record in records:
        out.write(to_json(record) + "\n")


def _markdown_table(
    out: TextIO, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[bool]
) -> None:
    out.write("| " + " | ".join(_markdown_cell(h) for h in headers) + " |\n")
    out.write("|" + "|".join("---:" if n else "---" for n in numeric) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(_markdown_cell(cell) for cell in row) + " |\n")


def _rich_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    numeric: Sequence[bool],
    *,
    title: str | None = None,
    caption: str | None = None,
    footer: Sequence[str] | None = None,
) -> Any:
    """A report table in the look of write_records' tables; a footer line carries totals."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=title,
        caption=caption,
        header_style="bold",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE,
        pad_edge=False,
        collapse_padding=True,
        show_footer=footer is not None,
    )
    for index, (header, is_number) in enumerate(zip(headers, numeric, strict=True)):
        table.add_column(
            header,
            justify="right" if is_number else "left",
            footer=footer[index] if footer is not None else "",
            footer_style="bold",
            overflow="fold",
        )
    for row in rows:
        table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in row))
    return table


# --- plain project rows (lights) --------------------------------------------------


def write_plain_projects(out: TextIO, rows: Iterable[Sequence[Any]], fmt: str, style: Style) -> None:
    """Projects as store's plain tuples (model.PROJECT_FIELDS order), in json, jsonl, csv or tsv.

    The same text write_records gives for project objects, without a dict
    per row: a million lights stream at the speed of the csv module.
    """
    from json.encoder import encode_basestring as text

    from .model import PROJECT_FIELDS

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


# --- summary ---------------------------------------------------------------------


def summary_json(summary: Any) -> dict[str, Any]:
    """{"by": [...], "groups": [{<by fields>, "count", "investment"}], "total": {"count", "investment"}}."""
    return {
        "by": list(summary.by),
        "groups": [
            {**dict(zip(summary.by, group.values, strict=True)), **group.total.as_json()} for group in summary.groups
        ],
        "total": summary.total.as_json(),
    }


def write_summary(out: TextIO, summary: Any, fmt: str, style: Style) -> None:
    """A reports.Summary: groups with a total; two --by fields as a matrix for people, long rows for machines."""
    if fmt == "json":
        _write_object_json(out, summary_json(summary))
        return
    body = summary_json(summary)
    rows = body["groups"] if summary.by else [body["total"]]
    if fmt == "jsonl":
        _write_jsonl(out, rows)
        return
    if fmt in ("csv", "tsv"):
        columns = [*(Column(field, field, field) for field in summary.by), _COUNT, _INVESTMENT]
        _write_delimited(out, rows, columns, "," if fmt == "csv" else "\t", style.header)
        return
    if len(summary.by) == 2:
        _write_cross_table(out, summary, fmt, style)
        return
    lang = style.lang
    headers = [
        *(_FIELD_COLUMNS[field].header(lang) for field in summary.by),
        _COUNT.header(lang),
        _INVESTMENT.header(lang),
    ]
    numeric = [*(False for _ in summary.by), True, True]
    lines = [
        [
            *(_group_label(f, v, lang) for f, v in zip(summary.by, g.values, strict=True)),
            str(g.total.count),
            _yi(g.total),
        ]
        for g in summary.groups
    ]
    total = [*([_TOTAL_LABEL[lang]] + [""] * (len(summary.by) - 1) if summary.by else []), str(summary.total.count)]
    total.append(_yi(summary.total))
    if not summary.by:
        lines, footer = [total], None
    else:
        footer = total
    if fmt == "markdown":
        bold = [[f"**{cell}**" if cell else "" for cell in footer]] if footer else []
        _markdown_table(out, headers, [*lines, *bold], numeric)
    else:
        print_rich(out, _rich_table(headers, lines, numeric, footer=footer), style)


def _write_cross_table(out: TextIO, summary: Any, fmt: str, style: Style) -> None:
    """Rows of the first --by, columns of the second, each cell 'projects / 亿元', totals on both edges."""
    from .reports import cross_table

    matrix = cross_table(summary)
    lang = style.lang

    def cell(total: Any) -> str:
        return f"{total.count} / {_yi(total)}" if total.count else "·"

    corner = f"{_FIELD_COLUMNS[matrix.row_field].header(lang)} ↓ {_FIELD_COLUMNS[matrix.column_field].header(lang)} →"
    headers = [corner, *(_group_label(matrix.column_field, c, lang) for c in matrix.columns), _TOTAL_LABEL[lang]]
    numeric = [False, *(True for _ in matrix.columns), True]
    lines = [
        [_group_label(matrix.row_field, row, lang), *(cell(c) for c in cells), cell(total)]
        for row, cells, total in zip(matrix.rows, matrix.cells, matrix.row_totals, strict=True)
    ]
    total = [_TOTAL_LABEL[lang], *(cell(c) for c in matrix.column_totals), cell(matrix.total)]
    note = _words(style, "Each cell: projects / 亿元.", "单元格:项目数 / 计划投资(亿元)。")
    if fmt == "markdown":
        _markdown_table(out, headers, [*lines, [f"**{c}**" for c in total]], numeric)
        out.write(f"\n{note}\n")
    else:
        print_rich(out, _rich_table(headers, lines, numeric, footer=total, caption=note), style)


# --- funnel ----------------------------------------------------------------------


def funnel_json(funnel: Any) -> dict[str, Any]:
    """{"stages": [{"stage", "reached", "investment", "conversion"}]}."""
    return {
        "stages": [
            {
                "stage": stage.stage,
                "reached": stage.reached.count,
                "investment": stage.reached.investment,
                "conversion": stage.conversion,
            }
            for stage in funnel.stages
        ]
    }


_FUNNEL_COLUMNS = (
    Column("stage", "Stage", "阶段", "stage"),
    Column("reached", "Reached", "达到及以上", "number"),
    _INVESTMENT,
    Column("conversion", "Conversion", "转化率", "percent"),
)
_BAR_WIDTH = 40


def write_funnel(out: TextIO, funnel: Any, fmt: str, style: Style) -> None:
    """A reports.Funnel; the table draws a bar per stage so the drop from one to the next shows at a glance."""
    rows = funnel_json(funnel)["stages"]
    if fmt == "json":
        _write_object_json(out, {"stages": rows})
    elif fmt == "jsonl":
        _write_jsonl(out, rows)
    elif fmt in ("csv", "tsv"):
        _write_delimited(out, rows, _FUNNEL_COLUMNS, "," if fmt == "csv" else "\t", style.header)
    elif fmt == "markdown":
        _write_markdown(out, rows, _FUNNEL_COLUMNS, style, title=None)
    else:
        from rich.bar import Bar

        widest = max((row["reached"] for row in rows), default=0) or 1
        headers = [c.header(style.lang) for c in _FUNNEL_COLUMNS] + [""]
        lines = [
            [
                *(label(row[c.key], c.kind, style.lang) for c in _FUNNEL_COLUMNS),
                Bar(size=widest, begin=0, end=row["reached"], width=_BAR_WIDTH, color="cyan"),
            ]
            for row in rows
        ]
        print_rich(out, _rich_table(headers, lines, [False, True, True, True, False]), style)


# --- the dispatch report ----------------------------------------------------------


def _entry_json(entry: Any, kind: str) -> dict[str, Any]:
    record: dict[str, Any] = {"date": entry.date, "id": entry.id, "name": entry.name, "sector": entry.sector}
    if kind == "moves":
        record.update({"from": entry.from_, "to": entry.to})
    else:
        record["stage"] = entry.stage
    record["investment"] = entry.investment
    record["reason" if kind == "dropped" else "note"] = entry.note
    record["by"] = entry.by
    return record


def report_json(report: Any) -> dict[str, Any]:
    """{"period", "totals", "moves", "added", "dropped", "lights", "funnel", "by_sector"}.

    lights, funnel and by_sector are exactly what `lights`, `funnel` and
    `summary --by sector` print. "lights" is a generator, read once, so a
    report of a million projects streams.
    """
    totals = report.totals
    return {
        "period": {"from": report.period.since.isoformat(), "to": report.period.until.isoformat()},
        "totals": {
            "start": {"date": report.period.before.isoformat(), **totals.start.as_json()},
            "end": {"date": report.period.until.isoformat(), **totals.end.as_json()},
            "change": totals.change.as_json(),
        },
        "moves": [_entry_json(entry, "moves") for entry in report.moves],
        "added": [_entry_json(entry, "added") for entry in report.added],
        "dropped": [_entry_json(entry, "dropped") for entry in report.dropped],
        "lights": (dict(project) for project in report.lights),
        "funnel": funnel_json(report.funnel),
        "by_sector": summary_json(report.by_sector),
    }


# Long rows of a report in csv and tsv: one line per total (at start, end or
# change), move, addition, drop, light, funnel stage and sector, the same
# columns for all; a drop's reason goes in note, a stage's reached in count.
REPORT_ROW_COLUMNS = (
    Column("section", "Section", "部分"),
    Column("at", "At", "时点"),
    Column("date", "Date", "日期"),
    Column("id", "ID", "编号", "number"),
    Column("name", "Name", "项目名称"),
    Column("sector", "Sector", "产业领域", "sector"),
    Column("stage", "Stage", "阶段", "stage"),
    Column("from", "From", "原阶段", "stage"),
    Column("to", "To", "新阶段", "stage"),
    Column("days_in_stage", "Days", "停留天数", "number"),
    Column("light", "Light", "亮灯", "light"),
    _COUNT,
    _INVESTMENT,
    Column("conversion", "Conversion", "转化率", "percent"),
    Column("note", "Note", "说明"),
)


def _report_lines(body: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The JSON report as long rows: {"section": ..., **item}."""
    for at in ("start", "end", "change"):
        yield {"section": "totals", "at": at, **body["totals"][at]}
    for section in ("moves", "added", "dropped", "lights"):
        for item in body[section]:
            yield {"section": section, **item}
    for stage in body["funnel"]["stages"]:
        yield {"section": "funnel", **stage}
    for group in body["by_sector"]["groups"]:
        yield {"section": "by_sector", **group}


def _report_csv_row(line: dict[str, Any]) -> dict[str, Any]:
    row = dict(line)
    if line["section"] == "funnel":
        row["count"] = line["reached"]
    if line["section"] == "dropped":
        row["note"] = line["reason"]
    return row


def write_report(out: TextIO, report: Any, fmt: str, style: Style) -> None:
    """A reports.DispatchReport: markdown for the minutes, a table on a terminal, json with the contract's keys."""
    body = report_json(report)
    if fmt == "json":
        _write_report_json(out, body)
    elif fmt == "jsonl":
        _write_jsonl(out, _report_lines(body))
    elif fmt in ("csv", "tsv"):
        rows = (_report_csv_row(line) for line in _report_lines(body))
        _write_delimited(out, rows, REPORT_ROW_COLUMNS, "," if fmt == "csv" else "\t", style.header)
    else:
        _write_report_document(out, report, body, fmt, style)


def _write_report_json(out: TextIO, body: dict[str, Any]) -> None:
    """The report object as json.dumps(body, indent=2) lays it out, its lights streamed one by one."""
    write = out.write
    write("{")
    for index, (key, value) in enumerate(body.items()):
        write(("\n" if index == 0 else ",\n") + "  " + to_json(key) + ": ")
        if key != "lights":
            _write_json_value(write, value, 1)
            continue
        first = True
        for project in value:
            write("[\n    " if first else ",\n    ")
            _write_json_value(write, project, 2)
            first = False
        write("[]" if first else "\n  ]")
    write("\n}\n")


@dataclass(frozen=True)
class _Section:
    title: str
    columns: Sequence[Column]
    # A list, or (lights) an iterable read once; `empty` says whether it has rows.
    records: Iterable[dict[str, Any]]
    empty: bool
    note: str | None = None
    footer: dict[str, Any] | None = None


def _report_sections(report: Any, body: dict[str, Any], style: Style) -> list[_Section]:
    def w(en: str, zh: str) -> str:
        return _words(style, en, zh)

    date = Column("date", "Date", "日期")
    project_id = Column("id", "ID", "编号", "number")
    name = Column("name", "Project", "项目名称")
    sector = Column("sector", "Sector", "产业领域", "sector")
    stage = Column("stage", "Stage", "阶段", "stage")
    totals = body["totals"]

    def signed(value: Any) -> str:
        return f"{value:+}" if isinstance(value, int) else f"{Decimal(value):+f}"

    total_records = [
        {"what": w(f"Start ({totals['start']['date']})", f"期初({totals['start']['date']})"), **totals["start"]},
        {"what": w(f"End ({totals['end']['date']})", f"期末({totals['end']['date']})"), **totals["end"]},
        {
            "what": w("Change", "变化"),
            "count": signed(totals["change"]["count"]),
            "investment": signed(totals["change"]["investment"]),
        },
    ]
    red, yellow = report.light_counts.get("red", 0), report.light_counts.get("yellow", 0)
    by_sector = body["by_sector"]
    return [
        _Section(w("Totals", "总体情况"), [Column("what", "", ""), _COUNT, _INVESTMENT], total_records, False),
        _Section(
            w(f"Stage moves ({len(report.moves)})", f"进度变动({len(report.moves)})"),
            [
                date,
                project_id,
                name,
                sector,
                Column("from", "From", "原阶段", "stage"),
                Column("to", "To", "新阶段", "stage"),
                Column("note", "Note", "说明"),
            ],
            body["moves"],
            not body["moves"],
        ),
        _Section(
            w(f"New projects ({len(report.added)})", f"新增项目({len(report.added)})"),
            [date, project_id, name, sector, stage, _INVESTMENT],
            body["added"],
            not body["added"],
        ),
        _Section(
            w(f"Dropped ({len(report.dropped)})", f"退出项目({len(report.dropped)})"),
            [date, project_id, name, sector, stage, _INVESTMENT, Column("reason", "Reason", "原因")],
            body["dropped"],
            not body["dropped"],
        ),
        _Section(
            w(f"Warning lights today: {red} red, {yellow} yellow", f"当前亮灯:红灯 {red} 个,黄灯 {yellow} 个"),
            LIGHTS_BRIEF_COLUMNS,
            body["lights"],
            red + yellow == 0,
        ),
        _Section(
            w(f"Funnel at {totals['end']['date']}", f"转化漏斗({totals['end']['date']})"),
            _FUNNEL_COLUMNS,
            body["funnel"]["stages"],
            False,
            note=w(
                "Reached: active projects at the stage or past it; conversion: reached ÷ reached of the stage before.",
                "达到及以上:处于该阶段或更后阶段的在库项目;转化率:本阶段达到数 ÷ 上一阶段达到数。",
            ),
        ),
        _Section(
            w(f"By sector at {totals['end']['date']}", f"分产业领域({totals['end']['date']})"),
            [sector, _COUNT, _INVESTMENT],
            by_sector["groups"],
            not by_sector["groups"],
            footer={"sector": _TOTAL_LABEL[style.lang], **by_sector["total"]},
        ),
    ]


def _write_report_document(out: TextIO, report: Any, body: dict[str, Any], fmt: str, style: Style) -> None:
    since, until = body["period"]["from"], body["period"]["to"]
    title = _words(style, f"Pipeline dispatch report, {since} to {until}", f"招商项目调度报告({since} 至 {until})")
    none = _words(style, "None.", "无。")
    sections = _report_sections(report, body, style)
    if fmt == "markdown":
        out.write(f"# {title}\n")
        for section in sections:
            out.write(f"\n## {section.title}\n\n")
            if section.empty:
                out.write(f"{none}\n")
                continue
            headers = [c.header(style.lang) for c in section.columns]
            rows: Iterable[list[str]] = (
                [label(r.get(c.key), c.kind, style.lang) for c in section.columns] for r in section.records
            )
            if section.footer is not None:
                footer = [f"**{label(section.footer.get(c.key), 'text', style.lang)}**" for c in section.columns]
                rows = itertools.chain(rows, [footer])
            _markdown_table(out, headers, rows, [c.kind in ("number", "percent") for c in section.columns])
            if section.note:
                out.write(f"\n{section.note}\n")
        return
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = [Text(title, style="bold")]
    for section in sections:
        if section.empty:
            parts.append(Text(f"\n{section.title}\n{none}"))
            continue
        table_rows: list[list[Any]] = []
        for r in section.records:
            cells: list[Any] = []
            for c in section.columns:
                text = label(r.get(c.key), c.kind, style.lang)
                value = r.get(c.key)
                cells.append(Text("● " + text, style=LIGHT_COLORS[value]) if c.kind == "light" and value else text)
            table_rows.append(cells)
        table_footer = None
        if section.footer is not None:
            table_footer = [label(section.footer.get(c.key), "text", style.lang) for c in section.columns]
        parts.append(Text(""))
        parts.append(
            _rich_table(
                [c.header(style.lang) for c in section.columns],
                table_rows,
                [c.kind in ("number", "percent") for c in section.columns],
                title=section.title,
                footer=table_footer,
            )
        )
        if section.note:
            parts.append(Text(section.note, style="dim"))
    print_rich(out, Group(*parts), style)
