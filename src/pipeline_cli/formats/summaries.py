"""Reports drawn in every format: summary, funnel and the dispatch report.

Loaded only by the report commands, so `list` and friends start without it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from ..fields import DUE_BRIEF, FIELDS, pick
from ..tallies import DUE_DAYS, DispatchReport, Entry, Funnel, Summary, Total, cross_table
from . import (
    LIGHT_COLORS,
    LIGHTS_BRIEF_COLUMNS,
    PROJECT_COLUMNS,
    Column,
    Style,
    _markdown_cell,
    _whole,
    _write_delimited,
    _write_json_value,
    _write_markdown,
    cut_cell,
    field_columns,
    label,
    layout,
    plain,
    print_rich,
    project_record,
    table_width,
    to_json,
    write_json,
    write_json_projects,
)

if TYPE_CHECKING:
    from .xlsx import Sheet

# --- reports: summary, funnel, lights, the dispatch report --------------------------
# Each report is a tallies.* dataclass, drawn here in every format: json with
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
    if field == "status" and lang == "zh":
        from ..i18n import label as vocabulary_label

        return vocabulary_label(value, "status", lang)
    kind = _FIELD_COLUMNS[field].kind if field in ("sector", "stage") else "text"
    return label(value, kind, lang)


def _yi(total: Total) -> str:
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
    width: int | None = None,
    whole: Sequence[bool] | None = None,
) -> Any:
    """A report table in the look of write_records' tables; a footer line carries totals.

    With `width` (formats.table_width) it fits: one line per row, numbers
    whole, labels cut with …, columns on the right left out when even that
    is too wide (formats.layout). `whole`: the columns never cut (default:
    the numeric ones; dates, ids and lights too in a dispatch report).
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    widths: list[int] | None = None
    if width is not None:
        plain = [[cell.plain if isinstance(cell, Text) else str(cell) for cell in row] for row in rows]
        measured = [*plain, *([list(footer)] if footer is not None else [])]
        kept, widths = layout(headers, measured, whole or numeric, width, lights=[False] * len(headers))
        headers = [headers[i] for i in kept]
        numeric = [numeric[i] for i in kept]
        rows = [[row[i] for i in kept] for row in rows]
        footer = [footer[i] for i in kept] if footer is not None else None

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

    def fitted(cell: Any, index: int) -> Any:
        return cut_cell(cell, widths[index] if widths is not None else None)

    for index, (header, is_number) in enumerate(zip(headers, numeric, strict=True)):
        table.add_column(
            fitted(header, index),
            justify="right" if is_number else "left",
            footer=fitted(footer[index], index) if footer is not None else "",
            footer_style="bold",
            overflow="fold" if widths is None else "ellipsis",
            no_wrap=widths is not None,
            width=widths[index] if widths is not None else None,
        )
    for row in rows:
        table.add_row(*(fitted(cell, index) for index, cell in enumerate(row)))
    return table


# --- summary ---------------------------------------------------------------------


def summary_json(summary: Summary) -> dict[str, Any]:
    """{"by": [...], "groups": [{<by fields>, "count", "investment"}], "total": {"count", "investment"}}."""
    return {
        "by": list(summary.by),
        "groups": [
            {**dict(zip(summary.by, group.values, strict=True)), **group.total.as_json()} for group in summary.groups
        ],
        "total": summary.total.as_json(),
    }


def write_summary(out: TextIO, summary: Summary, fmt: str, style: Style) -> None:
    """A tallies.Summary: groups with a total; two --by fields as a matrix for people, long rows for machines."""
    if fmt in ("html", "text"):
        _write_page(
            out, _words(style, "Pipeline summary", "招商项目汇总"), _summary_sections(summary, style), fmt, style
        )
        return
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
        print_rich(out, _rich_table(headers, lines, numeric, footer=footer, width=table_width(out)), style)


def _write_cross_table(out: TextIO, summary: Summary, fmt: str, style: Style) -> None:
    """Rows of the first --by, columns of the second, each cell 'projects / 亿元', totals on both edges."""
    matrix = cross_table(summary)
    lang = style.lang

    def cell(total: Total) -> str:
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
        table = _rich_table(headers, lines, numeric, footer=total, caption=note, width=table_width(out))
        print_rich(out, table, style)


# --- funnel ----------------------------------------------------------------------


def funnel_json(funnel: Funnel) -> dict[str, Any]:
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


