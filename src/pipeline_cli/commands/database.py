"""init, where and check: creating the database, finding it, and checking it."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import output, store
from ..context import state
from ..errors import Conflict, DatabaseUnusable
from ..formats import CHECK_COLUMNS
from ..options import LangOption, OutputOptions, with_output


def init(
    ctx: typer.Context,
    empty: Annotated[bool, typer.Option("--empty", help="Create it without the report's 47 projects.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file, keeping the old one as a backup.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Create the database at the path in use, seeded with the report's 47 projects."""
    location = state(ctx).location()
    if empty:
        records = []
    else:
        from ..seed import projects_2020

        records = projects_2020()
    if location.url is not None:
        # A shared database is never replaced: --force refuses as well when pipeline tables are there.
        count = store.create_url(location.url, records)
        output.line(output.say("pg.created", url=location.display, count=count))
        return
    # create() refuses a folder, a device, a FIFO or a symlink, and the journal of a vanished database.
    try:
        backup = store.create(location.path, records, replace=force)
    except FileExistsError:
        if force:
            raise Conflict("init.appeared", "init.appeared.hint", path=str(location.path)) from None
        raise Conflict("init.exists", "init.exists.hint", path=str(location.path)) from None
    if backup is not None:
        output.line(output.say("init.kept", path=str(backup)))
    output.line(output.say("init.created", path=str(location.path), count=len(records)))


def where(ctx: typer.Context, lang: LangOption = None) -> None:
    """Print the database path in use."""
    output.line(state(ctx).location().display)


@with_output(file=True)
def check(ctx: typer.Context, options: OutputOptions = OutputOptions()) -> None:
    """Check the file (integrity_check, foreign keys) and the history's invariants; exit 6 on any problem.

    Each project's stage and stage_since must equal the `to` and date of its
    last stage event not undone; every event must belong to a project, every
    project have its created event, every amount be a whole number of 万元.
    """
    conn = state(ctx).connect()
    path = state(ctx).location().path
    violations = store.check_database(conn, path)
    if options.format is None and options.file is None:
        if not violations:
            projects, events = store.table_counts(conn)
            output.line(output.say("check.ok", projects=projects, events=events))
        for violation in violations:
            output.line(output.say("check.violation", check=violation.check, message=violation.message))
    else:
        fmt, style = options.formatting()
        records = [
            {"check": v.check, "project_id": v.project_id, "event_id": v.event_id, "message": v.message}
            for v in violations
        ]
        output.write_table(options.file, records, CHECK_COLUMNS, fmt, style, "sheet.check", database=path)
    if violations:
        count = len(violations)
        raise DatabaseUnusable(
            "check.fails.one" if count == 1 else "check.fails", "check.fails.hint", path=str(path), count=count
        )


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(where)
    app.command()(check)
