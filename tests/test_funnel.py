"""funnel: projects at or past each stage, their investment, conversion from the stage before.

On the seed: 21 negotiating, 17 signed, 7 preliminary, 2 landed, so 47 / 26 / 9 /
2 / 0 / 0 / 0 / 0 reached. Project 1 (120 亿元) is negotiating, 7 (东华鲲鹏, 30
亿元) signed, 13 (55 亿元) preliminary, 15 (18 亿元) landed.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from conftest import Result, run_cli

LADDER = ["negotiating", "signed", "preliminary", "landed", "construction", "completed", "production", "capacity"]


def ok(*args: str) -> Result:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def funnel(*args: str) -> list[dict[str, Any]]:
    data = json.loads(ok("funnel", *args, "--format", "json").stdout, parse_float=Decimal)
    assert list(data) == ["stages"]
    stages: list[dict[str, Any]] = data["stages"]
    assert [s["stage"] for s in stages] == LADDER
    assert all(list(s) == ["stage", "reached", "investment", "conversion"] for s in stages)
    return stages


def reached(stages: list[dict[str, Any]]) -> list[int]:
    return [s["reached"] for s in stages]


def test_the_seed_funnel(db: Path) -> None:
    stages = funnel()
    assert reached(stages) == [47, 26, 9, 2, 0, 0, 0, 0]
    assert [s["investment"] for s in stages] == [871, Decimal("389.7"), Decimal("119.1"), Decimal("23.5"), 0, 0, 0, 0]
    # reached / reached before, to 4 places; null first and wherever the stage before has none.
    assert [s["conversion"] for s in stages] == [
        None,
        Decimal("0.5532"),
        Decimal("0.3462"),
        Decimal("0.2222"),
        0,
        None,
        None,
        None,
    ]


def test_moves_change_the_funnel(db: Path) -> None:
    ok("move", "1", "construction", "--date", "2020-08-01")
    ok("advance", "15", "--date", "2020-08-10")  # landed -> construction
    stages = funnel()
    assert reached(stages) == [47, 27, 10, 3, 2, 0, 0, 0]
    assert stages[4]["investment"] == 138  # 120 + 18
    assert stages[4]["conversion"] == Decimal("0.6667")
    ok("move", "1", "capacity", "--date", "2020-08-11")
    assert reached(funnel()) == [47, 27, 10, 3, 2, 1, 1, 1]
    assert funnel()[7]["conversion"] == 1


def test_dropped_projects_leave_the_funnel(db: Path) -> None:
    ok("drop", "7", "--reason", "外迁")
    stages = funnel()
    assert reached(stages) == [46, 25, 9, 2, 0, 0, 0, 0]
    assert stages[1]["investment"] == Decimal("359.7")


def test_filters_choose_the_projects(db: Path) -> None:
    assert reached(funnel("--sector", "biomed")) == [14, 8, 3, 1, 0, 0, 0, 0]
    assert reached(funnel("--key")) == [6, 6, 0, 0, 0, 0, 0, 0]


def test_an_empty_pipeline_has_no_conversions(empty_db: Path) -> None:
    stages = funnel()
    assert reached(stages) == [0] * 8
    assert [s["conversion"] for s in stages] == [None] * 8


def test_tsv_csv_and_jsonl_are_one_row_per_stage(db: Path) -> None:
    tsv = ok("funnel").stdout.splitlines()  # tsv in a pipe
    assert tsv[:3] == ["stage\treached\tinvestment\tconversion", "negotiating\t47\t871\t", "signed\t26\t389.7\t0.5532"]
    assert len(tsv) == 9
    rows = list(csv.DictReader(io.StringIO(ok("funnel", "-f", "csv").stdout)))
    assert [int(r["reached"]) for r in rows] == [47, 26, 9, 2, 0, 0, 0, 0]
    assert [r["conversion"] for r in rows] == ["", "0.5532", "0.3462", "0.2222", "0", "", "", ""]
    lines = [json.loads(line) for line in ok("funnel", "-f", "jsonl").stdout.splitlines()]
    assert lines[3] == {"stage": "landed", "reached": 2, "investment": 23.5, "conversion": 0.2222}


def test_the_table_draws_bars_and_markdown_shows_percentages(db: Path) -> None:
    table = ok("funnel", "--format", "table").stdout
    bars = [line for line in table.splitlines() if "█" in line]
    assert len(bars) == 4  # the four stages any project reached
    assert bars[0].count("█") > bars[1].count("█") > bars[2].count("█") > bars[3].count("█")
    assert "55.3%" in table
    markdown = ok("funnel", "--format", "markdown", "--lang", "zh").stdout.splitlines()
    assert markdown[0] == "| 阶段 | 达到及以上 | 计划投资(亿元) | 转化率 |"
    assert markdown[2] == "| 在谈 | 47 | 871 |  |"
    assert markdown[3] == "| 签约 | 26 | 389.7 | 55.3% |"
