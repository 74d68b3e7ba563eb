"""Every refusal of the change commands: exit code, a useful message, empty stdout, the file unchanged.

Each case may first run setup commands (which must succeed); the database is
hashed after them and must hash the same after the refused command.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import file_hash, run_cli


class Refusal(NamedTuple):
    args: tuple[str, ...]
    code: int
    message: str
    setup: tuple[tuple[str, ...], ...] = ()


CASES = {
    # not found: 3
    "advance unknown id": Refusal(("advance", "999"), 3, "no project with id 999"),
    "advance with one unknown id moves none": Refusal(("advance", "7", "999"), 3, "no project with id 999"),
    "move unknown id": Refusal(("move", "999", "signed"), 3, "no project with id 999"),
    "edit unknown id": Refusal(("edit", "999", "--name", "x"), 3, "no project with id 999"),
    "drop unknown id": Refusal(("drop", "999", "--reason", "r"), 3, "no project with id 999"),
    "restore unknown id": Refusal(("restore", "999"), 3, "no project with id 999"),
    "history unknown id": Refusal(("history", "999"), 3, "no project with id 999"),
    # usage: 2
    "advance an id beyond SQLite's integers": Refusal(
        ("advance", "7", "99999999999999999999999"), 2, "beyond the largest"
    ),
    # conflicts: 4
    "advance --from mismatch": Refusal(("advance", "7", "--from", "negotiating"), 4, "is at signed, not negotiating"),
    "advance --from mismatch on one of several": Refusal(
        ("advance", "1", "7", "--from", "negotiating"), 4, "7 东华鲲鹏 is at signed, not negotiating"
    ),
    "move --from mismatch": Refusal(("move", "7", "landed", "--from", "在谈"), 4, "is at signed, not negotiating"),
    "move --from guard after the move already happened": Refusal(
        ("move", "7", "landed", "--from", "signed"), 4, "is at landed, not signed", (("move", "7", "landed"),)
    ),
    "advance past the last rung": Refusal(
        ("advance", "15"), 4, "is at capacity, the last stage", (("move", "15", "capacity"),)
    ),
    "advance several, one at the last rung": Refusal(
        ("advance", "1", "15"), 4, "the last stage", (("move", "15", "capacity"),)
    ),
    "advance a dropped project": Refusal(
        ("advance", "7"), 4, "project 7 东华鲲鹏 is dropped", (("drop", "7", "--reason", "退单"),)
    ),
    "advance several, one dropped": Refusal(
        ("advance", "1", "7", "12"), 4, "project 7 东华鲲鹏 is dropped", (("drop", "7", "--reason", "退单"),)
    ),
    "move a dropped project": Refusal(("move", "7", "landed"), 4, "is dropped", (("drop", "7", "--reason", "退单"),)),
    "move a dropped project to its own stage": Refusal(
        ("move", "7", "signed"), 4, "is dropped", (("drop", "7", "--reason", "退单"),)
    ),
    "drop a dropped project": Refusal(
        ("drop", "7", "--reason", "again"), 4, "already dropped", (("drop", "7", "--reason", "退单"),)
    ),
    "restore an active project": Refusal(("restore", "7"), 4, "is not dropped"),
    "advance --date in the future": Refusal(("advance", "7", "--date", "2020-08-19"), 4, "is in the future"),
    "move --date in the future": Refusal(("move", "7", "landed", "--date", "2021-01-01"), 4, "is in the future"),
    "add --date in the future": Refusal(("add", "新", "--sector", "it", "--date", "2020-08-19"), 4, "in the future"),
    "drop --date in the future": Refusal(("drop", "7", "--reason", "r", "--date", "2020-09-01"), 4, "in the future"),
    "advance --date before the last event": Refusal(
        ("advance", "7", "--date", "2020-04-27"), 4, "before the project's last event (2020-04-28)"
    ),
    "move --date before the last event": Refusal(
        ("move", "7", "landed", "--date", "2020-08-10"),
        4,
        "before the project's last event (2020-08-15)",
        (("advance", "7", "--date", "2020-08-15"),),
    ),
    "drop --date before the last event": Refusal(
        ("drop", "12", "--reason", "r", "--date", "2020-06-21"), 4, "before the project's last event (2020-06-22)"
    ),
    "restore --date before the drop": Refusal(
        ("restore", "7", "--date", "2020-08-01"),
        4,
        "before the project's last event (2020-08-10)",
        (("drop", "7", "--reason", "r", "--date", "2020-08-10"),),
    ),
    "advance several, one with a later last event": Refusal(
        ("advance", "7", "12", "--date", "2020-05-01"), 4, "before the project's last event (2020-06-22)"
    ),
    "nothing to undo on the seed": Refusal(("undo", "--yes"), 4, "nothing to undo"),
    "nothing to undo after undoing everything": Refusal(
        ("undo", "--yes"), 4, "nothing to undo", (("advance", "7"), ("undo", "--yes"))
    ),
    # usage: 2
    "undo without --yes and no terminal": Refusal(("undo",), 2, "pass --yes", (("advance", "7"),)),
    "advance a repeated id": Refusal(("advance", "7", "7"), 2, "id 7 given more than once"),
    "advance without ids": Refusal(("advance",), 2, "Missing argument"),
    "advance a non-numeric id": Refusal(("advance", "seven"), 2, "seven"),
    "advance --from unknown stage": Refusal(("advance", "7", "--from", "signd"), 2, "unknown stage 'signd'"),
    "move to an unknown stage": Refusal(("move", "7", "launched"), 2, "unknown stage 'launched'"),
    "move to an ambiguous stage": Refusal(("move", "7", "c"), 2, "ambiguous"),
    "advance malformed --date": Refusal(("advance", "7", "--date", "2020-13-01"), 2, "is not a date"),
    "advance --date in another format": Refusal(("advance", "7", "--date", "18/08/2020"), 2, "YYYY-MM-DD"),
    "drop malformed --date": Refusal(("drop", "7", "--reason", "r", "--date", "yesterday"), 2, "is not a date"),
    "drop without --reason": Refusal(("drop", "7"), 2, "--reason"),
    "drop with an empty reason": Refusal(("drop", "7", "--reason", "  "), 2, "reason is empty"),
    "edit without fields": Refusal(("edit", "7"), 2, "nothing to edit"),
    "edit to an empty name": Refusal(("edit", "7", "--name", " "), 2, "name is empty"),
    "edit negative investment": Refusal(("edit", "7", "--investment", "-1"), 2, "is negative"),
    "edit investment with 5 decimals": Refusal(("edit", "7", "--investment", "1.23456"), 2, "more than 4 decimals"),
    "edit investment not a number": Refusal(("edit", "7", "--investment", "十亿"), 2, "is not a number"),
    "edit investment in exponent form": Refusal(("edit", "7", "--investment", "1e3"), 2, "is not a number"),
    "edit unknown sector": Refusal(("edit", "7", "--sector", "mining"), 2, "unknown sector 'mining'"),
    "add without --sector": Refusal(("add", "新项目"), 2, "--sector"),
    "add with an empty name": Refusal(("add", "", "--sector", "it"), 2, "name is empty"),
    "add unknown sector": Refusal(("add", "新项目", "--sector", "mining"), 2, "unknown sector"),
    "add unknown stage": Refusal(("add", "新项目", "--sector", "it", "--stage", "done"), 2, "unknown stage"),
    "add negative investment": Refusal(("add", "新项目", "--sector", "it", "--investment", "-5"), 2, "negative"),
    "add NaN investment": Refusal(("add", "新项目", "--sector", "it", "--investment", "nan"), 2, "not a number"),
    "empty --by": Refusal(("advance", "7", "--by", ""), 2, "--by is empty"),
    "history malformed --since": Refusal(("history", "--since", "2020-02-30"), 2, "is not a date"),
    "history --since after --until": Refusal(
        ("history", "--since", "2020-08-18", "--until", "2020-01-01"), 2, "is after --until"
    ),
    "unknown --format": Refusal(("advance", "7", "--format", "xml"), 2, "xml"),
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_refusal(db: Path, case: Refusal) -> None:
    for setup in case.setup:
        done = run_cli(*setup)
        assert done.exit_code == 0, (setup, done.stderr)
    before = file_hash(db)
    result = run_cli(*case.args)
    assert result.exit_code == case.code, result.stderr
    assert case.message in result.stderr, result.stderr
    assert result.stdout == ""
    assert file_hash(db) == before


def test_refusals_name_the_error_and_a_hint(db: Path) -> None:
    result = run_cli("advance", "7", "--from", "negotiating")
    assert result.stderr.splitlines() == [
        "error: project 7 东华鲲鹏 is at signed, not negotiating",
        "hint: nothing changed (--from guards against moving it twice)",
    ]


def test_a_bad_busy_timeout_is_a_usage_error(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_BUSY_TIMEOUT", "soon")
    before = file_hash(db)
    result = run_cli("advance", "7")
    assert result.exit_code == 2
    assert "PIPELINE_BUSY_TIMEOUT" in result.stderr
    assert result.stdout == ""
    assert file_hash(db) == before


def test_a_missing_database_is_never_created_by_a_write(environment: Path) -> None:
    result = run_cli("add", "新项目", "--sector", "it")
    assert result.exit_code == 6
    assert "pipeline init" in result.stderr
    assert result.stdout == ""
    assert not environment.exists()
