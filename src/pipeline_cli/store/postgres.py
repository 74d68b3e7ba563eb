"""A pipeline database on a PostgreSQL server: connecting, checking, creating, migrating.

Imported only when the database in use is a `postgresql://` URL (psycopg
with it), so a command on an SQLite file starts as it always did.

`PgConnection` gives the store the part of `sqlite3.Connection` it uses
(execute, executemany, cursor, in_transaction, close), over psycopg in
autocommit mode: every statement passes through dialect.translate, rows
come back as `Row`s (by index and by name, as sqlite3.Row) or plain tuples,
and the server's refusals come out as the contract's errors. The store's
own SQL stays one text for both engines; what differs is in dialect.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import PipelineStatus, TransactionStatus
from psycopg.rows import tuple_row
from psycopg.types.numeric import NumericLoader

from ..errors import Busy, CannotWrite, Conflict, DatabaseUnusable, PipelineError
from ..migrations import MIGRATIONS, SCHEMA_VERSION
from ..model import ProjectRecord
from . import dialect
from ._core import redact_url as redact

if TYPE_CHECKING:
    # Only writes and refusals need it, imported there: a read does not load it.
    from . import access

T = TypeVar("T")

# psycopg logs what it could not finish while an exception (a Ctrl-C) unwound
# its pipeline; the command says what happened itself ("interrupted: nothing changed").
logging.getLogger("psycopg").addHandler(logging.NullHandler())

# How long to wait for a server that does not answer, unless the URL says (connect_timeout).
CONNECT_TIMEOUT = 10


class Row(tuple[Any, ...]):
    """A row by position and by column name, as sqlite3.Row."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key.lower()])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    description = cursor.description or []
    index = {column.name.lower(): position for position, column in enumerate(description)}
    row_class = type("Row", (Row,), {"__slots__": (), "_index": index})

    def make(values: Sequence[Any]) -> Row:
        row: Row = row_class(values)
        return row

    return make


class _ExactNumeric(NumericLoader):
    """NUMERIC (a sum of 万元, a count of days) as an int when whole, as SQLite gives it."""

    def load(self, data: Any) -> Any:
        value = super().load(data)
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return int(value)
        return value


class PgCursor:
    """The part of sqlite3.Cursor the store uses."""

    def __init__(self, owner: PgConnection) -> None:
        self._owner = owner
        self._cursor = owner.raw.cursor(row_factory=_row_factory)
        self.lastrowid: int | None = None
        # None: plain tuples (the store sets it so for streamed reads).
        self.row_factory: Any = Row

    def execute(self, sql: str, parameters: Any = ()) -> PgCursor:
        self._cursor.row_factory = _row_factory if self.row_factory is not None else psycopg.rows.tuple_row
        is_pragma, replacement = dialect.pragma(sql)
        if is_pragma:
            if replacement is None:
                self._cursor.execute("SELECT 1 WHERE false")
                return self
            sql = replacement
        if sql.strip().upper() == "BEGIN IMMEDIATE":
            self._owner.begin_write(self._cursor)
            return self
        if sql.strip().upper() == "ROLLBACK":
            self._owner.rollback()
            return self
        if sql.strip().upper() == "BEGIN":
            sql = dialect.BEGIN_SNAPSHOT
        text, returns_id = dialect.translate(sql)
        with self._owner.translated_errors():
            self._cursor.execute(cast(Any, text), parameters)
            if returns_id:
                row = self._cursor.fetchone()
                self.lastrowid = int(row[0]) if row is not None else None
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> PgCursor:
        text, returns_id = dialect.translate(sql)
        if returns_id:
            text = text[: -len(" RETURNING id")]
        with self._owner.translated_errors():
            self._cursor.executemany(cast(Any, text), list(seq_of_parameters))
        return self

    def fetchone(self) -> Any:
        if self._cursor.description is None:
            return None
        with self._owner.translated_errors():
            return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        if self._cursor.description is None:
            return []
        with self._owner.translated_errors():
            return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        if self._cursor.description is None:
            return iter(())
        return iter(self._cursor)

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def close(self) -> None:
        self._cursor.close()


