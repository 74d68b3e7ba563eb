"""list and show: looking at projects."""

from __future__ import annotations

from typing import Annotated, Any, Optional, TextIO

import typer

from .. import output, store
from ..context import state
from ..errors import UsageError
from ..fields import FIELD_NAMES, FIELDS, LIST_BRIEF
from ..formats import (
    EVENT_BRIEF_COLUMNS,
    EVENT_COLUMNS,
    PROJECT_COLUMNS,
    Style,
    project_record,
    write_object,
    write_projects,
    write_records,
)
from ..model import Filters, event_from_row, no_project, today
from ..options import OutputOptions, ProjectIdArgument, completer, with_filters, with_output

SORT_FIELDS = tuple(store.SORT_EXPRESSIONS)


def _sort_field(value: str) -> str:
    text = value.strip().lower().replace("-", "_")
    if text == "days":
        return "days_in_stage"
    if text in SORT_FIELDS:
        return text
    matches = [field for field in SORT_FIELDS if field.startswith(text)]
    if len(matches) == 1:
        return matches[0]
    raise UsageError("list.bad_sort", "list.bad_sort.hint", value=value, fields=list(SORT_FIELDS))


@with_output(columns=FIELD_NAMES, file=True)
@with_filters
def list_(
    ctx: typer.Context,
    filters: Filters,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            metavar="FIELD",
            help="Order by this field: " + ", ".join(SORT_FIELDS) + ".",
            autocompletion=completer(lambda: SORT_FIELDS),
        ),
    ] = "id",
    reverse: Annotated[bool, typer.Option("--reverse", help="Reverse the order.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", min=0, metavar="N", help="At most N projects.")] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """List projects; dropped ones only with --all or --status dropped."""
    field = _sort_field(sort)
    fmt, style = options.formatting()
    rows = store.iter_projects(state(ctx).connect(), filters, today(), sort=field, reverse=reverse, limit=limit)
    database = state(ctx).location().path
    output.write_listing(
        options.file, rows, fmt, style, ("Projects", "项目"), LIST_BRIEF, options.columns, database=database
    )


@with_output(file=True)
def show(ctx: typer.Context, project_id: ProjectIdArgument, options: OutputOptions = OutputOptions()) -> None:
    """Show one project with its full history."""
    fmt, style = options.formatting()
    conn = state(ctx).connect()
    row = store.get_project(conn, project_id, today())
    if row is None:
        raise no_project(project_id, undone=store.add_undone(conn, project_id))
    project = project_record(row, FIELDS)
    history = [event_from_row(event) for event in store.iter_events(conn, project_id=project_id)]
    from ..store import problems as ledger

    problems = [ledger.problem_record(row) for row in ledger.iter_problems(conn, today(), project_id=project_id)]
    from ..store.plans import project_plans

    plans = project_plans(conn, project_id)

    def text(out: TextIO, row: Any, fmt: str, style: Style) -> None:
        if fmt in ("json", "jsonl"):
            record = {**project, "history": history, "plans": plans, "problems": problems}
            write_object(out, record, PROJECT_COLUMNS, fmt, style)
        elif fmt in ("table", "markdown"):
            write_object(out, project, PROJECT_COLUMNS, fmt, style)
            out.write("\n")
            from ..i18n import text as catalogue
            from ..sentences import readable_events

            readable = readable_events(history, style.lang)
            title = catalogue("sheet.history", style.lang)
            write_records(out, readable, EVENT_COLUMNS, fmt, style, brief=EVENT_BRIEF_COLUMNS, title=title)
            if plans:
                from ..formats import PLAN_COLUMNS

                out.write("\n")
                write_records(out, plans, PLAN_COLUMNS, fmt, style, title=output.say("plan.title"))
            if problems:
                from ..formats.problems import PROBLEM_BRIEF_COLUMNS, PROBLEM_COLUMNS

                out.write("\n")
                write_records(
                    out,
                    problems,
                    PROBLEM_COLUMNS,
                    fmt,
                    style,
                    brief=PROBLEM_BRIEF_COLUMNS,
                    title=output.say("problem.title"),
                )
        else:
            write_projects(out, [row], FIELDS, fmt, style)

    def sheets(row: Any, style: Style) -> list[Any]:
        """The json's four parts, one sheet each: the project, its history, its plans and its problems."""
        from ..formats import PLAN_COLUMNS
        from ..formats.problems import PROBLEM_COLUMNS
        from ..formats.xlsx import Sheet, project_sheet
        from ..i18n import text as catalogue

        lang = style.lang
        return [
            project_sheet(catalogue("sheet.project", "en"), catalogue("sheet.project", "zh"), [row], FIELDS, style),
            Sheet(catalogue("sheet.history", lang), EVENT_COLUMNS, history),
            Sheet(catalogue("plan.title", lang), PLAN_COLUMNS, plans),
            Sheet(catalogue("problem.title", lang), PROBLEM_COLUMNS, problems),
        ]

    output.write_result(options.file, fmt, style, row, text, sheets, database=state(ctx).location().path)


def register(app: typer.Typer) -> None:
    app.command("list")(list_)
    app.command()(show)
