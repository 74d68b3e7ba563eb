"""Every command's output over the fixture is what it was before the field table.

tests/data/before_after.json was captured (tests/before_after.py) from the
code before one field table and one read path replaced its many column
lists. Byte for byte the same, except where the contract changed: TSV escapes
tab, newline, carriage return and backslash (PostgreSQL's text COPY), and the
CSV of every command neutralises formula cells and quotes every CR and LF.
The awkward scenario holds such text; its csv and tsv are compared as the
contract now says they must read.
"""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

import before_after
from pipeline_cli.formats import escape_cell, tsv_unescape

BEFORE: dict[str, dict[str, str]] = json.loads(before_after.DATA.read_text(encoding="utf-8"))
ENGINES = ["sqlite", "postgresql"] if os.environ.get("PIPELINE_TEST_ENGINES") == "all" else ["sqlite"]


@pytest.fixture(scope="module", params=ENGINES)
def now(request: pytest.FixtureRequest) -> dict[str, dict[str, str]]:
    """The outputs now, on an SQLite file, or (PIPELINE_TEST_ENGINES=all) on PostgreSQL: the same bytes."""
    if request.param == "sqlite":
        return before_after.current()
    import pg

    server = request.getfixturevalue("pg_server")
    assert isinstance(server, pg.Server)
    # Logged in as the login name the file's events record (db_user), so that history is the same bytes.
    server.admin(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tester')"
        " THEN CREATE ROLE tester LOGIN SUPERUSER; END IF; END $$"
    )
    return before_after.current(lambda: server.url(server.new_database(), user="tester"))


def _delimited(args: str) -> str | None:
    words = args.split()
    if words[0] in ("export",) and "-f" not in words:
        return "csv"
    if "-f" in words:
        fmt = words[words.index("-f") + 1]
        return fmt if fmt in ("csv", "tsv") else None
    return "tsv" if words[0] not in ("add", "advance", "edit", "drop", "undo", "check") else None


def test_the_same_commands_were_run(now: dict[str, dict[str, str]]) -> None:
    assert {scenario: sorted(found) for scenario, found in now.items()} == {
        scenario: sorted(found) for scenario, found in BEFORE.items()
    }


def _numeric(cell: str) -> bool:
    return cell.lstrip("+-").replace(".", "", 1).isdigit()


def _assert_same(before: str, after: str, args: str) -> None:
    fmt = _delimited(args)
    if fmt is None or before == after:
        assert after == before
        return
    head_before, body_before = before.split("\n", 1)
    head_after, body_after = after.split("\n", 1)
    assert head_after == head_before  # the exit code
    old_rows = list(csv.reader(io.StringIO(body_before, newline=""), delimiter="," if fmt == "csv" else "\t"))
    if fmt == "tsv":
        lines = body_after.split("\n")
        assert lines[-1] == ""
        assert not any("\r" in line for line in lines)
        new_rows = [[tsv_unescape(cell) for cell in line.split("\t")] for line in lines[:-1]]
        assert len({len(row) for row in new_rows}) == 1  # every line one record
        assert new_rows == old_rows
    else:
        new_rows = list(csv.reader(io.StringIO(body_after, newline="")))
        expected = [[cell if _numeric(cell) else escape_cell(cell) for cell in row] for row in old_rows]
        assert new_rows == expected


@pytest.mark.parametrize("scenario", sorted(BEFORE))
def test_outputs_change_only_as_the_contract_says(now: dict[str, dict[str, str]], scenario: str) -> None:
    for args, before in sorted(BEFORE[scenario].items()):
        try:
            _assert_same(before, now[scenario][args], args)
        except AssertionError as error:
            raise AssertionError(f"pipeline {args}: {error}") from None