# Rows a streamed read brings over from the server at a time.
STREAM_PAGE = 2000


class PgStream:
    """A big read's rows as plain tuples through a named (server-side) cursor, a page at a time.

    A plain cursor holds the whole result in the client before the first row
    (a million projects are hundreds of MB); this one asks for STREAM_PAGE
    rows at a time (FETCH FORWARD), so memory stays flat whatever the size.
    Other statements may run on the connection meanwhile (a copy writes its
    target while its source streams), as with SQLite's cursors.

    A named cursor lives in a transaction: the caller's if one is open (a
    copy's snapshot, a write, check's), else one begun here, which streams
    opened meanwhile share, ended when the last of them has run out of rows,
    is closed or dropped, or fails. The planner is told the whole result will be read
    (cursor_tuple_fraction = 1), so it plans as for a plain query.
    """

    _names = itertools.count(1)

    def __init__(self, owner: PgConnection, sql: str, parameters: Any = (), *, by_name: bool = False) -> None:
        self._owner = owner
        self._closed = False
        self._cursor: psycopg.ServerCursor[Any] | None = None
        # The streams' own transaction this one shares (how many are open in it), or None: the caller's.
        self._shared: list[int] | None = None
        text, _ = dialect.translate(sql)
        try:
            with owner.translated_errors():
                shared = owner.stream_transaction
                if shared is not None and owner.in_transaction:
                    shared[0] += 1  # another stream's, still being read: this one joins it
                    self._shared = shared
                elif not owner.in_transaction:
                    self._shared = owner.stream_transaction = [1]
                    # One round trip, not two (a list of 47 rows pays each one).
                    owner.raw.execute("BEGIN; SET LOCAL cursor_tuple_fraction = 1")
                else:
                    owner.raw.execute("SET LOCAL cursor_tuple_fraction = 1")
                cursor = owner.raw.cursor(
                    name=f"pipeline_stream_{next(self._names)}", row_factory=_row_factory if by_name else tuple_row
                )
                self._cursor = cursor
                cursor.execute(cast(Any, text), parameters)
        except BaseException:
            self.close()
            raise
        self._rows = self._pages(cursor)

    def _pages(self, cursor: psycopg.ServerCursor[Any]) -> Iterator[Any]:
        while True:
            with self._owner.translated_errors():
                page = cursor.fetchmany(STREAM_PAGE)
            yield from page
            if len(page) < STREAM_PAGE:
                return

    def __iter__(self) -> PgStream:
        return self

    def __next__(self) -> Any:
        try:
            return next(self._rows)
        except BaseException:
            # The end of the rows, a refusal or a Ctrl-C: the cursor and its own transaction go.
            self.close()
            raise

    def close(self) -> None:
        """Close the cursor and end the transaction it began (the caller's stays open)."""
        if self._closed:
            return
        self._closed = True
        raw = self._owner.raw
        if raw.closed:
            return
        shared = self._shared
        if shared is not None:
            shared[0] -= 1
            if shared[0] == 0 and self._owner.stream_transaction is shared:
                # The last stream of the transaction the streams began: it ends, and its cursors with it.
                self._owner.stream_transaction = None
                self._owner.rollback()
        if self._cursor is not None:
            # (No round trip once the transaction has ended: psycopg knows the cursor went with it.)
            with contextlib.suppress(psycopg.Error):
                self._cursor.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


