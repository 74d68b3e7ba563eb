"""init and where: creating the database and finding it."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output, store
from ..errors import Conflict


def init(
    ctx: typer.Context,
    empty: Annotated[bool, typer.Option("--empty", help="Create it without the report's 47 projects.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file, keeping the old one as a backup.")
    ] = False,
) -> None:
    """Create the database at the path in use, seeded with the report's 47 projects."""
    location = ctx.obj.location()
    if location.path.exists() and not force:
        raise Conflict(
            f"{location.path} already exists",
            "use --force to replace it (the old file is kept as a backup), or --db to choose another path",
        )
    if empty:
        records = []
    else:
        from ..seed import projects_2020

        records = projects_2020()
    try:
        backup = store.create(location.path, records, replace=force)
    except FileExistsError:
        raise Conflict(f"{location.path} appeared while it was being created", "run the command again") from None
    if backup is not None:
        output.message(f"kept the old database as {backup}")
    output.message(f"created {location.path} with {len(records)} projects")


def where(ctx: typer.Context) -> None:
    """Print the database path in use."""
    output.message(str(ctx.obj.location().path))


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(where)
