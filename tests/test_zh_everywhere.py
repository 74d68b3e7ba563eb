"""Every command, and its main refusals, in Chinese: not one English sentence on stdout or stderr.

A person who works with `--lang zh` reads headers, values, confirmations,
errors, hints and reports in Chinese. What may stay Latin is what a person
types or a machine reads: option and command names, slugs, field names,
formats, paths, environment variables, ids. Anything else in Latin letters
fails here, so a message left out of the catalogue (messages.py) is a
failing test, not a silent English line.

The machine formats (json, jsonl, csv, tsv) are the same bytes in either
language, and every refusal leaves the database as it was.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from conftest import file_hash, is_postgres, run_cli, run_sh
from pipeline_cli.cli import COMMAND_MODULES
from pipeline_cli.fields import FIELDS
from pipeline_cli.model import LIGHTS, SECTORS, SOURCES, STAGES, STATUSES

# What a Chinese screen may show in Latin letters anywhere: names of products,
# formats and the program, placeholders, and the data these tests and the seed
# store (who wrote an event, a note), which is the person's, not pipeline's.
NAMES = {
    *("pipeline", "root", "SQLite", "PostgreSQL", "Excel", "WPS", "Datasette", "UTC", "MiB"),
    *("en", "zh", "ID", "OPTIONS", "ARGS", "COMMAND"),
    # Data stored by the seed and by these tests (who, a note), not words pipeline says.
    *("seed", "tester"),
}
# What a person types, allowed where it is typed and nowhere else: slugs (stages,
# sectors, lights, statuses, sources), field names, formats, settings' keys and
# command names, in `code`, after an option (--stage signed), in a usage line
# (pipeline list ...) or quoted back (“zz”). Alone on a Chinese screen, `signed`
# or `plan` is an English word: a label the table ought to say in Chinese.
TYPED = {
    *(s.slug for s in STAGES),
    *(s.slug for s in SECTORS),
    *LIGHTS,
    *STATUSES,
    *SOURCES,
    *(f.name for f in FIELDS),
    *("table", "json", "jsonl", "csv", "tsv", "markdown", "xlsx", "html", "text"),
    *("id", "db", "lang", "user", "busy_timeout"),
    *COMMAND_MODULES,
    *("add", "edit", "close", "reopen", "list", "set", "get", "unset", "remove"),
}
IDENTIFIERS = NAMES  # what english_left lets through outside a typed context
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
# A slug or name as a value typed after an option: --stage signed, --by sector, --format=json.
_OPTION_VALUE = re.compile(r"(?<![\w-])(--?[a-z][a-z0-9-]*)(?:[ =]([a-z][a-z0-9_-]*))?")
# A usage line's command: pipeline problem add [选项] …
_COMMAND_LINE = re.compile(r"\b(?:pipeline|root)(?: (?:[a-z][a-z-]*))*")


def _typed_away(match: re.Match[str]) -> str:
    value = match.group(2)
    return " " if value is None or value in TYPED or value.isupper() else f" {value}"


def english_left(text: str) -> list[str]:
    """The Latin words of `text` a person does not type: an English sentence, or a lone English label, shows up here."""
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)  # html: the page's CSS
    text = re.sub(r"<[^>]+>", " ", text)  # html tags
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)  # code, as typed
    text = re.sub(r"“[^”]*”|'[^'\n]*'", " ", text)  # what the person typed, quoted back
    text = re.sub(r"\S*/\S*", " ", text)  # paths and URLs
    text = re.sub(r"数据表（[a-z_、]+）", " ", text)  # the tables a refused init finds on a server, by name
    text = _OPTION_VALUE.sub(_typed_away, text)  # options, and a slug typed as their value
    text = _COMMAND_LINE.sub(" ", text)  # a command as typed
    text = re.sub(r"^(?:db|lang|user|busy_timeout) = .*$", " ", text, flags=re.M)  # config list: key = value
    text = re.sub(r"\b[A-Z][A-Z0-9_]{1,}\b", " ", text)  # environment variables, OPTIONS
    text = re.sub(r"\b[\w.-]+\.(?:db|csv|json|jsonl|xlsx|toml|txt)\b", " ", text)  # file names
    return [word for word in LATIN_WORD.findall(text) if word not in IDENTIFIERS]


def test_the_detector_catches_an_english_sentence_and_spares_identifiers() -> None:
    assert english_left("错误：no project with id 7") == ["no", "project", "with", "id"]
    assert english_left("提示：`pipeline list --all` 可列出全部编号；PIPELINE_LANG 或 --lang zh") == []
    assert english_left("可用的阶段：`negotiating`（在谈）；/tmp/x/pipeline.db") == []
    assert english_left('<td class="light">● 红灯</td>') == []
    assert english_left("错误：未知的产业领域“zz”；'bad' 不是") == []  # what the person typed, quoted back
    assert english_left("提示：用法：pipeline problem add [选项] {ID}；可用 --stage signed 或 --by=sector") == []
    assert english_left("hint: stdout is a terminal") == ["hint", "stdout", "is", "terminal"]


@pytest.mark.parametrize(
    "lone",
    ["状态  active", "类型  edited", "亮灯原因  plan", "阶段  signed", "产业领域  biomed", "来源  report", "灯  red"],
)
def test_the_detector_catches_a_lone_slug_shown_for_a_person(lone: str) -> None:
    # A slug is what a person types; shown as a value in a Chinese table it is an untranslated label.
    assert english_left(lone) == [lone.split()[-1]]


@pytest.fixture
def worked(db: Path, tmp_path: Path) -> Path:
    """The seeded database after a week's work: a plan, a problem, an edit, a drop, a move."""
    for args in (
        ["plan", "7", "construction", "2020-07-01"],
        ["problem", "add", "7", "用地指标未落实", "--due", "2020-08-01", "--unit", "市自然资源局"],
        ["edit", "12", "--investment", "3", "--district", "城阳区"],
        ["drop", "9", "--reason", "投资方撤回"],
        ["advance", "20"],
    ):
        assert run_cli(*args).exit_code == 0, args
    (tmp_path / "weekly.csv").write_text("id,stage,investment\n7,preliminary,30\n12,signed,3\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text(
        "name,sector,stage,investment\n甲,智造,签约,30\n乙,生物医药,签约,-2\n,it,在谈,5\n丙,transport,negotiate,十二\n",
        encoding="utf-8",
    )
    (tmp_path / "bad.json").write_text('[{"name": "甲", "sector": "it"}, 3', encoding="utf-8")
    (tmp_path / "columns.csv").write_text("项目名称,行业,计划投资(亿元),是否重点\n甲,生物医药,1,是\n", encoding="utf-8")
    return db


