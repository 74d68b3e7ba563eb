"""Option types shared by commands, defined once: output options and filters."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Optional, TypeVar

import typer
from typer.models import TyperPath

from .frozen import Frozen
from .model import MAX_INTEGER, make_filters

if TYPE_CHECKING:
    from .formats import Style


class Format(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    markdown = "markdown"
    xlsx = "xlsx"
    html = "html"
    text = "text"


class OutputPath(TyperPath):
    """-o FILE as Click takes a path (not a folder), but never a URL.

    Read as a Path, `postgresql://host/db` would lose its // and name a file
    in a folder `postgresql:`; it is refused first (exit 2, files.refuse_url),
    a database on a server with the `server` message.
    """

    def __init__(self, server: str = "file.url") -> None:
        super().__init__(dir_okay=False, path_type=Path)
        self.server = server

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str):
            from . import files

            files.refuse_url(value, "-o", self.server)
        return super().convert(value, param, ctx)


OutputFileOption = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (replaced whole, once complete) instead of stdout; needed for xlsx on a terminal.",
        click_type=OutputPath(),
        show_default=False,
    ),
]
NoHeaderOption = Annotated[bool, typer.Option("--no-header", help="Leave out the header line of csv and tsv.")]


def choose_lang(value: Optional[str]) -> Optional[str]:
    """--lang, before or after the command: the language of every message of this invocation.

    Eager, so that a usage error in the command's other options is already
    in that language. $PIPELINE_LANG and the settings file are read by
    i18n.resolve, not by Click, so there is one place that decides.
    """
    if value is not None:
        from . import i18n

        i18n.choose(value)
        i18n.resolve()  # a bad value: exit 2 now
    return value


def choose_root_lang(value: Optional[str]) -> Optional[str]:
    """--lang before the command: as choose_lang, checked by the root callback (where a refusal is rendered)."""
    if value is not None:
        from . import i18n

        i18n.choose(value)
    return value


def _lang_option(callback: Callable[[Optional[str]], Optional[str]]) -> Any:
    return typer.Option(
        "--lang",
        metavar="en|zh",
        help="Language of labels and messages: en or zh (default: $PIPELINE_LANG, else config lang, else en).",
        show_default=False,
        is_eager=True,
        callback=callback,
    )


LangOption = Annotated[Optional[str], _lang_option(choose_lang)]
RootLangOption = Annotated[Optional[str], _lang_option(choose_root_lang)]


def group_lang(lang: LangOption = None) -> None:
    """The callback of a group of commands (problem, config, access): --lang between the group and its command.

    `pipeline problem --lang zh list` as `pipeline --lang zh problem list`
    and `pipeline problem list --lang zh`: the contract's "before the
    command or after it" holds wherever a person puts it. The group does
    nothing else; its help stays the one given to typer.Typer.
    """


# --- shell completion --------------------------------------------------------
# Values offered by `pipeline --install-completion` (bash, zsh, fish), read from
# the database in use (--db, else $PIPELINE_DB, else the default file) without
# creating, migrating or locking it. Completion must never print an error or
# crash the shell: any failure offers nothing (or the built-in vocabulary).


def _completion_db(ctx: typer.Context) -> Any:
    from .store import locate

    root = ctx.find_root()
    db = root.params.get("db") if root.params else None
    location = locate(db)
    return location.url or location.path


def _completion_lang(ctx: typer.Context) -> str:
    """Completion's language: a --lang among the words typed, else $PIPELINE_LANG or the settings'."""
    try:
        from .helptext import language

        return language(ctx)
    except Exception:
        return "en"


def complete_project_id(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Project ids starting with what was typed, each with its name as help (a dropped one's marked so)."""
    try:
        from .i18n import label
        from .store.completion import completion_projects

        dropped = label("dropped", "status", _completion_lang(ctx))
        return completion_projects(_completion_db(ctx), incomplete.strip(), dropped=dropped)
    except Exception:
        return []


