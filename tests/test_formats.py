"""Output formats: each parses back; defaults, headers, colour, language, CJK alignment,
a closed pipe, and where tracebacks may appear."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len

from builders import build_many, build_mixed
from conftest import PIPELINE_BIN, PROJECT_FIELDS, Result, file_hash, run_cli
from pipeline_cli.formats import tsv_unescape

Cli = Callable[..., Result]
Project = dict[str, Any]

FIELDS = PROJECT_FIELDS
ESCAPE = "\x1b"


@pytest.fixture
def mixed(blank: Path) -> Path:
    return build_mixed(blank)


def run_ok(cli: Cli, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def as_json(cli: Cli, *args: str) -> list[Project]:
    projects: list[Project] = json.loads(run_ok(cli, *args, "--format", "json"), parse_float=Decimal)
    return projects


def as_text(value: Any) -> str:
    """How a JSON value is expected to look in csv/tsv: null empty, booleans true/false."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# --- each format parses back ----------------------------------------------------


def test_json_is_an_array_of_contract_objects(mixed: Path, cli: Cli) -> None:
    projects = as_json(cli, "list", "--all")
    assert len(projects) == 52
    for project in projects:
        assert list(project) == FIELDS
        assert isinstance(project["key"], bool)
        assert project["investment"] is None or isinstance(project["investment"], (int, Decimal))
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", project["stage_since"])
    by_name = {p["name"]: p for p in projects}
    # Exact amounts in the JSON text: the smallest (1 万元) and a long one.
    assert by_name["Alpha_Beta Lab项目"]["investment"] == Decimal("0.0001")
    assert by_name['青岛"蓝谷",海洋|装备项目']["investment"] == Decimal("1234.5678")
    assert by_name["降解率100%新材料项目"]["investment"] is None


def test_jsonl_is_one_object_per_line(mixed: Path, cli: Cli) -> None:
    text = run_ok(cli, "list", "--all", "--format", "jsonl")
    lines = text.splitlines()
    assert text.endswith("\n")
    assert len(lines) == 52
    assert [json.loads(line, parse_float=Decimal) for line in lines] == as_json(cli, "list", "--all")


@pytest.mark.parametrize(("fmt", "delimiter"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_parse_back_to_the_json(mixed: Path, cli: Cli, fmt: str, delimiter: str) -> None:
    projects = as_json(cli, "list", "--all")
    text = run_ok(cli, "list", "--all", "--format", fmt)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    else:  # one line per record, \t \n \r \\ escaped
        rows = [[tsv_unescape(cell) for cell in line.split("\t")] for line in text.split("\n")[:-1]]
    assert rows[0] == FIELDS
    assert len(rows) == 1 + 52
    for row, project in zip(rows[1:], projects, strict=True):
        assert row == [as_text(project[field]) for field in FIELDS]
    # The tricky one survives: quotes, comma, pipe, line break and tab.
    tricky = next(row for row in rows if row[1].startswith("青岛"))
    assert tricky[1] == '青岛"蓝谷",海洋|装备项目'
    assert tricky[FIELDS.index("note")] == "第一行\n第二行\t制表"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_no_header(mixed: Path, cli: Cli, fmt: str) -> None:
    with_header = run_ok(cli, "list", "--format", fmt)
    without = run_ok(cli, "list", "--format", fmt, "--no-header")
    first, rest = with_header.split("\n", 1)
    assert first == (",".join(FIELDS) if fmt == "csv" else "\t".join(FIELDS))
    assert without == rest
    assert without.startswith("1" + ("," if fmt == "csv" else "\t"))


def split_markdown_row(line: str) -> list[str]:
    assert line.startswith("| ") and line.endswith(" |"), line
    cells = re.split(r"(?<!\\) \| ", line[2:-2])
    return [cell.replace("\\|", "|").replace("\\\\", "\\") for cell in cells]


def test_markdown_is_a_table_with_a_header_separator(mixed: Path, cli: Cli) -> None:
    projects = as_json(cli, "list", "--all")
    lines = run_ok(cli, "list", "--all", "--format", "markdown").splitlines()
    header = split_markdown_row(lines[0])
    assert re.fullmatch(r"\|(:?-{3,}:?\|)+", lines[1])
    assert lines[1].count("|") == len(header) + 1
    rows = [split_markdown_row(line) for line in lines[2:]]
    assert len(rows) == 52
    assert all(len(row) == len(header) for row in rows)
    assert [int(row[0]) for row in rows] == [p["id"] for p in projects]
    # A pipe inside a name is escaped, not a column break.
    names = [row[1] for row in rows]
    assert '青岛"蓝谷",海洋|装备项目' in names


def table_ids(text: str) -> list[int]:
    return [int(line.split()[0]) for line in text.splitlines() if re.match(r"\s*\d+\s", line)]


def test_table_parses_back_to_the_same_ids(mixed: Path, cli: Cli) -> None:
    projects = as_json(cli, "list", "--all")
    text = run_ok(cli, "list", "--all", "--format", "table")
    assert table_ids(text) == [p["id"] for p in projects]
    assert ESCAPE not in text


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "markdown"])
def test_show_in_every_format(db: Path, cli: Cli, fmt: str) -> None:
    text = run_ok(cli, "show", "7", "--format", fmt)
    assert "东华鲲鹏" in text
    if fmt == "json":
        assert json.loads(text)["history"][0]["kind"] == "created"
    if fmt == "jsonl":
        assert len(text.splitlines()) == 1
        assert json.loads(text)["id"] == 7
    if fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0] == FIELDS
        assert rows[1][:2] == ["7", "东华鲲鹏"]


