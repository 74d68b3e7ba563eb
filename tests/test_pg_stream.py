"""Big reads on PostgreSQL come a page at a time through a named cursor, never the whole result at once.

list, lights, export, copy's table reads and check's queries read through
store.stream_rows: on a server a PgStream over a server-side cursor, so the
client holds one page (STREAM_PAGE rows) whatever the number of projects.
Its transaction is its own unless the caller holds one, and it ends when the
rows run out or the stream is closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from pipeline_cli import store
from pipeline_cli.model import Filters
from pipeline_cli.store import copying, postgres
from pipeline_cli.store._core import stream_rows

SEEDED = 47
ADDED = 3 * postgres.STREAM_PAGE + 7


@pytest.fixture
def many(pg_url: str) -> str:
    """The seeded database on the server with ADDED more projects (straight into the table, no events)."""
    with psycopg.connect(pg_url, autocommit=True) as raw:
        raw.execute(
            "INSERT INTO projects (name, sector, stage, status, investment_wan, key, district, source, stage_since)"
            " SELECT '批量项目' || n, 'it', 'signed', 'active', n, 0, '城阳区', 'user', '2020-01-01'"
            " FROM generate_series(1, %s) AS n",
            (ADDED,),
        )
    return pg_url


@pytest.fixture
def conn(many: str) -> Iterator[Any]:
    connection = store.open_url(many)
    try:
        yield connection
    finally:
        connection.close()


def open_cursors(conn: Any) -> int:
    """The named cursors open in this session (pg_cursors is per session)."""
    return int(conn.raw.execute("SELECT count(*) FROM pg_cursors").fetchone()[0])


def test_list_reads_a_page_at_a_time_through_a_server_side_cursor(conn: Any) -> None:
    rows = store.iter_projects(conn, Filters(), dt.date(2021, 1, 1))
    assert isinstance(rows, postgres.PgStream)
    first = next(rows)
    assert first[0] == 1
    # One cursor on the server; in the client only the page fetched so far.
    assert open_cursors(conn) == 1
    assert rows._cursor is not None and rows._cursor.pgresult is not None
    assert rows._cursor.pgresult.ntuples == postgres.STREAM_PAGE
    rest = list(rows)
    assert 1 + len(rest) == SEEDED + ADDED
    assert [row[0] for row in [first, *rest]] == sorted(row[0] for row in [first, *rest])
    # Its own transaction ended with the rows.
    assert not conn.in_transaction
    assert open_cursors(conn) == 0


def test_lights_export_copy_and_check_stream_too(conn: Any) -> None:
    today = dt.date(2021, 1, 1)
    lights = store.iter_lights(conn, Filters(), today)
    exported = store.iter_export_rows(conn)
    table = copying._rows(conn, copying._select("events", ("id", "project_id"), "id"))
    for rows in (lights, exported, table):
        assert isinstance(rows, postgres.PgStream)
    # Several streams at once on one connection, each in step: a copy reads while it writes.
    assert len(list(exported)) == SEEDED + ADDED
    assert len(list(lights)) > ADDED  # every added project is signed since 2020: past its red days
    assert len(list(table)) >= SEEDED
    assert not conn.in_transaction
    # check reads its invariants' queries as streams: the added projects have no created event.
    found = store.check_database(conn, conn.display)
    assert [v.check for v in found] == ["created"] * ADDED
    assert found[0].project_id == SEEDED + 1 and found[0].event_id is None
    assert found[0].message == f"project {SEEDED + 1} has 0 created events (should have 1)"


def test_a_stream_left_half_read_ends_its_transaction_when_closed(conn: Any) -> None:
    rows = store.iter_projects(conn, Filters(), dt.date(2021, 1, 1))
    assert isinstance(rows, postgres.PgStream)
    next(rows)
    assert conn.in_transaction
    rows.close()
    assert not conn.in_transaction and open_cursors(conn) == 0
    # The connection takes a write as ever.
    day = dt.date(2021, 1, 1)
    store.drop_project(conn, 1, reason="not needed", date=day, today=day, by="test")
    assert conn.execute("SELECT status FROM projects WHERE id = 1").fetchone()[0] == "dropped"


def test_a_stream_in_the_callers_transaction_leaves_it_open(conn: Any) -> None:
    conn.execute("BEGIN")
    rows = store.iter_export_rows(conn)
    assert len(list(rows)) == SEEDED + ADDED
    assert conn.in_transaction
    conn.execute("ROLLBACK")
    assert not conn.in_transaction


def test_a_failed_read_ends_its_transaction(conn: Any) -> None:
    with pytest.raises(psycopg.Error):
        stream_rows(conn, "SELECT 1 / (id - id) FROM projects").__next__()
    assert not conn.in_transaction
    assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] == SEEDED + ADDED


def test_history_report_due_and_problems_stream_too(conn: Any) -> None:
    from pipeline_cli.store import problems

    today = dt.date(2021, 1, 1)
    since = dt.date(2020, 1, 1)
    streams: dict[str, Iterator[Any]] = {
        "history": store.iter_events(conn),
        "report events": store.iter_report_events(conn, Filters(), today, since),
        "report entries": store.iter_report_entries(conn, Filters(), today, since, today, "stage"),
        "due": store.iter_due(conn, Filters(), today, 30),
        "problems": problems.iter_problems(conn, today),
    }
    for name, rows in streams.items():
        assert isinstance(rows, postgres.PgStream), name
    events = list(streams["history"])
    # Rows by name, as sqlite3.Row gives them.
    assert events[0]["id"] == 1 and events[0]["kind"] == "created" and events[0][0] == 1
    assert [row["project_id"] for row in streams["report events"]]
    for name in ("report entries", "due", "problems"):
        list(streams[name])
    assert not conn.in_transaction
    assert open_cursors(conn) == 0
