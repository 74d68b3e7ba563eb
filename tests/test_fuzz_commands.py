"""Every command with hostile arguments, drawn by Hypothesis: the contract's exit codes, never a crash.

The commands and their options are read from the app itself (every command,
group and subcommand, each option and argument), so a command or option
added later is fuzzed too. Values come from the contract's vocabularies and
from what breaks programs: control characters, terminal escapes, line and
paragraph separators, bidi marks, bytes that are not UTF-8, numbers at and
past every bound (2^63, Unicode digits, `1_0`), impossible dates, amounts
with commas and units, and paths that are folders, FIFOs, symlinks, the
database itself or missing. Each example runs one command on a fresh copy
of a seeded database, in-process; a sample runs through the installed
command. Whatever the arguments:

- the exit code is one the contract documents, never 1 (a bug);
- no traceback on stdout or stderr;
- on an error stdout is empty (except exit 9, `lights --fail-on`, which
  prints the lights it found) and the database is byte for byte as it was;
- `pipeline check` is clean afterwards.

About 30 seconds in all; PIPELINE_FUZZ_EXAMPLES=N runs N examples with a
random seed, for a longer hunt.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PIPELINE_BIN, REPORT_DATE, file_hash
from pipeline_cli.cli import COMMAND_MODULE_NAMES, app, load_commands

# --- the commands, read from the app ---------------------------------------------

# `web` serves until stopped; it is tested on its own (test_datasette.py).
NOT_FUZZED = {"web"}


def _leaves(path: tuple[str, ...], command: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _leaves((*path, name), sub)


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []
    for module in COMMAND_MODULE_NAMES:
        for name, command in load_commands(module).items():
            if name not in NOT_FUZZED:
                found.extend(_leaves((name,), command))
    return found


COMMANDS = _commands()
DOCUMENTED = {0, 2, 3, 4, 5, 6, 7, 8, 9}

# --- hostile values ------------------------------------------------------------

ODD = [
    "",
    " ",
    "  padded  ",
    "\t",
    "a\nb",
    "a\rb",
    "a\r\nb",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x00",
    "\x7f",
    "bell\x07",
    "a\u2028b",
    "a\u2029b",
    "a\x85b",
    "\u200f\u05e9\u05dc\u05d5\u05dd",  # RTL mark, Hebrew
    "\u202eevil",
    "\u2066isolate\u2069",
    "\ufeffbom",
    "\u200b",
    "e\u0301",
    "😀🇨🇳",
    "\udcff\udcfe",  # bytes that are not UTF-8, as Python decodes argv
    "东华鲲鹏",
    "东华　鲲鹏",
    "%",
    "_",
    "'; DROP TABLE projects; --",
    "=1+2",
    "-1",
    "--",
    "-h",
    "x" * 300,
]
HOSTILE_TEXT = st.one_of(st.sampled_from(ODD), st.text(max_size=12))


def mostly(valid: st.SearchStrategy[str], hostile: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid values three times in four, so that commands get past their first check; hostile ones the rest."""
    return st.one_of(valid, valid, valid, hostile)


TEXT = mostly(st.sampled_from(["新项目", "东华鲲鹏", "a note", "城阳区", "x", "Ünïcödé", "市南区"]), HOSTILE_TEXT)

