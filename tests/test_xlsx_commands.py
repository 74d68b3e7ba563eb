"""Workbooks of stages, sectors, show, history and check: each sheet is the command's JSON, cell by cell.

As `list` and the reports write them: -o FILE or stdout in a pipe (a
terminal without -o is exit 2), a bold and frozen header row, amounts as
numbers, dates as date cells, Chinese headers and sheet names with --lang
zh; and the database never changes. (access list: tests/test_access.py.)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import PIPELINE_BIN, cell_value, connected, file_hash, run_cli, run_sh
from pipeline_cli import output

DATE_KEYS = {"stage_since", "date", "opened", "due", "closed", "next_plan_date", "plan_from", "plan_to", "reached"}
FILLS = {"green": "FFC6EFCE", "yellow": "FFFFEB9C", "red": "FFFFC7CE"}
# One sheet each, titled so, and its columns: the keys of the command's JSON records.
LISTINGS = {
    ("stages",): "Stages",
    ("sectors",): "Sectors",
    ("history",): "History",
    ("history", "7"): "History",
    ("check",): "Check",
}
COMMANDS = [*(list(args) for args in LISTINGS), ["show", "7"]]


def json_of(*args: str) -> Any:
    result = run_sh(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def workbook(path: Path, *args: str) -> openpyxl.Workbook:
    result = run_sh(*args, "--format", "xlsx", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert path.read_bytes().startswith(b"PK\x03\x04")
    return openpyxl.load_workbook(path)


def expected_value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)  # an edit's changes: the JSON's text
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return Decimal(str(value))


def assert_sheet_is(sheet: Any, records: list[dict[str, Any]]) -> None:
    """Header (the JSON keys, in the csv's order, bold, frozen), then one row per record, cell by cell."""
    rows = list(sheet.iter_rows())
    keys = [c.value for c in rows[0]]
    assert sorted(keys) == sorted(records[0]), sheet.title
    assert all(c.font.b for c in rows[0])
    assert sheet.freeze_panes == "A2"
    assert len(rows) - 1 == len(records), sheet.title
    for row, record in zip(rows[1:], records, strict=True):
        assert set(record) == set(keys)
        for cell, key in zip(row, keys, strict=True):
            expected = record[key]
            got = cell_value(cell)
            if isinstance(expected, (dict, list)):
                assert json.loads(got) == json.loads(json.dumps(expected, default=str)), (sheet.title, cell.coordinate)
                continue
            assert got == expected_value(expected), (sheet.title, cell.coordinate, key, expected)
            if isinstance(expected, str) and key not in DATE_KEYS:
                assert cell.data_type == "s", cell.coordinate  # text stays text, never a formula
            if key in DATE_KEYS and expected is not None:
                assert isinstance(cell.value, dt.datetime), (sheet.title, cell.coordinate)
            if key == "investment" and expected is not None:
                assert isinstance(cell.value, (int, float)) and "亿元" in cell.number_format
            if key == "light" and expected is not None:
                assert cell.fill.fgColor.rgb == FILLS[expected]


@pytest.fixture
def changed(db: Path) -> Path:
    """The seeded database with project 7 edited, planned and given a problem: every sheet of `show` has rows."""
    for args in (
        ("problem", "add", "7", "用地指标未落实", "--unit", "市自然资源局", "--due", "2020-08-10"),
        ("edit", "7", "--investment", "31.5", "--note", "=SUM(A1)"),
        ("plan", "7", "construction", "2020-09-01"),
    ):
        done = run_cli(*args)
        assert done.exit_code == 0, done.stderr
    return db


@pytest.mark.parametrize("args", [list(args) for args in LISTINGS], ids=" ".join)
def test_a_listings_workbook_is_its_json_cell_by_cell(changed: Path, tmp_path: Path, args: list[str]) -> None:
    before = file_hash(changed)
    records = json_of(*args)
    book = workbook(tmp_path / "out.xlsx", *args)
    assert [sheet.title for sheet in book.worksheets] == [LISTINGS[tuple(args)]]
    sheet = book.worksheets[0]
    if not records:  # check of a sound database: the header alone
        assert [c.value for c in next(sheet.iter_rows())] == ["check", "project_id", "event_id", "message"]
        assert sheet.max_row == 1 and sheet.freeze_panes == "A2"
    else:
        assert_sheet_is(sheet, records)
    assert file_hash(changed) == before


def test_show_gives_one_sheet_for_the_project_and_one_for_each_list_of_its_json(changed: Path, tmp_path: Path) -> None:
    before = file_hash(changed)
    record = json_of("show", "7")
    book = workbook(tmp_path / "show.xlsx", "show", "7")
    assert [sheet.title for sheet in book.worksheets] == ["Project", "History", "Plans", "Problems"]
    project = {key: value for key, value in record.items() if key not in ("history", "plans", "problems")}
    assert_sheet_is(book.worksheets[0], [project])
    assert book.worksheets[0]["F2"].value == 31.5  # investment, in 亿元, a number
    for sheet, key in zip(book.worksheets[1:], ("history", "plans", "problems"), strict=True):
        assert record[key], key
        assert_sheet_is(sheet, record[key])
    edited = [event for event in record["history"] if event["kind"] == "edited"]
    assert edited and edited[0]["changes"]["investment"] == ["30", "31.5"]
    assert file_hash(changed) == before


def test_show_of_a_project_with_no_plans_or_problems_keeps_their_sheets_with_the_header(
    db: Path, tmp_path: Path
) -> None:
    book = workbook(tmp_path / "show.xlsx", "show", "1")
    plans, problems = book.worksheets[2], book.worksheets[3]
    assert [c.value for c in next(plans.iter_rows())] == ["stage", "date", "reached", "slips"]
    assert plans.max_row == 1 and problems.max_row == 1
    assert all(c.font.b for c in next(problems.iter_rows()))


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_workbook_goes_to_stdout_in_a_pipe(db: Path, tmp_path: Path, args: list[str]) -> None:
    before = file_hash(db)
    completed = subprocess.run(
        [str(PIPELINE_BIN), *args, "--format", "xlsx"], capture_output=True, env=os.environ, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == b""
    path = tmp_path / "piped.xlsx"
    path.write_bytes(completed.stdout)
    assert path.read_bytes() and openpyxl.load_workbook(path).worksheets[0].freeze_panes == "A2"
    assert file_hash(db) == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_workbook_on_a_terminal_without_o_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    before = file_hash(db)
    for args in COMMANDS:
        result = run_cli("--lang", lang, *args, "--format", "xlsx")
        assert result.exit_code == 2, (args, result.stderr)
        assert result.stdout == ""
        assert "-o FILE" in result.stderr
        assert ("terminal" if lang == "en" else "终端") in result.stderr, result.stderr
    assert file_hash(db) == before


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_o_never_overwrites_the_database_in_use(db: Path, args: list[str]) -> None:
    before = file_hash(db)
    result = run_cli(*args, "--format", "xlsx", "-o", str(db))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert file_hash(db) == before


def test_o_writes_the_other_formats_too(db: Path, tmp_path: Path) -> None:
    for args in COMMANDS:
        path = tmp_path / "out.json"
        assert run_cli(*args, "--format", "json", "-o", str(path)).exit_code == 0
        assert path.read_text(encoding="utf-8") == run_cli(*args, "--format", "json").stdout


def test_chinese_workbooks_have_chinese_headers_sheet_names_and_labels(changed: Path, tmp_path: Path) -> None:
    stages = workbook(tmp_path / "stages.xlsx", "--lang", "zh", "stages").worksheets[0]
    assert stages.title == "阶段"
    assert [c.value for c in next(stages.iter_rows())][:3] == ["序号", "阶段", "中文"]
    assert workbook(tmp_path / "sectors.xlsx", "sectors", "--lang", "zh").worksheets[0].title == "产业领域"
    assert workbook(tmp_path / "check.xlsx", "--lang", "zh", "check").worksheets[0]["A1"].value == "检查项"
    show = workbook(tmp_path / "show.xlsx", "--lang", "zh", "show", "7")
    assert [sheet.title for sheet in show.worksheets] == ["项目", "历史记录", "计划节点", "问题清单"]
    assert show.worksheets[0]["A1"].value == "编号" and show.worksheets[0]["D2"].value == "签约"
    history = workbook(tmp_path / "history.xlsx", "--lang", "zh", "history", "7").worksheets[0]
    header = [c.value for c in next(history.iter_rows())]
    assert history.title == "历史记录" and header[:4] == ["事件", "项目编号", "项目名称", "类型"]
    rows = list(history.iter_rows(min_row=2, values_only=True))
    changes = [row[header.index("修改内容")] for row in rows if row[header.index("修改内容")]]
    assert "投资(亿元) 30 → 31.5" in changes[-1] and "investment" not in changes[-1]
    assert isinstance(rows[0][header.index("日期")], dt.datetime)


WRITES = [
    ["edit", "7", "--note", "新的备注"],
    ["advance", "7"],
    ["add", "新项目", "--sector", "it", "--stage", "negotiating"],
    ["problem", "add", "7", "用地指标未落实"],
    ["stages", "set", "signed", "--yellow", "20"],
    ["sectors", "add", "new-materials", "--zh", "新材料"],
    ["sectors", "edit", "it", "--zh", "信息技术"],
    ["sectors", "remove", "it"],
]


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
@pytest.mark.parametrize("fmt", ["xlsx", "html", "text"])
def test_a_write_command_refuses_a_workbook_or_page_before_it_changes_anything(
    db: Path, args: list[str], fmt: str
) -> None:
    # edit -f xlsx saved the edit and then said "does not write --format xlsx" (exit 2).
    before = file_hash(db)
    said = {
        "en": "does not write --format xlsx" if fmt == "xlsx" else "is for summary, funnel, rank and report",
        "zh": "此命令不输出 --format xlsx" if fmt == "xlsx" else "只用于",
    }
    for lang, words in said.items():
        result = run_cli("--lang", lang, *args, "-f", fmt)
        assert (result.exit_code, result.stdout) == (2, ""), result.stderr
        error, hint = result.stderr.splitlines()
        assert words in error and "xlsx" not in hint, result.stderr
    assert file_hash(db) == before


def test_a_failing_checks_workbook_lists_each_violation_as_its_json_does(db: Path, tmp_path: Path) -> None:
    # The project's stage no longer its last stage event's: check fails (exit 6) and still writes what it found.
    with connected(db) as conn:
        conn.execute("UPDATE projects SET stage = 'preliminary' WHERE id = 7")
    as_json = run_sh("check", "--format", "json")
    assert as_json.exit_code == 6 and "fails 1 check" in as_json.stderr
    records = json.loads(as_json.stdout)
    assert [(r["check"], r["project_id"]) for r in records] == [("stage", 7)]
    before = file_hash(db)
    path = tmp_path / "check.xlsx"
    result = run_sh("check", "--format", "xlsx", "-o", str(path))
    assert (result.exit_code, result.stdout) == (6, "")
    assert "fails 1 check" in result.stderr
    assert_sheet_is(openpyxl.load_workbook(path).worksheets[0], records)
    piped = subprocess.run([str(PIPELINE_BIN), "check", "--format", "xlsx"], capture_output=True, timeout=60)
    assert piped.returncode == 6
    path.write_bytes(piped.stdout)
    assert_sheet_is(openpyxl.load_workbook(path).worksheets[0], records)
    assert file_hash(db) == before
