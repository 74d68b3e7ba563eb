"""web: the database in Datasette, with Chinese titles, saved queries and the view counted from PIPELINE_TODAY."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Annotated

import typer

from .. import output
from ..context import state
from ..errors import UsageError
from ..options import LangOption


def web(
    ctx: typer.Context,
    port: Annotated[int, typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on.")] = 8001,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (0.0.0.0: the whole network).")
    ] = "127.0.0.1",
    metadata_only: Annotated[
        bool, typer.Option("--metadata", help="Print the Datasette metadata as JSON instead of starting it.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Browse the database in Datasette, read-only, ready for a leader: Chinese titles, saved queries.

    Needs Datasette (the package's web extra). The same by hand: save
    `pipeline web --metadata` to a file and run `datasette serve --immutable DB --metadata FILE`.
    """
    from ..web import metadata

    if state(ctx).location().url is not None:
        # Datasette serves SQLite files: a server's database is shown through a copy.
        raise UsageError("web.needs_file", "web.needs_file.hint")
    conn = state(ctx).connect()  # checked and migrated: the view is the current one
    del conn
    path = state(ctx).location().path
    body = metadata(path.stem)
    if metadata_only:
        output.stdout().write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        return
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise UsageError("web.no_datasette", "web.no_datasette.hint") from None
    with tempfile.TemporaryDirectory() as folder:
        meta = os.path.join(folder, "metadata.json")
        with open(meta, "w", encoding="utf-8") as file:
            json.dump(body, file, ensure_ascii=False)
        command = [sys.executable, "-m", "datasette", "serve", "--immutable", str(path), "--metadata", meta]
        command += ["--host", host, "--port", str(port), "--setting", "default_facet_size", "10"]
        output.notice(output.say("web.serving", url=f"http://{host}:{port}/"))
        try:
            completed = subprocess.run(command, check=False)
        except KeyboardInterrupt:
            return
    if completed.returncode not in (0, -2, 130):
        raise UsageError("web.stopped", "web.stopped.hint", code=completed.returncode)


def register(app: typer.Typer) -> None:
    app.command()(web)
