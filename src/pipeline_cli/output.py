"""stdout and stderr: data out, messages out, the one door out on failure.

Data goes to stdout through `formats`; notices, messages and errors go to
stderr as plain lines. On an error stdout stays empty.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TextIO, TypeVar

from .errors import Message, PipelineError
from .formats import Style

T = TypeVar("T")
R = TypeVar("R")


def stdout() -> TextIO:
    return sys.stdout


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# The dispatch report is written for the meeting's minutes: markdown, on a
# terminal or not. The one place that decides it.
REPORT_FORMAT = "markdown"


def default_format(*, report: bool = False) -> str:
    """table on a terminal, tsv in a pipe, as gh does; the dispatch report REPORT_FORMAT."""
    if report:
        return REPORT_FORMAT
    return "table" if is_terminal(sys.stdout) else "tsv"


def resolve_lang(lang: str | None) -> str:
    """A command's --lang if given, else the invocation's language (i18n.resolve)."""
    from . import i18n

    return i18n.checked(lang) if lang is not None else i18n.resolve()


def style(*, lang: str | None, header: bool = True) -> Style:
    # Colour only on a terminal and never with NO_COLOR set (any value).
    color = is_terminal(sys.stdout) and "NO_COLOR" not in os.environ
    return Style(lang=resolve_lang(lang), color=color, header=header)


def notice(text: str) -> None:
    """A one-line notice on stderr (first-run database creation and the like)."""
    sys.stderr.write(f"{text}\n")


def line(text: str) -> None:
    """One line of a command's output on stdout: what a write command did, a path, a setting's value.

    Data, as the contract has it; notices and errors go to stderr (notice, error)."""
    sys.stdout.write(f"{text}\n")


def confirm(question: str) -> bool:
    """Ask a yes/no question on stderr and read the answer from stdin (default no).

    Not click's confirm: it writes part of its prompt to stdout, which must
    carry only data.
    """
    sys.stderr.write(f"{question} [y/N]: ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def say(key: str, /, **params: Any) -> str:
    """The catalogue's message `key` in the invocation's language."""
    from .i18n import text

    return text(key, None, **params)


def render(message: Message) -> str:
    """A catalogue Message in the invocation's language."""
    from .i18n import current, render

    return render(message, current())


def error(err: PipelineError) -> None:
    """The message and hint of a refusal, on stderr, in the invocation's language."""
    from .i18n import current, render

    lang = current()
    sys.stderr.write(render(Message("frame.error", {"text": err.msg}), lang) + "\n")
    hint = err.hint_msg
    if hint is not None:
        sys.stderr.write(render(Message("frame.hint", {"text": hint}), lang) + "\n")


def internal_error(exc: BaseException) -> None:
    error(PipelineError("frame.internal", "frame.internal.hint", kind=type(exc).__name__, detail=str(exc)))


def silence_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def formatting(
    fmt: object | None, *, lang: object | None, no_header: bool = False, report: bool = False
) -> tuple[str, Style]:
    """The format and style a command prints in, from its options.

    `fmt` and `lang` are the commands' option values (str enums or None).
    """
    chosen = str(getattr(fmt, "value", fmt)) if fmt is not None else default_format(report=report)
    lang_text = str(getattr(lang, "value", lang)) if lang is not None else None
    return chosen, style(lang=lang_text, header=not no_header)


# Work smaller than this is done in well under a second: no bar.
PROGRESS_THRESHOLD = 5000
# An import file smaller than this (about 5,000 rows) neither.
PROGRESS_BYTES = 64 * 1024


@contextlib.contextmanager
def progress(total: int, description: str, *, in_bytes: bool = False) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long work, only on a terminal; yields `advance(n)`.

    Nothing is drawn (and rich is not imported) when stderr is not a terminal
    or the work is small, so pipes, logs and tests never see it. `in_bytes`:
    the work is a file read, counted in bytes (shown as kB, MB).
    """
    if total < (PROGRESS_BYTES if in_bytes else PROGRESS_THRESHOLD) or not is_terminal(sys.stderr):
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = Console(file=sys.stderr, no_color="NO_COLOR" in os.environ)
    count = DownloadColumn() if in_bytes else MofNCompleteColumn()
    columns = (TextColumn("{task.description}"), BarColumn(), count, TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)


# --- files a command writes (-o FILE) ---------------------------------------------


@contextlib.contextmanager
def atomic_file(path: Path, *, binary: bool, database: Path | None = None) -> Iterator[TextIO | BinaryIO]:
    """A file written under a temporary name beside `path`, renamed over it only once complete.

    Never over an SQLite file (the database in use or any other, or one's
    journal): exit 2. A symlink is written through, to the file it points at;
    a FIFO, a device or a path under /dev or /proc is written into directly
    (`-o /dev/stdout`). The temporary name is files.temporary_name's, and
    temporary files a killed run left beside `path` are removed first.
    """
    from . import files
    from .errors import CannotWrite, os_reason

    files.refuse_sqlite(path, database)
    shown = str(path)
    try:
        if files.streams_to(path):
            stream: TextIO | BinaryIO
            with path.open("wb") if binary else path.open("w", encoding="utf-8", newline="") as stream:
                yield stream
            return
        target = files.real_target(path)
        if target.is_dir():
            raise CannotWrite("file.write_folder", "file.write_folder.hint", path=shown)
        files.clean_stale(target)
        temporary = files.temporary_name(target)
    except OSError as error:
        raise CannotWrite("file.cannot_write", "file.cannot_write.hint", path=shown, reason=os_reason(error)) from None
    try:
        file: TextIO | BinaryIO
        with temporary.open("xb") if binary else temporary.open("x", encoding="utf-8", newline="") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except OSError as error:
        raise CannotWrite("file.cannot_write", "file.cannot_write.hint", path=shown, reason=os_reason(error)) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


@contextlib.contextmanager
def data_target(path: Path | None, *, database: Path | None = None) -> Iterator[TextIO]:
    """Where a command's text output goes: -o FILE (replaced whole, once complete) or stdout."""
    if path is None:
        yield stdout()
        return
    with atomic_file(path, binary=False, database=database) as file:
        yield file  # type: ignore[misc]


