"""All SQL: finding, opening, checking and migrating the file; reads; writes.

Reads use the standard `sqlite3` module so that read commands start fast.
Every write is one `BEGIN IMMEDIATE` ... `COMMIT` holding the change and its
events, with a busy timeout, so concurrent commands queue instead of failing.
Nothing here prints or exits: failures are raised as `errors.PipelineError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .errors import Busy, CannotWrite, Conflict, DatabaseUnusable, NotFound, PipelineError, UsageError
from .migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from .model import (
    EDIT_COLUMNS,
    Filters,
    ProjectRecord,
    change_value,
    changes_text,
    check_date,
    describe_event,
    next_stage,
    stored_value,
)

if TYPE_CHECKING:
    from .records import Plan

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 5.0

# --- where the file is -----------------------------------------------------


@dataclass(frozen=True)
class DbLocation:
    path: Path
    # Named by --db or $PIPELINE_DB: never created by accident.
    explicit: bool


def locate(db_option: str | None) -> DbLocation:
    """--db, else $PIPELINE_DB, else pipeline.db in the user data directory."""
    named = db_option or os.environ.get("PIPELINE_DB")
    if named:
        return DbLocation(Path(named).expanduser(), explicit=True)
    import platformdirs

    return DbLocation(Path(platformdirs.user_data_dir("pipeline", appauthor=False)) / "pipeline.db", explicit=False)


def busy_timeout() -> float:
    raw = os.environ.get("PIPELINE_BUSY_TIMEOUT")
    if raw is None or raw.strip() == "":
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise UsageError(f"PIPELINE_BUSY_TIMEOUT '{raw}' is not a number of seconds", "set it to e.g. 5 or 0.5")
    return seconds


# --- errors ----------------------------------------------------------------

_BUSY_CODES = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_CANNOT_WRITE_CODES = {
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_IOERR,
}
_UNUSABLE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def translate_error(error: sqlite3.Error, path: Path) -> PipelineError | None:
    """The contract's error for an SQLite failure, or None for a bug."""
    code = getattr(error, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in _BUSY_CODES:
        return Busy(
            f"the database is busy: another command held it for more than {busy_timeout():g} s",
            "nothing changed; try again, or raise PIPELINE_BUSY_TIMEOUT",
        )
    if primary in _CANNOT_WRITE_CODES:
        return CannotWrite(
            f"cannot write to {path}: {error}",
            "nothing changed; check the file and its folder are writable and the disk has room",
        )
    if primary in _UNUSABLE_CODES:
        return DatabaseUnusable(f"{path} is damaged: {error}", "restore it from a backup (pipeline backup)")
    return None


# --- opening -----------------------------------------------------------------


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?mode={mode}"
    # isolation_level=None: no implicit transactions; every write says
    # BEGIN IMMEDIATE itself.
    conn = sqlite3.connect(uri, uri=True, timeout=busy_timeout(), isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_header(path: Path) -> None:
    """Refuse anything that is not an SQLite file before SQLite touches it."""
    if path.is_dir():
        raise DatabaseUnusable(f"{path} is a folder, not a database", "name the database file itself")
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except PermissionError:
        raise DatabaseUnusable(f"cannot read {path}: permission denied", "check the file's permissions") from None
    if header != SQLITE_HEADER:
        raise DatabaseUnusable(
            f"{path} is not an SQLite database",
            "check the path, or run `pipeline init` to create a database somewhere else",
        )


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the missing migrations, each in its own transaction with its record."""
    while True:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise translate_error(error, path) or error from None
        try:
            # Another process may have migrated while we waited for the lock.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                migration = MIGRATIONS[version]
                migration(conn)
                conn.execute(
                    "INSERT INTO migrations (id, name, applied_at) VALUES (?, ?, ?)",
                    (version + 1, migration.__name__, _utc_now()),
                )
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException as error:
            _rollback(conn)
            if isinstance(error, sqlite3.Error):
                raise translate_error(error, path) or error from None
            raise


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def open_existing(path: Path) -> sqlite3.Connection:
    """Open a pipeline database that must exist, checking and migrating it.

    Refuses (exit 6) without changing a byte: a missing file, a non-SQLite
    file, another application's SQLite file, a newer schema.
    """
    if not path.exists():
        raise DatabaseUnusable(
            f"no database at {path}",
            "check the path, or run `pipeline init` to create one there",
        )
    _check_header(path)
    try:
        conn = _connect(path, "rw")
        app_id, version = (
            conn.execute("PRAGMA application_id").fetchone()[0],
            conn.execute("PRAGMA user_version").fetchone()[0],
        )
    except sqlite3.Error as error:
        raise translate_error(error, path) or DatabaseUnusable(f"cannot open {path}: {error}") from None
    if app_id != APPLICATION_ID:
        conn.close()
        raise DatabaseUnusable(
            f"{path} is an SQLite database, but not a pipeline database",
            "check the path, or run `pipeline init` to create a pipeline database somewhere else",
        )
    if version > SCHEMA_VERSION:
        conn.close()
        raise DatabaseUnusable(
            f"{path} was written by a newer version of pipeline (schema {version}, this one knows {SCHEMA_VERSION})",
            "upgrade pipeline (pip install -U pipeline-cli) to use it",
        )
    _migrate(conn, path)
    return conn


def create(path: Path, records: Iterable[ProjectRecord], *, replace: bool = False) -> Path | None:
    """Build a new database at `path`, seeded with `records`.

    The file is built beside `path` under a temporary name and linked into
    place only when complete, so a crash or a concurrent creator never leaves
    a half-built database. With `replace`, an existing file is first renamed
    to a backup whose path is returned; without it, FileExistsError.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.building")
    temporary.unlink(missing_ok=True)
    try:
        conn = _connect(temporary, "rwc")
        try:
            _migrate(conn, temporary)
            with transaction(conn, temporary):
                for record in records:
                    insert_project(conn, record, change=None, by="pipeline init", note="seed")
        finally:
            conn.close()
        _fsync(temporary)
        backup = _backup_name(path) if replace and path.exists() else None
        if backup is not None:
            os.rename(path, backup)
        os.link(temporary, path)  # fails if a file appeared there meanwhile
        _fsync_dir(path.parent)
        return backup
    except sqlite3.Error as error:
        raise translate_error(error, path) or error from None
    except PermissionError as error:
        raise CannotWrite(f"cannot create {path}: {error.strerror}", "choose a folder you can write to") from None
    finally:
        temporary.unlink(missing_ok=True)


def _backup_name(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.name}.{stamp}-{counter}.bak")
    return candidate


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    # Not every file system lets a folder be fsynced.
    with contextlib.suppress(OSError):
        _fsync(path)


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[None]:
    """One BEGIN IMMEDIATE ... COMMIT; on any failure, roll back and translate."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as error:
        raise translate_error(error, path) or error from None
    try:
        yield
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        _rollback(conn)
        raise translate_error(error, path) or error from None
    except BaseException:
        _rollback(conn)
        raise


# --- writes ------------------------------------------------------------------


# A project's stored fields by name (insert_project; import inserts many with executemany).
PROJECT_INSERT = """
INSERT INTO projects (id, name, sector, stage, status, investment_wan, key,
                      district, unit, lead, note, source, stage_since)
VALUES (:id, :name, :sector, :stage, :status, :investment_wan, :key,
        :district, :unit, :lead, :note, :source, :stage_since)
"""


def insert_project(
    conn: sqlite3.Connection,
    record: ProjectRecord,
    *,
    change: int | None,
    by: str | None,
    note: str | None = None,
) -> int:
    """Insert a project and its `created` event (call inside a transaction)."""
    cursor = conn.execute(PROJECT_INSERT, {**record.__dict__, "key": int(record.key)})
    project_id = cursor.lastrowid
    assert project_id is not None
    # The created event carries the starting stage and the day it was entered,
    # so a project's stage always equals the `to` of its last stage event.
    conn.execute(
        """
        INSERT INTO events (project_id, kind, "to", date, recorded_at, note, by, change)
        VALUES (?, 'created', ?, ?, ?, ?, ?, ?)
        """,
        (project_id, record.stage, record.stage_since, _utc_now(), note, by, change),
    )
    return project_id


# --- changes -------------------------------------------------------------------
# The SQL of add, edit, advance, move, drop, restore, undo and check.
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

_STATE_SELECT = """
SELECT id, name, sector, stage, status, investment_wan, key, district, unit, lead,
       note, source, stage_since
FROM projects WHERE id = ?
"""


@dataclass(frozen=True)
class Done:
    """One project a command changed, and the line that says how."""

    project_id: int
    line: str


def next_change(conn: sqlite3.Connection) -> int:
    """The number for the change being written (call inside the transaction)."""
    row = conn.execute("SELECT max(change) FROM events").fetchone()
    return int(row[0] or 0) + 1


# One event's columns, in order (add_event; import writes many at once with executemany).
EVENT_INSERT = """
INSERT INTO events (project_id, kind, "from", "to", date, recorded_at, note, by, changes, change, undoes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    conn.execute(
        "UPDATE projects SET stage = ?, stage_since = ? WHERE id = ?",
        (stage, since.isoformat() if isinstance(since, dt.date) else since, project_id),
    )


def set_status(conn: sqlite3.Connection, project_id: int, status: str) -> None:
    conn.execute("UPDATE projects SET status = ? WHERE id = ?", (status, project_id))


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
    conn.execute(f"UPDATE projects SET {assignments} WHERE id = :id", {**params, "id": project_id})


def _existing(conn: sqlite3.Connection, project_id: int) -> sqlite3.Row:
    row = project_state(conn, project_id)
    if row is None:
        raise NotFound(f"no project with id {project_id}", "`pipeline list --all` shows every id")
    return row


def _movable(row: sqlite3.Row, from_stage: str | None) -> None:
    """Refuse to move a dropped project, or one not at the --from stage."""
    if row["status"] == "dropped":
        raise Conflict(
            f"project {row['id']} {row['name']} is dropped",
            f"restore it first: pipeline restore {row['id']}",
        )
    if from_stage is not None and row["stage"] != from_stage:
        raise Conflict(
            f"project {row['id']} {row['name']} is at {row['stage']}, not {from_stage}",
            "nothing changed (--from guards against moving it twice)",
        )


def add_project(conn: sqlite3.Connection, record: ProjectRecord, *, by: str) -> Done:
    """`add`: a new project with its `created` event, under a new change."""
    project_id = insert_project(conn, record, change=next_change(conn), by=by)
    return Done(project_id, f"added {project_id} {record.name} ({record.stage})")


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
    update_fields(conn, project_id, columns)
    add_event(conn, project_id, "edited", date=date, change=next_change(conn), by=by, changes=changes)
    name = columns.get("name", row["name"])
    return Done(project_id, f"{project_id} {name}: {changes_text(changes)}")


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
            raise Conflict(
                f"project {row['id']} {row['name']} is at {row['stage']}, the last stage",
                "there is no stage above it; nothing changed",
            )
        check_date(date, today, last_event_date(conn, row["id"]))
        targets.append((row, target))
    change = next_change(conn)
    done = []
    for row, target in targets:
        set_stage(conn, row["id"], target, date)
        add_event(conn, row["id"], "stage", date=date, change=change, by=by, from_=row["stage"], to=target, note=note)
        done.append(Done(row["id"], f"{row['id']} {row['name']}: {row['stage']} → {target}"))
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
    return Done(project_id, f"{project_id} {row['name']}: {row['stage']} → {stage}")


def drop_project(
    conn: sqlite3.Connection, project_id: int, *, reason: str, date: dt.date, today: dt.date, by: str
) -> Done:
    """`drop`: take an active project out of the pipeline, with a reason."""
    row = _existing(conn, project_id)
    if row["status"] == "dropped":
        raise Conflict(f"project {project_id} {row['name']} is already dropped", "`pipeline history ID` shows why")
    check_date(date, today, last_event_date(conn, project_id))
    set_status(conn, project_id, "dropped")
    add_event(conn, project_id, "dropped", date=date, change=next_change(conn), by=by, note=reason)
    return Done(project_id, f"{project_id} {row['name']}: dropped (reason: {reason})")


def restore_project(
    conn: sqlite3.Connection, project_id: int, *, date: dt.date, today: dt.date, by: str, note: str | None
) -> Done:
    """`restore`: bring a dropped project back, at the stage it had."""
    row = _existing(conn, project_id)
    if row["status"] != "dropped":
        raise Conflict(f"project {project_id} {row['name']} is not dropped", "only a dropped project can be restored")
    check_date(date, today, last_event_date(conn, project_id))
    set_status(conn, project_id, "active")
    add_event(conn, project_id, "restored", date=date, change=next_change(conn), by=by, note=note)
    return Done(project_id, f"{project_id} {row['name']}: restored ({row['stage']})")


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
    new_change = next_change(conn)
    done: list[Done] = []
    for event in reversed(events):
        project_id = event["project_id"]
        row = _existing(conn, project_id)
        kind = event["kind"]
        what = describe_event(kind, event["from"], event["to"], event["note"], _loads(event["changes"]))
        from_ = to = None
        changes: dict[str, list[Any]] = {}
        if kind == "created":
            effect = "dropped (reason: undo)"
            if row["status"] != "dropped":
                set_status(conn, project_id, "dropped")
                changes["status"] = [row["status"], "dropped"]
        elif kind == "stage":
            before = _stage_before(conn, project_id, event["id"], change)
            set_stage(conn, project_id, before["to"], before["date"])
            from_, to = row["stage"], before["to"]
            changes["stage_since"] = [row["stage_since"], before["date"]]
            effect = f"{from_} → {to}"
        elif kind == "edited":
            recorded: dict[str, list[Any]] = _loads(event["changes"]) or {}
            columns: dict[str, Any] = {}
            for field_name, (old, _new) in recorded.items():
                column = EDIT_COLUMNS[field_name]
                columns[column] = stored_value(field_name, old)
                changes[field_name] = [change_value(field_name, row[column]), old]
            update_fields(conn, project_id, columns)
            effect = changes_text(changes)
        elif kind == "dropped":
            set_status(conn, project_id, "active")
            changes["status"] = [row["status"], "active"]
            effect = "restored"
        elif kind == "restored":
            set_status(conn, project_id, "dropped")
            changes["status"] = [row["status"], "dropped"]
            effect = "dropped"
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
            note=f"reverts change {change}: {what}" + ("; dropped, reason: undo" if kind == "created" else ""),
            changes=changes or None,
            undoes=change,
        )
        name = conn.execute("SELECT name FROM projects WHERE id = ?", (project_id,)).fetchone()[0]
        done.append(Done(project_id, f"undid change {change}: {project_id} {name}: {effect}"))
    # By project, each project's lines in the order they were applied, so the
    # last line of a project says where it ends up.
    done.sort(key=lambda d: d.project_id)
    return done


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


# --- check


@dataclass(frozen=True)
class Violation:
    """One way the database breaks an invariant."""

    check: str
    message: str
    project_id: int | None = None
    event_id: int | None = None


_CHECK_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "stage",
        # Each project against its last effective stage-bearing event; if its
        # add was undone and nothing since, against its created event.
        """
        WITH undone AS (SELECT DISTINCT undoes AS change FROM events WHERE kind = 'undo' AND undoes IS NOT NULL),
        candidates AS (
            SELECT e.project_id, e.id, e."to", e.date,
                   ROW_NUMBER() OVER (
                       PARTITION BY e.project_id
                       ORDER BY (e.change IS NULL OR e.change NOT IN (SELECT change FROM undone)) DESC, e.id DESC
                   ) AS rank
            FROM events e
            WHERE e.kind IN ('created', 'stage')
              AND (e.kind = 'created' OR e.change IS NULL OR e.change NOT IN (SELECT change FROM undone))
        )
        SELECT p.id AS project_id, c.id AS event_id,
               'project ' || p.id || ' is at ' || p.stage || ' since ' || p.stage_since
               || ', but its last stage event (' || c.id || ') says ' || coalesce(c."to", 'nothing')
               || ' since ' || c.date AS message
        FROM projects p JOIN candidates c ON c.project_id = p.id AND c.rank = 1
        WHERE p.stage IS NOT c."to" OR p.stage_since IS NOT c.date
        ORDER BY p.id
        """,
    ),
    (
        "created",
        """
        SELECT p.id AS project_id, NULL AS event_id,
               'project ' || p.id || ' has ' || count(e.id) || ' created events (should have 1)' AS message
        FROM projects p LEFT JOIN events e ON e.project_id = p.id AND e.kind = 'created'
        GROUP BY p.id HAVING count(e.id) <> 1
        ORDER BY p.id
        """,
    ),
    (
        "orphan",
        """
        SELECT e.project_id AS project_id, e.id AS event_id,
               'event ' || e.id || ' belongs to project ' || e.project_id || ', which does not exist' AS message
        FROM events e WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = e.project_id)
        ORDER BY e.id
        """,
    ),
    (
        "amount",
        """
        SELECT id AS project_id, NULL AS event_id,
               'project ' || id || ' has investment ' || quote(investment_wan)
               || ' (should be a whole number of 万元, 0 or more, or empty)' AS message
        FROM projects
        WHERE NOT (investment_wan IS NULL OR (typeof(investment_wan) = 'integer' AND investment_wan >= 0))
        ORDER BY id
        """,
    ),
    (
        "status",
        """
        SELECT id AS project_id, NULL AS event_id,
               'project ' || id || ' has status ' || quote(status) || ' (should be active or dropped)' AS message
        FROM projects WHERE status IS NULL OR status NOT IN ('active', 'dropped')
        ORDER BY id
        """,
    ),
    (
        "date",
        """
        SELECT id AS project_id, NULL AS event_id,
               'project ' || id || ' has stage_since ' || quote(stage_since) || ' (should be YYYY-MM-DD)' AS message
        FROM projects WHERE stage_since IS NOT date(stage_since)
        ORDER BY id
        """,
    ),
    (
        "undo",
        """
        SELECT e.project_id AS project_id, e.id AS event_id,
               'undo event ' || e.id || ' reverts change ' || quote(e.undoes) || ', which is not a change it can revert'
               AS message
        FROM events e
        WHERE e.kind = 'undo' AND (e.undoes IS NULL OR e.undoes >= e.change OR NOT EXISTS (
            SELECT 1 FROM events o WHERE o.change = e.undoes AND o.kind <> 'undo'))
        ORDER BY e.id
        """,
    ),
)


