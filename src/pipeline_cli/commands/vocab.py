"""stages and sectors: the vocabularies."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from .. import output, store
from ..errors import UsageError
from ..formats import SECTOR_COLUMNS, STAGE_COLUMNS, write_object, write_records
from ..model import resolve_stage
from ..options import FormatOption, LangOption, NoHeaderOption
from ..reports import check_thresholds

# `stages` lists the ladder; `stages set` changes a stage's thresholds.
stages_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)


def _stage_record(row: Any) -> dict[str, Any]:
    return {
        "stage": row["stage"],
        "name_zh": row["name_zh"],
        "name_en": row["name_en"],
        "position": row["position"],
        "yellow_days": row["yellow_days"],
        "red_days": row["red_days"],
    }


@stages_app.callback()
def stages(
    ctx: typer.Context, format: FormatOption = None, no_header: NoHeaderOption = False, lang: LangOption = None
) -> None:
    """The ladder of stages, in order, with their warning-light thresholds in days.

    `pipeline stages set STAGE --yellow N --red N` changes a stage's thresholds.
    """
    if ctx.invoked_subcommand is not None:
        return
    records = [_stage_record(row) for row in store.stages(ctx.obj.connect())]
    fmt, style = output.formatting(format, lang=lang, no_header=no_header)
    write_records(output.stdout(), records, STAGE_COLUMNS, fmt, style)


@stages_app.command("set")
def set_thresholds(
    ctx: typer.Context,
    stage: Annotated[str, typer.Argument(metavar="STAGE", help="Stage slug, Chinese name or slug prefix.")],
    yellow: Annotated[
        Optional[int],
        typer.Option("--yellow", metavar="N", help="Yellow light after N days in the stage.", show_default=False),
    ] = None,
    red: Annotated[
        Optional[int],
        typer.Option("--red", metavar="N", help="Red light after N days in the stage.", show_default=False),
    ] = None,
    format: FormatOption = None,
    lang: LangOption = None,
) -> None:
    """Change a stage's warning-light thresholds (yellow before red, in days).

    Thresholds are configuration, not project history: no event is
    recorded. The last stage has no lights.
    """
    slug = resolve_stage(stage)
    if yellow is None and red is None:
        raise UsageError(
            "nothing to set", f"give --yellow N and/or --red N, e.g. pipeline stages set {slug} --yellow 60 --red 90"
        )
    conn = ctx.obj.connect()
    with store.transaction(conn, ctx.obj.location().path):
        row, last = store.stage_thresholds(conn, slug)
        old = (row["yellow_days"], row["red_days"])
        new = (yellow if yellow is not None else old[0], red if red is not None else old[1])
        check_thresholds(slug, new[0], new[1], last=last)
        if new != old:
            store.set_stage_thresholds(conn, slug, new[0], new[1])
    label = f"{slug} {row['name_zh']}"
    if new == old:
        line = f"{label}: unchanged (yellow {old[0]} days, red {old[1]} days)"
    else:
        line = f"{label}: yellow {old[0]} → {new[0]} days, red {old[1]} → {new[1]} days"
        ctx.obj.saved.append(line)
    fmt, style = output.formatting(format, lang=lang)
    if fmt in ("json", "jsonl"):
        record = {**_stage_record(row), "yellow_days": new[0], "red_days": new[1]}
        write_object(output.stdout(), record, STAGE_COLUMNS, fmt, style)
    else:
        output.message(line)


def sectors(
    ctx: typer.Context, format: FormatOption = None, no_header: NoHeaderOption = False, lang: LangOption = None
) -> None:
    """The industrial sectors (产业领域)."""
    records = [dict(row) for row in store.sectors(ctx.obj.connect())]
    fmt, style = output.formatting(format, lang=lang, no_header=no_header)
    write_records(output.stdout(), records, SECTOR_COLUMNS, fmt, style)


def register(app: typer.Typer) -> None:
    app.add_typer(stages_app, name="stages")
    app.command()(sectors)
