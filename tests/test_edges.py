"""Numbers and dates at their edges: a usage error (exit 2, exit 5 in an import), never a crash or a silent change.

Amounts as the contract's Amounts section defines them; ids and every other
whole number within SQLite's integers, written with ASCII digits; dates from
1900 to 2999; the busy timeout a finite number of seconds. Every refusal
leaves the database byte for byte as it was and stdout empty.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result, file_hash, run_cli
from pipeline_cli.cli import COMMAND_MODULE_NAMES, load_commands
from pipeline_cli.model import MAX_ID, MAX_INTEGER, parse_investment

Cli = Callable[..., Result]


def flat(text: str) -> str:
    """stderr as one line: Click's boxed usage errors wrap their text."""
    return " ".join(text.replace("│", " ").split())


def refused(result: Result, db: Path, before: str, code: int = 2) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") or "Error" in result.stderr
    assert "Traceback" not in result.stderr
    assert file_hash(db) == before


# --- amounts -------------------------------------------------------------------------

_AMOUNTS = {
    "12.5": "12.5",
    "1,200.5": "1200.5",
    "1,200": "1200",
    "12,345,678.9": None,  # beyond 10,000 亿元: see REFUSED
    "8亿": "8",
    "8亿元": "8",
    "8 亿元": "8",
    "8000万": "0.8",
    "8000万元": "0.8",
    "1,200万": "0.12",
    "0.0001": "0.0001",
    "12.50000": "12.5",
    "8000.0万": "0.8",
    "10000": "10000",
    "10,000亿": "10000",
    "0": "0",
    "+3": "3",
    " 7 ": "7",
}
ACCEPTED = {text: value for text, value in _AMOUNTS.items() if value is not None}

REFUSED = {
    "12,5": "comma where the decimal point goes",
    "1,5": "comma where the decimal point goes",
    "1,20,000": "comma outside a group of three",
    "1,2000": "comma where the decimal point goes",
    ",5": "comma",
    "0.00001": "more than 4 decimals",
    "8000.5万": "whole number of 万元",
    "10000.0001": "implausible",
    "12,345,678.9": "implausible",
    "922337203685477.5807": "implausible",
    "1" * 5000: "implausible",
    "-5": "negative",
    "1e3": "not a number",
    "1e400": "not a number",
    "inf": "not a number",
    "NaN": "not a number",
    "十亿": "not a number",
    "١٢": "not a number",  # Arabic-Indic digits
    "１２": "not a number",  # full-width digits
    "1_0": "not a number",
    "1.": "not a number",
    ".5": "not a number",
    "8万亿": "not a number",
    "8元": "not a number",
    "0x10": "not a number",
}


@pytest.mark.parametrize("text", list(ACCEPTED))
def test_amounts_the_contract_defines_are_parsed_exactly(text: str) -> None:
    assert Decimal(parse_investment(text)) / 10_000 == Decimal(ACCEPTED[text])


@pytest.mark.parametrize("text", list(REFUSED), ids=[t[:20] for t in REFUSED])
def test_other_amounts_are_refused_with_a_reason_and_hint(text: str, db: Path, cli: Cli) -> None:
    before = file_hash(db)
    result = cli("edit", "7", "--investment", text)
    refused(result, db, before)
    assert REFUSED[text] in result.stderr
    assert "hint: " in result.stderr
    # A long value is cut in the message, not echoed whole.
    assert len(result.stderr) < 600


def test_a_decimal_comma_gets_a_hint_to_write_a_dot(db: Path, cli: Cli) -> None:
    result = cli("add", "甲", "--sector", "it", "--investment", "12,5")
    assert result.exit_code == 2
    assert "write the decimal point as a dot (12.5)" in result.stderr


@pytest.mark.parametrize("option", ["--min-investment", "--max-investment"])
def test_filters_take_the_same_amounts(db: Path, cli: Cli, option: str) -> None:
    by_unit = cli("list", option, "20000万", "--format", "json")
    by_yi = cli("list", option, "2", "--format", "json")
    assert by_unit.exit_code == 0 and by_unit.stdout == by_yi.stdout
    result = cli("list", option, "12,5")
    assert result.exit_code == 2 and result.stdout == ""


def test_amounts_with_units_add_and_show_exact_values(empty_db: Path, cli: Cli) -> None:
    for name, amount in (("甲", "8亿元"), ("乙", "1,200万"), ("丙", "1,200.5")):
        assert cli("add", name, "--sector", "it", "--investment", amount).exit_code == 0
    projects = json.loads(cli("list", "--format", "json").stdout)
    assert [p["investment"] for p in projects] == [8, 0.12, 1200.5]


