"""All SQL: finding, opening, checking and migrating the file; reads; writes.

Reads use the standard `sqlite3` module so that read commands start fast.
Every write is one `BEGIN IMMEDIATE` ... `COMMIT` holding the change and its
events, with a busy timeout, so concurrent commands queue instead of failing.
Nothing here prints or exits: failures are raised as `errors.PipelineError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import Busy, CannotWrite, DatabaseUnusable, PipelineError, UsageError
from .migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from .model import Filters, ProjectRecord

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


def insert_project(
    conn: sqlite3.Connection,
    record: ProjectRecord,
    *,
    change: int | None,
    by: str | None,
    note: str | None = None,
) -> int:
    """Insert a project and its `created` event (call inside a transaction)."""
    cursor = conn.execute(
        """
        INSERT INTO projects (id, name, sector, stage, status, investment_wan, key,
                              district, unit, lead, note, source, stage_since)
        VALUES (:id, :name, :sector, :stage, :status, :investment_wan, :key,
                :district, :unit, :lead, :note, :source, :stage_since)
        """,
        {**record.__dict__, "key": int(record.key)},
    )
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
) -> Iterator[sqlite3.Row]:
    """Projects matching `filters`, streamed from the cursor."""
    where, params = filter_clause(filters, today)
    direction = "DESC" if reverse else "ASC"
    sql = f"{PROJECT_SELECT}{where} ORDER BY {SORT_EXPRESSIONS[sort]} {direction}, p.id {direction}"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return iter(conn.execute(sql, params))


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
