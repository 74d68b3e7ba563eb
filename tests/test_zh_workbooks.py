"""Workbooks in Chinese: sheet names, headers and every text cell, as a person opens them.

A workbook is a human format (the contract lists `xlsx` with `table`,
`markdown`, `text` and `html`): under `--lang zh` nothing in it is English,
values named by the catalogue included (a light's reason, a status, an
event's kind), and writing one leaves the database as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import file_hash, run_cli, run_sh
from test_zh_everywhere import english_left, worked  # noqa: F401  (the fixture)

WORKBOOKS = [
    ["list", "--all"],
    ["lights"],
    ["due"],
    ["due", "--overdue"],
    ["summary", "--by", "status"],
    ["summary", "--by", "sector", "--by", "stage"],
    ["funnel"],
    ["rank"],
    ["report"],
    ["problem", "list"],
]


def texts(path: Path) -> list[str]:
    """Every sheet name and every text cell of the workbook at `path`."""
    book = openpyxl.load_workbook(path, read_only=True)
    found: list[str] = list(book.sheetnames)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            found += [cell for cell in row if isinstance(cell, str)]
    book.close()
    return found


@pytest.mark.parametrize("args", WORKBOOKS, ids=[" ".join(a) for a in WORKBOOKS])
def test_a_chinese_workbook_has_not_one_english_cell(worked: Path, tmp_path: Path, args: list[str]) -> None:  # noqa: F811
    before = file_hash(worked)
    out = tmp_path / "out.xlsx"
    result = run_cli("--lang", "zh", *args, "-f", "xlsx", "-o", str(out))
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    cells = texts(out)
    assert len(cells) > 1
    left: dict[str, Any] = {cell: english_left(cell) for cell in cells if english_left(cell)}
    assert left == {}
    assert file_hash(worked) == before


def test_a_light_reason_is_named_in_a_chinese_workbook_as_in_its_table(worked: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "lights.xlsx"
    assert run_cli("--lang", "zh", "lights", "-f", "xlsx", "-o", str(out)).exit_code == 0
    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    column = rows[0].index("亮灯原因")
    reasons = {row[column] for row in rows[1:]} - {None}
    # Named here as well as by the detector: the two reasons, in Chinese.
    assert reasons and reasons <= {"阶段停留", "计划逾期"}, reasons
    english = tmp_path / "lights-en.xlsx"
    assert run_cli("--lang", "en", "lights", "-f", "xlsx", "-o", str(english)).exit_code == 0
    book = openpyxl.load_workbook(english, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert {row[column] for row in rows[1:]} - {None} == {"stage"}  # the same column, slugs in English


def test_the_installed_command_writes_a_chinese_workbook_under_pipeline_lang(worked: Path, tmp_path: Path) -> None:  # noqa: F811
    before = file_hash(worked)
    out = tmp_path / "lights.xlsx"
    result = run_sh("lights", "-f", "xlsx", "-o", str(out), env={"PIPELINE_LANG": "Zh"})
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    assert english_left(result.stderr) == [], result.stderr
    assert [cell for cell in texts(out) if english_left(cell)] == []
    assert file_hash(worked) == before
