"""rank (比学赶超): 开工率 and the contract's keys, ranked by start rate, then signed, then fewer overdue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import connected, file_hash, run_cli, run_sh

KEYS = [
    "district",
    "rank",
    "projects",
    "investment",
    "signed",
    "started",
    "start_rate",
    "overdue",
    "problems_open",
    "problems_overdue",
    "red",
]


def ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result.stdout


def rank(*args: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(ok("rank", "--format", "json", *args))
    return body


def add(name: str, stage: str, district: str | None, investment: str = "1") -> None:
    args = ["add", name, "--sector", "it", "--stage", stage, "--investment", investment]
    if district is not None:
        args += ["--district", district]
    ok(*args)


@pytest.fixture
def league(empty_db: Path) -> Path:
    add("a1", "construction", "A")  # 1
    add("a2", "signed", "A")  # 2
    add("b1", "completed", "B")  # 3
    add("b2", "landed", "B")  # 4
    add("c1", "signed", "C")  # 5
    add("d1", "negotiating", "D")  # 6
    add("n1", "negotiating", None)  # 7
    for index, stage in enumerate(["production", "construction", "signed", "preliminary"]):
        add(f"e{index}", stage, "E", "2.5")  # 8-11
    add("x1", "construction", "X")  # 12, dropped: not counted
    ok("drop", "12", "--reason", "退单")
    return empty_db


def test_ranked_by_rate_then_signed_then_fewer_overdue(league: Path) -> None:
    body = rank()
    assert body["by"] == "district"
    assert [list(g) for g in body["groups"]] == [KEYS] * 6
    table = [(g["district"], g["rank"], g["signed"], g["started"], g["start_rate"]) for g in body["groups"]]
    # E: 4 signed, 2 started beats A and B (1 of 2 each: the same rate, fewer signed);
    # A and B tie (1, 2, 2 → the next is 4); D and no district have nothing signed: last, tied.
    assert table == [
        ("E", 1, 4, 2, 0.5),
        ("A", 2, 2, 1, 0.5),
        ("B", 2, 2, 1, 0.5),
        ("C", 4, 1, 0, 0),
        ("D", 5, 0, 0, None),
        (None, 5, 0, 0, None),
    ]
    e = body["groups"][0]
    assert (e["projects"], e["investment"]) == (4, 10)


def test_fewer_overdue_breaks_a_tie_and_problems_are_counted(league: Path) -> None:
    with connected(league) as conn:
        # a2 (signed) was planned to start construction on 2020-08-01: overdue.
        conn.execute("INSERT INTO plans (project_id, stage, date) VALUES (2, 'construction', '2020-08-01')")
        # b2's plan is in the future: not overdue.
        conn.execute("INSERT INTO plans (project_id, stage, date) VALUES (4, 'construction', '2020-09-01')")
    ok("problem", "add", "1", "用地", "--due", "2020-08-10")
    ok("problem", "add", "1", "环评", "--due", "2020-08-30")
    ok("problem", "add", "3", "资金")
    ok("problem", "close", "3")
    groups = {g["district"]: g for g in rank()["groups"]}
    assert [(d, groups[d]["rank"]) for d in ("E", "B", "A")] == [("E", 1), ("B", 2), ("A", 3)]
    assert (groups["A"]["overdue"], groups["B"]["overdue"]) == (1, 0)
    assert (groups["A"]["problems_open"], groups["A"]["problems_overdue"]) == (2, 1)
    assert (groups["B"]["problems_open"], groups["B"]["problems_overdue"]) == (0, 0)


def test_red_counts_the_red_lights(db: Path) -> None:
    lights = json.loads(ok("lights", "--only", "red", "--format", "json"))
    groups = rank()["groups"]
    assert sum(g["red"] for g in groups) == len(lights)
    assert sum(g["projects"] for g in groups) == len(json.loads(ok("list", "--format", "json")))


@pytest.mark.parametrize("by", ["unit", "lead", "sector"])
def test_other_groupings(db: Path, by: str) -> None:
    body = rank("--by", by)
    assert body["by"] == by
    assert all(next(iter(g)) == by for g in body["groups"])
    assert sum(g["projects"] for g in body["groups"]) == 47
    ranks = [g["rank"] for g in body["groups"]]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_by_prefix_and_filters(league: Path) -> None:
    assert rank("--by", "sec")["by"] == "sector"
    assert [g["district"] for g in rank("--district", "A")["groups"]] == ["A"]


def test_empty(empty_db: Path) -> None:
    assert rank() == {"by": "district", "groups": []}


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_delimited(league: Path, fmt: str) -> None:
    lines = ok("rank", "--format", fmt).splitlines()
    sep = "," if fmt == "csv" else "\t"
    assert lines[0].split(sep) == KEYS
    assert lines[1].split(sep) == ["E", "1", "4", "10", "4", "2", "0.5", "0", "0", "0", "0"]
    assert lines[-1].split(sep)[:2] == ["", "5"]  # no district: empty
    assert lines[-1].split(sep)[6] == ""  # null rate: empty


def test_table_marks_top_and_bottom(league: Path) -> None:
    table = ok("rank", "--format", "table")
    rows = [line for line in table.splitlines() if "▲" in line or "▼" in line]
    assert [line.split()[0] for line in rows] == ["▲", "▲", "▲", "▼", "▼"]
    assert "Start rate" in table and "50.0%" in table and "—" in table
    zh = ok("rank", "--format", "markdown", "--lang", "zh")
    assert "开工率" in zh and "(未填)" in zh and "| ▲ | 1 | E |" in zh


def test_text_html_xlsx(league: Path, tmp_path: Path) -> None:
    assert "E" in ok("rank", "--format", "text")
    page = ok("rank", "--format", "html")
    assert page.lstrip().lower().startswith("<!doctype html")
    target = tmp_path / "rank.xlsx"
    ok("rank", "--format", "xlsx", "-o", str(target))
    assert target.read_bytes()[:2] == b"PK"


def test_refusal(db: Path) -> None:
    before = file_hash(db)
    result = run_cli("rank", "--by", "stage")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "cannot rank by 'stage'" in result.stderr
    assert file_hash(db) == before
    result = run_cli("rank", "--by", "stage", "--lang", "zh")
    assert "不能按“stage”排名" in result.stderr


def test_the_installed_command(db: Path) -> None:
    result = run_sh("rank", "--by", "sector")
    assert result.exit_code == 0
    header, first, *_ = result.stdout.splitlines()
    assert header.split("\t")[:2] == ["sector", "rank"]
    assert first.split("\t")[1] == "1"
    refused = run_sh("rank", "--by", "nope")
    assert (refused.exit_code, refused.stdout) == (2, "")
