"""The SQL of the problem ledger (问题清单): problem add, close, reopen, edit, list.

A problem belongs to a project; every change to it is an event on that
project (kind problem_opened/_closed/_reopened/_edited, with problem_id set
and the changed values in `changes` as {"field": [old, new]}), written in
the same transaction, so `history`, `report` and `undo` see it. Undoing an
opening removes the problem (its id is never reused: AUTOINCREMENT); undoing
any other change puts the recorded old values back.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Conflict, DatabaseUnusable, NotFound
from ..model import UNDONE, Filters, check_date, no_project
from ._core import stream_rows
from .access import check_project, one_row_changed
from .changes import add_event, last_event_date, next_change, project_state
from .reads import filter_clause

PROBLEM_KINDS = ("problem_opened", "problem_closed", "problem_reopened", "problem_edited")

# The problem's fields that `problem edit` changes, and the ones a change records.
EDITABLE = ("text", "unit", "due")
_RECORDED = ("text", "unit", "due", "closed", "note")


@dataclass(frozen=True)
class ProblemDone:
    """One change to a problem: which, on which project, and what it was."""

    problem_id: int
    project_id: int
    project_name: str
    action: str  # opened, closed, reopened, edited
    text: str
    changes: dict[str, list[Any]]


def _problem(conn: sqlite3.Connection, problem_id: int) -> sqlite3.Row:
    """A problem that exists (exit 3 when none, with a hint when its opening was undone)."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT pr.id, pr.project_id, pr.text, pr.unit, pr.opened, pr.due, pr.closed, pr.note, p.name, p.status,"
        " p.district"
        " FROM problems pr JOIN projects p ON p.id = pr.project_id WHERE pr.id = ?",
        (problem_id,),
    ).fetchone()
    if row is None or row["status"] == UNDONE:
        undone = conn.execute(
            "SELECT 1 FROM events WHERE problem_id = ? AND kind = 'problem_opened' LIMIT 1", (problem_id,)
        ).fetchone()
        if undone is not None:
            raise NotFound("problem.undone", "problem.undone.hint", id=problem_id)
        raise NotFound("problem.not_found", "problem.not_found.hint", id=problem_id)
    return row


def _day(value: str | dt.date | None) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


def add_problem(
    conn: sqlite3.Connection,
    project_id: int,
    text: str,
    *,
    unit: str | None,
    due: dt.date | None,
    date: dt.date,
    today: dt.date,
    by: str,
) -> ProblemDone:
    """`problem add`: a new open problem on an active project, with its problem_opened event."""
    row = project_state(conn, project_id)
    if row is None or row["status"] == UNDONE:
        raise no_project(project_id, undone=row is not None)
    check_project(conn, project_id, row["name"], row["district"])
    if row["status"] == "dropped":
        raise Conflict("problem.project_dropped", "problem.project_dropped.hint", id=project_id, name=row["name"])
    check_date(date, today, last_event_date(conn, project_id))
    cursor = conn.execute(
        "INSERT INTO problems (project_id, text, unit, opened, due) VALUES (?, ?, ?, ?, ?)",
        (project_id, text, unit, date.isoformat(), _day(due)),
    )
    problem_id = cursor.lastrowid
    assert problem_id is not None
    changes = {"text": [None, text], "unit": [None, unit], "due": [None, _day(due)]}
    add_event(
        conn,
        project_id,
        "problem_opened",
        date=date,
        change=next_change(conn),
        by=by,
        changes={k: v for k, v in changes.items() if v[1] is not None},
        problem_id=problem_id,
    )
    return ProblemDone(problem_id, project_id, row["name"], "opened", text, changes)


def close_problem(
    conn: sqlite3.Connection, problem_id: int, *, note: str | None, date: dt.date, today: dt.date, by: str
) -> ProblemDone:
    """`problem close` (销号): an open problem closed on `date`; a closed one is exit 4."""
    return _transition(conn, problem_id, closing=True, note=note, date=date, today=today, by=by)


def reopen_problem(
    conn: sqlite3.Connection, problem_id: int, *, note: str | None, date: dt.date, today: dt.date, by: str
) -> ProblemDone:
    """`problem reopen`: a closed problem open again; an open one is exit 4."""
    return _transition(conn, problem_id, closing=False, note=note, date=date, today=today, by=by)


