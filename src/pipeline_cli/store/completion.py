"""Look-ups for shell completion: never raise, never slow."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..migrations import APPLICATION_ID

# --- shell completion ------------------------------------------------------------
# Read-only and quick: never creates, migrates or waits long for the file.

# Seconds a server may take to answer before completion offers nothing.
SERVER_TIMEOUT = 2


def _completion_connect(path: Path | str) -> Any:
    """A connection to the file (read-only), or to the database at a URL; None when there is none to read."""
    if isinstance(path, str):
        from ..errors import PipelineError
        from . import postgres

        try:
            return postgres.connect(path, 0, connect_timeout=SERVER_TIMEOUT)
        except PipelineError:
            return None
    if not path.is_file():
        return None
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=0.5)
    if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        conn.close()
        return None
    return conn


def completion_projects(
    path: Path | str, prefix: str, limit: int = 200, dropped: str = "dropped"
) -> list[tuple[str, str]]:
    """(id, name) of projects whose id starts with `prefix`, by id; a dropped one's name says so, in `dropped`."""
    conn = _completion_connect(path)
    if conn is None:
        return []
    try:
        rows = conn.execute(
            "SELECT id, name, status FROM projects"
            " WHERE substr(CAST(id AS TEXT), 1, length(?)) = ? AND status <> 'undone' ORDER BY id LIMIT ?",
            (prefix, prefix, limit),
        ).fetchall()
    finally:
        conn.close()
    mark = f"（{dropped}）" if any("\u4e00" <= char <= "\u9fff" for char in dropped) else f" ({dropped})"
    return [(str(id_), name + (mark if status == "dropped" else "")) for id_, name, status in rows]


def completion_vocabulary(path: Path | str, kind: str) -> list[tuple[str, str]]:
    """(slug, 中文) of the sectors or stages stored in the database, in their order."""
    conn = _completion_connect(path)
    if conn is None:
        return []
    table = {"sector": "sectors", "stage": "stages"}[kind]
    try:
        return [(slug, zh) for slug, zh in conn.execute(f"SELECT {kind}, name_zh FROM {table} ORDER BY position")]
    finally:
        conn.close()


_VALUE_COLUMNS = ("district", "unit", "lead")


def completion_values(path: Path | str, column: str, prefix: str, limit: int = 200) -> list[str]:
    """The distinct values of a project text column starting with `prefix`, most used first."""
    if column not in _VALUE_COLUMNS:
        return []
    conn = _completion_connect(path)
    if conn is None:
        return []
    try:
        rows = conn.execute(
            f"SELECT {column} FROM projects WHERE {column} IS NOT NULL AND {column} <> ''"
            f" AND substr({column}, 1, length(?)) = ? AND status <> 'undone'"
            f" GROUP BY {column} ORDER BY count(*) DESC, {column} LIMIT ?",
            (prefix, prefix, limit),
        ).fetchall()
    finally:
        conn.close()
    return [str(value) for (value,) in rows]
