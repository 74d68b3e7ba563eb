"""Tables that fit: at any width from 40 columns up, one line per row, no id, number or date cut or broken.

Long text is cut with …; in English a stage or sector shows its Chinese
name alone when "slug 中文" does not fit; COLUMNS=0 or nonsense is 80.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import run_cli

WIDTHS = [40, 60, 80, 100, 120]
COMMANDS = [
    ["list"],
    ["list", "--all"],
    ["lights"],
    ["due", "--within", "3650"],
    ["problem", "list"],
    ["rank"],
    ["summary", "--by", "sector"],
    ["summary", "--by", "district"],
]


@pytest.fixture
def worked(db: Path) -> Path:
    for args in (
        ["plan", "7", "construction", "2020-07-01"],
        ["plan", "8", "preliminary", "2020-12-31"],
        ["problem", "add", "7", "用地指标未落实，需市自然资源局协调解决的长问题描述", "--due", "2020-08-01"],
        ["drop", "9", "--reason", "投资方撤回"],
    ):
        assert run_cli(*args).exit_code == 0, args
    return db


def _table(args: list[str], width: int, lang: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("--lang", lang, *args, "-f", "table")
    assert result.exit_code == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_a_table_fits_with_one_line_per_row_and_whole_numbers(
    worked: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], width: int, lang: str
) -> None:
    lines = _table(args, width, lang, monkeypatch)
    assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
    data = json.loads(run_cli(*args, "-f", "json").stdout)
    records = data["groups"] if isinstance(data, dict) else data
    body = [line for line in lines if not set(line.strip()) <= {"─", " "}]
    # Header (and a title or total line) aside, one line per record.
    assert len(records) <= len(body) <= len(records) + 3, "\n".join(lines)
    if args[0] in ("list", "lights", "due", "problem"):
        rows = body[-len(records) :]
        for record, line in zip(records, rows, strict=True):
            tokens = line.split()
            assert str(record["id"]) == tokens[0], line  # the id, first and whole
            for key in ("days_in_stage", "next_plan_date", "overdue_days", "due", "opened"):
                if key in record and record[key] not in (None, 0) and f" {record[key]}" in " ".join(tokens):
                    assert str(record[key]) in tokens, line
    if width >= 80 and args[0] == "list":
        # Wide enough for every brief column: days in stage and amounts whole on every row.
        for record, line in zip(records, body[-len(records) :], strict=True):
            assert str(record["days_in_stage"]) in line.split(), line


def test_long_text_is_cut_with_an_ellipsis(worked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = _table(["problem", "list"], 60, "zh", monkeypatch)
    assert any("…" in line for line in lines), "\n".join(lines)
    assert not any("需市自然资源局协调解决的长问题描述" in line for line in lines)


def test_a_narrow_english_table_names_stages_and_sectors_in_chinese_alone(
    worked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = "\n".join(_table(["list"], 160, "en", monkeypatch))
    assert "negotiating 在谈" in wide and "it 新一代信息技术" in wide
    narrow = "\n".join(_table(["list"], 80, "en", monkeypatch))
    assert "在谈" in narrow and "negotiating" not in narrow


@pytest.mark.parametrize("value", ["0", "abc", "-5", ""])
def test_columns_zero_or_nonsense_is_80(worked: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("COLUMNS", value)
    nonsense = run_cli("list", "-f", "table").stdout
    monkeypatch.setenv("COLUMNS", "80")
    assert nonsense == run_cli("list", "-f", "table").stdout
    assert max(cell_len(line) for line in nonsense.splitlines()) <= 80
    assert re.search(r"^\s+1\s", nonsense, re.M)
