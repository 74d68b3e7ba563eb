"""--columns a,b,c on list, lights, due and problem list: the fields picked, in that order, in every format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import PROJECT_FIELDS, Result, file_hash

Run = Callable[..., Result]

PROBLEM_FIELDS = [
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


def _json(result: Result) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    value: list[dict[str, Any]] = json.loads(result.stdout)
    return value


def _with_problems(cli: Run) -> None:
    for args in (
        ("problem", "add", "7", "用地指标未落实", "--unit", "自然资源局", "--due", "2020-08-01"),
        ("problem", "add", "12", "环评待批", "--due", "2020-09-30"),
    ):
        assert cli(*args).exit_code == 0


@pytest.mark.parametrize(
    ("command", "picked"),
    [
        (("list", "--all"), ["light", "id", "investment", "key"]),
        (("lights",), ["name", "days_in_stage", "light", "light_reason"]),
        (("due", "--within", "3650"), ["next_plan_date", "id", "overdue_days"]),
    ],
)
def test_json_and_jsonl_carry_the_picked_keys_in_order(
    db: Path, cli: Run, command: tuple[str, ...], picked: list[str]
) -> None:
    cli("plan", "7", "construction", "2020-06-01")
    cli("plan", "12", "landed", "2020-09-01")
    whole = _json(cli(*command, "-f", "json"))
    assert whole, "the fixture gives every command some projects"
    shown = _json(cli(*command, "-f", "json", "--columns", ",".join(picked)))
    assert [list(item) for item in shown] == [picked] * len(whole)
    assert shown == [{key: item[key] for key in picked} for item in whole]
    lines = cli(*command, "-f", "jsonl", "--columns", ",".join(picked)).stdout.splitlines()
    assert [json.loads(line) for line in lines] == shown


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_have_the_picked_columns(db: Path, cli: Run, fmt: str) -> None:
    delimiter = "," if fmt == "csv" else "\t"
    whole = list(csv.DictReader(io.StringIO(cli("list", "-f", fmt).stdout), delimiter=delimiter))
    result = cli("list", "-f", fmt, "--columns", "stage,name,id")
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
    assert rows[0] == ["stage", "name", "id"]
    assert rows[1:] == [[row["stage"], row["name"], row["id"]] for row in whole]
    headless = cli("list", "-f", fmt, "--columns", "stage,name,id", "--no-header").stdout
    assert headless.splitlines() == result.stdout.splitlines()[1:]


def test_table_and_markdown_show_the_picked_columns_not_the_default_ones(db: Path, cli: Run) -> None:
    markdown = cli("list", "-f", "markdown", "--columns", "light,id,unit").stdout.splitlines()
    assert markdown[0] == "| Light | ID | Unit |"
    assert markdown[1] == "|---|---:|---|"
    assert len(markdown) == 2 + 47
    zh = cli("list", "-f", "markdown", "--columns", "light,id,unit", "--lang", "zh").stdout.splitlines()
    assert zh[0] == "| 亮灯 | 编号 | 责任单位 |"
    table = cli("list", "-f", "table", "--columns", "unit,id", "--limit", "3").stdout
    head = next(line for line in table.splitlines() if line.strip())
    assert head.split() == ["Unit", "ID"]
    assert "Sector" not in table and "Days" not in table


def test_workbook_has_the_picked_columns(db: Path, cli: Run, tmp_path: Path) -> None:
    import openpyxl

    target = tmp_path / "list.xlsx"
    assert cli("list", "-f", "xlsx", "--columns", "name,investment", "-o", str(target)).exit_code == 0
    sheet = openpyxl.load_workbook(target, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("name", "investment")
    assert rows[1] == ("12英寸晶圆制造项目", 120)
    assert len(rows) == 1 + 47
    assert all(len(row) == 2 for row in rows)


def test_problem_list_picks_its_own_fields(db: Path, cli: Run) -> None:
    _with_problems(cli)
    whole = _json(cli("problem", "list", "-f", "json"))
    assert len(whole) == 2 and list(whole[0]) == PROBLEM_FIELDS
    shown = _json(cli("problem", "list", "-f", "json", "--columns", "overdue_days,text,id"))
    assert shown == [{"overdue_days": p["overdue_days"], "text": p["text"], "id": p["id"]} for p in whole]
    tsv = cli("problem", "list", "-f", "tsv", "--columns", "project_id,status").stdout.splitlines()
    assert tsv == ["project_id\tstatus", "7\topen", "12\topen"]
    markdown = cli("problem", "list", "-f", "markdown", "--columns", "note,id").stdout.splitlines()
    assert markdown[0] == "| Note | Problem |"
    # A project field is not a problem's.
    refused = cli("problem", "list", "--columns", "light")
    assert refused.exit_code == 2 and refused.stdout == ""


def test_fail_on_counts_lights_even_when_the_light_is_not_shown(db: Path, cli: Run) -> None:
    result = cli("lights", "--fail-on", "red", "--columns", "id", "-f", "tsv")
    assert result.exit_code == 9
    ids = result.stdout.splitlines()[1:]
    assert ids and all(line.isdigit() for line in ids)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("id,nmae", "unknown column 'nmae'"),
        ("id,,status", "empty name"),
        ("id,status,id", "column 'id' is given twice"),
        ("", "names no field"),
    ],
)
def test_a_bad_column_is_a_usage_error_naming_the_valid_ones(db: Path, sh: Run, value: str, said: str) -> None:
    before = file_hash(db)
    for command in (("list",), ("lights",), ("due",), ("problem", "list")):
        result = sh(*command, "--columns", value)
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stdout == ""
        assert said in result.stderr
        fields = PROBLEM_FIELDS if command[0] == "problem" else PROJECT_FIELDS
        assert ", ".join(fields) in result.stderr
        assert "Traceback" not in result.stderr
    assert file_hash(db) == before


def test_a_close_misspelling_is_suggested_in_either_language(db: Path, sh: Run) -> None:
    result = sh("list", "--columns", "id,investmnt")
    assert result.exit_code == 2 and result.stdout == ""
    assert "did you mean 'investment'?" in result.stderr
    zh = sh("--lang", "zh", "list", "--columns", "id,investmnt")
    assert zh.exit_code == 2 and zh.stdout == ""
    assert "未知的列“investmnt”" in zh.stderr and "是否想用“investment”" in zh.stderr


def test_names_are_trimmed_and_case_folded(db: Path, cli: Run) -> None:
    result = cli("list", "-f", "csv", "--columns", " ID , Name", "--limit", "1")
    assert result.stdout.splitlines()[0] == "id,name"


def test_only_the_listings_take_columns(db: Path, cli: Run) -> None:
    for command in (("show", "7"), ("summary",), ("history",), ("rank",)):
        result = cli(*command, "--columns", "id")
        assert result.exit_code == 2, command
        assert result.stdout == ""
