"""Sectors are the database's own: `sectors add|edit|remove`, resolution, labels, order, completion.

Every refusal leaves the database byte for byte as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result, file_hash

Cli = Callable[..., Result]
SEED_SECTORS = ["it", "biomed", "transport", "smart-mfg", "textile", "food"]


def json_out(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def slugs(cli: Cli) -> list[str]:
    return [s["sector"] for s in json_out(cli, "sectors")]


def refused(cli: Cli, db: Path, code: int, *args: str) -> Result:
    before = file_hash(db)
    result = cli(*args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "hint: " in result.stderr
    assert "Traceback" not in result.stderr
    assert file_hash(db) == before
    return result


# --- add -------------------------------------------------------------------------


def test_add_puts_a_sector_last_and_every_command_takes_it(db: Path, cli: Cli) -> None:
    result = cli("sectors", "add", "new-materials", "--zh", "新材料", "--en", "new materials")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "added sector new-materials 新材料 (position 7)\n"
    assert json_out(cli, "sectors")[-1] == {
        "sector": "new-materials",
        "name_zh": "新材料",
        "name_en": "new materials",
        "position": 7,
    }
    added = cli("add", "石墨烯项目", "--sector", "新材料", "--investment", "3")
    assert added.exit_code == 0, added.stderr
    assert [p["name"] for p in json_out(cli, "list", "--sector", "new")] == ["石墨烯项目"]
    assert [p["name"] for p in json_out(cli, "list", "--sector", "新材")] == ["石墨烯项目"]
    edited = cli("edit", "1", "--sector", "new-materials")
    assert edited.exit_code == 0, edited.stderr
    summary = json_out(cli, "summary", "--by", "sector")
    assert [g["sector"] for g in summary["groups"]] == [*SEED_SECTORS, "new-materials"]
    assert summary["groups"][-1]["count"] == 2
    assert cli("check").exit_code == 0


def test_add_json_prints_the_sector_object(db: Path, cli: Cli) -> None:
    record = json_out(cli, "sectors", "add", "chain", "--zh", "产业链")
    assert record == {"sector": "chain", "name_zh": "产业链", "name_en": "", "position": 7}


def test_labels_in_tables_and_markdown_come_from_the_database(db: Path, cli: Cli) -> None:
    cli("sectors", "add", "new-materials", "--zh", "新材料")
    cli("add", "石墨烯项目", "--sector", "new-materials")
    table = cli("list", "--sector", "new-materials", "--format", "table")
    assert "new-materials 新材料" in table.stdout
    markdown = cli("list", "--sector", "new-materials", "--format", "markdown", "--lang", "zh")
    assert "| 新材料 |" in markdown.stdout
    cli("sectors", "edit", "biomed", "--zh", "生物医药与健康")
    assert "biomed 生物医药与健康" in cli("list", "--sector", "biomed", "--format", "table").stdout
    assert "生物医药与健康" in cli("summary", "--by", "sector", "--format", "markdown").stdout


@pytest.mark.parametrize("slug", ["2x", "New", "a_b", "新材料", "ä", "a b", "x!", ""])
def test_add_refuses_a_bad_slug(db: Path, cli: Cli, slug: str) -> None:
    result = refused(cli, db, 2, "sectors", "add", slug, "--zh", "新材料")
    assert "lowercase ASCII letters, digits and -" in result.stderr


def test_add_refuses_an_empty_chinese_name(db: Path, cli: Cli) -> None:
    refused(cli, db, 2, "sectors", "add", "x", "--zh", "  ")


def test_add_refuses_a_slug_or_chinese_name_in_use(db: Path, cli: Cli) -> None:
    assert "'biomed' already exists" in refused(cli, db, 4, "sectors", "add", "biomed", "--zh", "新").stderr
    taken = refused(cli, db, 4, "sectors", "add", "health", "--zh", "生物医药")
    assert "already sector 'biomed'" in taken.stderr
    assert slugs(cli) == SEED_SECTORS


# --- edit ------------------------------------------------------------------------


def test_edit_reorders_and_every_order_follows(db: Path, cli: Cli) -> None:
    result = cli("sectors", "edit", "food", "--position", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "sector food: position 6 → 1\n"
    assert slugs(cli) == ["food", *SEED_SECTORS[:-1]]
    assert [s["position"] for s in json_out(cli, "sectors")] == [1, 2, 3, 4, 5, 6]
    summary = json_out(cli, "summary", "--by", "sector")
    assert summary["groups"][0]["sector"] == "food"
    listed = json_out(cli, "list", "--sort", "sector")
    assert listed[0]["sector"] == "food"
    cli("sectors", "edit", "food", "--position", "6")
    assert slugs(cli) == SEED_SECTORS


def test_edit_renames_and_the_new_name_resolves(db: Path, cli: Cli) -> None:
    result = cli("sectors", "edit", "交通", "--zh", "轨道交通装备", "--en", "rail transport equipment")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "sector transport: 中文 交通装备 → 轨道交通装备; English transport equipment → rail transport equipment\n"
    )
    assert len(json_out(cli, "list", "--sector", "轨道")) == 8
    refused(cli, db, 2, "list", "--sector", "交通装备")


def test_edit_refusals(db: Path, cli: Cli) -> None:
    refused(cli, db, 2, "sectors", "edit", "biomed")
    refused(cli, db, 2, "sectors", "edit", "biomed", "--position", "0")
    refused(cli, db, 2, "sectors", "edit", "biomed", "--position", "7")
    refused(cli, db, 2, "sectors", "edit", "nosuch", "--zh", "新")
    refused(cli, db, 2, "sectors", "edit", "biomed", "--zh", "")
    refused(cli, db, 4, "sectors", "edit", "biomed", "--zh", "食品饮料")


# --- remove ----------------------------------------------------------------------


def test_remove_refuses_while_a_project_has_it_dropped_ones_too(db: Path, cli: Cli) -> None:
    result = refused(cli, db, 4, "sectors", "remove", "textile")
    assert "still has 1 project" in result.stderr
    cli("sectors", "add", "chain", "--zh", "产业链")
    cli("add", "链主项目", "--sector", "chain")
    cli("drop", "48", "--reason", "悔单")
    assert "still has 1 project" in refused(cli, db, 4, "sectors", "remove", "chain").stderr


def test_remove_takes_an_unused_sector_and_closes_ranks(db: Path, cli: Cli) -> None:
    cli("sectors", "add", "chain", "--zh", "产业链")
    cli("sectors", "edit", "chain", "--position", "2")
    result = cli("sectors", "remove", "chain")
    assert (result.exit_code, result.stdout) == (0, "removed sector chain 产业链\n")
    assert slugs(cli) == SEED_SECTORS
    assert [s["position"] for s in json_out(cli, "sectors")] == [1, 2, 3, 4, 5, 6]
    refused(cli, db, 2, "add", "x", "--sector", "chain")
    assert cli("check").exit_code == 0


def test_sector_changes_are_not_history(db: Path, cli: Cli) -> None:
    events = len(json_out(cli, "history"))
    cli("sectors", "add", "chain", "--zh", "产业链")
    cli("sectors", "edit", "chain", "--en", "industrial chain")
    cli("sectors", "remove", "chain")
    assert len(json_out(cli, "history")) == events
    # ... and undo has nothing of theirs to revert.
    assert cli("undo", "--yes").exit_code == 4


# --- resolution ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slug"),
    [("交通", "transport"), ("生物", "biomed"), ("bio", "biomed"), ("SMART", "smart-mfg"), ("食品饮料", "food")],
)
def test_a_sector_resolves_by_slug_chinese_name_or_a_prefix_of_either(
    db: Path, cli: Cli, typed: str, slug: str
) -> None:
    assert {p["sector"] for p in json_out(cli, "list", "--sector", typed)} == {slug}


@pytest.mark.parametrize(
    ("typed", "slug"), [("签", "signed"), ("开工", "construction"), ("竣", "completed"), ("达", "capacity")]
)
def test_a_stage_resolves_by_a_prefix_of_its_chinese_name(db: Path, cli: Cli, typed: str, slug: str) -> None:
    moved = json_out(cli, "move", "1", typed)
    assert moved[0]["stage"] == slug


def test_an_ambiguous_chinese_prefix_is_a_usage_error_listing_both(db: Path, cli: Cli) -> None:
    cli("sectors", "add", "new-energy", "--zh", "新能源")
    result = refused(cli, db, 2, "list", "--sector", "新")
    assert "could be it or new-energy" in result.stderr
    assert "valid sectors: it, biomed, transport, smart-mfg, textile, food, new-energy" in result.stderr


def test_an_unknown_sector_lists_the_database_choices_and_the_closest(db: Path, cli: Cli) -> None:
    cli("sectors", "add", "new-materials", "--zh", "新材料")
    result = refused(cli, db, 2, "add", "x", "--sector", "materials")
    assert "did you mean 'new-materials'?" in result.stderr
    assert "new-materials" in result.stderr.splitlines()[-1]


def test_import_takes_a_new_sector(db: Path, cli: Cli, tmp_path: Path) -> None:
    cli("sectors", "add", "new-materials", "--zh", "新材料")
    file = tmp_path / "new.csv"
    file.write_text("name,sector,investment\n石墨烯项目,新材料,2\n碳纤维项目,new-materials,3\n", encoding="utf-8")
    result = cli("import", str(file))
    assert result.exit_code == 0, result.stderr
    assert len(json_out(cli, "list", "--sector", "new-materials")) == 2


# --- a real shell ------------------------------------------------------------------


def test_sectors_in_a_real_shell(db: Path, sh: Callable[..., Result]) -> None:
    added = sh("sectors", "add", "new-materials", "--zh", "新材料")
    assert (added.exit_code, added.stdout, added.stderr) == (0, "added sector new-materials 新材料 (position 7)\n", "")
    bad = sh("sectors", "add", "New", "--zh", "新")
    assert (bad.exit_code, bad.stdout) == (2, "")
    before = file_hash(db)
    taken = sh("sectors", "add", "new-materials", "--zh", "新")
    assert (taken.exit_code, taken.stdout) == (4, "")
    in_use = sh("sectors", "remove", "biomed")
    assert (in_use.exit_code, in_use.stdout) == (4, "")
    assert file_hash(db) == before
    moved = sh("sectors", "edit", "新材", "--position", "1")
    assert (moved.exit_code, moved.stdout) == (0, "sector new-materials: position 7 → 1\n")
    listed = sh("list", "--sector", "交通", "--format", "csv")
    assert listed.exit_code == 0
    assert len(listed.stdout.splitlines()) == 9
    removed = sh("sectors", "remove", "new-materials")
    assert (removed.exit_code, removed.stdout) == (0, "removed sector new-materials 新材料\n")