def _complete_vocabulary(ctx: typer.Context, incomplete: str, kind: str) -> list[tuple[str, str]]:
    from .model import SECTORS, STAGES

    builtin = [(s.slug, s.name_zh) for s in (SECTORS if kind == "sector" else STAGES)]
    try:
        from .store.completion import completion_vocabulary

        pairs = completion_vocabulary(_completion_db(ctx), kind) or builtin
    except Exception:
        pairs = builtin
    typed = incomplete.strip().lower()
    return [(slug, zh) for slug, zh in pairs if slug.startswith(typed) or zh.startswith(incomplete.strip())]


def complete_sector(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Sector slugs (with their Chinese names as help)."""
    try:
        return _complete_vocabulary(ctx, incomplete, "sector")
    except Exception:
        return []


def complete_stage(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Stage slugs in ladder order (with their Chinese names as help)."""
    try:
        return _complete_vocabulary(ctx, incomplete, "stage")
    except Exception:
        return []


def _complete_values(ctx: typer.Context, incomplete: str, column: str) -> list[str]:
    try:
        from .store.completion import completion_values

        return completion_values(_completion_db(ctx), column, incomplete.strip())
    except Exception:
        return []


def complete_district(ctx: typer.Context, incomplete: str) -> list[str]:
    """The districts projects have, starting with what was typed."""
    return _complete_values(ctx, incomplete, "district")


def complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    """The responsible units projects have."""
    return _complete_values(ctx, incomplete, "unit")


def complete_lead(ctx: typer.Context, incomplete: str) -> list[str]:
    """The lead officials projects have."""
    return _complete_values(ctx, incomplete, "lead")


def completer(choices: Callable[[], Sequence[str]]) -> Callable[[typer.Context, str], list[Any]]:
    """Completion from a fixed list of field names (--by, --sort); in Chinese, each with its label as help."""

    def complete(ctx: typer.Context, incomplete: str) -> list[Any]:
        try:
            names = [name for name in choices() if name.startswith(incomplete.strip())]
            if _completion_lang(ctx) != "zh":
                return names
            from .i18n import label

            return [(name, label(name, "field", "zh")) for name in names]
        except Exception:
            return []

    return complete


# Shared arguments and options that complete from the database.
# max: an id beyond SQLite's integers is a usage error, not an overflow.
ProjectIdArgument = Annotated[
    int,
    typer.Argument(
        metavar="ID",
        help="The project's id.",
        show_default=False,
        max=MAX_INTEGER,
        autocompletion=complete_project_id,
    ),
]


# --- filters -----------------------------------------------------------------

_PANEL = "Filters"


def _any_of(option: str, help: str, complete: Callable[..., Any]) -> Any:
    """A repeatable filter option of names from the database, any of which matches."""
    return Annotated[
        Optional[list[str]],
        typer.Option(
            option,
            help=f"{help} (repeatable: any of them).",
            rich_help_panel=_PANEL,
            show_default=False,
            autocompletion=complete,
        ),
    ]


# The contract's filters, as (name, annotation, default). A command decorated
# with @with_filters gets them all and receives one `filters` argument.
_FILTER_PARAMETERS: list[tuple[str, Any, Any]] = [
    ("sector", _any_of("--sector", "Sector slug, Chinese name or slug prefix", complete_sector), None),
    ("stage", _any_of("--stage", "Stage slug, Chinese name or slug prefix", complete_stage), None),
    (
        "key",
        Annotated[bool, typer.Option("--key", help="Key projects (重点项目) only.", rich_help_panel=_PANEL)],
        False,
    ),
    (
        "status",
        Annotated[
            Optional[str],
            typer.Option(
                "--status", help="active or dropped (default: active).", rich_help_panel=_PANEL, show_default=False
            ),
        ],
        None,
    ),
    (
        "all_",
        Annotated[bool, typer.Option("--all", help="Include dropped projects.", rich_help_panel=_PANEL)],
        False,
    ),
    ("district", _any_of("--district", "District (区市), or the start of its name", complete_district), None),
    ("unit", _any_of("--unit", "Responsible unit (责任单位), or the start of its name", complete_unit), None),
    ("lead", _any_of("--lead", "Lead official (包联领导), or the start of the name", complete_lead), None),
    (
        "min_investment",
        Annotated[
            Optional[str],
            typer.Option("--min-investment", metavar="N", help="At least N 亿元.", rich_help_panel=_PANEL),
        ],
        None,
    ),
    (
        "max_investment",
        Annotated[
            Optional[str],
            typer.Option("--max-investment", metavar="N", help="At most N 亿元.", rich_help_panel=_PANEL),
        ],
        None,
    ),
    (
        "search",
        Annotated[
            Optional[str],
            typer.Option(
                "--search",
                metavar="TEXT",
                help="Text in the name, note, district, unit or lead, taken literally.",
                rich_help_panel=_PANEL,
            ),
        ],
        None,
    ),
    (
        "light",
        Annotated[
            Optional[list[str]],
            typer.Option("--light", help="yellow or red (repeatable).", rich_help_panel=_PANEL, show_default=False),
        ],
        None,
    ),
    (
        "overdue",
        Annotated[
            bool,
            typer.Option("--overdue", help="Next planned milestone past due.", rich_help_panel=_PANEL),
        ],
        False,
    ),
]

F = TypeVar("F", bound=Callable[..., Any])


def with_filters(func: F) -> F:
    """Give a command every filter option; it receives them as `filters: Filters`."""
    signature = inspect.signature(func, eval_str=True)
    kept = [p for p in signature.parameters.values() if p.name != "filters"]
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
        for name, annotation, default in _FILTER_PARAMETERS
        if name not in signature.parameters  # a command's own option of that name wins (problem list --overdue)
    ]
    names = [name for name, _, _ in _FILTER_PARAMETERS if name not in signature.parameters]
    defaults = {name: default for name, _, default in _FILTER_PARAMETERS}

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        raw = {**defaults, **{name: kwargs.pop(name) for name in names}}
        filters = make_filters(
            sectors=raw["sector"],
            stages=raw["stage"],
            key=raw["key"],
            status=raw["status"],
            include_dropped=raw["all_"],
            districts=raw["district"],
            units=raw["unit"],
            leads=raw["lead"],
            min_investment=raw["min_investment"],
            max_investment=raw["max_investment"],
            search=raw["search"],
            lights=raw["light"],
            overdue=raw["overdue"],
        )
        return func(*args, filters=filters, **kwargs)

    wrapper.__signature__ = signature.replace(parameters=kept + added)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


