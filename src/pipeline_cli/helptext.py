"""`pipeline [COMMAND] --help` in the invocation's language.

The help texts are written in English where the commands are (docstrings and
`help=`); their Chinese is in the catalogue (messages.HELP), keyed by that
English as gettext keys a translation by its msgid. With --lang zh (before
or after the command, even after --help), $PIPELINE_LANG=zh or the settings'
lang = zh, the help of the command asked for is shown with every text
swapped for its Chinese: the command's summary and description, its
options' and arguments' help, its subcommands' summaries, the panels' titles
(选项, 命令, 筛选), the usage line (用法：pipeline list [选项]) and Typer's
[default: …] and [required]. The texts are put back once the help is written.

Loaded only when a help is shown (cli.py wraps Typer's format_help), so no
other command pays for it; in English nothing is swapped and the help is
Typer's as it always was. A text with no Chinese in the catalogue stays
English, and tests/test_help_zh.py fails for it.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import Iterator
from typing import Any


def key(text: str) -> str:
    """A help text as the catalogue keys it: each paragraph on one line, paragraphs apart by a blank line."""
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in inspect.cleandoc(text).split("\n\n"))


def language(ctx: Any) -> str:
    """The language of this invocation's help: --lang anywhere on the command line, else as i18n resolves it."""
    from . import usage

    root = ctx.find_root()
    return usage.lang_in(getattr(root.command, "invocation_args", None) or [])


def translated(text: str, lang: str) -> str:
    """`text` (a help text or one of Typer's words) in `lang`; as it is when the catalogue lacks it."""
    if lang != "zh" or not text:
        return text
    from .messages import HELP

    found = HELP.get(text)  # Typer's words ("Usage: ") as they are, the help texts by key()
    return found if found is not None else HELP.get(key(text), text)


def usage_line(ctx: Any, lang: str) -> str:
    """The command's usage without its prefix, `pipeline list [OPTIONS]`, its placeholders in `lang`."""
    command = ctx.command
    with _swapped(_usage_changes(command, lang)):
        usage: str = ctx.get_usage()
    return usage.removeprefix("Usage:").strip()


_Change = tuple[Any, str, Any]  # (object, attribute, new value)


class _TypeInLanguage:
    """An argument's type as its help names it: <int range> is <整数>, <str> is <文本>."""

    def __init__(self, kind: Any, lang: str) -> None:
        self._kind = kind
        self._lang = lang

    def __getattr__(self, name: str) -> Any:
        return getattr(self._kind, name)

    def get_metavar(self, *args: Any, **kwargs: Any) -> str | None:
        metavar: str | None = self._kind.get_metavar(*args, **kwargs)
        if metavar is None:
            return translated(f"<{self._kind.name}>", self._lang)
        return metavar


@contextlib.contextmanager
def _swapped(changes: list[_Change]) -> Iterator[None]:
    """Set each attribute to its new value for the duration, then put every old value back."""
    old = [(target, name, getattr(target, name)) for target, name, _ in changes]
    try:
        for target, name, value in changes:
            setattr(target, name, value)
        yield
    finally:
        for target, name, value in reversed(old):
            setattr(target, name, value)


def _usage_changes(command: Any, lang: str) -> list[_Change]:
    changes: list[_Change] = []
    for name in ("options_metavar", "subcommand_metavar"):
        value = getattr(command, name, None)
        if isinstance(value, str):
            changes.append((command, name, translated(value, lang)))
    return changes


def _text_changes(target: Any, names: tuple[str, ...], lang: str) -> list[_Change]:
    return [
        (target, name, translated(value, lang))
        for name in names
        if isinstance(value := getattr(target, name, None), str) and value
    ]


# Typer's own words around the texts (typer.rich_utils), by the attribute holding them.
_TYPER_WORDS = (
    "OPTIONS_PANEL_TITLE",
    "ARGUMENTS_PANEL_TITLE",
    "COMMANDS_PANEL_TITLE",
    "DEFAULT_STRING",
    "REQUIRED_LONG_STRING",
)


