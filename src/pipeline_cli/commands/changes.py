"""add, edit, advance, move, drop, restore, undo, history: changing projects, on record.

Every write is one `store.transaction` (BEGIN IMMEDIATE ... COMMIT) holding
the change and its events. Options are checked before the transaction; the
checks that depend on the data (--from, dates, dropped, last rung) run inside
it, so a concurrent command cannot slip between the check and the write.
What was saved goes into the state's `saved` before it is printed, so a failing
stdout still reports the saved change on stderr.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Optional, Protocol, TypeVar

import typer

from .. import output, sentences, store
from ..context import state
from ..errors import Conflict, UsageError
from ..fields import FIELDS, LIST_BRIEF
from ..formats import EVENT_BRIEF_COLUMNS, EVENT_COLUMNS, refuse_before_a_change, write_projects
from ..model import (
    MAX_INTEGER,
    STAGES,
    ProjectRecord,
    check_date,
    event_from_row,
    no_project,
    parse_date,
    parse_investment,
    resolve_sector,
    resolve_stage,
    today,
)
from ..options import (
    OutputOptions,
    ProjectIdArgument,
    complete_project_id,
    complete_sector,
    complete_stage,
    with_output,
)
from ..texts import clean_text

_STAGE_LIST = ", ".join(stage.slug for stage in STAGES)

DateOption = Annotated[
    Optional[str],
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help="The day it happened: not in the future, not before the project's last event (default: today).",
        show_default=False,
    ),
]
ByOption = Annotated[
    Optional[str],
    typer.Option(
        "--by",
        metavar="WHO",
        help="Who made the change (default: $PIPELINE_USER, else the login name).",
        show_default=False,
    ),
]
NoteOption = Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="A note on the event.")]
FromOption = Annotated[
    Optional[str],
    typer.Option(
        "--from",
        metavar="STAGE",
        autocompletion=complete_stage,
        help="Only if the project is at this stage now; otherwise exit 4 and nothing changes.",
        show_default=False,
    ),
]

# Write commands print one line per change unless a format is asked for:
# @with_output(kind="write").


# --- shared ------------------------------------------------------------------


def who(option: str | None) -> str:
    """--by, else $PIPELINE_USER, else the settings' user, else the login name, else 'unknown'."""
    # Who is text like any other: the one text rule (texts.clean_text), whichever way it came.
    if option is not None:
        text = clean_text(option, "--by")
        if not text:
            raise UsageError("change.by_empty", "change.by_empty.hint")
        return text
    from_env = clean_text(os.environ.get("PIPELINE_USER", ""), "PIPELINE_USER")
    if from_env:
        return from_env
    from ..settings import get

    configured = clean_text(get("user"), "user")
    if configured:
        return configured
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no login name on this system (e.g. a uid without a passwd entry)
        return "unknown"


def _date(option: str | None, now: dt.date) -> dt.date:
    """--date parsed (malformed: exit 2; in the future: exit 4), else today."""
    if option is None:
        return now
    when = parse_date(option, "--date")
    check_date(when, now)
    return when


def _text(value: str | None, field: str = "note") -> str | None:
    """An optional text field as texts.clean_text stores it (the rule of every way in); empty means none."""
    from ..texts import clean_text

    return clean_text(value, field)


def _name(value: str) -> str:
    text = _text(value, "name")
    if not text:
        raise UsageError("change.name_empty", "change.name_empty.hint")
    return text


def _investment(value: str | None) -> int | None:
    """--investment in 亿元 as 万元; empty means unknown."""
    text = _text(value, "investment")
    return parse_investment(text) if text is not None else None


def _stage(value: str | None) -> str | None:
    return resolve_stage(value) if value is not None else None


@dataclass(frozen=True)
class Occasion:
    """When a change is made and by whom: --date (checked against today), today, and --by."""

    date: dt.date
    today: dt.date
    by: str


def occasion(date: str | None, by: str | None) -> Occasion:
    """--date and --by of a write command, checked before its transaction."""
    now = today()
    return Occasion(_date(date, now), now, who(by))


class Changed(Protocol):
    """What a write returns for each thing it changed: at least the project it changed."""

    @property
    def project_id(self) -> int: ...


C = TypeVar("C", bound=Changed)


