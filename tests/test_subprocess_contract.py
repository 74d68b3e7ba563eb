"""The installed console script, run as a real subprocess the way shell scripts and cron do."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import pipeline_cli
from conftest import PROJECT_FIELDS, Result

Sh = Callable[..., Result]

FIELDS = PROJECT_FIELDS


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_list_sector_biomed_is_14_rows_of_tsv_with_a_header(db: Path, sh: Sh) -> None:
    rows = list(csv.reader(io.StringIO(ok(sh("list", "--sector", "biomed"))), delimiter="\t"))
    assert rows[0] == FIELDS
    assert len(rows) == 1 + 14
    assert all(len(row) == len(FIELDS) for row in rows)
    assert {row[FIELDS.index("sector")] for row in rows[1:]} == {"biomed"}


def test_list_sector_in_chinese_as_json_is_the_same_14(db: Path, sh: Sh) -> None:
    projects = json.loads(ok(sh("list", "--sector", "生物医药", "--format", "json")))
    assert len(projects) == 14
    assert all(list(p) == FIELDS and p["sector"] == "biomed" for p in projects)
    tsv = list(csv.DictReader(io.StringIO(ok(sh("list", "--sector", "biomed"))), delimiter="\t"))
    assert [p["id"] for p in projects] == [int(row["id"]) for row in tsv]
    assert [p["name"] for p in projects] == [row["name"] for row in tsv]


def test_show_7_as_json_has_its_history(db: Path, sh: Sh) -> None:
    project = json.loads(ok(sh("show", "7", "--format", "json")))
    assert list(project) == [*FIELDS, "history", "plans", "problems"]
    assert (project["id"], project["name"], project["source"]) == (7, "东华鲲鹏", "report")
    (event,) = project["history"]
    assert event["kind"] == "created" and event["project_id"] == 7 and event["to"] == "signed"
    assert {"id", "project_id", "kind", "from", "to", "date", "recorded_at", "note", "by"} <= set(event)


def test_stages_json_keys_are_the_contract(db: Path, sh: Sh) -> None:
    stages = json.loads(ok(sh("stages", "--format", "json")))
    keys = ["stage", "name_zh", "name_en", "position", "yellow_days", "red_days", "plan_yellow_days", "plan_red_days"]
    assert all(list(s) == keys for s in stages)
    assert [(s["stage"], s["name_zh"], s["position"]) for s in stages] == [
        ("negotiating", "在谈", 1),
        ("signed", "签约", 2),
        ("preliminary", "前期", 3),
        ("landed", "落地", 4),
        ("construction", "开工", 5),
        ("completed", "竣工", 6),
        ("production", "投产", 7),
        ("capacity", "达产", 8),
    ]
    for stage in stages[:-1]:
        assert 0 < stage["yellow_days"] < stage["red_days"]
    assert (stages[-1]["yellow_days"], stages[-1]["red_days"]) == (None, None)


def test_sectors_json_keys_are_the_contract(db: Path, sh: Sh) -> None:
    sectors = json.loads(ok(sh("sectors", "--format", "json")))
    assert all(list(s) == ["sector", "name_zh", "name_en", "position"] for s in sectors)
    assert [s["position"] for s in sectors] == [1, 2, 3, 4, 5, 6]
    assert [(s["sector"], s["name_zh"]) for s in sectors] == [
        ("it", "新一代信息技术"),
        ("biomed", "生物医药"),
        ("transport", "交通装备"),
        ("smart-mfg", "智能制造装备"),
        ("textile", "纺织服装"),
        ("food", "食品饮料"),
    ]
    assert sectors[1]["name_en"] == "biomedicine"


def test_python_m_pipeline_cli_version() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline_cli", "--version"], capture_output=True, text=True, timeout=60
    )
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout == f"pipeline {pipeline_cli.__version__}\n"


def test_console_script_version_and_help(sh: Sh) -> None:
    assert ok(sh("--version")) == f"pipeline {pipeline_cli.__version__}\n"
    help_text = ok(sh("--help"))
    for command in ("init", "where", "list", "show", "stages", "sectors"):
        assert command in help_text


def test_python_m_runs_commands_too(db: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pipeline_cli", "list", "--sector", "bio", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert len(json.loads(completed.stdout)) == 14


@pytest.mark.parametrize("args", [["frobnicate"], ["list", "--frobnicate"], ["show"], ["show", "seven"]])
def test_usage_errors_exit_2(db: Path, sh: Sh, args: list[str]) -> None:
    result = sh(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_unknown_command_is_named(db: Path, sh: Sh) -> None:
    result = sh("frobnicate")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "frobnicate" in result.stderr


def test_show_999_is_not_found(db: Path, sh: Sh) -> None:
    result = sh("show", "999")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["error: no project with id 999", "hint: `pipeline list --all` shows every id"]


@pytest.mark.parametrize(("project_id", "code"), [("0", 3), ("9223372036854775807", 3), ("99999999999999999999", 2)])
def test_ids_out_of_range_are_refused_not_crashes(db: Path, sh: Sh, project_id: str, code: int) -> None:
    result = sh("show", project_id)
    assert (result.exit_code, result.stdout) == (code, "")
    assert "internal error" not in result.stderr


def test_unknown_sector_through_the_console_script(db: Path, sh: Sh) -> None:
    result = sh("list", "--sector", "biomedicine")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "did you mean 'biomed'" in result.stderr


def imported_modules(args: list[str]) -> set[str]:
    """Top-level modules `python -m pipeline_cli ARGS` imports, from -X importtime."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline_cli", *args], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout
    lines = [line for line in completed.stderr.splitlines() if line.startswith("import time:")]
    assert lines
    return {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines}


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["list", "--format", "json"],
        ["list", "--format", "jsonl", "--sector", "生物医药"],
        ["list", "--format", "csv"],
        ["show", "7", "--format", "json"],
        ["show", "7"],
        ["stages", "--format", "json"],
        ["sectors"],
        ["where"],
    ],
)
def test_read_commands_do_not_import_rich_or_sqlite_utils(db: Path, args: list[str]) -> None:
    assert imported_modules(args) & {"rich", "sqlite_utils", "pydantic"} == set()


def test_the_import_check_sees_rich_when_a_table_is_drawn(db: Path) -> None:
    assert "rich" in imported_modules(["list", "--format", "table"])
