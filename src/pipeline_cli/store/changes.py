"""The SQL of add, edit, advance, move, drop, restore and undo."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Conflict, DatabaseUnusable
from ..model import (
    EDIT_COLUMNS,
    UNDONE,
    ProjectRecord,
    change_value,
    check_date,
    describe_event,
    next_stage,
    no_project,
    stored_value,
)
from ._core import STORED_COLUMNS, _utc_now, db_user, insert_project
from .access import check_new_district, check_project, check_undo, one_row_changed
from .reads import EVENT_SELECT

# --- changes -------------------------------------------------------------------
# The SQL of add, edit, advance, move, drop, restore and undo.
#
# Small helpers (next_change, add_event, project_state, last_event_date,
# set_stage, set_status, update_fields) are for use inside `transaction()`;
# every event one command writes carries the same `change` number, taken from
# next_change() inside that transaction. A `stage` event's `date` is the day
# the project entered its new stage, i.e. its new `stage_since`, so a
# project's stage and stage_since always equal the `to` and `date` of its last
# effective stage-bearing event (`created` or `stage`, in a change that was not
# undone). `check` holds the database to that.
#
# The operations below (add_project ... undo_change) each do one command's
# work on an open transaction and return what they did, one `Done` per project.
# Only indexed lookups on this path: a million projects move as fast as 47.

_STATE_SELECT = f"SELECT {STORED_COLUMNS} FROM projects WHERE id = ?"


@dataclass(frozen=True)
class Done:
    """One project a command changed, and how: data, never a sentence.

    action: what happened to the project: `added`, `stage`, `edited`,
      `dropped`, `restored`, or (only by an undo) `add_undone`.
    stage: its stage after an add or a restore; from_/to: the stages of a
      move; changes: field name → [old, new] as an event records them;
      reason: a drop's reason; undoes: the change an undo reverted.
    The output layer (sentences.py) says it in the invocation's language.
    """

    project_id: int
    name: str
    action: str
    stage: str | None = None
    from_: str | None = None
    to: str | None = None
    changes: dict[str, list[Any]] | None = None
    reason: str | None = None
    undoes: int | None = None
    problem_id: int | None = None


def next_change(conn: sqlite3.Connection) -> int:
    """The number for the change being written (call inside the transaction)."""
    row = conn.execute("SELECT max(change) FROM events").fetchone()
    return int(row[0] or 0) + 1


# One event's columns, in order (add_event; import writes many at once with executemany).
EVENT_INSERT = """
INSERT INTO events (project_id, kind, "from", "to", date, recorded_at, note, by, changes, change, undoes,
                    plan_from, plan_to, problem_id, db_user)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def add_event(
    conn: sqlite3.Connection,
    project_id: int,
    kind: str,
    *,
    date: str | dt.date,
    change: int | None,
    by: str | None,
    from_: str | None = None,
    to: str | None = None,
    note: str | None = None,
    changes: dict[str, Any] | None = None,
    undoes: int | None = None,
    plan_from: str | None = None,
    plan_to: str | None = None,
    problem_id: int | None = None,
) -> int:
    """Append one event; `changes` is stored as JSON text. Returns the event id."""
    cursor = conn.execute(
        EVENT_INSERT,
        (
            project_id,
            kind,
            from_,
            to,
            date.isoformat() if isinstance(date, dt.date) else date,
            _utc_now(),
            note,
            by,
            json.dumps(changes, ensure_ascii=False) if changes is not None else None,
            change,
            undoes,
            plan_from,
            plan_to,
            problem_id,
            db_user(),
        ),
    )
    event_id = cursor.lastrowid
    assert event_id is not None
    return event_id


def project_state(conn: sqlite3.Connection, project_id: int) -> sqlite3.Row | None:
    """A project's stored fields (investment in 万元, key 0/1), or None."""
    row: sqlite3.Row | None = conn.execute(_STATE_SELECT, (project_id,)).fetchone()
    return row


def last_event_date(conn: sqlite3.Connection, project_id: int) -> str | None:
    """The latest `date` among a project's events (YYYY-MM-DD), or None."""
    row = conn.execute("SELECT max(date) FROM events WHERE project_id = ?", (project_id,)).fetchone()
    return row[0] if row is not None else None


