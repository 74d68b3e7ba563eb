"""summary, funnel, lights, report: the pipeline at a glance and the weekly dispatch report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Annotated, Any, Optional

import typer

from .. import output, store, tallies
from ..context import state
from ..errors import LightsFound
from ..fields import FIELD_NAMES, LIGHTS_BRIEF
from ..formats.summaries import (
    funnel_sheets,
    report_sheets,
    summary_sheets,
    write_funnel,
    write_report,
    write_summary,
)
from ..model import Filters, parse_date, today
from ..options import OutputOptions, completer, with_filters, with_output


@with_output(file=True)
@with_filters
def summary(
    ctx: typer.Context,
    filters: Filters,
    by: Annotated[
        Optional[list[str]],
        typer.Option(
            "--by",
            metavar="FIELD",
            help="Group by " + ", ".join(tallies.SUMMARY_FIELDS) + "; twice for a cross-table.",
            show_default=False,
            autocompletion=completer(lambda: tallies.SUMMARY_FIELDS),
        ),
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Count and total investment, per group; no --by gives the grand total.

    Groups come in ladder and sector order. --by status counts dropped
    projects too, unless --status is given.
    """
    fields = tallies.resolve_by(by or [])
    if "status" in fields and filters.status is None:
        filters = filters.replace(include_dropped=True)
    fmt, style = options.formatting()
    rows = store.summary_rows(state(ctx).connect(), fields, filters, today())
    result = tallies.summarize(fields, rows)
    database = state(ctx).location().path
    output.write_result(options.file, fmt, style, result, write_summary, summary_sheets, database=database)


