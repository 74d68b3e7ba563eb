"""Who may change what on a PostgreSQL server: district writers, readers and the owner, as different roles.

Against the session's throwaway server (tests/pg.py), whose local logins are
trusted: each role below logs in by name. The owner (the superuser that ran
`pipeline init`) grants; `access_laoshan` writes the projects of 崂山区,
`access_two` those of 城阳区 and 即墨区, `access_leader` reads, and
`access_staff` logs in as a member of the group role `access_bureau`, which
is given 崂山区. Every refusal is exit 8 (or 2 for a usage error), says why
on stderr with stdout empty, and leaves every row of every table as it was.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

import pg
from conftest import PIPELINE_BIN, Result, database_hash, file_hash, run_cli, run_sh

Run = Callable[..., Result]

LAOSHAN = "access_laoshan"  # 崂山区: projects 3 (negotiating), 12 (signed), 16, 23, 28
TWO = "access_two"  # 城阳区 and 即墨区
LEADER = "access_leader"  # reads only
OUTSIDER = "access_outsider"  # never given access
BUREAU = "access_bureau"  # a group role (NOLOGIN) given 崂山区
STAFF = "access_staff"  # a login in the group
OWN, OTHER = 12, 1  # a project of 崂山区, one of 西海岸新区

RUNNERS = {"installed": run_sh, "in-process": run_cli}


def query(url: str, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def state(url: str) -> tuple[str, list[tuple[object, ...]]]:
    """Every row of the pipeline tables, and who has access: for 'nothing changed'."""
    rows = query(url, "SELECT role::regrole::text, districts, read_only FROM pipeline_access ORDER BY 1")
    return database_hash(url), rows


@pytest.fixture(scope="session")
def roles(pg_server: pg.Server) -> None:
    """The test roles, made once for the session's cluster (roles belong to the cluster, not a database)."""
    for name in (LAOSHAN, TWO, LEADER, OUTSIDER, STAFF):
        pg_server.admin(f"CREATE ROLE {name} LOGIN")
    pg_server.admin(f"CREATE ROLE {BUREAU} NOLOGIN")
    pg_server.admin(f"GRANT {BUREAU} TO {STAFF}")


class Bureau:
    """A seeded database on the server with access given; each role's URL."""

    def __init__(self, server: pg.Server, owner_url: str) -> None:
        self.server = server
        self.owner = owner_url
        self.database = owner_url.rsplit("/", 1)[1]

    def url(self, role: str) -> str:
        return self.server.url(self.database, user=role)

    def as_role(self, role: str, *args: str, run: Run = run_sh, input: str | None = None) -> Result:
        return run("--db", self.url(role), *args, input=input)


@pytest.fixture
def bureau(pg_server: pg.Server, pg_url: str, roles: None) -> Bureau:
    for args in (
        ("access", "grant", LAOSHAN, "--district", "崂山区"),
        ("access", "grant", TWO, "--district", "城阳区", "--district", "即墨区"),
        ("access", "grant", LEADER, "--read-only"),
        ("access", "grant", BUREAU, "--district", "崂山区"),
    ):
        done = run_cli(*args)
        assert done.exit_code == 0, done.stderr
    return Bureau(pg_server, pg_url)


def new_row(export: str, name: str, district: str) -> str:
    """A CSV line without an id for an export's columns: a new project of `district`."""
    columns = export.splitlines()[0].split(",")
    row = dict.fromkeys(columns, "")
    row.update({"name": name, "sector": "it", "district": district, "stage": "negotiating"})
    return ",".join(row[column] for column in columns) + "\n"