# Reads in every human format a person reads.
READS = [
    ["list", "-f", "table"],
    ["list", "--all", "-f", "markdown"],
    ["show", "7", "-f", "table"],
    ["show", "9", "-f", "markdown"],
    ["history", "-f", "table"],
    ["history", "12", "-f", "markdown"],
    ["summary", "-f", "table"],
    ["summary", "--by", "status", "-f", "table"],
    ["summary", "--by", "sector", "--by", "stage", "-f", "markdown"],
    ["summary", "-f", "text"],
    ["summary", "-f", "html"],
    ["funnel", "-f", "table"],
    ["funnel", "-f", "text"],
    ["lights", "-f", "table"],
    ["due", "-f", "table"],
    ["due", "--overdue", "-f", "markdown"],
    ["report", "-f", "markdown"],
    ["report", "-f", "text"],
    ["report", "-f", "table"],
    ["report", "-f", "html"],
    ["rank", "-f", "table"],
    ["rank", "-f", "text"],
    ["problem", "list", "-f", "table"],
    ["stages", "-f", "table"],
    ["sectors", "-f", "table"],
    ["where"],
    ["check"],
    ["config", "list"],
    ["import", "{tmp}/weekly.csv", "--dry-run"],
]


@pytest.mark.parametrize("args", READS, ids=[" ".join(a) for a in READS])
def test_a_read_in_chinese_says_nothing_in_english(worked: Path, tmp_path: Path, args: list[str]) -> None:
    before = file_hash(worked)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = run_cli("--lang", "zh", *argv)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() or argv[0] == "config"
    said = result.stdout + result.stderr
    if argv[0] in ("stages", "sectors"):
        # The vocabularies' English names, in their column 英文: data, not a message.
        for name in [*(s.name_en for s in STAGES), *(s.name_en for s in SECTORS)]:
            said = said.replace(name, "")
        # Their column 代号: the slugs a person types, listed where they are defined.
        said = re.sub(r"^(\W*\d+\W+)[a-z][a-z0-9-]*", r"\1", said, flags=re.M)
    assert english_left(said) == [], result.stdout + result.stderr
    assert file_hash(worked) == before


