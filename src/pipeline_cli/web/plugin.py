"""The Datasette plugin: project_view's days and lights, and the saved queries' pipeline_today().

A view cannot read the environment. When PIPELINE_TODAY is set, each
connection Datasette opens to a pipeline database gets a TEMP view of the
same name and columns counting from that day; an unqualified
`project_view` (what Datasette queries) finds the TEMP one first. The file
is never written: the TEMP schema lives in the connection.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from typing import Any

from datasette import hookimpl

from ..migrations import APPLICATION_ID, project_view_sql


@hookimpl  # type: ignore[untyped-decorator]
def prepare_connection(conn: sqlite3.Connection, database: Any, datasette: Any) -> None:
    pinned = (os.environ.get("PIPELINE_TODAY") or "").strip()
    try:
        today = dt.date.fromisoformat(pinned).isoformat() if pinned else None
    except ValueError:
        today = None
    # The saved queries' day (due, problems, ranking): $PIPELINE_TODAY, else today, as the CLI counts.
    conn.create_function("pipeline_today", 0, lambda: today or dt.date.today().isoformat(), deterministic=False)
    if not pinned:
        return
    try:
        day = dt.date.fromisoformat(pinned).isoformat()
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            return
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'view' AND name = 'project_view'").fetchone() is None:
            return
        conn.execute(f"CREATE TEMP VIEW IF NOT EXISTS project_view AS {project_view_sql(repr(day))}")
    except (ValueError, sqlite3.Error):
        return  # a malformed day or an unexpected file: Datasette shows the stored view