class PgConnection:
    """A pipeline database on a server, with the interface of sqlite3.Connection the store uses."""

    def __init__(self, raw: psycopg.Connection[Any], url: str, timeout: float) -> None:
        self.raw = raw
        self.url = url
        self.display = redact(url)
        self.timeout = timeout
        self.row_factory: Any = Row
        # What the role writing may change (store/access.py), read as each write begins; None: everything.
        self.scope: access.Scope | None = None
        # The transaction open streams began (PgStream) and how many share it; None: none.
        self.stream_transaction: list[int] | None = None

    def cursor(self) -> PgCursor:
        return PgCursor(self)

    def execute(self, sql: str, parameters: Any = ()) -> PgCursor:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any]) -> PgCursor:
        return self.cursor().executemany(sql, seq_of_parameters)

    def stream(self, sql: str, parameters: Any = (), *, by_name: bool = False) -> PgStream:
        """The rows of a big read, a page at a time (PgStream), never all in memory; `by_name`: as Rows."""
        return PgStream(self, sql, parameters, by_name=by_name)

    @property
    def in_transaction(self) -> bool:
        return not self.raw.closed and self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()

    def rollback(self) -> None:
        """End the transaction, whatever state an interrupted statement left the connection in.

        A Ctrl-C inside executemany stops psycopg's pipeline half-way, where the
        connection takes no statement; a server gone away takes none either:
        then it is closed, and the server rolls back what the transaction held,
        as it does for a client that died. A closed connection, or an idle one
        out of pipeline mode, has nothing to end.
        """
        if self.raw.closed or (not self.in_transaction and self.raw.pgconn.pipeline_status == PipelineStatus.OFF):
            return
        try:
            self.raw.execute("ROLLBACK")
        except psycopg.Error:
            self.raw.close()

    def begin_write(self, cursor: psycopg.Cursor[Any]) -> None:
        """BEGIN, and the write lock within the busy timeout (else Busy, the transaction rolled back)."""
        from . import access

        with self.translated_errors():
            for statement in dialect.begin_write(self.timeout):
                cursor.execute(cast(Any, statement))
            self.scope = access.load_scope(self)
        if self.scope is not None and self.scope.read_only:
            # A reader: refused before it writes anything, with the reason (the server would refuse too).
            self.rollback()
            raise access.read_only_refusal(self.scope)

    @contextlib.contextmanager
    def translated_errors(self) -> Iterator[None]:
        """The server's refusals as the contract's errors; anything else stays a bug."""
        try:
            yield
        except psycopg.Error as error:
            interruption = _interruption(error)
            if interruption is not None:
                # psycopg, stopped by a Ctrl-C in its pipeline, says it cannot go on: the Ctrl-C it is.
                self.rollback()
                raise interruption from None
            refusal = translate_error(error, self.display, self.timeout)
            if refusal is None:
                raise
            if self.scope is not None and isinstance(error, pg_errors.InsufficientPrivilege):
                # Row-level security or a missing GRANT: say what the role may change.
                from . import access

                refusal = access.server_refusal(self.scope, _reason(error), self.display)
            self.rollback()
            raise refusal from None


def _interruption(error: BaseException) -> BaseException | None:
    """The Ctrl-C (Interrupted, KeyboardInterrupt) during whose handling `error` was raised, if any."""
    seen = error.__context__
    while seen is not None:
        if not isinstance(seen, Exception):
            return seen
        seen = seen.__context__
    return None


def translate_error(error: psycopg.Error, where: str, timeout: float) -> PipelineError | None:
    """The contract's error for a refusal of the server, or None for a bug."""
    reason = _reason(error)
    if isinstance(error, pg_errors.LockNotAvailable):
        return Busy(
            f"the database is busy: another command held it for more than {timeout:g} s",
            "nothing changed; try again, or raise PIPELINE_BUSY_TIMEOUT",
        )
    if isinstance(error, pg_errors.InsufficientPrivilege | pg_errors.ReadOnlySqlTransaction):
        return CannotWrite("pg.no_privilege", "pg.no_privilege.hint", url=where, reason=reason)
    if isinstance(error, pg_errors.DiskFull | pg_errors.OutOfMemory):
        return CannotWrite("pg.cannot_write", "pg.cannot_write.hint", url=where, reason=reason)
    if isinstance(error, pg_errors.UndefinedTable | pg_errors.UndefinedColumn | pg_errors.UndefinedFunction):
        return DatabaseUnusable("db.schema_damaged", "db.missing_tables.hint", path=where, reason=reason)
    if isinstance(error, psycopg.OperationalError):
        return DatabaseUnusable("pg.unreachable", "pg.unreachable.hint", url=where, reason=reason)
    return None


