"""What one invocation knows: the --db and --debug options, and the open database.

The root callback keeps one AppState as Click's `ctx.obj`, which Click types
as Any; commands reach it through `state(ctx)`, typed.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import typer

from . import model, output, store
from .store import DbLocation


class AppState:
    __slots__ = ("_conn", "db", "debug", "saved")

    def __init__(self, db: str | None = None, debug: bool = False) -> None:
        self.db = db
        self.debug = debug
        # Lines describing a committed change, so that if printing them fails the
        # user still hears on stderr that the change was saved.
        self.saved: list[str] = []
        self._conn: sqlite3.Connection | None = None
        # Sectors are read from the database in use, when first needed.
        model.use_sectors(self.sectors)

    def sectors(self) -> list[model.Sector]:
        """The database's sectors, in their order."""
        return [
            model.Sector(row["sector"], row["name_zh"], row["name_en"], row["position"])
            for row in store.sectors(self.connect())
        ]

    def location(self) -> DbLocation:
        return store.locate(self.db)

    def connect(self) -> sqlite3.Connection:
        """The database in use, checked and migrated; the default one is created on first use."""
        if self._conn is None:
            location = self.location()
            if location.url is not None:
                self._conn = store.open_url(location.url)
                return self._conn
            if not location.explicit and not location.path.exists():
                from .seed import projects_2020

                try:
                    store.create(location.path, projects_2020())
                except FileExistsError:
                    pass  # another command created it a moment ago
                else:
                    output.notice(output.say("db.first_run", path=str(location.path)))
            self._conn = store.open_existing(location.path)
        return self._conn

    def close(self) -> None:
        model.use_sectors(None)
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def found_state(ctx: Any) -> AppState | None:
    """The invocation's state, or None before the root callback made it (a usage error, --help)."""
    obj = getattr(ctx, "obj", None)
    return obj if isinstance(obj, AppState) else None


def state(ctx: typer.Context) -> AppState:
    """The invocation's state, for a command (the root callback always made it)."""
    found = found_state(ctx)
    if found is None:
        raise RuntimeError("no application state: the root callback did not run")
    return found
