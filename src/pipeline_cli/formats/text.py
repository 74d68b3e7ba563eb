"""Plain text of the reports, for messaging apps and e-mail.

Headings are plain lines, each item one line, and nothing needs a markdown
renderer: no `#`, `*`, `|` or table rules. Chinese text uses Chinese
punctuation. Built from the same sections as the markdown and html reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from . import Column, Style, human_cell

if TYPE_CHECKING:
    from .summaries import Section

_UNITS = {
    "en": {"investment": " 亿元", "count": " projects", "reached": " projects", "projects": " projects"},
    "zh": {"investment": "亿元", "count": "个项目", "reached": "个项目", "projects": "个项目"},
}

# Numbers that read on their own: ids and ranks lead their line.
_BARE = frozenset(("id", "project_id", "rank"))


def cell_text(record: dict[str, Any], column: Column, lang: str) -> str:
    value = record.get(column.key)
    if value is None or value == "":
        return ""
    text = human_cell(value, column, lang)
    if column.kind == "light" and lang == "en":
        text = f"{text} light"
    unit = _UNITS[lang].get(column.key, "")
    if lang == "en" and unit == " projects" and text in ("1", "+1", "-1"):
        unit = " project"
    if not unit and column.kind in ("number", "percent") and column.key not in _BARE:
        # A bare number says nothing in a message: it goes with its header ("Days in stage 2697").
        return f"{column.header(lang)} {text}"
    return text + unit


def item_line(record: dict[str, Any], columns: Sequence[Column], lang: str) -> str:
    """One item on one line: its non-empty values, labelled as people read them."""
    separator = "，" if lang == "zh" else ", "
    cells = [cell_text(record, column, lang) for column in columns]
    return separator.join(cell.replace("\n", " ") for cell in cells if cell)


def write_sections(out: TextIO, title: str, sections: Sequence[Section], style: Style) -> None:
    """A title, then each section (summaries.Section) as a heading line and one line per item."""
    lang = style.lang
    none = "无。" if lang == "zh" else "None."
    out.write(f"{title}\n")
    for section in sections:
        # A page of one section named as the page (rank) has its heading once.
        out.write("\n" if section.title == title else f"\n{section.title}\n")
        if section.empty:
            out.write(f"{none}\n")
            continue
        for record in section.records:
            out.write(item_line(record, section.columns, lang) + "\n")
        if section.footer is not None:
            out.write(item_line(section.footer, section.columns, lang) + "\n")
        if section.note:
            out.write(f"{section.note}\n")