def test_import_cells_take_units_and_refuse_a_decimal_comma_with_exit_5(empty_db: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text('name,sector,investment\n甲,it,8000万\n乙,it,"1,200.5"\n丙,it,3亿元\n', encoding="utf-8")
    assert run_cli("import", str(good)).exit_code == 0
    projects = json.loads(run_cli("list", "--format", "json").stdout)
    assert [p["investment"] for p in projects] == [0.8, 1200.5, 3]
    before = file_hash(empty_db)
    bad = tmp_path / "bad.csv"
    bad.write_text('name,sector,investment\n丁,it,"12,5"\n戊,it,20000\n', encoding="utf-8")
    result = run_cli("import", str(bad))
    refused(result, empty_db, before, code=5)
    assert "row 2: investment '12,5' has a comma where the decimal point goes" in result.stderr
    assert "row 3: investment '20000' is more than 10,000 亿元" in result.stderr


def test_the_largest_amounts_on_every_project_still_total(db: Path, cli: Cli) -> None:
    for project_id in range(1, 48):
        assert cli("edit", str(project_id), "--investment", "10000").exit_code == 0
    summary = json.loads(cli("summary", "--format", "json").stdout)
    assert summary["total"]["investment"] == 470_000
    assert cli("funnel", "--format", "json").exit_code == 0
    assert cli("report", "--format", "json").exit_code == 0


# --- whole numbers -----------------------------------------------------------------

BAD_INTEGERS = {
    "١٢": "is not a whole number",
    "１２": "is not a whole number",
    "1_0": "is not a whole number",
    "12.0": "is not a whole number",
    str(MAX_INTEGER + 1): "beyond the largest whole number",
    "99999999999999999999": "beyond the largest whole number",
    "9" * 5000: "beyond the largest whole number",
}

INTEGER_CALLS = [
    ("show", "{}"),
    ("history", "{}"),
    ("advance", "{}"),
    ("advance", "7", "{}"),
    ("move", "{}", "landed"),
    ("edit", "{}", "--name", "x"),
    ("drop", "{}", "--reason", "x"),
    ("restore", "{}"),
    ("list", "--limit", "{}"),
    ("stages", "set", "signed", "--red", "{}"),
    ("stages", "set", "signed", "--yellow", "{}"),
]


@pytest.mark.parametrize("value", list(BAD_INTEGERS), ids=[v[:20] for v in BAD_INTEGERS])
@pytest.mark.parametrize("call", INTEGER_CALLS, ids=[" ".join(c) for c in INTEGER_CALLS])
def test_a_whole_number_argument_takes_ascii_digits_within_sqlite_integers(
    db: Path, cli: Cli, call: tuple[str, ...], value: str
) -> None:
    before = file_hash(db)
    result = cli(*(value if part == "{}" else part for part in call))
    refused(result, db, before)
    assert BAD_INTEGERS[value] in flat(result.stderr)


def test_every_integer_parameter_of_every_command_is_checked_the_same_way() -> None:
    """The class, not the examples: whatever integer option a command gains later."""
    from pipeline_cli import cli as cli_module

    seen = 0
    for module_name in COMMAND_MODULE_NAMES:
        commands = list(load_commands(module_name).values())
        while commands:
            command = commands.pop()
            commands.extend(getattr(command, "commands", {}).values())
            for param in command.params:
                if isinstance(param.type, cli_module._INT_TYPE):
                    for value in ("١٢", "1_0", str(MAX_INTEGER + 1)):
                        with pytest.raises(Exception, match="whole number"):
                            param.type.convert(value, param, None)
                    seen += 1
    assert seen >= 5


def test_an_id_within_sqlite_integers_but_beyond_any_project_is_not_found(db: Path, cli: Cli) -> None:
    before = file_hash(db)
    refused(cli("show", str(MAX_INTEGER)), db, before, code=3)
    refused(cli("history", str(MAX_INTEGER)), db, before, code=3)


@pytest.mark.parametrize("project_id", [MAX_INTEGER, MAX_ID + 1, 10**30, "١٢", "1_0", "1.5", True])
def test_an_imported_id_beyond_the_bound_is_a_bad_row(empty_db: Path, tmp_path: Path, project_id: object) -> None:
    before = file_hash(empty_db)
    path = tmp_path / "ids.json"
    path.write_text(json.dumps([{"id": project_id, "name": "甲", "sector": "it"}]), encoding="utf-8")
    result = run_cli("import", str(path))
    refused(result, empty_db, before, code=5)
    assert "row 1: id" in result.stderr


def test_the_largest_imported_id_leaves_room_for_add(empty_db: Path, tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "ids.csv"
    path.write_text(f"id,name,sector\n{MAX_ID},甲,it\n", encoding="utf-8")
    assert run_cli("import", str(path)).exit_code == 0
    added = cli("add", "乙", "--sector", "it")
    assert added.exit_code == 0, added.stderr
    assert added.stdout.startswith(f"added {MAX_ID + 1} ") or str(MAX_ID + 1) in added.stdout
    assert cli("check").exit_code == 0


# --- dates -----------------------------------------------------------------------------

DATE_CALLS = [
    ("report", "--since", "{}", "--until", "2020-08-18"),
    ("report", "--since", "2020-08-01", "--until", "{}"),
    ("history", "--since", "{}"),
    ("history", "--until", "{}"),
    ("advance", "7", "--date", "{}"),
    ("add", "甲", "--sector", "it", "--date", "{}"),
]


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "9999-12-31", "3000-01-01", "２０２０-08-18"])
@pytest.mark.parametrize("call", DATE_CALLS, ids=[" ".join(c) for c in DATE_CALLS])
def test_dates_at_the_edges_of_the_calendar_are_usage_errors(
    db: Path, cli: Cli, call: tuple[str, ...], value: str
) -> None:
    before = file_hash(db)
    result = cli(*(value if part == "{}" else part for part in call))
    if call[0] in ("advance", "add") and value.startswith(("3000", "9999")):
        # A future --date is the contract's conflict (exit 4) once it is a date at all.
        assert result.exit_code in (2, 4)
        assert file_hash(db) == before and result.stdout == ""
        return
    refused(result, db, before)


