"""Everything that differs between SQLite and PostgreSQL, in one place.

The store is written once, in SQLite's SQL. On PostgreSQL each statement
passes through `translate()` on its way to the server, and the server holds
a few functions SQLite has built in. Two ways, chosen case by case:

Rewritten here, because they are syntax (no function could stand in):
- parameters: `?` and `:name` become psycopg's `%s` and `%(name)s`, and a
  literal `%` becomes `%%` (psycopg reads the whole statement);
- `BEGIN IMMEDIATE` (the write lock) becomes a transaction that first takes
  a transaction-level advisory lock (`WRITE_LOCK`), waiting at most the busy
  timeout (`lock_timeout`); plain `BEGIN` (check's snapshot) a
  REPEATABLE READ transaction;
- `x IS NOT y` (y not NULL) becomes `x IS DISTINCT FROM y`;
- `INSERT OR IGNORE` becomes `INSERT ... ON CONFLICT DO NOTHING`;
- `NOT INDEXED` (a hint to SQLite's planner) is dropped;
- `temp.` becomes `pg_temp.`, and `sqlite_sequence` (the ids AUTOINCREMENT
  has given) the table `pipeline_sequence`, kept by a trigger the same way;
- a single-row INSERT into a table with an id gets `RETURNING id`, which is
  how the adapter knows `lastrowid`;
- the PRAGMAs the store issues are answered in `PRAGMAS`.

Created on the server by `init` (`COMPAT_FUNCTIONS`), because they are
functions SQLite has and PostgreSQL has not, used inside expressions that
fields.py builds once for both engines (days in stage, the light, the
cut-off dates): `julianday(text)`, `date(text)`, `date(text, text)`, scalar
`max(a, b)` and `min(a, b)`, `instr(a, b)`, `sum(boolean)` (SQLite counts a
comparison as 0 or 1), `typeof` and `quote` for check's messages. They are
SQL functions, IMMUTABLE, so the planner inlines them. Dates stay ISO text
(`YYYY-MM-DD`), as on SQLite, and every text column has the "C" collation,
so comparisons and ORDER BY give SQLite's byte order whatever the server's
locale: the same output bytes for the same data.

Money is an integer of 万元 on both (BIGINT here); a sum comes back from
PostgreSQL as NUMERIC and is read as an int when whole (postgres.py).

`PG_SCHEMA` is the schema as of migration `PG_BASE_VERSION`, which `init`
creates in one transaction; migrations after it need their PostgreSQL form
in `PG_MIGRATIONS` (tests/test_postgres_schema.py fails when one is missing).
"""

from __future__ import annotations

import functools
import re

from ..migrations import PLAN_RED_DAYS, PLAN_YELLOW_DAYS, project_view_sql

# The advisory lock every write holds until its transaction ends ('PIPE').
WRITE_LOCK = 0x50495045

# --- statements ---------------------------------------------------------------------

# Tables whose id the server gives (an INSERT of one row returns it).
_ID_TABLES = ("projects", "events", "problems")
_INSERT_ID = re.compile(rf"^\s*INSERT\s+INTO\s+({'|'.join(_ID_TABLES)})\b", re.IGNORECASE)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_IS_NOT = re.compile(r"\bIS\s+NOT\s+(?!NULL\b|DISTINCT\b|TRUE\b|FALSE\b)", re.IGNORECASE)
_NOT_INDEXED = re.compile(r"\s+NOT\s+INDEXED\b", re.IGNORECASE)
_TEMP = re.compile(r"\btemp\.", re.IGNORECASE)
_SEQUENCE = re.compile(r"\bsqlite_sequence\b")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

# What PostgreSQL answers to the PRAGMAs the store issues. Foreign keys are
# always enforced there; integrity is the server's own business (no page of
# a table can be torn the way a file's can); the schema version is the last
# migration recorded.
PRAGMAS: dict[str, str | None] = {
    "foreign_keys = on": None,
    "foreign_keys = off": None,
    "foreign_key_check": "SELECT NULL, NULL, NULL WHERE false",
    "integrity_check": "SELECT 'ok'",
    "user_version": "SELECT coalesce(max(id), 0) FROM migrations",
    "application_id": f"SELECT {WRITE_LOCK}",
}