def write_funnel(out: TextIO, funnel: Funnel, fmt: str, style: Style) -> None:
    """A tallies.Funnel; the table draws a bar per stage so the drop from one to the next shows at a glance."""
    rows = funnel_json(funnel)["stages"]
    if fmt in ("html", "text"):
        section = Section(
            _words(style, "Funnel", "转化漏斗"), _FUNNEL_COLUMNS, rows, False, note=_FUNNEL_NOTE[style.lang]
        )
        _write_page(out, _words(style, "Pipeline funnel", "招商项目转化漏斗"), [section], fmt, style)
    elif fmt == "json":
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
        table = _rich_table(headers, lines, [False, True, True, True, False], width=table_width(out))
        print_rich(out, table, style)


# --- the dispatch report ----------------------------------------------------------


def _entry_json(entry: Entry, kind: str) -> dict[str, Any]:
    record: dict[str, Any] = {"date": entry.date, "id": entry.id, "name": entry.name, "sector": entry.sector}
    if kind == "moves":
        record.update({"from": entry.from_, "to": entry.to})
    else:
        record["stage"] = entry.stage
    record["investment"] = entry.investment
    record["reason" if kind == "dropped" else "note"] = entry.note
    record["by"] = entry.by
    return record


def report_json(report: DispatchReport) -> dict[str, Any]:
    """{"period", "totals", "moves", "added", "dropped", "restored", "lights", "funnel", "due", "overdue",
    "problems", "ranking", "by_sector"}.

    lights, funnel and by_sector are exactly what `lights`, `funnel` and
    `summary --by sector` print; due and overdue what `due` prints, counted
    from the period's end. The lists (moves, added, dropped, restored, lights,
    due, overdue, problems) are iterables, read once, so a report of a
    million projects streams; their counts are in the report.
    """
    totals = report.totals
    return {
        "period": {"from": report.period.since.isoformat(), "to": report.period.until.isoformat()},
        "totals": {
            "start": {"date": report.period.before.isoformat(), **totals.start.as_json()},
            "end": {"date": report.period.until.isoformat(), **totals.end.as_json()},
            "change": totals.change.as_json(),
        },
        "moves": (_entry_json(entry, "moves") for entry in report.moves),
        "added": (_entry_json(entry, "added") for entry in report.added),
        "dropped": (_entry_json(entry, "dropped") for entry in report.dropped),
        "restored": (_entry_json(entry, "restored") for entry in report.restored),
        "lights": report.lights,
        "funnel": funnel_json(report.funnel),
        "due": report.due,
        "overdue": report.overdue,
        "problems": {key: report.problems.get(key, ()) for key in ("opened", "closed", "overdue")},
        "ranking": report.ranking.as_json() if report.ranking is not None else None,
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
    Column("next_plan_stage", "Next plan", "下一计划节点", "stage"),
    Column("next_plan_date", "Plan date", "计划日期"),
    Column("overdue_days", "Overdue", "逾期天数", "number"),
    _COUNT,
    _INVESTMENT,
    Column("conversion", "Conversion", "转化率", "percent"),
    Column("note", "Note", "说明"),
)


