"""import, export, backup: data in and out."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Optional, TextIO

import typer

from .. import files, output, store
from ..context import state
from ..errors import Message, UsageError
from ..importing.describe import NameCheck, active_delta, describe, dry_run_line, totals
from ..importing.file_text import format_from_name
from ..importing.plan import ACTIONS, BadRows, Planner, ids_in
from ..importing.rows import ParsedFile, parse_lines
from ..importing.source import Source
from ..importing.workbook import parse_workbook
from ..options import LangOption, OutputOptions, OutputPath, format_option, with_output
from ..texts import shown as one_line


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


# Its --format has its own choices (what import reads back) and its --lang only
# counts from the command line: with_output gives it the --lang option alone.
@with_output(format=False, header=False)
def export(
    ctx: typer.Context,
    output_file: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (replaced as a whole, only once complete) instead of stdout.",
            click_type=OutputPath("export.url"),
        ),
    ] = None,
    format: Annotated[
        Optional[DataFormat],
        format_option("csv, json, jsonl or xlsx (default: from the -o file's extension, else csv)."),
    ] = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="Start with a UTF-8 byte-order mark, so Excel shows Chinese text.")
    ] = False,
    options: OutputOptions = OutputOptions(),
) -> None:
    """Write every project with every stored field, in a form `import` takes back unchanged.

    CSV cells that a spreadsheet would run as a formula (starting with = + - @,
    tab or carriage return) get a leading ' (OWASP's CSV-injection advice);
    import removes it again.
    """
    from .. import i18n
    from ..formats import Style, write_export

    fmt = _chosen_format(format, output_file) or "csv"
    # Chinese headers and labels only when asked for on the command line:
    # a script's export never changes with $PIPELINE_LANG or the settings.
    language = i18n.command_line_lang()
    conn = state(ctx).connect()
    rows = store.iter_export_rows(conn)

    def text(out: TextIO, projects: Iterator[tuple[object, ...]], fmt: str, style: Style) -> int:
        return write_export(out, projects, fmt, bom=bom, lang=language)

    def sheets(projects: Iterator[tuple[object, ...]], style: Style) -> list[object]:
        from ..fields import STORED_FIELDS
        from ..formats.xlsx import project_sheet

        return [project_sheet("projects", "projects", projects, STORED_FIELDS, style)]

    # A file is written under a temporary name, never over the database in use.
    count = output.write_result(output_file, fmt, Style(), rows, text, sheets, database=state(ctx).location().path)
    if count is not None and output_file is not None:
        done = "export.done.one" if count == 1 else "export.done"
        output.notice(output.say(done, count=count, path=str(output_file)))


# --- backup ----------------------------------------------------------------------


def backup(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="PATH", help="The new file; must not exist yet.")],
    lang: LangOption = None,
) -> None:
    """Copy the live database to PATH, consistently, even while others write.

    Refuses an existing PATH (exit 4) and leaves it untouched. The copy is
    checked before it is put in place.
    """
    # Taken as text: a URL read as a path would lose the // of postgresql:// and be a missing folder.
    files.refuse_url(path, "PATH", "backup.url")
    target = Path(path)
    conn = state(ctx).connect()
    count = store.backup(conn, target)
    output.line(output.say("backup.done.one" if count == 1 else "backup.done", count=count, path=str(target)))


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
        Optional[DataFormat], format_option("csv, json, jsonl or xlsx (default: from the file's extension).")
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
    lang: LangOption = None,
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
    import tempfile

    from ..model import today
    from .changes import who  # only import writes: export and backup never load the change commands

    # Taken as text: a URL is no file (as a Path, postgresql:// would fold into a folder postgresql:).
    files.refuse_url(file, "FILE", "import.url")
    path = None if file == "-" else Path(file)
    fmt = _chosen_format(format, path) or ("csv" if path is None else None)
    if fmt is None:
        raise UsageError("import.which_format", "import.which_format.hint", file=file)
    if sheet is not None and fmt != "xlsx":
        raise UsageError("import.sheet_not_xlsx", "import.sheet_not_xlsx.hint", file=file, format=fmt)
    source = Source(path)
    name = source.name
    # The file's header (its encoding, its columns) is checked before the database is opened.
    parsed = _read_rows(source, fmt, encoding, sheet)
    conn = state(ctx).connect()
    day = today()
    # What each changed row does, one line each (NUL-terminated: a name may hold a line break),
    # printed only once the whole file is known to be good.
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8", newline="") as lines:
        if dry_run:
            before = store.active_investment(conn)
            planner, names = _run_import(conn, source, parsed, day, lines, writer=None)
        else:
            # Checked and written in one transaction, batch by batch: nobody can
            # change a project between the check and the write, and a bad row
            # anywhere in the file rolls back every batch written before it.
            with store.transaction(conn, state(ctx).location().path):
                writer = store.ImportWriter(
                    conn,
                    by=who(None),
                    note=f"import {one_line(name)}",
                    floor=lambda: max(ids_in(_read_rows(source, fmt, encoding, sheet).rows), default=0),
                )
                planner, names = _run_import(conn, source, parsed, day, lines, writer=writer)
        _warn_names(names, name)
        if not dry_run and planner.rows == planner.counts["unchanged"]:
            output.line(output.say("import.nothing", count=planner.rows))
            return
        summary = output.render(_summary(planner.counts, dry_run=dry_run))
        if not dry_run:
            state(ctx).saved.append(summary)
        lines.seek(0)
        for line in _spooled_lines(lines):
            output.line(one_line(line))
        output.line(summary)
        if dry_run:
            output.line(output.render(totals(before, planner.delta_wan)))


# Rows checked (and written) at a time: small enough to keep memory flat, large
# enough that each batch's lookups and writes are a few statements.
_BATCH = 2000


def _read_rows(source: Source, fmt: str, encoding: str | None, sheet: str | None) -> ParsedFile:
    if fmt == "xlsx":
        return parse_workbook(source.open(), source.name, sheet)
    newline = "" if fmt == "csv" else "\n"
    return parse_lines(source.lines(source.codec(encoding), newline), fmt, source.name)


def _run_import(
    conn: sqlite3.Connection,
    source: Source,
    parsed: ParsedFile,
    day: dt.date,
    lines: IO[str],
    *,
    writer: store.ImportWriter | None,
) -> tuple[Planner, tuple[list[Message], int]]:
    """Read, check and (with a writer) write the file batch by batch, each change's line to `lines`.

    Returns the planner (its counts) and the warnings about names already taken (the first, and how many more).

    BadRows naming every bad row of the file; BadData for what only the whole file tells.
    """
    planner = Planner(day, parsed.unit)
    names = NameCheck(parsed.unit, _WARNINGS_SHOWN)
    rows = iter(parsed.rows)
    # A bar over the file's bytes; a workbook's rows come from a zip member, which it could not follow.
    total = 0 if parsed.workbook else source.size()
    read = 0
    with output.progress(total, "importing", in_bytes=True) as advance:
        while batch := list(itertools.islice(rows, _BATCH)):
            existing = store.projects_by_id(conn, ids_in(batch))
            last_event = store.last_event_dates(conn, list(existing))
            items = planner.plan(batch, existing, last_event)
            names.add(item for item in items if item.before is None)
            if not (planner.errors or parsed.errors):
                # Once a row is bad nothing more is written: the rest is read for its bad rows.
                changes = [item for item in items if item.action != "unchanged"]
                assigned = [item.record.id for item in changes] if writer is None else writer.write(changes)
                planner.delta_wan += sum(active_delta(item) for item in changes)
                for item, project_id in zip(changes, assigned, strict=True):
                    said = dry_run_line(item) if writer is None else describe(item, project_id)
                    lines.write(output.render(said) + "\0")
            position = source.position()
            advance(position - read)
            read = position
    parsed.finish()
    try:
        planner.check(parsed.errors)
    except BadRows as error:
        raise error.named(parsed.name) from None
    # One look at the stored names, once the file is known good (the import's own additions aside).
    stored = store.ids_by_name(conn, names.first, besides=writer.change if writer is not None else None)
    return planner, names.warnings(stored)


def _spooled_lines(file: IO[str]) -> Iterator[str]:
    rest = ""
    while block := file.read(1 << 16):
        *done, rest = (rest + block).split("\0")
        yield from done


# More than a screenful of the same warning hides the point.
_WARNINGS_SHOWN = 20


def _warn_names(warnings: tuple[list[Message], int], name: str) -> None:
    shown, more = warnings
    for warning in shown:
        output.notice(one_line(output.say("import.warning", name=name, text=warning)))
    if more:
        output.notice(output.say("import.warning", name=name, text=Message("import.more_taken", {"count": more})))
    if shown:
        output.notice(output.say("frame.hint", text=Message("import.name_taken.hint")))


def _summary(counts: dict[str, int], *, dry_run: bool) -> Message:
    return Message("import.dry_run" if dry_run else "import.imported", {action: counts[action] for action in ACTIONS})
