"""`list` in json, jsonl, csv and tsv streams the contract's values straight from SQL (no dict per row).

Its text must be byte for byte what the general path (project objects through
formats.write_records) gives, for every sort, filter and awkward value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from pipeline_cli import store
from pipeline_cli.formats import PROJECT_BRIEF_COLUMNS, PROJECT_COLUMNS, Style, write_records
from pipeline_cli.model import Filters, make_filters, project_from_row, today

AWKWARD = [
    ["tab\there", "--sector", "it", "--investment", "0.0001"],
    ['quote " and, comma', "--sector", "food", "--investment", "0"],
    ["line\nbreak", "--sector", "biomed", "--investment", "123456.7891", "--key", "--note", "="],
    ["no amount 无金额", "--sector", "textile", "--district", "城阳区", "--lead", "李明"],
    ["big", "--sector", "transport", "--investment", "99999999.9999", "--stage", "capacity"],
]


@pytest.fixture
def awkward_db(db: Path, cli: Callable[..., Result]) -> Path:
    for args in AWKWARD:
        result = cli("add", *args)
        assert result.exit_code == 0, result.stderr
    result = cli("drop", "3", "--reason", "gone")
    assert result.exit_code == 0, result.stderr
    return db


def general_path(db: Path, filters: Filters, fmt: str, *, sort: str, reverse: bool, header: bool) -> str:
    conn = store.open_existing(db)
    try:
        rows = store.iter_projects(conn, filters, today(), sort=sort, reverse=reverse)
        out = io.StringIO()
        style = Style(header=header)
        write_records(
            out, (project_from_row(r) for r in rows), PROJECT_COLUMNS, fmt, style, brief=PROJECT_BRIEF_COLUMNS
        )
        return out.getvalue()
    finally:
        conn.close()


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
@pytest.mark.parametrize(
    ("args", "filters", "sort", "reverse"),
    [
        ([], {}, "id", False),
        (["--all", "--sort", "investment"], {"include_dropped": True}, "investment", False),
        (["--sort", "light", "--reverse"], {}, "light", True),
        (["--sector", "it", "--sector", "food"], {"sectors": ["it", "food"]}, "id", False),
        (["--light", "red", "--sort", "days"], {"lights": ["red"]}, "days_in_stage", False),
        (["--search", "no such project"], {"search": "no such project"}, "id", False),
    ],
)
def test_list_machine_formats_match_the_general_path(
    awkward_db: Path,
    cli: Callable[..., Result],
    fmt: str,
    args: list[str],
    filters: dict[str, object],
    sort: str,
    reverse: bool,
) -> None:
    result = cli("list", "--format", fmt, *args)
    assert result.exit_code == 0, result.stderr
    expected = general_path(awkward_db, make_filters(**filters), fmt, sort=sort, reverse=reverse, header=True)  # type: ignore[arg-type]
    assert result.stdout == expected


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_no_header_on_the_plain_path(awkward_db: Path, cli: Callable[..., Result], fmt: str) -> None:
    result = cli("list", "--format", fmt, "--no-header", "--all")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == general_path(
        awkward_db, make_filters(include_dropped=True), fmt, sort="id", reverse=False, header=False
    )
    assert result.stdout.splitlines()[0].startswith("1")


def test_awkward_values_as_written(awkward_db: Path, cli: Callable[..., Result]) -> None:
    lines = cli("list", "--format", "jsonl", "--all").stdout.splitlines()

    def line_of(name: str) -> str:
        (found,) = [line for line in lines if f'"name": {name}, ' in line]
        return found

    assert '"investment": 0.0001, "key": false' in line_of('"tab\\there"')
    assert '"investment": 0, "key": false' in line_of('"quote \\" and, comma"')
    assert '"investment": 123456.7891, "key": true' in line_of('"line\\nbreak"')
    assert '"investment": null, "key": false' in line_of('"no amount 无金额"')
    assert '"investment": 99999999.9999' in line_of('"big"')
    assert '"light": null' in line_of('"big"')
    tsv = cli("list", "--format", "tsv", "--search", "tab").stdout
    assert tsv.splitlines()[1].startswith('48\t"tab\there"\tit\t')
    (row,) = list(csv.DictReader(io.StringIO(tsv), delimiter="\t"))
    assert (row["name"], row["investment"], row["key"], row["note"]) == ("tab\there", "0.0001", "false", "")
