"""import, export, backup: data in and out."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Optional, TextIO, cast

import typer

from .. import output, store
from ..context import state
from ..errors import UsageError
from ..importing.describe import describe, name_warnings
from ..importing.file_text import decode, format_from_name
from ..importing.plan import BadRows, Plan, ids_in, plan_import
from ..importing.rows import ParsedFile, parse
from ..importing.workbook import parse_workbook
from ..options import LangOption
from .changes import who


class DataFormat(StrEnum):
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    xlsx = "xlsx"


def _chosen_format(fmt: DataFormat | None, path: Path | None) -> str | None:
    if fmt is not None:
        return fmt.value
    return format_from_name(path.name) if path is not None else None


# --- export ----------------------------------------------------------------------


def export(
    ctx: typer.Context,
    output_file: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (replaced as a whole, only once complete) instead of stdout.",
            dir_okay=False,
        ),
    ] = None,
    format: Annotated[
        Optional[DataFormat],
        typer.Option(
            "--format",
            "-f",
            help="csv, json, jsonl or xlsx (default: from the -o file's extension, else csv).",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Start with a UTF-8 byte-order mark, so Excel shows Chinese text.")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Write every project with every stored field, in a form `import` takes back unchanged.

    CSV cells that a spreadsheet would run as a formula (starting with = + - @,
    tab or carriage return) get a leading ' (OWASP's CSV-injection advice);
    import removes it again.
    """
    from .. import i18n
    from ..formats import write_export

    fmt = _chosen_format(format, output_file) or "csv"
    # Chinese headers and labels only when asked for on the command line:
    # a script's export never changes with $PIPELINE_LANG or the settings.
    language = i18n.command_line_lang()
    conn = state(ctx).connect()
    rows = store.iter_export_rows(conn)
    if fmt == "xlsx":
        from ..fields import STORED_FIELDS
        from ..formats import Style
        from ..formats.xlsx import project_sheet

        sheet = project_sheet("projects", "projects", rows, STORED_FIELDS, Style())
        output.write_workbook(output_file, [sheet], Style(), database=state(ctx).location().path)
        return
    if output_file is None:
        write_export(output.stdout(), rows, fmt, bom=bom, lang=language)
        return
    # Written under a temporary name, never over the database in use.
    with output.atomic_file(output_file, binary=False, database=state(ctx).location().path) as file:
        count = write_export(cast(TextIO, file), rows, fmt, bom=bom, lang=language)
    output.notice(f"exported {count} project{'s' if count != 1 else ''} to {output_file}")


# --- backup ----------------------------------------------------------------------


def backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The new file; must not exist yet.", dir_okay=False)],
) -> None:
    """Copy the live database to PATH, consistently, even while others write.

    Refuses an existing PATH (exit 4) and leaves it untouched. The copy is
    checked before it is put in place.
    """
    conn = state(ctx).connect()
    count = store.backup(conn, path)
    output.line(f"backed up {count} project{'s' if count != 1 else ''} to {path}")


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
    app.command()(export)
    app.command()(backup)


# --- import ----------------------------------------------------------------------