# Writes: each run on the worked database as it is at that point, in order.
WRITES = [
    ["add", "海洋装备项目", "--sector", "交通", "--investment", "8000万", "--district", "黄岛区"],
    ["edit", "48", "--investment", "1,200.5", "--key"],
    ["advance", "48", "--note", "签约仪式"],
    ["move", "48", "signed"],
    ["move", "48", "construction", "--from", "signed"],
    ["drop", "48", "--reason", "投资方撤回"],
    ["restore", "48"],
    ["plan", "48", "completed", "2020-12-31"],
    ["plan", "48", "completed", "--clear"],
    ["problem", "add", "48", "环评批复未下达", "--due", "2020-09-01"],
    ["problem", "edit", "2", "--unit", "市生态环境局"],
    ["problem", "close", "2", "--note", "已批复"],
    ["problem", "reopen", "2"],
    ["undo", "--yes"],
    ["stages", "set", "signed", "--yellow", "30", "--red", "60"],
    ["stages", "set", "signed", "--plan-yellow", "2", "--plan-red", "30"],
    ["sectors", "add", "new-materials", "--zh", "新材料"],
    ["sectors", "edit", "new-materials", "--zh", "新材料产业", "--position", "1"],
    ["sectors", "remove", "new-materials"],
    ["import", "{tmp}/weekly.csv"],
    ["import", "{tmp}/columns.csv"],
    ["export", "-o", "{tmp}/out.csv"],
    ["backup", "{tmp}/backup.db"],
    ["config", "set", "user", "王科长"],
    ["config", "get", "user"],
    ["config", "unset", "user"],
    ["--db", "{tmp}/new.db", "init", "--empty"],
    ["--db", "{tmp}/new.db", "init", "--force"],
]


def test_every_write_in_chinese_says_nothing_in_english(worked: Path, tmp_path: Path) -> None:
    for args in WRITES:
        argv = [a.replace("{tmp}", str(tmp_path)) for a in args]
        result = run_cli(*argv, "--lang", "zh")
        assert result.exit_code == 0, (argv, result.stderr)
        assert english_left(result.stdout + result.stderr) == [], (argv, result.stdout + result.stderr)


# Refusals: exit code, Chinese only, stdout empty, the database unchanged.
REFUSALS = [
    (3, ["show", "999"]),
    (3, ["problem", "close", "999"]),
    (2, ["edit", "7"]),
    (2, ["undo"]),
    (2, ["show", "abc"]),
    (2, ["list", "--nope"]),
    (2, ["nosuch"]),
    (2, ["drop", "3"]),
    (2, ["add", "甲", "--sector", "zz"]),
    (2, ["add", "甲", "--sector", "it", "--investment", "12,5"]),
    (2, ["add", "甲", "--sector", "it", "--investment", "20000"]),
    (2, ["add", "甲", "--sector", "c"]),
    (2, ["list", "--stage", "c"]),
    (2, ["list", "--sort", "zz"]),
    (2, ["list", "--light", "blue"]),
    (2, ["list", "--status", "zz"]),
    (2, ["list", "--format", "bad"]),
    (2, ["list", "-f", "html"]),
    (2, ["summary", "--by", "zz"]),
    (2, ["summary", "--by", "sector", "--by", "sector"]),
    (2, ["lights", "--only", "blue"]),
    (2, ["report", "--since", "2020-08-01"]),
    (2, ["report", "--since", "2020-08-10", "--until", "2020-08-01"]),
    (2, ["history", "--since", "2020-13-01"]),
    (2, ["stages", "set", "capacity", "--yellow", "1", "--red", "2"]),
    (2, ["stages", "set", "signed", "--yellow", "90", "--red", "30"]),
    (2, ["stages", "set", "signed"]),
    (2, ["sectors", "add", "Bad", "--zh", "坏"]),
    (2, ["config", "set", "colour", "red"]),
    (3, ["config", "get", "user"]),
    (2, ["import", "{tmp}/nofile.csv"]),
    (2, ["import", "{tmp}/weekly.txt"]),
    (4, ["advance", "7", "--from", "negotiating"]),
    (4, ["drop", "9", "--reason", "再次"]),
    (4, ["restore", "7"]),
    (4, ["advance", "9"]),
    (4, ["move", "7", "landed", "--date", "2021-01-01"]),
    (4, ["plan", "7", "negotiating", "2020-09-01"]),
    (4, ["sectors", "add", "it2", "--zh", "生物医药"]),
    (4, ["sectors", "remove", "it"]),
    (4, ["init"]),
    (4, ["backup", "{db}"]),
    (5, ["import", "{tmp}/bad.csv"]),
    (5, ["import", "{tmp}/bad.json"]),
    (6, ["--db", "{tmp}/missing.db", "list"]),
    (9, ["lights", "--fail-on", "red", "-f", "table"]),
]


