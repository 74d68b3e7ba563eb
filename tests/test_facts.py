"""The seeded database reproduces every figure of the source report (FACTS.md).

Everything is read back through the CLI's JSON output, never from the CSV
fixture, and amounts are summed exactly as Decimals parsed from the JSON text.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import PROJECT_FIELDS, REPORT_DATE, Result

Cli = Callable[..., Result]

CONTRACT_FIELDS = PROJECT_FIELDS

# Qingdao's seven districts and three county-level cities; 西海岸新区 is the
# common name of 黄岛区.
QINGDAO_DISTRICTS = {
    "市南区",
    "市北区",
    "李沧区",
    "崂山区",
    "城阳区",
    "黄岛区",
    "西海岸新区",
    "即墨区",
    "胶州市",
    "平度市",
    "莱西市",
}


def json_out(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


@pytest.fixture
def projects(db: Path, cli: Cli) -> list[dict[str, Any]]:
    return json_out(cli, "list", "--all")  # type: ignore[no-any-return]


def total(projects: list[dict[str, Any]]) -> Decimal:
    assert all(p["investment"] is not None for p in projects)
    return sum((Decimal(p["investment"]) for p in projects), Decimal(0))


def test_47_projects(projects: list[dict[str, Any]], cli: Cli) -> None:
    assert len(projects) == 47
    assert len({p["id"] for p in projects}) == 47
    # None of them is dropped: the default listing shows the same 47.
    assert [p["id"] for p in json_out(cli, "list")] == [p["id"] for p in projects]
    assert {p["status"] for p in projects} == {"active"}


def test_every_project_has_exactly_the_contract_fields(projects: list[dict[str, Any]]) -> None:
    for project in projects:
        assert list(project) == CONTRACT_FIELDS


def test_by_sector_15_14_8_8_1_1(projects: list[dict[str, Any]], cli: Cli) -> None:
    expected = {"it": 15, "biomed": 14, "transport": 8, "smart-mfg": 8, "textile": 1, "food": 1}
    assert Counter(p["sector"] for p in projects) == expected
    # The same through the --sector filter, by slug and by Chinese name.
    for sector in json_out(cli, "sectors"):
        by_slug = json_out(cli, "list", "--sector", sector["sector"])
        by_name = json_out(cli, "list", "--sector", sector["name_zh"])
        assert len(by_slug) == expected[sector["sector"]]
        assert by_name == by_slug


def test_by_stage_21_17_7_2(projects: list[dict[str, Any]], cli: Cli) -> None:
    expected = {"negotiating": 21, "signed": 17, "preliminary": 7, "landed": 2}
    assert Counter(p["stage"] for p in projects) == expected
    for stage, count in expected.items():
        assert len(json_out(cli, "list", "--stage", stage)) == count
    for stage in ("construction", "completed", "production", "capacity"):
        assert json_out(cli, "list", "--stage", stage) == []


def test_871_yi_in_all_summed_exactly(db: Path, cli: Cli) -> None:
    result = cli("list", "--all", "--format", "json")
    projects = json.loads(result.stdout, parse_float=Decimal)
    # Amounts arrive as exact decimals or integers, never as binary floats.
    assert all(isinstance(p["investment"], (int, Decimal)) for p in projects)
    assert total(projects) == Decimal(871)


def test_per_sector_totals_add_up_to_871(db: Path, cli: Cli) -> None:
    totals = [total(json_out(cli, "list", "--sector", s["sector"])) for s in json_out(cli, "sectors")]
    assert sum(totals, Decimal(0)) == Decimal(871)


def test_6_projects_of_50_yi_or_more(projects: list[dict[str, Any]], cli: Cli) -> None:
    large = json_out(cli, "list", "--min-investment", "50")
    assert len(large) == 6
    assert all(Decimal(p["investment"]) >= 50 for p in large)
    # Inclusive, and no other project reaches 50.
    assert {p["id"] for p in large} == {p["id"] for p in projects if Decimal(p["investment"]) >= 50}
    assert len(json_out(cli, "list", "--min-investment", "50.0001")) == 6 - sum(
        1 for p in projects if Decimal(p["investment"]) == 50
    )


def test_6_key_projects_signed_totalling_120_with_donghua_kunpeng(db: Path, cli: Cli) -> None:
    key_signed = json_out(cli, "list", "--key", "--stage", "signed")
    assert len(key_signed) == 6
    assert all(p["key"] is True and p["stage"] == "signed" for p in key_signed)
    assert total(key_signed) == Decimal(120)
    kunpeng = [p for p in key_signed if p["name"] == "东华鲲鹏"]
    assert len(kunpeng) == 1
    assert kunpeng[0]["source"] == "report"


def test_donghua_kunpeng_is_the_only_report_record(projects: list[dict[str, Any]]) -> None:
    assert [p["name"] for p in projects if p["source"] == "report"] == ["东华鲲鹏"]
    others = [p for p in projects if p["name"] != "东华鲲鹏"]
    assert len(others) == 46
    assert {p["source"] for p in others} == {"illustrative"}


def test_illustrative_records_look_illustrative(projects: list[dict[str, Any]]) -> None:
    for project in projects:
        if project["source"] == "illustrative":
            # Descriptive names (…项目), not company names.
            assert project["name"].endswith("项目"), project["name"]
        assert project["district"] in QINGDAO_DISTRICTS, project
        assert Decimal(0) < Decimal(project["investment"]) <= Decimal(871)
    assert len({p["name"] for p in projects}) == 47


def test_no_stage_since_after_the_report(projects: list[dict[str, Any]]) -> None:
    for project in projects:
        assert project["stage_since"] <= REPORT_DATE, project
        assert project["days_in_stage"] >= 0


def test_each_project_has_exactly_one_created_event(projects: list[dict[str, Any]], cli: Cli) -> None:
    for project in projects:
        shown = json_out(cli, "show", str(project["id"]))
        history = shown.pop("history")
        assert shown.pop("problems") == []
        assert shown.pop("plans") == []
        assert shown == project
        created = [event for event in history if event["kind"] == "created"]
        assert len(created) == 1, project["id"]
        assert len(history) == 1
        event = created[0]
        assert event["project_id"] == project["id"]
        # It records the stage the project starts at and the day it entered it.
        assert event["to"] == project["stage"]
        assert event["date"] == project["stage_since"]