def write_change(
    ctx: typer.Context,
    work: Callable[[sqlite3.Connection], C | list[C] | None],
    options: OutputOptions,
    *,
    line: Callable[[C], str],
    nothing: str | None = None,
) -> None:
    """Run `work` in one transaction, then say what it did.

    `work` returns what it changed (one, a list, or None for nothing). One
    line each (`line`), or with --format the changed projects as `list`
    shows them, read inside the transaction. When nothing changed, `nothing`
    goes to stderr. The lines go into the state's `saved` before they are
    printed.
    """
    formatting = options.formatting() if options.format is not None else None
    refuse_before_a_change(formatting[0] if formatting is not None else None)
    conn = state(ctx).connect()
    now = today()
    with store.transaction(conn, state(ctx).location().path):
        result = work(conn)
        done: list[C] = [] if result is None else result if isinstance(result, list) else [result]
        ids = dict.fromkeys(d.project_id for d in done) if formatting is not None else {}
        rows = [store.get_project(conn, project_id, now) for project_id in ids]
    lines = [line(d) for d in done]
    state(ctx).saved.extend(lines)
    if not done and nothing:
        output.notice(nothing)
    if formatting is None:
        for text in lines:
            output.line(text)
    else:
        shown = [row for row in rows if row is not None]  # None: its add was just undone
        write_projects(output.stdout(), shown, FIELDS, *formatting, brief=LIST_BRIEF)


def _write(
    ctx: typer.Context,
    work: Callable[[sqlite3.Connection], store.Done | list[store.Done] | None],
    options: OutputOptions,
    *,
    nothing: str | None = None,
) -> None:
    """A change to projects, each said as sentences.done says it."""
    write_change(ctx, work, options, line=lambda d: output.say("frame.line", line=sentences.done(d)), nothing=nothing)


# --- commands ----------------------------------------------------------------


@with_output(kind="write")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The project's name.", show_default=False)],
    sector: Annotated[
        str,
        typer.Option(
            "--sector",
            help="Sector slug, Chinese name or slug prefix.",
            show_default=False,
            autocompletion=complete_sector,
        ),
    ],
    investment: Annotated[
        Optional[str], typer.Option("--investment", metavar="N", help="Planned investment in 亿元 (up to 4 decimals).")
    ] = None,
    stage: Annotated[
        Optional[str],
        typer.Option(
            "--stage", help="Starting stage (default: negotiating).", show_default=False, autocompletion=complete_stage
        ),
    ] = None,
    key: Annotated[bool, typer.Option("--key", help="A key project (重点项目).")] = False,
    district: Annotated[Optional[str], typer.Option("--district", help="District (区市).")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help="Responsible unit (责任单位).")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="Lead official (包联领导).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="A note on the project.")] = None,
    date: DateOption = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Add a project (at negotiating unless --stage); prints its new id."""
    now = today()
    record = ProjectRecord(
        name=_name(name),
        sector=resolve_sector(sector),
        stage=_stage(stage) or "negotiating",
        investment_wan=_investment(investment),
        key=key,
        district=_text(district, "district"),
        unit=_text(unit, "unit"),
        lead=_text(lead, "lead"),
        note=_text(note),
        source="user",
        stage_since=_date(date, now).isoformat(),
    )
    author = who(by)
    _write(ctx, lambda conn: store.add_project(conn, record, by=author), options)


@with_output(kind="write")
def edit(
    ctx: typer.Context,
    project_id: ProjectIdArgument,
    name: Annotated[Optional[str], typer.Option("--name", help="New name.")] = None,
    sector: Annotated[
        Optional[str], typer.Option("--sector", help="New sector.", autocompletion=complete_sector)
    ] = None,
    investment: Annotated[
        Optional[str],
        typer.Option("--investment", metavar="N", help='Planned investment in 亿元; "" makes it unknown.'),
    ] = None,
    key: Annotated[
        Optional[bool], typer.Option("--key/--no-key", help="Mark or unmark as a key project.", show_default=False)
    ] = None,
    district: Annotated[Optional[str], typer.Option("--district", help='District; "" clears it.')] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", help='Responsible unit; "" clears it.')] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help='Lead official; "" clears it.')] = None,
    note: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help='Note; "" clears it.')] = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Change a project's fields; recorded as an `edited` event with old and new values."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = _name(name)
    if sector is not None:
        values["sector"] = resolve_sector(sector)
    if investment is not None:
        values["investment"] = _investment(investment)
    if key is not None:
        values["key"] = key
    for field_name, value in (("district", district), ("unit", unit), ("lead", lead), ("note", note)):
        if value is not None:
            values[field_name] = _text(value, field_name)
    if not values:
        raise UsageError("edit.nothing", "edit.nothing.hint")
    author = who(by)
    now = today()
    _write(
        ctx,
        lambda conn: store.edit_project(conn, project_id, values, date=now, by=author),
        options,
        nothing=output.say("edit.same", id=project_id),
    )


@with_output(kind="write")
def advance(
    ctx: typer.Context,
    project_ids: Annotated[
        list[int],
        typer.Argument(
            metavar="ID...",
            help="Projects to move one stage up, together.",
            show_default=False,
            max=MAX_INTEGER,
            autocompletion=complete_project_id,
        ),
    ],
    from_: FromOption = None,
    note: NoteOption = None,
    date: DateOption = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Move each project one stage up; several ids move together or not at all."""
    repeated = sorted({i for i in project_ids if project_ids.count(i) > 1})
    if repeated:
        raise UsageError("advance.repeated", "advance.repeated.hint", ids=repeated)
    from_stage = _stage(from_)
    at = occasion(date, by)
    _write(
        ctx,
        lambda conn: store.advance_projects(
            conn, project_ids, from_stage=from_stage, date=at.date, today=at.today, by=at.by, note=_text(note)
        ),
        options,
    )


