"""A pipeline database on a PostgreSQL server, through the installed command, against a real server.

The session's throwaway cluster (tests/pg.py) gives each test its own
database; where the server binaries are missing these tests are skipped
with the reason. The same commands run on both engines must print the same
bytes, except what only the engine decides: when an event was recorded and
who the database says wrote it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

import pg
from conftest import Result, run_cli, run_sh
from pipeline_cli import migrations
from pipeline_cli.store import dialect

Sh = Callable[..., Result]


def query(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def snapshot(url: str) -> list[list[tuple[object, ...]]]:
    """Every row of the pipeline tables, for 'nothing changed'."""
    return [
        query(url, f"SELECT * FROM {table} ORDER BY 1, 2")
        for table in ("projects", "events", "stages", "sectors", "plans", "problems", "migrations")
    ]


# --- opening a URL ----------------------------------------------------------------------


def test_where_prints_the_url_without_its_password(sh: Sh) -> None:
    url = "postgresql://bureau:s3cret@db.example:5433/pipeline?sslmode=require&password=other"
    done = sh("--db", url, "where")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == "postgresql://bureau@db.example:5433/pipeline?sslmode=require\n"
    assert "s3cret" not in done.stdout + done.stderr and "other" not in done.stdout


def test_a_url_in_pipeline_db_or_the_settings_is_used_too(sh: Sh, pg_url: str, tmp_path: Path) -> None:
    assert sh("where", env={"PIPELINE_DB": pg_url}).stdout == pg_url + "\n"
    config = tmp_path / "config.toml"
    config.write_text(f'db = "{pg_url}"\n')
    done = sh("list", "--format", "tsv", env={"PIPELINE_DB": "", "PIPELINE_CONFIG": str(config)})
    assert done.exit_code == 0, done.stderr
    assert len(done.stdout.splitlines()) == 48


def test_without_the_driver_a_url_is_exit_6_with_the_install_hint(pg_url: str) -> None:
    # psycopg made unimportable in that interpreter, as where the extra is not installed.
    program = "import sys; sys.modules['psycopg'] = None; from pipeline_cli.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", program, "--db", pg_url, "list"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 6
    assert done.stdout == ""
    assert "pip install 'pipeline-cli[postgres]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_web_on_a_server_is_a_usage_error_that_says_how(sh: Sh, pg_url: str) -> None:
    done = sh("web", "--metadata")
    assert done.exit_code == 2
    assert done.stdout == ""
    assert "pipeline backup" in done.stderr


def test_sqlite_start_up_never_imports_psycopg(db: Path) -> None:
    from test_startup_imports import run_importing, top_level

    for args in (["list", "--format", "tsv"], ["summary", "--format", "json"], ["where"]):
        completed, modules = run_importing(*args)
        assert completed.returncode == 0, completed.stderr
        assert "psycopg" not in top_level(modules), args


def test_a_server_that_refuses_the_connection_is_exit_6_with_its_reason(sh: Sh) -> None:
    url = f"postgresql://nobody@127.0.0.1:{pg._free_port()}/pipeline"
    done = sh("--db", url, "list")
    assert done.exit_code == 6
    assert done.stdout == ""
    assert "Connection refused" in done.stderr and "127.0.0.1" in done.stderr


def test_a_wrong_password_is_exit_6_and_the_password_is_never_shown(sh: Sh, pg_server: pg.Server, pg_url: str) -> None:
    database = pg_url.rsplit("/", 1)[1]
    url = pg_server.url(database, user=pg.PASSWORD_ROLE, password="wrong-guess")
    done = sh("--db", url, "list")
    assert done.exit_code == 6
    assert done.stdout == ""
    assert "password authentication failed" in done.stderr
    assert "wrong-guess" not in done.stderr


def test_a_missing_database_is_exit_6_with_its_reason(sh: Sh, pg_server: pg.Server) -> None:
    done = sh("--db", pg_server.url("no_such_database"), "list")
    assert done.exit_code == 6
    assert done.stdout == ""
    assert 'database "no_such_database" does not exist' in done.stderr


def test_a_database_without_pipeline_tables_is_exit_6_with_a_hint_to_init(sh: Sh, pg_server: pg.Server) -> None:
    name = pg_server.new_database()
    done = sh("--db", pg_server.url(name), "list")
    assert done.exit_code == 6
    assert "pipeline init" in done.stderr
    assert query(pg_server.url(name), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


@pytest.mark.parametrize("table", ["sectors", "migrations"])
def test_a_database_missing_a_table_is_exit_6_naming_it(sh: Sh, pg_url: str, table: str) -> None:
    query(pg_url, f"DROP TABLE {table} CASCADE")
    done = sh("list", "--format", "tsv")
    assert done.exit_code == 6
    assert done.stdout == ""
    assert "damaged" in done.stderr and table in done.stderr


def test_opening_reads_the_tables_and_the_schema_version_in_one_statement(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline_cli.store import postgres

    statements: list[str] = []
    execute: Any = psycopg.Connection.execute

    def counted(self: Any, sql: Any, *args: Any, **kwargs: Any) -> Any:
        statements.append(str(sql))
        return execute(self, sql, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", counted)
    postgres.open_existing(pg_url, 5).close()
    assert len(statements) == 1, statements
    assert "migrations" in statements[0] and "pg_class" in statements[0]


def test_init_creates_the_schema_in_an_empty_database_and_refuses_it_twice(sh: Sh, pg_server: pg.Server) -> None:
    url = pg_server.url(pg_server.new_database())
    done = sh("--db", url, "init")
    assert done.exit_code == 0, done.stderr
    assert "47 projects" in done.stdout
    assert query(url, "SELECT count(*) FROM projects") == [(47,)]
    assert query(url, "SELECT id, name FROM migrations ORDER BY id") == [
        (number, migration.__name__) for number, migration in enumerate(migrations.MIGRATIONS, 1)
    ]
    before = snapshot(url)
    for args in (["init"], ["init", "--force"], ["init", "--empty"]):
        again = sh("--db", url, *args)
        assert again.exit_code == 4, args
        assert again.stdout == ""
        assert "already has pipeline tables" in again.stderr
    assert snapshot(url) == before


def test_a_newer_schema_is_exit_6_and_left_alone(sh: Sh, pg_url: str) -> None:
    query(pg_url, "INSERT INTO migrations VALUES (999, 'm999_future', '2030-01-01T00:00:00Z')")
    before = snapshot(pg_url)
    done = sh("advance", "1")
    assert done.exit_code == 6
    assert "newer version" in done.stderr
    assert snapshot(pg_url) == before


def test_every_migration_has_its_postgresql_form() -> None:
    later = set(range(dialect.PG_BASE_VERSION + 1, migrations.SCHEMA_VERSION + 1))
    assert dialect.PG_BASE_VERSION <= migrations.SCHEMA_VERSION
    assert later <= set(dialect.PG_MIGRATIONS), "a migration without its PostgreSQL form in store/dialect.py"


# --- the same output on both engines ------------------------------------------------------

# A bureau's week: reads, every kind of write, undo, and the reads again.
SCRIPT: list[list[str]] = [
    ["list"],
    ["list", "--format", "json"],
    ["list", "--all", "--sort", "investment", "--reverse", "--format", "csv"],
    ["list", "--search", "青岛", "--min-investment", "10", "--format", "markdown"],
    ["list", "--light", "red", "--district", "城阳", "--format", "tsv"],
    ["show", "7", "--format", "json"],
    ["summary", "--format", "json"],
    ["summary", "--by", "sector", "--by", "stage"],
    ["summary", "--by", "key", "--by", "district", "--format", "csv"],
    ["funnel", "--format", "json"],
    ["lights", "--format", "tsv"],
    ["stages", "--format", "json"],
    ["sectors"],
    ["rank", "--format", "json"],
    ["report", "--week", "--format", "json"],
    ["add", "海洋装备测试项目", "--sector", "trans", "--investment", "1,200万", "--key", "--district", "黄岛区"],
    ["add", "生物药测试项目", "--sector", "生物医药", "--investment", "12.3456", "--date", "2020-08-01"],
    ["advance", "48", "49", "--note", "周调度"],
    ["advance", "7", "--from", "negotiating"],
    ["edit", "48", "--name", "海洋装备项目", "--investment", "8亿", "--no-key", "--unit", "区发改局"],
    ["move", "49", "landed", "--date", "2020-08-17"],
    ["drop", "3", "--reason", "企业撤回"],
    ["restore", "3"],
    ["drop", "5", "--reason", "悔单"],
    ["plan", "48", "construction", "2020-09-30"],
    ["plan", "12", "signed", "2020-08-01"],
    ["problem", "add", "48", "用地指标未落实", "--unit", "自然资源局", "--due", "2020-08-10"],
    ["undo", "--yes"],
    ["undo", "--yes"],
    ["history", "48", "--format", "json"],
    ["history", "--since", "2020-08-17", "--format", "tsv"],
    ["list", "--all", "--format", "json"],
    ["show", "48", "--format", "json"],
    ["summary", "--by", "status", "--format", "json"],
    ["due", "--within", "60", "--format", "json"],
    ["report", "--month", "--format", "json"],
    ["sectors", "add", "chem", "--zh", "化工", "--en", "chemicals"],
    ["sectors", "edit", "chem", "--position", "2"],
    ["sectors", "add", "chem", "--zh", "化工"],
    ["stages", "set", "signed", "--yellow", "20", "--red", "40"],
    ["sectors", "remove", "biomed"],
    ["sectors", "remove", "chem"],
    ["sectors", "--format", "json"],
    ["lights", "--format", "json"],
    ["export", "--format", "csv"],
    ["import", "{folder}/rows.csv", "--dry-run"],
    ["import", "{folder}/rows.csv"],
    ["export", "--format", "json"],
    ["advance", "999"],
    ["advance", "5"],
    ["move", "48", "signed", "--from", "capacity"],
    ["check"],
]


def _engine_free(args: list[str], done: Result) -> tuple[int, str, str]:
    """The result without what only the engine decides: recorded_at and db_user of events."""
    out = done.stdout
    if args[0] in ("history", "show") and "--format" in args:
        fmt = args[args.index("--format") + 1]
        if fmt == "json":
            value = json.loads(out)
            events = value["history"] if isinstance(value, dict) else value
            for event in events:
                event["recorded_at"] = event["db_user"] = "*"
            out = json.dumps(value, ensure_ascii=False, indent=2)
        elif fmt == "tsv":
            lines = out.splitlines()
            header = lines[0].split("\t")
            hidden = [header.index("recorded_at"), header.index("db_user")]
            rows = [line.split("\t") for line in lines[1:]]
            for row in rows:
                for index in hidden:
                    row[index] = "*"
            out = "\n".join(["\t".join(header), *("\t".join(row) for row in rows)])
    return done.exit_code, out, done.stderr


# What the script imports: an update by id, a new id, a row without one, a dropped project.
IMPORTED = """id,name,sector,stage,status,investment,key,district
7,东华鲲鹏（二期）,it,preliminary,active,25.5,true,崂山区
120,导入的新项目,food,signed,active,1.0001,false,即墨区
,没有编号的项目,textile,negotiating,active,,false,
9,智能传感器产业园项目,it,signed,dropped,10,false,城阳区
"""


def test_the_same_commands_print_the_same_bytes_on_both_engines(db: Path, pg_url: str, tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text(IMPORTED, encoding="utf-8")
    script = [[arg.format(folder=tmp_path) for arg in args] for args in SCRIPT]
    results: dict[str, list[tuple[int, str, str]]] = {}
    for engine, target in (("sqlite", str(db)), ("postgresql", pg_url)):
        results[engine] = [_engine_free(args, run_sh("--db", target, *args)) for args in script]
    for args, on_sqlite, on_postgres in zip(script, results["sqlite"], results["postgresql"], strict=True):
        assert on_postgres == on_sqlite, args
    # The script did reach every kind of outcome, and its import went through.
    codes = {code for code, _, _ in results["sqlite"]}
    assert {0, 3, 4} <= codes
    imported = results["sqlite"][script.index(["import", f"{tmp_path}/rows.csv"])]
    assert imported[0] == 0 and "2 added, 1 updated" in imported[1], imported


def test_amounts_are_exact_on_the_server(sh: Sh, pg_url: str) -> None:
    assert sh("edit", "1", "--investment", "870.9999").exit_code == 0
    assert sh("edit", "2", "--investment", "0.0001").exit_code == 0
    assert query(pg_url, "SELECT investment_wan FROM projects WHERE id IN (1, 2) ORDER BY id") == [(8709999,), (1,)]
    listed = json.loads(sh("list", "--format", "json").stdout)
    assert [p["investment"] for p in listed[:2]] == [870.9999, 0.0001]
    total = json.loads(sh("summary", "--format", "json").stdout)["total"]["investment"]
    expected = sum(
        int(str(row[0])) for row in query(pg_url, "SELECT investment_wan FROM projects WHERE status = 'active'")
    )
    assert str(total) == f"{expected // 10000}.{expected % 10000:04d}".rstrip("0").rstrip(".")


def test_ids_are_never_reused_after_an_undone_add(sh: Sh, pg_url: str) -> None:
    first = sh("add", "甲", "--sector", "it", "--format", "json")
    assert json.loads(first.stdout)[0]["id"] == 48
    assert sh("undo", "--yes").exit_code == 0
    second = sh("add", "丙", "--sector", "it", "--format", "json")
    assert json.loads(second.stdout)[0]["id"] == 49
    assert sh("show", "48").exit_code == 3


# --- db_user: who the server says wrote -------------------------------------------------


def test_db_user_is_the_session_user_whatever_by_says(sh: Sh, pg_server: pg.Server, pg_url: str) -> None:
    database = pg_url.rsplit("/", 1)[1]
    query(pg_url, f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {pg.PASSWORD_ROLE}")
    as_role = pg_server.url(database, user=pg.PASSWORD_ROLE, password=pg.PASSWORD)
    done = sh("--db", as_role, "advance", "1", "--by", pg.SUPERUSER)
    assert done.exit_code == 0, done.stderr
    assert query(pg_url, "SELECT by, db_user FROM events ORDER BY id DESC LIMIT 1") == [
        (pg.SUPERUSER, pg.PASSWORD_ROLE)
    ]
    # Not even a client writing its own INSERT can name someone else.
    with psycopg.connect(as_role, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO events (project_id, kind, date, recorded_at, db_user) "
            "VALUES (1, 'edited', '2020-08-18', 'now', 'someone-else')"
        )
    assert query(pg_url, "SELECT db_user FROM events ORDER BY id DESC LIMIT 1") == [(pg.PASSWORD_ROLE,)]
    history = json.loads(sh("history", "1", "--format", "json").stdout)
    assert history[-2]["db_user"] == pg.PASSWORD_ROLE and history[-2]["by"] == pg.SUPERUSER


def test_a_role_without_any_privilege_gets_exit_8_and_no_data(sh: Sh, pg_server: pg.Server, pg_url: str) -> None:
    database = pg_url.rsplit("/", 1)[1]
    as_stranger = pg_server.url(database, user=pg.PASSWORD_ROLE, password=pg.PASSWORD)
    done = sh("--db", as_stranger, "list")
    assert done.exit_code == 8, done.stderr
    assert done.stdout == ""
    assert "permission denied" in done.stderr


def test_a_role_that_may_only_read_gets_exit_8_for_a_write(sh: Sh, pg_server: pg.Server, pg_url: str) -> None:
    database = pg_url.rsplit("/", 1)[1]
    query(pg_url, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {pg.PASSWORD_ROLE}")
    as_reader = pg_server.url(database, user=pg.PASSWORD_ROLE, password=pg.PASSWORD)
    assert sh("--db", as_reader, "list", "--format", "tsv").exit_code == 0
    before = snapshot(pg_url)
    done = sh("--db", as_reader, "advance", "1")
    assert done.exit_code == 8, done.stderr
    assert done.stdout == ""
    assert "permission denied" in done.stderr
    assert snapshot(pg_url) == before


# --- writes: one at a time, waiting at most the busy timeout -------------------------------


def test_a_write_waits_for_the_lock_and_gives_up_after_the_busy_timeout(sh: Sh, pg_url: str) -> None:
    before = snapshot(pg_url)
    with psycopg.connect(pg_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (dialect.WRITE_LOCK,))
        for timeout in ("0", "0.5"):
            done = sh("advance", "1", env={"PIPELINE_BUSY_TIMEOUT": timeout})
            assert done.exit_code == 7, done.stderr
            assert done.stdout == ""
            assert "busy" in done.stderr
        # Reads never wait for a writer.
        assert sh("list", "--format", "tsv").exit_code == 0
        holder.rollback()
    assert snapshot(pg_url) == before
    assert sh("advance", "1").exit_code == 0


def test_a_write_waiting_for_the_lock_goes_through_when_it_is_released(sh: Sh, pg_url: str) -> None:
    holder = psycopg.connect(pg_url)
    holder.execute("SELECT pg_advisory_xact_lock(%s)", (dialect.WRITE_LOCK,))
    timer = threading.Timer(1.0, holder.rollback)
    timer.start()
    try:
        done = sh("advance", "1", env={"PIPELINE_BUSY_TIMEOUT": "10"})
    finally:
        timer.join()
        holder.close()
    assert done.exit_code == 0, done.stderr


@pytest.mark.slow
def test_eight_writers_at_once_all_succeed_one_change_each(pg_url: str) -> None:
    writers = 8
    processes = [
        subprocess.Popen(
            [str(Path(sys.executable).with_name("pipeline")), "advance", str(project_id)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for project_id in range(1, writers + 1)
    ]
    outcomes = [(process.wait(timeout=60), process.stderr.read() if process.stderr else "") for process in processes]
    assert all(code == 0 for code, _ in outcomes), outcomes
    changes = query(pg_url, "SELECT change, count(*) FROM events WHERE kind = 'stage' GROUP BY change ORDER BY change")
    assert [count for _, count in changes] == [1] * writers
    assert [change for change, _ in changes] == list(range(1, writers + 1))
    assert run_sh("check").exit_code == 0


# --- the parametrised database: the same test on each engine --------------------------------


def test_advance_then_undo_leaves_the_project_as_it_was(cli: Sh, any_db: str) -> None:
    before = cli("show", "7", "--format", "json").stdout
    assert cli("advance", "7").exit_code == 0
    assert json.loads(cli("show", "7", "--format", "json").stdout)["stage"] == "preliminary"
    assert cli("undo", "--yes").exit_code == 0
    after = json.loads(cli("show", "7", "--format", "json").stdout)
    expected = json.loads(before)
    assert {k: v for k, v in after.items() if k != "history"} == {k: v for k, v in expected.items() if k != "history"}
    assert [e["kind"] for e in after["history"]] == ["created", "stage", "undo"]
    assert cli("check").exit_code == 0


def test_several_ids_move_together_or_not_at_all(cli: Sh, any_db: str) -> None:
    before = cli("list", "--all", "--format", "json").stdout
    done = cli("advance", "1", "2", "999")
    assert done.exit_code == 3
    assert cli("list", "--all", "--format", "json").stdout == before


# --- copy and backup -------------------------------------------------------------------------


def _everything(target: str) -> list[str]:
    """What the commands print of a whole database, history with its recorded_at and db_user included (in-process)."""
    return [
        run_cli("--db", target, *args).stdout
        for args in (
            ["history", "--format", "tsv"],
            ["list", "--all", "--format", "json"],
            ["sectors", "--format", "json"],
            ["stages", "--format", "json"],
            ["problem", "list", "--format", "json"],
            ["due", "--within", "365", "--format", "json"],
        )
    ]


def _busy_week() -> None:
    """Changes of every kind in the database PIPELINE_DB names, ending with an undone add (its id stays given)."""
    for args in (
        ["sectors", "add", "chem", "--zh", "化工"],
        ["stages", "set", "signed", "--yellow", "20", "--red", "40"],
        ["add", "化工新材料项目", "--sector", "chem", "--investment", "0.0001"],
        ["advance", "48", "1"],
        ["plan", "48", "landed", "2020-10-01"],
        ["problem", "add", "48", "环评未批", "--due", "2020-08-01"],
        ["drop", "2", "--reason", "退单"],
        ["add", "撤销的项目", "--sector", "it"],
        ["undo", "--yes"],
    ):
        done = run_cli(*args)
        assert done.exit_code == 0, (args, done.stderr)


def test_copy_moves_a_file_to_a_server_and_back_unchanged(
    sh: Sh, db: Path, pg_server: pg.Server, tmp_path: Path
) -> None:
    _busy_week()
    url = pg_server.url(pg_server.new_database())
    there = sh("copy", str(db), url)
    assert there.exit_code == 0, there.stderr
    assert "48 projects" in there.stdout and url in there.stdout
    back = tmp_path / "back.db"
    assert sh("copy", url, str(back)).exit_code == 0
    original = _everything(str(db))
    assert _everything(url) == original
    assert _everything(str(back)) == original
    for target in (url, str(back)):
        assert sh("--db", target, "check").exit_code == 0
    # The ids each table gave stay given: the next add gets the same new id everywhere.
    added = [
        json.loads(sh("--db", target, "add", "新项目", "--sector", "it", "--format", "json").stdout)[0]["id"]
        for target in (str(db), url, str(back))
    ]
    assert added == [50, 50, 50]


def test_copy_keeps_who_the_server_said_wrote(sh: Sh, pg_url: str, pg_server: pg.Server, tmp_path: Path) -> None:
    assert sh("advance", "1").exit_code == 0
    copy = tmp_path / "copy.db"
    assert sh("copy", pg_url, str(copy)).exit_code == 0
    again = pg_server.url(pg_server.new_database())
    assert sh("copy", str(copy), again).exit_code == 0
    assert query(again, "SELECT db_user FROM events ORDER BY id DESC LIMIT 1") == [(pg.SUPERUSER,)]
    assert _everything(again) == _everything(pg_url)


def test_copy_refuses_a_target_that_is_not_empty(sh: Sh, db: Path, pg_url: str, tmp_path: Path) -> None:
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"")
    before = snapshot(pg_url)
    for target in (str(existing), pg_url, str(db)):
        done = sh("copy", str(db), target)
        assert done.exit_code == 4, (target, done.stderr)
        assert done.stdout == ""
        assert "not empty" in done.stderr
    assert existing.read_bytes() == b""
    assert snapshot(pg_url) == before


def test_backup_of_a_server_database_is_an_sqlite_file(sh: Sh, pg_url: str, tmp_path: Path) -> None:
    assert sh("advance", "7").exit_code == 0
    target = tmp_path / "backup.db"
    done = sh("backup", str(target))
    assert done.exit_code == 0, done.stderr
    assert "47 projects" in done.stdout
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    assert _everything(str(target)) == _everything(pg_url)
    again = sh("backup", str(target))
    assert again.exit_code == 4
    assert again.stdout == ""