def _reason(error: psycopg.Error) -> str:
    """The server's own words, on one line."""
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = primary or str(error).strip()
    return " ".join(text.split())


# --- connecting ----------------------------------------------------------------------


def connect(url: str, timeout: float, *, connect_timeout: float = CONNECT_TIMEOUT) -> PgConnection:
    """A connection to the server at `url` (exit 6 with the server's reason if it cannot be had)."""
    display = redact(url)
    options: dict[str, Any] = {"autocommit": True}
    if "connect_timeout" not in url:
        options["connect_timeout"] = connect_timeout
    try:
        raw = psycopg.connect(url, **options)
    except psycopg.ProgrammingError as error:
        # A URL libpq cannot parse.
        raise DatabaseUnusable("pg.bad_url", "pg.bad_url.hint", url=display, reason=_reason(error)) from None
    except psycopg.OperationalError as error:
        reason = _connect_reason(error)
        raise DatabaseUnusable("pg.unreachable", "pg.unreachable.hint", url=display, reason=reason) from None
    raw.adapters.register_loader("numeric", _ExactNumeric)
    return PgConnection(raw, url, timeout)


def _connect_reason(error: psycopg.Error) -> str:
    """libpq's message without its `connection to server at ... failed:` preamble, on one line."""
    text = " ".join(str(error).split())
    marker = "failed: "
    if marker in text:
        text = text[text.rindex(marker) + len(marker) :]
    return text.removeprefix("FATAL: ").strip()


# The pipeline tables and views present in the schema in use.
_RELATIONS = (
    "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relname = ANY(%s)"
)
# Opening's one round trip: the schema version and, beside it, the relations present.
_OPENING = f"SELECT coalesce(max(id), 0), ARRAY({_RELATIONS}) FROM migrations"


def _relations(conn: PgConnection) -> set[str]:
    """The pipeline tables and views present in the schema in use."""
    rows = conn.raw.execute(cast(Any, _RELATIONS), (list(dialect.PG_RELATIONS),)).fetchall()
    return {str(row[0]) for row in rows}


def _opening(conn: PgConnection) -> tuple[set[str], int | None]:
    """The relations present and the schema version (None when it could not be read), in one statement.

    Where there is no `migrations` table to read, or the role may not read
    it, the statement fails and the relations are asked for alone: what is
    missing decides the refusal, as when they were always asked first.
    """
    try:
        row = conn.raw.execute(cast(Any, _OPENING), (list(dialect.PG_RELATIONS),)).fetchone()
    except (pg_errors.UndefinedTable, pg_errors.InsufficientPrivilege):
        return _relations(conn), None
    if row is None:  # (an aggregate without GROUP BY always gives its row)
        return _relations(conn), None
    return {str(name) for name in row[1]}, int(row[0])


def _version(conn: PgConnection) -> int:
    row = conn.raw.execute("SELECT coalesce(max(id), 0) FROM migrations").fetchone()
    return int(row[0]) if row is not None else 0


