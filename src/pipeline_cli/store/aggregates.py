"""The SQL of summary, funnel, lights and the dispatch report: aggregates in SQL, rows streamed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import UsageError
from ..fields import CUTOFFS_SQL, FIELDS, LIGHT_RANK_SQL, NEXT_PLAN_JOIN, Field
from ..model import Filters
from ._core import stream_rows
from .reads import cutoffs, filter_clause, select_list

# --- aggregates -------------------------------------------------------------------
# The SQL of summary, funnel, lights, report and `stages set`. Aggregates are
# grouped in SQL, one pass over the projects, so a million projects come back
# as a handful of rows; tallies.py shapes them.

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


def _projects_from(filters: Filters, *, lights_only: bool = False) -> str:
    """FROM clause for an aggregate over the projects `filter_clause` selects.

    Without a sector or stage filter, a grouped scan of the whole table is
    faster in rowid order (NOT INDEXED) than in index order, which reads the
    table at random. The stages join is needed only for the light filter.
    """
    scan = "projects p" if filters.sectors or filters.stages else "projects p NOT INDEXED"
    if lights_only:
        # Only the stages that have lights; the next plan for the plan light.
        join = " JOIN c ON c.stage = p.stage" + NEXT_PLAN_JOIN
    else:
        join = " LEFT JOIN c ON c.stage = p.stage" if filters.lights else ""
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
        return conn.execute(cutoffs(filters) + inner, params).fetchall()
    inner += " GROUP BY " + ", ".join(f"v{index}" for index in range(len(by)))
    keys = [f"{_GROUP_FIELDS[field][1].format(v=f'g.v{index}')} AS o{index}" for index, field in enumerate(by)]
    orders = [f"o{index} IS NULL, o{index}" for index in range(len(by))]
    # The order keys named in an outer query: PostgreSQL orders by an output column only by its bare name.
    sql = (
        f"{cutoffs(filters)}SELECT * FROM (SELECT g.*, {', '.join(keys)} FROM ({inner}) g) o"
        f" ORDER BY {', '.join(orders)}"
    )
    return conn.execute(sql, params).fetchall()


def iter_lights(
    conn: sqlite3.Connection,
    filters: Filters,
    today: dt.date,
    *,
    fields: Sequence[Field] = FIELDS,
    at_least: str | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Active projects below the last rung with their light, reddest then longest-waiting first.

    `at_least` 'yellow' or 'red' keeps only lights at or above it. Rows are
    tuples of `fields`, as iter_projects gives them.
    """
    where, params = filter_clause(filters, today)
    conditions = [where[len(" WHERE ") :]] if where else []
    conditions.append("p.status = 'active'")
    if at_least is not None:
        conditions.append(f"({LIGHT_RANK_SQL}) <= {0 if at_least == 'red' else 1}")
    # Projects first (whole table in rowid order unless a sector or stage
    # filter can use its index), each looking up its stage's cut-off days.
    sql = (
        f"WITH {CUTOFFS_SQL}\nSELECT {select_list(fields)}{_projects_from(filters, lights_only=True)}"
        f" WHERE {' AND '.join(conditions)} ORDER BY {LIGHT_RANK_SQL}, p.stage_since, p.id"
    )
    return stream_rows(conn, sql, params)


def light_counts(conn: sqlite3.Connection, filters: Filters, today: dt.date) -> dict[str, int]:
    """How many of the projects iter_lights would list are red and how many yellow."""
    where, params = filter_clause(filters, today)
    conditions = [where[len(" WHERE ") :]] if where else []
    conditions.append("p.status = 'active'")
    sql = (
        f"WITH {CUTOFFS_SQL}\nSELECT coalesce(sum(({LIGHT_RANK_SQL}) = 0), 0) AS red,"
        f" coalesce(sum(({LIGHT_RANK_SQL}) = 1), 0) AS yellow"
        f"{_projects_from(filters, lights_only=True)} WHERE {' AND '.join(conditions)}"
    )
    row = conn.execute(sql, params).fetchone()
    return {"red": int(row["red"]), "yellow": int(row["yellow"])}