BIG = [2**63 - 1, 2**63, 2**64, 10**20, -(2**63), -(2**63) - 1]
INTEGER_WORDS = ["١٢", "１２", "٣", "1_0", "+5", " 7 ", "07", "1e3", "1.0", "0x10", "", "-0", "9" * 400]
INTEGER = mostly(
    st.integers(min_value=1, max_value=50).map(str),
    st.one_of(
        st.integers(min_value=-3, max_value=60).map(str),
        st.sampled_from([str(n) for n in BIG] + INTEGER_WORDS),
        st.integers().map(str),
        HOSTILE_TEXT,
    ),
)
DAYS = mostly(
    st.integers(min_value=1, max_value=400).map(str),
    st.one_of(st.sampled_from(["0", "36500", "36501", "99999999999999999999", "-1"]), INTEGER),
)
VALID_DATE = st.dates(min_value=dt.date(2019, 6, 1), max_value=dt.date(2020, 8, 18)).map(str)
DATE = mostly(
    VALID_DATE,
    st.one_of(
        st.sampled_from(
            [
                "2020-08-18",
                "2020-08-19",
                "2020-01-01",
                "2019-07-15",
                "0001-01-01",
                "9999-12-31",
                "1899-12-31",
                "1900-01-01",
                "2999-12-31",
                "3000-01-01",
                "2026-02-30",
                "2020-02-29",
                "2021-02-29",
                "2020-13-01",
                "2020-8-1",
                "20200818",
                "２０２０-０８-１８",
                "2020-08-18T00:00",
                "today",
            ]
        ),
        st.dates().map(str),
        HOSTILE_TEXT,
    ),
)
AMOUNT = mostly(
    st.sampled_from(["12.5", "8000万", "1,200.5", "0", "3"]),
    st.one_of(
        st.sampled_from(
            [
                "12.5",
                "1,5",
                "1,200.5",
                "12,345,678.9",
                "8亿",
                "8000万",
                "1,200万",
                "8000.5万",
                "1_0",
                "10000",
                "10000.0001",
                "0.0001",
                "0.00001",
                "922337203685477.5807",
                "1e400",
                "inf",
                "nan",
                "-5",
                "١٢",
                "0",
            ]
        ),
        st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str),
        HOSTILE_TEXT,
    ),
)
STAGE = mostly(
    st.sampled_from(
        ["negotiating", "signed", "preliminary", "landed", "construction", "completed", "production", "capacity"]
    ),
    st.one_of(
        st.sampled_from(["签约", "开工", "达产", "sig", "c", "con", "", "Signed", "SIGNED", "pro"]), HOSTILE_TEXT
    ),
)
SECTOR = mostly(
    st.sampled_from(["it", "biomed", "transport", "smart-mfg", "textile", "food", "生物医药", "交通"]),
    st.one_of(st.sampled_from(["bio", "t", "IT", ""]), HOSTILE_TEXT),
)
SLUG = mostly(st.sampled_from(["robotics", "it", "new-1", "9lives", "Caps", "a", "x" * 200]), HOSTILE_TEXT)
FIELD = mostly(
    st.sampled_from(["sector", "stage", "district", "unit", "lead", "key", "status", "investment", "name", "light"]),
    HOSTILE_TEXT,
)
LEVEL = mostly(st.sampled_from(["green", "yellow", "red", "Red", "黄灯"]), HOSTILE_TEXT)
STATUS = mostly(st.sampled_from(["active", "dropped", "undone", "退单"]), HOSTILE_TEXT)
LANG = mostly(st.sampled_from(["en", "zh", "ZH", " zh ", "fr"]), HOSTILE_TEXT)
ENCODING = mostly(
    st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "latin-1", "rot13", "ascii", "cp1252", "x"]),
    HOSTILE_TEXT,
)
CONFIG_KEY = mostly(st.sampled_from(["db", "lang", "user", "busy_timeout", "color", ""]), HOSTILE_TEXT)
CONFIG_VALUE = mostly(st.sampled_from(["zh", "5", "inf", "-1", "/nonexistent/x.db", "tester"]), HOSTILE_TEXT)

# Paths, as names of things the arena below holds.
INPUTS = [
    "plain.csv",
    "plain.json",
    "bad.csv",
    "garbage.bin",
    "folder",
    "pipeline.db",
    "link-to-db",
    "missing.csv",
    "-",
]
INPUTS_FULL = [*INPUTS, "/dev/null", "deep/missing/x.csv", "x" * 300 + ".csv"]
OUTPUTS = ["new.csv", "new.xlsx", "plain.csv", "folder", "pipeline.db", "link-to-db", "other.db", "/dev/null"]
OUTPUTS_FULL = [*OUTPUTS, "deep/missing/x.csv", "x" * 300 + ".csv", "pipeline.db-journal", "link-to-other"]
DBS = ["pipeline.db", "link-to-db", "other.db", "garbage.bin", "folder", "missing.db", "", "/dev/null", "plain.csv"]


def _path_strategy(names: list[str]) -> st.SearchStrategy[str]:
    return mostly(st.sampled_from(names), HOSTILE_TEXT)