def pragma(sql: str) -> tuple[bool, str | None]:
    """(True, its PostgreSQL form or None for nothing to do) when `sql` is a PRAGMA; else (False, None)."""
    text = sql.strip().rstrip(";")
    if not text.upper().startswith("PRAGMA "):
        return False, None
    name = " ".join(text[len("PRAGMA ") :].split()).lower()
    if name not in PRAGMAS:
        raise ValueError(f"no PostgreSQL form for PRAGMA {name}")
    return True, PRAGMAS[name]


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> tuple[str, bool]:
    """SQLite's statement as PostgreSQL's (with psycopg's placeholders), and whether it returns the new id."""
    if _INSERT_OR_IGNORE.match(sql):
        sql = _INSERT_OR_IGNORE.sub("INSERT INTO", sql).rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            # A literal or a quoted name, as it is ('' and "" stay inside it).
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i : end + 1].replace("%", "%%"))
            i = end + 1
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
        elif ch == "?":
            out.append("%s")
            i += 1
        elif ch == ":" and i + 1 < n and sql[i + 1] != ":" and (i == 0 or sql[i - 1] != ":"):
            match = _NAME.match(sql, i + 1)
            if match is None:
                out.append(ch)
                i += 1
            else:
                out.append(f"%({match.group()})s")
                i = match.end()
        elif ch == "%":
            out.append("%%")
            i += 1
        else:
            # Up to the next character that needs a look, rewritten as a piece.
            end = i
            while end < n and sql[end] not in "'\"-?:%":
                end += 1
            if end == i:
                end += 1
            piece = sql[i:end]
            piece = _IS_NOT.sub("IS DISTINCT FROM ", piece)
            piece = _NOT_INDEXED.sub("", piece)
            piece = _TEMP.sub("pg_temp.", piece)
            piece = _SEQUENCE.sub("pipeline_sequence", piece)
            out.append(piece)
            i = end
    translated = "".join(out)
    returns_id = bool(_INSERT_ID.match(translated)) and "RETURNING" not in translated.upper()
    if returns_id:
        translated = translated.rstrip().rstrip(";") + " RETURNING id"
    return translated, returns_id