def _effective_since(filters: Filters, today: dt.date, since: dt.date) -> tuple[list[str], dict[str, Any]]:
    """Conditions on events e (and their projects p) for the effective events dated on or after `since`.

    Effective: not an undo, and not in a change that was undone (an undo
    reverts the whole change; the report treats it as never made). An undo
    is numbered above the change it reverts, so only undos numbered from the
    first change in the window need reading (the `change` index).
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
    return conditions, params


def iter_report_events(
    conn: sqlite3.Connection, filters: Filters, today: dt.date, since: dt.date
) -> Iterator[sqlite3.Row]:
    """Effective events dated on or after `since` of the projects `filters` selects, a project at a time.

    Grouped by project, each project's oldest first, so that the report
    holds one project's events at a time. Only the events that change what
    the totals count (stage, sector, amount, status, existence) are read.
    Each row carries its project's current sector, stage, status and amount.
    """
    conditions, params = _effective_since(filters, today, since)
    conditions.append("e.kind IN ('created', 'stage', 'edited', 'dropped', 'restored')")
    sql = f"""{cutoffs(filters)}
    SELECT e.project_id, e.kind, e."from", e."to", e.date, e.changes,
           p.sector, p.stage, p.status, p.investment_wan
    FROM events e JOIN projects p ON p.id = e.project_id{" LEFT JOIN c ON c.stage = p.stage" if filters.lights else ""}
    WHERE {" AND ".join(conditions)}
    ORDER BY e.project_id, e.id"""
    return stream_rows(conn, sql, params, by_name=True)


def iter_report_entries(
    conn: sqlite3.Connection, filters: Filters, today: dt.date, since: dt.date, until: dt.date, kind: str
) -> Iterator[sqlite3.Row]:
    """The period's effective events of one kind (stage, created, dropped, restored), oldest first.

    Each with its project's current name, sector, stage and amount, as the
    report lists them; within a day in the order they were written.
    """
    conditions, params = _effective_since(filters, today, since)
    conditions += ["e.date <= :until", "e.kind = :kind"]
    params.update({"until": until.isoformat(), "kind": kind})
    sql = f"""{cutoffs(filters)}
    SELECT e.project_id, e.kind, e."from", e."to", e.date, e.note, e.by,
           p.name, p.sector, p.stage, p.investment_wan
    FROM events e JOIN projects p ON p.id = e.project_id{" LEFT JOIN c ON c.stage = p.stage" if filters.lights else ""}
    WHERE {" AND ".join(conditions)}
    ORDER BY e.date, e.id"""
    return stream_rows(conn, sql, params, by_name=True)


def stage_thresholds(conn: sqlite3.Connection, stage: str) -> tuple[sqlite3.Row, bool]:
    """A stage's row (stage, name_zh, name_en, position, yellow_days, red_days) and whether it is the last rung."""
    row = conn.execute(
        "SELECT stage, name_zh, name_en, position, yellow_days, red_days, plan_yellow_days, plan_red_days,"
        " position = (SELECT max(position) FROM stages) AS last,"
        " position = (SELECT min(position) FROM stages) AS first FROM stages WHERE stage = ?",
        (stage,),
    ).fetchone()
    if row is None:
        raise UsageError("resolve.stage.unknown", "stages.list.hint", value=stage)
    return row, bool(row["last"])


def set_stage_thresholds(conn: sqlite3.Connection, stage: str, yellow: int, red: int) -> None:
    """Change a stage's light thresholds (call inside `transaction()`): configuration, not a project event."""
    conn.execute("UPDATE stages SET yellow_days = ?, red_days = ? WHERE stage = ?", (yellow, red, stage))


def set_plan_thresholds(conn: sqlite3.Connection, stage: str, yellow: int, red: int) -> None:
    """Change a stage's plan-light thresholds (days past a planned date; inside `transaction()`)."""
    conn.execute("UPDATE stages SET plan_yellow_days = ?, plan_red_days = ? WHERE stage = ?", (yellow, red, stage))


def _due_query(
    filters: Filters, today: dt.date, within: int | None, *, overdue: bool | None, select: str
) -> tuple[str, dict[str, Any]]:
    """The FROM and WHERE of the projects `due` lists, with `select` (fields or counts).

    `within` None: overdue ones only. `overdue` False leaves the overdue
    ones out (the report's `due`), True keeps only them, None both. Only
    projects with some plan dated up to the last day can qualify: the
    plans_date index finds them, so the rest of the table is never read.
    """
    from ..fields import NEXT_PLAN_DATE_SQL, PROJECTS_FROM

    where, params = filter_clause(filters, today)
    if within is None:
        params["until"] = (today - dt.timedelta(days=1)).isoformat()
    else:
        params["until"] = (today + dt.timedelta(days=within)).isoformat()
    conditions = [where[len(" WHERE ") :]] if where else []
    conditions += [
        "p.status = 'active'",
        "p.id IN (SELECT project_id FROM plans WHERE date <= :until)",
        f"({NEXT_PLAN_DATE_SQL}) <= :until",
    ]
    if overdue is True:
        conditions.append(f"({NEXT_PLAN_DATE_SQL}) < :today")
    elif overdue is False:
        conditions.append(f"({NEXT_PLAN_DATE_SQL}) >= :today")
    return f"WITH {CUTOFFS_SQL}\nSELECT {select}{PROJECTS_FROM} WHERE {' AND '.join(conditions)}", params


def iter_due(
    conn: sqlite3.Connection,
    filters: Filters,
    today: dt.date,
    within: int | None,
    *,
    fields: Sequence[Field] = FIELDS,
    overdue: bool | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Active projects whose next planned milestone is past or within `within` days of today, oldest date first.

    `overdue`: True only those past their date, False only those not yet
    past it (due today or later), None both.
    """
    from ..fields import NEXT_PLAN_DATE_SQL

    sql, params = _due_query(filters, today, within, overdue=overdue, select=select_list(fields))
    return stream_rows(conn, f"{sql} ORDER BY ({NEXT_PLAN_DATE_SQL}), p.id", params)


def due_count(conn: sqlite3.Connection, filters: Filters, today: dt.date, within: int | None, *, overdue: bool) -> int:
    """How many projects iter_due would list (a report's section title says it before the rows stream)."""
    sql, params = _due_query(filters, today, within, overdue=overdue, select="count(*)")
    return int(conn.execute(sql, params).fetchone()[0])