def _changes(command: Any, ctx: Any, lang: str) -> list[_Change]:
    """Every text of `command`'s help, and of its subcommands' lines, swapped for `lang`'s."""
    from rich.text import Text
    from typer import rich_utils
    from typer._click import formatting

    changes = _text_changes(command, ("help", "short_help"), lang)
    changes += _usage_changes(command, lang)
    for param in command.get_params(ctx):
        changes += _text_changes(param, ("help", "rich_help_panel"), lang)
        if getattr(param, "param_type_name", "") == "option" and param.metavar is None and not param.is_flag:
            # Typer names a text option's value by its Python type (<str>): a word of no language.
            metavar = param.make_metavar(ctx=ctx)
            if metavar.strip("<>[].").lower() in ("str", "text"):
                changes.append((param, "metavar", translated("<str>", lang)))
        elif getattr(param, "param_type_name", "") == "argument":
            changes.append((param, "type", _TypeInLanguage(param.type, lang)))
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                changes += _text_changes(sub, ("help", "short_help"), lang)
    changes += [(rich_utils, word, translated(getattr(rich_utils, word), lang)) for word in _TYPER_WORDS]
    write_usage = formatting.HelpFormatter.write_usage
    prefix = translated("Usage: ", lang)

    def write_usage_in_language(self: Any, prog: str, args: str = "", prefix: str | None = prefix) -> None:
        write_usage(self, prog, args, prefix)

    changes.append((formatting.HelpFormatter, "write_usage", write_usage_in_language))
    make_rich_text = rich_utils._make_rich_text

    def make_rich_text_in_language(**kwargs: Any) -> Any:
        # Chinese has no spaces to wrap at: its lines break between characters
        # (ChineseLines), never inside a name as typed (`--sector`) or a word.
        made = make_rich_text(**kwargs)
        return ChineseLines(made) if isinstance(made, Text) else made

    changes.append((rich_utils, "_make_rich_text", make_rich_text_in_language))
    return changes


# --- lines of Chinese -------------------------------------------------------------
# What a line may not break inside: a name in backticks (`--sector`, `id`), a run
# of Latin letters, digits and signs ($PIPELINE_LANG, --min-investment, 2020-08-18);
# elsewhere a line breaks between any two characters, as Chinese does, or at a
# space. Punctuation that closes (、，。）”) stays at the end of its line, what opens (（“)
# at the start of the next.
_OPENING = "（「『“‘《【〔"
_CLOSING = "、，。；：！？）」』”’》】〕"
_CJK = "\u2000-\u206f\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef"
_UNBROKEN = re.compile(
    f"([{_OPENING}]*)(`[^`\\s]*`|[^\\s{_CJK}]+|\\s+|.)([{_CLOSING}]*)",
    re.DOTALL,
)


def line_breaks(text: str, width: int) -> list[int]:
    """Where `text` (one paragraph) starts a new line to fit `width` cells: the offsets, in order.

    A piece wider than the whole line (a name longer than the column) folds
    where it must.
    """
    from rich.cells import cell_len

    breaks: list[int] = []
    start, used = 0, 0

    def place(offset: int, piece: str) -> bool:
        """Put `piece` (at `offset`) on the line, or start the next line with it; False if it is wider than a line."""
        nonlocal start, used
        cells = cell_len(piece)
        if used + cells > width and offset > start:
            breaks.append(offset)
            start, used = offset, 0
        if cells > width:
            return False
        used += cells
        return True

    for match in _UNBROKEN.finditer(text):
        if match.group(2).isspace():
            used += cell_len(match.group())  # spaces at a line's end are dropped with it
            continue
        if place(match.start(), match.group()):
            continue
        # Wider than a line: its brackets and punctuation apart from the name, and a name
        # wider than a line folded where it must.
        for group in (1, 2, 3):
            for offset, char in enumerate(match.group(group), match.start(group)):
                if group == 2 and cell_len(match.group(2)) <= width:
                    place(offset, match.group(2))
                    break
                place(offset, char)
                if used > width:  # a single character wider than the line
                    used = width
    return breaks


def widest_piece(text: str) -> int:
    """The cells of the widest piece of `text` no line may break inside."""
    from rich.cells import cell_len

    return max((cell_len(match.group().strip()) for match in _UNBROKEN.finditer(text)), default=0)


class ChineseLines:
    """A rich Text of Chinese help, its lines broken as line_breaks says instead of only at spaces."""

    def __init__(self, text: Any) -> None:
        self.text = text

    def __rich_measure__(self, console: Any, options: Any) -> Any:
        from rich.cells import cell_len
        from rich.measure import Measurement

        paragraphs = self.text.plain.split("\n")
        widest = max((cell_len(paragraph) for paragraph in paragraphs), default=0)
        least = max((widest_piece(paragraph) for paragraph in paragraphs), default=0)
        return Measurement(min(least, options.max_width), min(widest, options.max_width))

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        width = max(1, options.max_width)
        for paragraph in self.text.split("\n", allow_blank=True):
            for line in paragraph.divide(line_breaks(paragraph.plain, width)):
                line.rstrip()
                line.overflow = "fold"
                line.no_wrap = True
                yield line


