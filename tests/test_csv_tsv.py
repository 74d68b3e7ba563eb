"""One writer per format: csv and tsv of every project listing say what its json says.

`list` and `lights` stream the contract's values from SQL as tuples (one read
path); csv neutralises formula cells and quotes every CR and LF, so it reads
back (and imports) unchanged; tsv escapes tab, newline, carriage return and
backslash as PostgreSQL's text COPY does, so each line is one record.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Result
from pipeline_cli.formats import escape_cell, plain, tsv_unescape

AWKWARD = [
    ["tab\there", "--sector", "it", "--investment", "0.0001"],
    ['quote " and, comma', "--sector", "food", "--investment", "0"],
    ["line\nbreak", "--sector", "biomed", "--investment", "1234.5678", "--key", "--note", "="],
    ["no amount 无金额", "--sector", "textile", "--district", "城阳区", "--lead", "李明"],
    ["big", "--sector", "transport", "--investment", "9999.9999", "--stage", "capacity"],
    ["lone\rreturn", "--sector", "biomed", "--note", "back\\slash \\t"],
    ["=1+2", "--sector", "it", "--district", "@cmd", "--lead", "-x", "--unit", "+y", "--note", "'=quoted"],
]
TEXT = ("name", "district", "unit", "lead", "note")


@pytest.fixture
def awkward_db(db: Path, cli: Callable[..., Result]) -> Path:
    for args in AWKWARD:
        result = cli("add", *args)
        assert result.exit_code == 0, result.stderr
    result = cli("drop", "3", "--reason", "gone")
    assert result.exit_code == 0, result.stderr
    return db


def _as_text(name: str, value: Any, fmt: str) -> str:
    text = plain(value)
    return escape_cell(text) if fmt == "csv" and name in TEXT and isinstance(value, str) else text


def parse(text: str, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(text, newline="")))
    lines = text.split("\n")
    assert lines[-1] == ""
    return [[tsv_unescape(cell) for cell in line.split("\t")] for line in lines[:-1]]


ARGS = [
    ["list"],
    ["list", "--all", "--sort", "investment"],
    ["list", "--sort", "light", "--reverse"],
    ["list", "--sector", "it", "--sector", "food"],
    ["list", "--light", "red", "--sort", "days"],
    ["list", "--search", "no such project"],
    ["lights"],
    ["lights", "--only", "red"],
]


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
@pytest.mark.parametrize("args", ARGS, ids=" ".join)
def test_csv_and_tsv_say_what_json_says(
    awkward_db: Path, cli: Callable[..., Result], fmt: str, args: list[str]
) -> None:
    projects = [json.loads(line) for line in cli(*args, "--format", "jsonl").stdout.splitlines()]
    result = cli(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    rows = parse(result.stdout, fmt)
    header, body = rows[0], rows[1:]
    assert header == list(projects[0]) if projects else header
    assert body == [[_as_text(name, value, fmt) for name, value in project.items()] for project in projects]


def test_tsv_lines_are_records(awkward_db: Path, cli: Callable[..., Result]) -> None:
    lines = cli("list", "--all", "--format", "tsv").stdout.split("\n")[:-1]
    assert {line.count("\t") for line in lines} == {18}
    assert "\r" not in "".join(lines)
    row = next(line for line in lines if line.startswith("53\t"))
    assert row.split("\t")[1] == "lone\\rreturn"
    assert row.split("\t")[10] == "back\\\\slash \\\\t"
    assert "\ttab\\there\t" in "\t" + "\t".join(lines)


def test_csv_quotes_a_lone_carriage_return_and_neutralises_formulas(
    awkward_db: Path, cli: Callable[..., Result]
) -> None:
    text = cli("list", "--all", "--format", "csv").stdout
    assert '\n53,"lone\rreturn",' in text
    line = next(line for line in text.split("\n") if line.startswith("54,"))
    assert line.startswith("54,'=1+2,it,")
    assert ",'@cmd,'+y,'-x,''=quoted," in line


@pytest.mark.parametrize("command", ["list", "lights"])
def test_csv_of_a_listing_imports_back_unchanged(
    awkward_db: Path, cli: Callable[..., Result], tmp_path: Path, command: str
) -> None:
    file = tmp_path / "projects.csv"
    args = [command, "--all"] if command == "list" else [command]
    file.write_text(cli(*args, "--format", "csv").stdout, encoding="utf-8", newline="")
    result = cli("import", str(file))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("nothing to import"), result.stdout


def test_awkward_values_as_written(awkward_db: Path, cli: Callable[..., Result]) -> None:
    lines = cli("list", "--format", "jsonl", "--all").stdout.splitlines()

    def line_of(name: str) -> str:
        (found,) = [line for line in lines if f'"name": {name}, ' in line]
        return found

    assert '"investment": 0.0001, "key": false' in line_of('"tab\\there"')
    assert '"investment": 0, "key": false' in line_of('"quote \\" and, comma"')
    assert '"investment": 1234.5678, "key": true' in line_of('"line\\nbreak"')
    assert '"investment": null, "key": false' in line_of('"no amount 无金额"')
    assert '"investment": 9999.9999' in line_of('"big"')
    assert '"light": null' in line_of('"big"')
    tsv = cli("list", "--format", "tsv", "--search", "tab").stdout
    assert tsv.splitlines()[1].startswith("48\ttab\\there\tit\t")
