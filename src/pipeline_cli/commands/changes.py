"""add, edit, advance, move, drop, restore, undo, history: changing projects, on record."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
