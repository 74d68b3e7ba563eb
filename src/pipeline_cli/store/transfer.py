"""The SQL of import, export and backup."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import CannotWrite, DatabaseUnusable, os_reason
from ..fields import STORED_FIELDS
from ..model import ProjectRecord
from ._core import (
    PROJECT_INSERT,
    PROJECT_UPDATE,
    STORED_COLUMNS,
    _connect,
    _fsync,
    _fsync_dir,
    _utc_now,
    db_user,
    is_postgres,
    record_from_row,
    stream_rows,
    translate_error,
)
from .access import check_new_district, check_project, one_row_changed
from .changes import EVENT_INSERT, next_change
from .reads import select_list

if TYPE_CHECKING:
    from ..importing.plan import Planned


# --- import and backup ---------------------------------------------------------


def iter_export_rows(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """Every project, dropped ones too (not those whose add was undone), as tuples of fields.STORED_FIELDS, by id."""
    sql = f"SELECT {select_list(STORED_FIELDS)} FROM projects p WHERE p.status <> 'undone' ORDER BY p.id"
    return stream_rows(conn, sql)


def backup(conn: sqlite3.Connection, target: Path) -> int:
    """Copy the live database to `target`: consistent, durable, never clobbering.

    `VACUUM INTO` reads one snapshot, so writers may keep working; the copy is
    built beside `target` under a temporary name, checked, fsynced and only
    then linked into place, so `target` is either absent or a complete copy.
    Returns the number of projects in the copy.
    """
    from .. import files
    from ..errors import Conflict

    try:
        exists = os.path.lexists(target)
        folder_ok = target.parent.is_dir()
    except OSError as error:
        raise CannotWrite(
            "file.cannot_write", "file.cannot_write.hint", path=str(target), reason=os_reason(error)
        ) from None
    if exists:
        raise Conflict("backup.exists", "backup.exists.hint", path=str(target))
    # Not the name of a journal of the database in use, or of any SQLite file.
    database = None if is_postgres(conn) else conn.execute("PRAGMA database_list").fetchone()[2]
    files.refuse_sqlite(target, Path(database) if database else None)
    folder = target.parent
    if not folder_ok:
        raise CannotWrite("backup.no_folder", "backup.no_folder.hint", path=str(target), folder=str(folder))
    if is_postgres(conn):
        # A database on a server is backed up as an SQLite file: every row, checked (store/copying.py).
        from .copying import into_sqlite

        return into_sqlite(conn, target).rows["projects"]
    files.clean_stale(target)
    temporary = files.temporary_name(target)
    try:
        conn.execute("VACUUM INTO ?", (str(temporary),))
        copy = _connect(temporary, "ro")
        try:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            count: int = copy.execute("SELECT count(*) FROM projects").fetchone()[0]
        finally:
            copy.close()
        if problems != ["ok"]:
            raise DatabaseUnusable("backup.not_intact", "backup.not_intact.hint", problems="; ".join(problems[:3]))
        _fsync(temporary)
        try:
            os.link(temporary, target)  # fails if a file appeared there meanwhile
        except FileExistsError:
            raise Conflict("backup.appeared", "backup.exists.hint", path=str(target)) from None
        except OSError:
            # A file system without hard links: rename, after one more look.
            if target.exists():
                raise Conflict("backup.appeared", "backup.exists.hint", path=str(target)) from None
            os.rename(temporary, target)
        _fsync_dir(folder)
        return count
    except sqlite3.Error as error:
        raise translate_error(error, target) or error from None
    except OSError as error:
        raise CannotWrite(
            "file.cannot_write", "file.cannot_write.hint", path=str(target), reason=os_reason(error)
        ) from None
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def _chunks(values: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def projects_by_id(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, ProjectRecord]:
    """The stored projects among `ids` (a few queries of 500 ids, not one per id)."""
    found: dict[int, ProjectRecord] = {}
    unique = sorted(set(ids))
    for chunk in _chunks(unique):
        marks = ", ".join("?" * len(chunk))
        cursor = conn.cursor()
        cursor.row_factory = None
        for row in cursor.execute(f"SELECT {STORED_COLUMNS} FROM projects WHERE id IN ({marks})", chunk):
            record = record_from_row(row)
            assert record.id is not None
            found[record.id] = record
    return found


def last_event_dates(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    """Each project's latest event date (YYYY-MM-DD), for many projects at once."""
    dates: dict[int, str] = {}
    for chunk in _chunks(sorted(set(ids))):
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT project_id, max(date) FROM events WHERE project_id IN ({marks}) GROUP BY project_id"
        dates.update({project_id: date for project_id, date in conn.execute(sql, chunk)})
    return dates


