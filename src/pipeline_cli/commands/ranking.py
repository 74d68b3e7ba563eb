"""rank: groups of projects ranked by 开工率 (比学赶超), the table leaders read first."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import output
from ..context import state
from ..formats.ranking import rank_sheets, write_rank
from ..model import Filters, today
from ..options import OutputOptions, completer, with_filters, with_output
from ..ranking import RANK_FIELDS, rank, resolve_rank_by
from ..store.ranking import rank_rows


@with_output(file=True)
@with_filters
def rank_(
    ctx: typer.Context,
    filters: Filters,
    by: Annotated[
        Optional[str],
        typer.Option(
            "--by",
            metavar="FIELD",
            help="Group by " + ", ".join(RANK_FIELDS) + " (default: district).",
            show_default=False,
            autocompletion=completer(lambda: RANK_FIELDS),
        ),
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Groups ranked by start rate (开工率 = started / signed), then more signed, then fewer overdue.

    Active projects only (the filters narrow them); equal keys share a rank
    and the next rank skips (1, 1, 3); groups with nothing signed come last.
    """
    field = resolve_rank_by(by)
    fmt, style = options.formatting()
    ranking = rank(field, rank_rows(state(ctx).connect(), field, filters, today()))
    database = state(ctx).location().path
    output.write_result(options.file, fmt, style, ranking, write_rank, rank_sheets, database=database)


def register(app: typer.Typer) -> None:
    app.command("rank")(rank_)
