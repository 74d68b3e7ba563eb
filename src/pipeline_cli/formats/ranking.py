"""`rank` in every format: JSON as the contract gives it, rows for csv/tsv, a league table for people.

The table and markdown mark the top three ranks ▲ and the bottom three ▼
(green and red on a colour terminal), so a leader sees at a glance who
leads and who trails (红黑榜).
"""

from __future__ import annotations

from typing import Any, TextIO

from . import Column, Style, _write_delimited, label, print_rich, table_width, write_json
from .summaries import Section, _group_label, _markdown_table, _rich_table, _words, _write_jsonl, _write_page

_MARKS = 3  # how many ranks at each end are marked


def rank_columns(by: str) -> tuple[Column, ...]:
    group = {
        "district": Column("district", "District", "区市"),
        "unit": Column("unit", "Unit", "责任单位"),
        "lead": Column("lead", "Lead", "包联领导"),
        "sector": Column("sector", "Sector", "产业领域", "sector"),
    }[by]
    return (
        Column("rank", "Rank", "名次", "number"),
        group,
        Column("projects", "Projects", "项目数", "number"),
        Column("investment", "Investment (亿元)", "计划投资(亿元)", "number"),
        Column("signed", "Signed+", "签约及以后", "number"),
        Column("started", "Started+", "开工及以后", "number"),
        Column("start_rate", "Start rate", "开工率", "percent"),
        Column("overdue", "Overdue", "计划逾期", "number"),
        Column("problems_open", "Problems open", "未销号问题", "number"),
        Column("problems_overdue", "Problems overdue", "逾期问题", "number"),
        Column("red", "Red", "红灯", "number"),
    )


def _marks(ranking: Any) -> dict[int, str]:
    """Group index → ▲ (the top k ranks) or ▼ (the bottom k), k a third of the groups, 1 to 3.

    Ties at either edge are all marked; with fewer than two groups nothing is.
    """
    groups = ranking.groups
    n = len(groups)
    if n < 2:
        return {}
    k = max(1, min(_MARKS, n // 3))
    bottom_rank = groups[n - k].rank
    marks = {}
    for index, g in enumerate(groups):
        if g.rank <= k:
            marks[index] = "▲"
        elif g.rank >= bottom_rank:
            marks[index] = "▼"
    return marks


def _cells(ranking: Any, style: Style) -> list[list[str]]:
    columns = rank_columns(ranking.by)
    lines = []
    for g in ranking.as_json()["groups"]:
        line = []
        for column in columns:
            value = g[column.key]
            if column.key == ranking.by:
                line.append(_group_label(ranking.by, value, style.lang))
            elif column.kind == "percent" and value is None:
                line.append("—")
            else:
                line.append(label(value, column.kind, style.lang))
        lines.append(line)
    return lines


def _title(ranking: Any, style: Style) -> str:
    column = rank_columns(ranking.by)[1]
    return _words(style, f"Ranking by {column.en} (by start rate)", f"按{column.zh}排名（按开工率）")


def write_rank(out: TextIO, ranking: Any, fmt: str, style: Style) -> None:
    body = ranking.as_json()
    columns = rank_columns(ranking.by)
    if fmt == "json":
        write_json(out, body)
        return
    if fmt == "jsonl":
        _write_jsonl(out, body["groups"])
        return
    if fmt in ("csv", "tsv"):
        # The JSON's keys in the JSON's order: the group first.
        machine = [Column(c.key, c.key, c.key, c.kind) for c in (columns[1], columns[0], *columns[2:])]
        _write_delimited(out, body["groups"], machine, "," if fmt == "csv" else "\t", style.header)
        return
    if fmt in ("html", "text"):
        section = Section(_title(ranking, style), columns, body["groups"], not body["groups"])
        _write_page(out, _title(ranking, style), [section], fmt, style)
        return
    marks = _marks(ranking)
    headers = ["", *(c.header(style.lang) for c in columns)]
    numeric = [False, *(c.kind in ("number", "percent") for c in columns)]
    lines = [[marks.get(index, ""), *cells] for index, cells in enumerate(_cells(ranking, style))]
    if fmt == "markdown":
        out.write(f"## {_title(ranking, style)}\n\n")
        _markdown_table(out, headers, lines, numeric)
        return
    from rich.text import Text

    colours = {"▲": "green", "▼": "red"}
    rows: list[list[Any]] = []
    for line in lines:
        colour = colours.get(line[0]) if style.color else None
        rows.append([Text(cell, style=colour or "") for cell in line])
    whole = [True, *numeric[1:]]  # the ▲/▼ marks too
    table = _rich_table(headers, rows, whole, title=_title(ranking, style), width=table_width(out))
    print_rich(out, table, style)


def rank_sheets(ranking: Any, style: Style) -> list[Any]:
    from .xlsx import Sheet

    column = rank_columns(ranking.by)[1]
    name = _words(style, f"Ranking by {column.en}", f"按{column.zh}排名")
    return [Sheet(name, rank_columns(ranking.by), ranking.as_json()["groups"])]