def refused(done: Result, *words: str, code: int = 8) -> None:
    assert done.exit_code == code, (done.exit_code, done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


# --- SQLite: the file's permissions are the only control ---------------------------------


@pytest.mark.parametrize(
    "args",
    [("access", "grant", "bureau", "--district", "崂山区"), ("access", "revoke", "bureau"), ("access", "list")],
)
@pytest.mark.parametrize("runner", RUNNERS)
def test_on_sqlite_access_is_a_usage_error_that_names_file_permissions(
    db: Path, args: tuple[str, ...], runner: str
) -> None:
    before = file_hash(db)
    done = RUNNERS[runner](*args)
    refused(done, "SQLite", "permissions", code=2)
    assert file_hash(db) == before


def test_on_sqlite_the_refusal_is_chinese_in_chinese(db: Path) -> None:
    done = run_sh("--lang", "zh", "access", "list")
    refused(done, "权限", code=2)


def test_on_sqlite_access_never_imports_the_postgresql_driver(db: Path) -> None:
    from test_startup_imports import run_importing, top_level

    completed, modules = run_importing("access", "list")
    assert completed.returncode == 2
    assert "psycopg" not in top_level(modules)


# --- access list, grant, revoke ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_role_never_given_access_may_not_even_read_and_is_told_so(bureau: Bureau, lang: str) -> None:
    before = state(bureau.owner)
    for args in (("list",), ("advance", str(OWN))):
        done = bureau.as_role(OUTSIDER, "--lang", lang, *args)
        words = (f"role {OUTSIDER} may not read", "access grant") if lang == "en" else (f"角色 {OUTSIDER} 无权查看",)
        refused(done, *words)
    assert state(bureau.owner) == before


def test_access_list_shows_each_role_with_its_districts_in_every_format(bureau: Bureau) -> None:
    done = run_sh("access", "list", "--format", "json")
    assert done.exit_code == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"role": BUREAU, "districts": ["崂山区"], "read_only": False},
        {"role": LAOSHAN, "districts": ["崂山区"], "read_only": False},
        {"role": LEADER, "districts": [], "read_only": True},
        {"role": TWO, "districts": ["即墨区", "城阳区"], "read_only": False},
    ]
    tsv = run_sh("access", "list", "--format", "tsv")
    assert tsv.stdout.splitlines()[0] == "role\tdistricts\tread_only"
    assert f'{TWO}\t["即墨区", "城阳区"]\tfalse' in tsv.stdout.splitlines()
    table = run_sh("access", "list", "--format", "table", env={"COLUMNS": "100"})
    assert "即墨区, 城阳区" in table.stdout
    zh = run_sh("access", "list", "--format", "markdown", "--lang", "zh")
    assert "可修改的区市" in zh.stdout and "即墨区、城阳区" in zh.stdout
    # Any role may see who may do what (the policies read the same table); a reader too.
    assert json.loads(bureau.as_role(LEADER, "access", "list", "-f", "json").stdout) == json.loads(done.stdout)


def test_access_list_writes_a_workbook_of_its_json(bureau: Bureau, tmp_path: Path) -> None:
    import openpyxl

    before = state(bureau.owner)
    records = json.loads(run_sh("access", "list", "-f", "json").stdout)
    path = tmp_path / "access.xlsx"
    done = run_sh("access", "list", "-f", "xlsx", "-o", str(path))
    assert (done.exit_code, done.stdout) == (0, ""), done.stderr
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows())
    assert sheet.title == "Access" and sheet.freeze_panes == "A2"
    assert [c.value for c in rows[0]] == ["role", "districts", "read_only"] and all(c.font.b for c in rows[0])
    cells = [{"role": r[0].value, "districts": json.loads(r[1].value), "read_only": r[2].value} for r in rows[1:]]
    assert cells == records
    piped = subprocess.run([str(PIPELINE_BIN), "access", "list", "-f", "xlsx"], capture_output=True, timeout=60)
    assert piped.returncode == 0, piped.stderr
    (tmp_path / "piped.xlsx").write_bytes(piped.stdout)
    assert openpyxl.load_workbook(tmp_path / "piped.xlsx").worksheets[0].max_row == len(records) + 1
    zh = tmp_path / "zh.xlsx"
    assert run_sh("--lang", "zh", "access", "list", "-f", "xlsx", "-o", str(zh)).exit_code == 0
    chinese = openpyxl.load_workbook(zh).worksheets[0]
    assert chinese.title == "访问权限" and chinese["A1"].value == "角色"
    assert "即墨区、城阳区" in [row[1] for row in chinese.iter_rows(values_only=True)]
    assert state(bureau.owner) == before