def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="CSV, JSON, JSON Lines or .xlsx file; - reads stdin.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the file and say what would change; write nothing.")
    ] = False,
    encoding: Annotated[
        Optional[str],
        typer.Option(
            "--encoding",
            "-e",
            metavar="E",
            help="The file's text encoding, e.g. gb18030 or gbk for Chinese Excel and WPS (default: utf-8).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        Optional[DataFormat],
        typer.Option(
            "--format",
            "-f",
            help="csv, json, jsonl or xlsx (default: from the file's extension).",
            show_default=False,
            case_sensitive=False,
        ),
    ] = None,
    sheet: Annotated[
        Optional[str],
        typer.Option(
            "--sheet",
            metavar="NAME",
            help="The sheet of an .xlsx workbook to read (default: the first).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add and update projects from a CSV, JSON, JSON Lines or Excel (.xlsx) file.

    A row whose id exists updates that project (columns the file lacks keep
    their values); a row with a new id adds it under that id; a row without
    id adds it with a fresh one. The columns are those `export` writes; any
    other is refused (the computed days_in_stage and light are ignored). The
    whole file is checked first: any bad row (listed with its number, the CSV
    header being row 1; a workbook's rows as the spreadsheet numbers them)
    means exit 5 and nothing written. Every change is
    recorded as events of one change, so `undo` takes back a whole import.
    """
    from ..model import today

    path = None if file == "-" else Path(file)
    fmt = _chosen_format(format, path) or ("csv" if path is None else None)
    if fmt is None:
        raise UsageError(f"cannot tell the format of {file} from its name", "add --format csv, json, jsonl or xlsx")
    if sheet is not None and fmt != "xlsx":
        raise UsageError("--sheet is for .xlsx workbooks", f"{file} is read as {fmt}; leave out --sheet")
    name = "stdin" if path is None else path.name
    data = _read_bytes(path)
    if fmt == "xlsx":
        parsed = parse_workbook(data, name, sheet)
    else:
        text = decode(data, encoding, name)
        parsed = parse(text, fmt, name)
    conn = state(ctx).connect()
    day = today()
    if dry_run:
        plan = _plan(conn, parsed, name, day)
        for item in plan.changes:
            output.line(describe(item, item.record.id))
        output.line(_summary(plan, dry_run=True))
        return
    # Checked and written in one transaction: nobody can change a project
    # between the check and the write.
    with store.transaction(conn, state(ctx).location().path):
        plan = _plan(conn, parsed, name, day)
        if plan.changes:
            with output.progress(len(plan.changes), "writing") as advance:
                assigned = store.apply_import(conn, plan, by=who(None), note=f"import {name}", progress=advance)
    if not plan.changes:
        output.line(f"nothing to import: all {len(plan.rows)} rows match the database")
        return
    summary = _summary(plan, dry_run=False)
    state(ctx).saved.append(summary)
    for item, project_id in zip(plan.changes, assigned, strict=True):
        output.line(describe(item, project_id))
    output.line(summary)


# More than a screenful of the same warning hides the point.
_WARNINGS_SHOWN = 20


def _plan(conn: sqlite3.Connection, parsed: ParsedFile, name: str, day: dt.date) -> Plan:
    existing = store.projects_by_id(conn, ids_in(parsed))
    last_event = store.last_event_dates(conn, list(existing))
    with output.progress(len(parsed.rows), "checking") as advance:
        try:
            plan = plan_import(parsed, existing, last_event, day, progress=advance)
        except BadRows as error:
            raise error.named(name) from None
    added = [item.record.name for item in plan.rows if item.before is None]
    if added:
        warnings = name_warnings(plan, store.ids_by_name(conn, added), parsed.unit)
        for warning in warnings[:_WARNINGS_SHOWN]:
            output.notice(f"warning: {name}: {warning}")
        if len(warnings) > _WARNINGS_SHOWN:
            output.notice(
                f"warning: {name}: and {len(warnings) - _WARNINGS_SHOWN} more rows adding a name already taken"
            )
        if warnings:
            output.notice("hint: a row without an id always adds a project; give it the id to update that one instead")
    return plan


def _read_bytes(path: Path | None) -> bytes:
    if path is None:
        return sys.stdin.buffer.read()
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no file {path}", "check the name and folder") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder", "name a CSV, JSON or JSON Lines file") from None
    except PermissionError:
        raise UsageError(f"cannot read {path}: permission denied", "check the file's permissions") from None


def _summary(plan: Plan, *, dry_run: bool) -> str:
    counts = ", ".join(f"{plan.count(action)} {action}" for action in ("added", "updated", "moved", "unchanged"))
    if dry_run:
        return f"dry run: {counts}; nothing was written"
    return f"imported: {counts}"