@pytest.mark.parametrize("command", ["stages", "sectors"])
@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "markdown"])
def test_vocabularies_in_every_format(db: Path, cli: Cli, command: str, fmt: str) -> None:
    records = json.loads(run_ok(cli, command, "--format", "json"))
    text = run_ok(cli, command, "--format", fmt)
    slug = "stage" if command == "stages" else "sector"
    for record in records:
        assert record[slug] in text
    if fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(text), delimiter="," if fmt == "csv" else "\t"))
        assert [row[slug] for row in rows] == [r[slug] for r in records]
        assert rows == [{k: as_text(v) for k, v in r.items()} for r in records]


# --- defaults: tsv in a pipe ---------------------------------------------------------


def test_default_is_tsv_when_not_a_terminal(db: Path, cli: Cli, sh: Callable[..., Result]) -> None:
    expected = run_ok(cli, "list", "--format", "tsv")
    assert run_ok(cli, "list") == expected
    piped = sh("list")
    assert (piped.exit_code, piped.stderr) == (0, "")
    assert piped.stdout == expected
    assert piped.stdout.splitlines()[0] == "\t".join(FIELDS)
    assert len(piped.stdout.splitlines()) == 48


# --- colour --------------------------------------------------------------------------


def run_in_terminal(args: list[str], env: dict[str, str], columns: int = 160) -> tuple[int, str]:
    """Run the console script with its stdout on a pseudo-terminal."""
    pty = pytest.importorskip("pty")
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [str(PIPELINE_BIN), *args], stdout=slave, stderr=subprocess.PIPE, env={**os.environ, **env}
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=60)
    os.close(master)
    assert process.stderr is not None
    assert process.stderr.read() == b""
    process.stderr.close()
    return process.returncode, b"".join(chunks).decode()


def test_terminal_gets_a_table_with_colour(db: Path) -> None:
    code, text = run_in_terminal(["list", "--limit", "3"], {"TERM": "xterm-256color"})
    assert code == 0
    assert ESCAPE in text  # so the NO_COLOR checks below can see escape codes
    assert "12英寸晶圆制造项目" in text


@pytest.mark.parametrize("fmt", [[], ["--format", "table"], ["--format", "markdown"]])
def test_no_color_means_no_escape_codes_on_a_terminal(db: Path, fmt: list[str]) -> None:
    code, text = run_in_terminal(["list", "--limit", "3", *fmt], {"TERM": "xterm-256color", "NO_COLOR": "1"})
    assert code == 0
    assert "12英寸晶圆制造项目" in text
    assert ESCAPE not in text


def test_show_honours_no_color(db: Path) -> None:
    code, text = run_in_terminal(["show", "7"], {"TERM": "xterm-256color", "NO_COLOR": "1"})
    assert code == 0
    assert "东华鲲鹏" in text and "History" in text
    assert ESCAPE not in text


def test_80_column_terminal_shows_every_column(db: Path) -> None:
    code, text = run_in_terminal(["list", "--limit", "3"], {"TERM": "xterm-256color", "NO_COLOR": "1"}, columns=80)
    assert code == 0
    lines = text.splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    header = next(line for line in lines if "ID" in line)
    for title in ("ID", "Name", "Sector", "Stage", "亿元", "Key", "District", "Days", "Light"):
        assert title in header
    assert "西海岸新区" in text


@pytest.mark.parametrize("fmt", ["table", "markdown", "tsv", "json"])
def test_colour_never_reaches_a_pipe(db: Path, sh: Callable[..., Result], fmt: str) -> None:
    result = sh("list", "--format", fmt, env={"FORCE_COLOR": "1", "TERM": "xterm-256color", "CLICOLOR_FORCE": "1"})
    assert result.exit_code == 0
    assert "12英寸晶圆制造项目" in result.stdout
    assert ESCAPE not in result.stdout