# Option or argument name → the values drawn for it.
BY_NAME: dict[str, st.SearchStrategy[str]] = {
    "date": DATE,
    "since": DATE,
    "until": DATE,
    "due": DATE,
    "investment": AMOUNT,
    "min_investment": AMOUNT,
    "max_investment": AMOUNT,
    "stage": STAGE,
    "from_": STAGE,
    "sector": SECTOR,
    "slug": SLUG,
    "status": STATUS,
    "light": LEVEL,
    "only": LEVEL,
    "fail_on": LEVEL,
    "sort": FIELD,
    "lang": LANG,
    "encoding": ENCODING,
    "within": DAYS,
    "yellow": DAYS,
    "red": DAYS,
    "plan_yellow": DAYS,
    "plan_red": DAYS,
    "position": INTEGER,
    "limit": INTEGER,
    "project_id": INTEGER,
    "project_ids": INTEGER,
    "problem_id": mostly(st.sampled_from(["1", "2", "3"]), INTEGER),
    "file": _path_strategy(INPUTS_FULL),
    "path": _path_strategy(OUTPUTS_FULL),
    "output_file": _path_strategy(OUTPUTS_FULL),
    "columns": mostly(st.sampled_from(["id,name", "name,stage,light", "id,,name", "nope", "id,id"]), HOSTILE_TEXT),
}
# `--by` is a field to group by in summary and rank, a person elsewhere.
GROUP_BY = {"summary", "rank"}


def value_for(command: tuple[str, ...], param: Any) -> st.SearchStrategy[str]:
    name = param.name
    if name == "by":
        return FIELD if command[0] in GROUP_BY else TEXT
    if command[0] == "config":
        return CONFIG_KEY if name == "key" else CONFIG_VALUE
    choices = getattr(param.type, "choices", None)
    if choices:
        return mostly(st.sampled_from(list(choices)), HOSTILE_TEXT)
    if name in BY_NAME:
        return BY_NAME[name]
    if getattr(param.type, "name", "") in ("integer", "integer range"):
        return INTEGER
    return TEXT


@st.composite
def invocation(draw: Any) -> tuple[list[str], dict[str, str], str | None, str | None]:
    path, command = draw(st.sampled_from(COMMANDS))
    options: list[list[str]] = []
    arguments: list[str] = []
    for param in command.params:
        if param.param_type_name == "argument":
            count = 1 if param.nargs == 1 else draw(st.integers(min_value=0, max_value=3))
            if not param.required and draw(st.booleans()):
                count = 0
            arguments.extend(draw(value_for(path, param)) for _ in range(count))
            continue
        if param.is_flag:
            if draw(st.integers(0, 4)) == 0:
                flags = [*param.opts, *param.secondary_opts]
                options.append([draw(st.sampled_from(flags))])
            continue
        times = (
            draw(st.integers(1, 2 if param.multiple else 1)) if param.required or draw(st.integers(0, 4)) == 0 else 0
        )
        for _ in range(times):
            options.append([draw(st.sampled_from(param.opts)), draw(value_for(path, param))])
    options = draw(st.permutations(options))
    argv = [*path, *[part for option in options for part in option]]
    argv += (["--"] if draw(st.integers(0, 3)) == 0 else []) + arguments
    root: list[str] = []
    if draw(st.integers(0, 7)) == 0:
        root += ["--db", draw(_path_strategy(DBS))]
    if draw(st.integers(0, 6)) == 0:
        root += ["--lang", draw(LANG)]
    if draw(st.integers(0, 10)) == 0:
        root += ["--debug"]
    env: dict[str, str] = {}
    if draw(st.integers(0, 6)) == 0:
        name = draw(st.sampled_from(["PIPELINE_TODAY", "PIPELINE_BUSY_TIMEOUT", "PIPELINE_LANG", "PIPELINE_USER"]))
        env[name] = draw(
            st.one_of(DATE, st.sampled_from(["inf", "nan", "-1", "1e308", "0", "0.5", "3601", "zh", "en"]), TEXT)
        )
    stdin = draw(st.one_of(st.none(), st.sampled_from(["y\n", "id,name\n1,x\n", "[1]", "{"]), TEXT))
    settings_file = draw(st.one_of(st.none(), st.none(), st.none(), st.sampled_from(SETTINGS)))
    return [*root, *argv], env, stdin, settings_file


