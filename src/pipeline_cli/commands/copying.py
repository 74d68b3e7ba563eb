"""copy: a whole pipeline database, history included, between SQLite files and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .. import files, output, store
from ..options import LangOption


def copy(
    source: Annotated[
        str, typer.Argument(metavar="SOURCE", help="The database to copy: a file or a postgresql:// URL.")
    ],
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="A file that does not exist yet, or a postgresql:// URL of a database without pipeline tables.",
        ),
    ],
    lang: LangOption = None,
) -> None:
    """Copy a whole pipeline database, history included as it was, ids kept, between SQLite and PostgreSQL.

    Either way round: file to server (a desk's file becomes the bureau's
    shared database), server to file, or file to file. The target must be a
    new file or a database without pipeline tables (exit 4). The copy is
    checked (`check`, and every table's rows against the source's) before
    it is kept.
    """
    # A postgresql:// URL is a database on a server; any other URL is no file (as a Path its // would fold).
    files.refuse_url(source, "SOURCE", None)
    files.refuse_url(target, "TARGET", None)
    named = source.strip()
    conn = store.open_url(named) if store.is_url(named) else store.open_existing(Path(source).expanduser())
    try:
        copied = store.copy_database(conn, target)
    finally:
        conn.close()
    output.line(
        output.say(
            "copy.done",
            projects=copied.projects,
            events=copied.events,
            source=store.display_name(source),
            target=store.display_name(target),
        )
    )


def register(app: typer.Typer) -> None:
    app.command()(copy)
