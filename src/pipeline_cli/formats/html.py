"""One self-contained HTML page per report: inline CSS, charts as inline SVG, A4 print styles.

Plain string building with html.escape rather than a template engine: the
page is a handful of sections, and Jinja2 would add about 40 ms of import to
every report (measured: `import jinja2` 38 ms against 2 ms for `html`).
No external URL of any kind (scripts, styles, fonts, images): the page opens
offline, in a mail attachment, and prints the same. Every text from the
database goes through `esc`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from . import Column, Style, human_cell, label

if TYPE_CHECKING:
    from .summaries import Section

LIGHT_HEX = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}
LIGHT_FILL = {"green": "#e8f5e9", "yellow": "#fff8e1", "red": "#ffebee"}

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 2em auto; max-width: 60em; padding: 0 1em; color: #212121; line-height: 1.45; }
h1 { font-size: 1.5em; border-bottom: 2px solid #1565c0; padding-bottom: .3em; }
h2 { font-size: 1.15em; margin-top: 1.6em; color: #1565c0; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin: .4em 0; }
th, td { border: 1px solid #cfd8dc; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eceff1; }
td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: bold; }
td.light { white-space: nowrap; font-weight: bold; }
td.light-red { background: #ffebee; color: #c62828; }
td.light-yellow { background: #fff8e1; color: #8d6e00; }
td.light-green { background: #e8f5e9; color: #2e7d32; }
p.note { color: #546e7a; font-size: .85em; }
p.none { color: #546e7a; }
svg { max-width: 100%; height: auto; display: block; margin: .4em 0; }
svg text { font-size: 12px; fill: #212121; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  section { break-inside: avoid-page; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _number(value: Any) -> float:
    if isinstance(value, Decimal):
        return float(value)
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def page(title: str, body: Iterable[str], style: Style) -> str:
    lang = "zh-CN" if style.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n" + "".join(body) + "</body>\n</html>\n"
    )


def table(
    columns: Sequence[Column], records: Iterable[dict[str, Any]], lang: str, footer: dict[str, Any] | None
) -> str:
    parts = ["<table>\n<thead><tr>"]
    parts.extend(f"<th>{esc(c.header(lang))}</th>" for c in columns)
    parts.append("</tr></thead>\n<tbody>\n")
    for record in records:
        parts.append("<tr>" + "".join(_cell(record, c, lang) for c in columns) + "</tr>\n")
    parts.append("</tbody>\n")
    if footer is not None:
        parts.append("<tfoot><tr>" + "".join(_cell(footer, c, lang) for c in columns) + "</tr></tfoot>\n")
    parts.append("</table>\n")
    return "".join(parts)


def _cell(record: dict[str, Any], column: Column, lang: str) -> str:
    value = record.get(column.key)
    text = human_cell(value, column, lang)
    if column.kind == "light" and value in LIGHT_HEX:
        return f'<td class="light light-{esc(value)}">● {esc(text)}</td>'
    if column.kind in ("number", "percent"):
        return f'<td class="number">{esc(text)}</td>'
    return f"<td>{esc(text)}</td>"


def bar_chart(
    title: str, bars: Sequence[tuple[str, Any, str]], *, funnel: bool = False, full: float | None = None
) -> str:
    """Horizontal bars as inline SVG: (label, value, value text) each; a funnel centres them.

    A bar's length is its value against `full` (a rate's 1), else against the largest value.
    """
    width, label_width, row, gap = 640, 150, 26, 6
    plot = width - label_width - 90
    height = len(bars) * (row + gap) + gap
    widest = full or max((_number(value) for _, value, _ in bars), default=0) or 1
    parts = [
        f'<svg role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}"><title>{esc(title)}</title>'
    ]
    for index, (name, value, caption) in enumerate(bars):
        y = gap + index * (row + gap)
        length = max(_number(value) / widest * plot, 1 if _number(value) else 0)
        x = label_width + ((plot - length) / 2 if funnel else 0)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row * 0.68:.1f}" text-anchor="end">{esc(name)}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{row}" rx="3" fill="#1e88e5"/>'
            f'<text x="{label_width + plot + 8}" y="{y + row * 0.68:.1f}">{esc(caption)}</text>'
        )
    parts.append("</svg>\n")
    return "".join(parts)


def section(key: str, title: str, content: str) -> str:
    return f'<section id="{esc(key)}">\n<h2>{esc(title)}</h2>\n{content}</section>\n'


def funnel_chart(stages: Sequence[dict[str, Any]], lang: str, title: str) -> str:
    bars = [(label(s["stage"], "stage", lang), s["reached"], str(s["reached"])) for s in stages]
    return bar_chart(title, bars, funnel=True)


def sector_chart(groups: Sequence[dict[str, Any]], lang: str, title: str) -> str:
    unit = "亿元" if lang == "zh" else " 亿元"
    bars = [
        (label(g.get("sector"), "sector", lang), g["investment"], f"{label(g['investment'], 'number', lang)}{unit}")
        for g in groups
    ]
    return bar_chart(title, bars)


def group_chart(groups: Sequence[dict[str, Any]], field: str, lang: str, title: str) -> str:
    """A summary by one field (district, stage, unit …) as bars of investment per group."""
    from .summaries import _group_label

    unit = "亿元" if lang == "zh" else " 亿元"
    bars = [
        (_group_label(field, g.get(field), lang), g["investment"], f"{label(g['investment'], 'number', lang)}{unit}")
        for g in groups
    ]
    return bar_chart(title, bars)


def rank_chart(groups: Sequence[dict[str, Any]], by: str, lang: str, title: str) -> str:
    """The ranking as bars of 开工率 (start rate), in rank order; a group with nothing signed has no bar."""
    from .summaries import _group_label

    bars = [
        (
            f"{g['rank']}. {_group_label(by, g.get(by), lang)}",
            g["start_rate"] or 0,
            "—" if g["start_rate"] is None else label(g["start_rate"], "percent", lang),
        )
        for g in groups
    ]
    return bar_chart(title, bars, full=1)


def write_sections(out: TextIO, title: str, sections: Sequence[Section], style: Style, charts: dict[int, str]) -> None:
    """A report (summaries.Section list) as a page; `charts` maps a section's index to SVG shown above its table."""
    lang = style.lang
    none = "无。" if lang == "zh" else "None."
    body = []
    for index, item in enumerate(sections):
        content = charts.get(index, "")
        if item.empty:
            content += f'<p class="none">{esc(none)}</p>\n'
        else:
            content += table(item.columns, item.records, lang, item.footer)
        if item.note:
            content += f'<p class="note">{esc(item.note)}</p>\n'
        body.append(section(f"section-{index + 1}", item.title, content))
    out.write(page(title, body, style))
