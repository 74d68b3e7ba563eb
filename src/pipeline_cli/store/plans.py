"""The SQL of `plan`: the date by which a project is planned to reach a stage, on record.

`plans` holds each project's current planned date per stage (the plan_to of
its newest effective `planned` event); each `plan` command writes the row
and a `planned` event with the old and new dates in one transaction, and an
undo puts the old date back. Only indexed lookups: O(1) at any size.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from ..errors import Conflict
from .access import one_row_changed
from .changes import Done, _existing, add_event, next_change


def planned_date(conn: sqlite3.Connection, project_id: int, stage: str) -> str | None:
    row = conn.execute("SELECT date FROM plans WHERE project_id = ? AND stage = ?", (project_id, stage)).fetchone()
    return row[0] if row is not None else None


def set_plan(conn: sqlite3.Connection, project_id: int, stage: str, date: str | None) -> None:
    """Put (or, with None, remove) a project's planned date for a stage."""
    if date is None:
        cursor = conn.execute("DELETE FROM plans WHERE project_id = ? AND stage = ?", (project_id, stage))
        if cursor.rowcount == 0 and planned_date(conn, project_id, stage) is not None:
            one_row_changed(conn, 0)  # the server's policies kept it
    else:
        conn.execute(
            "INSERT INTO plans (project_id, stage, date) VALUES (?, ?, ?)"
            " ON CONFLICT (project_id, stage) DO UPDATE SET date = excluded.date",
            (project_id, stage, date),
        )


def _position(conn: sqlite3.Connection, stage: str) -> int:
    return int(conn.execute("SELECT position FROM stages WHERE stage = ?", (stage,)).fetchone()[0])


def plan_project(
    conn: sqlite3.Connection,
    project_id: int,
    stage: str,
    date: dt.date | None,
    *,
    today: dt.date,
    by: str,
    note: str | None,
) -> Done | None:
    """`plan`: set (date) or clear (None) the planned date for `stage`; None when it already is so."""
    row = _existing(conn, project_id)
    if row["status"] == "dropped":
        raise Conflict("plan.dropped", "plan.dropped.hint", id=project_id, name=row["name"])
    if _position(conn, stage) <= _position(conn, row["stage"]):
        raise Conflict(
            "plan.not_above", "plan.not_above.hint", id=project_id, name=row["name"], stage=stage, at=row["stage"]
        )
    old = planned_date(conn, project_id, stage)
    new = date.isoformat() if date is not None else None
    if old == new:
        return None
    set_plan(conn, project_id, stage, new)
    add_event(
        conn,
        project_id,
        "planned",
        date=today,
        change=next_change(conn),
        by=by,
        to=stage,
        note=note,
        plan_from=old,
        plan_to=new,
    )
    return Done(project_id, row["name"], "planned", to=stage, changes={"plan": [old, new]})


def undo_plan_event(conn: sqlite3.Connection, event: sqlite3.Row) -> dict[str, list[Any]]:
    """Put back the date a `planned` event replaced; what changed, as an undo event records it."""
    project_id, stage = event["project_id"], event["to"]
    current = planned_date(conn, project_id, stage)
    set_plan(conn, project_id, stage, event["plan_from"])
    return {"plan": [current, event["plan_from"]]}


def project_plans(conn: sqlite3.Connection, project_id: int) -> list[dict[str, Any]]:
    """A project's plans in ladder order: stage, date, reached (the day it was reached, or null), slips.

    reached: the date of the newest effective `stage` or `created` event that
    put the project at that stage or above. slips: effective `planned`
    events for the stage that moved its date later.
    """
    undone = {
        r[0]
        for r in conn.execute(
            "SELECT undoes FROM events WHERE project_id = ? AND kind = 'undo' AND undoes IS NOT NULL", (project_id,)
        )
    }
    positions = {r[0]: r[1] for r in conn.execute("SELECT stage, position FROM stages")}
    events = [
        r
        for r in conn.execute(
            'SELECT kind, "to", date, plan_from, plan_to, change FROM events'
            " WHERE project_id = ? AND kind IN ('created', 'stage', 'planned') ORDER BY id",
            (project_id,),
        )
        if r[5] is None or r[5] not in undone
    ]
    plans = []
    for stage, date in conn.execute(
        "SELECT pl.stage, pl.date FROM plans pl JOIN stages s ON s.stage = pl.stage"
        " WHERE pl.project_id = ? ORDER BY s.position",
        (project_id,),
    ):
        reached = None
        for kind, to, when, _, _, _ in events:
            if kind in ("created", "stage") and to is not None:
                # Moved back below it: not reached (again) yet.
                reached = (reached or when) if positions[to] >= positions[stage] else None
        slips = sum(
            1
            for kind, to, _, old, new, _ in events
            if kind == "planned" and to == stage and old is not None and new is not None and new > old
        )
        plans.append({"stage": stage, "date": date, "reached": reached, "slips": slips})
    return plans