def _transition(
    conn: sqlite3.Connection,
    problem_id: int,
    *,
    closing: bool,
    note: str | None,
    date: dt.date,
    today: dt.date,
    by: str,
) -> ProblemDone:
    """Close an open problem or reopen a closed one, with its event; the other way round is exit 4."""
    row = _problem(conn, problem_id)
    check_project(conn, row["project_id"], row["name"], row["district"])
    if closing and row["closed"] is not None:
        raise Conflict("problem.already_closed", "problem.already_closed.hint", id=problem_id, closed=row["closed"])
    if not closing and row["closed"] is None:
        raise Conflict("problem.not_closed", "problem.not_closed.hint", id=problem_id)
    check_date(date, today, last_event_date(conn, row["project_id"]))
    if closing and date.isoformat() < row["opened"]:
        raise Conflict(
            "problem.close_before_open", "problem.close_before_open.hint", id=problem_id, opened=row["opened"]
        )
    changes: dict[str, list[Any]] = {"closed": [row["closed"], date.isoformat() if closing else None]}
    if closing and note is not None and note != row["note"]:
        changes["note"] = [row["note"], note]
    kind = "problem_closed" if closing else "problem_reopened"
    _record(conn, row, kind, changes, date=date, by=by, note=note)
    return ProblemDone(problem_id, row["project_id"], row["name"], kind.removeprefix("problem_"), row["text"], changes)


def _record(
    conn: sqlite3.Connection,
    row: sqlite3.Row,
    kind: str,
    changes: dict[str, list[Any]],
    *,
    date: dt.date,
    by: str,
    note: str | None = None,
) -> None:
    """Set a problem's new values (`changes`: {field: [old, new]}) and write its event."""
    _set(conn, row["id"], {k: v[1] for k, v in changes.items()})
    add_event(
        conn,
        row["project_id"],
        kind,
        date=date,
        change=next_change(conn),
        by=by,
        note=note,
        changes=changes,
        problem_id=row["id"],
    )


def edit_problem(
    conn: sqlite3.Connection, problem_id: int, values: dict[str, Any], *, date: dt.date, by: str
) -> ProblemDone | None:
    """`problem edit`: text, unit, due; None when nothing differs."""
    row = _problem(conn, problem_id)
    check_project(conn, row["project_id"], row["name"], row["district"])
    changes: dict[str, list[Any]] = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(f"not an editable problem field: {name}")
        new = _day(value)
        if row[name] != new:
            changes[name] = [row[name], new]
    if not changes:
        return None
    _record(conn, row, "problem_edited", changes, date=date, by=by)
    return ProblemDone(
        problem_id, row["project_id"], row["name"], "edited", changes.get("text", [row["text"]])[-1], changes
    )


def _set(conn: sqlite3.Connection, problem_id: int, values: dict[str, Any]) -> None:
    unknown = set(values) - set(_RECORDED)
    if unknown:
        raise ValueError(f"not a problem column: {', '.join(sorted(unknown))}")
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    cursor = conn.execute(f"UPDATE problems SET {assignments} WHERE id = :id", {**values, "id": problem_id})
    one_row_changed(conn, cursor.rowcount)


def undo_problem_event(conn: sqlite3.Connection, event: sqlite3.Row) -> tuple[dict[str, list[Any]], str]:
    """Revert one problem_* event (inside undo's transaction): the changes made, and what that did.

    The action is problem_removed (an opening undone), problem_reopened (a
    close undone), problem_closed (a reopen undone) or problem_restored (an
    edit undone).
    """
    problem_id = event["problem_id"]
    row = conn.execute("SELECT * FROM problems WHERE id = ?", (problem_id,)).fetchone()
    if problem_id is None or row is None:
        raise DatabaseUnusable(
            f"event {event['id']} names problem {problem_id}, which does not exist",
            "run `pipeline check`, and restore from a backup",
        )
    recorded: dict[str, list[Any]] = json.loads(event["changes"]) if event["changes"] else {}
    if event["kind"] == "problem_opened":
        cursor = conn.execute("DELETE FROM problems WHERE id = ?", (problem_id,))
        one_row_changed(conn, cursor.rowcount)
        return {"problem": [problem_id, None]}, "problem_removed"
    changes = {name: [row[name], old] for name, (old, _new) in recorded.items() if name in _RECORDED}
    _set(conn, problem_id, {name: values[1] for name, values in changes.items()})
    # What the undo did to the problem (sentences.py says it).
    action = {
        "problem_closed": "problem_reopened",
        "problem_reopened": "problem_closed",
        "problem_edited": "problem_restored",
    }
    return changes, action[event["kind"]]


# --- reading ---------------------------------------------------------------------

PROBLEM_KEYS = (
    "id",
    "project_id",
    "project_name",
    "text",
    "unit",
    "opened",
    "due",
    "closed",
    "status",
    "overdue_days",
    "note",
)

