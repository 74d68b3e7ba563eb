"""`list` filters, alone and combined, and --sort / --reverse / --limit.

The expected answer of every case is computed here, in Python, from the full
`list --all --format json` output (and the thresholds of `stages`), never
copied from the implementation's own output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builders import build_mixed
from conftest import REPORT_DATE, Result, file_hash

Cli = Callable[..., Result]
Project = dict[str, Any]
Predicate = Callable[[Project], bool]


@pytest.fixture
def mixed(blank: Path) -> Path:
    """The 47 projects plus dropped ones, a null amount, wildcards in text, later stages."""
    return build_mixed(blank)


def json_out(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout, parse_float=Decimal)


def ids(projects: list[Project]) -> list[int]:
    return [p["id"] for p in projects]


@pytest.fixture
def everything(mixed: Path, cli: Cli) -> list[Project]:
    projects: list[Project] = json_out(cli, "list", "--all")
    assert len(projects) == 52
    return projects


def expected_ids(everything: list[Project], predicate: Predicate, *, include_dropped: bool = False) -> list[int]:
    return [p["id"] for p in everything if (include_dropped or p["status"] == "active") and predicate(p)]


def investment(p: Project) -> Decimal | None:
    return None if p["investment"] is None else Decimal(p["investment"])


def at_least(amount: str) -> Predicate:
    return lambda p: investment(p) is not None and investment(p) >= Decimal(amount)  # type: ignore[operator]


def at_most(amount: str) -> Predicate:
    return lambda p: investment(p) is not None and investment(p) <= Decimal(amount)  # type: ignore[operator]


def contains(text: str) -> Predicate:
    needle = text.lower()
    return lambda p: any(needle in (p[f] or "").lower() for f in ("name", "note", "district", "unit", "lead"))


def starts(field: str, *prefixes: str) -> Predicate:
    return lambda p: p[field] is not None and any(p[field].startswith(prefix) for prefix in prefixes)


def in_district(prefix: str) -> Predicate:
    return lambda p: (p["district"] or "").startswith(prefix) and p["district"] is not None


# --- the light, computed here from the stage thresholds ---------------------------


def test_lights_and_days_follow_the_stage_thresholds(everything: list[Project], cli: Cli) -> None:
    thresholds = {s["stage"]: (s["yellow_days"], s["red_days"]) for s in json_out(cli, "stages")}
    today = dt.date.fromisoformat(REPORT_DATE)
    for p in everything:
        days = (today - dt.date.fromisoformat(p["stage_since"])).days
        yellow, red = thresholds[p["stage"]]
        if p["status"] != "active" or red is None:
            light = None
        elif days >= red:
            light = "red"
        elif days >= yellow:
            light = "yellow"
        else:
            light = "green"
        assert (p["days_in_stage"], p["light"]) == (days, light), p
    # The data exercises every light.
    assert {p["light"] for p in everything} == {None, "green", "yellow", "red"}


# --- each filter alone and combined ----------------------------------------------

CASES: list[tuple[list[str], Predicate, bool]] = [
    # (arguments, predicate, include dropped)
    ([], lambda p: True, False),
    (["--all"], lambda p: True, True),
    (["--sector", "biomed"], lambda p: p["sector"] == "biomed", False),
    (["--sector", "生物医药"], lambda p: p["sector"] == "biomed", False),
    (["--sector", "bio"], lambda p: p["sector"] == "biomed", False),
    (["--sector", "BioMed"], lambda p: p["sector"] == "biomed", False),
    (["--sector", "sm"], lambda p: p["sector"] == "smart-mfg", False),
    (["--sector", "智能制造装备"], lambda p: p["sector"] == "smart-mfg", False),
    (["--sector", "tr"], lambda p: p["sector"] == "transport", False),
    (["--sector", "te"], lambda p: p["sector"] == "textile", False),
    (["--sector", "it", "--sector", "食品饮料"], lambda p: p["sector"] in ("it", "food"), False),
    (["--sector", "it", "--sector", "it"], lambda p: p["sector"] == "it", False),
    (["--sector", "food", "--all"], lambda p: p["sector"] == "food", True),
    (["--stage", "signed"], lambda p: p["stage"] == "signed", False),
    (["--stage", "签约"], lambda p: p["stage"] == "signed", False),
    (["--stage", "neg"], lambda p: p["stage"] == "negotiating", False),
    (["--stage", "pre"], lambda p: p["stage"] == "preliminary", False),
    (["--stage", "cons"], lambda p: p["stage"] == "construction", False),
    (["--stage", "达产"], lambda p: p["stage"] == "capacity", False),
    (["--stage", "landed", "--stage", "前期"], lambda p: p["stage"] in ("landed", "preliminary"), False),
    (["--stage", "landed", "--all"], lambda p: p["stage"] == "landed", True),
    (["--key"], lambda p: p["key"], False),
    (["--key", "--all"], lambda p: p["key"], True),
    (["--status", "active"], lambda p: True, False),
    (["--status", "dropped"], lambda p: p["status"] == "dropped", True),
    (["--status", "drop"], lambda p: p["status"] == "dropped", True),
    (["--status", "dropped", "--all"], lambda p: p["status"] == "dropped", True),
    (["--status", "active", "--all"], lambda p: p["status"] == "active", True),
    (["--district", "城阳区"], in_district("城阳区"), False),
    (["--district", "城阳"], in_district("城阳"), False),
    (["--district", "城"], in_district("城"), False),
    (["--district", "阳区"], in_district("阳区"), False),
    (["--district", "城_"], in_district("城_"), False),
    (["--district", "%"], in_district("%"), False),
    (["--district", "城阳", "--all"], in_district("城阳"), True),
    (["--district", "城阳", "--district", "黄岛"], starts("district", "城阳", "黄岛"), False),
    (["--district", "城阳", "--district", "城阳区"], starts("district", "城阳"), False),
    (["--unit", "蓝谷"], starts("unit", "蓝谷"), False),
    (["--search", "城阳"], contains("城阳"), False),
    (["--search", "蓝谷管理"], contains("蓝谷管理"), False),
    (["--min-investment", "50"], at_least("50"), False),
    (["--min-investment", "50.0001"], at_least("50.0001"), False),
    (["--min-investment", "0"], at_least("0"), False),
    (["--min-investment", "0", "--all"], at_least("0"), True),
    (["--max-investment", "3"], at_most("3"), False),
    (["--max-investment", "2.5"], at_most("2.5"), False),
    (["--max-investment", "0.0001", "--all"], at_most("0.0001"), True),
    (["--min-investment", "5", "--max-investment", "9.6"], lambda p: at_least("5")(p) and at_most("9.6")(p), False),
    (["--min-investment", "20", "--max-investment", "10"], lambda p: False, False),
    (["--search", "项目"], contains("项目"), False),
    (["--search", "疫苗"], contains("疫苗"), False),
    (["--search", "%"], contains("%"), False),
    (["--search", "100%"], contains("100%"), False),
    (["--search", "_"], contains("_"), False),
    (["--search", "_", "--all"], contains("_"), True),
    (["--search", "a_b"], contains("a_b"), False),
    (["--search", "a%b"], contains("a%b"), False),
    (["--search", "悔单", "--all"], contains("悔单"), True),
    (["--search", "alpha", "--all"], contains("alpha"), True),
    (["--search", "第二行"], contains("第二行"), False),
    (["--light", "red"], lambda p: p["light"] == "red", False),
    (["--light", "yellow"], lambda p: p["light"] == "yellow", False),
    (["--light", "red", "--all"], lambda p: p["light"] == "red", True),
    (["--light", "yellow", "--light", "red"], lambda p: p["light"] in ("yellow", "red"), False),
    # Combined: AND across flags, OR within one.
    (
        ["--sector", "biomed", "--sector", "it", "--stage", "signed"],
        lambda p: p["sector"] in ("biomed", "it") and p["stage"] == "signed",
        False,
    ),
    (["--key", "--stage", "signed"], lambda p: p["key"] and p["stage"] == "signed", False),
    (
        ["--sector", "biomed", "--min-investment", "10", "--district", "崂山"],
        lambda p: p["sector"] == "biomed" and at_least("10")(p) and in_district("崂山")(p),
        False,
    ),
    (
        ["--stage", "negotiating", "--light", "red", "--max-investment", "20"],
        lambda p: p["stage"] == "negotiating" and p["light"] == "red" and at_most("20")(p),
        False,
    ),
    (
        ["--search", "项目", "--sector", "transport", "--key", "--all"],
        lambda p: contains("项目")(p) and p["sector"] == "transport" and p["key"],
        True,
    ),
    (
        ["--status", "dropped", "--sector", "it"],
        lambda p: p["status"] == "dropped" and p["sector"] == "it",
        True,
    ),
    (
        ["--sector", "it", "--sector", "biomed", "--stage", "neg", "--stage", "pre", "--light", "yellow"],
        lambda p: (
            p["sector"] in ("it", "biomed") and p["stage"] in ("negotiating", "preliminary") and p["light"] == "yellow"
        ),
        False,
    ),
]


@pytest.mark.parametrize(("args", "predicate", "include_dropped"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_filter(
    everything: list[Project], cli: Cli, args: list[str], predicate: Predicate, include_dropped: bool
) -> None:
    got = json_out(cli, "list", *args)
    assert ids(got) == expected_ids(everything, predicate, include_dropped=include_dropped)
    # The objects are the same as in the full listing.
    by_id = {p["id"]: p for p in everything}
    assert all(p == by_id[p["id"]] for p in got)


def test_the_filter_cases_are_not_trivial(everything: list[Project]) -> None:
    """Most cases select some but not all projects, so a filter that is ignored fails."""
    trivial = []
    for args, predicate, dropped in CASES:
        candidates = len(expected_ids(everything, lambda p: True, include_dropped=dropped))
        if not 0 < len(expected_ids(everything, predicate, include_dropped=dropped)) < candidates:
            trivial.append(" ".join(args))
    assert trivial == [
        "",
        "--all",
        "--status active",
        "--district 阳区",
        "--district 城_",
        "--district %",
        "--min-investment 20 --max-investment 10",
        "--search 项目",
        "--search a%b",
    ]


def test_search_wildcards_are_plain_characters(everything: list[Project], cli: Cli) -> None:
    assert [p["name"] for p in json_out(cli, "list", "--search", "%")] == ["降解率100%新材料项目"]
    assert [p["name"] for p in json_out(cli, "list", "--all", "--search", "_")] == [
        "降解率100%新材料项目",  # its note is "a_b 备注"
        "Alpha_Beta Lab项目",
    ]
    assert json_out(cli, "list", "--search", "%%") == []
    assert json_out(cli, "list", "--search", "晶_圆") == []
    assert json_out(cli, "list", "--search", "晶%圆") == []


def test_dropped_projects_only_with_all_or_status_dropped(everything: list[Project], cli: Cli) -> None:
    dropped = [p["id"] for p in everything if p["status"] == "dropped"]
    assert dropped == [49, 50]
    assert not set(dropped) & set(ids(json_out(cli, "list")))
    assert ids(json_out(cli, "list", "--status", "dropped")) == dropped
    # A dropped project has no light, so --light never finds it.
    assert not set(dropped) & set(ids(json_out(cli, "list", "--all", "--light", "red", "--light", "yellow")))


# --- values that are refused ---------------------------------------------------


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--sector", "t"], ["transport", "textile"]),
        (["--sector", "T"], ["transport", "textile"]),
        (["--stage", "p"], ["preliminary", "production"]),
        (["--stage", "c"], ["construction", "completed", "capacity"]),
        (["--stage", "co"], ["construction", "completed"]),
    ],
)
def test_ambiguous_prefix_is_a_usage_error_naming_the_candidates(
    mixed: Path, cli: Cli, args: list[str], names: list[str]
) -> None:
    before = file_hash(mixed)
    result = cli("list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "ambiguous" in result.stderr
    first_line = result.stderr.splitlines()[0]
    for name in names:
        assert name in first_line
    assert file_hash(mixed) == before


@pytest.mark.parametrize(
    ("args", "closest"),
    [
        (["--sector", "biomedicine"], "biomed"),
        (["--sector", "生物医学"], "biomed"),
        (["--sector", "医药"], "biomed"),
        (["--sector", "smart_mfg"], "smart-mfg"),
        (["--sector", "foods"], "food"),
        (["--stage", "sigend"], "signed"),
        (["--stage", "landing"], "landed"),
        (["--stage", "落实"], "landed"),
        (["--stage", "capacty"], "capacity"),
        (["--sector", "it", "--stage", "negotiation"], "negotiating"),
    ],
)
def test_unknown_value_is_a_usage_error_suggesting_the_closest(
    mixed: Path, cli: Cli, args: list[str], closest: str
) -> None:
    before = file_hash(mixed)
    result = cli("list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: unknown ")
    assert f"did you mean '{closest}'" in result.stderr
    assert file_hash(mixed) == before


@pytest.mark.parametrize(
    ("args", "choices"),
    [
        (["--sector", "xyz"], ["it", "biomed", "transport", "smart-mfg", "textile", "food"]),
        (["--stage", "xyz"], ["negotiating", "signed", "preliminary", "landed", "construction", "capacity"]),
        (["--status", "xyz"], ["active", "dropped"]),
        (["--light", "purple"], ["yellow", "red"]),
        (["--sector", ""], ["it", "biomed"]),
    ],
)
def test_unknown_value_lists_the_valid_choices(mixed: Path, cli: Cli, args: list[str], choices: list[str]) -> None:
    result = cli("list", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    hint = [line for line in result.stderr.splitlines() if line.startswith("hint: ")]
    assert hint
    for choice in choices:
        assert choice in hint[0]


def test_status_choices_are_named_in_good_english(mixed: Path, cli: Cli) -> None:
    result = cli("list", "--status", "xyz")
    assert "hint: valid statuses: active, dropped" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--min-investment", "abc"],
        ["--min-investment", "-1"],
        ["--max-investment", "1.23456"],
        ["--max-investment", ""],
        ["--limit", "-1"],
        ["--min-investment", "99999999999999999999"],
        ["--max-investment", "922337203685477.5808"],
        ["--limit", "x"],
        ["--sort", "bogus"],
        ["--sort", "s"],
        ["--light"],
        ["--status"],
    ],
)
def test_bad_values_exit_2_with_empty_stdout(mixed: Path, cli: Cli, args: list[str]) -> None:
    before = file_hash(mixed)
    result = cli("list", *args)
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert result.stderr.strip()
    assert file_hash(mixed) == before


# --- --sort, --reverse, --limit ---------------------------------------------------


def sort_key(field: str, stage_positions: dict[str, int], sector_positions: dict[str, int]) -> Callable[[Project], Any]:
    """Ascending order as users expect it: NULL first (as SQLite does), ties by id."""

    def nullable(value: Any) -> tuple[int, Any]:
        return (0, "") if value is None else (1, value)

    severity = {None: 0, "green": 1, "yellow": 2, "red": 3}
    keys: dict[str, Callable[[Project], Any]] = {
        "id": lambda p: p["id"],
        "name": lambda p: p["name"],
        "sector": lambda p: sector_positions[p["sector"]],
        "stage": lambda p: stage_positions[p["stage"]],
        "status": lambda p: p["status"],
        "investment": lambda p: nullable(investment(p)),
        "key": lambda p: p["key"],
        "district": lambda p: nullable(p["district"]),
        "stage_since": lambda p: p["stage_since"],
        "days_in_stage": lambda p: p["days_in_stage"],
        "light": lambda p: severity[p["light"]],
    }
    primary = keys[field]
    return lambda p: (primary(p), p["id"])


SORT_FIELDS = [
    "id",
    "name",
    "sector",
    "stage",
    "status",
    "investment",
    "key",
    "district",
    "stage_since",
    "days_in_stage",
    "light",
]


@pytest.fixture
def positions(mixed: Path, cli: Cli) -> tuple[dict[str, int], dict[str, int]]:
    stages = {s["stage"]: s["position"] for s in json_out(cli, "stages")}
    sectors = {s["sector"]: index for index, s in enumerate(json_out(cli, "sectors"))}
    return stages, sectors


@pytest.mark.parametrize("field", SORT_FIELDS)
def test_sort_each_field(
    everything: list[Project], cli: Cli, positions: tuple[dict[str, int], dict[str, int]], field: str
) -> None:
    key = sort_key(field, *positions)
    expected = [p["id"] for p in sorted(everything, key=key)]
    assert ids(json_out(cli, "list", "--all", "--sort", field)) == expected
    assert ids(json_out(cli, "list", "--all", "--sort", field, "--reverse")) == expected[::-1]
    assert ids(json_out(cli, "list", "--all", "--sort", field, "--limit", "5")) == expected[:5]
    assert ids(json_out(cli, "list", "--all", "--sort", field, "--reverse", "--limit", "3")) == expected[::-1][:3]


def test_sort_applies_after_filters_and_limit_last(
    everything: list[Project], cli: Cli, positions: tuple[dict[str, int], dict[str, int]]
) -> None:
    key = sort_key("investment", *positions)
    biomed = sorted((p for p in everything if p["sector"] == "biomed" and p["status"] == "active"), key=key)
    got = json_out(cli, "list", "--sector", "biomed", "--sort", "investment", "--reverse", "--limit", "3")
    assert ids(got) == [p["id"] for p in biomed[::-1][:3]]
    assert [str(p["investment"]) for p in got] == ["60", "20", "18"]


def test_sort_field_spellings(everything: list[Project], cli: Cli) -> None:
    by_days = ids(json_out(cli, "list", "--sort", "days_in_stage"))
    assert ids(json_out(cli, "list", "--sort", "days")) == by_days
    assert ids(json_out(cli, "list", "--sort", "days-in-stage")) == by_days
    assert ids(json_out(cli, "list", "--sort", "inv")) == ids(json_out(cli, "list", "--sort", "investment"))


def test_default_order_is_by_id(everything: list[Project]) -> None:
    assert ids(everything) == sorted(ids(everything)) == list(range(1, 53))


@pytest.mark.parametrize("limit", [0, 1, 7, 47, 100])
def test_limit(everything: list[Project], cli: Cli, limit: int) -> None:
    active = [p["id"] for p in everything if p["status"] == "active"]
    assert ids(json_out(cli, "list", "--limit", str(limit))) == active[:limit]


def test_a_limit_beyond_sqlite_integers_is_a_usage_error(everything: list[Project], cli: Cli) -> None:
    result = cli("list", "--limit", "99999999999999999999")
    assert result.exit_code == 2 and result.stdout == ""
    assert "beyond the largest whole number" in " ".join(result.stderr.replace("│", " ").split())


def test_the_largest_amount_is_accepted_and_one_more_is_refused(everything: list[Project], cli: Cli) -> None:
    assert json_out(cli, "list", "--min-investment", "10000") == []
    assert len(json_out(cli, "list", "--max-investment", "10000")) == 49
    result = cli("list", "--min-investment", "10000.0001")
    assert result.exit_code == 2 and result.stdout == ""
    assert "implausible" in result.stderr


def test_limit_zero_is_an_empty_array_in_every_format(everything: list[Project], cli: Cli) -> None:
    assert cli("list", "--limit", "0", "--format", "json").stdout == "[]\n"
    assert cli("list", "--limit", "0", "--format", "jsonl").stdout == ""
    assert cli("list", "--limit", "0", "--format", "csv").stdout.count("\n") == 1
    assert cli("list", "--limit", "0", "--format", "csv", "--no-header").stdout == ""


def test_no_match_is_not_an_error(everything: list[Project], cli: Cli) -> None:
    result = cli("list", "--search", "不存在的项目名", "--format", "json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "[]\n", "")


def test_unit_and_lead_filters_take_prefixes_any_of_them(empty_db: Path, cli: Cli) -> None:
    for name, unit, lead in (("甲", "市发改委", "王明"), ("乙", "区商务局", "李华"), ("丙", "市商务局", "王刚")):
        assert cli("add", name, "--sector", "it", "--unit", unit, "--lead", lead).exit_code == 0
    assert [p["name"] for p in json_out(cli, "list", "--unit", "市")] == ["甲", "丙"]
    assert [p["name"] for p in json_out(cli, "list", "--unit", "区", "--unit", "市发")] == ["甲", "乙"]
    assert [p["name"] for p in json_out(cli, "list", "--lead", "王")] == ["甲", "丙"]
    assert [p["name"] for p in json_out(cli, "list", "--lead", "王", "--unit", "市商")] == ["丙"]
    assert [p["name"] for p in json_out(cli, "list", "--search", "李华")] == ["乙"]
    assert json_out(cli, "list", "--lead", "%") == []
    assert json_out(cli, "summary", "--lead", "王")["total"]["count"] == 2