# --- output options ------------------------------------------------------------
# --format, --no-header, --lang, --columns and -o, declared once. A command
# decorated with @with_output(...) gets the ones it asks for, where its
# `options: OutputOptions` parameter stands, and receives them as that one
# argument.

_FORMAT_HELP = {
    "data": "Output format (default: table on a terminal, tsv in a pipe).",
    "write": "Print the changed projects in this format (default: one line per change).",
    "report": "Output format (default: {report}, on a terminal or not).",
}


class OutputOptions(Frozen):
    """How a command prints: the output options given to it.

    `format` is None when --format was not given; `columns` the fields
    --columns picked (checked, in their order), None without it.
    """

    __slots__ = ("columns", "file", "format", "lang", "no_header")
    format: Optional[str]
    no_header: bool
    lang: Optional[str]
    columns: Optional[tuple[str, ...]]
    file: Optional[Path]

    def __init__(
        self,
        format: Optional[str] = None,
        no_header: bool = False,
        lang: Optional[str] = None,
        columns: Optional[tuple[str, ...]] = None,
        file: Optional[Path] = None,
    ) -> None:
        self._set(format=format, no_header=no_header, lang=lang, columns=columns, file=file)

    def formatting(self, *, report: bool = False) -> tuple[str, Style]:
        """The format and style to print in: --format, else the default (for a terminal or a pipe)."""
        from .output import formatting

        return formatting(self.format, lang=self.lang, no_header=self.no_header, report=report)


