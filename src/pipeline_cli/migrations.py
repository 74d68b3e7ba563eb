"""Numbered schema migrations, each applied in one transaction with its record.

`MIGRATIONS` is in order; a database's `PRAGMA user_version` is the number of
the last migration applied to it. The store runs what is missing when it opens
a file, inside `BEGIN IMMEDIATE`, so two processes opening an old file at once
queue and the second finds the work done.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .fields import CUTOFFS_SQL, PROJECTS_FROM, money_sql, on_day, pick
from .model import SECTORS, STAGES

# PRAGMA application_id marks a file as a pipeline database ('PIPE').
APPLICATION_ID = 0x50495045


def _execute_all(conn: sqlite3.Connection, script: str) -> None:
    """Run `;`-separated statements one by one.

    Not `executescript()`: it commits any open transaction first, which would
    split a migration from its record.
    """
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def rebuild_table(conn: sqlite3.Connection, table: str, columns: str) -> None:
    """Give `table` a new definition: SQLite's 12-step procedure, for what ALTER TABLE cannot change.

    A CHECK constraint (events.kind, projects.status) cannot be changed in
    place. `columns` is the new body, "(id INTEGER PRIMARY KEY ..., ...)";
    the rows of the columns both definitions share are copied, and the
    table's indexes, triggers and the views are made again. Call it from a
    migration: the runner holds BEGIN IMMEDIATE with foreign keys off and
    runs PRAGMA foreign_key_check before it commits
    (https://sqlite.org/lang_altertable.html#otheralter).

    sqlite-utils' Table.transform() was measured for this job: it rebuilds a
    table inside an open transaction and keeps its CHECK constraints, but has
    no way to change one, and importing it costs about 80 ms.
    """
    new = f"{table}__new"
    old_columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')]
    if not old_columns:
        raise ValueError(f"no table {table}")
    schema = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name <> ? "
        "AND ((type IN ('index', 'trigger') AND tbl_name = ?) OR type = 'view')",
        (table, table),
    ).fetchall()
    sequence = (
        conn.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).fetchone()
        if _has_sequence(conn)
        else None
    )
    for kind, name, _sql in schema:
        if kind == "view":
            conn.execute(f'DROP VIEW "{name}"')
    conn.execute(f'CREATE TABLE "{new}" {columns}')
    new_columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{new}")')}
    shared = ", ".join(f'"{column}"' for column in old_columns if column in new_columns)
    conn.execute(f'INSERT INTO "{new}" ({shared}) SELECT {shared} FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE "{new}" RENAME TO "{table}"')
    if sequence is not None:
        # AUTOINCREMENT: an id once used is never given again.
        conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (sequence[0], table))
        conn.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
            "(SELECT 1 FROM sqlite_sequence WHERE name = ?)",
            (table, sequence[0], table),
        )
    for kind, _name, sql in schema:
        if kind != "view":
            conn.execute(sql)
    for kind, _name, sql in schema:
        if kind == "view":
            conn.execute(sql)


def _has_sequence(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone() is not None


def m001_initial(conn: sqlite3.Connection) -> None:
    _execute_all(
        conn,
        """
        CREATE TABLE stages (
            stage TEXT PRIMARY KEY,
            position INTEGER NOT NULL UNIQUE,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL,
            yellow_days INTEGER CHECK (yellow_days > 0),
            red_days INTEGER CHECK (red_days > yellow_days)
        );
        CREATE TABLE sectors (
            sector TEXT PRIMARY KEY,
            position INTEGER NOT NULL UNIQUE,
            name_zh TEXT NOT NULL,
            name_en TEXT NOT NULL
        );
        -- AUTOINCREMENT: an id is never reused, even after the newest row goes.
        -- investment_wan: planned investment in 万元, an exact integer.
        CREATE TABLE projects (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL CHECK (name <> ''),
            sector TEXT NOT NULL REFERENCES sectors(sector),
            stage TEXT NOT NULL REFERENCES stages(stage),
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dropped')),
            investment_wan INTEGER CHECK (investment_wan >= 0),
            key INTEGER NOT NULL DEFAULT 0 CHECK (key IN (0, 1)),
            district TEXT,
            unit TEXT,
            lead TEXT,
            note TEXT,
            source TEXT NOT NULL CHECK (source IN ('report', 'illustrative', 'user')),
            stage_since TEXT NOT NULL
        );
        CREATE INDEX projects_sector ON projects(sector);
        CREATE INDEX projects_stage ON projects(stage);
        -- Append-only history. `change` groups the events one command wrote
        -- (NULL for the seed data, which undo never reverts), and an `undo` event
        -- names the change it reverted in `undoes`.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            kind TEXT NOT NULL
                CHECK (kind IN ('created', 'stage', 'edited', 'dropped', 'restored', 'undo')),
            "from" TEXT REFERENCES stages(stage),
            "to" TEXT REFERENCES stages(stage),
            date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            note TEXT,
            by TEXT,
            changes TEXT,
            change INTEGER,
            undoes INTEGER
        );
        CREATE INDEX events_project ON events(project_id, id);
        CREATE INDEX events_change ON events(change);
        CREATE INDEX events_date ON events(date);
        CREATE TABLE migrations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """,
    )
    conn.executemany(
        "INSERT INTO stages VALUES (?, ?, ?, ?, ?, ?)",
        [(s.slug, s.position, s.name_zh, s.name_en, s.yellow_days, s.red_days) for s in STAGES],
    )
    conn.executemany(
        "INSERT INTO sectors VALUES (?, ?, ?, ?)",
        [(s.slug, s.position, s.name_zh, s.name_en) for s in SECTORS],
    )
    # What Datasette and other SQLite tools show: each project with its labels,
    # amount in 亿元, days in stage and light as of the day the query runs.
    conn.execute(
        """
        CREATE VIEW project_view AS
        SELECT p.id, p.name, p.sector, sec.name_zh AS sector_zh, p.stage,
               st.name_zh AS stage_zh, st.position AS stage_position, p.status,
               p.investment_wan / 10000.0 AS investment_yi, p.key, p.district,
               p.unit, p.lead, p.note, p.source, p.stage_since,
               CAST(julianday('now', 'localtime', 'start of day')
                    - julianday(p.stage_since) AS INTEGER) AS days_in_stage,
               CASE
                 WHEN p.status <> 'active' OR st.red_days IS NULL THEN NULL
                 WHEN julianday('now', 'localtime', 'start of day')
                      - julianday(p.stage_since) >= st.red_days THEN 'red'
                 WHEN julianday('now', 'localtime', 'start of day')
                      - julianday(p.stage_since) >= st.yellow_days THEN 'yellow'
                 ELSE 'green'
               END AS light
        FROM projects p
        JOIN sectors sec ON sec.sector = p.sector
        JOIN stages st ON st.stage = p.stage
        """
    )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


# project_view's columns computed as every listing computes them (fields.FIELDS).
VIEW_COMPUTED = ("days_in_stage", "light", "light_reason", "next_plan_stage", "next_plan_date", "overdue_days")


def project_view_sql(today: str = "date('now', 'localtime')") -> str:
    """The SELECT of project_view, with `today` an SQL expression of the day to count from.

    Active projects only (dropped ones are in `projects`); the amount twice,
    exact: an integer of 万元 (whose sum is exact) and the decimal text of
    亿元 (`12.5`, as JSON writes it); days in stage, the light (the worse of
    the stage light and the plan light) and its reason, and the next plan,
    from the same expressions over the same FROM as `list` (fields.py), so
    the view and the CLI cannot disagree. The Datasette plugin shipped with
    the package re-creates it as a TEMP view against $PIPELINE_TODAY.
    """
    computed = ",\n               ".join(f"{field.select} AS {field.name}" for field in pick(VIEW_COMPUTED))
    sql = f"""WITH {CUTOFFS_SQL}
        SELECT p.id, p.name, p.sector, sec.name_zh AS sector_zh, p.stage,
               st.name_zh AS stage_zh, st.position AS stage_position, p.status,
               p.investment_wan, {money_sql("p.investment_wan")} AS investment_yi, p.key, p.district,
               p.unit, p.lead, p.note, p.source, p.stage_since,
               {computed}{PROJECTS_FROM}
        WHERE p.status = 'active'
        """
    return on_day(sql, today)


def m002_project_view_exact(conn: sqlite3.Connection) -> None:
    """project_view: exact amounts (万元 integer + 亿元 text, no float drift), active projects only.

    The view is made by m006 (project_view_sql, today's definition): it holds
    no data, and today's reads the plans of m004, so a file migrating from
    schema 1 goes without it until then.
    """
    conn.execute("DROP VIEW IF EXISTS project_view")


_OLD_STATUS_CHECK = "CHECK (status IN ('active', 'dropped'))"
_NEW_STATUS_CHECK = "CHECK (status IN ('active', 'dropped', 'undone'))"


def _undone_adds(conn: sqlite3.Connection) -> list[int]:
    """Projects stored as dropped only because their add was undone (before m003).

    Told from a real drop by the project's events: walking them newest
    first, the undo of its `created` change comes before any `dropped` or
    `restored` event still in force (one whose change was not undone).
    """
    found = []
    candidates = conn.execute(
        """
        SELECT DISTINCT p.id, c.change FROM projects p
        JOIN events c ON c.project_id = p.id AND c.kind = 'created' AND c.change IS NOT NULL
        JOIN events u ON u.project_id = p.id AND u.kind = 'undo' AND u.undoes = c.change
        WHERE p.status = 'dropped'
        """
    ).fetchall()
    for project_id, created_change in candidates:
        events = conn.execute(
            "SELECT kind, change, undoes FROM events WHERE project_id = ? ORDER BY id", (project_id,)
        ).fetchall()
        undone = {undoes for kind, _, undoes in events if kind == "undo"}
        for kind, change, undoes in reversed(events):
            if kind == "undo" and undoes == created_change:
                found.append(project_id)
                break
            if kind in ("dropped", "restored") and change not in undone:
                break  # a real drop (or restore) came after
    return found


def m003_undone_adds(conn: sqlite3.Connection) -> None:
    """An undone add is not a drop: status `undone`, which only `undo` sets (project_view shows active ones only)."""
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'projects'").fetchone()
    if _NEW_STATUS_CHECK not in sql:  # (a file whose migration record was reset may have it already)
        assert _OLD_STATUS_CHECK in sql, "projects.status has an unexpected CHECK"
        new_sql = sql.replace(_OLD_STATUS_CHECK, _NEW_STATUS_CHECK)
        rebuild_table(conn, "projects", new_sql[new_sql.index("(") :])
    conn.executemany("UPDATE projects SET status = 'undone' WHERE id = ?", [(i,) for i in _undone_adds(conn)])


# The plan-light thresholds every stage but the first starts with: yellow
# from 1 day past a planned date, red from 90 days (three months) past it.
# They follow published local rules: 银川 (2025) lights yellow a milestone due
# and not started, red one three months overdue; 邯郸 (2024) lights a
# negotiation without progress yellow at two months and red at three.
PLAN_YELLOW_DAYS = 1
PLAN_RED_DAYS = 90

_EVENTS_V4 = """(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    kind TEXT NOT NULL CHECK (kind IN ('created', 'stage', 'edited', 'dropped', 'restored', 'undo', 'planned',
        'problem_opened', 'problem_closed', 'problem_reopened', 'problem_edited')),
    "from" TEXT REFERENCES stages(stage),
    "to" TEXT REFERENCES stages(stage),
    date TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    note TEXT,
    by TEXT,
    changes TEXT,
    change INTEGER,
    undoes INTEGER,
    plan_from TEXT,
    plan_to TEXT,
    problem_id INTEGER,
    db_user TEXT
)"""


def m004_plans_and_problems(conn: sqlite3.Connection) -> None:
    """Plans, the problem ledger, plan-light thresholds, and the events that record them.

    events is rebuilt for the new kinds in its CHECK and the columns
    plan_from, plan_to, problem_id and db_user; every row is copied as it
    was, ids included (db_user stays null on events written before it was
    recorded).
    """
    rebuild_table(conn, "events", _EVENTS_V4)
    # (A file whose migration record was reset may have the columns already.)
    stage_columns = {row[1] for row in conn.execute("PRAGMA table_info(stages)")}
    if "plan_yellow_days" not in stage_columns:
        _execute_all(
            conn,
            f"""
            ALTER TABLE stages ADD COLUMN plan_yellow_days INTEGER CHECK (plan_yellow_days > 0);
            ALTER TABLE stages ADD COLUMN plan_red_days INTEGER CHECK (plan_red_days > plan_yellow_days);
            UPDATE stages SET plan_yellow_days = {PLAN_YELLOW_DAYS}, plan_red_days = {PLAN_RED_DAYS}
                WHERE position > (SELECT min(position) FROM stages)
            """,
        )
    _execute_all(
        conn,
        """
        CREATE INDEX IF NOT EXISTS events_problem ON events(problem_id) WHERE problem_id IS NOT NULL;
        -- The date each project is planned to reach each stage (计划签约/开工/…):
        -- the plan_to of its newest effective `planned` event, kept for queries.
        CREATE TABLE IF NOT EXISTS plans (
            project_id INTEGER NOT NULL REFERENCES projects(id),
            stage TEXT NOT NULL REFERENCES stages(stage),
            date TEXT NOT NULL CHECK (date = date(date)),
            PRIMARY KEY (project_id, stage)
        );
        CREATE INDEX IF NOT EXISTS plans_date ON plans(date);
        -- The problem ledger (问题清单): each blocking problem, its unit and
        -- deadline, and the day it was closed (销号).
        CREATE TABLE IF NOT EXISTS problems (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id INTEGER NOT NULL REFERENCES projects(id),
            text TEXT NOT NULL CHECK (text <> ''),
            unit TEXT,
            opened TEXT NOT NULL CHECK (opened = date(opened)),
            due TEXT CHECK (due IS NULL OR due = date(due)),
            closed TEXT CHECK (closed IS NULL OR closed = date(closed)),
            note TEXT
        );
        CREATE INDEX IF NOT EXISTS problems_project ON problems(project_id, id)
        """,
    )


# The text a person gave, in the tables that hold what is true now (events keep what was written).
_PROJECT_TEXTS = ("name", "district", "unit", "lead", "note")
_PROBLEM_TEXTS = ("text", "unit", "note")
_REQUIRED_TEXTS = frozenset(("name", "text"))


def _trimmed(value: object) -> object:
    """The one text rule's trimming (texts.clean_text): leading and trailing white space off, empty is none."""
    if not isinstance(value, str):
        return value
    return value.strip() or None


def _changed_texts(row: sqlite3.Row, columns: tuple[str, ...]) -> dict[str, list[object]]:
    changes: dict[str, list[object]] = {}
    for column in columns:
        old, new = row[column], _trimmed(row[column])
        if new is None and column in _REQUIRED_TEXTS:
            continue  # a required text of white space only: left as it is, `pipeline edit` can name it
        if new != old:
            changes[column] = [old, new]
    return changes


def m005_one_text_rule(conn: sqlite3.Connection) -> None:
    """Texts stored before the one text rule (texts.clean_text) are trimmed as every way in now trims them.

    Older versions stored names, districts, units, leads, notes and problem
    texts with leading or trailing spaces or line breaks (an import kept what
    a CSV cell held); filters, sorting and the round trip of every export now
    assume the rule. Each project or problem changed gets an `edited` (or
    `problem_edited`) event recording the old and new values, dated on its
    project's last event (never before it, never in the future), by
    `pipeline migration`, and outside any change, so `undo` never reverts it.
    Events keep the texts they were written with: they are the record.
    """
    import datetime as dt
    import getpass
    import json

    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    try:
        login: str | None = getpass.getuser() or None
    except Exception:
        login = None
    note = "one text rule: leading and trailing white space removed"

    def last_date(project_id: int) -> str:
        return str(conn.execute("SELECT max(date) FROM events WHERE project_id = ?", (project_id,)).fetchone()[0])

    def record(project_id: int, kind: str, changes: dict[str, list[object]], problem_id: int | None) -> None:
        conn.execute(
            """
            INSERT INTO events (project_id, kind, date, recorded_at, note, by, changes, problem_id, db_user)
            VALUES (?, ?, ?, ?, ?, 'pipeline migration', ?, ?, ?)
            """,
            (
                project_id,
                kind,
                last_date(project_id),
                now,
                note,
                json.dumps(changes, ensure_ascii=False),
                problem_id,
                login,
            ),
        )

    rows = conn.cursor()
    rows.row_factory = sqlite3.Row
    for row in rows.execute(f"SELECT id, {', '.join(_PROJECT_TEXTS)} FROM projects ORDER BY id").fetchall():
        changes = _changed_texts(row, _PROJECT_TEXTS)
        if changes:
            assignments = ", ".join(f"{column} = ?" for column in changes)
            conn.execute(
                f"UPDATE projects SET {assignments} WHERE id = ?", (*(v[1] for v in changes.values()), row["id"])
            )
            record(row["id"], "edited", changes, None)
    for row in rows.execute(f"SELECT id, project_id, {', '.join(_PROBLEM_TEXTS)} FROM problems ORDER BY id").fetchall():
        changes = _changed_texts(row, _PROBLEM_TEXTS)
        if changes:
            assignments = ", ".join(f"{column} = ?" for column in changes)
            conn.execute(
                f"UPDATE problems SET {assignments} WHERE id = ?", (*(v[1] for v in changes.values()), row["id"])
            )
            record(row["project_id"], "problem_edited", changes, row["id"])


def m006_project_view_lights(conn: sqlite3.Connection) -> None:
    """project_view's light is the CLI's: the worse of the stage light and the plan light.

    Before, the view had the stage light alone (days in stage), so a project
    whose next plan was overdue read green in Datasette and red in `lights`.
    Now the view also has light_reason, next_plan_stage, next_plan_date and
    overdue_days, after its earlier columns.
    """
    conn.execute("DROP VIEW IF EXISTS project_view")
    conn.execute(f"CREATE VIEW project_view AS {project_view_sql()}")


Migration = Callable[[sqlite3.Connection], None]

MIGRATIONS: tuple[Migration, ...] = (
    m001_initial,
    m002_project_view_exact,
    m003_undone_adds,
    m004_plans_and_problems,
    m005_one_text_rule,
    m006_project_view_lights,
)

SCHEMA_VERSION = len(MIGRATIONS)
