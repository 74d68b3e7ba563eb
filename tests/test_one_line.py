"""Stored text keeps its line breaks and tabs, but what people read stays on its line.

A name, reason or note with a line feed, carriage return, tab, U+2028 or
U+0085 is stored and exported exactly; a write's one-line confirmation, a
table row, a markdown cell and an error show those characters as escapes
(`\\n`, `\\t`, `\\u2028`), so no line splits and nothing reaches the terminal raw.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from pipeline_cli.texts import shown

Cli = Callable[..., Result]

BREAKING = ["a\nb", "a\rb", "a\tb", "a\u2028b", "a\u2029b", "a\x85b", "a\r\nb"]


@pytest.mark.parametrize("name", BREAKING)
def test_a_confirmation_stays_one_line(db: Path, cli: Cli, name: str) -> None:
    added = cli("add", name, "--sector", "it")
    assert added.exit_code == 0, added.stderr
    assert added.stdout.count("\n") == 1 and "\r" not in added.stdout
    assert shown(name) in added.stdout
    project_id = added.stdout.split()[1]
    for args in (
        ["edit", project_id, "--note", name],
        ["advance", project_id, "--note", name],
        ["drop", project_id, "--reason", name],
        ["restore", project_id],
        ["undo", "--yes"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stdout.count("\n") == 1, (args, result.stdout)
        assert not set("\r\x85\u2028\u2029") & set(result.stdout), args
    # Stored as given, and the JSON says so.
    shown_json = cli("show", project_id, "-f", "json")
    assert json.loads(shown_json.stdout)["name"] == name


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_a_table_row_stays_one_line(db: Path, cli: Cli, fmt: str) -> None:
    cli("add", "x\ny\u2028z", "--sector", "it", "--note", "n\r\nm")
    result = cli("list", "--search", "x", "-f", fmt)
    rows = [line for line in result.stdout.splitlines() if "x\\ny" in line or "x\\\\ny" in line]
    assert len(rows) == 1, result.stdout
    assert "\\u2028" in rows[0] or "\\\\u2028" in rows[0]
    assert not set("\r\x85\u2028\u2029") & set(result.stdout)


def test_an_error_quotes_a_value_on_one_line(db: Path, cli: Cli) -> None:
    result = cli("list", "--sector", "bio\nmed")
    assert result.exit_code == 2
    assert "bio\nmed" not in result.stderr


def test_the_installed_command_shows_one_line_too(db: Path, sh: Cli) -> None:
    added = sh("add", "line\nbreak\x85", "--sector", "it")
    assert added.exit_code == 0, added.stderr
    assert added.stdout == "added 48 line\\nbreak (negotiating)\n"
    dropped = sh("drop", "48", "--reason", "gone\ttoday")
    assert dropped.stdout.count("\n") == 1 and "gone\\ttoday" in dropped.stdout


def test_shown_leaves_other_text_alone() -> None:
    assert shown("东华鲲鹏　一期 (A) back\\slash") == "东华鲲鹏　一期 (A) back\\slash"
    assert shown("\x1b[31m\u202e\u2066") == "\\x1b[31m\\u202e\\u2066"