class ImportWriter:
    """Writes a checked import batch by batch as one change; use inside `transaction()`.

    New projects are inserted under their own id or a fresh one above every
    id ever used and every id the file names (`floor()`: the file's largest
    id, asked for once, when the first row without an id comes). Updated
    ones get one UPDATE each. Events, all under one change number:
    `created` (and `dropped` for a project that arrives dropped) for new
    ones; `restored`, `stage`, `edited`, `dropped` for updated ones, in that
    order, each dated no earlier than the one before (a restore with a move
    is dated on the move's day). Each batch is a few executemany statements,
    not a round trip per row.
    """

    def __init__(self, conn: sqlite3.Connection, *, by: str, note: str, floor: Callable[[], int]) -> None:
        self.conn = conn
        self.by = by
        self.note = note
        self.change = next_change(conn)
        self.now = _utc_now()
        self.user = db_user()
        self._floor = floor
        self._sequence: int = conn.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'projects'), 0),"
            " coalesce((SELECT max(id) FROM projects), 0))"
        ).fetchone()[0]
        self._fresh: int | None = None

    def _next_id(self) -> int:
        if self._fresh is None:
            self._fresh = max(self._sequence, self._floor())
        self._fresh += 1
        return self._fresh

    def write(self, items: Sequence[Planned]) -> list[int]:
        """Write the batch's changed rows; returns each one's project id."""
        change, now, note, by, user = self.change, self.now, self.note, self.by, self.user
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
                    None,
                    None,
                    None,
                    user,
                )
            )

        for item in items:
            record, before = item.record, item.before
            if before is None:
                check_new_district(self.conn, None, record.name, record.district)
                project_id = record.id if record.id is not None else self._next_id()
                inserts.append({**record.as_dict(), "id": project_id, "key": int(record.key)})
                event(project_id, "created", record.stage_since, to=record.stage)
                if record.status == "dropped":
                    event(project_id, "dropped", item.date)
            else:
                assert before.id is not None
                project_id = before.id
                check_project(self.conn, project_id, before.name, before.district)
                if record.district != before.district:
                    check_new_district(self.conn, project_id, record.name, record.district)
                updates.append({**record.as_dict(), "id": project_id, "key": int(record.key)})
                if before.status == "dropped" and record.status == "active":
                    # A restore that comes with a move happens on the move's day at
                    # the latest: the project is never moved while still dropped.
                    moved = before.stage != record.stage
                    event(project_id, "restored", min(item.date, record.stage_since) if moved else item.date)
                if before.stage != record.stage:
                    event(project_id, "stage", record.stage_since, from_=before.stage, to=record.stage)
                if item.edits:
                    event(project_id, "edited", item.date, changes=item.edits)
                if before.status == "active" and record.status == "dropped":
                    event(project_id, "dropped", item.date)
            ids.append(project_id)
        self.conn.executemany(PROJECT_INSERT, inserts)
        if updates:
            one_row_changed(self.conn, self.conn.executemany(PROJECT_UPDATE, updates).rowcount, len(updates))
        self.conn.executemany(EVENT_INSERT, events)
        return ids


def ids_by_name(conn: sqlite3.Connection, names: Iterable[str], *, besides: int | None = None) -> dict[str, int]:
    """The lowest stored id for each of `names` that a project has (one scan, however many names).

    `besides`: a change whose added projects do not count (an import's own, batch by batch).
    """
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS import_names (name TEXT PRIMARY KEY)")
    try:
        conn.executemany("INSERT OR IGNORE INTO temp.import_names VALUES (?)", ((name,) for name in names))
        own = (
            ""
            if besides is None
            else " AND p.id NOT IN (SELECT project_id FROM events WHERE change = ? AND kind = 'created')"
        )
        rows = conn.execute(
            "SELECT p.name, min(p.id) FROM projects p JOIN temp.import_names n ON n.name = p.name"
            f" WHERE p.status <> 'undone'{own} GROUP BY p.name",
            () if besides is None else (besides,),
        )
        return {name: project_id for name, project_id in rows}
    finally:
        conn.execute("DROP TABLE temp.import_names")