@contextlib.contextmanager
def names_whole() -> Iterator[None]:
    """While a help is written, no option's name is cut with … however narrow the terminal."""
    from rich.table import Table
    from typer import rich_utils

    class OptionsTable(Table):
        def add_row(self, *renderables: Any, **options: Any) -> None:
            columns_given = bool(self.columns)
            super().add_row(*renderables, **options)
            if not columns_given and len(self.columns) > 2:
                # Typer's options panel: its columns made by its first row; all but the last two
                # (the value's type and the help) hold names: --format, -f, --no-key.
                for column in self.columns[:-2]:
                    column.no_wrap = True

    make_rich_text = rich_utils._make_rich_text

    def make_rich_text_folding(**kwargs: Any) -> Any:
        # A word longer than the help's column (investment at 40 columns) folds onto the next line, never cut.
        made = make_rich_text(**kwargs)
        if hasattr(made, "overflow"):
            made.overflow = "fold"
        return made

    parameter_help = rich_utils._get_parameter_help

    def parameter_help_folding(**kwargs: Any) -> Any:
        made = parameter_help(**kwargs)
        for item in getattr(made, "renderables", ()):
            if hasattr(item, "overflow"):
                item.overflow = "fold"  # [default: id] too
        return made

    with _swapped(
        [
            (rich_utils, "Table", OptionsTable),
            (rich_utils, "_make_rich_text", make_rich_text_folding),
            (rich_utils, "_get_parameter_help", parameter_help_folding),
        ]
    ):
        yield


@contextlib.contextmanager
def speaking(command: Any, ctx: Any) -> Iterator[None]:
    """While the help of `command` is written, its texts are in the invocation's language."""
    lang = language(ctx)
    if lang == "en":
        yield
        return
    with _swapped(_changes(command, ctx, lang)):
        yield


# --- shell completion in the invocation's language ------------------------------
# The descriptions zsh and fish show beside a command or an option are its help
# (Click's CompletionItem.help): in Chinese, the catalogue's, as in --help.

# As wide as Click's short help of a command (45 characters), in terminal cells.
SHORT_HELP_CELLS = 45


def short_help(text: str, cells: int = SHORT_HELP_CELLS) -> str:
    """A Chinese help text's first sentence, cut with … after a clause (or a character) to fit `cells`.

    Click's make_default_short_help cuts at spaces, which Chinese has none
    of: a sentence longer than its limit would be only "...". A name in
    backticks is never cut in two.
    """
    from rich.cells import cell_len

    first = " ".join(text.split("\n\n", 1)[0].split())
    end = first.find("。")
    sentence = first[: end + 1] if end != -1 else first
    if cell_len(sentence) <= cells:
        return sentence
    cut = ""
    for index in range(len(sentence)):
        if cell_len(sentence[:index]) + 1 > cells:
            break
        cut = sentence[:index]
    clauses = [i for i, char in enumerate(cut) if char in "，；" and cut[:i].count("（") == cut[:i].count("）")]
    if clauses and clauses[-1] > len(cut) // 2:
        cut = cut[: clauses[-1]]
    if cut.count("（") > cut.count("）"):
        cut = cut[: cut.rfind("（")]  # not inside a parenthesis
    if cut.count("`") % 2:
        cut = cut[: cut.rfind("`")]  # nor inside a name as typed
    word = cut
    while word and (word[-1] + sentence[len(word)]).isascii() and (word[-1] + sentence[len(word)]).isalnum():
        word = word[:-1]  # nor inside a word in Latin letters (PostgreSQL)
    cut = word or cut
    return cut.rstrip("，；、 ") + "…"


def one_line(text: str) -> str:
    """A description as Typer renders it for zsh and fish (its rich markup taken out), on one line.

    Typer renders it at the width of an 80-column console, which breaks a
    long help over lines: fish takes each line for another value to offer,
    zsh's list breaks. (In place of typer._completion_classes._sanitize_help_text.)
    """
    from typer import rich_utils

    console = rich_utils._get_rich_console()
    console.width = 1_000_000
    return "".join(segment.text for segment in console.render(text)).rstrip("\n")


def completions(command: Any, ctx: Any, items: list[Any], lang: str) -> list[Any]:
    """`command`'s completion items (its subcommands and options) with their descriptions in `lang`."""
    if lang == "en":
        return items
    options = {name: param for param in command.get_params(ctx) for name in (*param.opts, *param.secondary_opts)}
    for item in items:
        if not getattr(item, "help", None):
            continue
        param = options.get(item.value)
        if param is not None:
            item.help = translated(param.help or "", lang)
            continue
        sub = command.get_command(ctx, item.value) if hasattr(command, "get_command") else None
        if sub is not None:
            chinese = translated(sub.short_help or "", lang) if sub.short_help else translated(sub.help or "", lang)
            item.help = short_help(chinese)
    return items