# Settings files a user may have written by hand.
SETTINGS = [
    'lang = "zh"\n',
    'lang = "fr"\n',
    "lang = 5\n",
    'busy_timeout = "inf"\n',
    "busy_timeout = 1e400\n",
    "busy_timeout = -1\n",
    'user = "\\u001b[31mred"\n',
    'user = ""\n',
    'db = "a\\u0000b"\n',
    'db = "/nonexistent/folder/x.db"\n',
    'db = ""\n',
    "[[\n",
    "\x00\xff",
    'colour = "always"\n',
]


# --- the arena: the files the paths name ---------------------------------------


@dataclass
class Arena:
    folder: Path
    template: Path

    @property
    def db(self) -> Path:
        return self.folder / "pipeline.db"

    def reset(self, settings_file: str | None = None) -> None:
        """Every file as it was: the seeded database, the other files, nothing left by the last example."""
        for child in self.folder.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        shutil.copyfile(self.template, self.db)
        shutil.copyfile(self.template, self.folder / "other.db")
        (self.folder / "plain.csv").write_text("name,sector,stage\n新项目,it,signed\n", encoding="utf-8")
        (self.folder / "plain.json").write_text('[{"id": 7, "note": "from json"}]', encoding="utf-8")
        (self.folder / "bad.csv").write_text("id,name\n99999999999999999999,\x1b\n", encoding="utf-8")
        (self.folder / "garbage.bin").write_bytes(b"\xff\xfe\x00garbage\x00" * 50)
        (self.folder / "folder").mkdir()
        (self.folder / "link-to-db").symlink_to(self.db)
        (self.folder / "link-to-other").symlink_to(self.folder / "other.db")
        if settings_file is not None:
            (self.folder / "config.toml").write_text(settings_file, encoding="utf-8", errors="surrogateescape")

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        return {
            "PIPELINE_DB": str(self.db),
            "PIPELINE_TODAY": REPORT_DATE,
            "PIPELINE_USER": "tester",
            "PIPELINE_CONFIG": str(self.folder / "config.toml"),
            "PIPELINE_BUSY_TIMEOUT": "0.2",
            "COLUMNS": "100",
            # No environment variable can hold a NUL.
            **{name: value.replace("\x00", "") for name, value in extra.items()},
        }


@pytest.fixture(scope="module")
def arena(tmp_path_factory: pytest.TempPathFactory) -> Arena:
    from pipeline_cli import store
    from pipeline_cli.seed import projects_2020

    base = tmp_path_factory.mktemp("fuzz")
    template = base / "template.db"
    store.create(template, projects_2020())
    # Problems and plans too, so their commands have something to act on.
    runner = CliRunner()
    env = {"PIPELINE_DB": str(template), "PIPELINE_TODAY": REPORT_DATE, "PIPELINE_USER": "tester"}
    for args in (
        ["problem", "add", "7", "land approval", "--due", "2020-08-01"],
        ["problem", "add", "12", "power supply"],
        ["problem", "close", "2"],
        ["plan", "7", "construction", "2020-07-01"],
        ["drop", "3", "--reason", "investor withdrew"],
        ["advance", "20"],
    ):
        assert runner.invoke(app, args, env=env).exit_code == 0, args
    folder = base / "arena"
    folder.mkdir()
    return Arena(folder, template)


def _check_contract(argv: list[str], code: int, out: str, err: str, db: Path | str, before: str) -> None:
    shown = f"pipeline {argv!r} → {code}\nstdout: {out[:400]!r}\nstderr: {err[:800]!r}"
    assert code in DOCUMENTED, shown
    assert "Traceback" not in out and "Traceback" not in err, shown
    if code not in (0, 9):
        assert out == "", shown
        assert err.strip(), shown
        assert file_hash(db) == before, shown
    if code == 9:
        assert "lights" in argv and any(a.startswith("--fail-on") for a in argv), shown


def _check_clean(db: Path | str) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), "check"], env={"PIPELINE_TODAY": REPORT_DATE})
    assert result.exit_code == 0, result.stdout + result.stderr


