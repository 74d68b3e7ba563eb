"""access grant, revoke, list: which database roles may read, and which districts' projects each may change.

PostgreSQL only: the server enforces it with its privileges and row-level
security (store/access.py says what is put there). On an SQLite file the
file's permissions are the only control, and these commands say so (exit 2).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .. import output
from ..context import state
from ..errors import UsageError
from ..formats import ACCESS_COLUMNS
from ..options import OutputOptions, group_lang, with_output
from ..texts import clean_text

access_app = typer.Typer(
    no_args_is_help=True,
    callback=group_lang,
    help="Who may change what on a PostgreSQL server: district writers and readers, enforced by the server.",
)

RoleArgument = Annotated[
    str, typer.Argument(metavar="ROLE", help="An existing role of the database server.", show_default=False)
]


def _server(ctx: typer.Context) -> Any:
    """The open database on a server (an SQLite file: exit 2, its permissions are its only control)."""
    from ..store import access

    if state(ctx).location().url is None:
        raise access.not_on_sqlite()
    return state(ctx).connect()


def _role(value: str) -> str:
    name = value.strip()
    if not name or "\x00" in name:
        raise UsageError("access.bad_role", "access.no_role.hint", role=value)
    return name


def _granted_line(record: dict[str, Any]) -> str:
    if record["read_only"]:
        return output.say("access.granted_read", role=record["role"])
    return output.say("access.granted", role=record["role"], districts=record["districts"])


@access_app.command("grant")
@with_output(kind="write", format=False, header=False)
def grant(
    ctx: typer.Context,
    role: RoleArgument,
    district: Annotated[
        list[str],
        typer.Option(
            "--district",
            metavar="D",
            help="A district (区市) whose projects the role may change; repeat for more.",
            show_default=False,
        ),
    ] = [],  # noqa: B006 (Typer reads the default; it is never changed)
    read_only: Annotated[
        bool, typer.Option("--read-only", help="The role may read every project and change none.")
    ] = False,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Let an existing role read every project, and change only the projects of its districts (or none).

    The server enforces it (row-level security): the role can add projects
    to its districts and change, move, drop, restore, plan, undo and open or
    close problems of their projects, never move one to another district,
    and never change stages, sectors or another district's projects, whether
    through pipeline or psql. Granting again replaces what the role had. Only
    the tables' owner (who ran `pipeline init`) may grant.
    """
    from .. import store
    from ..store import access

    name = _role(role)
    districts = [clean_text(d, "--district") or "" for d in district]
    if any(not d for d in districts):
        raise UsageError("access.empty_district", "access.empty_district.hint")
    if read_only and districts:
        raise UsageError("access.both", "access.both.hint", role=name)
    if not read_only and not districts:
        raise UsageError("access.nothing", "access.nothing.hint", role=name)
    conn = _server(ctx)
    with store.transaction(conn, state(ctx).location().path):
        record = access.grant(conn, name, districts, read_only=read_only).record()
    line = _granted_line(record)
    state(ctx).saved.append(line)
    output.line(line)


@access_app.command("revoke")
@with_output(kind="write", format=False, header=False)
def revoke(ctx: typer.Context, role: RoleArgument, options: OutputOptions = OutputOptions()) -> None:
    """Take away a role's access: it can no longer read or change the pipeline tables.

    Every privilege the owner gave it on them goes, by `access grant` or by
    hand. A role that had none: said so, exit 0.
    """
    from .. import store
    from ..store import access

    name = _role(role)
    conn = _server(ctx)
    with store.transaction(conn, state(ctx).location().path):
        had = access.revoke(conn, name)
    if had is None:
        output.notice(output.say("access.revoked_nothing", role=name))
    line = output.say("access.revoked", role=name)
    state(ctx).saved.append(line)
    output.line(line)


@access_app.command("list")
@with_output(file=True)
def list_access(ctx: typer.Context, options: OutputOptions = OutputOptions()) -> None:
    """The roles given access, by name: the districts each may change, or read-only.

    The tables' owner (and any superuser) may change everything and is not listed.
    """
    from ..store import access

    records = [item.record() for item in access.list_access(_server(ctx))]
    fmt, style = options.formatting()
    database = state(ctx).location().path
    output.write_table(options.file, records, ACCESS_COLUMNS, fmt, style, "sheet.access", database=database)


def register(app: typer.Typer) -> None:
    app.add_typer(access_app, name="access")
