"""The problem ledger (问题清单): problem add, close, reopen, edit, list; their events, undo, show, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from conftest import file_hash, run_cli, run_sh

PROBLEM_KEYS = [
    "id",
    "project_id",
    "project_name",
    "text",
    "unit",
    "opened",
    "due",
    "closed",
    "status",
    "overdue_days",
    "note",
]


def ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def problems(*args: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(ok("problem", "list", "--format", "json", *args))
    return listed


def events(project_id: int) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = json.loads(ok("history", str(project_id), "--format", "json"))
    return history


def test_add_prints_the_new_id_and_records_an_event(db: Path) -> None:
    out = ok(
        "problem", "add", "7", "用地指标未落实", "--unit", "自然资源局", "--due", "2020-08-10", "--date", "2020-08-01"
    )
    assert out == "opened problem 1 on 7 东华鲲鹏: 用地指标未落实\n"
    [problem] = problems()
    assert list(problem) == PROBLEM_KEYS
    assert problem == {
        "id": 1,
        "project_id": 7,
        "project_name": "东华鲲鹏",
        "text": "用地指标未落实",
        "unit": "自然资源局",
        "opened": "2020-08-01",
        "due": "2020-08-10",
        "closed": None,
        "status": "open",
        "overdue_days": 8,
        "note": None,
    }
    last = events(7)[-1]
    assert last["kind"] == "problem_opened"
    assert last["problem_id"] == 1
    assert last["date"] == "2020-08-01"
    assert last["by"] == "tester"
    assert last["changes"] == {
        "text": [None, "用地指标未落实"],
        "unit": [None, "自然资源局"],
        "due": [None, "2020-08-10"],
    }


def test_close_reopen_edit_each_an_event(db: Path) -> None:
    ok("problem", "add", "7", "用地指标未落实", "--due", "2020-08-30")
    assert ok("problem", "close", "1", "--note", "已落实") == "closed problem 1 on 7 东华鲲鹏: 用地指标未落实\n"
    [closed] = problems("--closed")
    assert (closed["status"], closed["closed"], closed["note"]) == ("closed", "2020-08-18", "已落实")
    assert problems("--open") == []
    ok("problem", "reopen", "1")
    assert problems("--open")[0]["closed"] is None
    out = ok("problem", "edit", "1", "--text", "用地指标", "--unit", "自然资源局", "--due", "")
    assert out == (
        "edited problem 1 on 7 东华鲲鹏: text 用地指标未落实 → 用地指标;"
        " unit (none) → 自然资源局; due 2020-08-30 → (none)\n"
    )
    kinds = [e["kind"] for e in events(7) if e["problem_id"] == 1]
    assert kinds == ["problem_opened", "problem_closed", "problem_reopened", "problem_edited"]


def test_edit_to_the_same_values_is_a_no_op(db: Path) -> None:
    ok("problem", "add", "7", "x", "--unit", "U")
    before = file_hash(db)
    result = run_cli("problem", "edit", "1", "--unit", "U")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "nothing changed" in result.stderr
    assert file_hash(db) == before


def test_undo_walks_back_every_problem_change(db: Path) -> None:
    ok("problem", "add", "7", "用地指标未落实", "--due", "2020-08-30")
    ok("problem", "close", "1", "--note", "已落实")
    ok("problem", "reopen", "1")
    ok("problem", "edit", "1", "--text", "新", "--due", "2020-09-30")
    states = [problems("--all")]
    ok("undo", "--yes")  # the edit
    [p] = problems()
    assert (p["text"], p["due"], p["closed"]) == ("用地指标未落实", "2020-08-30", None)
    ok("undo", "--yes")  # the reopen
    [p] = problems()
    assert (p["closed"], p["status"]) == ("2020-08-18", "closed")
    ok("undo", "--yes")  # the close
    [p] = problems()
    assert (p["closed"], p["note"], p["status"]) == (None, None, "open")
    ok("undo", "--yes")  # the opening
    assert problems() == []
    assert states[0][0]["text"] == "新"
    undos = [e for e in events(7) if e["kind"] == "undo"]
    assert [e["problem_id"] for e in undos] == [1, 1, 1, 1]
    # Gone, with a hint; the id is not reused.
    result = run_cli("problem", "close", "1")
    assert result.exit_code == 3
    assert "its opening was undone" in result.stderr
    assert result.stdout == ""
    assert ok("problem", "add", "7", "again").startswith("opened problem 2 ")
    assert ok("check").strip() != ""


def test_check_stays_clean(db: Path) -> None:
    ok("problem", "add", "7", "x")
    ok("problem", "close", "1")
    ok("undo", "--yes")
    result = run_cli("check")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_show_lists_the_projects_problems(db: Path) -> None:
    ok("problem", "add", "7", "用地指标未落实", "--unit", "自然资源局")
    ok("problem", "add", "12", "环评待批")
    shown = json.loads(ok("show", "7", "--format", "json"))
    assert [p["text"] for p in shown["problems"]] == ["用地指标未落实"]
    assert list(shown["problems"][0]) == PROBLEM_KEYS
    table = ok("show", "7", "--format", "markdown")
    assert "Problems" in table and "用地指标未落实" in table and "环评待批" not in table
    assert "问题清单" in ok("show", "7", "--format", "markdown", "--lang", "zh")
    assert json.loads(ok("show", "1", "--format", "json"))["problems"] == []


def test_list_filters_and_order(db: Path) -> None:
    ok("problem", "add", "12", "b", "--unit", "生态环境局", "--due", "2020-08-17", "--date", "2020-08-05")
    ok("problem", "add", "7", "a", "--unit", "自然资源局", "--due", "2020-08-18", "--date", "2020-08-01")
    ok("problem", "add", "7", "c", "--due", "2020-08-10")
    ok("problem", "close", "3")
    # Oldest first (by opened, then id).
    assert [p["text"] for p in problems()] == ["a", "b", "c"]
    # Overdue: open and past due; due today is not overdue.
    assert [(p["text"], p["overdue_days"]) for p in problems("--overdue")] == [("b", 1)]
    assert [p["overdue_days"] for p in problems()] == [0, 1, 0]  # closed: 0
    assert [p["text"] for p in problems("--problem-unit", "自然")] == ["a"]
    assert [p["text"] for p in problems("--problem-unit", "自然", "--problem-unit", "生态")] == ["a", "b"]
    # The filters select the projects.
    assert [p["text"] for p in problems("--sector", "it", "--min-investment", "10")] == ["a", "c"]
    assert [p["text"] for p in problems("--district", "崂山")] == ["b"]
    # A dropped project's problems only with --all / --status dropped.
    ok("drop", "7", "--reason", "退单")
    assert [p["text"] for p in problems()] == ["b"]
    assert [p["text"] for p in problems("--all")] == ["a", "b", "c"]
    assert [p["text"] for p in problems("--status", "dropped")] == ["a", "c"]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_list_delimited_formats(db: Path, fmt: str) -> None:
    ok("problem", "add", "7", "=cmd\tx", "--unit", "U")
    out = ok("problem", "list", "--format", fmt)
    header, line = out.splitlines()
    sep = "," if fmt == "csv" else "\t"
    assert header.split(sep) == PROBLEM_KEYS
    if fmt == "csv":
        assert "'=cmd\tx" in line  # formula neutralised
    else:
        assert "=cmd\\tx" in line
        assert len(line.split("\t")) == len(PROBLEM_KEYS)
    assert ok("problem", "list", "--format", fmt, "--no-header").splitlines() == [line]


def test_list_table_and_chinese(db: Path) -> None:
    ok("problem", "add", "7", "用地指标未落实", "--due", "2020-08-10")
    table = ok("problem", "list", "--format", "table", "--lang", "zh")
    assert "办结时限" in table and "未销号" in table
    assert "overdue" not in table
    assert "Days overdue" in ok("problem", "list", "--format", "table")


def test_list_xlsx(db: Path, tmp_path: Path) -> None:
    ok("problem", "add", "7", "用地指标未落实", "--due", "2020-08-10")
    target = tmp_path / "problems.xlsx"
    ok("problem", "list", "--format", "xlsx", "-o", str(target))
    assert target.read_bytes()[:2] == b"PK"


def test_write_format_json_prints_the_changed_project(db: Path) -> None:
    """A write command with --format json prints the projects it changed, as `list --format json` shows them."""
    listed = {p["id"]: p for p in json.loads(ok("list", "--format", "json"))}
    ok("problem", "add", "7", "first", "--due", "2020-08-10")
    for args in (
        ("problem", "add", "7", "x", "--format", "json"),
        ("problem", "close", "1", "--format", "json"),
        ("problem", "reopen", "1", "--format", "json"),
        ("problem", "edit", "1", "--unit", "U", "--format", "json"),
    ):
        assert json.loads(ok(*args)) == [listed[7]], args
    [line] = ok("problem", "close", "2", "--format", "jsonl").splitlines()
    assert json.loads(line) == listed[7]
    assert [p["status"] for p in problems()] == ["open", "closed"]


def test_chinese_confirmation(db: Path) -> None:
    assert ok("problem", "add", "7", "环评", "--lang", "zh") == "已登记问题 1（项目 7 东华鲲鹏）：环评\n"


class Refusal(NamedTuple):
    args: tuple[str, ...]
    code: int
    message: str
    setup: tuple[tuple[str, ...], ...] = ()


OPENED = (("problem", "add", "7", "用地指标未落实", "--date", "2020-08-01"),)
CLOSED = (*OPENED, ("problem", "close", "1"))

REFUSALS = {
    "add to an unknown project": Refusal(("problem", "add", "999", "x"), 3, "no project with id 999"),
    "add with empty text": Refusal(("problem", "add", "7", "  "), 2, "the problem's text is empty"),
    "add with a bad due date": Refusal(("problem", "add", "7", "x", "--due", "2020-13-01"), 2, "--due"),
    "add in the future": Refusal(("problem", "add", "7", "x", "--date", "2020-08-19"), 4, "in the future"),
    "add before the project's last event": Refusal(
        ("problem", "add", "7", "x", "--date", "2020-08-01"),
        4,
        "before the project's last event",
        (("move", "7", "landed"),),
    ),
    "add to a dropped project": Refusal(
        ("problem", "add", "7", "x"), 4, "is dropped", (("drop", "7", "--reason", "退单"),)
    ),
    "add with an empty --by": Refusal(("problem", "add", "7", "x", "--by", " "), 2, "--by is empty"),
    "close an unknown problem": Refusal(("problem", "close", "5"), 3, "no problem with id 5"),
    "close a closed problem": Refusal(("problem", "close", "1"), 4, "already closed", CLOSED),
    "close before it was opened": Refusal(
        ("problem", "close", "1", "--date", "2020-07-01"), 4, "before the project's last event", OPENED
    ),
    "reopen an open problem": Refusal(("problem", "reopen", "1"), 4, "is open, not closed", OPENED),
    "reopen an unknown problem": Refusal(("problem", "reopen", "5"), 3, "no problem with id 5"),
    "edit nothing": Refusal(("problem", "edit", "1"), 2, "nothing to edit", OPENED),
    "edit to empty text": Refusal(("problem", "edit", "1", "--text", ""), 2, "text is empty", OPENED),
    "edit an unknown problem": Refusal(("problem", "edit", "5", "--unit", "U"), 3, "no problem with id 5"),
    "edit a bad due": Refusal(("problem", "edit", "1", "--due", "tomorrow"), 2, "--due", OPENED),
    "list with two states": Refusal(("problem", "list", "--open", "--closed"), 2, "exclude each other"),
    "list with an unknown sector": Refusal(("problem", "list", "--sector", "zzz"), 2, "sector"),
}


@pytest.mark.parametrize("case", REFUSALS.values(), ids=list(REFUSALS))
def test_refusals_change_nothing(db: Path, case: Refusal) -> None:
    for setup in case.setup:
        ok(*setup)
    before = file_hash(db)
    for run in (run_cli, run_sh):  # in-process and through the installed command
        result = run(*case.args)
        assert result.exit_code == case.code, result.stderr
        assert case.message in result.stderr
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert file_hash(db) == before


def test_refusal_in_chinese(db: Path) -> None:
    result = run_cli("problem", "close", "5", "--lang", "zh")
    assert result.exit_code == 3
    assert "没有编号为 5 的问题" in result.stderr


def test_the_installed_command(db: Path) -> None:
    result = run_sh("problem", "add", "7", "用地指标未落实", "--due", "2020-08-10")
    assert (result.exit_code, result.stdout) == (0, "opened problem 1 on 7 东华鲲鹏: 用地指标未落实\n")
    listed = run_sh("problem", "list", "--overdue")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0].split("\t") == PROBLEM_KEYS
    assert listed.stdout.splitlines()[1].split("\t")[-2:] == ["8", ""]
    before = file_hash(db)
    refused = run_sh("problem", "reopen", "1")
    assert (refused.exit_code, refused.stdout) == (4, "")
    assert "is open, not closed" in refused.stderr
    assert file_hash(db) == before
    closed = run_sh("problem", "close", "1", "--format", "json")
    assert [(p["id"], p["status"]) for p in json.loads(closed.stdout)] == [(7, "active")]
    assert problems("--closed")[0]["id"] == 1
    assert run_sh("undo", "--yes").exit_code == 0
    assert json.loads(run_sh("problem", "list", "--format", "json").stdout)[0]["status"] == "open"


# --- the dispatch report's new keys ------------------------------------------------


def report(*args: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(ok("report", "--format", "json", *args))
    return body


def test_report_problems_inside_and_outside_the_period(db: Path) -> None:
    # The week is 2020-08-12 .. 2020-08-18.
    ok("problem", "add", "7", "before", "--due", "2020-08-11", "--date", "2020-08-01")  # 1: opened before
    ok("problem", "add", "12", "inside", "--due", "2020-08-30", "--date", "2020-08-13")  # 2: opened inside
    ok("problem", "add", "1", "closed inside", "--date", "2020-08-02")  # 3
    ok("problem", "close", "3", "--date", "2020-08-14")
    ok("problem", "add", "2", "closed before", "--date", "2020-08-02")  # 4
    ok("problem", "close", "4", "--date", "2020-08-05")
    ok("problem", "add", "3", "opened then undone")  # 5
    ok("undo", "--yes")
    ok("problem", "add", "4", "closed then reopened", "--date", "2020-08-12")  # 6
    ok("problem", "close", "6")
    ok("problem", "reopen", "6")
    body = report("--week")
    problems_ = body["problems"]
    assert list(problems_) == ["opened", "closed", "overdue"]
    assert [p["text"] for p in problems_["opened"]] == ["closed then reopened", "inside"]
    assert [p["text"] for p in problems_["closed"]] == ["closed inside"]
    assert [(p["text"], p["overdue_days"]) for p in problems_["overdue"]] == [("before", 7)]
    # An earlier period: what stood then.
    earlier = report("--since", "2020-08-01", "--until", "2020-08-10")["problems"]
    assert [p["text"] for p in earlier["opened"]] == ["before", "closed inside", "closed before"]
    assert [p["text"] for p in earlier["closed"]] == ["closed before"]
    assert earlier["overdue"] == []
    # Problem 1 was overdue at 2020-08-15 even if it is closed since: 4 days past due then.
    ok("problem", "close", "1")
    then = report("--since", "2020-08-09", "--until", "2020-08-15")["problems"]["overdue"]
    assert [(p["text"], p["overdue_days"], p["status"]) for p in then] == [("before", 4, "closed")]
    ok("undo", "--yes")
    markdown = ok("report", "--week", "--format", "markdown")
    assert "## Problems opened (2)" in markdown and "## Problems closed (1)" in markdown
    assert "## Problems open and overdue at the end (1)" in markdown
    zh = ok("report", "--week", "--format", "markdown", "--lang", "zh")
    assert "新登记问题(2)" in zh and "已销号问题(1)" in zh and "期末逾期未销号问题(1)" in zh
    assert "区市排名" in zh and "恢复项目" in zh


def test_report_shows_a_drop_and_a_restore_in_the_same_week(db: Path) -> None:
    ok("drop", "7", "--reason", "退单", "--date", "2020-08-13")
    ok("restore", "7", "--date", "2020-08-14")
    body = report("--week")
    assert [(e["id"], e["date"]) for e in body["dropped"]] == [(7, "2020-08-13")]
    assert [(e["id"], e["date"]) for e in body["restored"]] == [(7, "2020-08-14")]
    table = ok("report", "--week", "--format", "table")
    assert "Dropped (1)" in table and "Restored (1)" in table
    # An undone restore is no restore.
    ok("undo", "--yes")
    assert report("--week")["restored"] == []


def test_report_ranking_is_rank_at_the_end(db: Path) -> None:
    body = report("--week")
    assert body["ranking"] == json.loads(ok("rank", "--format", "json"))
    keys = list(body)
    assert keys.index("dropped") < keys.index("restored") < keys.index("lights")
    assert keys.index("funnel") < keys.index("problems") < keys.index("ranking")


def test_report_problems_closed_reopened_and_undone_around_the_week(db: Path) -> None:
    # The week is 2020-08-12 .. 2020-08-18; each problem on its own project, its changes in date order.
    ok("problem", "add", "7", "close undone", "--due", "2020-08-05", "--date", "2020-08-01")  # 1
    ok("problem", "close", "1", "--date", "2020-08-13")
    ok("undo", "--yes")  # never closed: open, and overdue at the end
    ok("problem", "add", "12", "reopened inside", "--due", "2020-08-10", "--date", "2020-08-01")  # 2
    ok("problem", "close", "2", "--date", "2020-08-05")
    ok("problem", "reopen", "2", "--date", "2020-08-15")
    ok("problem", "add", "1", "reopen undone", "--due", "2020-08-02", "--date", "2020-08-01")  # 3
    ok("problem", "close", "3", "--date", "2020-08-03")
    ok("problem", "reopen", "3", "--date", "2020-08-14")
    ok("undo", "--yes")  # still closed on 2020-08-03, before the week
    ok("problem", "add", "2", "opened and closed inside", "--date", "2020-08-14")  # 4
    ok("problem", "close", "4", "--date", "2020-08-16")
    ok("problem", "add", "3", "due moved inside", "--date", "2020-08-14")  # 5
    ok("problem", "edit", "5", "--due", "2020-08-15")
    ok("problem", "add", "4", "due moved, then undone", "--date", "2020-08-14")  # 6
    ok("problem", "edit", "6", "--due", "2020-08-15")
    ok("undo", "--yes")
    ok("problem", "add", "5", "closed, reopened, closed inside", "--date", "2020-08-12")  # 7
    for action in ("close", "reopen", "close"):
        ok("problem", action, "7", "--date", "2020-08-17")
    body = report("--week")["problems"]
    assert [p["id"] for p in body["opened"]] == [7, 4, 5, 6]
    assert [(p["id"], p["closed"]) for p in body["closed"]] == [(4, "2020-08-16"), (7, "2020-08-17")]
    assert [(p["id"], p["overdue_days"]) for p in body["overdue"]] == [(1, 13), (2, 8), (5, 3)]
    # The week's counts in the titles are the lists' lengths, in both languages.
    markdown = ok("report", "--week", "--format", "markdown")
    assert "## Problems opened (4)" in markdown and "## Problems closed (2)" in markdown
    assert "## Problems open and overdue at the end (3)" in markdown
    zh = ok("report", "--week", "--format", "text", "--lang", "zh")
    assert "新登记问题(4)" in zh and "已销号问题(2)" in zh and "期末逾期未销号问题(3)" in zh
    # A week earlier (2020-08-05 .. 2020-08-11): 2 and 3 were closed in it or before; 1 was open and past due.
    earlier = report("--since", "2020-08-05", "--until", "2020-08-11")["problems"]
    assert earlier["opened"] == []
    assert [p["id"] for p in earlier["closed"]] == [2]  # closed on 2020-08-05, reopened since
    assert [(p["id"], p["overdue_days"]) for p in earlier["overdue"]] == [(1, 6)]
    titles = ok("report", "--since", "2020-08-05", "--until", "2020-08-11", "--format", "markdown")
    assert "## Problems closed (1)" in titles and "## Problems open and overdue at the end (1)" in titles
    # Before 2's reopening and 5's new deadline: at 2020-08-14, 5 had none, 2 was closed.
    then = report("--since", "2020-08-08", "--until", "2020-08-14")["problems"]
    assert [(p["id"], p["overdue_days"]) for p in then["overdue"]] == [(1, 9)]
    assert [p["id"] for p in then["opened"]] == [7, 4, 5, 6]
