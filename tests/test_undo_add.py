"""Undoing an add is not a drop: the project is as if never added, except that its id stays taken.

And a database written before this rule, where an undone add was stored as a
dropped project, is moved over by its migration without changing a figure.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, file_hash, run_cli
from pipeline_cli.store import _core

Cli = Callable[..., Result]


def json_out(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ok(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture
def undone(db: Path, cli: Cli) -> Path:
    """The 47, plus project 48 added (key, 9 亿元, in a new sector) and its add undone."""
    ok(cli, "sectors", "add", "chain", "--zh", "产业链")
    ok(cli, "add", "误录项目", "--sector", "chain", "--investment", "9", "--key", "--district", "城阳区")
    assert ok(cli, "undo", "--yes") == "undid change 1: 48 误录项目: add undone\n"
    return db


def ids(cli: Cli, *args: str) -> list[int]:
    return [p["id"] for p in json_out(cli, *args)]


def test_an_undone_add_is_in_no_list(undone: Path, cli: Cli) -> None:
    assert 48 not in ids(cli, "list", "--all")
    assert 48 not in ids(cli, "list", "--status", "dropped")
    assert ids(cli, "list", "--all", "--search", "误录") == []
    assert ids(cli, "list", "--all", "--sector", "chain") == []
    assert 48 not in ids(cli, "lights")
    assert "误录" not in ok(cli, "export")


def test_an_undone_add_is_in_no_count(undone: Path, cli: Cli) -> None:
    total = json_out(cli, "summary")["total"]
    assert (total["count"], total["investment"]) == (47, 871)
    statuses = json_out(cli, "summary", "--by", "status", "--all")
    assert {g["status"]: g["count"] for g in statuses["groups"]} == {"active": 47}
    assert json_out(cli, "summary", "--status", "dropped")["total"]["count"] == 0
    keys = json_out(cli, "summary", "--by", "key")
    assert sum(g["count"] for g in keys["groups"]) == 47
    assert json_out(cli, "funnel")["stages"][0]["reached"] == 47
    report = json_out(cli, "report", "--week")
    assert 48 not in [entry["id"] for entry in report["added"] + report["dropped"]]
    assert "误录" not in json.dumps(report, ensure_ascii=False)


def test_show_is_not_found_with_a_hint_and_history_keeps_the_events(undone: Path, cli: Cli) -> None:
    before = file_hash(undone)
    shown = cli("show", "48")
    assert (shown.exit_code, shown.stdout) == (3, "")
    assert shown.stderr == (
        "error: no project with id 48: its add was undone\n"
        "hint: `pipeline history 48` shows its events; an id is never reused\n"
    )
    assert file_hash(undone) == before
    assert [e["kind"] for e in json_out(cli, "history", "48")] == ["created", "undo"]


def test_its_id_is_never_reused_and_its_sector_still_counts(undone: Path, cli: Cli, tmp_path: Path) -> None:
    before = file_hash(undone)
    removed = cli("sectors", "remove", "chain")
    assert (removed.exit_code, removed.stdout) == (4, "")
    assert "still has 1 project" in removed.stderr
    file = tmp_path / "again.csv"
    file.write_text("id,name,sector\n48,重新录入,it\n", encoding="utf-8")
    imported = cli("import", str(file))
    assert (imported.exit_code, imported.stdout) == (5, "")
    assert "row 2: id 48 belonged to a project whose add was undone" in imported.stderr
    assert file_hash(undone) == before
    assert ok(cli, "add", "新项目", "--sector", "it") == "added 49 新项目 (negotiating)\n"


def test_check_stays_clean_and_undo_walks_on(undone: Path, cli: Cli) -> None:
    assert ok(cli, "check").startswith("ok")
    ok(cli, "advance", "1")
    ok(cli, "undo", "--yes")
    result = cli("undo", "--yes")
    assert result.exit_code == 4  # the add's undo is not undone; nothing older to revert


def test_an_import_undone_takes_its_additions_out(db: Path, cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "new.csv"
    file.write_text("name,sector,status\n甲项目,it,active\n乙项目,food,dropped\n", encoding="utf-8")
    ok(cli, "import", str(file))
    assert json_out(cli, "summary", "--all")["total"]["count"] == 49
    lines = ok(cli, "undo", "--yes").splitlines()
    assert lines == [
        "undid change 1: 48 甲项目: add undone",
        "undid change 1: 49 乙项目: restored",
        "undid change 1: 49 乙项目: add undone",
    ]
    assert json_out(cli, "summary", "--all")["total"]["count"] == 47
    assert ids(cli, "list", "--status", "dropped") == []
    assert ok(cli, "check").startswith("ok")


def test_the_datasette_view_leaves_an_undone_add_out(undone: Path) -> None:
    conn = sqlite3.connect(undone)
    try:
        assert conn.execute("SELECT count(*) FROM project_view").fetchone() == (47,)
        assert conn.execute("SELECT count(*) FROM project_view WHERE id = 48").fetchone() == (0,)
    finally:
        conn.close()


def test_completion_does_not_offer_an_undone_id(undone: Path, sh: Callable[..., Result]) -> None:
    import os
    import subprocess

    from conftest import PIPELINE_BIN

    completed = subprocess.run(
        [str(PIPELINE_BIN)],
        env={**os.environ, "_PIPELINE_COMPLETE": "complete_bash", "COMP_WORDS": "pipeline show 4", "COMP_CWORD": "2"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert completed.stdout.split() == ["4", "40", "41", "42", "43", "44", "45", "46", "47"]


def test_in_a_real_shell(db: Path, sh: Callable[..., Result]) -> None:
    assert sh("add", "误录项目", "--sector", "it").exit_code == 0
    undo = sh("undo", "--yes")
    assert (undo.exit_code, undo.stdout) == (0, "undid change 1: 48 误录项目: add undone\n")
    before = file_hash(db)
    shown = sh("show", "48")
    assert (shown.exit_code, shown.stdout) == (3, "")
    assert "its add was undone" in shown.stderr
    assert file_hash(db) == before
    listed = sh("list", "--all", "--format", "csv", "--no-header")
    assert len(listed.stdout.splitlines()) == 47
    history = sh("history", "48", "--format", "jsonl")
    assert [json.loads(line)["kind"] for line in history.stdout.splitlines()] == ["created", "undo"]


# --- databases from before: an undone add stored as a drop ---------------------------------


def _old_undo_of_add(path: Path, project_id: int) -> None:
    """What undo of an add wrote before: status dropped, reason undo."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            (created_change,) = conn.execute(
                "SELECT change FROM events WHERE project_id = ? AND kind = 'created'", (project_id,)
            ).fetchone()
            (change,) = conn.execute("SELECT max(change) + 1 FROM events").fetchone()
            conn.execute(
                """INSERT INTO events (project_id, kind, date, recorded_at, note, by, changes, change, undoes)
                   VALUES (?, 'undo', '2020-08-18', '2020-08-18T00:00:00.000000Z', ?, 'tester', ?, ?, ?)""",
                (
                    project_id,
                    f"reverts change {created_change}: added (negotiating); dropped, reason: undo",
                    json.dumps({"status": ["active", "dropped"]}),
                    change,
                    created_change,
                ),
            )
            conn.execute("UPDATE projects SET status = 'dropped' WHERE id = ?", (project_id,))
    finally:
        conn.close()


