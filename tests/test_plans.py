"""plan, plan lights and the plan fields: plans set, cleared, slipped and undone; light boundaries; refusals."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import REPORT_DATE, file_hash, run_cli, run_sh

TODAY = dt.date.fromisoformat(REPORT_DATE)


def ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def project(project_id: int) -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(ok("show", str(project_id), "--format", "json"))
    return shown


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def test_plan_sets_the_fields_and_records_a_planned_event(db: Path) -> None:
    assert ok("plan", "2", "signed", "2020-09-01") == "2 新型显示模组生产项目: plan for signed (none) → 2020-09-01\n"
    shown = project(2)
    assert (shown["next_plan_stage"], shown["next_plan_date"], shown["overdue_days"]) == ("signed", "2020-09-01", 0)
    assert (shown["light"], shown["light_reason"]) == ("green", None)
    event = shown["history"][-1]
    assert (event["kind"], event["to"], event["plan_from"], event["plan_to"]) == (
        "planned",
        "signed",
        None,
        "2020-09-01",
    )
    assert shown["plans"] == [{"stage": "signed", "date": "2020-09-01", "reached": None, "slips": 0}]


def test_the_next_plan_is_the_first_planned_stage_above_the_current_one(db: Path) -> None:
    ok("plan", "2", "construction", "2020-12-01")
    ok("plan", "2", "preliminary", "2020-10-01")
    assert project(2)["next_plan_stage"] == "preliminary"
    ok("move", "2", "preliminary")
    shown = project(2)
    # Reaching the stage ends it: the next one is construction.
    assert (shown["next_plan_stage"], shown["next_plan_date"]) == ("construction", "2020-12-01")
    assert shown["plans"][0] == {"stage": "preliminary", "date": "2020-10-01", "reached": REPORT_DATE, "slips": 0}


def test_slips_count_dates_moved_later_and_undo_walks_back(db: Path) -> None:
    ok("plan", "2", "signed", "2020-09-01")
    ok("plan", "2", "signed", "2020-10-01")  # a slip
    ok("plan", "2", "signed", "2020-09-15")  # earlier: not a slip
    ok("plan", "2", "signed", "2020-11-01")  # a slip
    assert project(2)["plans"][0]["slips"] == 2
    assert ok("undo", "--yes") == "undid change 4: 2 新型显示模组生产项目: plan for signed 2020-11-01 → 2020-09-15\n"
    shown = project(2)
    assert (shown["next_plan_date"], shown["plans"][0]["slips"]) == ("2020-09-15", 1)
    for _ in range(3):
        ok("undo", "--yes")
    shown = project(2)
    assert (shown["next_plan_stage"], shown["next_plan_date"], shown["plans"]) == (None, None, [])


def test_clear_removes_the_plan_and_undo_puts_it_back(db: Path) -> None:
    ok("plan", "2", "signed", "2020-09-01")
    assert ok("plan", "2", "signed", "--clear") == "2 新型显示模组生产项目: plan for signed 2020-09-01 → (none)\n"
    event = project(2)["history"][-1]
    assert (event["kind"], event["plan_from"], event["plan_to"]) == ("planned", "2020-09-01", None)
    assert project(2)["next_plan_date"] is None
    ok("undo", "--yes")
    assert project(2)["next_plan_date"] == "2020-09-01"


def test_the_same_plan_again_is_a_no_op_that_says_so(db: Path) -> None:
    ok("plan", "2", "signed", "2020-09-01")
    before = file_hash(db)
    result = run_cli("plan", "2", "signed", "2020-09-01")
    assert (result.exit_code, result.stdout) == (0, "")
    assert "nothing changed" in result.stderr
    assert file_hash(db) == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["plan", "7", "signed", "2020-09-01"], 4, "error: project 7 东华鲲鹏 is at signed; signed is not above it\n"),
        (["plan", "7", "negotiating", "2020-09-01"], 4, "is not above it"),
        (["plan", "999", "signed", "2020-09-01"], 3, "error: no project with id 999\n"),
        (["plan", "2", "signed"], 2, "error: no DATE given\n"),
        (["plan", "2", "signed", "2020-09-01", "--clear"], 2, "error: give either DATE or --clear, not both\n"),
        (["plan", "2", "signed", "2020-13-01"], 2, "2020-13-01"),
        (["plan", "2", "nowhere", "2020-09-01"], 2, "nowhere"),
        (["plan", "2", "signed", "2020-09-01", "--by", " "], 2, "error: --by is empty\n"),
        (["stages", "set", "negotiating", "--plan-yellow", "1", "--plan-red", "9"], 2, "is the first stage"),
        (["stages", "set", "signed", "--plan-yellow", "90"], 2, "yellow below red"),
        (["stages", "set", "signed", "--plan-yellow", "0"], 2, "yellow below red"),
    ],
)
def test_refusals_change_nothing(db: Path, args: list[str], code: int, message: str) -> None:
    ok("drop", "3", "--reason", "gone")
    before = file_hash(db)
    for run in (run_cli, run_sh):
        result = run(*args)
        assert (result.exit_code, result.stdout) == (code, ""), result.stderr
        assert message in result.stderr, result.stderr
        assert file_hash(db) == before


def test_a_dropped_project_is_not_planned(db: Path) -> None:
    ok("drop", "3", "--reason", "gone")
    before = file_hash(db)
    result = run_sh("plan", "3", "signed", "2020-09-01")
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr.startswith("error: project 3 ") and "is dropped" in result.stderr
    assert file_hash(db) == before
    result = run_sh("--lang", "zh", "plan", "3", "signed", "2020-09-01")
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr.startswith("错误：项目 3 ") and "已退单" in result.stderr
    assert file_hash(db) == before


def test_plan_in_chinese(db: Path) -> None:
    assert ok("--lang", "zh", "plan", "2", "signed", "2020-09-01") == (
        "2 新型显示模组生产项目：计划签约日期 （无） → 2020-09-01\n"
    )


# --- light boundaries: the day before and the day of each threshold


@pytest.mark.parametrize(
    ("overdue", "light", "reason"),
    [(0, "green", None), (1, "yellow", "plan"), (89, "yellow", "plan"), (90, "red", "plan")],
)
def test_plan_light_boundaries(db: Path, overdue: int, light: str, reason: str | None) -> None:
    ok("plan", "2", "signed", days_ago(overdue))  # project 2: negotiating for 29 days, green by its stage
    shown = project(2)
    assert (shown["light"], shown["light_reason"], shown["overdue_days"]) == (light, reason, overdue)


@pytest.mark.parametrize(
    ("days", "light", "reason"),
    [(89, "green", None), (90, "yellow", "stage"), (179, "yellow", "stage"), (180, "red", "stage")],
)
def test_stage_light_boundaries(db: Path, days: int, light: str, reason: str | None) -> None:
    new_id = ok("add", "Boundary", "--sector", "it", "--date", days_ago(days)).split()[1]
    shown = project(int(new_id))
    assert (shown["days_in_stage"], shown["light"], shown["light_reason"]) == (days, light, reason)


@pytest.mark.parametrize(
    ("stage_days", "overdue", "light", "reason"),
    [
        (100, 1, "yellow", "plan"),  # both yellow: plan
        (100, 90, "red", "plan"),  # stage yellow, plan red
        (200, 1, "red", "stage"),  # stage red, plan yellow
        (200, 90, "red", "plan"),  # both red: plan
        (200, 0, "red", "stage"),  # plan not yet due
    ],
)
def test_the_light_is_the_worse_of_the_two(db: Path, stage_days: int, overdue: int, light: str, reason: str) -> None:
    new_id = ok("add", "Both", "--sector", "it", "--date", days_ago(stage_days)).split()[1]
    ok("plan", new_id, "signed", days_ago(overdue))
    shown = project(int(new_id))
    assert (shown["light"], shown["light_reason"]) == (light, reason)


def test_stages_set_moves_the_plan_thresholds(db: Path) -> None:
    ok("plan", "2", "signed", days_ago(10))
    assert project(2)["light"] == "yellow"
    assert ok("stages", "set", "signed", "--plan-yellow", "11", "--plan-red", "30") == (
        "signed 签约: plan yellow 1 → 11 days, plan red 90 → 30 days\n"
    )
    assert project(2)["light"] == "green"
    ok("stages", "set", "signed", "--plan-yellow", "5", "--plan-red", "10")
    assert (project(2)["light"], project(2)["light_reason"]) == ("red", "plan")
    stages = json.loads(ok("stages", "--format", "json"))
    assert stages[1]["plan_yellow_days"] == 5 and stages[1]["plan_red_days"] == 10
    assert stages[0]["plan_yellow_days"] is None


def test_lights_fail_on_sees_plan_lights(db: Path) -> None:
    ok("plan", "2", "signed", days_ago(95))
    result = run_sh("lights", "--only", "red", "--format", "json", "--fail-on", "red")
    assert result.exit_code == 9
    red = {p["id"]: p for p in json.loads(result.stdout)}
    assert red[2]["light_reason"] == "plan"
    assert json.loads(ok("list", "--light", "red", "--format", "json"))[0]["id"] is not None
    assert 2 in {p["id"] for p in json.loads(ok("list", "--light", "red", "--format", "json"))}


def test_the_plans_table_follows_the_events(db: Path) -> None:
    ok("plan", "2", "signed", "2020-09-01")
    ok("plan", "2", "construction", "2021-01-01")
    ok("plan", "2", "signed", "--clear")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT project_id, stage, date FROM plans").fetchall() == [
            (2, "construction", "2021-01-01")
        ]
    assert ok("check") is not None


# --- due and the --overdue filter


def ids(*args: str) -> list[int]:
    return [p["id"] for p in json.loads(ok(*args, "--format", "json"))]


def test_due_lists_overdue_and_coming_milestones_oldest_first(db: Path) -> None:
    ok("plan", "5", "signed", days_ago(30))  # overdue
    ok("plan", "2", "signed", days_ago(-30))  # the 30th day from today: included
    ok("plan", "6", "signed", days_ago(-31))  # one day further: not
    ok("plan", "8", "preliminary", REPORT_DATE)  # due today: not overdue
    assert ids("due") == [5, 8, 2]
    assert ids("due", "--within", "31") == [5, 8, 2, 6]
    assert ids("due", "--within", "0") == [5, 8]
    assert ids("due", "--overdue") == [5]
    assert ids("list", "--overdue") == [5]
    assert ids("due", "--sector", "it", "--within", "31") == [5, 8, 2, 6]
    ok("drop", "5", "--reason", "gone")
    assert ids("due") == [8, 2]  # active projects only
    assert ids("list", "--overdue", "--all") == [5]


def test_reaching_the_stage_ends_the_overdue(db: Path) -> None:
    ok("plan", "5", "signed", days_ago(30))
    ok("advance", "5")
    assert ids("due", "--overdue") == []
    assert project(5)["overdue_days"] == 0


def test_due_subprocess_and_refusals(db: Path) -> None:
    ok("plan", "5", "signed", days_ago(3))
    result = run_sh("due", "-f", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines()[1].startswith("5,")
    before = file_hash(db)
    for args in (["due", "--within", "-1"], ["due", "--within", "x"]):
        result = run_sh(*args)
        assert (result.exit_code, result.stdout) == (2, ""), result.stderr
        assert "--within" in result.stderr
    assert file_hash(db) == before


# --- planned events as people read them


def test_history_and_show_tables_say_what_a_plan_event_did(db: Path) -> None:
    ok("plan", "2", "construction", "2020-09-01")
    ok("plan", "2", "construction", "2020-10-01")
    table = ok("history", "2", "--format", "markdown")
    assert "| plan for construction (none) → 2020-09-01 |" in table
    assert "| plan for construction 2020-09-01 → 2020-10-01 |" in table
    assert "计划开工日期 2020-09-01 → 2020-10-01" in ok("history", "2", "--format", "table", "--lang", "zh")
    assert "plan for construction 2020-09-01 → 2020-10-01" in ok("show", "2", "--format", "table")
    # JSON keeps the contract's keys: no changes, the dates in plan_from and plan_to.
    event = json.loads(ok("history", "2", "--format", "json"))[-1]
    assert (event["changes"], event["plan_from"], event["plan_to"]) == (None, "2020-09-01", "2020-10-01")


def test_the_undo_of_a_plan_says_which_plan_it_reverts(db: Path) -> None:
    ok("plan", "2", "signed", "2020-09-01")
    ok("undo", "--yes")
    undo = json.loads(ok("history", "2", "--format", "json"))[-1]
    assert undo["kind"] == "undo"
    assert undo["note"] == "reverts change 1: plan for signed (none) → 2020-09-01"


def test_rank_counts_plan_reds_as_red(db: Path) -> None:
    def red(district: str) -> int:
        groups = json.loads(ok("rank", "--format", "json"))["groups"]
        return int(next(g["red"] for g in groups if g["district"] == district))

    before = red("城阳区")
    assert project(2)["light"] == "green"  # 城阳区, green by its days in stage
    ok("plan", "2", "signed", days_ago(89))
    assert red("城阳区") == before
    ok("plan", "2", "signed", days_ago(90))
    assert (project(2)["light"], project(2)["light_reason"]) == ("red", "plan")
    assert red("城阳区") == before + 1


def test_a_move_undone_brings_the_overdue_back(db: Path) -> None:
    ok("plan", "5", "preliminary", days_ago(10))
    ok("advance", "5")  # to signed: preliminary still ahead, still overdue
    assert (project(5)["next_plan_stage"], project(5)["overdue_days"]) == ("preliminary", 10)
    ok("advance", "5")  # reaches preliminary
    shown = project(5)
    assert (shown["overdue_days"], shown["plans"][0]["reached"]) == (0, REPORT_DATE)
    ok("undo", "--yes")
    shown = project(5)
    assert (shown["next_plan_stage"], shown["overdue_days"], shown["plans"][0]["reached"]) == (
        "preliminary",
        10,
        None,
    )
    assert ids("due", "--overdue") == [5]


def test_plans_and_slips_across_moves_back_and_forth_and_their_undos(db: Path) -> None:
    # Project 2 is negotiating. Signed planned 20 days ago, slipped to 5 days ago; construction planned ahead.
    ok("plan", "2", "signed", days_ago(20))
    ok("plan", "2", "signed", days_ago(5))
    ok("plan", "2", "construction", days_ago(-60))

    def state() -> tuple[object, ...]:
        shown = project(2)
        plans = {p["stage"]: (p["reached"], p["slips"]) for p in shown["plans"]}
        return shown["next_plan_stage"], shown["overdue_days"], plans["signed"], plans.get("construction")

    overdue = ids("due", "--overdue")
    assert state() == ("signed", 5, (None, 1), (None, 0)) and 2 in overdue
    ok("advance", "2")  # reaches signed: the slip stays on record, construction is next
    assert state() == ("construction", 0, (REPORT_DATE, 1), (None, 0))
    assert 2 not in ids("due", "--overdue") and 2 in ids("due", "--within", "60")
    ok("move", "2", "negotiating")  # back below signed: not reached any more, overdue again
    assert state() == ("signed", 5, (None, 1), (None, 0))
    assert 2 in ids("due", "--overdue") and 2 in ids("list", "--overdue")
    ok("move", "2", "construction")  # past both: each reached today, nothing next
    assert state() == (None, 0, (REPORT_DATE, 1), (REPORT_DATE, 0))
    ok("undo", "--yes")  # the jump undone: back at negotiating, signed overdue
    assert state() == ("signed", 5, (None, 1), (None, 0))
    ok("undo", "--yes")  # the move back undone: at signed again
    assert state() == ("construction", 0, (REPORT_DATE, 1), (None, 0))
    ok("undo", "--yes")  # the advance undone
    ok("undo", "--yes")  # the construction plan undone
    assert state() == ("signed", 5, (None, 1), None)
    ok("undo", "--yes")  # the slip undone: the first date, 20 days overdue (yellow by its plan)
    assert state() == ("signed", 20, (None, 0), None)
    assert (project(2)["light"], project(2)["light_reason"]) == ("yellow", "plan")
    assert ok("check") is not None


# Each threshold, the day before and the day of it, by each reason. Project 2
# is negotiating for 29 days (green by its stage) and has no plan.
BOUNDARIES = [
    ("plan", 0, "green"),
    ("plan", 1, "yellow"),
    ("plan", 89, "yellow"),
    ("plan", 90, "red"),
    ("stage", 89, "green"),
    ("stage", 90, "yellow"),
    ("stage", 179, "yellow"),
    ("stage", 180, "red"),
]


@pytest.mark.parametrize(("reason", "days", "light"), BOUNDARIES)
def test_every_command_agrees_on_the_light_at_each_boundary(db: Path, reason: str, days: int, light: str) -> None:
    """show, list, lights, due, the --light and --overdue filters and rank read the light in the same place."""
    if reason == "plan":
        ok("plan", "2", "signed", days_ago(days))
        project_id = 2
    else:
        project_id = int(
            ok("add", "Boundary", "--sector", "it", "--district", "城阳区", "--date", days_ago(days)).split()[1]
        )
    shown = project(project_id)
    expected_reason = None if light == "green" else reason
    assert (shown["light"], shown["light_reason"]) == (light, expected_reason)
    listed = {p["id"]: p for p in json.loads(ok("list", "--format", "json"))}
    assert (listed[project_id]["light"], listed[project_id]["light_reason"]) == (light, expected_reason)
    lit = {p["id"]: p["light"] for p in json.loads(ok("lights", "--format", "json"))}
    assert lit[project_id] == light
    for level in ("yellow", "red"):
        assert (project_id in ids("list", "--light", level)) == (light == level)
        assert (project_id in ids("lights", "--only", level)) == (light == "red" or light == level)
    overdue = reason == "plan" and days > 0
    assert (project_id in ids("list", "--overdue")) == overdue
    assert (project_id in ids("due", "--overdue")) == overdue
    assert (project_id in ids("due")) == (reason == "plan")
    if reason == "plan":
        due = {p["id"]: p for p in json.loads(ok("due", "--format", "json"))}
        assert (due[2]["light"], due[2]["overdue_days"]) == (light, days)
    groups = json.loads(ok("rank", "--format", "json"))["groups"]
    red = next(g["red"] for g in groups if g["district"] == "城阳区")
    assert red == len(ids("list", "--light", "red", "--district", "城阳区"))
    assert next(g["overdue"] for g in groups if g["district"] == "城阳区") == len(
        ids("list", "--overdue", "--district", "城阳区")
    )


@pytest.mark.parametrize(
    ("stage_days", "overdue", "light", "reason"),
    [
        (9, 0, "green", None),  # the day before each
        (10, 0, "yellow", "stage"),  # the stage's yellow day
        (19, 0, "yellow", "stage"),
        (20, 0, "red", "stage"),  # its red day
        (9, 3, "yellow", "plan"),  # the plan's yellow day
        (9, 6, "yellow", "plan"),
        (9, 7, "red", "plan"),  # its red day
        (19, 7, "red", "plan"),  # plan red, stage yellow
        (20, 2, "red", "stage"),  # stage red, plan not yet yellow
    ],
)
def test_thresholds_a_bureau_sets_move_the_boundaries(
    db: Path, stage_days: int, overdue: int, light: str, reason: str | None
) -> None:
    ok("stages", "set", "signed", "--yellow", "10", "--red", "20")
    ok("stages", "set", "preliminary", "--plan-yellow", "3", "--plan-red", "7")
    project_id = ok("add", "Set", "--sector", "it", "--stage", "signed", "--date", days_ago(stage_days)).split()[1]
    if overdue:
        ok("plan", project_id, "preliminary", days_ago(overdue))
    shown = project(int(project_id))
    assert (shown["days_in_stage"], shown["overdue_days"]) == (stage_days, overdue)
    assert (shown["light"], shown["light_reason"]) == (light, reason)
    assert (int(project_id) in ids("list", "--light", "red")) == (light == "red")