def test_the_widest_period_still_reports(db: Path, cli: Cli) -> None:
    result = cli("report", "--since", "1900-01-01", "--until", "2020-08-18", "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_pipeline_today_out_of_range_is_a_usage_error(db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_TODAY", "0001-01-01")
    before = file_hash(db)
    refused(cli("list"), db, before)


# --- the busy timeout -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "abc", "1_0", "1e3", "٥", "3601", "9" * 400])
def test_a_busy_timeout_that_is_not_a_finite_number_of_seconds_is_a_usage_error(
    db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PIPELINE_BUSY_TIMEOUT", value)
    before = file_hash(db)
    for args in (("list",), ("advance", "7")):
        result = cli(*args)
        refused(result, db, before)
        assert "PIPELINE_BUSY_TIMEOUT" in flat(result.stderr)


@pytest.mark.parametrize("value", ["0", "0.5", "5", "3600", " 2 "])
def test_a_busy_timeout_of_seconds_is_taken(db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PIPELINE_BUSY_TIMEOUT", value)
    assert cli("advance", "7").exit_code == 0


# --- thresholds ---------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("--red", "36501"), ("--yellow", "40000", "--red", "50000")])
def test_thresholds_beyond_a_century_are_refused(db: Path, cli: Cli, args: tuple[str, ...]) -> None:
    before = file_hash(db)
    result = cli("stages", "set", "signed", *args)
    refused(result, db, before)
    assert "more than 36,500 days" in result.stderr


def test_the_subprocess_refuses_an_overlong_id_without_a_traceback(db: Path, sh: Cli) -> None:
    before = file_hash(db)
    result = sh("history", "99999999999999999999")
    refused(result, db, before)


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "1_0", "1e3", "٥", "3601", "9" * 400])
def test_a_busy_timeout_in_the_settings_is_checked_as_the_environment_is(
    db: Path, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    settings = tmp_path / "config.toml"
    monkeypatch.setenv("PIPELINE_CONFIG", str(settings))
    refused(cli("config", "set", "busy_timeout", value), settings, "missing")
    settings.write_text(f'busy_timeout = "{value}"\n', encoding="utf-8")
    before = file_hash(db)
    for args in (("list",), ("advance", "7")):
        result = cli(*args)
        refused(result, db, before)
        assert "busy_timeout" in result.stderr


# --- every date and number of the newer commands -------------------------------------------

MORE_CALLS = [
    ("plan", "7", "construction", "{}"),
    ("problem", "add", "7", "用地", "--due", "{}"),
    ("problem", "add", "7", "用地", "--date", "{}"),
    ("due", "--within", "{}"),
    ("sectors", "edit", "it", "--position", "{}"),
    ("stages", "set", "signed", "--plan-red", "{}"),
    ("problem", "close", "{}"),
]
EDGE_VALUES = ["0001-01-01", "9999-12-31", "2026-02-30", "99999999999999999999", "١٢", "1_0", "-1"]


@pytest.mark.parametrize("value", EDGE_VALUES)
@pytest.mark.parametrize("call", MORE_CALLS, ids=[" ".join(c) for c in MORE_CALLS])
def test_dates_and_numbers_of_every_command_are_refused_at_their_edges(
    db: Path, cli: Cli, call: tuple[str, ...], value: str
) -> None:
    before = file_hash(db)
    result = cli(*(value if part == "{}" else part for part in call))
    refused(result, db, before)