def test_grant_again_replaces_what_the_role_had_and_revoke_takes_it_all(bureau: Bureau) -> None:
    done = run_sh("access", "grant", LAOSHAN, "--read-only")
    assert done.exit_code == 0, done.stderr
    assert done.stdout == f"role {LAOSHAN} may read every project and change none\n"
    listed = json.loads(run_sh("access", "list", "-f", "json").stdout)
    assert {"role": LAOSHAN, "districts": [], "read_only": True} in listed
    refused(bureau.as_role(LAOSHAN, "advance", str(OWN)), LAOSHAN, "only read")
    again = run_sh("access", "grant", LAOSHAN, "--district", "崂山区", "--district", "市南区")
    assert again.stdout == f"role {LAOSHAN} may read every project and change the projects of 崂山区, 市南区\n"
    assert bureau.as_role(LAOSHAN, "advance", "10").exit_code == 0  # 市南区's

    revoked = run_sh("access", "revoke", LAOSHAN)
    assert revoked.exit_code == 0, revoked.stderr
    assert revoked.stdout == f"role {LAOSHAN} may no longer read or change the pipeline tables\n"
    roles = [item["role"] for item in json.loads(run_sh("access", "list", "-f", "json").stdout)]
    assert LAOSHAN not in roles
    before = state(bureau.owner)
    # A revoked role can neither read nor write: exit 8, the server's reason named.
    for args in (("list",), ("advance", str(OWN)), ("history", str(OWN))):
        done = bureau.as_role(LAOSHAN, *args)
        assert done.exit_code in (6, 8), (args, done.stderr)
        assert done.stdout == ""
        assert "permission denied" in done.stderr
    assert state(bureau.owner) == before

    nothing = run_sh("access", "revoke", OUTSIDER)
    assert nothing.exit_code == 0
    assert "had no access" in nothing.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("grant", "no_such_role", "--district", "崂山区"), ("no role 'no_such_role'", "CREATE ROLE")),
        (("grant", pg.SUPERUSER, "--district", "崂山区"), ("superuser", pg.SUPERUSER)),
        (("grant", LAOSHAN, "--district", "崂山区", "--read-only"), ("--read-only", "--district")),
        (("grant", LAOSHAN), ("--district", "--read-only")),
        (("grant", LAOSHAN, "--district", " "), ("--district is empty",)),
        (("revoke", "no_such_role"), ("no role 'no_such_role'",)),
    ],
)
def test_a_grant_that_cannot_be_is_a_usage_error_and_changes_nothing(
    bureau: Bureau, args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    before = state(bureau.owner)
    refused(run_sh("access", *args), *words, code=2)
    assert state(bureau.owner) == before


@pytest.mark.parametrize("role", [LAOSHAN, LEADER, OUTSIDER])
def test_only_the_owner_gives_or_takes_access(bureau: Bureau, role: str) -> None:
    before = state(bureau.owner)
    for args in (("access", "grant", role, "--district", "西海岸新区"), ("access", "revoke", TWO)):
        done = bureau.as_role(role, *args)
        assert done.exit_code == 8, (role, args, done.stderr)
        assert done.stdout == ""
        assert role in done.stderr
    assert state(bureau.owner) == before


# --- a district writer: its own projects, every kind of write ---------------------------------


def test_a_district_writer_does_its_districts_work_and_every_event_names_it(bureau: Bureau, tmp_path: Path) -> None:
    def ok(*args: str) -> Result:
        done = bureau.as_role(LAOSHAN, *args)
        assert done.exit_code == 0, (args, done.stderr)
        return done

    added = ok("add", "崂山新项目", "--sector", "it", "--district", "崂山区", "--by", "somebody else")
    new = int(added.stdout.split()[1])
    ok("edit", str(OWN), "--investment", "15", "--note", "checked")
    ok("advance", str(OWN), "--from", "signed")
    ok("move", "3", "preliminary")
    ok("plan", "16", "construction", "2020-12-01")
    ok("plan", "16", "construction", "--clear")
    problem = int(ok("problem", "add", "23", "缺少用地指标").stdout.split()[2])
    ok("problem", "edit", str(problem), "--due", "2020-09-30")
    ok("problem", "close", str(problem))
    ok("problem", "reopen", str(problem))
    ok("drop", "28", "--reason", "投资方撤回")
    ok("restore", "28")
    undone = ok("undo", "--yes")
    assert "28" in undone.stdout
    # An import of its own projects: one renamed, one added in its district.
    export = ok("export").stdout.replace("工业软件研发中心项目", "工业软件中心")
    file = tmp_path / "mine.csv"
    file.write_text(export + new_row(export, "导入的崂山项目", "崂山区"))
    imported = ok("import", str(file))
    assert "1 added, 1 updated" in imported.stdout

    writers = query(bureau.owner, "SELECT DISTINCT db_user FROM events WHERE id > 47")
    assert writers == [(LAOSHAN,)]
    assert query(bureau.owner, "SELECT by FROM events WHERE project_id = %s AND kind = 'created'", (new,)) == [
        ("somebody else",)
    ]
    assert run_sh("check").exit_code == 0


def test_a_group_role_given_a_district_lets_each_member_write_under_its_own_name(bureau: Bureau) -> None:
    done = bureau.as_role(STAFF, "advance", "3")
    assert done.exit_code == 0, done.stderr
    assert query(bureau.owner, "SELECT db_user FROM events ORDER BY id DESC LIMIT 1") == [(STAFF,)]
    refused(bureau.as_role(STAFF, "advance", str(OTHER)), STAFF, "崂山区", "西海岸新区")


def _owner_setup(bureau: Bureau) -> dict[str, str]:
    """Another district's dropped project and open problem, made by the owner."""
    assert run_sh("drop", "8", "--reason", "撤回").exit_code == 0  # 西海岸新区
    opened = run_sh("problem", "add", str(OTHER), "审批慢")
    assert opened.exit_code == 0, opened.stderr
    return {"problem": opened.stdout.split()[2]}


# Each write of another district's project by the 崂山区 writer, and what the refusal says.
OUTSIDE = {
    "add elsewhere": (("add", "别区项目", "--sector", "it", "--district", "市南区"), ("would be in 市南区",)),
    "add without district": (("add", "无区项目", "--sector", "it"), ("has no district", "--district and one of them")),
    "edit": (("edit", str(OTHER), "--note", "x"), ("project 1", "西海岸新区")),
    "move to another district": (("edit", str(OWN), "--district", "市南区"), ("would move to 市南区",)),
    "clear its district": (("edit", str(OWN), "--district", ""), ("would lose its district",)),
    "advance": (("advance", str(OWN), str(OTHER)), ("project 1", "西海岸新区")),
    "move": (("move", str(OTHER), "landed"), ("西海岸新区",)),
    "drop": (("drop", str(OTHER), "--reason", "x"), ("西海岸新区",)),
    "restore": (("restore", "8"), ("project 8", "西海岸新区")),
    "plan": (("plan", str(OTHER), "landed", "2020-12-01"), ("西海岸新区",)),
    "problem add": (("problem", "add", str(OTHER), "x"), ("西海岸新区",)),
    "problem close": (("problem", "close", "{problem}"), ("西海岸新区",)),
    "problem edit": (("problem", "edit", "{problem}", "--text", "y"), ("西海岸新区",)),
    "sectors add": (("sectors", "add", "new-materials", "--zh", "新材料"), ("permission denied for table sectors",)),
    "stages set": (("stages", "set", "signed", "--yellow", "10"), ("permission denied for table stages",)),
}


@pytest.mark.parametrize(
    ("kind", "runner"),
    [(kind, "in-process") for kind in OUTSIDE]
    + [(kind, "installed") for kind in ("add elsewhere", "move to another district", "advance", "problem close")],
)
def test_a_write_outside_the_role_s_districts_is_exit_8_naming_the_role_and_changes_nothing(
    bureau: Bureau, kind: str, runner: str
) -> None:
    made = _owner_setup(bureau)
    args, words = OUTSIDE[kind]
    before = state(bureau.owner)
    done = bureau.as_role(LAOSHAN, *(a.format(**made) for a in args), run=RUNNERS[runner])
    refused(done, f"role {LAOSHAN}", "崂山区", *words, "nothing changed")
    assert state(bureau.owner) == before


def test_a_refusal_is_in_chinese_in_chinese(bureau: Bureau) -> None:
    before = state(bureau.owner)
    done = bureau.as_role(LAOSHAN, "--lang", "zh", "advance", str(OTHER))
    refused(done, f"角色 {LAOSHAN} 只能修改崂山区的项目", "属于西海岸新区", "未做任何修改")
    assert state(bureau.owner) == before


@pytest.mark.parametrize("runner", RUNNERS)
def test_an_import_touching_another_district_is_refused_whole(bureau: Bureau, tmp_path: Path, runner: str) -> None:
    export = run_sh("export").stdout
    for name, text in (
        ("rename", export.replace("工业软件研发中心项目", "改名").replace("12英寸晶圆制造项目", "改名二")),
        ("move", export.replace(",崂山区,", ",市南区,", 1)),
        ("add", export + new_row(export, "新的", "市南区")),
    ):
        file = tmp_path / f"{name}.csv"
        file.write_text(text)
        before = state(bureau.owner)
        done = bureau.as_role(LAOSHAN, "import", str(file), run=RUNNERS[runner])
        refused(done, f"role {LAOSHAN}", "崂山区")
        assert state(bureau.owner) == before, name


def test_undo_never_reverts_another_district_s_change(bureau: Bureau) -> None:
    assert bureau.as_role(LAOSHAN, "advance", "3").exit_code == 0
    assert run_sh("advance", str(OTHER)).exit_code == 0  # the owner, on 西海岸新区's project
    before = state(bureau.owner)
    done = bureau.as_role(LAOSHAN, "undo", "--yes")
    refused(done, f"role {LAOSHAN}", "most recent change", "西海岸新区", "another district")
    assert state(bureau.owner) == before
    # Once the owner has undone its own, the most recent change is 崂山区's again.
    assert run_sh("undo", "--yes").exit_code == 0
    mine = bureau.as_role(LAOSHAN, "undo", "--yes")
    assert mine.exit_code == 0, mine.stderr
    assert query(bureau.owner, "SELECT stage FROM projects WHERE id = 3") == [("negotiating",)]


def test_a_change_of_several_districts_is_undone_by_none_of_their_writers(bureau: Bureau) -> None:
    assert run_sh("advance", "3", "2").exit_code == 0  # 崂山区 and 城阳区 together, by the owner
    before = state(bureau.owner)
    refused(bureau.as_role(LAOSHAN, "undo", "--yes"), "城阳区")
    refused(bureau.as_role(TWO, "undo", "--yes"), "崂山区")
    assert state(bureau.owner) == before


def test_when_the_client_does_not_check_the_server_still_refuses_and_it_is_exit_8(
    bureau: Bureau, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client's own check turned off: the server's policies filter the UPDATE, and that is caught."""
    from pipeline_cli.store import access, changes, problems

    for module in (access, changes, problems):
        monkeypatch.setattr(module, "check_project", lambda *args, **kwargs: None)
    monkeypatch.setattr(changes, "check_new_district", lambda *args, **kwargs: None)
    before = state(bureau.owner)
    for args in (
        ("advance", str(OTHER)),
        ("edit", str(OTHER), "--note", "x"),
        ("drop", str(OTHER), "--reason", "x"),
        ("edit", str(OWN), "--district", "市南区"),
        ("add", "别区项目", "--sector", "it", "--district", "市南区"),
    ):
        done = bureau.as_role(LAOSHAN, *args, run=run_cli)
        refused(done, f"role {LAOSHAN}", "崂山区", "refused the change")
    assert state(bureau.owner) == before


# --- a reader --------------------------------------------------------------------------------


def test_a_reader_reads_everything(bureau: Bureau) -> None:
    for args in (
        ("list", "--format", "tsv"),
        ("show", str(OTHER), "--format", "json"),
        ("history", "--format", "tsv"),
        ("summary", "--by", "district", "--format", "json"),
        ("report", "--week", "--format", "json"),
        ("problem", "list", "--format", "tsv"),
        ("export",),
        ("check",),
    ):
        mine, owners = bureau.as_role(LEADER, *args), run_sh(*args)
        assert mine.exit_code == 0, (args, mine.stderr)
        assert mine.stdout == owners.stdout, args
    assert len(bureau.as_role(LEADER, "list", "-f", "tsv").stdout.splitlines()) == 48


READER_WRITES = (
    ("add", "x", "--sector", "it", "--district", "崂山区"),
    ("edit", str(OWN), "--note", "x"),
    ("advance", str(OWN)),
    ("move", str(OWN), "landed"),
    ("drop", str(OWN), "--reason", "x"),
    ("plan", str(OWN), "landed", "2020-12-01"),
    ("problem", "add", str(OWN), "x"),
    ("undo", "--yes"),
    ("sectors", "add", "new-materials", "--zh", "新材料"),
    ("stages", "set", "signed", "--yellow", "10"),
)


@pytest.mark.parametrize(
    ("args", "runner"),
    [(args, "in-process") for args in READER_WRITES] + [(args, "installed") for args in READER_WRITES[:3]],
    ids=lambda value: " ".join(value[:2]) if isinstance(value, tuple) else value,
)
def test_a_reader_changes_nothing(bureau: Bureau, args: tuple[str, ...], runner: str) -> None:
    assert run_sh("advance", "3").exit_code == 0  # something to undo
    before = state(bureau.owner)
    done = bureau.as_role(LEADER, *args, run=RUNNERS[runner])
    refused(done, f"role {LEADER} may only read")
    assert state(bureau.owner) == before


def test_a_reader_s_import_is_refused(bureau: Bureau, tmp_path: Path) -> None:
    file = tmp_path / "all.csv"
    file.write_text(run_sh("export").stdout.replace("工业软件研发中心项目", "改名"))
    before = state(bureau.owner)
    refused(bureau.as_role(LEADER, "import", str(file)), "may only read")
    assert state(bureau.owner) == before


# --- psql: the same walls without pipeline ----------------------------------------------------


def psql(url: str, sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "-At", url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def have_psql() -> None:
    if shutil.which("psql") is None:
        pytest.skip("psql is not installed")


def test_through_psql_the_server_refuses_what_pipeline_refuses(bureau: Bureau, have_psql: None) -> None:
    writer, reader = bureau.url(LAOSHAN), bureau.url(LEADER)
    before = state(bureau.owner)
    for url, sql, reason in (
        (
            writer,
            "INSERT INTO projects (name, sector, stage, source, stage_since, district)"
            " VALUES ('x', 'it', 'negotiating', 'user', '2020-08-18', '市南区')",
            "row-level security",
        ),
        (writer, "UPDATE projects SET district = '市南区' WHERE id = 12", "row-level security"),
        (
            writer,
            "INSERT INTO events (project_id, kind, date, recorded_at) VALUES (1, 'edited', '2020-08-18', 'x')",
            "row-level security",
        ),
        (writer, "INSERT INTO problems (project_id, text, opened) VALUES (1, 'x', '2020-08-18')", "row-level security"),
        (
            writer,
            "INSERT INTO plans (project_id, stage, date) VALUES (1, 'landed', '2020-12-01')",
            "row-level security",
        ),
        (writer, "UPDATE events SET note = 'x' WHERE project_id = 12", "permission denied"),
        (writer, "DELETE FROM events WHERE project_id = 12", "permission denied"),
        (writer, "DELETE FROM projects WHERE id = 12", "permission denied"),
        (writer, "UPDATE stages SET red_days = 999", "permission denied"),
        (writer, "DELETE FROM pipeline_access", "permission denied"),
        (writer, "ALTER TABLE projects DISABLE ROW LEVEL SECURITY", "must be owner"),
        (writer, f"SET ROLE {pg.SUPERUSER}", "permission denied"),
        (reader, "UPDATE projects SET note = 'x' WHERE id = 12", "permission denied"),
        (
            reader,
            "INSERT INTO events (project_id, kind, date, recorded_at) VALUES (12, 'edited', '2020-08-18', 'x')",
            "permission denied",
        ),
    ):
        done = psql(url, sql)
        assert done.returncode != 0, sql
        assert reason in done.stderr, (sql, done.stderr)
    # An UPDATE of another district's rows finds none to change: the policy hides them from it.
    for sql in (
        "UPDATE projects SET stage = 'landed' WHERE id = 1",
        "UPDATE projects SET note = 'x' WHERE district <> '崂山区'",
        "UPDATE problems SET text = 'x'",
    ):
        done = psql(writer, f"WITH changed AS ({sql} RETURNING 1) SELECT count(*) FROM changed")
        assert done.returncode == 0 and done.stdout.strip() == "0", (sql, done.stdout, done.stderr)
    assert state(bureau.owner) == before
    # Its own districts' rows it may change there too, and whatever db_user it writes, the server's is kept.
    done = psql(
        writer,
        "INSERT INTO events (project_id, kind, date, recorded_at, db_user, by)"
        f" VALUES (12, 'edited', '2020-08-18', 'x', '{pg.SUPERUSER}', 'the mayor') RETURNING db_user, by",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == f"{LAOSHAN}|the mayor"


def test_rows_are_all_visible_to_every_granted_role(bureau: Bureau, have_psql: None) -> None:
    for role in (LAOSHAN, TWO, LEADER, STAFF):
        done = psql(bureau.url(role), "SELECT count(*) FROM projects")
        assert done.stdout.strip() == "47", (role, done.stderr)


@pytest.fixture
def fresh_owner_database(pg_server: pg.Server, pg_templates: dict[str, str]) -> Iterator[str]:
    name = pg_server.new_database(pg_templates["seeded"])
    yield pg_server.url(name)
    pg_server.drop_database(name)


def test_a_database_where_access_was_never_given_has_no_row_level_security(fresh_owner_database: str) -> None:
    rows = query(
        fresh_owner_database,
        "SELECT relname FROM pg_class WHERE relrowsecurity AND relnamespace = 'public'::regnamespace",
    )
    assert rows == []
    assert query(fresh_owner_database, "SELECT to_regclass('pipeline_access')") == [(None,)]


def test_only_the_owner_migrates_a_database_that_needs_it(bureau: Bureau) -> None:
    query(bureau.owner, "DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations)")
    before = state(bureau.owner)
    for role in (LAOSHAN, LEADER):
        done = bureau.as_role(role, "list")
        refused(done, f"role {role}")
    assert state(bureau.owner) == before
    assert run_sh("check").exit_code == 0  # the owner opens it: migrated
    assert bureau.as_role(LAOSHAN, "advance", str(OWN)).exit_code == 0
