"""The SQL of summary, funnel, lights and the dispatch report: aggregates in SQL, rows streamed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..model import (
    Filters,
)
from .reads import _DAYS, filter_clause

if TYPE_CHECKING:
    pass


# --- reports -------------------------------------------------------------------
# The SQL of summary, funnel, lights, report and `stages set`. Aggregates are
# grouped in SQL, one pass over the projects, so a million projects come back
# as a handful of rows; reports.py shapes them.

# --by FIELD -> (the grouped column, its order key over the grouped value g.v).
# Ladder and sector order, not alphabetical; active before dropped; key
# projects first; districts, units and leads by name; an empty value last.
_GROUP_FIELDS = {
    "sector": ("p.sector", "(SELECT position FROM sectors WHERE sector = {v})"),
    "stage": ("p.stage", "(SELECT position FROM stages WHERE stage = {v})"),
    "status": ("p.status", "CASE {v} WHEN 'active' THEN 0 ELSE 1 END"),
    "district": ("p.district", "{v}"),
    "key": ("p.key", "-{v}"),
    "unit": ("p.unit", "{v}"),
    "lead": ("p.lead", "{v}"),
}


def _projects_from(filters: Filters) -> str:
    """FROM clause for an aggregate over the projects `filter_clause` selects.

    Without a sector or stage filter, a grouped scan of the whole table is
    faster in rowid order (NOT INDEXED) than in index order, which reads the
    table at random. The stages join is needed only for the light filter.
    """
    scan = "projects p" if filters.sectors or filters.stages else "projects p NOT INDEXED"
    join = " JOIN stages st ON st.stage = p.stage" if filters.lights else ""
    return f" FROM {scan}{join}"


def summary_rows(
    conn: sqlite3.Connection, by: Sequence[str], filters: Filters, today: dt.date, *, active_only: bool = False
) -> list[sqlite3.Row]:
    """Count and 万元 of the projects `filters` selects, grouped by `by` (0-2 fields).

    Columns v0.. (each field's value), o0.. (its order key), count, wan; in
    ladder / sector order. With `active_only`, dropped projects never count.
    """
    where, params = filter_clause(filters, today)
    if active_only:
        where = f"{where} AND p.status = 'active'" if where else " WHERE p.status = 'active'"
    values = [f"{_GROUP_FIELDS[field][0]} AS v{index}" for index, field in enumerate(by)]
    inner = f"SELECT {', '.join([*values, 'count(*) AS count', 'sum(p.investment_wan) AS wan'])}"
    inner += _projects_from(filters) + where
    if not by:
        return conn.execute(inner, params).fetchall()
    inner += " GROUP BY " + ", ".join(f"v{index}" for index in range(len(by)))
    keys = [f"{_GROUP_FIELDS[field][1].format(v=f'g.v{index}')} AS o{index}" for index, field in enumerate(by)]
    orders = [f"o{index} IS NULL, o{index}" for index in range(len(by))]
    sql = f"SELECT g.*, {', '.join(keys)} FROM ({inner}) g ORDER BY {', '.join(orders)}"
    return conn.execute(sql, params).fetchall()


# Each stage's light thresholds as the last day a project may have entered it
# and still be yellow or red today: `days_in_stage >= red_days` is the same as
# `stage_since <= today - red_days`, a string comparison of ISO dates per row
# instead of date arithmetic. MATERIALIZED: computed once, not once per
# project. The last rung has no thresholds and no lights.
_CUTOFFS = """WITH c AS MATERIALIZED (
    SELECT stage, date(:today, '-' || red_days || ' days') AS red_cut,
           date(:today, '-' || yellow_days || ' days') AS yellow_cut
    FROM stages WHERE red_days IS NOT NULL)
"""
_CUT_LIGHT = (
    "CASE WHEN p.stage_since <= c.red_cut THEN 'red' WHEN p.stage_since <= c.yellow_cut THEN 'yellow' ELSE 'green' END"
)
_CUT_RANK = "CASE WHEN p.stage_since <= c.red_cut THEN 0 WHEN p.stage_since <= c.yellow_cut THEN 1 ELSE 2 END"

# A project's fields in model.PROJECT_FIELDS order, as the contract writes
# them: investment a number of 亿元 (an integer when whole; otherwise the
# double nearest to the exact amount, whose shortest repr is that amount's
# digits), key the text true/false. formats.write_plain_projects streams
# these tuples without building a dict per row.
_PLAIN_PROJECT_COLUMNS = f"""
    p.id, p.name, p.sector, p.stage, p.status,
    CASE WHEN p.investment_wan % 10000 = 0 THEN p.investment_wan / 10000 ELSE p.investment_wan / 10000.0 END,
    CASE WHEN p.key THEN 'true' ELSE 'false' END,
    p.district, p.unit, p.lead, p.note, p.source, p.stage_since, {_DAYS}, {_CUT_LIGHT}"""
_ROW_PROJECT_COLUMNS = f"""
    p.id, p.name, p.sector, p.stage, p.status, p.investment_wan, p.key, p.district, p.unit,
    p.lead, p.note, p.source, p.stage_since, {_DAYS} AS days_in_stage, {_CUT_LIGHT} AS light"""


def iter_lights(
    conn: sqlite3.Connection,
    filters: Filters,
    today: dt.date,
    *,
    at_least: str | None = None,
    plain: bool = False,
) -> Iterator[Any]:
    """Active projects below the last rung with their light, reddest then longest-waiting first.

    `at_least` 'yellow' or 'red' keeps only lights at or above it. Rows are
    sqlite3.Row (as iter_projects gives) or, with `plain`, tuples of the
    contract's values (see _PLAIN_PROJECT_COLUMNS).
    """
    where, params = filter_clause(filters, today)
    conditions = [where[len(" WHERE ") :]] if where else []
    conditions.append("p.status = 'active'")
    if at_least == "red":
        conditions.append("p.stage_since <= c.red_cut")
    elif at_least == "yellow":
        conditions.append("p.stage_since <= c.yellow_cut")
    columns = _PLAIN_PROJECT_COLUMNS if plain else _ROW_PROJECT_COLUMNS
    # Projects first (whole table in rowid order unless a sector or stage
    # filter can use its index), each looking up its stage's cut-off days.
    sql = (
        f"{_CUTOFFS}SELECT {columns}{_projects_from(filters)} JOIN c ON c.stage = p.stage"
        f" WHERE {' AND '.join(conditions)} ORDER BY {_CUT_RANK}, p.stage_since, p.id"
    )
    cursor = conn.cursor()
    if plain:
        cursor.row_factory = None
    return iter(cursor.execute(sql, params))


def light_counts(conn: sqlite3.Connection, filters: Filters, today: dt.date) -> dict[str, int]:
    """How many of the projects iter_lights would list are red and how many yellow."""
    where, params = filter_clause(filters, today)
    conditions = [where[len(" WHERE ") :]] if where else []
    conditions.append("p.status = 'active'")
    sql = (
        f"{_CUTOFFS}SELECT coalesce(sum(p.stage_since <= c.red_cut), 0) AS red,"
        " coalesce(sum(p.stage_since > c.red_cut AND p.stage_since <= c.yellow_cut), 0) AS yellow"
        f"{_projects_from(filters)} JOIN c ON c.stage = p.stage WHERE {' AND '.join(conditions)}"
    )
    row = conn.execute(sql, params).fetchone()
    return {"red": int(row["red"]), "yellow": int(row["yellow"])}


def iter_report_events(
    conn: sqlite3.Connection, filters: Filters, today: dt.date, since: dt.date
) -> Iterator[sqlite3.Row]:
    """Effective events dated on or after `since` of the projects `filters` selects, oldest first.

    Effective: not an undo, and not in a change that was undone (an undo
    reverts the whole change; the report treats it as never made). Each row
    carries its project's current name, sector, stage, status and amount.
    An undo is numbered above the change it reverts, so only undos numbered
    from the first change in the window need reading (the `change` index).
    """
    where, params = filter_clause(filters, today)
    params["since"] = since.isoformat()
    conditions = [where[len(" WHERE ") :]] if where else []
    conditions += [
        "e.date >= :since",
        "e.kind <> 'undo'",
        """(e.change IS NULL OR e.change NOT IN (
            SELECT undoes FROM events
            WHERE change >= (SELECT min(change) FROM events WHERE date >= :since) AND kind = 'undo'))""",
    ]
    sql = f"""
    SELECT e.id, e.project_id, e.kind, e."from", e."to", e.date, e.note, e.by, e.changes, e.change,
           p.name, p.sector, p.stage, p.status, p.investment_wan
    FROM events e JOIN projects p ON p.id = e.project_id JOIN stages st ON st.stage = p.stage
    WHERE {" AND ".join(conditions)}
    ORDER BY e.id"""
    return iter(conn.execute(sql, params))


def stage_thresholds(conn: sqlite3.Connection, stage: str) -> tuple[sqlite3.Row, bool]:
    """A stage's row (stage, name_zh, name_en, position, yellow_days, red_days) and whether it is the last rung."""
    row = conn.execute(
        "SELECT stage, name_zh, name_en, position, yellow_days, red_days,"
        " position = (SELECT max(position) FROM stages) AS last FROM stages WHERE stage = ?",
        (stage,),
    ).fetchone()
    if row is None:
        raise UsageError(f"unknown stage '{stage}'", "pipeline stages lists them")
    return row, bool(row["last"])


def set_stage_thresholds(conn: sqlite3.Connection, stage: str, yellow: int, red: int) -> None:
    """Change a stage's light thresholds (call inside `transaction()`): configuration, not a project event."""
    conn.execute("UPDATE stages SET yellow_days = ?, red_days = ? WHERE stage = ?", (yellow, red, stage))