def open_existing(url: str, timeout: float) -> PgConnection:
    """A pipeline database on a server, checked and migrated (exit 6 if it is none, or newer)."""
    conn = connect(url, timeout)
    try:
        with conn.translated_errors():
            present, read = _opening(conn)
            if not present:
                raise DatabaseUnusable("pg.not_initialised", "pg.not_initialised.hint", url=conn.display)
            missing = [
                name for name in ("projects", "events", "stages", "sectors", "migrations") if name not in present
            ]
            if missing:
                raise DatabaseUnusable("db.missing_tables", "db.missing_tables.hint", path=conn.display, tables=missing)
            try:
                version = read if read is not None else _version(conn)
            except pg_errors.InsufficientPrivilege as error:
                # A role never given access, or whose access was revoked: it may not even read.
                raise CannotWrite(
                    "access.no_read",
                    "access.no_read.hint",
                    role=conn.raw.info.user,
                    url=conn.display,
                    reason=_reason(error),
                ) from None
        if version > SCHEMA_VERSION:
            raise DatabaseUnusable(
                f"{conn.display} was written by a newer version of pipeline"
                f" (schema {version}, this one knows {SCHEMA_VERSION})",
                "upgrade pipeline (pip install -U pipeline-cli) to use it",
            )
        if version < SCHEMA_VERSION:
            _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: PgConnection) -> None:
    """Each missing migration in its own transaction with its record, under the write lock.

    Another process may migrate meanwhile: the version is read again once
    the lock is held, so the second finds the work done.
    """
    while True:
        cursor = conn.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            version = _version(conn)
            if version >= SCHEMA_VERSION:
                conn.raw.execute("COMMIT")
                return
            number = version + 1
            statements = dialect.PG_MIGRATIONS.get(number)
            if statements is None:
                raise DatabaseUnusable(
                    f"{conn.display} is at schema {version}; migration {number} has no PostgreSQL form",
                    "use the version of pipeline that created it",
                )
            with conn.translated_errors():
                conn.raw.execute(cast(Any, statements))
                conn.raw.execute(
                    "INSERT INTO migrations (id, name, applied_at) VALUES (%s, %s, %s)",
                    (number, MIGRATIONS[version].__name__, _utc_now()),
                )
                conn.raw.execute("COMMIT")
        except BaseException:
            conn.rollback()
            raise


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def create(url: str, records: Iterable[ProjectRecord], timeout: float) -> int:
    """Create the schema in a database without pipeline tables, seeded with `records`; how many."""
    from ..model import SECTORS, STAGES
    from ._core import insert_project

    def seed(conn: PgConnection) -> int:
        with conn.translated_errors(), conn.raw.cursor() as raw:
            raw.executemany(
                "INSERT INTO stages VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    (
                        s.slug,
                        s.position,
                        s.name_zh,
                        s.name_en,
                        s.yellow_days,
                        s.red_days,
                        *(dialect.PLAN_THRESHOLDS if s.position > 1 else (None, None)),
                    )
                    for s in STAGES
                ],
            )
            raw.executemany(
                "INSERT INTO sectors VALUES (%s, %s, %s, %s)",
                [(s.slug, s.position, s.name_zh, s.name_en) for s in SECTORS],
            )
        count = 0
        for record in records:
            insert_project(cast(Any, conn), record, change=None, by="pipeline init", note="seed")
            count += 1
        return count

    return create_with(url, timeout, seed)


def create_with(url: str, timeout: float, fill: Callable[[PgConnection], T]) -> T:
    """Create the schema in a database without pipeline tables and `fill` it, in one transaction; what fill says.

    The transaction holds the write lock: a concurrent `init` or `copy` waits,
    then finds the tables and refuses (exit 4); a failure leaves nothing behind.
    Stages and sectors are for `fill` to write.
    """
    conn = connect(url, timeout)
    try:
        cursor = conn.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            with conn.translated_errors():
                present = _relations(conn)
                if present:
                    raise Conflict("pg.init_exists", "pg.init_exists.hint", url=conn.display, tables=sorted(present))
                conn.raw.execute(cast(Any, dialect.COMPAT_FUNCTIONS))
                conn.raw.execute(cast(Any, dialect.PG_SCHEMA))
                now = _utc_now()
                with conn.raw.cursor() as raw:
                    raw.executemany(
                        "INSERT INTO migrations (id, name, applied_at) VALUES (%s, %s, %s)",
                        [(n, MIGRATIONS[n - 1].__name__, now) for n in range(1, dialect.PG_BASE_VERSION + 1)],
                    )
            result = fill(conn)
            with conn.translated_errors():
                conn.raw.execute("COMMIT")
        except BaseException:
            conn.rollback()
            raise
    finally:
        conn.close()
    if dialect.PG_BASE_VERSION < SCHEMA_VERSION:
        open_existing(url, timeout).close()  # the migrations after the base schema
    return result