def begin_write(timeout: float) -> list[str]:
    """The statements that open a write: a transaction holding the write lock, waiting at most `timeout` s.

    With a timeout of 0 the lock is tried once (`lock_timeout = 0` would wait forever).
    """
    if timeout <= 0:
        return ["BEGIN", f"SELECT pipeline_try_write_lock({WRITE_LOCK})"]
    milliseconds = max(1, round(timeout * 1000))
    return ["BEGIN", f"SET LOCAL lock_timeout = {milliseconds}", f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"]


BEGIN_SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ"

# --- the server's side --------------------------------------------------------------

# Functions SQLite has built in, as SQL functions over ISO date text.
COMPAT_FUNCTIONS = r"""
CREATE FUNCTION julianday(day text) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (day::date - DATE '2000-01-01') + 2451544.5 $$;
CREATE FUNCTION date(day text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT to_char(day::date, 'YYYY-MM-DD') $$;
CREATE FUNCTION date(day text, modifier text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT to_char(day::date + modifier::interval, 'YYYY-MM-DD') $$;
CREATE FUNCTION max(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END $$;
CREATE FUNCTION min(a bigint, b bigint) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END $$;
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT strpos(haystack, needle) $$;
-- As SQLite's sum() of comparisons: NULLs skipped, NULL when there are no values.
CREATE FUNCTION pipeline_sum_bool(total bigint, value boolean) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN value IS NULL THEN total ELSE coalesce(total, 0) + CASE WHEN value THEN 1 ELSE 0 END END $$;
CREATE AGGREGATE sum(boolean) (SFUNC = pipeline_sum_bool, STYPE = bigint);
CREATE FUNCTION typeof(value bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN value IS NULL THEN 'null' ELSE 'integer' END $$;
CREATE FUNCTION quote(value text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT quote_nullable(value) $$;
CREATE FUNCTION quote(value bigint) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(value::text, 'NULL') $$;
CREATE FUNCTION pipeline_try_write_lock(lock bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(lock) THEN
        RAISE EXCEPTION 'the write lock is held' USING ERRCODE = 'lock_not_available';
    END IF;
END $$;
-- An id as SQLite's AUTOINCREMENT gives it: above every id the table ever had,
-- in the same transaction (a rolled-back insert gives its id back).
CREATE FUNCTION pipeline_next_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS NULL THEN
        UPDATE pipeline_sequence SET seq = seq + 1 WHERE name = TG_TABLE_NAME RETURNING seq INTO NEW.id;
    ELSE
        UPDATE pipeline_sequence SET seq = NEW.id WHERE name = TG_TABLE_NAME AND seq < NEW.id;
    END IF;
    RETURN NEW;
END $$;
-- Who wrote an event is who the server says is logged in: no client can set it.
CREATE FUNCTION pipeline_db_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.db_user := session_user;
    RETURN NEW;
END $$;
"""

_TEXT = 'TEXT COLLATE "C"'

# project_view as SQLite has it (migrations.project_view_sql), counting from the server's today.
_PG_VIEW = "CREATE VIEW project_view AS " + project_view_sql("to_char(current_date, 'YYYY-MM-DD')")

PG_SCHEMA = f"""
CREATE TABLE pipeline_sequence (name {_TEXT} PRIMARY KEY, seq BIGINT NOT NULL);
INSERT INTO pipeline_sequence VALUES ('projects', 0), ('events', 0), ('problems', 0);
CREATE TABLE stages (
    stage {_TEXT} PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    name_zh {_TEXT} NOT NULL,
    name_en {_TEXT} NOT NULL,
    yellow_days INTEGER CHECK (yellow_days > 0),
    red_days INTEGER CHECK (red_days > yellow_days),
    plan_yellow_days INTEGER CHECK (plan_yellow_days > 0),
    plan_red_days INTEGER CHECK (plan_red_days > plan_yellow_days)
);
CREATE TABLE sectors (
    sector {_TEXT} PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    name_zh {_TEXT} NOT NULL,
    name_en {_TEXT} NOT NULL
);
-- investment_wan: planned investment in 万元, an exact integer.
CREATE TABLE projects (
    id BIGINT PRIMARY KEY,
    name {_TEXT} NOT NULL CHECK (name <> ''),
    sector {_TEXT} NOT NULL REFERENCES sectors(sector),
    stage {_TEXT} NOT NULL REFERENCES stages(stage),
    status {_TEXT} NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dropped', 'undone')),
    investment_wan BIGINT CHECK (investment_wan >= 0),
    key INTEGER NOT NULL DEFAULT 0 CHECK (key IN (0, 1)),
    district {_TEXT},
    unit {_TEXT},
    lead {_TEXT},
    note {_TEXT},
    source {_TEXT} NOT NULL CHECK (source IN ('report', 'illustrative', 'user')),
    stage_since {_TEXT} NOT NULL
);
CREATE INDEX projects_sector ON projects(sector);
CREATE INDEX projects_stage ON projects(stage);
CREATE TRIGGER projects_id BEFORE INSERT ON projects FOR EACH ROW EXECUTE FUNCTION pipeline_next_id();
CREATE TABLE events (
    id BIGINT PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    kind {_TEXT} NOT NULL CHECK (kind IN ('created', 'stage', 'edited', 'dropped', 'restored', 'undo', 'planned',
        'problem_opened', 'problem_closed', 'problem_reopened', 'problem_edited')),
    "from" {_TEXT} REFERENCES stages(stage),
    "to" {_TEXT} REFERENCES stages(stage),
    date {_TEXT} NOT NULL,
    recorded_at {_TEXT} NOT NULL,
    note {_TEXT},
    by {_TEXT},
    changes {_TEXT},
    change BIGINT,
    undoes BIGINT,
    plan_from {_TEXT},
    plan_to {_TEXT},
    problem_id BIGINT,
    db_user {_TEXT}
);
CREATE INDEX events_project ON events(project_id, id);
CREATE INDEX events_change ON events(change);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_problem ON events(problem_id) WHERE problem_id IS NOT NULL;
CREATE TRIGGER events_id BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION pipeline_next_id();
CREATE TRIGGER events_db_user BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION pipeline_db_user();
CREATE TABLE migrations (
    id INTEGER PRIMARY KEY,
    name {_TEXT} NOT NULL,
    applied_at {_TEXT} NOT NULL
);
CREATE TABLE plans (
    project_id BIGINT NOT NULL REFERENCES projects(id),
    stage {_TEXT} NOT NULL REFERENCES stages(stage),
    date {_TEXT} NOT NULL CHECK (date = date(date)),
    PRIMARY KEY (project_id, stage)
);
CREATE INDEX plans_date ON plans(date);
CREATE TABLE problems (
    id BIGINT PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    text {_TEXT} NOT NULL CHECK (text <> ''),
    unit {_TEXT},
    opened {_TEXT} NOT NULL CHECK (opened = date(opened)),
    due {_TEXT} CHECK (due IS NULL OR due = date(due)),
    closed {_TEXT} CHECK (closed IS NULL OR closed = date(closed)),
    note {_TEXT}
);
CREATE INDEX problems_project ON problems(project_id, id);
CREATE TRIGGER problems_id BEFORE INSERT ON problems FOR EACH ROW EXECUTE FUNCTION pipeline_next_id();
{_PG_VIEW};
"""

# The stage rows' plan thresholds as m004 sets them (every stage but the first).
PLAN_THRESHOLDS = (PLAN_YELLOW_DAYS, PLAN_RED_DAYS)

# The schema PG_SCHEMA is: migrations 1 to this one, recorded under their names.
PG_BASE_VERSION = 4
# Migrations after PG_BASE_VERSION, by number: their PostgreSQL form.
PG_MIGRATIONS: dict[int, str] = {
    # m005_one_text_rule trims texts stored before the one text rule; every
    # database on a server was written by versions that apply it (the rule
    # came before PostgreSQL support), so there is nothing to trim: recorded only.
    5: "SELECT 1",
    # m006_project_view_lights: the view with the CLI's light, its reason and the next plan.
    6: f"DROP VIEW IF EXISTS project_view; {_PG_VIEW}",
}

# `copy` keeps each row as it was: each event's db_user as recorded, and the ids
# each table has given, which it sets in pipeline_sequence from the source's once
# the rows are in. The triggers that set them are off while the copy's rows go in,
# in the copy's own transaction (which only the tables' owner, who has just created
# them, may do). The id trigger would also update pipeline_sequence's one row for
# each row copied: millions of versions of one row in one transaction, each update
# slower than the last.
_COPY_TRIGGERS = (
    ("events", "events_db_user"),
    ("projects", "projects_id"),
    ("events", "events_id"),
    ("problems", "problems_id"),
)
KEEP_AS_COPIED = tuple(f"ALTER TABLE {table} DISABLE TRIGGER {name}" for table, name in _COPY_TRIGGERS)
AS_WRITTEN = tuple(f"ALTER TABLE {table} ENABLE TRIGGER {name}" for table, name in _COPY_TRIGGERS)

# Every table and view PG_SCHEMA makes: one of them there already means the
# database holds (part of) a pipeline, and `init` refuses.
PG_RELATIONS = (
    "pipeline_sequence",
    "stages",
    "sectors",
    "projects",
    "events",
    "migrations",
    "plans",
    "problems",
    "project_view",
)