def _report_lines(body: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The JSON report as long rows: {"section": ..., **item}."""
    for at in ("start", "end", "change"):
        yield {"section": "totals", "at": at, **body["totals"][at]}
    for section in ("moves", "added", "dropped", "restored"):
        for item in body[section]:
            yield {"section": section, **item}
    for row in body["lights"]:
        yield {"section": "lights", **project_record(row, FIELDS)}
    for stage in body["funnel"]["stages"]:
        yield {"section": "funnel", **stage}
    for section in ("due", "overdue"):
        for row in body[section]:
            yield {"section": section, **project_record(row, FIELDS)}
    for group in body["by_sector"]["groups"]:
        yield {"section": "by_sector", **group}


def _report_csv_row(line: dict[str, Any]) -> dict[str, Any]:
    row = dict(line)
    if line["section"] == "funnel":
        row["count"] = line["reached"]
    if line["section"] == "dropped":
        row["note"] = line["reason"]
    return row


def write_report(out: TextIO, report: DispatchReport, fmt: str, style: Style) -> None:
    """A tallies.DispatchReport: markdown for the minutes, a table on a terminal, json with the contract's keys."""
    body = report_json(report)
    if fmt == "json":
        _write_report_json(out, body)
    elif fmt == "jsonl":
        _write_jsonl(out, _report_lines(body))
    elif fmt in ("csv", "tsv"):
        rows = (_report_csv_row(line) for line in _report_lines(body))
        _write_delimited(out, rows, REPORT_ROW_COLUMNS, "," if fmt == "csv" else "\t", style.header)
    elif fmt in ("html", "text"):
        since, until = body["period"]["from"], body["period"]["to"]
        title = _words(style, f"Pipeline dispatch report, {since} to {until}", f"招商项目调度报告({since} 至 {until})")
        _write_page(out, title, _report_sections(report, body, style), fmt, style)
    else:
        _write_report_document(out, report, body, fmt, style)


_FUNNEL_NOTE = {
    "en": "Reached: active projects at the stage or past it; conversion: reached ÷ reached of the stage before.",
    "zh": "达到及以上:处于该阶段或更后阶段的在库项目;转化率:本阶段达到数 ÷ 上一阶段达到数。",
}


def _summary_sections(summary: Summary, style: Style) -> list[Section]:
    body = summary_json(summary)
    title = _words(style, "Summary", "汇总")
    if not summary.by:
        return [Section(title, [_COUNT, _INVESTMENT], [body["total"]], False)]
    columns = [*(_group_column(field) for field in summary.by), _COUNT, _INVESTMENT]
    footer = {summary.by[0]: _TOTAL_LABEL[style.lang], **body["total"]}
    by = " × ".join(_group_column(field).header(style.lang) for field in summary.by)
    heading = _words(style, f"By {by}", f"按{by}")
    return [Section(heading, columns, body["groups"], not body["groups"], footer=footer)]


def _write_page(out: TextIO, title: str, sections: list[Section], fmt: str, style: Style) -> None:
    """Sections as plain text (formats.text) or one self-contained HTML page (formats.html)."""
    if fmt == "text":
        from . import text

        text.write_sections(out, title, sections, style)
        return
    from . import html

    charts: dict[int, str] = {}
    for index, section in enumerate(sections):
        keys = [c.key for c in section.columns]
        if section.empty or not isinstance(section.records, list):
            continue
        if "reached" in keys and "stage" in keys:
            charts[index] = html.funnel_chart(section.records, style.lang, section.title)
        elif keys[0] == "sector" and "investment" in keys:
            charts[index] = html.sector_chart(section.records, style.lang, section.title)
        elif "start_rate" in keys and "rank" in keys:
            charts[index] = html.rank_chart(section.records, keys[1], style.lang, section.title)
        elif keys[1:] == ["count", "investment"] and section.footer is not None:  # groups and their total
            charts[index] = html.group_chart(section.records, keys[0], style.lang, section.title)
    html.write_sections(out, title, sections, style, charts)


# The report's keys whose projects stream from SQL as they are written.
_STREAMED = ("lights", "due", "overdue")
_DUE_COLUMNS = field_columns(pick(DUE_BRIEF))


def _write_report_json(out: TextIO, body: dict[str, Any]) -> None:
    """The report object as json.dumps(body, indent=2) lays it out, its lights streamed one by one."""
    write = out.write
    write("{")
    for index, (key, value) in enumerate(body.items()):
        write(("\n" if index == 0 else ",\n") + "  " + to_json(key) + ": ")
        if key in _STREAMED:
            write_json_projects(write, value, FIELDS, 1)
        else:
            _write_json_value(write, value, 1)
    write("\n}\n")


@dataclass(frozen=True)
class Section:
    title: str
    columns: Sequence[Column]
    # A list, or (lights) an iterable read once; `empty` says whether it has rows.
    records: Iterable[dict[str, Any]]
    empty: bool
    note: str | None = None
    footer: dict[str, Any] | None = None


def _report_sections(report: DispatchReport, body: dict[str, Any], style: Style) -> list[Section]:
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
    moves, added, dropped, restored = (report.counts.get(key, 0) for key in ("moves", "added", "dropped", "restored"))
    by_sector = body["by_sector"]
    return [
        Section(w("Totals", "总体情况"), [Column("what", "", ""), _COUNT, _INVESTMENT], total_records, False),
        Section(
            w(f"Stage moves ({moves})", f"进度变动({moves})"),
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
            moves == 0,
        ),
        Section(
            w(f"New projects ({added})", f"新增项目({added})"),
            [date, project_id, name, sector, stage, _INVESTMENT],
            body["added"],
            added == 0,
        ),
        Section(
            w(f"Dropped ({dropped})", f"退出项目({dropped})"),
            [date, project_id, name, sector, stage, _INVESTMENT, Column("reason", "Reason", "原因")],
            body["dropped"],
            dropped == 0,
        ),
        Section(
            w(f"Warning lights today: {red} red, {yellow} yellow", f"当前亮灯:红灯 {red} 个,黄灯 {yellow} 个"),
            LIGHTS_BRIEF_COLUMNS,
            (project_record(row, FIELDS) for row in body["lights"]),
            red + yellow == 0,
        ),
        *_plan_sections(report, body, style),
        Section(
            w(f"Funnel at {totals['end']['date']}", f"转化漏斗({totals['end']['date']})"),
            _FUNNEL_COLUMNS,
            body["funnel"]["stages"],
            False,
            note=w(
                "Reached: active projects at the stage or past it; conversion: reached ÷ reached of the stage before.",
                "达到及以上:处于该阶段或更后阶段的在库项目;转化率:本阶段达到数 ÷ 上一阶段达到数。",
            ),
        ),
        Section(
            w(f"By sector at {totals['end']['date']}", f"分产业领域({totals['end']['date']})"),
            [sector, _COUNT, _INVESTMENT],
            by_sector["groups"],
            not by_sector["groups"],
            footer={"sector": _TOTAL_LABEL[style.lang], **by_sector["total"]},
        ),
        Section(
            w(f"Restored ({restored})", f"恢复项目({restored})"),
            [date, project_id, name, sector, stage, _INVESTMENT, Column("note", "Note", "说明")],
            body["restored"],
            restored == 0,
        ),
        *_problem_sections(report, body, style),
        *_ranking_sections(report, body, style),
    ]


def _plan_sections(report: DispatchReport, body: dict[str, Any], style: Style) -> list[Section]:
    """The planned milestones overdue at the period's end, and those due in the 30 days after it."""
    end = body["period"]["to"]
    overdue, due = report.plan_counts.get("overdue", 0), report.plan_counts.get("due", 0)
    return [
        Section(
            _words(style, f"Overdue plans at {end} ({overdue})", f"截至 {end} 计划逾期项目({overdue})"),
            _DUE_COLUMNS,
            (project_record(row, FIELDS) for row in body["overdue"]),
            overdue == 0,
        ),
        Section(
            _words(
                style,
                f"Milestones due in the {DUE_DAYS} days from {end} ({due})",
                f"{end} 起 {DUE_DAYS} 天内到期的计划节点({due})",
            ),
            _DUE_COLUMNS,
            (project_record(row, FIELDS) for row in body["due"]),
            due == 0,
        ),
    ]


def _problem_sections(report: DispatchReport, body: dict[str, Any], style: Style) -> list[Section]:
    """Problems opened and closed in the period, and those open and past due at its end."""
    from .problems import PROBLEM_BRIEF_COLUMNS

    # Labels as the other sections have them: a report's data never loads the message catalogue.
    titles = {
        "opened": ("Problems opened ({})", "新登记问题({})"),
        "closed": ("Problems closed ({})", "已销号问题({})"),
        "overdue": ("Problems open and overdue at the end ({})", "期末逾期未销号问题({})"),
    }
    sections = []
    for key, (en, zh) in titles.items():
        count = report.problem_counts.get(key, 0)
        title = _words(style, en, zh).format(count)
        sections.append(Section(title, PROBLEM_BRIEF_COLUMNS, body["problems"][key], count == 0))
    return sections


def _ranking_sections(report: DispatchReport, body: dict[str, Any], style: Style) -> list[Section]:
    if report.ranking is None:
        return []
    from .ranking import rank_columns

    groups = body["ranking"]["groups"]
    end = body["period"]["to"]
    title = _words(style, f"Ranking by district at {end}", f"区市排名({end})")
    return [Section(title, rank_columns(report.ranking.by), groups, not groups)]


def _write_report_document(out: TextIO, report: DispatchReport, body: dict[str, Any], fmt: str, style: Style) -> None:
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

    width = table_width(out)
    parts: list[Any] = [Text(title, style="bold")]
    for section in sections:
        if section.empty:
            parts.append(Text(f"\n{section.title}\n{none}"))
            continue
        records = list(section.records)
        headers = [c.header(style.lang) for c in section.columns]
        # Ids, numbers, dates and lights are never cut; nor is a total's label, which holds its date.
        whole = [_whole(c) or c.key == "what" for c in section.columns]
        lang = style.lang
        if width is not None and lang != "zh" and _labels_too_wide(section.columns, records, headers, whole, width):
            lang = "zh"  # narrow: a stage or sector by its Chinese name alone, as the lists show it
        table_rows: list[list[Any]] = []
        for r in records:
            cells: list[Any] = []
            for c in section.columns:
                text = label(r.get(c.key), c.kind, lang if c.kind in ("stage", "sector") else style.lang)
                value = r.get(c.key)
                cells.append(Text("● " + text, style=LIGHT_COLORS[value]) if c.kind == "light" and value else text)
            table_rows.append(cells)
        table_footer = None
        if section.footer is not None:
            table_footer = [label(section.footer.get(c.key), "text", style.lang) for c in section.columns]
        parts.append(Text(""))
        parts.append(
            _rich_table(
                headers,
                table_rows,
                [c.kind in ("number", "percent") for c in section.columns],
                title=section.title,
                footer=table_footer,
                width=width,
                whole=whole,
            )
        )
        if section.note:
            parts.append(Text(section.note, style="dim"))
    print_rich(out, Group(*parts), style)


def _labels_too_wide(
    columns: Sequence[Column], records: list[dict[str, Any]], headers: list[str], whole: list[bool], width: int
) -> bool:
    """Whether a report table at `width` would cut a stage or sector's "slug 中文"."""
    cells = [
        [("● " if c.kind == "light" and r.get(c.key) else "") + label(r.get(c.key), c.kind, "en") for c in columns]
        for r in records
    ]
    kept, widths = layout(headers, cells, whole, width, lights=[False] * len(headers))
    from rich.cells import cell_len

    for place, index in enumerate(kept):
        natural = max([cell_len(headers[index])] + [cell_len(row[index]) for row in cells])
        if columns[index].kind in ("stage", "sector") and widths[place] < natural:
            return True
    return False


# --- workbooks: the same reports as sheets (formats.xlsx) ---------------------------


def summary_sheets(summary: Summary, style: Style) -> list[Sheet]:
    """A summary as one sheet: a row per group (long rows for two --by), the total in bold."""
    from .xlsx import Sheet

    body = summary_json(summary)
    columns = [*(_group_column(field) for field in summary.by), _COUNT, _INVESTMENT]
    title = _words(style, "Summary", "汇总")
    if not summary.by:
        return [Sheet(title, [_COUNT, _INVESTMENT], [body["total"]])]
    footer = {summary.by[0]: _TOTAL_LABEL[style.lang], **body["total"]}
    return [Sheet(title, columns, body["groups"], footer=footer)]


def _group_column(field: str) -> Column:
    column = _FIELD_COLUMNS.get(field)
    return column if column is not None else Column(field, field, field)


def funnel_sheets(funnel: Funnel, style: Style) -> list[Sheet]:
    """The funnel as one sheet with its chart: horizontal bars, the first stage on top."""
    from .xlsx import Chart, Sheet

    title = _words(style, "Funnel", "转化漏斗")
    chart = Chart(
        _words(style, "Projects at the stage or past it", "达到及以上项目数"), "stage", "reached", funnel=True
    )
    return [Sheet(title, _FUNNEL_COLUMNS, funnel_json(funnel)["stages"], chart=chart)]


_TOTALS_COLUMNS = (
    Column("at", "At", "时点"),
    Column("date", "Date", "日期"),
    _COUNT,
    _INVESTMENT,
)


def report_sheets(report: DispatchReport, style: Style) -> list[Sheet]:
    """The dispatch report, one sheet per section, in the order of the markdown; the funnel with its chart."""
    from .xlsx import Chart, Sheet

    body = report_json(report)
    lang = style.lang
    totals = body["totals"]
    at = {
        "en": {"start": "start", "end": "end", "change": "change"},
        "zh": {"start": "期初", "end": "期末", "change": "变化"},
    }
    total_rows = [
        {"at": at[lang][key], "date": totals[key].get("date"), **{k: v for k, v in totals[key].items() if k != "date"}}
        for key in ("start", "end", "change")
    ]
    sections = _report_sections(report, body, style)
    names = _words(
        style,
        "Totals|Moves|New|Dropped|Lights|Overdue plans|Due|Funnel|By sector|Restored"
        "|Problems opened|Problems closed|Problems overdue" + ("|Ranking" if report.ranking is not None else ""),
        "总体情况|进度变动|新增项目|退出项目|亮灯|计划逾期|计划到期|转化漏斗|分产业领域|恢复项目"
        "|新登记问题|已销号问题|逾期问题" + ("|区市排名" if report.ranking is not None else ""),
    )
    sheets = []
    for name, section in zip(names.split("|"), sections, strict=True):
        if name in ("Totals", "总体情况"):
            sheets.append(Sheet(name, _TOTALS_COLUMNS, total_rows))
        elif name in ("Funnel", "转化漏斗"):
            chart = Chart(section.title, "stage", "reached", funnel=True)
            sheets.append(Sheet(name, section.columns, section.records, chart=chart))
        else:
            sheets.append(Sheet(name, section.columns, section.records, footer=section.footer))
    return sheets