def set_stage(conn: sqlite3.Connection, project_id: int, stage: str, since: str | dt.date) -> None:
    """Put a project at `stage`, entered on `since` (record a `stage` event with it)."""
    cursor = conn.execute(
        "UPDATE projects SET stage = ?, stage_since = ? WHERE id = ?",
        (stage, since.isoformat() if isinstance(since, dt.date) else since, project_id),
    )
    one_row_changed(conn, cursor.rowcount)


def set_status(conn: sqlite3.Connection, project_id: int, status: str) -> None:
    cursor = conn.execute("UPDATE projects SET status = ? WHERE id = ?", (status, project_id))
    one_row_changed(conn, cursor.rowcount)


_UPDATABLE_COLUMNS = frozenset(EDIT_COLUMNS.values())


def update_fields(conn: sqlite3.Connection, project_id: int, values: dict[str, Any]) -> None:
    """Set columns of a project: name, sector, investment_wan, key, district, unit, lead, note."""
    unknown = set(values) - _UPDATABLE_COLUMNS
    if unknown:
        raise ValueError(f"not an editable column: {', '.join(sorted(unknown))}")
    if not values:
        return
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    params = {column: (int(value) if isinstance(value, bool) else value) for column, value in values.items()}
    cursor = conn.execute(f"UPDATE projects SET {assignments} WHERE id = :id", {**params, "id": project_id})
    one_row_changed(conn, cursor.rowcount)


def _existing(conn: sqlite3.Connection, project_id: int) -> sqlite3.Row:
    """A project that can be changed: it exists, its add was not undone, and it is of the role's districts."""
    row = project_state(conn, project_id)
    if row is None or row["status"] == UNDONE:
        raise no_project(project_id, undone=row is not None)
    check_project(conn, project_id, row["name"], row["district"])
    return row


def _movable(row: sqlite3.Row, from_stage: str | None) -> None:
    """Refuse to move a dropped project, or one not at the --from stage."""
    if row["status"] == "dropped":
        raise Conflict("move.dropped", "move.dropped.hint", id=row["id"], name=row["name"])
    if from_stage is not None and row["stage"] != from_stage:
        raise Conflict(
            "move.from_mismatch",
            "move.from_mismatch.hint",
            id=row["id"],
            name=row["name"],
            stage=row["stage"],
            expected=from_stage,
        )


def add_project(conn: sqlite3.Connection, record: ProjectRecord, *, by: str) -> Done:
    """`add`: a new project with its `created` event, under a new change."""
    check_new_district(conn, None, record.name, record.district)
    project_id = insert_project(conn, record, change=next_change(conn), by=by)
    return Done(project_id, record.name, "added", stage=record.stage)


def edit_project(
    conn: sqlite3.Connection, project_id: int, values: dict[str, Any], *, date: dt.date, by: str
) -> Done | None:
    """`edit`: set fields given by contract name; None when nothing differs."""
    row = _existing(conn, project_id)
    changes: dict[str, list[Any]] = {}
    columns: dict[str, Any] = {}
    for field_name, value in values.items():
        column = EDIT_COLUMNS[field_name]
        old = change_value(field_name, row[column])
        new = change_value(field_name, value)
        if old != new:
            changes[field_name] = [old, new]
            columns[column] = value
    if not changes:
        return None
    if "district" in columns:
        check_new_district(conn, project_id, row["name"], columns["district"])
    update_fields(conn, project_id, columns)
    add_event(conn, project_id, "edited", date=date, change=next_change(conn), by=by, changes=changes)
    name = columns.get("name", row["name"])
    return Done(project_id, name, "edited", changes=changes)


