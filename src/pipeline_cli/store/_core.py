"""Finding, opening, checking, migrating and creating the file; the write transaction; errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from .. import interrupts
from ..errors import Busy, CannotWrite, DatabaseUnusable, Message, PipelineError, UsageError, os_reason, sqlite_reason
from ..fields import STORED_FIELDS
from ..frozen import Frozen
from ..migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from ..model import ProjectRecord, echo

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_BUSY_TIMEOUT = 5.0

# --- where the file is -----------------------------------------------------


class DbLocation(Frozen):
    __slots__ = ("explicit", "path", "url")
    path: Path
    # Named by --db or $PIPELINE_DB: never created by accident.
    explicit: bool
    # A `postgresql://` URL (then `path` is only its name without the password).
    url: str | None

    def __init__(self, path: Path, explicit: bool, url: str | None = None) -> None:
        self._set(path=path, explicit=explicit, url=url)

    @property
    def display(self) -> str:
        """What `where` and messages name: the path, or the URL without its password."""
        return str(self.path) if self.url is None else redact_url(self.url)


URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(named: str) -> bool:
    return named.strip().lower().startswith(URL_SCHEMES)


def display_name(named: str) -> str:
    """A database as messages name it: a path as given, a URL without its password."""
    return redact_url(named.strip()) if is_url(named) else named


def redact_url(url: str) -> str:
    """A database URL without its password (in the authority or as a `password` parameter)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}@{hostport}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def locate(db_option: str | None) -> DbLocation:
    """--db, else $PIPELINE_DB, else the settings' db, else pipeline.db in the user data directory."""
    if db_option is not None and not db_option.strip():
        # `--db ''` (an unset shell variable): never the default database instead.
        raise UsageError("db.empty", "db.empty.hint")
    named = db_option or os.environ.get("PIPELINE_DB")
    if not named:
        from ..settings import get

        named = get("db")
    if named:
        if "\x00" in named:  # only a settings file can hold one: no file has such a name
            raise UsageError("db.nul", "db.nul.hint", path=echo(named))
        if is_url(named):
            return DbLocation(Path(redact_url(named)), explicit=True, url=named.strip())
        from ..files import looks_like_url, shown_url

        if looks_like_url(named):
            # https://, sqlite:///...: as a Path its // would fold, and init would create a folder `sqlite:`.
            given = "--db" if db_option else "PIPELINE_DB" if os.environ.get("PIPELINE_DB") else "db"
            raise UsageError("db.url", "db.url.hint", option=given, target=echo(shown_url(named), 80))
        return DbLocation(Path(named).expanduser(), explicit=True)
    from ..folders import user_data_dir

    return DbLocation(Path(user_data_dir()) / "pipeline.db", explicit=False)


def busy_timeout() -> float:
    """$PIPELINE_BUSY_TIMEOUT seconds (a finite number from 0 to an hour), else the settings', else 5."""
    from ..settings import get, seconds

    raw = os.environ.get("PIPELINE_BUSY_TIMEOUT")
    if raw is None or raw.strip() == "":
        configured = get("busy_timeout")  # checked when the file is read
        return float(configured) if configured is not None else DEFAULT_BUSY_TIMEOUT
    value = seconds(raw)
    if value is None:
        raise UsageError("config.bad_env_timeout", "config.bad_env_timeout.hint", value=echo(raw))
    return value


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
        return Busy("db.busy", "db.busy.hint", seconds=f"{busy_timeout():g}")
    if primary in _CANNOT_WRITE_CODES:
        return CannotWrite("db.cannot_write", "db.cannot_write.hint", path=str(path), reason=sqlite_reason(error))
    text = str(error)
    if isinstance(error, sqlite3.OperationalError) and text.startswith(("no such table", "no such column")):
        # A table or column the schema has was removed by hand (or by another tool).
        return DatabaseUnusable(
            "db.schema_damaged", "db.missing_tables.hint", path=str(path), reason=sqlite_reason(error)
        )
    if primary in _UNUSABLE_CODES:
        return DatabaseUnusable("db.damaged", "db.damaged.hint", path=str(path), reason=sqlite_reason(error))
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
    """Refuse anything that is not an SQLite file before SQLite touches it.

    The file's type is looked at first, without opening it: a FIFO would
    block the open, a device would be read as if it were a file.
    """
    try:
        _refuse_not_a_file(path, os.stat(path).st_mode)
        # O_NONBLOCK: should the file become a FIFO meanwhile, the open does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            _refuse_not_a_file(path, os.fstat(fd).st_mode)
            header = os.read(fd, len(SQLITE_HEADER))
        finally:
            os.close(fd)
    except PermissionError:
        raise DatabaseUnusable("db.unreadable", "db.unreadable.hint", path=str(path)) from None
    except OSError as error:
        raise _cannot_open(path, os_reason(error)) from None
    if header != SQLITE_HEADER:
        raise DatabaseUnusable("db.not_sqlite", "db.not_sqlite.hint", path=str(path))


