"""Start-up hygiene: what a read command imports, checked without timing anything.

Shell scripts call `pipeline` dozens of times in a loop, so start-up is most
of what they wait for. Read commands on their machine formats must not import
rich, sqlite_utils or pydantic, and a command imports only its own module of
commands/ (cli.COMMAND_MODULES). Each command runs in a fresh interpreter
through the real `main()`, and the modules in `sys.modules` are listed as
the process ends (which catches modules imported by importlib too, that
`python -X importtime` does not log).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from pipeline_cli import cli

HEAVY = ("rich", "sqlite_utils", "pydantic", "xlsxwriter", "openpyxl", "jinja2", "datasette")
# `pipeline ARGS` through the real main(), which ends the process with
# os._exit: just before that, the wrapper writes the names of every module
# loaded on the last line of stderr.
MAIN = """
import os, sys
real_exit = os._exit
def report_and_exit(code):
    sys.stderr.write("\\nmodules loaded: " + " ".join(sorted(sys.modules)) + "\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = report_and_exit
from pipeline_cli.cli import main
main()
"""
MARK = "modules loaded: "


def run_importing(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `pipeline ARGS` in a fresh interpreter; the result and every module loaded when it ended."""
    completed = subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    lines = completed.stderr.splitlines()
    assert lines and lines[-1].startswith(MARK), completed.stderr
    completed.stderr = "\n".join(lines[:-1]).strip()
    return completed, set(lines[-1][len(MARK) :].split())


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


READ_COMMANDS = [
    ["list", "--format", "tsv"],
    ["list", "--format", "json", "--sector", "biomed"],
    ["summary", "--format", "json"],
    ["summary", "--by", "sector", "--by", "stage", "--format", "tsv"],
    ["funnel", "--format", "json"],
    ["lights", "--format", "tsv"],
    ["report", "--week", "--format", "json"],
    ["report", "--week", "--format", "html"],
    ["report", "--week", "--format", "text"],
    ["summary", "--format", "html"],
    ["show", "7", "--format", "json"],
    ["history", "7", "--format", "tsv"],
    ["stages", "--format", "json"],
    # Every other read command and page format that does not write a workbook.
    ["list", "--format", "markdown"],
    ["list", "--format", "csv"],
    ["lights", "--format", "jsonl"],
    ["funnel", "--format", "html"],
    ["funnel", "--format", "text"],
    ["summary", "--by", "sector", "--format", "text"],
    ["summary", "--by", "district", "--format", "markdown"],
    ["report", "--week", "--format", "markdown"],
    ["report", "--week", "--format", "csv"],
    ["due", "--within", "3650", "--format", "tsv"],
    ["due", "--within", "3650", "--format", "json"],
    ["problem", "list", "--format", "json"],
    ["problem", "list", "--format", "tsv"],
    ["rank", "--format", "json"],
    ["rank", "--by", "sector", "--format", "tsv"],
    ["rank", "--format", "html"],
    ["rank", "--format", "text"],
    ["rank", "--format", "markdown"],
    ["history", "--format", "json"],
    ["sectors", "--format", "tsv"],
    ["export"],
    ["export", "--format", "jsonl"],
    ["check", "--format", "json"],
    ["where"],
]


@pytest.mark.parametrize("args", READ_COMMANDS, ids=" ".join)
def test_read_commands_import_neither_rich_nor_sqlite_utils_nor_pydantic(db: Path, args: list[str]) -> None:
    completed, modules = run_importing(*args)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip(), "the command printed nothing"
    assert "pipeline_cli.cli" in modules  # the list is really there
    assert sorted(top_level(modules) & set(HEAVY)) == []
    # The message catalogue loads with the first message, never for data alone; help's texts only for a help.
    assert "pipeline_cli.messages" not in modules
    assert "pipeline_cli.helptext" not in modules


# problem's commands share the write options (--by, --date, --note) of commands.changes.
OWN_MODULE_COMMANDS = [args for args in READ_COMMANDS if args[0] != "problem"]


@pytest.mark.parametrize("args", OWN_MODULE_COMMANDS, ids=" ".join)
def test_a_command_imports_only_its_own_module_of_commands(db: Path, args: list[str]) -> None:
    completed, modules = run_importing(*args)
    assert completed.returncode == 0, completed.stderr
    loaded = sorted(name for name in modules if name.startswith("pipeline_cli.commands."))
    assert loaded == [f"pipeline_cli.commands.{cli.COMMAND_MODULES[args[0]]}"]


def test_list_in_a_pipe_does_not_load_the_import_code(db: Path) -> None:
    # importing/ (reading and checking import files) is code a read never needs.
    completed, modules = run_importing("list")
    assert completed.returncode == 0, completed.stderr
    assert not [name for name in modules if name.startswith("pipeline_cli.importing")]
    assert "pipeline_cli.seed" not in modules


def test_a_table_on_request_does_import_rich(db: Path) -> None:
    # The check can fail: drawing a table is where rich belongs.
    completed, modules = run_importing("list", "--format", "table")
    assert completed.returncode == 0, completed.stderr
    assert "rich" in top_level(modules)


def test_a_workbook_loads_xlsxwriter_only_and_import_of_csv_no_openpyxl(db: Path) -> None:
    target = db.with_name("out.xlsx")
    completed, modules = run_importing("list", "--format", "xlsx", "-o", str(target))
    assert completed.returncode == 0, completed.stderr
    assert "xlsxwriter" in top_level(modules)
    assert not top_level(modules) & {"openpyxl", "rich", "sqlite_utils"}
    csv_file = db.with_name("in.csv")
    csv_file.write_text("name,sector\nx,it\n", encoding="utf-8")
    completed, modules = run_importing("import", str(csv_file), "--dry-run")
    assert completed.returncode == 0, completed.stderr
    assert not top_level(modules) & {"openpyxl", "xlsxwriter"}


# --- the table of lazily loaded commands ----------------------------------------


def test_command_table_matches_what_each_module_registers() -> None:
    registered: dict[str, str] = {}
    for module_name in cli.COMMAND_MODULE_NAMES:
        for name in cli.load_commands(module_name):
            assert name not in registered, f"{name} is registered by {registered.get(name)} and {module_name}"
            registered[name] = module_name
    assert registered == cli.COMMAND_MODULES


def test_help_lists_every_command_in_table_order() -> None:
    group = typer.main.get_command(cli.app)
    assert isinstance(group, cli.PipelineGroup)
    assert group.list_commands(typer.Context(group)) == list(cli.COMMAND_MODULES)


def test_a_command_missing_from_the_table_is_still_found(monkeypatch: pytest.MonkeyPatch) -> None:
    # A module may register a command before the table names it: lookup then
    # loads every module rather than saying "no such command".
    monkeypatch.delitem(cli.COMMAND_MODULES, "funnel")
    group = typer.main.get_command(cli.app)
    assert isinstance(group, cli.PipelineGroup)
    command = group.get_command(typer.Context(group), "funnel")
    assert command is not None and command.name == "funnel"
    assert group.get_command(typer.Context(group), "no-such-command") is None


def test_looking_up_a_command_builds_only_that_command() -> None:
    assert list(cli.load_commands("changes", only="advance")) == ["advance"]
    assert list(cli.load_commands("vocab", only="stages")) == ["stages"]
    assert list(cli.load_commands("changes")) == [n for n, m in cli.COMMAND_MODULES.items() if m == "changes"]


def test_the_message_catalogue_loads_only_with_a_message(db: Path) -> None:
    completed, modules = run_importing("show", "9999")
    assert completed.returncode == 3
    assert "pipeline_cli.messages" in modules
    assert completed.stderr.startswith("error: ")


def test_a_read_command_finds_its_settings_without_platformdirs_or_hashlib(db: Path) -> None:
    # With an absolute HOME and XDG folders (as conftest sets them), folders.py
    # answers alone; hashlib is only for `copy`. Each costs a `list` 3 to 5 ms.
    completed, modules = run_importing("list", "--format", "tsv")
    assert completed.returncode == 0, completed.stderr
    assert "pipeline_cli.folders" in modules  # the settings file was looked for
    assert not top_level(modules) & {"platformdirs", "hashlib", "tempfile", "random"}


# --- what `list --format tsv` leaves unloaded -------------------------------------
# Each is code the read path never runs, taken off it to start faster; a new
# import that brings one back fails here, not only in the benchmark.
NOT_ON_THE_TSV_LIST_PATH = (
    "pipeline_cli.store.access",
    "pipeline_cli.store.aggregates",
    "pipeline_cli.store.changes",
    "pipeline_cli.store.check",
    "pipeline_cli.store.copying",
    "pipeline_cli.store.transfer",
    "pipeline_cli.store.vocab",
    # The records of the read path are frozen.Frozen, which compile nothing at import.
    "dataclasses",
    # string.Formatter fills in messages only (templates.py).
    "string",
    "pipeline_cli.templates",
    # JSON is written by formats/jsontext.py; amounts are Decimals only in JSON and tables.
    "json",
    "pipeline_cli.formats.jsontext",
    "decimal",
)


def test_list_as_tsv_loads_only_the_modules_it_uses(db: Path) -> None:
    completed, modules = run_importing("list", "--format", "tsv")
    assert completed.returncode == 0, completed.stderr
    assert {"pipeline_cli.store._core", "pipeline_cli.store.reads"} <= modules
    assert sorted(modules & set(NOT_ON_THE_TSV_LIST_PATH)) == []


def test_list_as_tsv_on_a_server_loads_only_the_reading_modules_of_the_store_too(pg_url: str) -> None:
    completed, modules = run_importing("list", "--format", "tsv")
    assert completed.returncode == 0, completed.stderr
    assert {"pipeline_cli.store.postgres", "pipeline_cli.store.reads"} <= modules
    # (psycopg itself imports dataclasses: only pipeline's own modules are asked about here.)
    ours = {name for name in NOT_ON_THE_TSV_LIST_PATH if name.startswith("pipeline_cli.")}
    assert sorted(modules & ours) == []


def test_every_name_of_the_store_is_found_in_its_module() -> None:
    from pipeline_cli import store

    assert sorted(store._MODULE_OF) == sorted(store.__all__)
    for name in store.__all__:
        module = importlib.import_module(f"pipeline_cli.store.{store._MODULE_OF[name]}")
        assert getattr(store, name) is getattr(module, name)
    with pytest.raises(AttributeError):
        store.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_list_as_tsv_compiles_no_regular_expression_of_its_own(db: Path) -> None:
    # Each pattern of pipeline's is compiled when first used (0.1 to 0.5 ms
    # each): printing data uses none. Typer's and Python's own are compiled
    # before pipeline's modules load, so only patterns compiled after that count.
    counting = MAIN.replace(
        "from pipeline_cli.cli import main",
        "import re, typer, sqlite3\n"
        "compiled = []\n"
        "real_compile = re._compile\n"
        "def counted(pattern, flags):\n"
        "    if not isinstance(pattern, re.Pattern) and (type(pattern), pattern, flags) not in re._cache:\n"
        "        compiled.append(pattern)\n"
        "    return real_compile(pattern, flags)\n"
        "re._compile = counted\n"
        "from pipeline_cli.cli import main",
    ).replace('" ".join(sorted(sys.modules))', '" ".join(sorted(sys.modules)) + " COMPILED=" + repr(compiled)')
    completed = subprocess.run(
        [sys.executable, "-c", counting, "list", "--format", "tsv"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert completed.returncode == 0, completed.stderr
    last = completed.stderr.splitlines()[-1]
    assert last.endswith("COMPILED=[]"), last[last.index("COMPILED=") :]


# --- the garbage collector while starting -----------------------------------------


def test_the_console_script_starts_with_the_collector_paused_and_a_program_importing_it_does_not() -> None:
    check = "import gc, sys; sys.argv[0] = {name!r}; import pipeline_cli; print(gc.isenabled(), pipeline_cli.gc_paused)"
    script = subprocess.run(
        [sys.executable, "-c", check.format(name="/usr/bin/pipeline")], capture_output=True, text=True, timeout=60
    )
    assert script.stdout.split() == ["False", "True"], script.stderr
    program = subprocess.run(
        [sys.executable, "-c", check.format(name="myprogram")], capture_output=True, text=True, timeout=60
    )
    assert program.stdout.split() == ["True", "False"], program.stderr


def test_the_collector_resumes_before_the_command_runs(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import pipeline_cli
    from pipeline_cli import store

    seen: list[bool] = []
    real_iter_projects = store.iter_projects

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real_iter_projects(*args, **kwargs)

    monkeypatch.setattr(store, "iter_projects", watched)
    monkeypatch.setattr(pipeline_cli, "gc_paused", True)
    gc.disable()
    try:
        result = CliRunner().invoke(cli.app, ["--db", str(db), "list", "--format", "tsv"])
    finally:
        gc.enable()
        gc.unfreeze()
    assert result.exit_code == 0, result.output
    assert seen == [True]
    assert not pipeline_cli.gc_paused
