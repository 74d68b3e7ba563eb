"""`--help` in Chinese: every command's and group's help, with --lang zh, $PIPELINE_LANG or the settings.

The help texts are written in English beside the commands; their Chinese is
in the catalogue (messages.HELP). A help text without its Chinese, or a
Chinese text no command uses any more, fails here; so does any English
word a Chinese help shows beyond what a person types (options, commands,
placeholders such as ID and FILE, code in backticks, environment variables,
the names of formats and products). English help is Typer's, unchanged.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from rich.cells import cell_len

from conftest import file_hash, run_cli, run_sh
from pipeline_cli import cli, helptext
from pipeline_cli.messages import HELP
from test_messages import ALLOWED_LATIN, CJK

# Typer's and Click's words that helptext.py swaps besides the commands' own texts.
TYPER_WORDS = {
    "Usage: ",
    "[OPTIONS]",
    "COMMAND [ARGS]...",
    "Options",
    "Arguments",
    "Commands",
    "[default: {}]",
    "[required]",
    "<str>",
    "<text>",
    "<int range>",
    "<integer>",
    "<int>",
}


def commands() -> Iterator[tuple[list[str], Any]]:
    """Every command and group (the root too), as its path of names and its Click command."""
    root = typer.main.get_command(cli.app)

    def walk(command: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        yield path, command
        if hasattr(command, "list_commands"):
            ctx = typer.Context(command, info_name=path[-1] if path else "pipeline")
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), [*path, name])

    yield from walk(root, [])


def help_texts() -> dict[str, str]:
    """Every help text of every command, option and argument (and panel title), keyed as the catalogue keys it."""
    found: dict[str, str] = {}
    for path, command in commands():
        ctx = typer.Context(command, info_name=path[-1] if path else "pipeline")
        texts = [command.help, command.short_help]
        for param in command.get_params(ctx):
            texts += [getattr(param, "help", None), getattr(param, "rich_help_panel", None)]
        for text in texts:
            if text:
                found[helptext.key(text)] = " ".join(["pipeline", *path])
    return found


COMMANDS = {tuple(path): command for path, command in commands()}
COMMAND_PATHS = [list(path) for path in COMMANDS]


def test_every_help_text_has_its_chinese_in_the_catalogue() -> None:
    missing = {text: where for text, where in help_texts().items() if text not in HELP}
    assert missing == {}


def test_every_chinese_help_text_is_used() -> None:
    assert sorted(set(HELP) - set(help_texts()) - TYPER_WORDS) == []


@pytest.mark.parametrize("english", sorted(HELP))
def test_the_chinese_of_a_help_text_is_chinese_with_chinese_punctuation(english: str) -> None:
    zh = HELP[english]
    assert CJK.search(zh), (english, zh)
    latin = ALLOWED_LATIN.sub(" ", re.sub(r"\$[A-Z_]+|\bPostgreSQL\b|\bJSON Lines\b", " ", zh))
    assert not re.search(r"[A-Za-z]{2,}", latin), f"English left in {zh!r}"
    assert zh.count("\n\n") == english.count("\n\n"), "the same paragraphs"
    bare = re.sub(r"`[^`]*`", "`", zh)
    for mark in ",;:!?()":
        for match in re.finditer(re.escape(mark), bare):
            around = bare[max(0, match.start() - 1) : match.end() + 1]
            assert not CJK.search(around), f"ASCII {mark!r} in {zh!r}"


# --- what a person sees ----------------------------------------------------------

PRODUCTS = {"pipeline", "root", "SQLite", "PostgreSQL", "Excel", "Datasette", "JSON", "Lines", "en", "zh"}


def english_in_help(text: str, path: list[str]) -> list[str]:
    """The Latin words of a Chinese help that a person does not type: they would be English."""
    names = {name for command_path in COMMAND_PATHS for name in command_path}
    text = re.sub(r"`[^`]*`", " ", text)  # code, as typed
    text = re.sub(r"<[^>]*>", " ", text)  # a value's kind or choices: <table|json|…>, <文本>
    text = re.sub(r"\[?\b[a-z]+(?:\|[a-z]+)+\b\]?", " ", text)  # choices: yellow|red
    text = re.sub(r"\[默认：[^\]]*\]", " ", text)  # a default, as it would be typed
    text = re.sub(r"\$[A-Z_]+", " ", text)  # environment variables
    text = re.sub(r"(?<![\w-])--?[a-z][a-z0-9-]*(?:/--[a-z-]+)?", " ", text)  # options
    text = re.sub(r"\b[A-Z][A-Z0-9_,]*\b", " ", text)  # placeholders: ID, STAGE, A,B,C, N; CSV, UTF-8
    words = re.findall(r"[A-Za-z]{2,}", text)
    return [word for word in words if word not in PRODUCTS and word not in names]


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "pipeline")
def test_every_help_is_chinese_with_lang_before_or_after(db: Path, path: list[str]) -> None:
    before = file_hash(db)
    forms = [["--lang", "zh", *path, "--help"]]
    if path and "lang" in {param.name for param in COMMANDS[tuple(path)].params}:
        forms += [[*path, "--help", "--lang", "zh"], [*path, "-h", "--lang=zh"]]
    for args in forms:
        result = run_cli(*args)
        assert (result.exit_code, result.stderr) == (0, ""), (args, result.stderr)
        assert "用法：pipeline" in result.stdout or "用法：root" in result.stdout, result.stdout
        assert "选项" in result.stdout
        assert english_in_help(result.stdout, path) == [], (args, result.stdout)
    assert file_hash(db) == before


def test_the_detector_finds_english_in_a_help() -> None:
    assert english_in_help("│ --sort  FIELD  Order by this field. [默认：id] │", []) == ["Order", "by", "this", "field"]
    assert english_in_help("│ --sort  FIELD  按此字段排序：`id`、`name`。 [默认：id] │", []) == []
    assert english_in_help("│ --status  <文本>  active 或 dropped │", []) == ["active", "dropped"]


def test_the_help_of_a_group_names_its_commands_in_chinese(db: Path) -> None:
    result = run_cli("--lang", "zh", "--help")
    assert "╭─ 命令 " in result.stdout and "╭─ 选项 " in result.stdout
    assert "跟踪一座城市的招商项目" in result.stdout
    assert "Commands" not in result.stdout and "Options" not in result.stdout and "Usage" not in result.stdout
    result = run_cli("--lang", "zh", "problem", "--help")
    assert "问题清单" in result.stdout and "为已解决的问题销号" in result.stdout
    result = run_cli("--lang", "zh", "list", "--help")
    assert "╭─ 筛选 " in result.stdout and "[默认：id]" in result.stdout
    result = run_cli("--lang", "zh", "drop", "--help")
    assert "[必填]" in result.stdout and "<整数>" in result.stdout


def test_a_group_without_its_command_shows_the_chinese_help_on_stderr(db: Path) -> None:
    before = file_hash(db)
    result = run_cli("--lang", "zh", "sectors", "add")
    assert (result.exit_code, result.stdout) == (2, "")
    result = run_cli("--lang", "zh", "problem")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "问题清单" in result.stderr and "╭─ 命令 " in result.stderr
    assert english_in_help(result.stderr, ["problem"]) == []
    assert file_hash(db) == before


def test_help_is_chinese_from_the_environment_and_the_settings(db: Path, tmp_path: Path) -> None:
    result = run_sh("advance", "--help", env={"PIPELINE_LANG": "ZH", "COLUMNS": "100"})
    assert result.exit_code == 0 and result.stderr == ""
    assert "把每个项目推进一个阶段" in result.stdout and "用法：pipeline advance [选项]" in result.stdout
    assert english_in_help(result.stdout, ["advance"]) == []
    settings = tmp_path / "config.toml"
    settings.write_text('lang = "zh"\n', encoding="utf-8")
    result = run_sh("--help", env={"PIPELINE_CONFIG": str(settings), "COLUMNS": "100"})
    assert result.exit_code == 0 and "╭─ 命令 " in result.stdout
    # The option beats the settings, either way round.
    result = run_sh("report", "--help", "--lang", "en", env={"PIPELINE_CONFIG": str(settings)})
    assert "The dispatch report" in result.stdout and "用法" not in result.stdout


# (At any width an option's names stay whole: test_no_option_name_is_ever_cut_at_any_width.)
@pytest.mark.parametrize("width", ["60", "80", "100"])
def test_chinese_help_folds_its_lines_instead_of_cutting_them(db: Path, width: str) -> None:
    result = run_sh("--lang", "zh", "import", "--help", env={"COLUMNS": width})
    assert result.exit_code == 0
    assert "…" not in result.stdout.replace("……", "")
    assert "文件的文字编码" in result.stdout.replace("│", "").replace(" ", "").replace("\n", "")


def test_english_help_is_typers_unchanged(db: Path) -> None:
    result = run_cli("list", "--help")
    assert result.exit_code == 0
    assert "Usage: root list [OPTIONS]" in result.stdout
    assert "╭─ Options " in result.stdout and "╭─ Filters " in result.stdout
    assert "List projects; dropped ones only with --all or --status dropped." in result.stdout
    assert "[default: id]" in result.stdout and "<str>" in result.stdout
    # Chinese only where the English texts quote the bureau's words (亿元, 区市, 重点项目).
    assert not CJK.search(re.sub(r"亿元|区市|责任单位|包联领导|重点项目", "", result.stdout))
    # A Chinese help earlier in the same process leaves no Chinese behind.
    run_cli("--lang", "zh", "list", "--help")
    assert run_cli("list", "--help").stdout == result.stdout
    result = run_cli("--help")
    assert "╭─ Commands " in result.stdout and "Track a city's investment-attraction pipeline" in result.stdout


# --- narrow terminals ----------------------------------------------------------------
WIDTHS = [40, 41, 43, 47, 54, 67, 80, 120, 200]


def _whole(name: str) -> str:
    return rf"(?<![\w-]){re.escape(name)}(?![\w…-])"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_option_name_is_ever_cut_at_any_width(monkeypatch: pytest.MonkeyPatch, width: int, lang: str) -> None:
    # Typer's table shrank the names' column with the terminal: `--no-hea…` at 40 columns.
    monkeypatch.setenv("COLUMNS", str(width))
    for path, command in COMMANDS.items():
        result = run_cli("--lang", lang, *path, "--help")
        assert result.exit_code == 0, (path, result.stderr)
        lines = result.stdout.splitlines()
        assert all(cell_len(line) <= width for line in lines), (path, width, result.stdout)
        for param in command.params:
            names = [*param.opts, *param.secondary_opts] if param.param_type_name == "option" else []
            if getattr(param, "hidden", False) or not names:
                continue
            # All of an option's names on one line, each whole: --key, --no-key; --format, -f.
            assert any(all(re.search(_whole(name), line) for name in names) for line in lines), (
                path,
                width,
                names,
                result.stdout,
            )
        assert not re.search(r"(?<![\w-])--?[a-z][a-z0-9-]*…", result.stdout), (path, width, result.stdout)


# --- Chinese lines: broken between characters, never inside a name in backticks ----------
SPAN_IN_BACKTICKS = re.compile(r"`[^`]*`")


def names_in_backticks(text: str) -> list[str]:
    """The names in backticks of `text` that hold no space (`--sector`, `id`), as they appear."""
    return [span for span in SPAN_IN_BACKTICKS.findall(text) if not re.search(r"\s", span)]


@pytest.mark.parametrize("width", [8, 11, 17, 24, 33, 47, 60])
def test_a_chinese_help_line_never_breaks_inside_a_name_that_fits(width: int) -> None:
    for chinese in HELP.values():
        for paragraph in chinese.split("\n"):
            breaks = helptext.line_breaks(paragraph, width)
            lines = [paragraph[a:b].rstrip() for a, b in zip([0, *breaks], [*breaks, len(paragraph)], strict=True)]
            assert all(cell_len(line) <= width for line in lines), (width, lines)
            assert "".join(lines).replace(" ", "") == paragraph.replace(" ", ""), (width, lines)
            for name in names_in_backticks(paragraph):
                if cell_len(name) <= width:
                    whole = sum(line.count(name) for line in lines)
                    assert whole == paragraph.count(name), (width, name, lines)
            # Punctuation that closes a phrase never starts a line where the line before had room for it.
            for before, line in itertools.pairwise(lines):
                if line and line[0] in "、，。；：）":
                    assert cell_len(before) + cell_len(line[0]) > width, (width, lines)


@pytest.mark.parametrize("width", [50, 60, 67, 74, 80, 100])
def test_a_chinese_help_shows_each_name_in_backticks_whole_on_a_narrow_terminal(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    # At 60 columns `--sector` or `investment` was split over two lines (the text folded where the column ended).
    for path in COMMAND_PATHS:
        monkeypatch.setenv("COLUMNS", "1000")
        wide = run_cli("--lang", "zh", *path, "--help").stdout
        monkeypatch.setenv("COLUMNS", str(width))
        narrow = run_cli("--lang", "zh", *path, "--help").stdout
        for name in set(names_in_backticks(wide)):
            if cell_len(name) <= 10:
                assert narrow.count(name) == wide.count(name), (path, width, name, narrow)