def table_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """How many projects and events there are."""
    projects = conn.execute("SELECT count(*) FROM projects").fetchone()[0]
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return int(projects), int(events)


def check_database(conn: sqlite3.Connection, path: Path) -> list[Violation]:
    """integrity_check, foreign_key_check and the invariants, on one snapshot."""
    violations: list[Violation] = []
    try:
        conn.execute("BEGIN")
        try:
            for (message,) in conn.execute("PRAGMA integrity_check"):
                if message != "ok":
                    violations.append(Violation("integrity", str(message)))
            for row in conn.execute("PRAGMA foreign_key_check"):
                table, rowid, parent = row[0], row[1], row[2]
                violations.append(
                    Violation(
                        "foreign_key",
                        f"{table} row {rowid} refers to a missing row of {parent}",
                        project_id=rowid if table == "projects" else None,
                        event_id=rowid if table == "events" else None,
                    )
                )
            for name, sql in _CHECK_QUERIES:
                for row in conn.execute(sql):
                    violations.append(Violation(name, row["message"], row["project_id"], row["event_id"]))
        finally:
            _rollback(conn)
    except sqlite3.Error as error:
        raise translate_error(error, path) or DatabaseUnusable(f"{path} could not be checked: {error}") from None
    return violations


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
    return conn.execute("SELECT sector, name_zh, name_en FROM sectors ORDER BY position").fetchall()