def advance_projects(
    conn: sqlite3.Connection,
    project_ids: Sequence[int],
    *,
    from_stage: str | None,
    date: dt.date,
    today: dt.date,
    by: str,
    note: str | None,
) -> list[Done]:
    """`advance`: each project one rung up, all of them or none."""
    rows = [_existing(conn, project_id) for project_id in project_ids]
    targets: list[tuple[sqlite3.Row, str]] = []
    for row in rows:
        _movable(row, from_stage)
        target = next_stage(row["stage"])
        if target is None:
            raise Conflict("advance.last", "advance.last.hint", id=row["id"], name=row["name"], stage=row["stage"])
        check_date(date, today, last_event_date(conn, row["id"]))
        targets.append((row, target))
    change = next_change(conn)
    done = []
    for row, target in targets:
        set_stage(conn, row["id"], target, date)
        add_event(conn, row["id"], "stage", date=date, change=change, by=by, from_=row["stage"], to=target, note=note)
        done.append(Done(row["id"], row["name"], "stage", from_=row["stage"], to=target))
    return done


def move_project(
    conn: sqlite3.Connection,
    project_id: int,
    stage: str,
    *,
    from_stage: str | None,
    date: dt.date,
    today: dt.date,
    by: str,
    note: str | None,
) -> Done | None:
    """`move`: set the stage, forwards or backwards; None when it is already there."""
    row = _existing(conn, project_id)
    _movable(row, from_stage)
    if row["stage"] == stage:
        return None
    check_date(date, today, last_event_date(conn, project_id))
    set_stage(conn, project_id, stage, date)
    add_event(
        conn, project_id, "stage", date=date, change=next_change(conn), by=by, from_=row["stage"], to=stage, note=note
    )
    return Done(project_id, row["name"], "stage", from_=row["stage"], to=stage)


def drop_project(
    conn: sqlite3.Connection, project_id: int, *, reason: str, date: dt.date, today: dt.date, by: str
) -> Done:
    """`drop`: take an active project out of the pipeline, with a reason."""
    row = _existing(conn, project_id)
    if row["status"] == "dropped":
        raise Conflict("drop.already", "drop.already.hint", id=project_id, name=row["name"])
    check_date(date, today, last_event_date(conn, project_id))
    set_status(conn, project_id, "dropped")
    add_event(conn, project_id, "dropped", date=date, change=next_change(conn), by=by, note=reason)
    return Done(project_id, row["name"], "dropped", reason=reason)


def restore_project(
    conn: sqlite3.Connection, project_id: int, *, date: dt.date, today: dt.date, by: str, note: str | None
) -> Done:
    """`restore`: bring a dropped project back, at the stage it had."""
    row = _existing(conn, project_id)
    if row["status"] != "dropped":
        raise Conflict("restore.not_dropped", "restore.not_dropped.hint", id=project_id, name=row["name"])
    check_date(date, today, last_event_date(conn, project_id))
    set_status(conn, project_id, "active")
    add_event(conn, project_id, "restored", date=date, change=next_change(conn), by=by, note=note)
    return Done(project_id, row["name"], "restored", stage=row["stage"])


# --- undo


def undo_target(conn: sqlite3.Connection) -> int | None:
    """The change `undo` reverts: the newest that is neither an undo nor undone.

    Walks the changes newest first along the `change` index. Every undo of a
    change is numbered above it, so by the time the walk reaches a change it
    has seen every undo of it.
    """
    undone: set[int] = set()
    cursor = conn.execute(
        "SELECT change, kind, undoes FROM events WHERE change IS NOT NULL ORDER BY change DESC, id DESC"
    )
    for change, kind, undoes in cursor:
        if kind == "undo":
            undone.add(undoes)
        elif change not in undone:
            cursor.close()
            return int(change)
    return None


def change_events(conn: sqlite3.Connection, change: int) -> list[sqlite3.Row]:
    """The events of one change, oldest first (with the project's name)."""
    return conn.execute(f"{EVENT_SELECT} WHERE e.change = ? ORDER BY e.id", (change,)).fetchall()