def _refuse_not_a_file(path: Path, mode: int) -> None:
    """A folder, FIFO, device or socket at `path` (its st_mode) is exit 6, named for what it is."""
    from .. import files

    kind = files.kind_message(mode)
    if kind is not None:
        raise DatabaseUnusable("db.not_a_file", "db.not_a_file.hint", path=str(path), kind=kind)


def _cannot_open(path: Path, reason: Message | str) -> DatabaseUnusable:
    """Exit 6 for a file the system or SQLite would not open, with its reason."""
    return DatabaseUnusable("db.cannot_open", "db.cannot_open.hint", path=str(path), reason=reason)


def _exists(path: Path) -> bool:
    """Whether there is a file at `path`; a folder on the way that cannot be entered or a name too long is exit 6."""
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except PermissionError:
        raise DatabaseUnusable("db.unreachable", "db.unreachable.hint", path=str(path)) from None
    except OSError as error:
        raise _cannot_open(path, os_reason(error)) from None
    return True


# The tables every pipeline database has; one missing is a damaged file (exit 6), not a bug.
REQUIRED_TABLES = ("projects", "events", "stages", "sectors", "migrations")


def _check_tables(conn: sqlite3.Connection, path: Path) -> None:
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    missing = [name for name in REQUIRED_TABLES if name not in present]
    if missing:
        conn.close()
        raise DatabaseUnusable("db.missing_tables", "db.missing_tables.hint", path=str(path), tables=missing)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the missing migrations, each in its own transaction with its record."""
    while True:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return
        # Foreign keys off while a migration runs (they cannot be switched
        # inside a transaction), so that migrations.rebuild_table can replace
        # a table others refer to; checked before the commit instead.
        conn.execute("PRAGMA foreign_keys = OFF")
        try:
            begin_immediate(conn, path)
            try:
                # Another process may have migrated while we waited for the lock.
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version < SCHEMA_VERSION:
                    migration = MIGRATIONS[version]
                    migration(conn)
                    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseUnusable(
                            "db.migration_broken",
                            "db.migration_broken.hint",
                            migration=migration.__name__,
                            count=len(broken),
                            table=broken[0][0],
                            row=broken[0][1],
                            target=broken[0][2],
                        )
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
        finally:
            conn.execute("PRAGMA foreign_keys = ON")


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        conn.execute("ROLLBACK")


def db_user() -> str | None:
    """Who the database says writes: on SQLite, the OS login name (no option sets it)."""
    import getpass

    try:
        return getpass.getuser() or None
    except Exception:  # a uid without a passwd entry and no LOGNAME/USER
        return None


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def open_existing(path: Path) -> sqlite3.Connection:
    """Open a pipeline database that must exist, checking and migrating it.

    Refuses (exit 6) without changing a byte: a missing file, a non-SQLite
    file, another application's SQLite file, a newer schema.
    """
    if not _exists(path):
        raise DatabaseUnusable("db.missing", "db.missing.hint", path=str(path))
    _check_header(path)
    try:
        conn = _connect(path, "rw")
        app_id, version = (
            conn.execute("PRAGMA application_id").fetchone()[0],
            conn.execute("PRAGMA user_version").fetchone()[0],
        )
    except sqlite3.Error as error:
        raise translate_error(error, path) or _cannot_open(path, sqlite_reason(error)) from None
    if app_id != APPLICATION_ID:
        conn.close()
        raise DatabaseUnusable("db.not_pipeline", "db.not_pipeline.hint", path=str(path))
    if version > SCHEMA_VERSION:
        conn.close()
        raise DatabaseUnusable("db.newer", "db.newer.hint", path=str(path), version=version, known=SCHEMA_VERSION)
    _migrate(conn, path)
    try:
        _check_tables(conn, path)
    except sqlite3.Error as error:
        conn.close()
        raise translate_error(error, path) or _cannot_open(path, sqlite_reason(error)) from None
    return conn


def _postgres() -> Any:
    """store.postgres, which needs psycopg: the `postgres` extra (exit 6 with the hint without it)."""
    try:
        from . import postgres
    except ImportError as error:
        raise DatabaseUnusable("pg.no_driver", "pg.no_driver.hint", reason=str(error)) from None
    return postgres


def open_url(url: str) -> sqlite3.Connection:
    """Open a pipeline database on a PostgreSQL server, checked and migrated.

    The connection gives the store the part of sqlite3.Connection it uses
    (store/postgres.py), so the store's functions take either.
    """
    conn: sqlite3.Connection = _postgres().open_existing(url, busy_timeout())
    return conn


def create_url(url: str, records: Iterable[ProjectRecord]) -> int:
    """`init` on a server: the schema in a database without pipeline tables; how many projects it seeded."""
    count: int = _postgres().create(url, records, busy_timeout())
    return count


def is_postgres(conn: object) -> bool:
    """Whether `conn` is a connection to a PostgreSQL server (open_url's)."""
    return type(conn).__name__ == "PgConnection"


def stream_rows(
    conn: sqlite3.Connection, sql: str, params: dict[str, Any] | Sequence[Any] = (), *, by_name: bool = False
) -> Iterator[Any]:
    """The rows of a big read, a page at a time: never the whole result in memory.

    Plain tuples, or with `by_name` rows by position and by column name
    (sqlite3.Row, postgres.Row). On a file, the cursor itself (SQLite steps
    through the result as it is read). On a server, a named cursor
    (store/postgres.py, PgConnection.stream): a plain one would hold the
    whole result in the client before the first row.
    """
    if is_postgres(conn):
        rows: Iterator[Any] = cast(Any, conn).stream(sql, params, by_name=by_name)
        return rows
    if by_name:
        return iter(conn.execute(sql, params))
    cursor = conn.cursor()
    cursor.row_factory = None
    return iter(cursor.execute(sql, params))


def create(path: Path, records: Iterable[ProjectRecord], *, replace: bool = False) -> Path | None:
    """Build a new database at `path`, seeded with `records`.

    The file is built beside `path` under a temporary name and linked into
    place only when complete, so a crash or a concurrent creator never leaves
    a half-built database. With `replace`, an existing file is first renamed
    to a backup whose path is returned; without it, FileExistsError.

    A database is never separated from its -journal/-wal: the old file is
    opened first, so SQLite rolls back a crashed write, and moved together
    with whatever companions remain; a new file is never created where the
    journal of a vanished database still lies (exit 4). Only a regular file
    is replaced: a folder, a device, a FIFO or a symlink is refused (exit 6).
    """
    from .. import files

    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _cannot_create(path, error) from None
    if info is not None:
        kind = files.kind_message(info.st_mode)
        if kind is not None:
            raise DatabaseUnusable("init.not_a_file", "init.not_a_file.hint", path=str(path), kind=kind)
        if not replace:
            raise FileExistsError(path)
    else:
        _refuse_orphans(path)
    temporary = files.temporary_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        files.clean_stale(path)
        conn = _connect(temporary, "rwc")
        try:
            _migrate(conn, temporary)
            with transaction(conn, temporary, change=False):
                for record in records:
                    insert_project(conn, record, change=None, by="pipeline init", note="seed")
        finally:
            conn.close()
        _fsync(temporary)
        backup = None
        if info is not None:
            backup = _backup_name(path)
            _move_aside(path, backup)
        _refuse_orphans(path)
        os.link(temporary, path)  # fails if a file appeared there meanwhile
        _fsync_dir(path.parent)
        return backup
    except sqlite3.Error as error:
        raise translate_error(error, path) or error from None
    except FileExistsError:
        raise
    except OSError as error:
        raise _cannot_create(path, error) from None
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _cannot_create(path: Path, error: OSError) -> CannotWrite:
    return CannotWrite("init.cannot_create", "init.cannot_create.hint", path=str(path), reason=os_reason(error))


def _companion(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _refuse_orphans(path: Path) -> None:
    """No database at `path`, but its -journal or -wal is there: a new file would meet it and be corrupt."""
    for suffix in ("-journal", "-wal"):
        journal = _companion(path, suffix)
        if os.path.lexists(journal):
            from ..errors import Conflict

            raise Conflict("init.orphan_journal", "init.orphan_journal.hint", path=str(path), journal=str(journal))


def _move_aside(path: Path, backup: Path) -> None:
    """Rename the database at `path` to `backup` together with its -journal, -wal and -shm.

    If it is an SQLite file, it is opened first under an exclusive lock, so a
    hot journal is rolled back (and a WAL checkpointed) and no other command
    is writing while it moves; a file too damaged to open moves with its
    companions, which keep their pairing under the new name.
    """
    from .. import files

    conn: sqlite3.Connection | None = None
    if files.is_sqlite_file(path):
        try:
            conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=busy_timeout())
            conn.isolation_level = None
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.Error as error:
            refusal = translate_error(error, path)
            if conn is not None:
                conn.close()
                conn = None
            if isinstance(refusal, Busy):
                raise refusal from None
            # Corrupt or not a database after all: it moves with its companions as it is.
    try:
        os.rename(path, backup)
        for suffix in files.COMPANIONS:
            companion = _companion(path, suffix)
            if os.path.lexists(companion):
                os.rename(companion, _companion(backup, suffix))
    finally:
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            conn.close()


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
def transaction(conn: sqlite3.Connection, path: Path, *, change: bool = True) -> Iterator[None]:
    """One BEGIN IMMEDIATE ... COMMIT; on any failure, roll back and translate.

    A Ctrl-C during the COMMIT is held until the commit is recorded
    (interrupts.committing), so it reports the change as saved; `change=False`
    for a transaction that is not the user's change (a new file's seed).
    """
    begin_immediate(conn, path)
    try:
        yield
        if change:
            with interrupts.committing():
                conn.execute("COMMIT")
        else:
            conn.execute("COMMIT")
    except sqlite3.Error as error:
        _rollback(conn)
        raise translate_error(error, path) or error from None
    except BaseException:
        _rollback(conn)
        raise


# How long SQLite itself waits at a time for the write lock: Ctrl-C is seen
# between two waits, not only after the whole busy timeout.
_LOCK_WAIT_STEP = 0.05


def begin_immediate(conn: sqlite3.Connection, path: Path) -> None:
    """BEGIN IMMEDIATE, waiting at most the busy timeout for the write lock, in steps a Ctrl-C can cut."""
    if not isinstance(conn, sqlite3.Connection):
        # A server's connection waits for its lock its own way (postgres.py).
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as error:
            raise translate_error(error, path) or error from None
        return
    total = busy_timeout()
    deadline = time.monotonic() + total
    conn.execute(f"PRAGMA busy_timeout = {int(min(total, _LOCK_WAIT_STEP) * 1000)}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as error:
                code = getattr(error, "sqlite_errorcode", None)
                busy = isinstance(code, int) and code & 0xFF in _BUSY_CODES
                if not busy or time.monotonic() >= deadline:
                    raise translate_error(error, path) or error from None
    finally:
        # Every other statement waits the whole timeout at once, as before.
        conn.execute(f"PRAGMA busy_timeout = {int(total * 1000)}")


# --- writes ------------------------------------------------------------------


# A project's stored fields by name (insert_project; import inserts many with executemany).
_COLUMNS = [f.column for f in STORED_FIELDS if f.column is not None]
PROJECT_INSERT = (
    f"INSERT INTO projects ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + column for column in _COLUMNS)})"
)
# Every stored column but id and source (where a record came from never changes).
PROJECT_UPDATE = (
    "UPDATE projects SET "
    + ", ".join(f"{column} = :{column}" for column in _COLUMNS if column not in ("id", "source"))
    + " WHERE id = :id"
)
# The stored columns as they are (investment in 万元, key 0/1), for ProjectRecord.
STORED_COLUMNS = ", ".join(_COLUMNS)


def record_from_row(row: Any) -> ProjectRecord:
    """A row of STORED_COLUMNS as the ProjectRecord it holds."""
    values = {column: row[index] for index, column in enumerate(_COLUMNS)}
    return ProjectRecord(**{**values, "key": bool(values["key"])})


def insert_project(
    conn: sqlite3.Connection,
    record: ProjectRecord,
    *,
    change: int | None,
    by: str | None,
    note: str | None = None,
) -> int:
    """Insert a project and its `created` event (call inside a transaction)."""
    cursor = conn.execute(PROJECT_INSERT, {**record.as_dict(), "key": int(record.key)})
    project_id = cursor.lastrowid
    assert project_id is not None
    # The created event carries the starting stage and the day it was entered,
    # so a project's stage always equals the `to` of its last stage event.
    conn.execute(
        """
        INSERT INTO events (project_id, kind, "to", date, recorded_at, note, by, change, db_user)
        VALUES (?, 'created', ?, ?, ?, ?, ?, ?, ?)
        """,
        (project_id, record.stage, record.stage_since, _utc_now(), note, by, change, db_user()),
    )
    return project_id
