"""`copy SOURCE TARGET` and `backup` from a server: a whole pipeline database into a new one.

Between SQLite files and PostgreSQL databases in either direction, every
row as it was: ids, `recorded_at`, `by` and `db_user` of each event, the
bureau's stages and sectors, plans and problems, and the ids each table has
given (so none is ever given again). The source is read in one snapshot
(its own transaction); the target is written in one transaction, read back
and checked (`check`'s invariants, and each table's rows against the
source's) before it commits. A new SQLite file is built under a temporary
name and linked into place only then; a PostgreSQL target must be a
database without pipeline tables.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from ..errors import CannotWrite, Conflict, DatabaseUnusable
from ._core import (
    _connect,
    _fsync,
    _fsync_dir,
    _migrate,
    _refuse_orphans,
    stream_rows,
    transaction,
    translate_error,
)
from .check import violations

# Every table of a pipeline database but `migrations` (each target records
# its own), in an order the foreign keys allow, with its columns and key.
TABLES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "stages",
        ("stage", "position", "name_zh", "name_en", "yellow_days", "red_days", "plan_yellow_days", "plan_red_days"),
        "position",
    ),
    ("sectors", ("sector", "position", "name_zh", "name_en"), "position"),
    (
        "projects",
        (
            "id",
            "name",
            "sector",
            "stage",
            "status",
            "investment_wan",
            "key",
            "district",
            "unit",
            "lead",
            "note",
            "source",
            "stage_since",
        ),
        "id",
    ),
    (
        "events",
        (
            "id",
            "project_id",
            "kind",
            '"from"',
            '"to"',
            "date",
            "recorded_at",
            "note",
            "by",
            "changes",
            "change",
            "undoes",
            "plan_from",
            "plan_to",
            "problem_id",
            "db_user",
        ),
        "id",
    ),
    ("plans", ("project_id", "stage", "date"), "project_id, stage"),
    ("problems", ("id", "project_id", "text", "unit", "opened", "due", "closed", "note"), "id"),
)
# The tables whose ids AUTOINCREMENT (or the server's pipeline_sequence) gives.
SEQUENCES = ("projects", "events", "problems")
BATCH = 5000


@dataclass
class Copied:
    """What a copy holds: rows per table, and the projects and events `check` counts."""

    rows: dict[str, int] = field(default_factory=dict)
    projects: int = 0
    events: int = 0


def _select(table: str, columns: tuple[str, ...], order: str) -> str:
    return f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}"


def _rows(conn: sqlite3.Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    """A table's rows, a page at a time on a server (never a whole table in memory)."""
    return stream_rows(conn, sql)


def _batches(rows: Iterable[tuple[Any, ...]], digest: Any) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        digest.update(repr(tuple(row)).encode())
        batch.append(tuple(row))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _sequences(conn: sqlite3.Connection) -> dict[str, int]:
    """The last id each table has given (sqlite_sequence; pipeline_sequence on a server)."""
    rows = conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    return {str(row[0]): int(row[1]) for row in rows if row[0] in SEQUENCES}


def fill(source: sqlite3.Connection, target: sqlite3.Connection, where: str) -> Copied:
    """Copy every row of `source` into `target` (inside the target's transaction), then verify the copy.

    Verified before the caller commits: each table's rows read back from the
    target equal the source's (a digest of both, in key order), the ids given
    are the same, and `check` finds nothing. Else exit 6, nothing kept.
    """
    import hashlib  # here, not at the top: only `copy` needs it, and it costs every other command 3 ms

    copied = Copied()
    written: dict[str, str] = {}
    # The new target's own stages and sectors give way to the source's.
    target.execute("DELETE FROM stages")
    target.execute("DELETE FROM sectors")
    for table, columns, order in TABLES:
        digest = hashlib.sha256()
        count = 0
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        for batch in _batches(_rows(source, _select(table, columns, order)), digest):
            target.executemany(insert, batch)
            count += len(batch)
        copied.rows[table] = count
        written[table] = digest.hexdigest()
    given = _sequences(source)
    for name, seq in given.items():
        target.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name))
        target.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS"
            " (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
            (name, seq, name),
        )
    for table, columns, order in TABLES:
        digest = hashlib.sha256()
        for row in _rows(target, _select(table, columns, order)):
            digest.update(repr(tuple(row)).encode())
        if digest.hexdigest() != written[table]:
            raise DatabaseUnusable("copy.differs", "copy.differs.hint", target=where, table=table)
    if {k: v for k, v in _sequences(target).items() if k in given} != given:
        raise DatabaseUnusable("copy.differs", "copy.differs.hint", target=where, table="sqlite_sequence")
    found = violations(target)
    if found:
        raise DatabaseUnusable("copy.check_failed", "copy.differs.hint", target=where, problem=found[0].message)
    copied.projects = int(target.execute("SELECT count(*) FROM projects WHERE status <> 'undone'").fetchone()[0])
    copied.events = copied.rows["events"]
    return copied


@contextlib.contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction on the source: the copy is of one moment, whoever writes meanwhile."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def into_sqlite(source: sqlite3.Connection, target: Path) -> Copied:
    """Copy `source` into a new SQLite file at `target` (refused, exit 4, if anything is there)."""
    from .. import files

    if os.path.lexists(target):
        raise Conflict("copy.target_exists", "copy.target_exists.hint", target=str(target))
    _refuse_orphans(target)
    if not target.parent.is_dir():
        raise CannotWrite("backup.no_folder", "backup.no_folder.hint", path=str(target), folder=str(target.parent))
    files.clean_stale(target)
    temporary = files.temporary_name(target)
    try:
        conn = _connect(temporary, "rwc")
        try:
            _migrate(conn, temporary)
            with snapshot(source), transaction(conn, temporary):
                copied = fill(source, conn, str(target))
        finally:
            conn.close()
        _fsync(temporary)
        try:
            os.link(temporary, target)  # fails if a file appeared there meanwhile
        except FileExistsError:
            raise Conflict("copy.target_exists", "copy.target_exists.hint", target=str(target)) from None
        _fsync_dir(target.parent)
        return copied
    except sqlite3.Error as error:
        raise translate_error(error, target) or error from None
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def into_postgres(source: sqlite3.Connection, url: str, timeout: float) -> Copied:
    """Copy `source` into a database on a server that has no pipeline tables (else exit 4)."""
    from . import dialect
    from ._core import _postgres, redact_url

    postgres = _postgres()

    def copy_rows(conn: Any) -> Copied:
        with conn.translated_errors():
            for statement in dialect.KEEP_AS_COPIED:
                conn.raw.execute(statement)
        with snapshot(source):
            copied = fill(source, cast(sqlite3.Connection, conn), redact_url(url))
        with conn.translated_errors():
            for statement in dialect.AS_WRITTEN:
                conn.raw.execute(statement)
        return copied

    try:
        result: Copied = postgres.create_with(url, timeout, copy_rows)
    except Conflict as refusal:
        if refusal.key == "pg.init_exists":
            raise Conflict("copy.target_exists", "copy.target_exists.hint", target=redact_url(url)) from None
        raise
    return result


def copy_database(source: sqlite3.Connection, target: str) -> Copied:
    """Copy the open database `source` to `target`: a new SQLite file's path, or a server's URL."""
    from ._core import busy_timeout, is_url

    if is_url(target):
        return into_postgres(source, target.strip(), busy_timeout())
    return into_sqlite(source, Path(target).expanduser())