def parse_columns(text: str, valid: Sequence[str]) -> tuple[str, ...]:
    """--columns a,b,c: the names, checked against `valid`, in the order given (exit 2 otherwise)."""
    import difflib

    from .errors import UsageError

    names = tuple(name.strip().lower() for name in text.split(","))
    choices = ", ".join(valid)
    if not any(names):
        raise UsageError("columns.empty", "columns.valid", choices=choices)
    for name in names:
        if not name:
            raise UsageError("columns.blank", "columns.valid", columns=text, choices=choices)
        if name not in valid:
            close = difflib.get_close_matches(name, list(valid), n=1, cutoff=0.6)
            if close:
                raise UsageError("columns.unknown", "columns.did_you_mean", name=name, close=close[0], choices=choices)
            raise UsageError("columns.unknown", "columns.valid", name=name, choices=choices)
    repeated = [name for name in dict.fromkeys(names) if names.count(name) > 1]
    if repeated:
        raise UsageError("columns.repeated", "columns.valid", name=repeated[0], choices=choices)
    return names


def format_option(help: str) -> Any:
    """--format, -f: one of an enum's formats, in any case; the default is for `help` to say."""
    return typer.Option("--format", "-f", help=help, show_default=False, case_sensitive=False)


def _output_parameters(
    kind: str, header: bool, columns: Sequence[str] | None, file: bool, format: bool
) -> list[tuple[str, Any, Any]]:
    from .output import REPORT_FORMAT

    parameters: list[tuple[str, Any, Any]] = []
    if format:
        parameters.append(
            (
                "format",
                Annotated[Optional[Format], format_option(_FORMAT_HELP[kind].format(report=REPORT_FORMAT))],
                None,
            )
        )
    if columns is not None:
        parameters.append(
            (
                "columns",
                Annotated[
                    Optional[str],
                    typer.Option(
                        "--columns",
                        metavar="A,B,C",
                        help="The fields to show, in this order, in every format: " + ", ".join(columns) + ".",
                        show_default=False,
                    ),
                ],
                None,
            )
        )
    if header:
        parameters.append(("no_header", NoHeaderOption, False))
    parameters.append(("lang", LangOption, None))
    if file:
        parameters.append(("output_file", OutputFileOption, None))
    return parameters


def with_output(
    *,
    kind: Literal["data", "write", "report"] = "data",
    format: bool = True,
    header: bool = True,
    columns: Sequence[str] | None = None,
    file: bool = False,
) -> Callable[[F], F]:
    """Give a command its output options; it receives them as `options: OutputOptions`.

    --format (its help for a listing, a write command or the report), and
    unless told otherwise --no-header and --lang; --columns when `columns`
    names the fields it may pick from; -o FILE when `file`. They stand in
    the help where the command's `options` parameter stands.
    """

    def decorate(func: F) -> F:
        signature = inspect.signature(func, eval_str=True)
        parameters = _output_parameters(kind, header, columns, file, format)
        names = [name for name, _, _ in parameters]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
            for name, annotation, default in parameters
        ]
        if "options" not in signature.parameters:
            raise TypeError(f"{func.__name__} has no `options` parameter for its output options")
        kept: list[inspect.Parameter] = []
        for parameter in signature.parameters.values():
            if parameter.name == "options":
                kept.extend(added)
            else:
                kept.append(parameter)
        # Keyword-only parameters may not come before positional ones in a signature.
        kept = sorted(kept, key=lambda p: p.kind == inspect.Parameter.KEYWORD_ONLY)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name) for name in names}
            chosen = given.get("format")
            picked = given.get("columns")
            options = OutputOptions(
                format=str(getattr(chosen, "value", chosen)) if chosen is not None else None,
                no_header=bool(given.get("no_header", False)),
                lang=given.get("lang"),
                columns=parse_columns(picked, columns) if picked is not None and columns is not None else None,
                file=given.get("output_file"),
            )
            return func(*args, options=options, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=kept)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
