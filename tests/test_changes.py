"""add, edit, advance, move, drop, restore, undo, history and check: what each does and records.

Seeded facts used here: project 1 (12英寸晶圆制造项目) is negotiating since
2020-05-12 with 120 亿元; 7 is 东华鲲鹏, signed since 2020-04-28, 30 亿元, key;
12 (工业软件研发中心项目) is signed since 2020-06-22 with 2.5 亿元; 13 is
preliminary; 15 landed. Today is 2020-08-18.
"""

from __future__ import annotations

import json
import os
import pty
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import PIPELINE_BIN, Result, connected, file_hash, is_postgres, query, run_cli


def events(db: Path, where: str = "change IS NOT NULL", params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    return query(db, f"SELECT * FROM events WHERE {where} ORDER BY id", params)


def project(db: Path, project_id: int) -> dict[str, Any]:
    (row,) = query(db, "SELECT * FROM projects WHERE id = ?", (project_id,))
    return row


def ok(*args: str) -> Result:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


# --- add -------------------------------------------------------------------------


def test_add_prints_the_new_id_and_records_a_created_event(db: Path) -> None:
    result = ok("add", "集成电路封装测试二期项目", "--sector", "it", "--investment", "3.25", "--district", "城阳区")
    assert result.stdout == "added 48 集成电路封装测试二期项目 (negotiating)\n"
    row = project(db, 48)
    assert row["stage"] == "negotiating"
    assert row["status"] == "active"
    assert row["source"] == "user"
    assert row["stage_since"] == "2020-08-18"
    assert row["investment_wan"] == 32500
    assert row["district"] == "城阳区"
    assert row["key"] == 0
    (created,) = events(db)
    assert created["kind"] == "created"
    assert created["project_id"] == 48
    assert created["to"] == "negotiating"
    assert created["date"] == "2020-08-18"
    assert created["by"] == "tester"
    assert created["change"] == 1


def test_add_with_every_option_and_json_output(db: Path) -> None:
    result = ok(
        "add", "  海洋装备项目 ", "--sector", "交通装备", "--stage", "sig", "--investment", "0.0001", "--key",
        "--unit", "蓝谷管理局", "--lead", "王某", "--note", "备注", "--date", "2020-08-01", "--by", "李四",
        "--format", "json",
    )  # fmt: skip
    (obj,) = json.loads(result.stdout)
    assert obj == {
        "id": 48,
        "name": "海洋装备项目",
        "sector": "transport",
        "stage": "signed",
        "status": "active",
        "investment": 0.0001,
        "key": True,
        "district": None,
        "unit": "蓝谷管理局",
        "lead": "王某",
        "note": "备注",
        "source": "user",
        "stage_since": "2020-08-01",
        "days_in_stage": 17,
        "light": "green",
        "light_reason": None,
        "next_plan_stage": None,
        "next_plan_date": None,
        "overdue_days": 0,
    }
    assert project(db, 48)["investment_wan"] == 1
    (created,) = events(db)
    assert (created["to"], created["date"], created["by"]) == ("signed", "2020-08-01", "李四")


def test_add_keeps_large_amounts_exact(db: Path) -> None:
    ok("add", "大项目", "--sector", "food", "--investment", "871.0001")
    assert project(db, 48)["investment_wan"] == 8_710_001
    listed = json.loads(ok("list", "--search", "大项目", "--format", "json").stdout)
    assert listed[0]["investment"] == 871.0001


def test_ids_are_never_reused_after_an_undone_add(db: Path) -> None:
    ok("add", "甲", "--sector", "it")
    ok("undo", "--yes")
    assert ok("add", "乙", "--sector", "it").stdout == "added 49 乙 (negotiating)\n"


# --- advance and move ------------------------------------------------------------


def test_advance_moves_one_rung_and_records_a_stage_event(db: Path) -> None:
    result = ok("advance", "7", "--note", "周调度")
    assert result.stdout == "7 东华鲲鹏: signed → preliminary\n"
    row = project(db, 7)
    assert (row["stage"], row["stage_since"]) == ("preliminary", "2020-08-18")
    (event,) = events(db)
    assert {k: event[k] for k in ("project_id", "kind", "from", "to", "date", "note", "by", "change")} == {
        "project_id": 7,
        "kind": "stage",
        "from": "signed",
        "to": "preliminary",
        "date": "2020-08-18",
        "note": "周调度",
        "by": "tester",
        "change": 1,
    }
    assert event["recorded_at"].endswith("Z")


def test_advance_several_ids_is_one_change(db: Path) -> None:
    result = ok("advance", "1", "7", "13", "--date", "2020-08-17")
    assert result.stdout.splitlines() == [
        "1 12英寸晶圆制造项目: negotiating → signed",
        "7 东华鲲鹏: signed → preliminary",
        "13 超高清视频产业基地项目: preliminary → landed",
    ]
    moved = events(db)
    assert [e["project_id"] for e in moved] == [1, 7, 13]
    assert {e["change"] for e in moved} == {1}
    assert {e["date"] for e in moved} == {"2020-08-17"}
    assert [project(db, i)["stage_since"] for i in (1, 7, 13)] == ["2020-08-17"] * 3


def test_advance_with_matching_from_guard(db: Path) -> None:
    assert ok("advance", "7", "12", "--from", "签约").stdout.count("signed → preliminary") == 2


def test_advance_json_prints_the_changed_projects(db: Path) -> None:
    objects = json.loads(ok("advance", "1", "7", "--format", "json").stdout)
    assert [(o["id"], o["stage"], o["days_in_stage"]) for o in objects] == [(1, "signed", 0), (7, "preliminary", 0)]
    listed = {p["id"]: p for p in json.loads(ok("list", "--format", "json").stdout)}
    assert objects == [listed[1], listed[7]]


def test_advance_jsonl_and_tsv_print_the_changed_projects(db: Path) -> None:
    lines = ok("advance", "1", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["stage"] for line in lines] == ["signed"]
    tsv = ok("advance", "1", "--format", "tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:4] == ["id", "name", "sector", "stage"]
    assert tsv[1].split("\t")[3] == "preliminary"


def test_advance_climbs_to_the_last_rung(db: Path) -> None:
    for _ in range(4):
        ok("advance", "15")
    assert project(db, 15)["stage"] == "capacity"
    assert [e["to"] for e in events(db)] == ["construction", "completed", "production", "capacity"]


def test_move_forwards_and_backwards(db: Path) -> None:
    assert ok("move", "7", "landed", "--from", "signed").stdout == "7 东华鲲鹏: signed → landed\n"
    assert ok("move", "7", "在谈", "--date", "2020-08-18").stdout == "7 东华鲲鹏: landed → negotiating\n"
    assert [(e["from"], e["to"]) for e in events(db)] == [("signed", "landed"), ("landed", "negotiating")]
    assert [e["change"] for e in events(db)] == [1, 2]


def test_move_to_the_current_stage_is_a_no_op_that_says_so(db: Path) -> None:
    before = file_hash(db)
    result = ok("move", "7", "signed")
    assert result.stdout == ""
    assert "already at signed" in result.stderr
    assert "nothing changed" in result.stderr
    assert file_hash(db) == before
    assert json.loads(ok("move", "7", "sig", "--format", "json").stdout) == []
    assert events(db) == []


def test_a_date_on_the_day_of_the_last_event_is_allowed(db: Path) -> None:
    ok("advance", "12", "--date", "2020-06-22")
    assert project(db, 12)["stage_since"] == "2020-06-22"


# --- edit --------------------------------------------------------------------------


def test_edit_records_old_and_new_values(db: Path) -> None:
    result = ok("edit", "7", "--investment", "31.5", "--no-key", "--district", "西海岸新区", "--lead", "张三")
    assert (
        result.stdout
        == "7 东华鲲鹏: investment 30 → 31.5; key yes → no; district 市北区 → 西海岸新区; lead (none) → 张三\n"
    )
    (event,) = events(db)
    assert event["kind"] == "edited"
    assert json.loads(event["changes"]) == {
        "investment": ["30", "31.5"],
        "key": [True, False],
        "district": ["市北区", "西海岸新区"],
        "lead": [None, "张三"],
    }
    row = project(db, 7)
    assert (row["investment_wan"], row["key"], row["district"], row["lead"]) == (315_000, 0, "西海岸新区", "张三")


def test_edit_records_only_fields_that_change(db: Path) -> None:
    old_note = project(db, 7)["note"]
    assert old_note
    ok("edit", "7", "--name", "东华鲲鹏", "--sector", "it", "--note", "新备注")
    (event,) = events(db)
    assert json.loads(event["changes"]) == {"note": [old_note, "新备注"]}


def test_edit_empty_text_clears_a_field_and_empty_investment_makes_it_unknown(db: Path) -> None:
    ok("edit", "7", "--district", "", "--investment", "")
    row = project(db, 7)
    assert (row["district"], row["investment_wan"]) == (None, None)
    assert json.loads(events(db)[0]["changes"]) == {"investment": ["30", None], "district": ["市北区", None]}


def test_edit_rename_and_sector(db: Path) -> None:
    result = ok("edit", "12", "--name", "工业软件中心", "--sector", "智能制造装备")
    assert result.stdout == "12 工业软件中心: name 工业软件研发中心项目 → 工业软件中心; sector it → smart-mfg\n"


def test_edit_with_the_same_values_changes_nothing(db: Path) -> None:
    before = file_hash(db)
    result = ok("edit", "7", "--investment", "30.0", "--key")
    assert result.stdout == ""
    assert "nothing changed" in result.stderr
    assert file_hash(db) == before


def test_edit_of_a_dropped_project_is_allowed(db: Path) -> None:
    ok("drop", "7", "--reason", "退单")
    ok("edit", "7", "--note", "投资方撤回")
    assert project(db, 7)["note"] == "投资方撤回"


# --- drop and restore --------------------------------------------------------------


def test_drop_and_restore(db: Path) -> None:
    assert ok("drop", "7", "--reason", "投资方撤回", "--date", "2020-08-10").stdout == (
        "7 东华鲲鹏: dropped (reason: 投资方撤回)\n"
    )
    assert project(db, 7)["status"] == "dropped"
    assert 7 not in [p["id"] for p in json.loads(ok("list", "--format", "json").stdout)]
    assert ok("restore", "7", "--note", "重新接洽").stdout == "7 东华鲲鹏: restored (signed)\n"
    row = project(db, 7)
    assert (row["status"], row["stage"], row["stage_since"]) == ("active", "signed", "2020-04-28")
    dropped, restored = events(db)
    assert (dropped["kind"], dropped["note"], dropped["date"]) == ("dropped", "投资方撤回", "2020-08-10")
    assert (restored["kind"], restored["note"], restored["date"]) == ("restored", "重新接洽", "2020-08-18")


# --- who ----------------------------------------------------------------------------


def test_by_option_then_pipeline_user_then_login_name(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ok("advance", "1", "--by", "王科长")
    ok("advance", "2")  # PIPELINE_USER=tester
    monkeypatch.delenv("PIPELINE_USER")
    monkeypatch.setenv("LOGNAME", "login-name")
    ok("advance", "3")
    import getpass

    def no_user() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_user)
    ok("advance", "4")
    assert [e["by"] for e in events(db)] == ["王科长", "tester", "login-name", "unknown"]


def test_by_is_stored_on_every_event_of_a_change(db: Path) -> None:
    ok("advance", "1", "2", "3", "--by", "调度会")
    ok("undo", "--yes", "--by", "复核人")
    assert [e["by"] for e in events(db)] == ["调度会"] * 3 + ["复核人"] * 3


# --- undo ----------------------------------------------------------------------------


def test_undo_reverts_a_whole_advance_with_stage_and_stage_since(db: Path) -> None:
    ok("advance", "1", "7", "--date", "2020-08-17")
    result = ok("undo", "--yes")
    assert result.stdout.splitlines() == [
        "undid change 1: 1 12英寸晶圆制造项目: signed → negotiating",
        "undid change 1: 7 东华鲲鹏: preliminary → signed",
    ]
    assert (project(db, 1)["stage"], project(db, 1)["stage_since"]) == ("negotiating", "2020-05-12")
    assert (project(db, 7)["stage"], project(db, 7)["stage_since"]) == ("signed", "2020-04-28")
    undos = events(db, "kind = 'undo'")
    assert [(e["project_id"], e["from"], e["to"], e["undoes"], e["change"]) for e in undos] == [
        (7, "preliminary", "signed", 1, 2),
        (1, "signed", "negotiating", 1, 2),
    ]
    assert all(e["note"].startswith("reverts change 1:") for e in undos)
    assert ok("check").stdout.startswith("ok")


def test_undo_walks_further_back_and_skips_what_is_undone(db: Path) -> None:
    ok("advance", "7")  # change 1
    ok("edit", "7", "--investment", "40")  # change 2
    ok("drop", "12", "--reason", "退单")  # change 3
    assert "12 工业软件研发中心项目: restored" in ok("undo", "--yes").stdout  # undoes 3
    assert "investment 40 → 30" in ok("undo", "--yes").stdout  # undoes 2
    ok("move", "12", "landed")  # change 6
    assert "12 工业软件研发中心项目: landed → signed" in ok("undo", "--yes").stdout  # undoes 6
    assert "7 东华鲲鹏: preliminary → signed" in ok("undo", "--yes").stdout  # undoes 1
    assert [e["undoes"] for e in events(db, "kind = 'undo'")] == [3, 2, 6, 1]
    before = file_hash(db)
    nothing = run_cli("undo", "--yes")
    assert (nothing.exit_code, nothing.stdout) == (4, "")
    assert "nothing to undo" in nothing.stderr
    assert file_hash(db) == before
    row = project(db, 7)
    assert (row["stage"], row["stage_since"], row["investment_wan"]) == ("signed", "2020-04-28", 300_000)
    assert project(db, 12)["status"] == "active"


def test_undo_of_an_add_is_not_a_drop(db: Path) -> None:
    ok("add", "临时项目", "--sector", "it")
    result = ok("undo", "--yes")
    assert result.stdout == "undid change 1: 48 临时项目: add undone\n"
    assert project(db, 48)["status"] == "undone"
    (undo,) = events(db, "kind = 'undo'")
    assert undo["note"] == "reverts change 1: added (negotiating)"
    assert json.loads(undo["changes"]) == {"status": ["active", "undone"]}
    assert ok("check").stdout.startswith("ok")


def test_undo_of_edit_restores_old_values_exactly(db: Path) -> None:
    ok("edit", "12", "--investment", "0.0001", "--key", "--note", "x", "--unit", "")
    ok("undo", "--yes")
    row = project(db, 12)
    assert (row["investment_wan"], row["key"], row["note"], row["unit"]) == (25_000, 0, None, "崂山区政府")


def test_undo_of_restore_drops_again_and_undo_of_drop_restores(db: Path) -> None:
    ok("drop", "7", "--reason", "r")
    ok("restore", "7")
    assert ok("undo", "--yes").stdout == "undid change 2: 7 东华鲲鹏: dropped\n"
    assert project(db, 7)["status"] == "dropped"
    assert ok("undo", "--yes").stdout == "undid change 1: 7 东华鲲鹏: restored\n"
    assert project(db, 7)["status"] == "active"


def test_a_project_whose_add_was_undone_cannot_be_restored_nor_changed(db: Path) -> None:
    ok("add", "反复项目", "--sector", "it", "--stage", "signed", "--date", "2020-08-01")
    ok("undo", "--yes")
    before = file_hash(db)
    for args in (
        ["restore", "48"],
        ["move", "48", "landed"],
        ["edit", "48", "--name", "x"],
        ["drop", "48", "--reason", "r"],
    ):
        result = run_cli(*args)
        assert (result.exit_code, result.stdout) == (3, ""), args
        assert "its add was undone" in result.stderr
    assert file_hash(db) == before
    assert ok("check").stdout.startswith("ok")


def test_undo_json_prints_the_projects_as_they_are_after(db: Path) -> None:
    ok("advance", "1")
    objects = json.loads(ok("undo", "--yes", "--format", "json").stdout)
    assert [(o["id"], o["stage"], o["stage_since"]) for o in objects] == [(1, "negotiating", "2020-05-12")]


def test_seed_data_is_never_undone(db: Path) -> None:
    result = run_cli("undo", "--yes")
    assert result.exit_code == 4
    assert "nothing to undo" in result.stderr


def _undo_on_a_terminal(db: Path, answer: str) -> tuple[int, str]:
    """Run `pipeline undo` with a terminal on stdin and answer its question."""
    main, secondary = pty.openpty()
    process = subprocess.Popen(
        [str(PIPELINE_BIN), "undo"],
        stdin=secondary,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    os.close(secondary)
    os.write(main, answer.encode() + b"\n")
    stdout, stderr = process.communicate(timeout=60)
    os.close(main)
    return process.returncode, stdout.decode() + "\x00" + stderr.decode()


def test_undo_on_a_terminal_shows_the_change_and_asks(db: Path) -> None:
    ok("advance", "7", "12")
    code, out = _undo_on_a_terminal(db, "y")
    stdout, stderr = out.split("\x00")
    assert code == 0, stderr
    assert "undo will revert change 1:" in stderr
    assert "7 东华鲲鹏: signed → preliminary (on 2020-08-18 by tester)" in stderr
    assert "Undo it?" in stderr
    assert stdout.splitlines() == [
        "undid change 1: 7 东华鲲鹏: preliminary → signed",
        "undid change 1: 12 工业软件研发中心项目: preliminary → signed",
    ]
    assert project(db, 7)["stage"] == "signed"


def test_undo_on_a_terminal_answered_no_changes_nothing(db: Path) -> None:
    ok("advance", "7")
    before = file_hash(db)
    code, out = _undo_on_a_terminal(db, "n")
    stdout, stderr = out.split("\x00")
    assert code == 0, stderr
    assert stdout == ""
    assert "nothing changed" in stderr
    assert file_hash(db) == before


# --- history -------------------------------------------------------------------------


def test_history_lists_events_oldest_first_in_every_format(db: Path) -> None:
    ok("advance", "7", "--date", "2020-08-10")
    ok("edit", "7", "--investment", "35")
    ok("undo", "--yes")
    history = json.loads(ok("history", "7", "--format", "json").stdout)
    assert [(e["kind"], e["date"]) for e in history] == [
        ("created", "2020-04-28"),
        ("stage", "2020-08-10"),
        ("edited", "2020-08-18"),
        ("undo", "2020-08-18"),
    ]
    assert history[2]["changes"] == {"investment": ["30", "35"]}
    assert (history[3]["undoes"], history[3]["change"]) == (2, 3)
    assert set(history[0]) >= {"id", "project_id", "kind", "from", "to", "date", "recorded_at", "note", "by"}
    jsonl = [json.loads(line) for line in ok("history", "7", "--format", "jsonl").stdout.splitlines()]
    assert jsonl == history
    tsv = ok("history", "7", "--format", "tsv").stdout.splitlines()
    assert len(tsv) == 5
    assert tsv[0].split("\t")[:4] == ["id", "project_id", "project", "kind"]
    csv_lines = ok("history", "7", "--format", "csv", "--no-header").stdout.splitlines()
    assert len(csv_lines) == 4
    for fmt in ("table", "markdown"):
        assert "东华鲲鹏" in ok("history", "7", "--format", fmt).stdout


def test_history_of_all_projects_with_a_date_range(db: Path) -> None:
    ok("advance", "1", "--date", "2020-08-15")
    ok("advance", "7", "--date", "2020-08-16")
    everything = json.loads(ok("history", "--format", "json").stdout)
    assert len(everything) == 49
    assert [e["id"] for e in everything] == sorted(e["id"] for e in everything)
    window = json.loads(ok("history", "--since", "2020-08-15", "--until", "2020-08-16", "-f", "json").stdout)
    assert [(e["project_id"], e["date"]) for e in window] == [(1, "2020-08-15"), (7, "2020-08-16")]
    since = json.loads(ok("history", "--since", "2020-08-16", "-f", "json").stdout)
    assert [e["project_id"] for e in since] == [7]
    until = json.loads(ok("history", "--until", "2019-07-15", "-f", "json").stdout)
    assert [(e["project_id"], e["kind"]) for e in until] == [(39, "created")]


# --- check ---------------------------------------------------------------------------


def test_check_is_clean_on_the_seed_and_after_changes(db: Path) -> None:
    assert ok("check").stdout == "ok: 47 projects and 47 events, every check passed\n"
    ok("advance", "1", "2")
    ok("add", "新项目", "--sector", "it")
    ok("undo", "--yes")
    assert ok("check").stdout == "ok: 47 projects and 51 events, every check passed\n"
    assert json.loads(ok("check", "--format", "json").stdout) == []


def _tamper(db: Path, *statements: str) -> None:
    """Change the database behind pipeline's back (on SQLite past its constraints too)."""
    with connected(db) as conn:
        if not is_postgres(db):
            conn.execute("PRAGMA foreign_keys = OFF")
            conn.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            conn.execute(statement)


@pytest.mark.parametrize(
    ("statements", "check", "fragment"),
    [
        (["UPDATE projects SET stage = 'landed' WHERE id = 7"], "stage", "project 7 is at landed since 2020-04-28"),
        (["UPDATE projects SET stage_since = '2020-01-01' WHERE id = 7"], "stage", "says signed since 2020-04-28"),
        (["DELETE FROM events WHERE project_id = 9"], "created", "project 9 has 0 created events"),
        (
            [
                "INSERT INTO events (project_id, kind, date, recorded_at, change)"
                " VALUES (999, 'edited', '2020-08-18', 'x', 1)"
            ],
            "orphan",
            "belongs to project 999, which does not exist",
        ),
        (["UPDATE projects SET investment_wan = 1.5 WHERE id = 3"], "amount", "project 3 has investment 1.5"),
        (["UPDATE projects SET investment_wan = -4 WHERE id = 3"], "amount", "project 3 has investment -4"),
        (["UPDATE projects SET investment_wan = '12' || 'x' WHERE id = 3"], "amount", "project 3 has investment '12x'"),
        (["UPDATE projects SET status = 'paused' WHERE id = 4"], "status", "project 4 has status 'paused'"),
        (["UPDATE projects SET stage_since = '2020-8-1' WHERE id = 5"], "date", "project 5 has stage_since '2020-8-1'"),
        (["UPDATE projects SET sector = 'mining' WHERE id = 6"], "foreign_key", "projects row 6 refers to a missing"),
    ],
)
def test_check_reports_each_violation_and_exits_6(db: Path, statements: list[str], check: str, fragment: str) -> None:
    _tamper(db, *statements)
    result = run_cli("check")
    assert result.exit_code == 6
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{check}: ") and fragment in line for line in lines), lines
    assert "fails" in result.stderr
    as_json = run_cli("check", "--format", "json")
    assert as_json.exit_code == 6
    found = json.loads(as_json.stdout)
    assert any(v["check"] == check and fragment in v["message"] for v in found), found
    assert set(found[0]) == {"check", "project_id", "event_id", "message"}


def test_check_counts_a_stage_event_of_an_undone_change_as_not_in_force(db: Path) -> None:
    ok("advance", "7")
    ok("undo", "--yes")
    # Put the project back where the undone event had taken it: check must object.
    _tamper(db, "UPDATE projects SET stage = 'preliminary', stage_since = '2020-08-18' WHERE id = 7")
    result = run_cli("check")
    assert result.exit_code == 6
    assert "project 7 is at preliminary" in result.stdout


def test_check_finds_an_undo_of_a_change_that_does_not_exist(db: Path) -> None:
    _tamper(
        db,
        "INSERT INTO events (project_id, kind, date, recorded_at, change, undoes)"
        " VALUES (7, 'undo', '2020-08-18', 'x', 5, 3)",
    )
    result = run_cli("check")
    assert result.exit_code == 6
    assert "undo: undo event 48 reverts change 3" in result.stdout


def test_check_runs_integrity_check(db: Path) -> None:
    # Damage an index page so that integrity_check (and only it) notices.
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'projects_stage'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as file:
        file.seek((root - 1) * page_size + 8)
        file.write(b"\xff" * 64)
    result = run_cli("check")
    assert result.exit_code == 6
    assert "integrity: " in result.stdout or "damaged" in result.stderr


# --- output that fails after the commit ------------------------------------------------


def test_a_full_stdout_still_reports_the_saved_change(db: Path) -> None:
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [str(PIPELINE_BIN), "advance", "7"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert "saved: 7 东华鲲鹏: signed → preliminary" in completed.stderr
    assert "the change was saved" in completed.stderr
    assert project(db, 7)["stage"] == "preliminary"


def test_a_closed_pipe_still_reports_the_saved_change(db: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        completed = subprocess.run(
            [str(PIPELINE_BIN), "add", "管道项目", "--sector", "it"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert completed.returncode == 0
    assert "saved: added 48 管道项目 (negotiating)" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert project(db, 48)["name"] == "管道项目"


def test_write_commands_run_as_a_real_subprocess(db: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline_cli", "advance", "7", "--from", "signed"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "7 东华鲲鹏: signed → preliminary\n"


# --- the README's examples ------------------------------------------------------------

README = Path(__file__).resolve().parent.parent / "README.md"
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z")


def _readme_blocks() -> list[tuple[str, str]]:
    """(the paragraph before it, the block) for each console block of 'Changing projects'."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Changing projects\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"([^\n]*)\n\n```console\n(.*?)```", section, re.S)


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the README's check example uses the sqlite3 shell")
def test_readme_changing_projects_examples_are_real(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replay every example of the README's 'Changing projects' against a fresh seed."""
    monkeypatch.setenv("PIPELINE_USER", "zhang")
    monkeypatch.setenv("PATH", f"{PIPELINE_BIN.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.chdir(db.parent)
    blocks = _readme_blocks()
    assert len(blocks) >= 12
    last_code = 0
    for before, block in blocks:
        if "Undo it?" in block:
            # Answered on a terminal in the README; the same undo here, without asking.
            ok("undo", "--yes")
            continue
        monkeypatch.setenv("PIPELINE_DB", str(db))
        if "every change has been undone" in before:
            # On a copy, so that the examples after it find the changes still there.
            copy = db.parent / "undone.db"
            shutil.copyfile(db, copy)
            monkeypatch.setenv("PIPELINE_DB", str(copy))
            while run_cli("undo", "--yes").exit_code == 0:
                pass
        for command in re.split(r"^\$ ", block, flags=re.M)[1:]:
            line, _, expected = command.partition("\n")
            if line == "echo $?":
                assert expected == f"{last_code}\n", (line, last_code)
                continue
            words = shlex.split(line)
            if words[0] == "pipeline" and not set(words) & {"|", "&&"}:
                result = run_cli(*words[1:])
                last_code, output = result.exit_code, result.stdout + result.stderr
            else:
                completed = subprocess.run(
                    ["bash", "-c", line], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                )
                last_code, output = completed.returncode, completed.stdout
            assert _TIMESTAMP.sub("T", output) == _TIMESTAMP.sub("T", expected), line
