"""stages and sectors: the vocabularies."""

from __future__ import annotations

from typing import Any

import typer

from .. import output, store
from ..formats import SECTOR_COLUMNS, STAGE_COLUMNS, write_records
from ..options import FormatOption, LangOption, NoHeaderOption


def stages(
    ctx: typer.Context, format: FormatOption = None, no_header: NoHeaderOption = False, lang: LangOption = None
) -> None:
    """The ladder of stages, in order, with their warning-light thresholds in days."""
    records: list[dict[str, Any]] = [
        {
            "stage": row["stage"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "position": row["position"],
            "yellow_days": row["yellow_days"],
            "red_days": row["red_days"],
        }
        for row in store.stages(ctx.obj.connect())
    ]
    fmt, style = output.formatting(format, lang=lang, no_header=no_header)
    write_records(output.stdout(), records, STAGE_COLUMNS, fmt, style)


def sectors(
    ctx: typer.Context, format: FormatOption = None, no_header: NoHeaderOption = False, lang: LangOption = None
) -> None:
    """The industrial sectors (产业领域)."""
    records = [dict(row) for row in store.sectors(ctx.obj.connect())]
    fmt, style = output.formatting(format, lang=lang, no_header=no_header)
    write_records(output.stdout(), records, SECTOR_COLUMNS, fmt, style)


def register(app: typer.Typer) -> None:
    app.command()(stages)
    app.command()(sectors)
