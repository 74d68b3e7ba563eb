"""Tables that fit: at any width from 40 columns up, one line per row, no id, number or date cut or broken.

Long text is cut with …; in English a stage or sector shows its Chinese
name alone when "slug 中文" does not fit; COLUMNS=0 or nonsense is 80.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from conftest import run_cli
from pipeline_cli.formats import cut, cut_cell

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


# --- every width from 40 to 200, every table ---------------------------------------

EVERY_WIDTH = [*range(40, 201, 7), 200]
EVERY_TABLE = [
    ["list", "--all"],
    ["lights"],
    ["due", "--within", "3650"],
    ["rank"],
    ["rank", "--by", "sector"],
    ["summary"],
    ["summary", "--by", "sector", "--by", "stage"],
    ["summary", "--by", "district"],
    ["funnel"],
    ["report"],
]
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?%?")
NUMERIC = re.compile(r"[\d.,:%+-]*\d[\d.,:%+-]*")


def table_rows(lines: list[str]) -> list[str]:
    """The lines of a table's body: below a header's rule, up to the next rule or line that is not a row."""
    rows, inside = [], False
    for line in lines:
        if set(line.strip()) <= {"─", " "}:
            inside = True
        elif inside and line.startswith(" "):
            rows.append(line)
        else:
            inside = False
    return rows


def broken_values(lines: list[str], texts: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Numbers and dates that are not whole: cut with …, or a date or number left half."""
    found = []
    for line in lines:
        for token in re.split(r"[\s│|]+", line):
            core = token.strip("()（）[]:：,，")
            if not core:
                continue
            if re.fullmatch(r"[\d.,:%+-]+…", core):
                if not any(text.startswith(core[:-1]) and text != core[:-1] for text in texts):
                    found.append(token)  # a number or date cut with … (not a name that starts with digits)
            elif NUMERIC.fullmatch(core) and not (DATE.fullmatch(core) or NUMBER.fullmatch(core)):
                found.append(token)  # 2020-08- or 1.2.3: a value cut short or run together
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("args", EVERY_TABLE, ids=[" ".join(a) for a in EVERY_TABLE])
def test_at_every_width_from_40_to_200_a_table_keeps_each_row_on_one_line(
    worked: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], lang: str
) -> None:
    widest = _table(args, 400, lang, monkeypatch)
    # Names that start with digits (12英寸晶圆制造项目) may be cut like any text.
    texts = {p["name"] for p in json.loads(run_cli("list", "--all", "-f", "json").stdout)}
    assert not broken_values(widest), "\n".join(widest)
    for width in EVERY_WIDTH:
        lines = _table(args, width, lang, monkeypatch)
        shown = "\n".join(lines)
        assert max(cell_len(line) for line in lines) <= width, f"{width}:\n{shown}"
        # One line per row at every width: as many rows as when nothing has to give (a report's
        # titles and notes are sentences, and may wrap between words).
        if args[0] == "report":
            assert len(table_rows(lines)) == len(table_rows(widest)), f"{width}:\n{shown}"
        else:
            assert len(lines) == len(widest), f"{width}:\n{shown}"
        assert broken_values(lines, texts) == [], f"{width}:\n{shown}"
        # Whatever dates are shown are whole, and in the widest table too.
        assert set(DATE.findall(shown)) <= set(DATE.findall("\n".join(widest))), width


def test_the_detector_of_broken_values_finds_a_cut_number_or_date() -> None:
    assert broken_values(["   12  工业软件…  15.5  2020-06-22  57  ● 绿灯"]) == []
    assert broken_values(["   12  工业软件研发中心项目  15…"]) == ["15…"]
    assert broken_values(["   12  工业软件研发中心项目  2020-06-"]) == ["2020-06-"]
    assert broken_values([" 合计  55  12121.8178  50.9%"]) == []
    assert broken_values(["    1  12…  新…"], {"12英寸晶圆制造项目"}) == []


@pytest.mark.parametrize("value", ["0", "abc"])
@pytest.mark.parametrize("args", EVERY_TABLE, ids=[" ".join(a) for a in EVERY_TABLE])
def test_columns_zero_or_nonsense_is_80_for_every_table(
    worked: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], value: str
) -> None:
    monkeypatch.setenv("COLUMNS", value)
    nonsense = run_cli("--lang", "zh", *args, "-f", "table")
    assert nonsense.exit_code == 0, nonsense.stderr
    monkeypatch.setenv("COLUMNS", "80")
    assert nonsense.stdout == run_cli("--lang", "zh", *args, "-f", "table").stdout
    assert max(cell_len(line) for line in nonsense.stdout.splitlines()) <= 80


@pytest.mark.parametrize("args", [["list"], ["lights"], ["report"]], ids=" ".join)
def test_long_names_are_cut_with_an_ellipsis_when_narrow(
    worked: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    lines = _table(args, 60, "zh", monkeypatch)
    assert any("…" in line for line in lines), "\n".join(lines)
    assert not any("工业互联网平台区域总部项目" in line for line in lines)
    assert "工业互联网平台区域总部项目" in "\n".join(_table(args, 200, "zh", monkeypatch))


# --- cutting a cell: the … right after the text, the padding after the … ---------------

CELL_TEXT = st.text(
    alphabet=st.sampled_from([*"东华鲲鹏项目新型显示模组生产区", *"abcXYZ019", " ", *"（）、，·-", "é", "ｱ", "😀"]),
    max_size=24,
)


@given(text=CELL_TEXT, width=st.integers(min_value=1, max_value=30))
def test_a_cut_text_fits_and_its_ellipsis_follows_the_text(text: str, width: int) -> None:
    shown = cut(text, width)
    assert cell_len(shown) <= width
    if cell_len(text) <= width:
        assert shown == text
        return
    assert shown.endswith("…")
    # As much of the text as fits beside the …, without the spaces that would stand before it.
    kept = max(k for k in range(len(text) + 1) if cell_len(text[:k]) <= width - 1)
    assert shown == text[:kept].rstrip() + "…"
    assert not shown[:-1].endswith((" ", "\u3000"))


@given(text=CELL_TEXT, width=st.integers(min_value=1, max_value=30), styled=st.booleans())
def test_a_cut_cell_is_padded_to_its_column_at_the_end(text: str, width: int, styled: bool) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_header=False, pad_edge=False, padding=0)
    table.add_column(width=width, no_wrap=True, overflow="ellipsis")
    table.add_column(width=1)
    cell = Text(text, style="bold") if styled else text
    table.add_row(cut_cell(cell, width), "|")
    console = Console(width=200, color_system=None, force_terminal=False, highlight=False)
    with console.capture() as captured:
        console.print(table)
    line = captured.get().splitlines()[0]
    shown = cut(text, width)
    assert line == shown + " " * (width - cell_len(shown)) + "|", (line, shown)


@pytest.mark.parametrize(
    "args", [["list"], ["lights"], ["problem", "list"], ["report"], ["summary", "--by", "district"]]
)
def test_no_cut_cjk_name_shows_a_space_before_its_ellipsis(
    worked: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    # Rich's ellipsis put the padding before it when a double-width character did not fit: `东华鲲鹏 …`.
    for width in range(40, 90, 3):
        lines = _table(args, width, "zh", monkeypatch)
        assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
        assert not any(re.search(r"[^\s─…]\s…", line) for line in lines), (width, "\n".join(lines))
