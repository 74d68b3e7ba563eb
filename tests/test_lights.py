"""lights and `stages set`: warning lights from days in stage and each stage's thresholds.

Default thresholds (yellow / red days): negotiating 90 / 180, signed 60 / 90,
preliminary 90 / 180, landed 60 / 120, construction 365 / 540, completed 90 / 180,
production 180 / 365, capacity none. On 2020-08-18 the seed has 19 red, 11
yellow and 17 green lights. 东华鲲鹏 (id 7) is signed since 2020-04-28.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from builders import build_mixed
from conftest import Result, file_hash, run_cli

RANK = {"red": 0, "yellow": 1, "green": 2}


def ok(*args: str) -> Result:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def lights(*args: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(ok("lights", *args, "--format", "json").stdout)
    return data


def colours(projects: list[dict[str, Any]]) -> dict[str, int]:
    found: dict[str, int] = {}
    for project in projects:
        found[project["light"]] = found.get(project["light"], 0) + 1
    return found


def light_of(project_id: int) -> str | None:
    shown = json.loads(ok("show", str(project_id), "--format", "json").stdout)
    light: str | None = shown["light"]
    return light


# --- which lights, in what order -----------------------------------------------------


def test_every_active_project_below_the_last_rung_reddest_and_longest_waiting_first(db: Path) -> None:
    projects = lights()
    assert len(projects) == 47
    assert colours(projects) == {"red": 19, "yellow": 11, "green": 17}
    keys = [(RANK[p["light"]], -p["days_in_stage"], p["id"]) for p in projects]
    assert keys == sorted(keys)
    assert projects[0]["id"] == 39  # negotiating since 2019-07-15, 400 days
    assert projects[-1]["id"] == 40  # negotiating since 2020-08-14, 4 days


def test_lights_are_the_same_project_objects_list_prints(db: Path) -> None:
    listed = {p["id"]: p for p in json.loads(ok("list", "--format", "json").stdout)}
    for project in lights():
        assert project == listed[project["id"]]


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "json"])
def test_every_machine_format_gives_the_text_list_gives(blank: Path, fmt: str) -> None:
    build_mixed(blank)  # an unknown amount, 1 万元, quotes, tabs and line breaks in text
    listed = ok("list", "--all", "--format", fmt).stdout
    shown = ok("lights", "--format", fmt).stdout
    if fmt in ("json", "jsonl"):
        if fmt == "json":
            listed_items = [json.dumps(p, ensure_ascii=False) for p in json.loads(listed)]
            shown_items = [json.dumps(p, ensure_ascii=False) for p in json.loads(shown)]
            assert shown.startswith("[\n  {")
        else:
            listed_items, shown_items = listed.splitlines(), shown.splitlines()
        expected = [item for item in listed_items if json.loads(item)["light"] is not None]
    else:
        delimiter = "," if fmt == "csv" else "\t"
        listed_rows = list(csv.reader(io.StringIO(listed), delimiter=delimiter))
        shown_rows = list(csv.reader(io.StringIO(shown), delimiter=delimiter))
        assert shown_rows[0] == listed_rows[0]
        listed_items = ["\x00".join(row) for row in listed_rows[1:]]
        shown_items = ["\x00".join(row) for row in shown_rows[1:]]
        light = listed_rows[0].index("light")
        expected = [item for item, row in zip(listed_items, listed_rows[1:], strict=True) if row[light]]
        # The same text, quoting included: every line shown is a line list prints.
        assert set(shown.splitlines()) <= set(listed.splitlines())
    assert len(shown_items) == 49  # 47 + two of the extra projects; not the dropped, not the last rung
    assert sorted(shown_items) == sorted(expected)


def test_only_keeps_lights_at_or_above_the_level(db: Path) -> None:
    assert colours(lights("--only", "red")) == {"red": 19}
    assert colours(lights("--only", "yellow")) == {"red": 19, "yellow": 11}
    assert colours(lights("--light", "yellow")) == {"yellow": 11}  # the list filter: exactly that light


def test_filters_apply(db: Path) -> None:
    assert colours(lights("--sector", "biomed", "--stage", "signed")) == {"red": 3, "yellow": 1, "green": 1}


def test_dropped_projects_and_the_last_rung_have_no_light(db: Path) -> None:
    ok("drop", "39", "--reason", "外迁")
    ok("move", "25", "capacity", "--date", "2020-08-18")
    ids = {p["id"] for p in lights()}
    assert 39 not in ids
    assert 25 not in ids
    assert len(ids) == 45
    assert light_of(25) is None
    assert lights("--all") == lights()


@pytest.mark.parametrize(
    ("today", "light"),
    [
        ("2020-04-28", "green"),
        ("2020-06-26", "green"),  # 59 days signed
        ("2020-06-27", "yellow"),  # 60
        ("2020-07-26", "yellow"),  # 89
        ("2020-07-27", "red"),  # 90
    ],
)
def test_the_light_changes_on_the_threshold_day(
    db: Path, monkeypatch: pytest.MonkeyPatch, today: str, light: str
) -> None:
    monkeypatch.setenv("PIPELINE_TODAY", today)
    shown = {p["id"]: p for p in lights()}
    assert shown[7]["light"] == light
    assert light_of(7) == light


def test_a_move_resets_the_days_in_stage(db: Path) -> None:
    ok("advance", "7", "--date", "2020-08-18")
    project = next(p for p in lights() if p["id"] == 7)
    assert (project["stage"], project["days_in_stage"], project["light"]) == ("preliminary", 0, "green")


# --- --fail-on ---------------------------------------------------------------------


def test_fail_on_red_prints_the_lights_then_exits_9(db: Path) -> None:
    result = run_cli("lights", "--fail-on", "red", "--format", "json")
    assert result.exit_code == 9
    assert len(json.loads(result.stdout)) == 47  # stdout is complete
    assert result.stderr == (
        "error: 19 projects have a red light\n"
        "hint: they are listed on stdout; --fail-on red exits 9 when any is shown\n"
    )


def test_fail_on_yellow_counts_yellow_and_red(db: Path) -> None:
    result = run_cli("lights", "--fail-on", "yellow", "--only", "yellow", "--format", "tsv")
    assert result.exit_code == 9
    assert len(result.stdout.splitlines()) == 31
    assert "30 projects have a yellow or red light" in result.stderr


def test_fail_on_looks_only_at_the_lights_shown(db: Path) -> None:
    result = run_cli("lights", "--fail-on", "red", "--stage", "landed", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert colours(json.loads(result.stdout)) == {"yellow": 1, "green": 1}
    assert result.stderr == ""
    one = run_cli("lights", "--fail-on", "yellow", "--stage", "landed", "--format", "table")
    assert one.exit_code == 9
    assert "1 project has a yellow or red light" in one.stderr


def test_fail_on_as_a_real_process(db: Path, sh: Any) -> None:
    result = sh("lights", "--fail-on", "red", "--only", "red", "--format", "json")
    assert result.exit_code == 9
    assert len(json.loads(result.stdout)) == 19
    assert result.stderr.startswith("error: 19 projects have a red light")
    assert sh("lights", "--fail-on", "red", "--sector", "textile").exit_code == 0


# --- formats -----------------------------------------------------------------------


def test_table_and_markdown(db: Path) -> None:
    table = ok("lights", "--only", "red", "--format", "table", "--lang", "zh").stdout
    assert "● 红灯" in table
    assert "东华鲲鹏" in table
    markdown = ok("lights", "--only", "red", "--format", "markdown").stdout.splitlines()
    assert markdown[0].startswith("| ID | Name | Sector | Stage |")
    assert len(markdown) == 2 + 19


def test_an_empty_pipeline_has_no_lights(empty_db: Path) -> None:
    assert ok("lights", "--format", "json").stdout == "[]\n"
    assert ok("lights", "--format", "tsv", "--no-header").stdout == ""
    assert run_cli("lights", "--fail-on", "yellow").exit_code == 0


# --- stages set ------------------------------------------------------------------------


def stage_rows(db: Path) -> dict[str, tuple[int | None, int | None]]:
    with sqlite3.connect(db) as conn:
        return {s: (y, r) for s, y, r in conn.execute("SELECT stage, yellow_days, red_days FROM stages")}


def event_count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        count: int = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        return count


def test_stages_set_changes_the_lights_and_records_no_event(db: Path) -> None:
    events = event_count(db)
    result = ok("stages", "set", "signed", "--yellow", "120", "--red", "365")
    assert result.stdout == "signed 签约: yellow 60 → 120 days, red 90 → 365 days\n"
    assert stage_rows(db)["signed"] == (120, 365)
    assert event_count(db) == events
    assert light_of(7) == "green"  # 112 days
    assert colours(lights("--stage", "signed")) == {"yellow": 9, "green": 8}


def test_stages_set_one_threshold_keeps_the_other(db: Path) -> None:
    result = ok("stages", "set", "签约", "--red", "100", "--format", "json")
    assert json.loads(result.stdout) == {
        "stage": "signed",
        "name_zh": "签约",
        "name_en": "agreement signed",
        "position": 2,
        "yellow_days": 60,
        "red_days": 100,
        "plan_yellow_days": 1,
        "plan_red_days": 90,
    }
    assert light_of(7) == "red"  # 112 >= 100
    ok("stages", "set", "sig", "--red", "113")
    assert light_of(7) == "yellow"


def test_stages_set_to_the_same_values_changes_nothing(db: Path) -> None:
    before = file_hash(db)
    assert ok("stages", "set", "signed", "--yellow", "60", "--red", "90").stdout == (
        "signed 签约: unchanged (yellow 60 days, red 90 days)\n"
    )
    assert file_hash(db) == before


def test_stages_still_lists_without_a_subcommand(db: Path) -> None:
    ok("stages", "set", "landed", "--yellow", "30", "--red", "45")
    listed = json.loads(ok("stages", "--format", "json").stdout)
    assert [s["stage"] for s in listed][:2] == ["negotiating", "signed"]
    assert next(s for s in listed if s["stage"] == "landed")[["yellow_days", "red_days"][0]] == 30
    assert listed[-1] == {
        "stage": "capacity",
        "name_zh": "达产",
        "name_en": "at full design capacity",
        "position": 8,
        "yellow_days": None,
        "red_days": None,
        "plan_yellow_days": 1,
        "plan_red_days": 90,
    }
    assert ok("stages").stdout.splitlines()[0].split("\t")[:2] == ["position", "stage"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["signed", "--yellow", "90", "--red", "90"], "yellow (90 days) must come before red (90 days)"),
        (["signed", "--yellow", "100"], "yellow (100 days) must come before red (90 days)"),
        (["signed", "--yellow", "0", "--red", "5"], "--yellow 0 is not a positive number of days"),
        (["signed", "--yellow", "-5", "--red", "5"], "--yellow -5 is not a positive number of days"),
        (["signed", "--red", "-1"], "--red -1 is not a positive number of days"),
        (["capacity", "--yellow", "10", "--red", "20"], "capacity is the last stage"),
        (["达产", "--red", "20"], "capacity is the last stage"),
        (["signed"], "nothing to set"),
        (["nowhere", "--red", "20"], "unknown stage 'nowhere'"),
        (["signed", "--yellow", "ten"], "'ten' is not a whole number"),
    ],
)
def test_stages_set_refusals(db: Path, args: list[str], message: str) -> None:
    before = file_hash(db)
    result = run_cli("stages", "set", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert file_hash(db) == before


@pytest.mark.parametrize("args", [["--only", "green"], ["--fail-on", "orange"], ["--only", ""]])
def test_bad_levels_are_usage_errors(db: Path, args: list[str]) -> None:
    result = run_cli("lights", *args)
    assert result.exit_code == 2
    assert "is not yellow or red" in result.stderr
    assert result.stdout == ""
