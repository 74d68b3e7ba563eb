"""Reading projects and events: the project query with days in stage and light, filters, sorting."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..model import (
    Filters,
)

if TYPE_CHECKING:
    pass


# --- reads -------------------------------------------------------------------

_DAYS = "CAST(julianday(:today) - julianday(p.stage_since) AS INTEGER)"
_LIGHT = f"""CASE
    WHEN p.status <> 'active' OR st.red_days IS NULL THEN NULL
    WHEN {_DAYS} >= st.red_days THEN 'red'
    WHEN {_DAYS} >= st.yellow_days THEN 'yellow'
    ELSE 'green' END"""

PROJECT_SELECT = f"""
SELECT p.id, p.name, p.sector, p.stage, p.status, p.investment_wan, p.key,
       p.district, p.unit, p.lead, p.note, p.source, p.stage_since,
       {_DAYS} AS days_in_stage, {_LIGHT} AS light
FROM projects p
JOIN stages st ON st.stage = p.stage
JOIN sectors sec ON sec.sector = p.sector
"""

# The same rows with each field as the contract writes it (investment a
# number of 亿元, key true/false: see _PLAIN_PROJECT_COLUMNS), for
# formats.write_plain_projects: `list` in a machine format streams a million
# projects without a dict or a Decimal per row.
PROJECT_PLAIN_SELECT = f"""
SELECT p.id, p.name, p.sector, p.stage, p.status,
       CASE WHEN p.investment_wan % 10000 = 0 THEN p.investment_wan / 10000 ELSE p.investment_wan / 10000.0 END,
       CASE WHEN p.key THEN 'true' ELSE 'false' END,
       p.district, p.unit, p.lead, p.note, p.source, p.stage_since,
       {_DAYS} AS days_in_stage, {_LIGHT} AS light
FROM projects p
JOIN stages st ON st.stage = p.stage
JOIN sectors sec ON sec.sector = p.sector
"""

# --sort FIELD -> ORDER BY expression; unknown values never reach SQL.
SORT_EXPRESSIONS = {
    "id": "p.id",
    "name": "p.name",
    "sector": "sec.position",
    "stage": "st.position",
    "status": "p.status",
    "investment": "p.investment_wan",
    "key": "p.key",
    "district": "p.district",
    "stage_since": "p.stage_since",
    "days_in_stage": "days_in_stage",
    "light": "CASE light WHEN 'red' THEN 3 WHEN 'yellow' THEN 2 WHEN 'green' THEN 1 ELSE 0 END",
}


def filter_clause(filters: Filters, today: dt.date) -> tuple[str, dict[str, Any]]:
    """WHERE clause and parameters for the contract's filters (on p, st)."""
    conditions: list[str] = []
    params: dict[str, Any] = {"today": today.isoformat()}

    def any_of(column: str, name: str, values: Sequence[str]) -> None:
        keys = []
        for index, value in enumerate(values):
            params[f"{name}{index}"] = value
            keys.append(f":{name}{index}")
        conditions.append(f"{column} IN ({', '.join(keys)})")

    if filters.sectors:
        any_of("p.sector", "sector", filters.sectors)
    if filters.stages:
        any_of("p.stage", "stage", filters.stages)
    if filters.key:
        conditions.append("p.key = 1")
    if filters.status:
        conditions.append("p.status = :status")
        params["status"] = filters.status
    elif not filters.include_dropped:
        conditions.append("p.status = 'active'")
    if filters.district:
        # A prefix, taken literally: 城阳 finds 城阳区.
        conditions.append("substr(p.district, 1, length(:district)) = :district")
        params["district"] = filters.district
    if filters.min_wan is not None:
        conditions.append("p.investment_wan >= :min_wan")
        params["min_wan"] = filters.min_wan
    if filters.max_wan is not None:
        conditions.append("p.investment_wan <= :max_wan")
        params["max_wan"] = filters.max_wan
    if filters.search:
        # instr(), not LIKE: % and _ in the search text are plain characters.
        conditions.append(
            "(instr(lower(p.name), lower(:search)) > 0 OR instr(lower(coalesce(p.note, '')), lower(:search)) > 0)"
        )
        params["search"] = filters.search
    if filters.lights:
        any_of(f"({_LIGHT})", "light", filters.lights)
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return where, params


def iter_projects(
    conn: sqlite3.Connection,
    filters: Filters,
    today: dt.date,
    *,
    sort: str = "id",
    reverse: bool = False,
    limit: int | None = None,
    plain: bool = False,
) -> Iterator[Any]:
    """Projects matching `filters`, streamed from the cursor.

    Rows are sqlite3.Row (investment in 万元, key 0/1) or, with `plain`,
    tuples of the contract's values in model.PROJECT_FIELDS order.
    """
    where, params = filter_clause(filters, today)
    direction = "DESC" if reverse else "ASC"
    select = PROJECT_PLAIN_SELECT if plain else PROJECT_SELECT
    sql = f"{select}{where} ORDER BY {SORT_EXPRESSIONS[sort]} {direction}, p.id {direction}"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    cursor = conn.cursor()
    if plain:
        cursor.row_factory = None
    return iter(cursor.execute(sql, params))


def get_project(conn: sqlite3.Connection, project_id: int, today: dt.date) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        f"{PROJECT_SELECT} WHERE p.id = :id", {"id": project_id, "today": today.isoformat()}
    ).fetchone()
    return row


EVENT_SELECT = """
SELECT e.id, e.project_id, p.name AS project_name, e.kind, e."from", e."to", e.date,
       e.recorded_at, e.note, e.by, e.changes, e.change, e.undoes
FROM events e JOIN projects p ON p.id = e.project_id
"""


def iter_events(
    conn: sqlite3.Connection,
    *,
    project_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Iterator[sqlite3.Row]:
    """Events oldest first, optionally for one project and a date range."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if project_id is not None:
        conditions.append("e.project_id = :project_id")
        params["project_id"] = project_id
    if since is not None:
        conditions.append("e.date >= :since")
        params["since"] = since.isoformat()
    if until is not None:
        conditions.append("e.date <= :until")
        params["until"] = until.isoformat()
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return iter(conn.execute(f"{EVENT_SELECT}{where} ORDER BY e.id", params))


def stages(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT stage, name_zh, name_en, position, yellow_days, red_days FROM stages ORDER BY position"
    ).fetchall()


def sectors(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT sector, name_zh, name_en, position FROM sectors ORDER BY position").fetchall()
