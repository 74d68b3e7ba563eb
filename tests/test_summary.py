"""summary: counts and exact totals per group, cross-tables that add up, every format.

Seeded facts (FACTS.md): 47 projects, 871 亿元; by sector 15 / 14 / 8 / 8 / 1 / 1;
by stage 21 negotiating, 17 signed, 7 preliminary, 2 landed; 6 key projects
signed with 120 亿元; 6 projects of 50 亿元 or more.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builders import build_mixed
from conftest import Result, file_hash, run_cli

SECTOR_ORDER = ["it", "biomed", "transport", "smart-mfg", "textile", "food"]
STAGE_ORDER = ["negotiating", "signed", "preliminary", "landed"]


def ok(*args: str) -> Result:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def summary(*args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok("summary", *args, "--format", "json").stdout, parse_float=Decimal)
    return data


def counts(data: dict[str, Any], field: str) -> list[tuple[Any, int]]:
    return [(group[field], group["count"]) for group in data["groups"]]


# --- the report's figures ----------------------------------------------------------


def test_without_by_it_gives_the_grand_total_only(db: Path) -> None:
    assert summary() == {"by": [], "groups": [], "total": {"count": 47, "investment": 871}}


def test_by_sector_gives_the_reports_figures_in_sector_order(db: Path) -> None:
    data = summary("--by", "sector")
    assert data["by"] == ["sector"]
    assert counts(data, "sector") == list(zip(SECTOR_ORDER, [15, 14, 8, 8, 1, 1], strict=True))
    assert [g["investment"] for g in data["groups"]] == [
        Decimal("331.8"),
        Decimal("176.6"),
        260,
        Decimal("94.9"),
        Decimal("3.5"),
        Decimal("4.2"),
    ]
    assert data["total"] == {"count": 47, "investment": 871}
    assert sum(g["investment"] for g in data["groups"]) == 871


def test_by_stage_follows_the_ladder_not_the_alphabet(db: Path) -> None:
    data = summary("--by", "stage")
    assert counts(data, "stage") == list(zip(STAGE_ORDER, [21, 17, 7, 2], strict=True))


def test_key_projects_signed_are_six_with_120_yi(db: Path) -> None:
    assert summary("--key", "--stage", "signed")["total"] == {"count": 6, "investment": 120}


def test_projects_of_50_yi_or_more_are_six(db: Path) -> None:
    assert summary("--min-investment", "50")["total"]["count"] == 6


def test_by_key_puts_key_projects_first(db: Path) -> None:
    data = summary("--by", "key")
    assert counts(data, "key") == [(True, 6), (False, 41)]


def test_filters_narrow_the_groups(db: Path) -> None:
    data = summary("--by", "stage", "--sector", "biomed")
    assert counts(data, "stage") == [("negotiating", 6), ("signed", 5), ("preliminary", 2), ("landed", 1)]
    assert data["total"]["count"] == 14


def test_a_field_prefix_is_accepted(db: Path) -> None:
    assert summary("--by", "sec") == summary("--by", "sector")


# --- cross-tables ----------------------------------------------------------------------


def test_two_by_fields_give_long_rows_that_add_up_to_each_one_way_summary(db: Path) -> None:
    cross = summary("--by", "sector", "--by", "stage")
    assert cross["by"] == ["sector", "stage"]
    assert cross["total"] == {"count": 47, "investment": 871}
    assert sum(g["count"] for g in cross["groups"]) == 47
    assert sum(g["investment"] for g in cross["groups"]) == 871
    for field in ("sector", "stage"):
        one_way = {g[field]: (g["count"], g["investment"]) for g in summary("--by", field)["groups"]}
        added: dict[str, list[Any]] = {}
        for group in cross["groups"]:
            entry = added.setdefault(group[field], [0, Decimal(0)])
            entry[0] += group["count"]
            entry[1] += group["investment"]
        assert {k: (v[0], v[1]) for k, v in added.items()} == one_way
    # Rows in sector order, and within a sector in ladder order.
    keys = [(SECTOR_ORDER.index(g["sector"]), STAGE_ORDER.index(g["stage"])) for g in cross["groups"]]
    assert keys == sorted(keys)


def markdown_rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_the_markdown_cross_table_is_a_matrix_whose_edges_are_the_totals(db: Path) -> None:
    rows = markdown_rows(ok("summary", "--by", "sector", "--by", "stage", "--format", "markdown").stdout)
    header, rule, body, total = rows[0], rows[1], rows[2:-1], rows[-1]
    assert header[1:] == ["negotiating 在谈", "signed 签约", "preliminary 前期", "landed 落地", "Total"]
    assert rule == ["---", "---:", "---:", "---:", "---:", "---:"]
    assert [row[0] for row in body] == [
        "it 新一代信息技术",
        "biomed 生物医药",
        "transport 交通装备",
        "smart-mfg 智能制造装备",
        "textile 纺织服装",
        "food 食品饮料",
    ]

    def count(cell: str) -> int:
        cell = cell.strip("*")
        return 0 if cell == "·" else int(cell.split(" / ")[0])

    def amount(cell: str) -> Decimal:
        cell = cell.strip("*")
        return Decimal(0) if cell == "·" else Decimal(cell.split(" / ")[1])

    for row in body:  # each row's last cell is the sum of its cells
        assert count(row[-1]) == sum(count(c) for c in row[1:-1])
        assert amount(row[-1]) == sum(amount(c) for c in row[1:-1])
    assert [count(c) for c in total[1:-1]] == [21, 17, 7, 2]
    for column in range(1, len(header)):  # each column's total is the sum of the column
        assert count(total[column]) == sum(count(row[column]) for row in body)
        assert amount(total[column]) == sum(amount(row[column]) for row in body)
    assert total[-1] == "**47 / 871**"
    assert [count(row[-1]) for row in body] == [15, 14, 8, 8, 1, 1]


def test_the_table_cross_table_shows_the_grand_total(db: Path) -> None:
    text = ok("summary", "--by", "stage", "--by", "key", "--format", "table").stdout
    assert "47 / 871" in text
    assert "6 / 120" in text  # key projects, all signed


# --- status, districts, unknown amounts, exact sums ------------------------------


def test_by_status_counts_dropped_projects_too(db: Path) -> None:
    ok("drop", "3", "--reason", "投资方撤回")
    assert counts(summary("--by", "status"), "status") == [("active", 46), ("dropped", 1)]
    assert summary()["total"] == {"count": 46, "investment": 868}
    assert counts(summary("--by", "status", "--status", "active"), "status") == [("active", 46)]


def test_by_district_is_by_name_with_the_empty_district_last(blank: Path) -> None:
    build_mixed(blank)
    data = summary("--by", "district", "--all")
    districts = [g["district"] for g in data["groups"]]
    assert districts[-1] is None
    named = districts[:-1]
    assert named == sorted(named)
    assert data["total"]["count"] == 52


def test_an_unknown_amount_counts_but_adds_nothing(blank: Path) -> None:
    build_mixed(blank)
    # 降解率100%新材料项目 (textile, signed) has no amount; the seed's textile project has 3.5.
    data = summary("--by", "sector", "--sector", "textile")
    assert data["groups"] == [{"sector": "textile", "count": 2, "investment": Decimal("3.5")}]


def test_sums_are_exact_to_the_last_wan(empty_db: Path) -> None:
    for sector, amount in (("food", "0.1"), ("food", "0.2"), ("it", "1234.9999"), ("it", "0.0001")):
        ok("add", f"项目{amount}", "--sector", sector, "--investment", amount)
    text = ok("summary", "--by", "sector", "--format", "json").stdout
    assert '"investment": 0.3}' in text.replace("\n", "").replace("  ", "")  # not 0.30000000000000004
    data = summary("--by", "sector")
    assert [(g["sector"], g["investment"]) for g in data["groups"]] == [("it", 1235), ("food", Decimal("0.3"))]
    assert data["total"] == {"count": 4, "investment": Decimal("1235.3")}


def test_an_empty_database_sums_to_zero(empty_db: Path) -> None:
    assert summary("--by", "sector") == {"by": ["sector"], "groups": [], "total": {"count": 0, "investment": 0}}


# --- formats ---------------------------------------------------------------------------


def test_tsv_is_the_default_in_a_pipe_with_one_row_per_group(db: Path) -> None:
    text = ok("summary", "--by", "sector").stdout
    assert text.splitlines()[:2] == ["sector\tcount\tinvestment", "it\t15\t331.8"]
    assert len(text.splitlines()) == 7


def test_csv_without_header_and_without_by(db: Path) -> None:
    assert ok("summary", "--format", "csv").stdout == "count,investment\n47,871\n"
    assert ok("summary", "--format", "csv", "--no-header").stdout == "47,871\n"


def test_csv_cross_table_is_long_rows(db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ok("summary", "--by", "stage", "--by", "sector", "-f", "csv").stdout)))
    assert list(rows[0]) == ["stage", "sector", "count", "investment"]
    assert sum(int(r["count"]) for r in rows) == 47
    assert sum(Decimal(r["investment"]) for r in rows) == 871


def test_jsonl_is_one_group_per_line(db: Path) -> None:
    lines = [json.loads(line) for line in ok("summary", "--by", "stage", "-f", "jsonl").stdout.splitlines()]
    assert lines[0] == {"stage": "negotiating", "count": 21, "investment": 481.3}
    assert len(lines) == 4


def test_table_and_markdown_carry_labels_and_a_total(db: Path) -> None:
    table = ok("summary", "--by", "sector", "--format", "table").stdout
    assert "it 新一代信息技术" in table
    assert "Total" in table
    markdown = markdown_rows(ok("summary", "--by", "sector", "--format", "markdown", "--lang", "zh").stdout)
    assert markdown[0] == ["产业领域", "项目数", "计划投资(亿元)"]
    assert markdown[2] == ["新一代信息技术", "15", "331.8"]
    assert markdown[-1] == ["**合计**", "**47**", "**871**"]


def test_key_groups_are_labelled_in_words(db: Path) -> None:
    rows = markdown_rows(ok("summary", "--by", "key", "--format", "markdown").stdout)
    assert [row[0] for row in rows[2:]] == ["key", "other", "**Total**"]


# --- refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "colour"], "cannot summarise by 'colour'"),
        (["--by", "s"], "cannot summarise by 's'"),  # sector, stage or status
        (["--by", "sector", "--by", "sector"], "--by sector is given twice"),
        (["--by", "sector", "--by", "stage", "--by", "key"], "at most two"),
        (["--sector", "nope"], "unknown sector 'nope'"),
        (["--min-investment", "-1"], "negative"),
    ],
)
def test_refusals_exit_2_with_a_message_and_nothing_on_stdout(db: Path, args: list[str], message: str) -> None:
    before = file_hash(db)
    result = run_cli("summary", *args, "--format", "json")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("error: ")
    assert result.stdout == ""
    assert file_hash(db) == before