@contextlib.contextmanager
def binary_target(path: Path | None, what: str, *, database: Path | None = None) -> Iterator[BinaryIO]:
    """Where a binary file (a workbook) goes: -o FILE, else stdout when it is not a terminal.

    On a terminal without -o it is refused (exit 2): binary bytes there are
    only noise. Written to a temporary file first, so a failure leaves no
    half a file, and stdout gets all of it or nothing.
    """
    if path is not None:
        with atomic_file(path, binary=True, database=database) as file:
            yield file  # type: ignore[misc]
        return
    if is_terminal(sys.stdout):
        from .errors import UsageError

        raise UsageError("output.binary_terminal", "output.binary_terminal.hint", what=Message(what))
    import shutil
    import tempfile

    with tempfile.TemporaryFile() as spool:
        yield spool
        spool.seek(0)
        sys.stdout.flush()
        shutil.copyfileobj(spool, sys.stdout.buffer)
        sys.stdout.buffer.flush()


def write_workbook(path: Path | None, sheets: Iterable[Any], style: Style, *, database: Path | None = None) -> None:
    """Sheets (formats.xlsx.Sheet) as one workbook to -o FILE or stdout (see binary_target)."""
    try:
        import xlsxwriter  # noqa: F401
    except ImportError as error:  # pragma: no cover - a core dependency, missing only in a broken install
        from .errors import UsageError

        raise UsageError("output.no_xlsxwriter", "output.no_xlsxwriter.hint", reason=str(error)) from None
    from .formats.xlsx import write_workbook as write

    with binary_target(path, "output.what_workbook", database=database) as out:
        write(out, sheets, style)
    if path is not None:
        notice(say("output.wrote", path=str(path)))


def write_result(
    path: Path | None,
    fmt: str,
    style: Style,
    result: T,
    text: Callable[[TextIO, T, str, Style], R],
    sheets: Callable[[T, Style], Iterable[Any]],
    *,
    database: Path | None = None,
) -> R | None:
    """A command's result to -o FILE or stdout: xlsx as the workbook `sheets` makes, any other format by `text`.

    What `text` returns (how many rows it wrote), None for a workbook.
    """
    if fmt == "xlsx":
        write_workbook(path, sheets(result, style), style, database=database)
        return None
    with data_target(path, database=database) as out:
        return text(out, result, fmt, style)


def write_listing(
    path: Path | None,
    rows: Iterable[Sequence[Any]],
    fmt: str,
    style: Style,
    sheet: tuple[str, str],
    brief: Sequence[str],
    columns: Sequence[str] | None,
    database: Path | None = None,
) -> None:
    """Projects from the read path (tuples of fields.FIELDS), as list, lights and due print them.

    xlsx: one sheet titled `sheet` (in English, in Chinese); table and
    markdown show the `brief` fields unless --columns chose them.
    """
    from .fields import FIELDS
    from .formats import write_projects

    def text(out: TextIO, rows: Iterable[Sequence[Any]], fmt: str, style: Style) -> int:
        return write_projects(out, rows, FIELDS, fmt, style, brief=brief, columns=columns)

    def sheets(rows: Iterable[Sequence[Any]], style: Style) -> list[Any]:
        from .formats.xlsx import project_sheet

        return [project_sheet(*sheet, rows, FIELDS, style, columns)]

    write_result(path, fmt, style, rows, text, sheets, database=database)


def write_table(
    path: Path | None,
    records: Iterable[dict[str, Any]],
    columns: Sequence[Any],
    fmt: str,
    style: Style,
    sheet: str,
    *,
    brief: Sequence[Any] | None = None,
    database: Path | None = None,
) -> None:
    """Records (dicts of formats.Column keys) to -o FILE or stdout, as stages, sectors, history, check print them.

    xlsx: one sheet of the `columns`, titled by the catalogue's `sheet` in the
    style's language; table and markdown show the `brief` columns when given.
    """
    from .formats import write_records

    def text(out: TextIO, records: Iterable[dict[str, Any]], fmt: str, style: Style) -> int:
        return write_records(out, records, columns, fmt, style, brief=brief)

    def sheets(records: Iterable[dict[str, Any]], style: Style) -> list[Any]:
        from .formats.xlsx import Sheet
        from .i18n import text as catalogue

        return [Sheet(catalogue(sheet, style.lang), columns, records)]

    write_result(path, fmt, style, records, text, sheets, database=database)