@pytest.mark.parametrize(("code", "args"), REFUSALS, ids=[" ".join(a) for _, a in REFUSALS])
def test_a_refusal_in_chinese_says_nothing_in_english_and_changes_nothing(
    worked: Path, tmp_path: Path, code: int, args: list[str]
) -> None:
    (tmp_path / "weekly.txt").write_text("x", encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)).replace("{db}", str(worked)) for a in args]
    if args == ["backup", "{db}"] and is_postgres(worked):
        code = 2  # a URL is no file to back up to
    before = file_hash(worked)
    result = run_cli("--lang", "zh", *argv)
    assert result.exit_code == code, result.stderr
    if code != 9:
        assert result.stdout == ""
    assert result.stderr.startswith("错误："), result.stderr
    assert english_left(result.stdout + result.stderr) == [], result.stderr
    assert file_hash(worked) == before


def test_the_first_run_notice_is_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIPELINE_DB")
    result = run_cli("--lang", "zh", "list", "--limit", "1", "-f", "table")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("pipeline：已创建 ") and english_left(result.stderr) == [], result.stderr


def test_the_installed_command_refuses_in_chinese_too(worked: Path, tmp_path: Path) -> None:
    before = file_hash(worked)
    for code, args in ((2, ["add", "甲", "--sector", "zz"]), (2, ["show", "x"]), (4, ["restore", "7"])):
        result = run_sh(*args, env={"PIPELINE_LANG": "zh"})
        assert (result.exit_code, result.stdout) == (code, "")
        assert result.stderr.startswith("错误：") and english_left(result.stderr) == [], result.stderr
    assert file_hash(worked) == before


MACHINE_READS = [
    ["list", "--all"],
    ["show", "7"],
    ["history"],
    ["summary", "--by", "status"],
    ["summary", "--by", "sector", "--by", "stage"],
    ["funnel"],
    ["lights"],
    ["due"],
    ["report"],
    ["rank"],
    ["problem", "list"],
    ["stages"],
    ["sectors"],
    ["export"],
]


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_machine_formats_are_the_same_bytes_in_either_language(worked: Path, fmt: str) -> None:
    for args in MACHINE_READS:
        if args[0] in ("show", "funnel", "summary", "report", "rank") and fmt == "jsonl":
            continue
        if args[0] == "export" and fmt == "tsv":
            continue
        english = run_cli(*args, "-f", fmt, "--lang", "en") if args[0] != "export" else run_cli("export", "-f", fmt)
        chinese = run_cli("--lang", "zh", *args, "-f", fmt) if args[0] != "export" else english
        assert english.exit_code == 0, (args, english.stderr)
        assert english.stdout == chinese.stdout, args
        assert english.stdout.strip(), args


def test_a_chinese_export_is_the_exception_and_imports_back_unchanged(worked: Path, tmp_path: Path) -> None:
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"导出.{fmt}"
        assert run_cli("export", "--lang", "zh", "-f", fmt, "-o", str(path)).exit_code == 0
        if fmt == "csv":
            header = path.read_text(encoding="utf-8").splitlines()[0]
            assert header.startswith("编号,项目名称,产业领域,进度,状态,"), header
            assert ",在库," in path.read_text(encoding="utf-8") and ",已退单," in path.read_text(encoding="utf-8")
        before = file_hash(worked)
        result = run_cli("import", str(path), "--lang", "zh")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "没有要导入的内容：全部 47 行与数据库一致\n"
        assert file_hash(worked) == before


# Each group of commands with a run of one of its commands that reads, or is refused and changes nothing.
GROUP_RUNS = {
    "problem": ["problem", "list", "-f", "table"],
    "stages": ["stages", "set", "signed"],
    "sectors": ["sectors", "add", "Bad", "--zh", "坏"],
    "access": ["access", "list", "-f", "table"],
    "config": ["config", "list"],
}