def _m001_with_event_columns(conn: sqlite3.Connection) -> None:
    from pipeline_cli import migrations

    migrations.m001_initial(conn)
    for column in ("plan_from TEXT", "plan_to TEXT", "problem_id INTEGER", "db_user TEXT"):
        conn.execute(f"ALTER TABLE events ADD COLUMN {column}")
    # Today's reads look up plans and their thresholds (m004 keeps them).
    conn.execute("ALTER TABLE stages ADD COLUMN plan_yellow_days INTEGER")
    conn.execute("ALTER TABLE stages ADD COLUMN plan_red_days INTEGER")
    conn.execute(
        "CREATE TABLE plans (project_id INTEGER NOT NULL, stage TEXT NOT NULL, date TEXT NOT NULL,"
        " PRIMARY KEY (project_id, stage))"
    )


@pytest.fixture
def old_file(environment: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database at schema 1 (before `undone`), with undone adds as the old code stored them.

    48: add undone (stored as dropped). 49: a real drop. 50: add undone, then
    restored (a real project again). 51: add undone, restored, dropped (a real
    drop). 52: add undone, restored, and the restore undone (still undone).
    """
    with monkeypatch.context() as patch:
        patch.setattr(_core, "SCHEMA_VERSION", 1)
        # Today's writes name the events columns of m004 (db_user, ...): the
        # schema-1 file has them as plain columns, which m004 keeps.
        patch.setattr(_core, "MIGRATIONS", (_m001_with_event_columns,))
        assert run_cli("init").exit_code == 0
        for name in ("甲", "乙", "丙", "丁", "戊"):
            assert run_cli("add", f"{name}项目", "--sector", "it", "--investment", "2").exit_code == 0
        _old_undo_of_add(environment, 48)
        assert run_cli("drop", "49", "--reason", "客户悔单").exit_code == 0
        for project_id in (50, 51, 52):
            _old_undo_of_add(environment, project_id)
            assert run_cli("restore", str(project_id)).exit_code == 0
        assert run_cli("drop", "51", "--reason", "退单").exit_code == 0
        assert run_cli("undo", "--yes").exit_code == 0  # the drop of 51
        assert run_cli("drop", "51", "--reason", "退单").exit_code == 0
        conn = sqlite3.connect(environment)
        try:
            # Undo the restore of 52 by hand (the newest undoable change is the drop of 51).
            (restore_change,) = conn.execute(
                "SELECT change FROM events WHERE project_id = 52 AND kind = 'restored'"
            ).fetchone()
            with conn:
                conn.execute(
                    """INSERT INTO events (project_id, kind, date, recorded_at, note, by, changes, change, undoes)
                       VALUES (52, 'undo', '2020-08-18', '2020-08-18T00:00:00.000000Z', 'reverts', 'tester',
                               NULL, (SELECT max(change) + 1 FROM events), ?)""",
                    (restore_change,),
                )
                conn.execute("UPDATE projects SET status = 'dropped' WHERE id = 52")
            assert conn.execute("PRAGMA user_version").fetchone() == (1,)
        finally:
            conn.close()
    return environment


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_migration_tells_an_undone_add_from_a_real_drop(old_file: Path, cli: Cli) -> None:
    projects_before = _rows(old_file, "SELECT * FROM projects ORDER BY id")
    events_before = _rows(old_file, "SELECT * FROM events ORDER BY id")
    sequence_before = _rows(old_file, "SELECT seq FROM sqlite_sequence WHERE name = 'projects'")
    assert ok(cli, "check").startswith("ok")  # opening migrates
    projects_after = _rows(old_file, "SELECT * FROM projects ORDER BY id")
    statuses = {row[0]: row[4] for row in projects_after}
    assert {i: statuses[i] for i in range(48, 53)} == {
        48: "undone",
        49: "dropped",
        50: "active",
        51: "dropped",
        52: "undone",
    }
    # Every other value of every row is as it was; the events are untouched.
    strip = [(row[:4] + row[5:]) for row in projects_before]
    assert [(row[:4] + row[5:]) for row in projects_after] == strip
    assert [row for row in projects_after if row[0] < 48] == [row for row in projects_before if row[0] < 48]
    assert _rows(old_file, "SELECT * FROM events ORDER BY id") == events_before
    assert _rows(old_file, "SELECT seq FROM sqlite_sequence WHERE name = 'projects'") == sequence_before
    assert _rows(old_file, "PRAGMA foreign_key_check") == []
    # The figures: the 47 and 50 active; 49 and 51 dropped; 48 and 52 nowhere.
    assert json_out(cli, "summary")["total"] == {"count": 48, "investment": 873}
    assert ids(cli, "list", "--status", "dropped") == [49, 51]
    assert cli("show", "48").exit_code == 3
    assert ok(cli, "add", "新项目", "--sector", "it") == "added 53 新项目 (negotiating)\n"


def test_the_migration_keeps_the_report_figures(old_file: Path, tmp_path: Path) -> None:
    figures = {}
    for name in ("summary", "funnel"):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_core, "SCHEMA_VERSION", 1)
            result = run_cli(name, "--format", "json")
        figures[name] = json.loads(result.stdout)
    assert json.loads(run_cli("summary", "--format", "json").stdout) == figures["summary"]
    assert json.loads(run_cli("funnel", "--format", "json").stdout) == figures["funnel"]
