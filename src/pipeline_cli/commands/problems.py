"""problem add, close, reopen, edit, list: the problem ledger (问题清单) of the dispatch meeting.

Each change to a problem is one transaction holding the change and its
event on the problem's project (store/problems.py), so `history`, `report`
and `undo` see it. Options are checked before the transaction; the checks
that depend on the data (closed already, dates, dropped projects) inside it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from typing import Annotated, Any, Optional, TextIO

import typer

from .. import output
from ..context import state
from ..errors import UsageError
from ..formats import Style, write_records
from ..formats.problems import PROBLEM_BRIEF_COLUMNS, PROBLEM_COLUMNS
from ..model import Filters, parse_date, today
from ..options import OutputOptions, ProjectIdArgument, group_lang, with_filters, with_output
from ..store import problems as ledger
from .changes import ByOption, DateOption, NoteOption, _text, occasion, who, write_change

problem_app = typer.Typer(
    no_args_is_help=True, callback=group_lang, help="The problem ledger (问题清单): open, close, reopen, edit, list."
)

ProblemIdArgument = Annotated[int, typer.Argument(metavar="N", help="The problem's id.", show_default=False, min=1)]
DueOption = Annotated[
    Optional[str],
    typer.Option("--due", metavar="YYYY-MM-DD", help="The deadline (办结时限) by which it should be solved."),
]
UnitOption = Annotated[
    Optional[str], typer.Option("--unit", metavar="U", help="The unit responsible for solving it (责任单位).")
]


def _due(value: str | None) -> dt.date | None:
    text = _text(value, "--due")
    return parse_date(text, "--due") if text is not None else None


def _problem_text(value: str) -> str:
    text = _text(value, "text")
    if not text:
        raise UsageError("problem.text_empty", "problem.text_empty.hint")
    return text


def _line(done: ledger.ProblemDone) -> str:
    params: dict[str, Any] = {
        "id": done.problem_id,
        "project_id": done.project_id,
        "name": done.project_name,
        "text": done.text,
    }
    if done.action == "edited":
        from ..sentences import changes

        params["changes"] = changes(done.changes)
    return output.say(f"problem.done.{done.action}", **params)


def _write(
    ctx: typer.Context,
    work: Callable[[sqlite3.Connection], ledger.ProblemDone | None],
    options: OutputOptions,
    *,
    nothing: str | None = None,
) -> None:
    """A change to a problem: one line, or with --format its project as `list` shows it.

    (A write command prints the projects it changed; `problem list` shows the problem itself.)
    """
    write_change(ctx, work, options, line=_line, nothing=nothing)


@problem_app.command("add")
@with_output(kind="write")
def add(
    ctx: typer.Context,
    project_id: ProjectIdArgument,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What blocks the project (问题/堵点).")],
    unit: UnitOption = None,
    due: DueOption = None,
    date: DateOption = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Open a problem on a project; prints the new problem's id."""
    what = _problem_text(text)
    deadline = _due(due)
    at = occasion(date, by)
    _write(
        ctx,
        lambda conn: ledger.add_problem(
            conn, project_id, what, unit=_text(unit, "--unit"), due=deadline, date=at.date, today=at.today, by=at.by
        ),
        options,
    )


def _transition_command(change: Callable[..., ledger.ProblemDone], doc: str) -> Callable[..., None]:
    """`problem close` or `problem reopen`: the same options, a different change (store/problems.py)."""

    @with_output(kind="write")
    def command(
        ctx: typer.Context,
        problem_id: ProblemIdArgument,
        note: NoteOption = None,
        date: DateOption = None,
        by: ByOption = None,
        options: OutputOptions = OutputOptions(),
    ) -> None:
        at = occasion(date, by)
        _write(
            ctx,
            lambda conn: change(conn, problem_id, note=_text(note), date=at.date, today=at.today, by=at.by),
            options,
        )

    command.__doc__ = doc
    return command


problem_app.command("close")(
    _transition_command(ledger.close_problem, "Close (销号) a problem that was solved; closing a closed one is exit 4.")
)
problem_app.command("reopen")(
    _transition_command(ledger.reopen_problem, "Reopen a closed problem; reopening an open one is exit 4.")
)


@problem_app.command("edit")
@with_output(kind="write")
def edit(
    ctx: typer.Context,
    problem_id: ProblemIdArgument,
    text: Annotated[Optional[str], typer.Option("--text", metavar="T", help="New text.")] = None,
    unit: Annotated[Optional[str], typer.Option("--unit", metavar="U", help='Responsible unit; "" clears it.')] = None,
    due: Annotated[
        Optional[str], typer.Option("--due", metavar="YYYY-MM-DD", help='New deadline; "" clears it.')
    ] = None,
    by: ByOption = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Change a problem's text, unit or deadline; recorded as a problem_edited event."""
    values: dict[str, Any] = {}
    if text is not None:
        values["text"] = _problem_text(text)
    if unit is not None:
        values["unit"] = _text(unit, "--unit")
    if due is not None:
        values["due"] = _due(due)
    if not values:
        raise UsageError("problem.edit_nothing", "problem.edit_nothing.hint")
    author = who(by)
    now = today()
    _write(
        ctx,
        lambda conn: ledger.edit_problem(conn, problem_id, values, date=now, by=author),
        options,
        nothing=output.say("problem.unchanged", id=problem_id),
    )


@problem_app.command("list")
@with_output(columns=tuple(column.key for column in PROBLEM_COLUMNS), file=True)
@with_filters
def list_(
    ctx: typer.Context,
    filters: Filters,
    open_: Annotated[bool, typer.Option("--open", help="Open problems only.")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Closed (销号) problems only.")] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Open problems past their deadline only.", rich_help_panel="Problems")
    ] = False,
    problem_unit: Annotated[
        Optional[list[str]],
        typer.Option(
            "--problem-unit",
            metavar="U",
            help="The problem's own unit, or the start of it (repeatable: any of them).",
            show_default=False,
        ),
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Problems, oldest first; the filters select their projects (active ones unless --all)."""
    if sum((open_, closed, overdue)) > 1:
        raise UsageError("problem.exclusive", "problem.exclusive.hint")
    fmt, style = options.formatting()
    conn: sqlite3.Connection = state(ctx).connect()
    rows = ledger.iter_problems(
        conn,
        today(),
        filters=filters,
        status="open" if open_ else "closed" if closed else None,
        overdue=overdue,
        units=tuple(u for u in (_text(u, "--problem-unit") for u in problem_unit or ()) if u),
    )
    records = (ledger.problem_record(row) for row in rows)

    def text(out: TextIO, records: Iterable[dict[str, Any]], fmt: str, style: Style) -> int:
        return write_records(
            out, records, PROBLEM_COLUMNS, fmt, style, brief=PROBLEM_BRIEF_COLUMNS, chosen=options.columns
        )

    def sheets(records: Iterable[dict[str, Any]], style: Style) -> list[Any]:
        from ..formats import pick_columns
        from ..formats.xlsx import Sheet

        shown = pick_columns(PROBLEM_COLUMNS, options.columns) if options.columns is not None else PROBLEM_COLUMNS
        return [Sheet(output.say("problem.title"), shown, records)]

    database = state(ctx).location().path
    output.write_result(options.file, fmt, style, records, text, sheets, database=database)


def register(app: typer.Typer) -> None:
    app.add_typer(problem_app, name="problem")
