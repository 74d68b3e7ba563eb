"""Refusals of the meeting's commands (due, rank, lights, stages set), in-process and through the installed command.

Each: its exit code, a message on stderr saying what and what to do, empty
stdout, no traceback, and the database byte for byte as it was, on a
database holding plans and problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import file_hash, run_cli, run_sh

REFUSALS = {
    "due --within below 0": (["due", "--within", "-1"], "--within"),
    "due --within not a number": (["due", "--within", "x"], "'x' is not a whole number"),
    "due --within past a century": (["due", "--within", "36501"], "--within"),
    "due with an unknown sector": (["due", "--sector", "nope"], "unknown sector 'nope'"),
    "due with an unknown light": (["due", "--light", "orange"], "unknown light 'orange'"),
    "rank by a stage": (["rank", "--by", "stage"], "cannot rank by 'stage'"),
    "rank by nothing": (["rank", "--by", ""], "cannot rank by ''"),
    "rank with an unknown sector": (["rank", "--sector", "nope"], "unknown sector 'nope'"),
    "lights --only green": (["lights", "--only", "green"], "--only 'green' is not yellow or red"),
    "lights --fail-on orange": (["lights", "--fail-on", "orange"], "--fail-on 'orange' is not yellow or red"),
    "plan red of 0 days": (["stages", "set", "signed", "--plan-red", "0"], "yellow below red"),
    "plan yellow equal to red": (
        ["stages", "set", "signed", "--plan-yellow", "5", "--plan-red", "5"],
        "yellow below red",
    ),
    "stage yellow after red": (["stages", "set", "signed", "--yellow", "100"], "must come before red"),
    "stage lights on the last rung": (["stages", "set", "capacity", "--yellow", "10"], "capacity is the last stage"),
    "problem list two states": (["problem", "list", "--overdue", "--open"], "exclude each other"),
}


@pytest.fixture
def agenda(db: Path) -> Path:
    for args in (
        ["plan", "2", "signed", "2020-08-01"],
        ["plan", "5", "signed", "2020-09-01"],
        ["problem", "add", "7", "用地指标未落实", "--due", "2020-08-10"],
    ):
        assert run_cli(*args).exit_code == 0
    return db


@pytest.mark.parametrize(("args", "message"), REFUSALS.values(), ids=list(REFUSALS))
def test_refused_with_the_database_unchanged(agenda: Path, args: list[str], message: str) -> None:
    before = file_hash(agenda)
    for run in (run_cli, run_sh):
        result = run(*args)
        assert (result.exit_code, result.stdout) == (2, ""), (run.__name__, result.stderr)
        assert message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
        assert file_hash(agenda) == before


def test_lights_fail_on_exits_9_with_the_lights_printed_and_nothing_written(agenda: Path) -> None:
    before = file_hash(agenda)
    for run in (run_cli, run_sh):
        result = run("lights", "--fail-on", "yellow", "--format", "tsv")
        assert result.exit_code == 9
        assert result.stdout.startswith("id\t") and "2\t" in result.stdout
        assert "Traceback" not in result.stderr
        assert file_hash(agenda) == before