def _stage_before(conn: sqlite3.Connection, project_id: int, event_id: int, reverting: int) -> sqlite3.Row:
    """The stage-bearing event in force before `event_id`, as undo of change `reverting` sees it.

    The newest `created`/`stage` event of the project older than `event_id`
    whose change was not undone (the change being reverted still counts); if
    none, its `created` event, as `check` does. The project's own undo events
    name every change of it that was undone, and all come after it.
    """
    undone: set[int] = set()
    created: sqlite3.Row | None = None
    row: sqlite3.Row
    for row in conn.execute(
        'SELECT id, kind, "to", date, change, undoes FROM events WHERE project_id = ? ORDER BY id DESC',
        (project_id,),
    ):
        if row["kind"] == "undo":
            if row["undoes"] != reverting:
                undone.add(row["undoes"])
        elif row["kind"] in ("created", "stage") and row["id"] < event_id:
            if row["change"] is None or row["change"] not in undone:
                return row
            if row["kind"] == "created":
                created = row
    if created is None:
        raise DatabaseUnusable(
            f"project {project_id} has no created event before event {event_id}",
            "run `pipeline check`, and restore from a backup",
        )
    return created


def undo_change(conn: sqlite3.Connection, change: int, *, date: dt.date, by: str) -> list[Done]:
    """Revert every event of `change`, newest first, under a new change of `undo` events."""
    events = change_events(conn, change)
    touched = []
    for project_id in dict.fromkeys(event["project_id"] for event in events):
        row = project_state(conn, project_id)
        if row is not None:
            touched.append((project_id, row["name"], row["district"]))
    check_undo(conn, change, touched)
    new_change = next_change(conn)
    done: list[Done] = []
    for event in reversed(events):
        project_id = event["project_id"]
        row = _existing(conn, project_id)
        kind = event["kind"]
        plan = (event["plan_from"], event["plan_to"])
        what = describe_event(kind, event["from"], event["to"], event["note"], _loads(event["changes"]), plan)
        from_ = to = None
        changes: dict[str, list[Any]] = {}
        problem_id = None
        if kind.startswith("problem_"):
            from .problems import undo_problem_event

            problem_id = event["problem_id"]
            changes, action = undo_problem_event(conn, event)
        elif kind == "planned":
            from .plans import undo_plan_event

            changes = undo_plan_event(conn, event)
            to = event["to"]
            action = "planned"
        elif kind == "created":
            # Not a drop: as if never added (out of every list and count); the id stays taken.
            action = "add_undone"
            set_status(conn, project_id, UNDONE)
            changes["status"] = [row["status"], UNDONE]
        elif kind == "stage":
            before = _stage_before(conn, project_id, event["id"], change)
            set_stage(conn, project_id, before["to"], before["date"])
            from_, to = row["stage"], before["to"]
            changes["stage_since"] = [row["stage_since"], before["date"]]
            action = "stage"
        elif kind == "edited":
            recorded: dict[str, list[Any]] = _loads(event["changes"]) or {}
            columns: dict[str, Any] = {}
            for field_name, (old, _new) in recorded.items():
                column = EDIT_COLUMNS[field_name]
                columns[column] = stored_value(field_name, old)
                changes[field_name] = [change_value(field_name, row[column]), old]
            update_fields(conn, project_id, columns)
            action = "edited"
        elif kind == "dropped":
            set_status(conn, project_id, "active")
            changes["status"] = [row["status"], "active"]
            action = "restored"
        elif kind == "restored":
            set_status(conn, project_id, "dropped")
            changes["status"] = [row["status"], "dropped"]
            action = "dropped"
        else:
            raise DatabaseUnusable(f"change {change} holds a {kind} event, which cannot be undone")
        add_event(
            conn,
            project_id,
            "undo",
            date=date,
            change=new_change,
            by=by,
            from_=from_,
            to=to,
            note=f"reverts change {change}: {what}",
            changes=changes or None,
            undoes=change,
            problem_id=problem_id,
        )
        name = conn.execute("SELECT name FROM projects WHERE id = ?", (project_id,)).fetchone()[0]
        done.append(
            Done(
                project_id,
                name,
                action,
                from_=from_,
                to=to,
                changes=changes if action in ("edited", "planned") else None,
                undoes=change,
                problem_id=problem_id,
            )
        )
    # By project, each project's lines in the order they were applied, so the
    # last line of a project says where it ends up.
    done.sort(key=lambda d: d.project_id)
    return done


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None
