"""The database file: where it is, creating it, refusing what is not ours, migrating.

Every refusal leaves the file byte for byte as it was and creates nothing
beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PIPELINE_BIN, STAGE_LADDER, Result, file_hash, run_cli
from pipeline_cli import migrations

Cli = Callable[..., Result]
Sh = Callable[..., Result]

APPLICATION_ID = 0x50495045  # 'PIPE'


def count(cli: Cli, *args: str) -> int:
    result = cli(*args, "list", "--all", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return len(json.loads(result.stdout))


def listing(folder: Path) -> dict[str, str]:
    """Every file in a folder with its hash: to prove nothing appeared or changed."""
    return {p.name: file_hash(p) if p.is_file() else "dir" for p in sorted(folder.iterdir())}


def pragma(path: Path, name: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        value: int = conn.execute(f"PRAGMA {name}").fetchone()[0]
        return value
    finally:
        conn.close()


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def default_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No --db and no PIPELINE_DB: the platformdirs default under XDG_DATA_HOME."""
    monkeypatch.delenv("PIPELINE_DB")
    data_home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    return data_home / "pipeline" / "pipeline.db"


# --- path resolution ----------------------------------------------------------------


def test_db_option_beats_env_beats_default(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded, empty = tmp_path / "seeded.db", tmp_path / "empty.db"
    assert cli("--db", str(seeded), "init").exit_code == 0
    assert cli("--db", str(empty), "init", "--empty").exit_code == 0

    monkeypatch.setenv("PIPELINE_DB", str(seeded))
    assert cli("where").stdout == f"{seeded}\n"
    assert count(cli) == 47
    assert cli("--db", str(empty), "where").stdout == f"{empty}\n"
    assert count(cli, "--db", str(empty)) == 0

    monkeypatch.delenv("PIPELINE_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert cli("where").stdout == f"{tmp_path / 'data' / 'pipeline' / 'pipeline.db'}\n"
    assert cli("--db", str(empty), "where").stdout == f"{empty}\n"


def test_where_has_no_side_effects(default_path: Path, cli: Cli, tmp_path: Path) -> None:
    result = cli("where")
    assert (result.exit_code, result.stdout, result.stderr) == (0, f"{default_path}\n", "")
    assert not default_path.exists()
    missing = tmp_path / "missing.db"
    result = cli("--db", str(missing), "where")
    assert (result.exit_code, result.stdout) == (0, f"{missing}\n")
    assert not missing.exists()


def test_tilde_in_the_path_is_the_home_folder(tmp_path: Path, cli: Cli) -> None:
    home = Path(os.environ["HOME"])
    assert cli("--db", "~/p.db", "where").stdout == f"{home / 'p.db'}\n"


# --- the default path on first use --------------------------------------------------------


def test_default_path_first_run_creates_and_seeds_with_one_notice(default_path: Path, sh: Sh) -> None:
    first = sh("list", "--format", "json")
    assert first.exit_code == 0
    assert len(json.loads(first.stdout)) == 47
    assert default_path.is_file()
    notice = first.stderr.splitlines()
    assert len(notice) == 1
    assert str(default_path) in notice[0] and "47" in notice[0]

    second = sh("list", "--format", "json")
    assert (second.exit_code, second.stderr) == (0, "")
    assert second.stdout == first.stdout
    # Nothing but the database in its folder.
    assert [p.name for p in default_path.parent.iterdir()] == ["pipeline.db"]


@pytest.mark.parametrize("command", [["stages", "--format", "json"], ["show", "7", "--format", "json"]])
def test_any_command_creates_the_default_database(default_path: Path, cli: Cli, command: list[str]) -> None:
    result = cli(*command)
    assert result.exit_code == 0
    json.loads(result.stdout)  # stdout holds only the data
    assert "47" in result.stderr
    assert count(cli) == 47


# The console script, with reading the seed slowed down so that every process
# is still building its copy when the others look for the file.
SLOW_SEED_SCRIPT = """
import sys, time
import pipeline_cli.seed as seed

original = seed.projects_2020

def slow():
    time.sleep(0.3)
    return original()

seed.projects_2020 = slow
from pipeline_cli.cli import main
sys.argv = ["pipeline", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize(
    "program", [[str(PIPELINE_BIN)], [sys.executable, "-c", SLOW_SEED_SCRIPT]], ids=["pipeline", "slow seed"]
)
@pytest.mark.parametrize("round_", range(2))
def test_two_first_runs_at_once_both_succeed_with_47_projects(
    default_path: Path, program: list[str], round_: int
) -> None:
    processes = [
        subprocess.Popen(
            [*program, "list", "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0]
    for stdout, _ in outputs:
        assert len(json.loads(stdout)) == 47
    assert query(default_path, "SELECT count(*) FROM projects") == [(47,)]
    assert query(default_path, "SELECT count(*) FROM events") == [(47,)]
    # One of them created it and said so.
    assert sum(1 for _, stderr in outputs if "created" in stderr) == 1
    assert [p.name for p in default_path.parent.iterdir()] == ["pipeline.db"]


# --- refusals: exit 6, file untouched ----------------------------------------------------


def make_text(path: Path) -> None:
    path.write_text("id,name\n1,not a database\n", encoding="utf-8")


def make_empty(path: Path) -> None:
    path.write_bytes(b"")


def make_other_app(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('hello')")
    conn.commit()
    conn.close()


def make_other_app_wal(path: Path) -> None:
    make_other_app(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def make_other_app_with_our_tables(path: Path) -> None:
    """Looks like ours (same tables), but without our application_id."""
    run_cli("--db", str(path), "init")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()


def make_newer(path: Path) -> None:
    run_cli("--db", str(path), "init")
    conn = sqlite3.connect(path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute(f"PRAGMA user_version = {version + 1}")
    conn.commit()
    conn.close()


def make_folder(path: Path) -> None:
    path.mkdir()


def make_corrupt(path: Path) -> None:
    """A pipeline database whose table pages are overwritten with garbage."""
    run_cli("--db", str(path), "init")
    data = bytearray(path.read_bytes())
    data[8192:] = b"\x55" * (len(data) - 8192)
    path.write_bytes(bytes(data))


REFUSED = {
    "text file": (make_text, "not an SQLite database"),
    "empty file": (make_empty, "not an SQLite database"),
    "other application's SQLite file": (make_other_app, "not a pipeline database"),
    "other application's SQLite file in WAL mode": (make_other_app_wal, "not a pipeline database"),
    "SQLite file with our tables but not our id": (make_other_app_with_our_tables, "not a pipeline database"),
    "newer schema": (make_newer, "newer version"),
    "folder": (make_folder, "folder"),
    "damaged pipeline database": (make_corrupt, "damaged"),
}

READ_COMMANDS = [
    ["list"],
    ["list", "--format", "json"],
    ["show", "1"],
    ["stages"],
    ["sectors", "--format", "json"],
]


@pytest.mark.parametrize("via", ["--db", "PIPELINE_DB"])
@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", list(REFUSED))
def test_refused_with_exit_6_and_left_untouched(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, kind: str, command: list[str], via: str
) -> None:
    make, reason = REFUSED[kind]
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "target.db"
    make(path)
    before = listing(folder)
    if via == "--db":
        result = cli("--db", str(path), *command)
    else:
        monkeypatch.setenv("PIPELINE_DB", str(path))
        result = cli(*command)
    assert result.exit_code == 6, result
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: ") and str(path) in lines[0] and reason in lines[0]
    assert lines[1].startswith("hint: ")
    assert listing(folder) == before
    if path.is_dir():
        assert list(path.iterdir()) == []


@pytest.mark.parametrize("via", ["--db", "PIPELINE_DB"])
@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_missing_explicit_path_is_refused_and_never_created(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch, command: list[str], via: str
) -> None:
    path = tmp_path / "data" / "typo.db"
    path.parent.mkdir()
    nested = tmp_path / "no" / "such" / "folder" / "p.db"
    for target in (path, nested):
        if via == "--db":
            result = cli("--db", str(target), *command)
        else:
            monkeypatch.setenv("PIPELINE_DB", str(target))
            result = cli(*command)
        assert result.exit_code == 6
        assert result.stdout == ""
        assert result.stderr.splitlines()[0] == f"error: no database at {target}"
        assert "pipeline init" in result.stderr.splitlines()[1]
    assert list(path.parent.iterdir()) == []
    assert not (tmp_path / "no").exists()


def test_refusal_through_the_console_script(tmp_path: Path, sh: Sh) -> None:
    path = tmp_path / "notes.sqlite"
    make_other_app(path)
    before = file_hash(path)
    result = sh("--db", str(path), "list")
    assert (result.exit_code, result.stdout) == (6, "")
    assert "not a pipeline database" in result.stderr
    assert file_hash(path) == before


def test_a_newer_schema_names_both_versions(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "newer.db"
    make_newer(path)
    result = cli("--db", str(path), "list")
    version = pragma(path, "user_version")
    assert f"schema {version}" in result.stderr and f"knows {version - 1}" in result.stderr


# --- init -----------------------------------------------------------------------------


def test_init_creates_a_seeded_database(environment: Path, cli: Cli) -> None:
    result = cli("init")
    assert result.exit_code == 0
    assert result.stdout == f"created {environment} with 47 projects\n"
    assert count(cli) == 47
    assert [p.name for p in environment.parent.iterdir() if p.name.startswith(environment.name)] == ["pipeline.db"]


def test_init_empty_has_no_projects_but_the_vocabularies(environment: Path, cli: Cli) -> None:
    result = cli("init", "--empty")
    assert result.exit_code == 0
    assert "0 projects" in result.stdout
    assert count(cli) == 0
    stages = json.loads(cli("stages", "--format", "json").stdout)
    sectors = json.loads(cli("sectors", "--format", "json").stdout)
    assert [s["stage"] for s in stages] == STAGE_LADDER
    assert [s["sector"] for s in sectors] == ["it", "biomed", "transport", "smart-mfg", "textile", "food"]
    assert query(environment, "SELECT count(*) FROM events") == [(0,)]


@pytest.mark.parametrize("existing", ["pipeline", "text", "other app", "empty"])
@pytest.mark.parametrize("empty", [False, True])
def test_init_refuses_an_existing_file(environment: Path, cli: Cli, existing: str, empty: bool) -> None:
    if existing == "pipeline":
        assert cli("init", "--empty").exit_code == 0
    else:
        {"text": make_text, "other app": make_other_app, "empty": make_empty}[existing](environment)
    before = listing(environment.parent)
    result = cli("init", *(["--empty"] if empty else []))
    assert result.exit_code == 4
    assert result.stdout == ""
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert listing(environment.parent) == before


@pytest.mark.parametrize("empty", [False, True])
def test_init_force_keeps_the_old_file_as_a_backup(environment: Path, cli: Cli, empty: bool) -> None:
    assert cli("init", "--empty").exit_code == 0
    old = file_hash(environment)
    result = cli("init", "--force", *(["--empty"] if empty else []))
    assert result.exit_code == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first.startswith("kept the old database as ")
    backup = Path(first.removeprefix("kept the old database as "))
    assert backup.parent == environment.parent and backup != environment
    assert file_hash(backup) == old
    assert second == f"created {environment} with {0 if empty else 47} projects"
    assert count(cli) == (0 if empty else 47)
    assert count(cli, "--db", str(backup)) == 0


def test_init_force_twice_keeps_two_backups(environment: Path, cli: Cli) -> None:
    assert cli("init").exit_code == 0
    hashes = [file_hash(environment)]
    backups = []
    for _ in range(2):
        result = cli("init", "--force", "--empty")
        assert result.exit_code == 0
        backups.append(Path(result.stdout.splitlines()[0].removeprefix("kept the old database as ")))
        hashes.append(file_hash(environment))
    assert len(set(backups)) == 2
    assert [file_hash(b) for b in backups] == hashes[:2]


def test_init_force_replaces_a_file_that_is_not_a_database(environment: Path, cli: Cli) -> None:
    make_text(environment)
    old = environment.read_bytes()
    result = cli("init", "--force")
    assert result.exit_code == 0
    backup = Path(result.stdout.splitlines()[0].removeprefix("kept the old database as "))
    assert backup.read_bytes() == old
    assert count(cli) == 47


def test_init_in_a_new_folder(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "new" / "folder" / "p.db"
    assert cli("--db", str(path), "init").exit_code == 0
    assert count(cli, "--db", str(path)) == 47


# --- the file's schema -------------------------------------------------------------------


def test_application_id_and_user_version(db: Path) -> None:
    from pipeline_cli.migrations import MIGRATIONS, SCHEMA_VERSION

    assert pragma(db, "application_id") == APPLICATION_ID
    assert pragma(db, "user_version") == SCHEMA_VERSION == len(MIGRATIONS)
    names = [row[0] for row in query(db, "SELECT name FROM migrations ORDER BY id")]
    assert names == [m.__name__ for m in MIGRATIONS]
    assert names[0] == "m001_initial"


def test_tables_have_foreign_keys(db: Path) -> None:
    def targets(table: str) -> set[tuple[str, str]]:
        return {(str(row[2]), str(row[3])) for row in query(db, f"PRAGMA foreign_key_list({table})")}

    assert {("sectors", "sector"), ("stages", "stage")} <= targets("projects")
    assert ("projects", "project_id") in targets("events")
    assert query(db, "PRAGMA foreign_key_check") == []
    views = [row[0] for row in query(db, "SELECT name FROM sqlite_master WHERE type = 'view'")]
    assert views


def test_connections_enforce_foreign_keys(db: Path) -> None:
    from pipeline_cli import store

    conn = store.open_existing(db)
    try:
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        before = file_hash(db)
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO events (project_id, kind, date, recorded_at) VALUES (9999, 'created', '2020-01-01', 'x')"
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("UPDATE projects SET sector = 'nope' WHERE id = 1")
    finally:
        conn.close()
    assert file_hash(db) == before


# --- migrations ---------------------------------------------------------------------------

# Runs the CLI as if the package had a second migration; the db named by
# PIPELINE_DB is then an "old" file at schema 1. MODE: ok / fail.
MIGRATING_SCRIPT = """
import sys, time
import pipeline_cli.migrations as migrations

MODE = sys.argv[1]

def m002_add_contacts(conn):
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, project_id INTEGER REFERENCES projects(id))")
    conn.execute("ALTER TABLE projects ADD COLUMN phone TEXT")
    time.sleep(0.2)  # widen the window in which a second process arrives
    if MODE == "fail":
        raise RuntimeError("migration failed half-way")

migrations.MIGRATIONS = (*migrations.MIGRATIONS, m002_add_contacts)
migrations.SCHEMA_VERSION = len(migrations.MIGRATIONS)
import pipeline_cli.store._core as store
store.MIGRATIONS = migrations.MIGRATIONS
store.SCHEMA_VERSION = migrations.SCHEMA_VERSION
from pipeline_cli.cli import main
sys.argv = ["pipeline", *sys.argv[2:]]
main()
"""


# The schema the current code writes, and the names of its migrations.
CURRENT = len(migrations.MIGRATIONS)
APPLIED = [(index, migration.__name__) for index, migration in enumerate(migrations.MIGRATIONS, start=1)]


def migrating(mode: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", MIGRATING_SCRIPT, mode, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_old_file_is_migrated_on_open(db: Path) -> None:
    process = migrating("ok", "list", "--format", "json")
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert len(json.loads(stdout)) == 47
    assert pragma(db, "user_version") == CURRENT + 1
    assert pragma(db, "application_id") == APPLICATION_ID
    assert query(db, "SELECT id, name FROM migrations ORDER BY id") == [*APPLIED, (CURRENT + 1, "m002_add_contacts")]
    assert query(db, "SELECT count(*) FROM contacts") == [(0,)]


@pytest.mark.parametrize("round_", range(3))
def test_concurrent_processes_opening_an_old_file_migrate_it_once(db: Path, round_: int) -> None:
    processes = [migrating("ok", "list", "--format", "json") for _ in range(4)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0, 0], [err for _, err in outputs]
    assert all(len(json.loads(stdout)) == 47 for stdout, _ in outputs)
    assert query(db, "SELECT id, name FROM migrations ORDER BY id") == [*APPLIED, (CURRENT + 1, "m002_add_contacts")]
    assert pragma(db, "user_version") == CURRENT + 1
    # The current code, which does not know that schema, now refuses the migrated file.
    result = run_cli("list")
    assert result.exit_code == 6 and "newer version" in result.stderr


def test_a_failed_migration_leaves_the_file_as_it_was(db: Path) -> None:
    before = listing(db.parent)
    process = migrating("fail", "list", "--format", "json")
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stdout == ""
    assert "migration failed half-way" in stderr and "Traceback" not in stderr
    assert listing(db.parent) == before
    assert pragma(db, "user_version") == CURRENT


def test_migrating_a_copy_leaves_the_original(db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copyfile(db, copy)
    original = file_hash(db)
    process = subprocess.Popen(
        [sys.executable, "-c", MIGRATING_SCRIPT, "ok", "--db", str(copy), "stages", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert pragma(copy, "user_version") == CURRENT + 1
    assert file_hash(db) == original