def test_every_group_of_commands_is_tried_with_lang_between_it_and_its_command() -> None:
    from typer.main import get_command

    from pipeline_cli.cli import app

    root: Any = get_command(app)
    groups = {name for name, command in root.commands.items() if hasattr(command, "list_commands")}
    assert groups == set(GROUP_RUNS)


@pytest.mark.parametrize("group", GROUP_RUNS)
def test_lang_between_a_group_and_its_command_works_as_before_or_after_it(worked: Path, group: str) -> None:
    # `pipeline problem --lang zh list`: the contract's "before the command or after it" for a group's
    # command too, the same run as `pipeline --lang zh problem list` and `pipeline problem list --lang zh`.
    args = GROUP_RUNS[group]
    before = file_hash(worked)
    runs = [
        run_sh("--lang", "zh", *args),
        run_sh(args[0], "--lang", "zh", *args[1:]),
        run_sh(args[0], "--lang=zh", *args[1:]),
        run_sh(*args, "--lang", "zh"),
    ]
    assert len({(r.exit_code, r.stdout, r.stderr) for r in runs}) == 1, runs
    said = runs[0].stdout + runs[0].stderr
    assert re.search(r"[\u4e00-\u9fff]", said), said
    assert english_left(said) == [], said
    if runs[0].exit_code:
        assert runs[0].stdout == "" and runs[0].stderr.startswith("错误："), runs[0]
    assert file_hash(worked) == before


@pytest.mark.parametrize("group", ["problem", "access", "config"])
def test_a_group_given_only_lang_shows_its_help_in_chinese_on_stderr(worked: Path, group: str) -> None:
    result = run_sh(group, "--lang", "zh")
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"用法：pipeline {group} [选项] 命令 [参数]..." in result.stderr, result.stderr
    assert "─ 命令 ─" in result.stderr and "list" in result.stderr, result.stderr  # the help, not a refusal
    assert run_sh(group, "--lang", "xx", "list").exit_code == 2


# access on a server: give a district writer and a reader their access, list it, take it back.
ACCESS_RUNS = [
    ["access", "grant", "城阳区填报", "--district", "城阳区"],
    ["access", "grant", "城阳区填报", "--district", "城阳区", "--district", "即墨区"],
    ["access", "grant", "市领导", "--read-only"],
    ["access", "list", "-f", "table"],
    ["access", "list", "-f", "markdown"],
    ["access", "revoke", "市领导"],
    ["access", "revoke", "市领导"],
]
# Refused on either engine before the database is opened: exit 2.
ACCESS_REFUSALS = [
    ["access", "grant", "市领导"],
    ["access", "grant", "市领导", "--read-only", "--district", "城阳区"],
    ["access", "grant", "市领导", "--district", " "],
    ["access", "revoke", " "],
    ["access", "list", "-f", "bad"],
    ["access", "nosuch"],
]


def test_access_in_chinese_says_nothing_in_english(worked: Path, request: pytest.FixtureRequest) -> None:
    # On SQLite every access command is refused (exit 2: a file has no users of its own); on a server it works.
    on_server = is_postgres(worked)
    if on_server:
        server: Any = request.getfixturevalue("pg_server")
        for role in ("城阳区填报", "市领导"):
            server.admin(f'DO $$ BEGIN CREATE ROLE "{role}"; EXCEPTION WHEN duplicate_object THEN NULL; END $$')
    for args in ACCESS_RUNS:
        before = file_hash(worked)
        result = run_sh(*args, "--lang", "zh")
        said = result.stdout + result.stderr
        assert english_left(said) == [], (args, said)
        if on_server:
            assert result.exit_code == 0, (args, result.stderr)
            named = "城阳区填报" if args[1] == "list" else args[2]
            assert re.search(r"[\u4e00-\u9fff]", result.stdout) and named in result.stdout, (args, said)
        else:
            assert (result.exit_code, result.stdout) == (2, ""), (args, said)
            assert result.stderr.startswith("错误：`access` 只适用于服务器上的数据库"), (args, said)
            assert file_hash(worked) == before
    for args in ACCESS_REFUSALS:
        before = file_hash(worked)
        result = run_sh("--lang", "zh", *args)
        assert (result.exit_code, result.stdout) == (2, ""), (args, result.stderr)
        assert result.stderr.startswith("错误：") and english_left(result.stderr) == [], (args, result.stderr)
        assert file_hash(worked) == before