_OVERDUE_SQL = (
    "CASE WHEN pr.closed IS NULL AND pr.due IS NOT NULL AND pr.due < :today"
    " THEN CAST(julianday(:today) - julianday(pr.due) AS INTEGER) ELSE 0 END"
)
PROBLEM_SELECT = f"""
SELECT pr.id, pr.project_id, p.name, pr.text, pr.unit, pr.opened, pr.due, pr.closed,
       CASE WHEN pr.closed IS NULL THEN 'open' ELSE 'closed' END, {_OVERDUE_SQL}, pr.note
FROM problems pr JOIN projects p ON p.id = pr.project_id"""


def iter_problems(
    conn: sqlite3.Connection,
    today: dt.date,
    *,
    filters: Filters | None = None,
    project_id: int | None = None,
    status: str | None = None,
    overdue: bool = False,
    units: tuple[str, ...] = (),
) -> Iterator[tuple[Any, ...]]:
    """Problems as tuples of PROBLEM_KEYS, oldest first (opened, then id).

    `filters` select their projects (as `list` does: active ones unless
    asked); `project_id` one project's (whatever its status); `status` open
    or closed; `overdue` open and past due; `units` the problem's own unit,
    the value or the start of it.
    """
    conditions: list[str] = []
    params: dict[str, Any] = {"today": today.isoformat()}
    if filters is not None:
        where, params = filter_clause(filters, today)
        if where:
            conditions.append(where.removeprefix(" WHERE "))
    if project_id is not None:
        conditions.append("pr.project_id = :project_id AND p.status <> 'undone'")
        params["project_id"] = project_id
    if status == "open":
        conditions.append("pr.closed IS NULL")
    elif status == "closed":
        conditions.append("pr.closed IS NOT NULL")
    if overdue:
        conditions.append("pr.closed IS NULL AND pr.due < :today")
    if units:
        keys = []
        for index, unit in enumerate(units):
            params[f"punit{index}"] = unit
            keys.append(f"substr(pr.unit, 1, length(:punit{index})) = :punit{index}")
        conditions.append("(" + " OR ".join(keys) + ")")
    needs_stage = filters is not None
    sql = PROBLEM_SELECT + (" JOIN stages st ON st.stage = p.stage" if needs_stage else "")
    if filters is not None and filters.lights:
        from ..fields import CUTOFFS_SQL

        sql = f"WITH {CUTOFFS_SQL}\n{sql} LEFT JOIN c ON c.stage = p.stage"
    if conditions:
        sql += " WHERE " + " AND ".join(f"({c})" for c in conditions)
    sql += " ORDER BY pr.opened, pr.id"
    return stream_rows(conn, sql, params)


def problem_record(row: tuple[Any, ...]) -> dict[str, Any]:
    """A problem row as the contract's problem object."""
    return dict(zip(PROBLEM_KEYS, row, strict=True))


def get_problem(conn: sqlite3.Connection, problem_id: int, today: dt.date) -> dict[str, Any] | None:
    cursor = conn.cursor()
    cursor.row_factory = None
    row = cursor.execute(
        f"{PROBLEM_SELECT} WHERE pr.id = :id", {"id": problem_id, "today": today.isoformat()}
    ).fetchone()
    return problem_record(row) if row is not None else None


# The problems with an event dated after :until (effective or not): the ones
# whose closing or deadline at the end of a past period may differ from now.
_CHANGED_SINCE = "SELECT problem_id FROM events WHERE problem_id IS NOT NULL AND date > :until"


def _values_at_end(conn: sqlite3.Connection, until: dt.date) -> dict[int, dict[str, Any]]:
    """Each problem changed after `until`: its `closed` and `due` as they were at the end of that day.

    The oldest effective change after it to each field holds, as its old
    value, what the field was then; a change that was undone never happened.
    Undos come after what they undo, so only those numbered from the first
    change after `until` need reading (the `change` index).
    """
    at_end: dict[int, dict[str, Any]] = {}
    for problem_id, raw in conn.execute(
        "SELECT e.problem_id, e.changes FROM events e WHERE e.problem_id IS NOT NULL AND e.date > :until"
        " AND e.kind IN ('problem_closed', 'problem_reopened', 'problem_edited')"
        " AND (e.change IS NULL OR e.change NOT IN (SELECT undoes FROM events"
        " WHERE change >= (SELECT min(change) FROM events WHERE date > :until)"
        " AND kind = 'undo' AND undoes IS NOT NULL))"
        " ORDER BY e.id",
        {"until": until.isoformat()},
    ):
        changes = json.loads(raw) if isinstance(raw, str) else (raw or {})
        values = at_end.setdefault(problem_id, {})
        for name in ("closed", "due"):
            if name in changes:
                values.setdefault(name, changes[name][0])
    return at_end


