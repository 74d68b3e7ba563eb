"""Texts stored before the one text rule are trimmed on open, as every way in trims them now (m005).

An older version stored names, districts, units, leads, notes and problem
texts with leading or trailing spaces and line breaks. Opening the file
migrates it: what is true now follows the rule, each change is an `edited`
(or `problem_edited`) event with the old and new values, dated on its
project's last event, outside any change (so `undo` never reverts it), and
the events already written keep their texts.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import run_cli, run_sh
from pipeline_cli import migrations
from pipeline_cli.store import _core

BEFORE_RULE = 4  # the schema version before m005


@pytest.fixture
def old_file(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeded database as a version before m005 left it, with texts an old import stored untrimmed."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM migrations WHERE id > ?", (BEFORE_RULE,))
        conn.execute(f"PRAGMA user_version = {BEFORE_RULE}")
    with monkeypatch.context() as patch:
        patch.setattr(_core, "SCHEMA_VERSION", BEFORE_RULE)
        patch.setattr(_core, "MIGRATIONS", migrations.MIGRATIONS[:BEFORE_RULE])
        assert run_cli("problem", "add", "7", "用地审批").exit_code == 0
        assert run_cli("edit", "12", "--note", "kept").exit_code == 0
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE projects SET name = ?, district = ?, note = ? WHERE id = 7", ("  东华鲲鹏 ", " 崂山区\n", "\t")
        )
        conn.execute("UPDATE projects SET lead = ?, unit = ? WHERE id = 8", ("\u3000王科长\u3000", "   "))
        conn.execute("UPDATE projects SET name = ? WHERE id = 9", ("   ",))  # white space only: left for a person
        conn.execute("UPDATE problems SET text = ?, unit = ? WHERE id = 1", (" 用地审批\r\n", " 规划局"))
    conn.close()
    return db


def rows(path: Path, sql: str, *args: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_opening_an_old_file_trims_its_texts_and_records_each_change(old_file: Path) -> None:
    events_before = rows(old_file, "SELECT * FROM events ORDER BY id")
    last_dates = {
        row[0]: row[1] for row in rows(old_file, "SELECT project_id, max(date) FROM events GROUP BY project_id")
    }
    shown = run_sh("show", "7", "-f", "json")
    assert shown.exit_code == 0, shown.stderr
    project = json.loads(shown.stdout)
    assert (project["name"], project["district"], project["note"]) == ("东华鲲鹏", "崂山区", None)
    assert project["problems"][0]["text"] == "用地审批" and project["problems"][0]["unit"] == "规划局"
    assert rows(old_file, "SELECT lead, unit FROM projects WHERE id = 8") == [("王科长", None)]
    assert rows(old_file, "SELECT name FROM projects WHERE id = 9") == [("   ",)]
    assert rows(old_file, "PRAGMA user_version") == [(len(migrations.MIGRATIONS),)]
    # Every event written before is as it was; the new ones say what changed.
    assert rows(old_file, f"SELECT * FROM events ORDER BY id LIMIT {len(events_before)}") == events_before
    new = rows(
        old_file,
        "SELECT project_id, kind, date, by, changes, change, problem_id FROM events WHERE id > ? ORDER BY id",
        events_before[-1][0],
    )
    assert [(e[0], e[1], e[6]) for e in new] == [(7, "edited", None), (8, "edited", None), (7, "problem_edited", 1)]
    assert json.loads(str(new[0][4])) == {
        "name": ["  东华鲲鹏 ", "东华鲲鹏"],
        "district": [" 崂山区\n", "崂山区"],
        "note": ["\t", None],
    }
    assert json.loads(str(new[1][4])) == {"unit": ["   ", None], "lead": ["\u3000王科长\u3000", "王科长"]}
    assert json.loads(str(new[2][4])) == {"text": [" 用地审批\r\n", "用地审批"], "unit": [" 规划局", "规划局"]}
    for project_id, _kind, date, by, _changes, change, _problem in new:
        assert date == last_dates[project_id]
        assert by == "pipeline migration"
        assert change is None
    assert run_sh("check").exit_code == 0


def test_undo_reverts_the_users_change_not_the_migration(old_file: Path) -> None:
    assert run_sh("list").exit_code == 0  # migrates
    undone = run_sh("undo", "--yes")
    assert undone.exit_code == 0, undone.stderr
    assert "kept" in undone.stdout  # the note edit of project 12, the last change made by a person
    assert rows(old_file, "SELECT name FROM projects WHERE id = 7") == [("东华鲲鹏",)]


def test_a_file_already_following_the_rule_gets_no_event(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM migrations WHERE id > ?", (BEFORE_RULE,))
        conn.execute(f"PRAGMA user_version = {BEFORE_RULE}")
    count = rows(db, "SELECT count(*) FROM events")
    assert run_sh("list").exit_code == 0
    assert rows(db, "SELECT count(*) FROM events") == count
    assert rows(db, "PRAGMA user_version") == [(len(migrations.MIGRATIONS),)]