# --- import and backup ---------------------------------------------------------

EXPORT_SELECT = """
SELECT id, name, sector, stage, status, investment_wan, key, district, unit, lead,
       note, source, stage_since
FROM projects ORDER BY id
"""


def iter_export_rows(conn: sqlite3.Connection) -> Iterator[sqlite3.Row]:
    """Every project, dropped ones too, with every stored field, by id."""
    return iter(conn.execute(EXPORT_SELECT))


def backup(conn: sqlite3.Connection, target: Path) -> int:
    """Copy the live database to `target`: consistent, durable, never clobbering.

    `VACUUM INTO` reads one snapshot, so writers may keep working; the copy is
    built beside `target` under a temporary name, checked, fsynced and only
    then linked into place, so `target` is either absent or a complete copy.
    Returns the number of projects in the copy.
    """
    from .errors import Conflict

    if target.exists() or target.is_symlink():
        raise Conflict(
            f"{target} already exists",
            "a backup never overwrites a file: choose a new name, e.g. one with today's date",
        )
    folder = target.parent
    if not folder.is_dir():
        raise CannotWrite(f"cannot write {target}: there is no folder {folder}", "create the folder first")
    temporary = folder / f".{target.name}.{os.getpid()}.backup"
    temporary.unlink(missing_ok=True)
    try:
        conn.execute("VACUUM INTO ?", (str(temporary),))
        copy = _connect(temporary, "ro")
        try:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            count: int = copy.execute("SELECT count(*) FROM projects").fetchone()[0]
        finally:
            copy.close()
        if problems != ["ok"]:
            raise DatabaseUnusable(
                f"the copy failed its integrity check: {'; '.join(problems[:3])}",
                "the live database may be damaged: run `pipeline check`",
            )
        _fsync(temporary)
        try:
            os.link(temporary, target)  # fails if a file appeared there meanwhile
        except FileExistsError:
            raise Conflict(f"{target} appeared while the backup was being made", "choose another name") from None
        except OSError:
            # A file system without hard links: rename, after one more look.
            if target.exists():
                raise Conflict(f"{target} appeared while the backup was being made", "choose another name") from None
            os.rename(temporary, target)
        _fsync_dir(folder)
        return count
    except sqlite3.Error as error:
        raise translate_error(error, target) or error from None
    except OSError as error:
        raise CannotWrite(
            f"cannot write {target}: {error.strerror or error}", "choose a folder you can write to, with room"
        ) from None
    finally:
        temporary.unlink(missing_ok=True)


