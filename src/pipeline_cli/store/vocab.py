"""The SQL of `sectors add|edit|remove`: the bureau's own vocabulary of sectors.

Each runs inside the caller's `transaction()`. Sectors are configuration, not
project history: no event is written.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ..errors import Conflict, Message, UsageError


def _sector(conn: sqlite3.Connection, slug: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT sector, name_zh, name_en, position FROM sectors WHERE sector = ?", (slug,)
    ).fetchone()
    assert row is not None, slug  # slugs reach here resolved
    return row


def _name_taken(conn: sqlite3.Connection, name_zh: str, slug: str | None = None) -> str | None:
    row = conn.execute("SELECT sector FROM sectors WHERE name_zh = ? AND sector IS NOT ?", (name_zh, slug)).fetchone()
    return None if row is None else str(row[0])


def add_sector(conn: sqlite3.Connection, slug: str, name_zh: str, name_en: str) -> dict[str, Any]:
    """A new sector, last in the order; a slug or Chinese name in use is a conflict."""
    if conn.execute("SELECT 1 FROM sectors WHERE sector = ?", (slug,)).fetchone() is not None:
        raise Conflict("sectors.exists", "sectors.exists.hint", slug=slug)
    taken = _name_taken(conn, name_zh)
    if taken is not None:
        raise Conflict("sectors.name_taken", "sectors.name_taken.hint", name=name_zh, taken=taken)
    position = int(conn.execute("SELECT coalesce(max(position), 0) + 1 FROM sectors").fetchone()[0])
    conn.execute(
        "INSERT INTO sectors (sector, position, name_zh, name_en) VALUES (?, ?, ?, ?)",
        (slug, position, name_zh, name_en),
    )
    return dict(_sector(conn, slug))


def edit_sector(
    conn: sqlite3.Connection,
    slug: str,
    *,
    name_zh: str | None = None,
    name_en: str | None = None,
    position: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rename or reorder a sector; returns it (old, new). Moving it shifts the ones between."""
    old = dict(_sector(conn, slug))
    if name_zh is not None and name_zh != old["name_zh"]:
        taken = _name_taken(conn, name_zh, slug)
        if taken is not None:
            raise Conflict("sectors.name_taken", "sectors.name_taken.hint", name=name_zh, taken=taken)
    order = [row[0] for row in conn.execute("SELECT sector FROM sectors ORDER BY position")]
    if position is not None and not 1 <= position <= len(order):
        raise UsageError("sectors.position", "sectors.position.hint", position=position, last=len(order))
    conn.execute(
        "UPDATE sectors SET name_zh = ?, name_en = ? WHERE sector = ?",
        (name_zh if name_zh is not None else old["name_zh"], name_en if name_en is not None else old["name_en"], slug),
    )
    if position is not None and order.index(slug) + 1 != position:
        order.remove(slug)
        order.insert(position - 1, slug)
        # Positions are UNIQUE: step aside to negatives, then number 1..n.
        conn.execute("UPDATE sectors SET position = -position")
        conn.executemany(
            "UPDATE sectors SET position = ? WHERE sector = ?", [(index, s) for index, s in enumerate(order, 1)]
        )
    return old, dict(_sector(conn, slug))


def remove_sector(conn: sqlite3.Connection, slug: str) -> dict[str, Any]:
    """Remove a sector no project has (dropped and undone ones count); the rest close ranks."""
    old = dict(_sector(conn, slug))
    count, undone = conn.execute(
        "SELECT count(*), coalesce(sum(status = 'undone'), 0) FROM projects WHERE sector = ?", (slug,)
    ).fetchone()
    if count:
        also = Message("sectors.in_use.also", {"undone": undone}) if undone else ""
        key = "sectors.in_use.one" if count == 1 else "sectors.in_use"
        raise Conflict(key, "sectors.in_use.hint", slug=slug, count=count, also=also)
    conn.execute("DELETE FROM sectors WHERE sector = ?", (slug,))
    order = [row[0] for row in conn.execute("SELECT sector FROM sectors ORDER BY position")]
    conn.execute("UPDATE sectors SET position = -position")
    conn.executemany(
        "UPDATE sectors SET position = ? WHERE sector = ?", [(index, s) for index, s in enumerate(order, 1)]
    )
    return old