def report_problems(
    conn: sqlite3.Connection, filters: Filters, since: dt.date, until: dt.date, *, counted: bool = True
) -> tuple[dict[str, Iterable[dict[str, Any]]], dict[str, int]]:
    """The report's problems: opened and closed within [since, until], and open and past due at `until`.

    Chosen by what stood at the end of `until`: a problem closed in the
    period and reopened since is among the closed, one closed since is
    among the overdue if it was open and past due then (overdue_days counted
    at `until`, from its deadline then). A change that was undone counts as
    never made. Each problem is shown as it stands now. Each list is read
    from SQL when it is written (a province's ledger may hold tens of
    thousands overdue); the counts come first (unless not `counted`: the
    data formats carry none). The problems changed after `until` (none, for
    a period ending today) are read apart and put in their places.
    """
    where, params = filter_clause(filters, until)
    params.update({"since": since.isoformat(), "until": until.isoformat()})
    base = "FROM problems pr JOIN projects p ON p.id = pr.project_id JOIN stages st ON st.stage = p.stage"
    cte = ""
    if filters.lights:
        from ..fields import CUTOFFS_SQL

        cte = f"WITH {CUTOFFS_SQL}\n"
        base += " LEFT JOIN c ON c.stage = p.stage"
    clause = f"({where.removeprefix(' WHERE ')}) AND " if where else ""
    queries = {
        "opened": ("pr.opened BETWEEN :since AND :until", "pr.opened, pr.id"),
        "closed": ("pr.closed BETWEEN :since AND :until", "pr.closed, pr.id"),
        "overdue": (
            "pr.opened <= :until AND (pr.closed IS NULL OR pr.closed > :until) AND pr.due < :until",
            "pr.opened, pr.id",
        ),
    }
    select = PROBLEM_SELECT.split("FROM problems")[0]
    at_end_select = select.replace(_OVERDUE_SQL, "CAST(julianday(:until) - julianday(pr.due) AS INTEGER)")
    changed = conn.execute(f"{_CHANGED_SINCE} LIMIT 1", params).fetchone() is not None
    # The opening never changes: only the closed and overdue lists look at what changed since.
    unchanged = f" AND pr.id NOT IN ({_CHANGED_SINCE})" if changed else ""

    def condition_of(key: str) -> str:
        return queries[key][0] + (unchanged if key != "opened" else "")

    def rows(key: str) -> Iterator[dict[str, Any]]:
        cursor = conn.cursor()
        cursor.row_factory = None
        chosen = at_end_select if key == "overdue" else select
        sql = f"{cte}{chosen} {base} WHERE {clause}{condition_of(key)} ORDER BY {queries[key][1]}"
        return (problem_record(row) for row in cursor.execute(sql, params))

    later: dict[str, list[tuple[tuple[Any, ...], dict[str, Any]]]] = {"opened": [], "closed": [], "overdue": []}
    if changed:
        at_end = _values_at_end(conn, until)
        cursor = conn.cursor()
        cursor.row_factory = None
        sql = f"{cte}{select} {base} WHERE {clause}pr.id IN ({_CHANGED_SINCE}) ORDER BY pr.id"
        for row in cursor.execute(sql, params):
            record = problem_record(row)
            then = {"closed": record["closed"], "due": record["due"], **at_end.get(record["id"], {})}
            closed, due = then["closed"], then["due"]
            if closed is not None and params["since"] <= closed <= params["until"]:
                later["closed"].append(((closed, record["id"]), record))
            open_then = record["opened"] <= params["until"] and (closed is None or closed > params["until"])
            if open_then and due is not None and due < params["until"]:
                record = {**record, "overdue_days": (until - dt.date.fromisoformat(due)).days}
                later["overdue"].append(((record["opened"], record["id"]), record))
        for items in later.values():
            items.sort(key=lambda item: item[0])

    def merged(key: str) -> Iterator[dict[str, Any]]:
        if not later[key]:
            return rows(key)
        field = "closed" if key == "closed" else "opened"
        keyed = (((r[field], r["id"]), r) for r in rows(key))
        ordered = heapq.merge(keyed, later[key], key=lambda item: item[0])
        return (record for _, record in ordered)

    counts = {
        key: int(conn.execute(f"{cte}SELECT count(*) {base} WHERE {clause}{condition_of(key)}", params).fetchone()[0])
        + len(later[key])
        for key in queries
        if counted
    }
    return {key: _Rows(merged, key) for key in queries}, counts


class _Rows:
    """One list of the report's problems, read from SQL when it is iterated."""

    def __init__(self, rows: Callable[[str], Iterator[dict[str, Any]]], key: str) -> None:
        self._rows, self._key = rows, key

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._rows(self._key)
