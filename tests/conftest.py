"""Every test gets its own database file and a fixed today (2020-08-18, the report's date).

`cli` runs a command in-process through Typer's CliRunner (fast); `sh` runs the
installed `pipeline` console script as a real subprocess, the way a shell
script would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from pipeline_cli.cli import app

REPORT_DATE = "2020-08-18"
# The contract's project fields, in order (written out here, not imported, so
# that the tests hold the code to the contract).
PROJECT_FIELDS = [
    "id",
    "name",
    "sector",
    "stage",
    "status",
    "investment",
    "key",
    "district",
    "unit",
    "lead",
    "note",
    "source",
    "stage_since",
    "days_in_stage",
    "light",
    "light_reason",
    "next_plan_stage",
    "next_plan_date",
    "overdue_days",
]
# The ladder, as the contract lists it (written out for the same reason).
STAGE_LADDER = [
    "negotiating",
    "signed",
    "preliminary",
    "landed",
    "construction",
    "completed",
    "production",
    "capacity",
]
PIPELINE_BIN = Path(sys.executable).with_name("pipeline")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(autouse=True)
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point PIPELINE_DB at a temporary file and pin today; clear the user's settings."""
    for name in ("PIPELINE_LANG", "PIPELINE_BUSY_TIMEOUT", "NO_COLOR", "PIPELINE_USER", "PIPELINE_CONFIG", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    db = tmp_path / "pipeline.db"
    monkeypatch.setenv("PIPELINE_DB", str(db))
    monkeypatch.setenv("PIPELINE_TODAY", REPORT_DATE)
    monkeypatch.setenv("PIPELINE_USER", "tester")
    # The login name events record as db_user (getpass reads LOGNAME first).
    monkeypatch.setenv("LOGNAME", "tester")
    # The platformdirs default must never be the real user's folder.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    yield db


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seeded and the empty database, built once (as `pipeline init` builds them) and copied per test."""
    from pipeline_cli import store
    from pipeline_cli.seed import projects_2020

    folder = tmp_path_factory.mktemp("templates")
    built = {"seeded": folder / "seeded.db", "empty": folder / "empty.db"}
    store.create(built["seeded"], projects_2020())
    store.create(built["empty"], [])
    return built


# Test modules of the contract whose every test that uses `db` runs on both engines
# (as a test marked `engines` does): they reach the database only through the
# command. Doubling them doubles their time, so only where PIPELINE_TEST_ENGINES
# is `all` (CI sets it: .ci/run).
BOTH_ENGINES = (
    "test_subprocess_contract",
    "test_facts",
    "test_funnel",
    "test_csv_tsv",
    "test_one_line",
    "test_smoke",
    "test_pages",
    "test_summary",
    "test_lights",
    "test_rank",
    "test_plans",
    "test_problems",
    "test_report",
    "test_sectors",
    "test_list_filters",
    "test_undo_add",
    "test_changes",
    "test_refusals_changes",
    "test_agenda_refusals",
    "test_columns",
    "test_usage_zh",
    "test_formats",
    "test_edges",
    "test_hostile_arguments",
    "test_zh_everywhere",
    "test_zh_workbooks",
    "test_text_rule",
    "test_copy",
    "test_transfer",
    "test_concurrency",
    "test_xlsx",
    "test_lock_and_readonly",
    "test_completion",
    "test_config",
    "test_sentences",
    "test_table_width",
    "test_xlsx_hostile",
    "test_surroundings",
    "test_interrupts",
)
# Not in BOTH_ENGINES: what is about the SQLite file itself (test_database_file, test_files,
# test_datasette, test_rebuild_table, test_text_migration, test_agenda_schema, test_kill, whose
# PostgreSQL twin is test_postgres_writers); what opens no database (test_help_zh, test_docs,
# test_readme, test_messages, test_json_writer, test_row_writers, test_startup_imports,
# test_folders, test_bench_launch); the PostgreSQL tests themselves (test_postgres*, test_access,
# and test_view_lights, marked engines where it compares); a browser's rendering (test_browser);
# test_before_after and test_import_fuzz, which run on PostgreSQL their own way; and the Hypothesis
# machines test_fuzz_commands and test_undo_stateful, which copy a fresh database file for every
# example (hundreds; half a second each on the server): they have no PostgreSQL sample yet.
# Tests of those modules that read the SQLite file itself (or what only a file has: Datasette, completion).
SQLITE_ONLY = (
    "test_stages_set_changes_the_lights_and_records_no_event",
    "test_the_plans_table_follows_the_events",
    "test_the_datasette_view_leaves_an_undone_add_out",
    "test_completion_does_not_offer_an_undone_id",
    # test_changes: SQLite lets a test break its constraints (the server refuses), pages, the sqlite3 shell.
    "test_check_reports_each_violation_and_exits_6",
    "test_check_runs_integrity_check",
    "test_readme_changing_projects_examples_are_real",
    # test_copy: the file's own tables and columns.
    "test_copy_knows_every_column_of_every_table",
    # test_transfer: the README's examples work in the file's folder; -o naming the database's own file.
    "test_readme_data_in_and_out_examples_are_real",
    "test_export_refuses_to_write_over_the_database_in_use",
    "test_o_never_overwrites_the_database_in_use",
    # test_lock_and_readonly: SQLite's own locks (a reader holding the file, EXCLUSIVE), file modes, file sizes.
    "test_a_reader_that_keeps_the_file_past_the_timeout_makes_commit_busy",
    "test_an_exclusive_lock_makes_reads_wait_and_give_up_with_exit_7",
    "test_reads_work_on_a_read_only_database",
    "test_writes_to_a_read_only_database_exit_8_and_change_nothing",
    "test_writes_on_a_full_disk_exit_8_and_change_nothing",
    "test_writes_that_run_out_of_room_exit_8_and_change_nothing",
    # test_surroundings: a copy of the file in a folder another user cannot enter.
    "test_a_database_in_a_folder_the_user_cannot_enter_is_exit_6",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked `engines` that uses a database (`db`, `empty_db`, `blank`) runs on SQLite and on PostgreSQL."""
    whole_modules = (
        os.environ.get("PIPELINE_TEST_ENGINES") == "all"
        and metafunc.module.__name__ in BOTH_ENGINES
        and metafunc.function.__name__ not in SQLITE_ONLY
    )
    marked = metafunc.definition.get_closest_marker("engines") or whole_modules
    if marked and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


# Grids of refusals of an argument (a number, a date, an amount) that parsing makes before the
# database is read: the same code on either engine. Each case costs a database on the server
# (about half a second), so on PostgreSQL every PG_SAMPLE-th case of each grid runs, the rest
# on SQLite only; every other test of the modules above runs whole on both.
PG_SAMPLED = (
    "test_a_whole_number_argument_takes_ascii_digits_within_sqlite_integers",
    "test_dates_and_numbers_of_every_command_are_refused_at_their_edges",
    "test_dates_at_the_edges_of_the_calendar_are_usage_errors",
    "test_other_amounts_are_refused_with_a_reason_and_hint",
)
PG_SAMPLE = 4


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep every PG_SAMPLE-th PostgreSQL case of the PG_SAMPLED grids."""
    seen: dict[str, int] = {}
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        name = getattr(item, "originalname", item.name)
        callspec = getattr(item, "callspec", None)
        if name in PG_SAMPLED and callspec is not None and callspec.params.get("engine") == "postgresql":
            seen[name] = seen.get(name, -1) + 1
            if seen[name] % PG_SAMPLE:
                left_out.append(item)
                continue
        kept.append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """The engine `db` is on: sqlite, or postgresql for a test marked `engines` in its second run."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def db(environment: Path, templates: dict[str, Path], engine: str, request: pytest.FixtureRequest) -> Path:
    """A database seeded with the report's 47 projects (a copy of the session's template); PIPELINE_DB names it.

    On PostgreSQL (a test marked `engines`), a copy of the seeded database on
    the session's server, and what is returned is its URL.
    """
    if engine == "postgresql":
        url: Path = request.getfixturevalue("pg_url")
        return url
    shutil.copyfile(templates["seeded"], environment)
    return environment


@pytest.fixture
def empty_db(environment: Path, templates: dict[str, Path], engine: str, request: pytest.FixtureRequest) -> Path:
    """A database without projects (`init --empty`), as `db` on either engine."""
    if engine == "postgresql":
        url: Path = request.getfixturevalue("pg_empty_url")
        return url
    shutil.copyfile(templates["empty"], environment)
    return environment


@pytest.fixture
def blank(environment: Path, engine: str, request: pytest.FixtureRequest) -> Path:
    """Where a test builds its own database (tests/builders.py): PIPELINE_DB's file, or on PostgreSQL a new
    database without tables on the session's server, PIPELINE_DB naming its URL."""
    if engine != "postgresql":
        return environment
    import pg

    server = request.getfixturevalue("pg_server")
    assert isinstance(server, pg.Server)
    name = server.new_database()
    request.addfinalizer(lambda: server.drop_database(name))
    url: Path = server.url(name)  # type: ignore[assignment]
    request.getfixturevalue("monkeypatch").setenv("PIPELINE_DB", str(url))
    return url


def run_cli(*args: str, input: str | None = None) -> Result:
    """Run `pipeline ARGS` in-process."""
    result = CliRunner().invoke(app, list(args), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


def run_sh(*args: str, input: str | None = None, env: dict[str, str] | None = None, timeout: float = 60) -> Result:
    """Run the installed `pipeline` console script as a subprocess."""
    completed = subprocess.run(
        [str(PIPELINE_BIN), *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def cli() -> Callable[..., Result]:
    return run_cli


@pytest.fixture
def sh() -> Callable[..., Result]:
    return run_sh


def is_postgres(db: object) -> bool:
    """Whether `db` (what the `db` fixture gave) is a database on the session's server."""
    return isinstance(db, str) and db.startswith("postgresql://")


@contextlib.contextmanager
def connected(db: Path) -> Iterator[Any]:
    """A connection to `db` on either engine that takes SQLite's SQL, rows by name; committed on leaving.

    On PostgreSQL it is the store's own adapter (dialect.translate), so a test
    reads and changes the database with one text for both engines.
    """
    if is_postgres(db):
        from pipeline_cli.store import postgres

        pg_conn = postgres.connect(str(db), 10)
        try:
            yield pg_conn
        finally:
            pg_conn.close()
        return
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


def query(db: Path, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows `sql` (SQLite's SQL) gives on `db`, on either engine, as dicts."""
    with connected(db) as conn:
        return [dict(zip(row.keys(), row, strict=True)) for row in conn.execute(sql, params).fetchall()]


def file_hash(path: Path | str) -> str:
    """Hash of a file's bytes, or 'missing'; for 'the database is unchanged' checks.

    For a PostgreSQL URL (the `db` of a test on both engines), a hash of every
    row of every pipeline table instead.
    """
    if is_postgres(path):
        return database_hash(str(path))
    path = Path(path)
    if not path.exists():
        return "missing"
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- PostgreSQL: a throwaway server for the session (tests/pg.py) ------------------------

PG_TABLES = ("pipeline_sequence", "stages", "sectors", "projects", "events", "plans", "problems", "migrations")


def database_hash(url: str) -> str:
    """Hash of every row of the pipeline tables of a database on a server, in key order."""
    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in PG_TABLES:
            if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone() == (None,):
                digest.update(repr((table, "missing")).encode())
                continue
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr((table, *row)).encode())
    return digest.hexdigest()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """The session's PostgreSQL server; the test is skipped, with the reason, where it cannot run."""
    import pg

    missing = pg.missing_binaries()
    if missing:
        pytest.skip(f"PostgreSQL server binaries not on PATH: {', '.join(missing)} (install PostgreSQL 15)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install -e '.[test]')")
    with pg.running_server() as server:
        yield server


@pytest.fixture(scope="session")
def pg_templates(pg_server: object) -> dict[str, str]:
    """Databases made by `pipeline init` once, copied per test: seeded and empty."""
    import pg

    assert isinstance(pg_server, pg.Server)
    names = {}
    for kind, args in (("seeded", []), ("empty", ["--empty"])):
        name = f"template_{kind}"
        pg_server.admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
        done = run_sh("--db", pg_server.url(name), "init", *args, env={"PIPELINE_TODAY": REPORT_DATE})
        assert done.exit_code == 0, done.stderr
        names[kind] = name
    return names


@pytest.fixture
def pg_url(
    environment: Path, pg_server: object, pg_templates: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """PIPELINE_DB pointed at a fresh copy of the seeded database on the session's server."""
    yield from _pg_copy(pg_server, pg_templates["seeded"], monkeypatch)


@pytest.fixture
def pg_empty_url(
    environment: Path, pg_server: object, pg_templates: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """PIPELINE_DB pointed at a fresh database without projects on the session's server."""
    yield from _pg_copy(pg_server, pg_templates["empty"], monkeypatch)


def _pg_copy(pg_server: object, template: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    import pg

    assert isinstance(pg_server, pg.Server)
    name = pg_server.new_database(template)
    url = pg_server.url(name)
    monkeypatch.setenv("PIPELINE_DB", url)
    yield url
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest) -> str:
    """The seeded database on each engine in turn: PIPELINE_DB names it; its path or URL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("db"))
    url: str = request.getfixturevalue("pg_url")
    return url


def cell_value(cell: Any) -> Any:
    """A cell as the JSON value it stands for: numbers as exact Decimals, dates as YYYY-MM-DD."""
    value = cell.value
    if isinstance(value, dt.datetime):
        assert cell.number_format == "yyyy-mm-dd", cell.coordinate
        return value.date().isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return Decimal(repr(value))