EXAMPLES = int(os.environ.get("PIPELINE_FUZZ_EXAMPLES", "0"))
IN_PROCESS = settings(
    max_examples=EXAMPLES or 250,
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@pytest.mark.slow
@IN_PROCESS
@given(call=invocation())
def test_every_command_keeps_the_contract_in_process(arena: Arena, call: Any) -> None:
    argv, env, stdin, settings_file = call
    argv = [arg.replace("\x00", "") for arg in argv]  # as in a real command line
    arena.reset(settings_file)
    before = file_hash(arena.db)
    cwd = os.getcwd()
    os.chdir(arena.folder)
    try:
        result = CliRunner().invoke(app, argv, env=arena.env(env), input=_encode(stdin) if stdin is not None else None)
    finally:
        os.chdir(cwd)
    code = result.exit_code
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"pipeline {argv!r} raised {result.exception!r}") from result.exception
    _check_contract(argv, code, result.stdout, result.stderr, arena.db, before)
    _check_clean(arena.db)


def _encode(arg: str) -> bytes:
    return arg.encode("utf-8", "surrogateescape")


def _argv(arg: str) -> bytes:
    """An argument as a shell passes it: bytes, without NUL (which no command line can hold)."""
    return _encode(arg.replace("\x00", ""))


@pytest.mark.slow
@settings(
    max_examples=max(EXAMPLES // 10, 20),
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(call=invocation())
def test_every_command_keeps_the_contract_through_the_installed_command(arena: Arena, call: Any) -> None:
    argv, env, stdin, settings_file = call
    arena.reset(settings_file)
    before = file_hash(arena.db)
    completed = subprocess.run(
        [str(PIPELINE_BIN), *map(_argv, argv)],
        input=_encode(stdin) if stdin is not None else b"",
        capture_output=True,
        env={**os.environ, **arena.env(env)},
        cwd=arena.folder,
        timeout=30,
        check=False,
    )
    out = completed.stdout.decode("utf-8", "replace")
    err = completed.stderr.decode("utf-8", "replace")
    _check_contract(argv, completed.returncode, out, err, arena.db, before)
    _check_clean(arena.db)


# --- a sample on PostgreSQL ------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_fuzz_template(arena: Arena, pg_server: Any) -> str:
    """The arena's seeded database (problems, plans, a drop) copied onto the server once: each example's template."""
    name: str = pg_server.new_database()
    result = CliRunner().invoke(
        app, ["copy", str(arena.template), pg_server.url(name)], env={"PIPELINE_TODAY": REPORT_DATE}
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    return name


# On PostgreSQL a sample of 25 examples, each on a fresh database copied from the template on the
# server (half a second each, the command and the comparisons about as much again): under half a
# minute. The same invocations as on SQLite; --db may still name the arena's files.
@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("PIPELINE_TEST_ENGINES") != "all", reason="PIPELINE_TEST_ENGINES is not all")
@settings(
    max_examples=max(EXAMPLES // 10, 25),
    derandomize=not EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(call=invocation())
def test_every_command_keeps_the_contract_on_postgresql(
    arena: Arena, pg_server: Any, pg_fuzz_template: str, call: Any
) -> None:
    argv, env, stdin, settings_file = call
    argv = [arg.replace("\x00", "") for arg in argv]  # as in a real command line
    arena.reset(settings_file)
    name: str = pg_server.new_database(pg_fuzz_template)
    url: str = pg_server.url(name)
    try:
        before = file_hash(url)
        file_before = file_hash(arena.db)
        cwd = os.getcwd()
        os.chdir(arena.folder)
        try:
            result = CliRunner().invoke(
                app,
                argv,
                env={**arena.env(env), "PIPELINE_DB": url},
                input=_encode(stdin) if stdin is not None else None,
            )
        finally:
            os.chdir(cwd)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"pipeline {argv!r} raised {result.exception!r}") from result.exception
        _check_contract(argv, result.exit_code, result.stdout, result.stderr, url, before)
        if result.exit_code not in (0, 9):
            assert file_hash(arena.db) == file_before, argv  # nor the file --db may have named
        _check_clean(url)
    finally:
        pg_server.drop_database(name)