def _chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def projects_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, ProjectRecord]:
    """The stored projects among `ids` (a few queries of 500 ids, not one per id)."""
    found: dict[int, ProjectRecord] = {}
    unique = sorted(set(ids))
    for chunk in _chunks(unique):
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"{EXPORT_SELECT.split('ORDER BY')[0]} WHERE id IN ({marks})", chunk):
            found[row["id"]] = ProjectRecord(
                id=row["id"],
                name=row["name"],
                sector=row["sector"],
                stage=row["stage"],
                status=row["status"],
                investment_wan=row["investment_wan"],
                key=bool(row["key"]),
                district=row["district"],
                unit=row["unit"],
                lead=row["lead"],
                note=row["note"],
                source=row["source"],
                stage_since=row["stage_since"],
            )
    return found


def last_event_dates(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    """Each project's latest event date (YYYY-MM-DD), for many projects at once."""
    dates: dict[int, str] = {}
    for chunk in _chunks(sorted(set(ids))):
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT project_id, max(date) FROM events WHERE project_id IN ({marks}) GROUP BY project_id"
        dates.update({project_id: date for project_id, date in conn.execute(sql, chunk)})
    return dates


def apply_import(
    conn: sqlite3.Connection,
    plan: Plan,
    *,
    by: str,
    note: str,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Write a checked import plan (records.Plan) as one change; call inside `transaction()`.

    New projects are inserted under their own id or a fresh one above every
    id ever used; updated ones get one UPDATE each. Events, all under one
    change number: `created` (and `dropped` for a project that arrives
    dropped) for new ones; `restored`, `stage`, `edited`, `dropped` for
    updated ones, in that order. All with executemany: 100,000 rows are a
    few statements, not 100,000 round trips. Returns each changed row's id.
    """
    change = next_change(conn)
    now = _utc_now()
    items = plan.changes
    sequence = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'projects'), 0),"
        " coalesce((SELECT max(id) FROM projects), 0))"
    ).fetchone()[0]
    fresh = max([sequence, *(item.record.id for item in items if item.before is None and item.record.id)])
    ids: list[int] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    events: list[tuple[Any, ...]] = []

    def event(project_id: int, kind: str, date: str, **values: Any) -> None:
        changes = values.get("changes")
        events.append(
            (
                project_id,
                kind,
                values.get("from_"),
                values.get("to"),
                date,
                now,
                values.get("note", note),
                by,
                json.dumps(changes, ensure_ascii=False) if changes is not None else None,
                change,
                None,
            )
        )

    for item in items:
        record, before = item.record, item.before
        if before is None:
            project_id = record.id
            if project_id is None:
                fresh += 1
                project_id = fresh
            inserts.append({**record.__dict__, "id": project_id, "key": int(record.key)})
            event(project_id, "created", record.stage_since, to=record.stage)
            if record.status == "dropped":
                event(project_id, "dropped", item.date)
        else:
            assert before.id is not None
            project_id = before.id
            updates.append({**record.__dict__, "id": project_id, "key": int(record.key)})
            if before.status == "dropped" and record.status == "active":
                event(project_id, "restored", item.date)
            if before.stage != record.stage:
                event(project_id, "stage", record.stage_since, from_=before.stage, to=record.stage)
            if item.edits:
                event(project_id, "edited", item.date, changes=item.edits)
            if before.status == "active" and record.status == "dropped":
                event(project_id, "dropped", item.date)
        ids.append(project_id)
    conn.executemany(PROJECT_INSERT, inserts)
    if progress is not None:
        progress(len(inserts))
    conn.executemany(
        """
        UPDATE projects SET name = :name, sector = :sector, stage = :stage, status = :status,
            investment_wan = :investment_wan, key = :key, district = :district, unit = :unit,
            lead = :lead, note = :note, stage_since = :stage_since
        WHERE id = :id
        """,
        updates,
    )
    if progress is not None:
        progress(len(updates))
    conn.executemany(EVENT_INSERT, events)
    return ids


def ids_by_name(conn: sqlite3.Connection, names: Iterable[str]) -> dict[str, int]:
    """The lowest stored id for each of `names` that a project has (one scan, however many names)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_names (name TEXT PRIMARY KEY)")
    try:
        conn.executemany("INSERT OR IGNORE INTO temp.import_names VALUES (?)", ((name,) for name in names))
        rows = conn.execute(
            "SELECT p.name, min(p.id) FROM projects p JOIN temp.import_names n ON n.name = p.name GROUP BY p.name"
        )
        return {name: project_id for name, project_id in rows}
    finally:
        conn.execute("DROP TABLE temp.import_names")


# --- shell completion ------------------------------------------------------------
# Read-only and quick: never creates, migrates or waits long for the file.


def _completion_connect(path: Path) -> sqlite3.Connection | None:
    if not path.is_file():
        return None
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=0.5)
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.close()
        return None
    return conn


def completion_projects(path: Path, prefix: str, limit: int = 200) -> list[tuple[str, str]]:
    """(id, name) of projects whose id starts with `prefix`, by id."""
    conn = _completion_connect(path)
    if conn is None:
        return []
    try:
        rows = conn.execute(
            "SELECT id, name, status FROM projects"
            " WHERE substr(CAST(id AS TEXT), 1, length(?)) = ? ORDER BY id LIMIT ?",
            (prefix, prefix, limit),
        ).fetchall()
    finally:
        conn.close()
    return [(str(id_), name + (" (dropped)" if status == "dropped" else "")) for id_, name, status in rows]


def completion_vocabulary(path: Path, kind: str) -> list[tuple[str, str]]:
    """(slug, 中文) of the sectors or stages stored in the database, in their order."""
    conn = _completion_connect(path)
    if conn is None:
        return []
    table = {"sector": "sectors", "stage": "stages"}[kind]
    try:
        return [(slug, zh) for slug, zh in conn.execute(f"SELECT {kind}, name_zh FROM {table} ORDER BY position")]
    finally:
        conn.close()


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
