"""migrations.rebuild_table: a table's new definition (a CHECK constraint changed) inside the migration runner."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from pipeline_cli import migrations, store
from pipeline_cli.store import _core

EVENTS = """(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    kind TEXT NOT NULL
        CHECK (kind IN ('created', 'stage', 'edited', 'dropped', 'restored', 'undo', 'planned')),
    "from" TEXT REFERENCES stages(stage),
    "to" TEXT REFERENCES stages(stage),
    date TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    note TEXT,
    by TEXT,
    changes TEXT,
    change INTEGER,
    undoes INTEGER,
    plan_from TEXT,
    plan_to TEXT,
    problem_id INTEGER,
    db_user TEXT
)"""


def m099_events_planned(conn: sqlite3.Connection) -> None:
    migrations.rebuild_table(conn, "events", EVENTS)


def m100_projects_again(conn: sqlite3.Connection) -> None:
    # Referenced by events and read by the view: both survive the rebuild.
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'projects'").fetchone()
    body = sql[sql.index("(") :].replace("'active', 'dropped'", "'active', 'dropped', 'paused'")
    migrations.rebuild_table(conn, "projects", body)


def _snapshot(db: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT * FROM projects ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM events ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM project_view ORDER BY id").fetchall(),
            sorted(conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()),
            conn.execute("SELECT * FROM sqlite_sequence ORDER BY name").fetchall(),
        )
    finally:
        conn.close()


def test_a_check_constraint_changes_and_every_figure_stays(
    db: Path, cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli("advance", "7").exit_code == 0
    assert cli("add", "last one", "--sector", "it").exit_code == 0
    assert cli("undo", "--yes").exit_code == 0  # id 48 stays used
    before = _snapshot(db)
    listed = cli("list", "--all", "--format", "json").stdout
    extra = (m099_events_planned, m100_projects_again)
    monkeypatch.setattr(_core, "MIGRATIONS", (*migrations.MIGRATIONS, *extra))
    monkeypatch.setattr(_core, "SCHEMA_VERSION", len(migrations.MIGRATIONS) + len(extra))
    conn = store.open_existing(db)
    try:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        names = [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY id")]
        assert names[-2:] == ["m099_events_planned", "m100_projects_again"]
        (events_sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'events'").fetchone()
        assert "'planned'" in events_sql
        conn.execute("BEGIN")
        conn.execute(
            "INSERT INTO events (project_id, kind, date, recorded_at) VALUES (1, 'planned', '2020-08-18', 'now')"
        )
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert _snapshot(db) == before
    assert cli("list", "--all", "--format", "json").stdout == listed
    assert cli("check").exit_code == 0
    assert cli("add", "next", "--sector", "it").stdout.startswith("added 49 ")


def test_a_migration_that_breaks_a_reference_is_rolled_back(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def m099_lose_a_project(conn: sqlite3.Connection) -> None:
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'projects'").fetchone()
        migrations.rebuild_table(conn, "projects", sql[sql.index("(") :])
        conn.execute("DELETE FROM projects WHERE id = 1")

    before = db.read_bytes()
    monkeypatch.setattr(_core, "MIGRATIONS", (*migrations.MIGRATIONS, m099_lose_a_project))
    monkeypatch.setattr(_core, "SCHEMA_VERSION", len(migrations.MIGRATIONS) + 1)
    with pytest.raises(Exception, match="broken references"):
        store.open_existing(db)
    assert db.read_bytes() == before
