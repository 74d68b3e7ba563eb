"""The only place that knows table, json, jsonl, csv, tsv and markdown.

Records are plain dicts keyed by field name. Machine formats (json, jsonl,
csv, tsv) always carry slugs and the contract's keys; the human formats
(table, markdown) carry labels in the chosen language. Everything but
`table` streams row by row, so a million projects never sit in memory;
rich is imported only when a table is drawn.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, TextIO

from ..fields import FIELDS, LIGHTS_BRIEF, LIST_BRIEF, STORED_FIELDS, Field, pick
from ..frozen import Frozen
from ..model import STAGE_BY_SLUG, sector_label
from ..texts import shown

if TYPE_CHECKING:
    from .jsontext import _write_json_value as _write_json_value
    from .jsontext import decimal_json as decimal_json
    from .jsontext import to_json as to_json
    from .jsontext import write_json as write_json

FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown", "xlsx", "html", "text")
# Formats only some commands write: a workbook (binary, written by the command
# through formats.xlsx) and the report pages (summary, funnel, rank, report).
REPORT_ONLY_FORMATS = ("html", "text")


class Column(Frozen):
    """A field shown in tabular output, with its headers in both languages.

    kind picks how a human format shows the value: text, number, stage,
    sector, light, bool, percent, date (a workbook's date cell).
    """

    __slots__ = ("en", "key", "kind", "zh")
    key: str
    en: str
    zh: str
    kind: str

    def __init__(self, key: str, en: str, zh: str, kind: str = "text") -> None:
        self._set(key=key, en=en, zh=zh, kind=kind)

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Style(Frozen):
    """How human formats look: label language and whether colour is allowed."""

    __slots__ = ("color", "header", "lang")
    lang: str
    color: bool
    header: bool

    def __init__(self, lang: str = "en", color: bool = False, header: bool = True) -> None:
        self._set(lang=lang, color=color, header=header)


# --- values --------------------------------------------------------------
# JSON is written by formats/jsontext.py, imported with the first JSON a
# command writes (the json module and Decimal cost every other command about
# 2 ms of start-up). Its names are found here too (module __getattr__).

_JSON_NAMES = frozenset(("to_json", "write_json", "decimal_json", "_write_json_value"))

if not TYPE_CHECKING:  # mypy reads the import above

    def __getattr__(name: str) -> object:
        if name not in _JSON_NAMES:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from . import jsontext

        return getattr(jsontext, name)


def plain(value: Any) -> str:
    """A value as CSV/TSV text: slugs as they are, booleans true/false, null empty."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        from .jsontext import to_json

        return to_json(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return str(value)


_LIGHT_LABELS = {
    "en": {"green": "green", "yellow": "yellow", "red": "red"},
    "zh": {"green": "绿灯", "yellow": "黄灯", "red": "红灯"},
}
_PROBLEM_STATUS_LABELS = {"en": {"open": "open", "closed": "closed"}, "zh": {"open": "未销号", "closed": "已销号"}}
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
    if kind == "problem_status":
        return _PROBLEM_STATUS_LABELS["zh" if lang == "zh" else "en"].get(value, str(value))
    if kind == "bool":
        return "✓" if value else ""
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    if isinstance(value, list):
        # A list of names (a role's districts), joined as a sentence lists them.
        return ("、" if lang == "zh" else ", ").join(label(item, kind, lang) for item in value)
    # Text people read on one line: a stored line break or tab shown as an escape.
    return shown(value) if isinstance(value, str) else plain(value)


# Columns whose slugs people read by their names in Chinese: the catalogue's
# vocabulary of each (status.active → 在库, kind.stage → 阶段变更).
NAMED_KEYS = {"status": "status", "source": "source", "kind": "kind", "light_reason": "reason"}


def human_cell(value: Any, column: Column, lang: str) -> str:
    """A cell of a human format (table, markdown, text, html): label() plus the named slugs and an edit's changes.

    An event's `changes` ({"investment": ["12", "15"]}) reads as a sentence,
    `investment 12 → 15` (in Chinese `投资(亿元) 12 → 15`), not as JSON.
    """
    if value is None:
        return ""
    if column.key == "changes" and isinstance(value, dict):
        from ..i18n import render
        from ..sentences import changes

        return shown(render(changes(value), lang))
    if lang == "zh" and column.kind == "text" and column.key in NAMED_KEYS:
        from ..i18n import label as vocabulary_label

        return vocabulary_label(value, NAMED_KEYS[column.key], lang)
    return label(value, column.kind, lang)


# --- csv and tsv cells ------------------------------------------------------
# One rule each, for every command. CSV neutralises a text cell a spreadsheet
# would run as a formula (OWASP's CSV-injection advice): one starting with
# `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`; so that
# import can undo exactly that, a cell that already starts with one or more
# `'` followed by such a character gets one more; import removes one `'` from
# every cell of that shape. A cell holding a comma, quote, CR or LF is quoted
# (Python's csv module leaves a lone CR unquoted when lines end in LF, and a
# reader then splits the row there). TSV writes tab, LF, CR and backslash as
# `\t`, `\n`, `\r`, `\\`, as PostgreSQL's text COPY does: every line is one
# record with the header's field count.

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@functools.cache
def _escaped() -> re.Pattern[str]:
    """A cell escape_cell escaped already (compiled when first needed, not at every command's start)."""
    return re.compile(r"^'+[=+\-@\t\r]")


_TRIGGERS_OR_QUOTE = frozenset("=+-@\t\r'")


def escape_cell(text: str) -> str:
    """Neutralise a text cell a spreadsheet would run as a formula (reversibly)."""
    if text.startswith(_TRIGGERS) or _escaped().match(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """Undo `escape_cell` exactly: drop one `'` before a formula character."""
    return text[1:] if _escaped().match(text) else text


def csv_cell(text: str) -> str:
    """A cell quoted when it holds a comma, quote or line break."""
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(text: str) -> str:
    """A free-text cell for csv: formulas neutralised, then quoted as needed."""
    if text and text[0] in _TRIGGERS_OR_QUOTE:
        text = escape_cell(text)
    return csv_cell(text)


def tsv_cell(text: str) -> str:
    r"""A cell for tsv: \t, \n, \r and \\ escaped as PostgreSQL's text COPY writes them."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def tsv_unescape(text: str) -> str:
    """Read a tsv cell back (the inverse of tsv_cell)."""
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), text)


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
    chosen: Sequence[str] | None = None,
) -> int:
    """Write records in `fmt`; returns how many were written.

    json/jsonl carry every key of each record; csv/tsv the `columns` given,
    in that order; table and markdown the `brief` columns when given.
    `chosen` (--columns): the keys of `columns` written, in that order, in
    every format, JSON keys included.
    """
    if fmt in ("xlsx", *REPORT_ONLY_FORMATS):
        refuse_format(fmt)
    if chosen is not None:
        columns = pick_columns(columns, chosen)
        records = ({key: record.get(key) for key in chosen} for record in records)
    elif fmt in ("table", "markdown") and brief is not None:
        columns = brief
    if fmt == "json":
        return _write_json_array(out, records)
    if fmt == "jsonl":
        from .jsontext import to_json

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


def pick_columns(columns: Sequence[Column], keys: Sequence[str]) -> tuple[Column, ...]:
    """The columns of `keys`, in that order (--columns)."""
    by_key = {column.key: column for column in columns}
    return tuple(by_key[key] for key in keys)


def refuse_before_a_change(fmt: str | None) -> None:
    """A write command prints its line or the changed records: a workbook or a page it refuses.

    Called before the change, so the refusal changes nothing.
    """
    if fmt is not None and fmt in ("xlsx", *REPORT_ONLY_FORMATS):
        refuse_format(fmt)


def refuse_format(fmt: str) -> None:
    """A format this command does not write: a usage error naming the commands that do.

    The hint offers xlsx only where the command writes it: a command with -o
    (every listing: list, show, history, stages, sectors, check, access list,
    the reports, export); a write command (add, edit, sectors add…) has none
    and does not.
    """
    from ..errors import UsageError

    if fmt in REPORT_ONLY_FORMATS:
        hint = "format.report_only.hint" if _writes_xlsx() else "format.not_here.hint"
        raise UsageError("format.report_only", hint, format=fmt)
    raise UsageError("format.not_here", "format.not_here.hint", format=fmt)


def _writes_xlsx() -> bool:
    """Whether the command being run writes xlsx: those that do take -o FILE for it."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    return ctx is None or any(param.name == "output_file" for param in ctx.command.params)


def _write_json_array(out: TextIO, records: Iterable[dict[str, Any]]) -> int:
    from .jsontext import to_json

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
    """Records as csv (delimiter ",") or tsv ("\t"): every text cell through csv_cell or tsv_cell."""
    cell = csv_text if delimiter == "," else tsv_cell
    keys = [column.key for column in columns]
    if header:
        out.write(delimiter.join(cell(key) for key in keys) + "\n")
    count = 0
    for record in records:
        cells = []
        for key in keys:
            value = record.get(key)
            text = plain(value)
            cells.append(cell(text) if isinstance(value, (str, dict, list)) else text)
        out.write(delimiter.join(cells) + "\n")
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
        cells = [_markdown_cell(human_cell(record.get(c.key), c, style.lang)) for c in columns]
        out.write("| " + " | ".join(cells) + " |\n")
        count += 1
    return count


# Columns a table never cuts or wraps: ids, numbers, dates, flags, lights.
_WHOLE_KINDS = ("number", "percent", "bool", "light")
_DATE_KEYS = frozenset(("stage_since", "next_plan_date", "date", "opened", "due", "closed", "from", "to_date"))


def _whole(column: Column) -> bool:
    return column.kind in _WHOLE_KINDS or column.key in _DATE_KEYS


def _write_table(
    out: TextIO, records: Iterable[dict[str, Any]], columns: Sequence[Column], style: Style, *, title: str | None
) -> int:
    rows = list(records)
    width = table_width(out)
    cells = [[human_cell(record.get(c.key), c, style.lang) for c in columns] for record in rows]
    kept, widths = list(range(len(columns))), None
    if width is not None:
        headers = [c.header(style.lang) for c in columns]
        whole = [_whole(c) for c in columns]
        lights = [c.kind == "light" for c in columns]
        kept, widths = layout(headers, cells, whole, width, lights=lights)
        labelled = [i for i in kept if columns[i].kind in ("stage", "sector")]
        if style.lang != "zh" and any(widths[kept.index(i)] < _natural(headers[i], cells, i) for i in labelled):
            # Narrow: a stage or sector shows its Chinese name alone when "slug 中文" does not fit.
            for i in labelled:
                for row, record in zip(cells, rows, strict=True):
                    row[i] = label(record.get(columns[i].key), columns[i].kind, "zh")
            kept, widths = layout(headers, cells, whole, width, lights=lights)
    chosen = [columns[i] for i in kept]
    table = _rich_table(chosen, [[row[i] for i in kept] for row in cells], rows, style, title=title, widths=widths)
    print_rich(out, table, style, width=width)
    return len(rows)


def _natural(header: str, cells: Sequence[Sequence[str]], index: int) -> int:
    from rich.cells import cell_len

    return max([cell_len(header)] + [cell_len(row[index]) for row in cells])


def layout(
    headers: Sequence[str], cells: Sequence[Sequence[str]], whole: Sequence[bool], width: int, *, lights: Sequence[bool]
) -> tuple[list[int], list[int]]:
    """The columns a table of `width` cells shows and their widths: fit_widths, leaving out columns until it fits.

    Free text goes first, from the right, but the first column and the first text column (the name) stay.
    """
    kept = list(range(len(headers)))
    while True:
        widths = fit_widths(
            [headers[i] for i in kept],
            [[row[i] for i in kept] for row in cells],
            [whole[i] for i in kept],
            width,
            lights=[lights[i] for i in kept],
        )
        if widths is not None or len(kept) == 1:
            return kept, widths or [max(1, width - 2)]
        texts = [i for i in kept if not whole[i]]
        droppable = [i for i in texts[1:] if i != kept[0]] or kept[1:]  # the first text column (the name) stays
        kept.remove(droppable[-1])


# Between two columns of a table, and around it: two cells each.
_GAP = 2


def fit_widths(
    headers: Sequence[str], cells: Sequence[Sequence[str]], whole: Sequence[bool], width: int, *, lights: Sequence[bool]
) -> list[int] | None:
    """Each column's width so the table fits `width` cells with one line per row, or None if it cannot.

    A whole column (ids, numbers, dates, lights) is never narrower than its
    widest value; a text column may be cut down to 3 cells (two and …).
    Room left over goes to the text columns' headers, then to the first text
    column (the name, the group), then to the whole columns' headers, then to
    the other text values, narrowest column first.
    """
    from rich.cells import cell_len

    count = len(headers)
    values = [max([cell_len(row[i]) + (2 if lights[i] else 0) for row in cells] or [0]) for i in range(count)]
    natural = [max(cell_len(headers[i]), values[i], 1) for i in range(count)]
    least = [max(values[i], 1) if whole[i] else min(natural[i], 3) for i in range(count)]
    room = width - _GAP * (count + 1) + 2  # the table's edges are one cell each
    if sum(least) > room:
        return None
    widths = list(least)
    spare = room - sum(widths)

    def grant(i: int, up_to: int) -> None:
        nonlocal spare
        more = max(0, min(up_to - widths[i], spare))
        widths[i] += more
        spare -= more

    texts = [i for i in range(count) if not whole[i]]
    # The text columns' headers; the first text column (the name or group) up to a quarter of the room;
    # the whole columns' headers; then the other text columns, the narrowest first.
    for i in texts:
        grant(i, min(cell_len(headers[i]), natural[i]))
    for i in range(count):
        if whole[i]:
            grant(i, min(natural[i], 6))  # a short header (亿元, Days) whole
    if texts:
        grant(texts[0], max(widths[texts[0]], min(natural[texts[0]], room // 4)))
    for i in range(count):
        if whole[i]:
            grant(i, natural[i])
    for i in sorted(texts, key=lambda i: natural[i]):
        grant(i, natural[i])
    return widths


def cut(text: str, width: int) -> str:
    """`text` in at most `width` terminal cells: whole when it fits, else the most of it that fits with … after it.

    The … follows the text directly: rich's own ellipsis, when a double-width
    character does not fit, pads the cell before it (`东华鲲鹏 …`); here the
    cell is padded after it, where every cell of a column is.
    """
    from rich.cells import cell_len

    if cell_len(text) <= width:
        return text
    if width < 1:
        return ""
    room, kept = width - 1, 0
    for index, char in enumerate(text):
        room -= cell_len(char)
        if room < 0:
            break
        kept = index + 1
    return text[:kept].rstrip() + "…"


def cut_cell(cell: Any, width: int | None) -> Any:
    """A table cell (text, or rich Text with its styles) cut to `width` cells as `cut` does; None: as it is."""
    from rich.text import Text

    if width is None:
        return Text(cell) if isinstance(cell, str) else cell
    if isinstance(cell, str):
        return Text(cut(cell, width))
    if not isinstance(cell, Text):
        return cell
    shown = cut(cell.plain, width)
    if shown == cell.plain:
        return cell
    kept = cell.copy()
    kept.right_crop(len(cell.plain) - (len(shown) - 1))
    kept.append("…")
    return kept


def _rich_table(
    columns: Sequence[Column],
    cells: list[list[str]],
    rows: list[dict[str, Any]],
    style: Style,
    *,
    title: str | None,
    widths: list[int] | None = None,
) -> Any:
    """One line per row: ids, numbers and dates whole (never cut, never wrapped), long text cut with …"""
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
    for index, column in enumerate(columns):
        table.add_column(
            cut(column.header(style.lang), widths[index]) if widths is not None else column.header(style.lang),
            justify="right" if column.kind in ("number", "percent") else "left",
            no_wrap=True,
            width=widths[index] if widths is not None else None,
            min_width=6 if widths is None and column.kind == "text" else None,
            overflow="ellipsis",
        )
    for row, record in zip(cells, rows, strict=True):
        line = []
        for index, (column, text) in enumerate(zip(columns, row, strict=True)):
            value = record.get(column.key)
            shown = (
                Text("● " + text, style=LIGHT_COLORS[value])
                if column.kind == "light" and value in LIGHT_COLORS
                else text
            )
            line.append(cut_cell(shown, widths[index] if widths is not None else None))
        table.add_row(*line)
    return table


def table_width(out: TextIO) -> int | None:
    """The width a table fits: $COLUMNS when set (0 or nonsense: 80), else the terminal's; None in a pipe.

    In a pipe without $COLUMNS there is no width to respect: tables are as wide as their content.
    """
    import os
    import shutil

    env = os.environ.get("COLUMNS")
    if env is not None:
        text = env.strip()
        return int(text) if text.isdigit() and 0 < int(text) < 10_000 else 80
    if not _isatty(out):
        return None
    columns = shutil.get_terminal_size((80, 24)).columns
    return columns if columns > 0 else 80


def print_rich(out: TextIO, renderable: Any, style: Style, *, width: int | None = None) -> None:
    """Print any rich renderable to `out`, colour only when allowed, `width` wide (default: table_width)."""
    from rich.console import Console

    # In a pipe there is no terminal width to respect: let tables be as wide
    # as their content instead of wrapping at 80 columns.
    chosen = width if width is not None else table_width(out)
    # Without colour, no escape codes at all (not even bold): NO_COLOR and a
    # pipe get plain text, whatever FORCE_COLOR or TERM say.
    console = Console(
        file=out,
        no_color=not style.color,
        color_system="auto" if style.color else None,
        highlight=False,
        soft_wrap=False,
        width=chosen if chosen is not None else 1000,
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
        from .jsontext import write_json

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
        text = human_cell(value, column, style.lang)
        if column.kind == "light" and value in LIGHT_COLORS:
            table.add_row(column.header(style.lang), Text("● " + text, style=LIGHT_COLORS[value]))
        else:
            table.add_row(column.header(style.lang), Text(text))
    print_rich(out, table, style)


# --- the columns of each kind of record ----------------------------------------


def field_columns(fields: Iterable[Field]) -> tuple[Column, ...]:
    return tuple(Column(f.name, f.en, f.zh, f.display) for f in fields)


PROJECT_COLUMNS = field_columns(FIELDS)
PROJECT_BRIEF_COLUMNS = field_columns(pick(LIST_BRIEF))
LIGHTS_BRIEF_COLUMNS = field_columns(pick(LIGHTS_BRIEF))

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
    Column("db_user", "DB user", "数据库用户"),
    Column("plan_from", "Plan from", "原计划日期"),
    Column("plan_to", "Plan to", "新计划日期"),
    Column("problem_id", "Problem", "问题编号", "number"),
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
    Column("plan_yellow_days", "Plan yellow (days)", "计划黄灯(天)", "number"),
    Column("plan_red_days", "Plan red (days)", "计划红灯(天)", "number"),
)

# `show`: a project's plans, one per planned stage.
PLAN_COLUMNS = (
    Column("stage", "Stage", "阶段", "stage"),
    Column("date", "Planned", "计划日期"),
    Column("reached", "Reached", "实际日期", "date"),
    Column("slips", "Slips", "推迟次数", "number"),
)

SECTOR_COLUMNS = (
    Column("position", "#", "序号", "number"),
    Column("sector", "Sector", "产业领域"),
    Column("name_zh", "中文", "中文"),
    Column("name_en", "English", "英文"),
)

# `access list`: one record per role given access on a server.
ACCESS_COLUMNS = (
    Column("role", "Role", "角色"),
    Column("districts", "Districts", "可修改的区市"),
    Column("read_only", "Read only", "只读", "bool"),
)

# `check`: one record per violation found.
CHECK_COLUMNS = (
    Column("check", "Check", "检查项"),
    Column("project_id", "Project", "项目编号", "number"),
    Column("event_id", "Event", "事件", "number"),
    Column("message", "Problem", "问题"),
)


# --- projects: tuples of fields, in every format ------------------------------------
# The one writer of projects. Rows are tuples of the fields given, as the
# store's read path gives them (fields.py: money as exact decimal text, key
# 0/1). json, jsonl, csv and tsv write each row with a function made once from
# the fields' kinds, so a million projects stream without a dict per row;
# table and markdown draw project records.


def project_record(row: Sequence[Any], fields: Sequence[Field]) -> dict[str, Any]:
    """A row as the contract's project object: money a Decimal of 亿元, key a boolean."""
    from decimal import Decimal

    record: dict[str, Any] = {}
    for f, value in zip(fields, row, strict=True):
        if value is not None and f.kind == "money":
            value = Decimal(value)
        elif f.kind == "bool":
            value = bool(value)
        record[f.name] = value
    return record


def _json_value_code(f: Field, r: str) -> str:
    if f.kind == "int":
        return f"'null' if {r} is None else '%d' % {r}"
    if f.kind == "money":
        return f"'null' if {r} is None else {r}"
    if f.kind == "bool":
        return f"'true' if {r} else 'false'"
    return f"'null' if {r} is None else _text({r})"


def _delimited_value_code(f: Field, r: str, text_cell: str) -> str:
    if f.kind == "int":
        return f"'' if {r} is None else '%d' % {r}"
    if f.kind == "bool":
        return f"'true' if {r} else 'false'"
    if f.kind == "text":
        return f"'' if {r} is None else {text_cell}({r})"
    return f"'' if {r} is None else {r}"


_LINE_WRITERS: dict[tuple[Any, ...], Callable[[Sequence[Any]], str]] = {}


def line_writer(
    fields: Sequence[Field],
    fmt: str,
    item_separator: str = ", ",
    braces: tuple[str, str] = ("{", "}"),
    positions: Sequence[int] | None = None,
) -> Callable[[Sequence[Any]], str]:
    """The function that writes one row of `fields` as a json object, a csv line or a tsv line (no newline).

    Made from the fields' kinds (as dataclasses makes __init__): one
    expression per field, so a row costs no Python loop. A json object
    opens and closes with `braces` (an indented one carries its indent).
    A tsv line is first joined as it is and escaped (tsv_cell, field by
    field) only when some value holds a tab, a line break or a backslash:
    checking the whole line once is cheaper than each text field apart.
    `positions`: where in the row each field stands (default: in order), so
    that a row of more fields is written as the ones picked (--columns)
    without a copy.
    """
    places = tuple(positions) if positions is not None else tuple(range(len(fields)))
    key = (tuple(fields), fmt, item_separator, braces, places)
    writer = _LINE_WRITERS.get(key)
    if writer is None:
        namespace: dict[str, Any] = {"_csv_text": csv_text, "_tsv_cell": tsv_cell}
        pairs = tuple(zip(places, fields, strict=True))
        if fmt == "json":
            from json.encoder import encode_basestring as _text  # imported with the first json line writer

            namespace["_text"] = _text
            template = braces[0] + item_separator.join(f"{_text(f.name)}: %s" for f in fields) + braces[1]
            values = ", ".join(f"({_json_value_code(f, f'r[{i}]')})" for i, f in pairs)
            code = f"def line(r):\n    return {template!r} % ({values},)\n"
        elif fmt == "csv":
            values = ", ".join(f"({_delimited_value_code(f, f'r[{i}]', '_csv_text')})" for i, f in pairs)
            code = f"def line(r):\n    return ','.join(({values},))\n"
        else:
            raw = ", ".join(f"({_delimited_value_code(f, f'r[{i}]', '')})" for i, f in pairs)
            escaped = ", ".join(f"({_delimited_value_code(f, f'r[{i}]', '_tsv_cell')})" for i, f in pairs)
            code = (
                "def line(r):\n"
                f"    s = '\\t'.join(({raw},))\n"
                f"    if s.count('\\t') == {len(fields) - 1} and '\\\\' not in s"
                " and '\\n' not in s and '\\r' not in s:\n"
                "        return s\n"
                f"    return '\\t'.join(({escaped},))\n"
            )
        exec(code, namespace)
        writer = namespace["line"]
        _LINE_WRITERS[key] = writer
    return writer


# Rows are written this many at a time, as one string: a write call per row
# costs more than making the row's text.
CHUNK_ROWS = 500


def chunks(rows: Iterable[Any], size: int = CHUNK_ROWS) -> Iterator[list[Any]]:
    """`rows` in lists of `size` (the last one shorter), read as they are needed."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write_projects(
    out: TextIO,
    rows: Iterable[Sequence[Any]],
    fields: Sequence[Field],
    fmt: str,
    style: Style,
    *,
    brief: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> int:
    """Projects (tuples of `fields`) in `fmt`; returns how many.

    `columns` (--columns): the fields written, in that order, in every
    format. Without it table and markdown show the `brief` fields when given
    (the listing's default), and the other formats every field given.
    """
    write = out.write
    count = 0
    positions: Sequence[int] | None = None
    if columns is not None:
        names = [f.name for f in fields]
        positions = [names.index(name) for name in columns]
        shown_fields = tuple(fields[index] for index in positions)
        brief = columns
    else:
        shown_fields = tuple(fields)
    if fmt == "json":
        line = line_writer(shown_fields, "json", positions=positions)
        write("[")
        for chunk in chunks(rows):
            write(("\n  " if count == 0 else ",\n  ") + ",\n  ".join(map(line, chunk)))
            count += len(chunk)
        write("\n]\n" if count else "]\n")
        return count
    if fmt in ("jsonl", "csv", "tsv"):
        line = line_writer(shown_fields, "json" if fmt == "jsonl" else fmt, positions=positions)
        if style.header and fmt != "jsonl":
            cell = csv_cell if fmt == "csv" else tsv_cell
            write(("," if fmt == "csv" else "\t").join(cell(f.name) for f in shown_fields) + "\n")
        for chunk in chunks(rows):
            write("\n".join(map(line, chunk)) + "\n")
            count += len(chunk)
        return count
    records = (project_record(row, fields) for row in rows)
    shown = field_columns(pick(tuple(brief)) if brief is not None else fields)
    return write_records(out, records, shown, fmt, style, title=title)


def write_json_projects(
    write: Callable[[str], Any], rows: Iterable[Sequence[Any]], fields: Sequence[Field], depth: int
) -> None:
    """Projects as an indented JSON array at `depth` (json.dumps(indent=2) layout), streamed."""
    inner = "  " * (depth + 1)
    line = line_writer(fields, "json", ",\n" + inner + "  ", (inner + "{\n" + inner + "  ", "\n" + inner + "}"))
    first = True
    for chunk in chunks(rows):
        write(("[\n" if first else ",\n") + ",\n".join(map(line, chunk)))
        first = False
    write("[]" if first else "\n" + "  " * depth + "]")


def write_export(out: TextIO, rows: Iterable[Sequence[Any]], fmt: str, *, bom: bool = False, lang: str = "en") -> int:
    """Exported projects (tuples of fields.STORED_FIELDS) as csv, json or jsonl; returns how many.

    In Chinese (`export --lang zh`) the headers (or keys) are the fields'
    Chinese labels and sectors, stages, statuses, sources and key their
    Chinese names; import reads both back unchanged.
    """
    if bom:
        out.write("\ufeff")
    if lang == "zh":
        return write_projects(out, chinese_rows(rows), CHINESE_EXPORT_FIELDS, fmt, Style())
    return write_projects(out, rows, STORED_FIELDS, fmt, Style())


# The exported fields under their Chinese labels; labelled values are text.
CHINESE_EXPORT_FIELDS = tuple(
    f.replace(name=f.zh, kind="text" if f.kind in ("slug", "bool") else f.kind) for f in STORED_FIELDS
)


def chinese_rows(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
    """Exported rows with their vocabulary values in Chinese."""
    from ..model import SOURCE_ZH, STATUS_ZH

    names = [f.name for f in STORED_FIELDS]
    for row in rows:
        values = list(row)
        for index, name in enumerate(names):
            value = values[index]
            if value is None:
                continue
            if name == "sector":
                values[index] = sector_label(value) or value
            elif name == "stage":
                stage = STAGE_BY_SLUG.get(value)
                values[index] = stage.name_zh if stage is not None else value
            elif name == "status":
                values[index] = STATUS_ZH.get(value, value)
            elif name == "source":
                values[index] = SOURCE_ZH.get(value, value)
            elif name == "key":
                values[index] = "是" if value else "否"
        yield tuple(values)