@with_output(kind="write")
def move(
    ctx: typer.Context,
    project_id: ProjectIdArgument,
    stage: Annotated[
        str,
        typer.Argument(
            metavar="STAGE",
            help=f"The stage to put it at: {_STAGE_LIST}.",
            show_default=False,
            autocompletion=complete_stage,
        ),
    ],
    from_: FromOption = None,
    note: NoteOption = None,
    date: DateOption = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Set a project's stage, forwards or backwards; to its current stage it does nothing and says so."""
    target = resolve_stage(stage)
    from_stage = _stage(from_)
    at = occasion(date, by)
    _write(
        ctx,
        lambda conn: store.move_project(
            conn, project_id, target, from_stage=from_stage, date=at.date, today=at.today, by=at.by, note=_text(note)
        ),
        options,
        nothing=output.say("move.same", id=project_id, stage=target),
    )


@with_output(kind="write")
def drop(
    ctx: typer.Context,
    project_id: ProjectIdArgument,
    reason: Annotated[
        str,
        typer.Option(
            "--reason", metavar="TEXT", help="Why it fell out of the pipeline (退单/悔单).", show_default=False
        ),
    ],
    date: DateOption = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Take a project out of the pipeline, with a reason; its stage is kept."""
    why = _text(reason)
    if why is None:
        raise UsageError("drop.reason_empty", "drop.reason_empty.hint")
    at = occasion(date, by)
    _write(
        ctx,
        lambda conn: store.drop_project(conn, project_id, reason=why, date=at.date, today=at.today, by=at.by),
        options,
    )


@with_output(kind="write")
def restore(
    ctx: typer.Context,
    project_id: ProjectIdArgument,
    note: NoteOption = None,
    date: DateOption = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Bring a dropped project back into the pipeline, at the stage it had."""
    at = occasion(date, by)
    _write(
        ctx,
        lambda conn: store.restore_project(conn, project_id, date=at.date, today=at.today, by=at.by, note=_text(note)),
        options,
    )


@with_output(kind="write")
def plan(
    ctx: typer.Context,
    project_id: ProjectIdArgument,
    stage: Annotated[
        str,
        typer.Argument(
            metavar="STAGE",
            help=f"The stage planned (计划签约/开工/竣工/投产…), above the current one: {_STAGE_LIST}.",
            show_default=False,
            autocompletion=complete_stage,
        ),
    ],
    date: Annotated[
        Optional[str],
        typer.Argument(metavar="[DATE]", help="YYYY-MM-DD, past or future.", show_default=False),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the plan for STAGE.")] = False,
    note: NoteOption = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Set (or --clear) the date by which a project is planned to reach STAGE; recorded as a `planned` event."""
    target = resolve_stage(stage)
    if clear and date is not None:
        raise UsageError("plan.date_and_clear", "plan.no_date.hint")
    if not clear and date is None:
        raise UsageError("plan.no_date", "plan.no_date.hint")
    when = parse_date(date, "DATE") if date is not None else None
    now = today()
    author = who(by)
    from ..store.plans import plan_project

    _write(
        ctx,
        lambda conn: plan_project(conn, project_id, target, when, today=now, by=author, note=_text(note)),
        options,
        nothing=output.say("plan.unchanged", id=project_id, stage=target),
    )


@with_output(kind="write")
def undo(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask; undo at once.")] = False,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Revert the most recent change not yet undone; repeated, it walks further back.

    The reverting is itself recorded, as `undo` events. Undoing an add is
    not a drop: the project leaves every list and count, as if never added;
    `history ID` still shows its events and its id is never reused.
    """
    author = who(by)
    conn = state(ctx).connect()
    # Looked up again inside the transaction: with --yes that is the change
    # undone; after a question, it must still be the one shown.
    target = store.undo_target(conn)
    if target is None:
        raise Conflict("undo.nothing", "undo.nothing.hint")
    if not yes:
        if not output.is_terminal(sys.stdin):
            raise UsageError("undo.no_terminal", "undo.no_terminal.hint", change=target)
        output.notice(output.say("undo.preview", change=target))
        for event in store.change_events(conn, target):
            what = sentences.event(
                event["kind"],
                event["from"],
                event["to"],
                event["note"],
                event_from_row(event)["changes"],
                plan=(event["plan_from"], event["plan_to"]),
            )
            output.notice(
                output.say(
                    "undo.preview.line",
                    id=event["project_id"],
                    name=event["project_name"],
                    what=what,
                    date=event["date"],
                    by=event["by"],
                )
            )
        if not output.confirm(output.say("undo.ask")):
            output.notice(output.say("undo.declined"))
            return
    now = today()

    def work(conn: sqlite3.Connection) -> list[store.Done]:
        current = store.undo_target(conn)
        if current is None:
            raise Conflict("undo.nothing", "undo.nothing.meanwhile")
        if current != target and not yes:
            raise Conflict("undo.moved_on", "undo.moved_on.hint", current=current, target=target)
        return store.undo_change(conn, current, date=now, by=author)

    _write(ctx, work, options)


@with_output(file=True)
def history(
    ctx: typer.Context,
    project_id: Annotated[
        Optional[int],
        typer.Argument(
            metavar="[ID]", help="Only this project's events.", show_default=False, autocompletion=complete_project_id
        ),
    ] = None,
    since: Annotated[
        Optional[str], typer.Option("--since", metavar="YYYY-MM-DD", help="Events on or after this day.")
    ] = None,
    until: Annotated[
        Optional[str], typer.Option("--until", metavar="YYYY-MM-DD", help="Events on or before this day.")
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Events, oldest first: every change ever made, including undos."""
    start = parse_date(since, "--since") if since is not None else None
    end = parse_date(until, "--until") if until is not None else None
    if start is not None and end is not None and start > end:
        raise UsageError("history.since_after_until", "history.since_after_until.hint", since=start, until=end)
    fmt, style = options.formatting()
    conn = state(ctx).connect()
    if project_id is not None and store.project_state(conn, project_id) is None:
        raise no_project(project_id)
    rows = store.iter_events(conn, project_id=project_id, since=start, until=end)
    records = (event_from_row(row) for row in rows)
    output.write_table(
        options.file,
        sentences.readable_events(records, style.lang) if fmt in ("table", "markdown") else records,
        EVENT_COLUMNS,
        fmt,
        style,
        "sheet.history",
        brief=EVENT_BRIEF_COLUMNS,
        database=state(ctx).location().path,
    )


def register(app: typer.Typer) -> None:
    app.command()(add)
    app.command()(edit)
    app.command()(advance)
    app.command()(move)
    app.command()(drop)
    app.command()(restore)
    app.command()(plan)
    app.command()(undo)
    app.command()(history)
