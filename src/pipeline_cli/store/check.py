"""The SQL of check: integrity_check, foreign_key_check and the invariants the writes keep."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..errors import DatabaseUnusable, sqlite_reason
from ._core import _rollback, stream_rows, translate_error


@dataclass(frozen=True)
class Violation:
    """One way the database breaks an invariant."""

    check: str
    message: str
    project_id: int | None = None
    event_id: int | None = None


_CHECK_QUERIES: tuple[tuple[str, str], ...] = (
    (
        "stage",
        # Each project against its last effective stage-bearing event; if its
        # add was undone and nothing since, against its created event.
        """
        WITH undone AS (SELECT DISTINCT undoes AS change FROM events WHERE kind = 'undo' AND undoes IS NOT NULL),
        candidates AS (
            SELECT e.project_id, e.id, e."to", e.date,
                   ROW_NUMBER() OVER (
                       PARTITION BY e.project_id
                       ORDER BY (e.change IS NULL OR e.change NOT IN (SELECT change FROM undone)) DESC, e.id DESC
                   ) AS rank
            FROM events e
            WHERE e.kind IN ('created', 'stage')
              AND (e.kind = 'created' OR e.change IS NULL OR e.change NOT IN (SELECT change FROM undone))
        )
        SELECT p.id AS project_id, c.id AS event_id,
               'project ' || p.id || ' is at ' || p.stage || ' since ' || p.stage_since
               || ', but its last stage event (' || c.id || ') says ' || coalesce(c."to", 'nothing')
               || ' since ' || c.date AS message
        FROM projects p JOIN candidates c ON c.project_id = p.id AND c.rank = 1
        WHERE p.stage IS NOT c."to" OR p.stage_since IS NOT c.date
        ORDER BY p.id
        """,
    ),
    (
        "created",
        """
        SELECT p.id AS project_id, NULL AS event_id,
               'project ' || p.id || ' has ' || count(e.id) || ' created events (should have 1)' AS message
        FROM projects p LEFT JOIN events e ON e.project_id = p.id AND e.kind = 'created'
        GROUP BY p.id HAVING count(e.id) <> 1
        ORDER BY p.id
        """,
    ),
    (
        "orphan",
        """
        SELECT e.project_id AS project_id, e.id AS event_id,
               'event ' || e.id || ' belongs to project ' || e.project_id || ', which does not exist' AS message
        FROM events e WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = e.project_id)
        ORDER BY e.id
        """,
    ),
    (
        "amount",
        """
        SELECT id AS project_id, NULL AS event_id,
               'project ' || id || ' has investment ' || quote(investment_wan)
               || ' (should be a whole number of 万元, 0 or more, or empty)' AS message
        FROM projects
        WHERE NOT (investment_wan IS NULL OR (typeof(investment_wan) = 'integer' AND investment_wan >= 0))
        ORDER BY id
        """,
    ),
    (
        "status",
        """
        SELECT id AS project_id, NULL AS event_id,
               'project ' || id || ' has status ' || quote(status) || ' (should be active or dropped)' AS message
        FROM projects WHERE status IS NULL OR status NOT IN ('active', 'dropped', 'undone')
        ORDER BY id
        """,
    ),
    (
        "date",
        """
        SELECT id AS project_id, NULL AS event_id,
               'project ' || id || ' has stage_since ' || quote(stage_since) || ' (should be YYYY-MM-DD)' AS message
        FROM projects WHERE stage_since IS NOT date(stage_since)
        ORDER BY id
        """,
    ),
    (
        "undo",
        """
        SELECT e.project_id AS project_id, e.id AS event_id,
               'undo event ' || e.id || ' reverts change ' || quote(e.undoes) || ', which is not a change it can revert'
               AS message
        FROM events e
        WHERE e.kind = 'undo' AND (e.undoes IS NULL OR e.undoes >= e.change OR NOT EXISTS (
            SELECT 1 FROM events o WHERE o.change = e.undoes AND o.kind <> 'undo'))
        ORDER BY e.id
        """,
    ),
)


def active_investment(conn: sqlite3.Connection) -> int:
    """The active projects' total planned investment, in 万元 (what summary's total counts)."""
    return int(
        conn.execute("SELECT coalesce(sum(investment_wan), 0) FROM projects WHERE status = 'active'").fetchone()[0]
    )


def table_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """How many projects and events there are."""
    projects = conn.execute("SELECT count(*) FROM projects WHERE status <> 'undone'").fetchone()[0]
    events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return int(projects), int(events)


def check_database(conn: sqlite3.Connection, path: Path) -> list[Violation]:
    """integrity_check, foreign_key_check and the invariants, on one snapshot."""
    try:
        conn.execute("BEGIN")
        try:
            return violations(conn)
        finally:
            _rollback(conn)
    except sqlite3.Error as error:
        raise translate_error(error, path) or DatabaseUnusable(
            "check.failed", "db.damaged.hint", path=str(path), reason=sqlite_reason(error)
        ) from None


def violations(conn: sqlite3.Connection) -> list[Violation]:
    """What check finds, read in the transaction the caller holds (copy checks its copy before committing)."""
    found: list[Violation] = []
    for (message,) in conn.execute("PRAGMA integrity_check"):
        if message != "ok":
            found.append(Violation("integrity", str(message)))
    for row in conn.execute("PRAGMA foreign_key_check"):
        table, rowid, parent = row[0], row[1], row[2]
        found.append(
            Violation(
                "foreign_key",
                f"{table} row {rowid} refers to a missing row of {parent}",
                project_id=rowid if table == "projects" else None,
                event_id=rowid if table == "events" else None,
            )
        )
    for name, sql in _CHECK_QUERIES:
        # Each query's columns: project_id, event_id, message; streamed (a damaged database may break many rows).
        for project_id, event_id, message in stream_rows(conn, sql):
            found.append(Violation(name, message, project_id, event_id))
    return found
