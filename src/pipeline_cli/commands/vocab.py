"""stages and sectors: the vocabularies."""

from __future__ import annotations

import re
from typing import Annotated, Any, Optional

import typer

from .. import model, output, store
from ..context import state
from ..errors import Message, UsageError
from ..formats import SECTOR_COLUMNS, STAGE_COLUMNS, refuse_before_a_change, write_object
from ..model import resolve_sector, resolve_stage
from ..options import OutputOptions, complete_sector, with_output
from ..tallies import check_thresholds
from ..texts import clean_text, shown

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
        "plan_yellow_days": row["plan_yellow_days"],
        "plan_red_days": row["plan_red_days"],
    }


@stages_app.callback()
@with_output(file=True)
def stages(ctx: typer.Context, options: OutputOptions = OutputOptions()) -> None:
    """The ladder of stages, in order, with their warning-light thresholds in days.

    `pipeline stages set STAGE --yellow N --red N` changes a stage's thresholds.
    """
    if ctx.invoked_subcommand is not None:
        return
    records = [_stage_record(row) for row in store.stages(state(ctx).connect())]
    fmt, style = options.formatting()
    database = state(ctx).location().path
    output.write_table(options.file, records, STAGE_COLUMNS, fmt, style, "sheet.stages", database=database)


@stages_app.command("set")
@with_output(header=False)
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
    plan_yellow: Annotated[
        Optional[int],
        typer.Option(
            "--plan-yellow", metavar="N", help="Yellow light from N days past a planned date.", show_default=False
        ),
    ] = None,
    plan_red: Annotated[
        Optional[int],
        typer.Option("--plan-red", metavar="N", help="Red light from N days past a planned date.", show_default=False),
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Change a stage's warning-light thresholds (yellow before red, in days).

    --yellow/--red: days in the stage; --plan-yellow/--plan-red: days past
    the date planned for reaching it (defaults 1 and 90, after 银川's and
    邯郸's rules). Thresholds are configuration, not project history: no
    event is recorded. The last stage has no stage lights, the first no
    plan lights.
    """
    refuse_before_a_change(options.formatting()[0])
    slug = resolve_stage(stage)
    if yellow is None and red is None and plan_yellow is None and plan_red is None:
        raise UsageError("stages.plan_nothing", "stages.plan_nothing.hint", stage=slug)
    conn = state(ctx).connect()
    with store.transaction(conn, state(ctx).location().path):
        row, last = store.stage_thresholds(conn, slug)
        old = (row["yellow_days"], row["red_days"])
        new = (yellow if yellow is not None else old[0], red if red is not None else old[1])
        if yellow is not None or red is not None:
            check_thresholds(slug, new[0], new[1], last=last)
        plan_old = (row["plan_yellow_days"], row["plan_red_days"])
        plan_new = (
            plan_yellow if plan_yellow is not None else plan_old[0],
            plan_red if plan_red is not None else plan_old[1],
        )
        if plan_yellow is not None or plan_red is not None:
            check_thresholds(slug, plan_new[0], plan_new[1], last=bool(row["first"]), plan=True)
        if new != old:
            store.set_stage_thresholds(conn, slug, new[0], new[1])
        if plan_new != plan_old:
            from ..store.aggregates import set_plan_thresholds

            set_plan_thresholds(conn, slug, plan_new[0], plan_new[1])
    named = {"slug": slug, "name": row["name_zh"]}
    if new == old and plan_new == plan_old:
        line = output.say("stages.unchanged", **named, yellow=old[0], red=old[1])
    else:
        parts = []
        if new != old:
            parts.append(
                Message("stages.changed", {"yellow": old[0], "to_yellow": new[0], "red": old[1], "to_red": new[1]})
            )
        if plan_new != plan_old:
            days = {"yellow": plan_old[0], "to_yellow": plan_new[0], "red": plan_old[1], "to_red": plan_new[1]}
            parts.append(Message("stages.plan_changed", days))
        line = output.say("stages.set", **named, changes=Message("change.list", {"items": parts}))
        state(ctx).saved.append(line)
    fmt, style = options.formatting()
    if fmt in ("json", "jsonl"):
        record = {
            **_stage_record(row),
            "yellow_days": new[0],
            "red_days": new[1],
            "plan_yellow_days": plan_new[0],
            "plan_red_days": plan_new[1],
        }
        write_object(output.stdout(), record, STAGE_COLUMNS, fmt, style)
    else:
        output.line(line)


# `sectors` lists the bureau's sectors; `sectors add|edit|remove` change them.
sectors_app = typer.Typer(invoke_without_command=True, no_args_is_help=False)

_SLUG = re.compile(r"[a-z][a-z0-9-]*")


@sectors_app.callback()
@with_output(file=True)
def sectors(ctx: typer.Context, options: OutputOptions = OutputOptions()) -> None:
    """The industrial sectors (产业领域), in their order.

    They are the database's own: `pipeline sectors add`, `edit` and `remove`
    change them.
    """
    if ctx.invoked_subcommand is not None:
        return
    records = [dict(row) for row in store.sectors(state(ctx).connect())]
    fmt, style = options.formatting()
    database = state(ctx).location().path
    output.write_table(options.file, records, SECTOR_COLUMNS, fmt, style, "sheet.sectors", database=database)


def _zh(value: str) -> str:
    text = clean_text(value, "--zh")
    if not text:
        raise UsageError("sectors.zh_empty", "sectors.zh_empty.hint")
    return text


def _sector_written(ctx: typer.Context, record: dict[str, Any], line: str, options: OutputOptions) -> None:
    model.use_sectors(state(ctx).sectors)  # read again: they changed
    line = shown(line)
    state(ctx).saved.append(line)
    fmt, style = options.formatting()
    if fmt in ("json", "jsonl"):
        write_object(output.stdout(), record, SECTOR_COLUMNS, fmt, style)
    else:
        output.line(line)


SectorArgument = Annotated[
    str,
    typer.Argument(
        metavar="SLUG",
        help="Sector slug, Chinese name or a prefix of either.",
        show_default=False,
        autocompletion=complete_sector,
    ),
]


@sectors_app.command("add")
@with_output(header=False)
def add_sector(
    ctx: typer.Context,
    slug: Annotated[
        str,
        typer.Argument(
            metavar="SLUG", help="Lowercase ASCII letters, digits and -, starting with a letter.", show_default=False
        ),
    ],
    zh: Annotated[str, typer.Option("--zh", metavar="NAME", help="Chinese name (中文名称).", show_default=False)],
    en: Annotated[str, typer.Option("--en", metavar="NAME", help="English name.", show_default=False)] = "",
    options: OutputOptions = OutputOptions(),
) -> None:
    """Add a sector, last in the order (e.g. pipeline sectors add new-materials --zh 新材料)."""
    refuse_before_a_change(options.formatting()[0])
    if not _SLUG.fullmatch(slug):
        raise UsageError("sectors.bad_slug", "sectors.bad_slug.hint", slug=slug)
    name_zh, name_en = _zh(zh), clean_text(en, "--en") or ""
    conn = state(ctx).connect()
    with store.transaction(conn, state(ctx).location().path):
        record = store.add_sector(conn, slug, name_zh, name_en)
    line = output.say("sectors.added", slug=slug, name=name_zh, position=record["position"])
    _sector_written(ctx, record, line, options)


@sectors_app.command("edit")
@with_output(header=False)
def edit_sector(
    ctx: typer.Context,
    slug: SectorArgument,
    zh: Annotated[Optional[str], typer.Option("--zh", metavar="NAME", help="New Chinese name.")] = None,
    en: Annotated[Optional[str], typer.Option("--en", metavar="NAME", help="New English name.")] = None,
    position: Annotated[
        Optional[int],
        typer.Option("--position", metavar="N", help="New place in the order (1 = first).", show_default=False),
    ] = None,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Rename a sector or move it in the order; its projects keep it."""
    refuse_before_a_change(options.formatting()[0])
    sector = resolve_sector(slug)
    if zh is None and en is None and position is None:
        raise UsageError("edit.nothing", "sectors.edit_nothing.hint", sector=sector)
    name_zh = _zh(zh) if zh is not None else None
    conn = state(ctx).connect()
    with store.transaction(conn, state(ctx).location().path):
        old, new = store.edit_sector(
            conn,
            sector,
            name_zh=name_zh,
            name_en=(clean_text(en, "--en") or "") if en is not None else None,
            position=position,
        )
    changes = [
        Message(
            f"sectors.field.{key}", {"old": old[key] or Message("value.none"), "new": new[key] or Message("value.none")}
        )
        for key in ("name_zh", "name_en", "position")
        if old[key] != new[key]
    ]
    if changes:
        line = output.say("sectors.edited", sector=sector, changes=Message("change.list", {"items": changes}))
    else:
        line = output.say("sectors.unchanged", sector=sector)
    _sector_written(ctx, new, line, options)


@sectors_app.command("remove")
@with_output(header=False)
def remove_sector(
    ctx: typer.Context,
    slug: SectorArgument,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Remove a sector that no project has (dropped ones and undone additions count too)."""
    refuse_before_a_change(options.formatting()[0])
    sector = resolve_sector(slug)
    conn = state(ctx).connect()
    with store.transaction(conn, state(ctx).location().path):
        old = store.remove_sector(conn, sector)
    _sector_written(ctx, old, output.say("sectors.removed", slug=sector, name=old["name_zh"]), options)


def register(app: typer.Typer) -> None:
    app.add_typer(stages_app, name="stages")
    app.add_typer(sectors_app, name="sectors")
