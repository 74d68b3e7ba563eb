"""Reading projects and events: the project query with days in stage and light, filters, sorting."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from ..fields import (
    CUTOFFS_SQL,
    DAYS_SQL,
    FIELDS,
    LIGHT_LOOKUP_SQL,
    LIGHT_RANK_SQL,
    OVERDUE_LOOKUP_SQL,
    PROJECTS_FROM,
    Field,
)
from ..model import Filters
from ._core import stream_rows

# --- reads -------------------------------------------------------------------
# One read path for every command that prints projects: a SELECT of the
# fields asked for (fields.FIELDS by default, in that order), each read as
# its kind says (money as exact decimal text of 亿元, key 0/1), as plain
# tuples streamed from the cursor. formats writes them in every format.


def select_list(fields: Sequence[Field]) -> str:
    """The SELECT list of `fields`, in order."""
    return ", ".join(field.select for field in fields)


def cutoffs(filters: Filters | None = None) -> str:
    """`WITH c AS (...) ` when a query over `p` needs each stage's light cut-offs."""
    return f"WITH {CUTOFFS_SQL}\n" if filters is None or filters.lights else ""


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
    "days_in_stage": DAYS_SQL,
    # No light first, then green, yellow, red.
    "light": f"3 - ({LIGHT_RANK_SQL})",
}
# Sort keys that can be NULL: ordered below every value, as SQLite orders NULL, on
# PostgreSQL too (which puts NULL above); the others keep their plain ORDER BY,
# which an index or the rowid order serves.
NULLABLE_SORTS = frozenset({"investment", "district"})


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
    else:
        conditions.append("p.status <> 'undone'")  # an undone add is not a drop
    for column, values in (("district", filters.districts), ("unit", filters.units), ("lead", filters.leads)):
        if values:
            # Each a prefix, taken literally (城阳 finds 城阳区); any of them.
            keys = []
            for index, value in enumerate(values):
                params[f"{column}{index}"] = value
                keys.append(f"substr(p.{column}, 1, length(:{column}{index})) = :{column}{index}")
            conditions.append(f"({' OR '.join(keys)})")
    if filters.min_wan is not None:
        conditions.append("p.investment_wan >= :min_wan")
        params["min_wan"] = filters.min_wan
    if filters.max_wan is not None:
        conditions.append("p.investment_wan <= :max_wan")
        params["max_wan"] = filters.max_wan
    if filters.search:
        # instr(), not LIKE: % and _ in the search text are plain characters.
        searched = ("name", "note", "district", "unit", "lead")
        conditions.append(
            "(" + " OR ".join(f"instr(lower(coalesce(p.{c}, '')), lower(:search)) > 0" for c in searched) + ")"
        )
        params["search"] = filters.search
    if filters.lights:
        # Needs the cut-offs `c` in the query (cutoffs(filters) and a join on c.stage).
        any_of(f"({LIGHT_LOOKUP_SQL})", "light", filters.lights)
    if filters.overdue:
        # Only projects with a plan dated before today can be overdue (plans_date index).
        conditions.append(f"p.id IN (SELECT project_id FROM plans WHERE date < :today) AND ({OVERDUE_LOOKUP_SQL}) > 0")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return where, params


def iter_projects(
    conn: sqlite3.Connection,
    filters: Filters,
    today: dt.date,
    *,
    fields: Sequence[Field] = FIELDS,
    sort: str = "id",
    reverse: bool = False,
    limit: int | None = None,
) -> Iterator[tuple[Any, ...]]:
    """Projects matching `filters`, as tuples of `fields`, streamed from the cursor."""
    where, params = filter_clause(filters, today)
    direction = "DESC" if reverse else "ASC"
    key = SORT_EXPRESSIONS[sort]
    nulls = f"{key} IS NOT NULL {direction}, " if sort in NULLABLE_SORTS else ""
    sql = (
        f"{cutoffs()}SELECT {select_list(fields)}{PROJECTS_FROM}{where}"
        f" ORDER BY {nulls}{key} {direction}, p.id {direction}"
    )
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return stream_rows(conn, sql, params)


def _tuples(conn: sqlite3.Connection, sql: str, params: dict[str, Any] | Sequence[Any]) -> Iterator[tuple[Any, ...]]:
    cursor = conn.cursor()
    cursor.row_factory = None
    return iter(cursor.execute(sql, params))


def get_project(
    conn: sqlite3.Connection, project_id: int, today: dt.date, fields: Sequence[Field] = FIELDS
) -> tuple[Any, ...] | None:
    """One project as a tuple of `fields`; None if there is none or its add was undone."""
    sql = f"{cutoffs()}SELECT {select_list(fields)}{PROJECTS_FROM} WHERE p.id = :id AND p.status <> 'undone'"
    return next(_tuples(conn, sql, {"id": project_id, "today": today.isoformat()}), None)


def add_undone(conn: sqlite3.Connection, project_id: int) -> bool:
    """Whether `project_id` names a project whose add was undone."""
    row = conn.execute("SELECT status FROM projects WHERE id = ?", (project_id,)).fetchone()
    return row is not None and row[0] == "undone"


EVENT_SELECT = """
SELECT e.id, e.project_id, p.name AS project_name, e.kind, e."from", e."to", e.date,
       e.recorded_at, e.note, e.by, e.db_user, e.plan_from, e.plan_to, e.problem_id,
       e.changes, e.change, e.undoes
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
    return stream_rows(conn, f"{EVENT_SELECT}{where} ORDER BY e.id", params, by_name=True)


def stages(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT stage, name_zh, name_en, position, yellow_days, red_days, plan_yellow_days, plan_red_days"
        " FROM stages ORDER BY position"
    ).fetchall()


def sectors(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    return conn.execute("SELECT sector, name_zh, name_en, position FROM sectors ORDER BY position").fetchall()