@with_output(file=True)
@with_filters
def funnel(
    ctx: typer.Context,
    filters: Filters,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Per stage: projects at it or past it, their investment, conversion from the stage before."""
    fmt, style = options.formatting()
    result = _funnel(state(ctx).connect(), filters)
    database = state(ctx).location().path
    output.write_result(options.file, fmt, style, result, write_funnel, funnel_sheets, database=database)


def _funnel(conn: Any, filters: Filters) -> tallies.Funnel:
    ladder = [row["stage"] for row in store.stages(conn)]
    at_stage = {
        row["v0"]: tallies.Total(row["count"], row["wan"] or 0)
        for row in store.summary_rows(conn, ("stage",), filters, today())
    }
    return tallies.funnel(ladder, at_stage)


@with_output(columns=FIELD_NAMES, file=True)
@with_filters
def lights(
    ctx: typer.Context,
    filters: Filters,
    only: Annotated[
        Optional[str],
        typer.Option(
            "--only",
            metavar="yellow|red",
            help="Only lights at this level or worse: yellow shows yellow and red, red only red.",
            show_default=False,
        ),
    ] = None,
    fail_on: Annotated[
        Optional[str],
        typer.Option(
            "--fail-on",
            metavar="yellow|red",
            help="After printing, exit 9 if any light shown is at this level or worse (for cron).",
            show_default=False,
        ),
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Active projects below the last stage with their warning light, reddest and longest-waiting first.

    A light is yellow or red once a project's days in its stage reach the
    stage's yellow_days or red_days (`pipeline stages`; change them with
    `pipeline stages set`).
    """
    at_least = tallies.resolve_level(only, "--only") if only is not None else None
    level = tallies.resolve_level(fail_on, "--fail-on") if fail_on is not None else None
    fmt, style = options.formatting()
    rows = store.iter_lights(state(ctx).connect(), filters, today(), at_least=at_least)
    counted = [0]
    if level is not None:
        rows = _counting(rows, level, FIELD_NAMES.index("light"), counted)
    database = state(ctx).location().path
    output.write_listing(
        options.file, rows, fmt, style, ("Lights", "亮灯"), LIGHTS_BRIEF, options.columns, database=database
    )
    if level is not None and counted[0]:
        output.stdout().flush()
        key = f"lights.found.{level}" + (".one" if counted[0] == 1 else "")
        raise LightsFound(key, "lights.found.hint", count=counted[0], level=level)


@with_output(columns=FIELD_NAMES, file=True)
@with_filters
def due(
    ctx: typer.Context,
    filters: Filters,
    within: Annotated[
        int,
        typer.Option(
            "--within", metavar="DAYS", min=0, max=36_500, help="Milestones planned up to DAYS days from today."
        ),
    ] = 30,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Active projects whose next planned milestone is overdue or due within DAYS days, oldest date first.

    --overdue shows only the overdue ones. `pipeline plan` sets the dates.
    """
    from ..fields import DUE_BRIEF

    fmt, style = options.formatting()
    rows = store.iter_due(state(ctx).connect(), filters, today(), within)
    database = state(ctx).location().path
    output.write_listing(
        options.file, rows, fmt, style, ("Due", "计划节点"), DUE_BRIEF, options.columns, database=database
    )


def _counting(rows: Iterator[Any], level: str, light: int, counted: list[int]) -> Iterator[Any]:
    """Pass rows through, counting those with a light at `level` or worse.

    Rows come reddest first, so they are a leading run: counting stops at
    the first one below the level.
    """
    for row in rows:
        if not tallies.at_or_above(row[light], level):
            yield row
            yield from rows
            return
        counted[0] += 1
        yield row


@with_output(kind="report", file=True)
@with_filters
def report(
    ctx: typer.Context,
    filters: Filters,
    week: Annotated[bool, typer.Option("--week", help="The 7 days ending today (default).")] = False,
    month: Annotated[bool, typer.Option("--month", help="The calendar month so far.")] = False,
    since: Annotated[
        Optional[str], typer.Option("--since", metavar="YYYY-MM-DD", help="First day of the period (with --until).")
    ] = None,
    until: Annotated[
        Optional[str], typer.Option("--until", metavar="YYYY-MM-DD", help="Last day of the period (with --since).")
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """The dispatch report (周调度) for a period: totals, moves, new, dropped, restored, lights, plans, problems, ranks.

    Filters choose projects by what they are today (dropped ones included
    unless --status says otherwise). A change that was later undone is left
    out, as if never made. Plans overdue at the period's end and those due
    in the 30 days after it are counted from its last day, as `due` would
    have shown them then.
    """
    now = today()
    period = tallies.period(
        now,
        week=week,
        month=month,
        since=parse_date(since, "--since") if since is not None else None,
        until=parse_date(until, "--until") if until is not None else None,
    )
    fmt, style = options.formatting(report=True)
    counted = fmt not in ("json", "jsonl", "csv", "tsv")
    if filters.status is None:
        filters = filters.replace(include_dropped=True)
    conn = state(ctx).connect()
    conn_path = state(ctx).location().path
    tally = {
        (row["v0"], row["v1"]): tallies.Total(row["count"], row["wan"] or 0)
        for row in store.summary_rows(conn, ("stage", "sector"), filters, now, active_only=True)
    }
    result = tallies.dispatch_report(
        period,
        ladder=[row["stage"] for row in store.stages(conn)],
        sectors=[row["sector"] for row in store.sectors(conn)],
        now=tally,
        events=store.iter_report_events(conn, filters, now, period.since),
        entries=lambda kind: store.iter_report_entries(conn, filters, now, period.since, period.until, kind),
        lights=store.iter_lights(conn, filters, now, at_least="yellow"),
        # The data formats carry no counts (a section's title does): not counted for them.
        light_counts=store.light_counts(conn, filters, now) if counted else {},
    )
    from ..ranking import rank
    from ..store.problems import report_problems
    from ..store.ranking import rank_rows

    active = filters.replace(include_dropped=False) if filters.status is None else filters
    end = period.until
    problems, problem_counts = report_problems(conn, filters, period.since, end, counted=counted)
    result = replace(
        result,
        problems=problems,
        problem_counts=problem_counts,
        ranking=rank("district", rank_rows(conn, "district", active, end)),
        due=store.iter_due(conn, filters, end, tallies.DUE_DAYS, overdue=False),
        overdue=store.iter_due(conn, filters, end, None, overdue=True),
        plan_counts={
            "due": store.due_count(conn, filters, end, tallies.DUE_DAYS, overdue=False),
            "overdue": store.due_count(conn, filters, end, None, overdue=True),
        }
        if counted
        else {},
    )
    output.write_result(options.file, fmt, style, result, write_report, report_sheets, database=conn_path)


def register(app: typer.Typer) -> None:
    app.command()(summary)
    app.command()(funnel)
    app.command()(lights)
    app.command()(due)
    app.command()(report)