def test_no_color_in_process(db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    for command in (["list", "--format", "table"], ["show", "7", "--format", "table"], ["stages", "-f", "table"]):
        assert ESCAPE not in run_ok(cli, *command)


# --- label language --------------------------------------------------------------------


def test_lang_changes_table_headers_and_labels(db: Path, cli: Cli) -> None:
    en = run_ok(cli, "list", "--format", "table", "--lang", "en")
    zh = run_ok(cli, "list", "--format", "table", "--lang", "zh")
    assert "Name" in en and "District" in en and "negotiating 在谈" in en and "yellow" in en
    assert "项目名称" in zh and "区市" in zh and "在谈" in zh and "黄灯" in zh
    assert "Name" not in zh and "negotiating" not in zh and "yellow" not in zh
    assert table_ids(en) == table_ids(zh) == list(range(1, 48))


def test_lang_changes_markdown_headers_and_labels(db: Path, cli: Cli) -> None:
    en = run_ok(cli, "list", "--format", "markdown", "--lang", "en").splitlines()
    zh = run_ok(cli, "list", "--format", "markdown", "--lang", "zh").splitlines()
    assert split_markdown_row(en[0])[:2] == ["ID", "Name"]
    assert split_markdown_row(zh[0])[:2] == ["编号", "项目名称"]
    assert split_markdown_row(en[2])[2:4] == ["it 新一代信息技术", "negotiating 在谈"]
    assert split_markdown_row(zh[2])[2:4] == ["新一代信息技术", "在谈"]


def test_pipeline_lang_works_like_lang_and_the_option_wins(db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    zh = run_ok(cli, "list", "--format", "table", "--lang", "zh")
    en = run_ok(cli, "list", "--format", "table", "--lang", "en")
    monkeypatch.setenv("PIPELINE_LANG", "zh")
    assert run_ok(cli, "list", "--format", "table") == zh
    assert run_ok(cli, "list", "--format", "table", "--lang", "en") == en
    assert "阶段" in run_ok(cli, "stages", "--format", "table")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
@pytest.mark.parametrize("command", [["list", "--all"], ["show", "7"], ["stages"], ["sectors"]])
def test_lang_never_changes_machine_formats(
    mixed: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, fmt: str, command: list[str]
) -> None:
    plain = run_ok(cli, *command, "--format", fmt)
    assert run_ok(cli, *command, "--format", fmt, "--lang", "zh") == plain
    assert run_ok(cli, *command, "--format", fmt, "--lang", "en") == plain
    monkeypatch.setenv("PIPELINE_LANG", "zh")
    assert run_ok(cli, *command, "--format", fmt) == plain
    # Slugs, not labels.
    assert "negotiating 在谈" not in plain and "it 新一代信息技术" not in plain


def test_unknown_lang_is_a_usage_error(db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli("list", "--lang", "fr")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "fr" in result.stderr
    monkeypatch.setenv("PIPELINE_LANG", "fr")
    result = cli("list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "PIPELINE_LANG" in result.stderr


# --- CJK alignment ---------------------------------------------------------------------


def column_start(line: str, text: str) -> int:
    """Display column at which `text` starts in `line` (CJK characters are 2 wide)."""
    return cell_len(line[: line.index(text)])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cjk_text_is_aligned_in_tables(mixed: Path, cli: Cli, lang: str) -> None:
    projects = as_json(cli, "list")
    text = run_ok(cli, "list", "--format", "table", "--lang", lang)
    lines = text.rstrip("\n").split("\n")
    assert len({cell_len(line) for line in lines}) == 1, "every line has the same display width"
    header = next(line for line in lines if ("District" if lang == "en" else "区市") in line)
    district_column = column_start(header, "District" if lang == "en" else "区市")
    days_header_end = column_start(header, "Days" if lang == "en" else "停留天数") + cell_len(
        "Days" if lang == "en" else "停留天数"
    )
    rows = [line for line in lines if re.match(r"\s*\d+\s", line)]
    assert len(rows) == len(projects)
    for line, project in zip(rows, projects, strict=True):
        assert column_start(line, project["name"]) == column_start(header, "Name" if lang == "en" else "项目名称")
        if project["district"]:
            assert column_start(line, project["district"]) == district_column
        # Numbers are right-aligned under their header.
        days = f" {project['days_in_stage']} "
        days_end = cell_len(line[: line.rindex(days)]) + cell_len(days) - 1
        assert days_end == days_header_end


def test_show_table_is_aligned(db: Path, cli: Cli) -> None:
    text = run_ok(cli, "show", "7", "--format", "table", "--lang", "zh")
    field_lines = text.split("\n\n")[0].splitlines()
    values = ["东华鲲鹏", "新一代信息技术", "市北区", "市工业和信息化局"]
    starts = {column_start(line, value) for line in field_lines for value in values if value in line}
    assert len(starts) == 1


# --- a closed pipe ------------------------------------------------------------------


@pytest.fixture
def many(blank: Path) -> Path:
    """Enough projects that the output overflows a pipe's buffer."""
    return build_many(blank, 1500)


@pytest.mark.parametrize("fmt", ["tsv", "json", "jsonl", "csv", "markdown", "table"])
def test_head_closes_the_pipe_quietly(many: Path, fmt: str) -> None:
    script = f'set -o pipefail; "{PIPELINE_BIN}" list --format {fmt} | head -1; echo "status ${{PIPESTATUS[0]}}" >&2'
    completed = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0
    assert completed.stderr == "status 0\n"
    assert len(completed.stdout.splitlines()) == 1


def test_head_on_the_default_output_of_the_seeded_database(db: Path) -> None:
    script = f'set -o pipefail; "{PIPELINE_BIN}" list | head -1'
    completed = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout == "\t".join(FIELDS) + "\n"


def test_closed_pipe_with_debug_is_quiet_too(many: Path) -> None:
    script = f'set -o pipefail; "{PIPELINE_BIN}" --debug list | head -1 >/dev/null'
    completed = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert (completed.returncode, completed.stderr) == (0, "")


# --- internal errors and --debug -------------------------------------------------------


def broken(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom")


def test_internal_error_is_one_message_without_traceback(db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline_cli import store

    monkeypatch.setattr(store, "iter_projects", broken)
    result = cli("list")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "error: internal error: RuntimeError: boom"
    assert all(line.startswith(("error:", "hint:")) for line in lines)
    assert "--debug" in lines[1]


def test_debug_lets_the_internal_error_propagate(db: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline_cli import store

    monkeypatch.setattr(store, "iter_projects", broken)
    with pytest.raises(RuntimeError, match="boom"):
        cli("--debug", "list")


BROKEN_SCRIPT = """
import sys
import pipeline_cli.store as store

def broken(*args, **kwargs):
    raise RuntimeError("boom")

store.iter_projects = broken
from pipeline_cli.cli import main
sys.argv = ["pipeline", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("debug", [False, True])
def test_traceback_only_with_debug_in_a_real_process(db: Path, debug: bool) -> None:
    args = ["--debug", "list"] if debug else ["list"]
    completed = subprocess.run([sys.executable, "-c", BROKEN_SCRIPT, *args], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert completed.stdout == ""
    if debug:
        assert "Traceback (most recent call last)" in completed.stderr
        assert "RuntimeError: boom" in completed.stderr
    else:
        assert "Traceback" not in completed.stderr
        assert completed.stderr.splitlines()[0] == "error: internal error: RuntimeError: boom"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["show", "999"], 3),
        (["list", "--sector", "nope"], 2),
        (["list", "--bogus"], 2),
        (["frobnicate"], 2),
        (["--db", "/nonexistent/folder/p.db", "list"], 6),
    ],
)
@pytest.mark.parametrize("debug", [False, True])
def test_refusals_never_show_a_traceback(db: Path, cli: Cli, args: list[str], code: int, debug: bool) -> None:
    result = cli(*(["--debug"] if debug else []), *args)
    assert result.exit_code == code
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


HTML_REFUSED = [
    ["list"],
    ["lights"],
    ["due"],
    ["problem", "list"],
    ["stages"],
    ["sectors"],
    ["show", "7"],
    ["history"],
    ["check"],
]


@pytest.mark.parametrize("args", HTML_REFUSED, ids=" ".join)
def test_a_refused_html_offers_xlsx_only_where_the_command_writes_it(db: Path, tmp_path: Path, args: list[str]) -> None:
    # stages -f html was told to use "table, …, tsv or xlsx", and then -f xlsx was refused.
    before = file_hash(db)
    for lang, hint in (("en", "hint: "), ("zh", "提示：")):
        html = run_cli("--lang", lang, *args, "-f", "html")
        assert (html.exit_code, html.stdout) == (2, ""), html.stderr
        xlsx = run_cli("--lang", lang, *args, "-f", "xlsx", "-o", str(tmp_path / "out.xlsx"))
        assert xlsx.exit_code in (0, 2), xlsx.stderr
        assert ("xlsx" in html.stderr.split(hint, 1)[1]) == (xlsx.exit_code == 0), (html.stderr, xlsx.stderr)
        (tmp_path / "out.xlsx").unlink(missing_ok=True)
    assert file_hash(db) == before
