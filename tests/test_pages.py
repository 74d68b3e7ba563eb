"""html and text reports: parsed with html5lib, checked for every section, escaping and no external reference."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import html5lib
import pytest

from conftest import run_cli, run_sh

NS = {"h": "http://www.w3.org/1999/xhtml"}
PERIOD = ("--since", "2020-08-01", "--until", "2020-08-18")
SECTIONS_EN = [
    "Totals",
    "Stage moves",
    "New projects",
    "Dropped",
    "Warning lights today",
    "Overdue plans at",
    "Milestones due in the 30 days from",
    "Funnel at",
    "By sector at",
    "Restored",
    "Problems opened",
    "Problems closed",
    "Problems open and overdue",
    "Ranking by district",
]
SECTIONS_ZH = [
    "总体情况",
    "进度变动",
    "新增项目",
    "退出项目",
    "当前亮灯",
    "截至 2020-08-18 计划逾期项目",
    "2020-08-18 起 30 天内到期的计划节点",
    "转化漏斗",
    "分产业领域",
    "恢复项目",
    "新登记问题",
    "已销号问题",
    "期末逾期未销号问题",
    "区市排名",
]


def page(*args: str) -> tuple[str, ET.Element]:
    result = run_cli(*args, "--format", "html")
    assert result.exit_code == 0, result.stderr
    return result.stdout, html5lib.parse(result.stdout, namespaceHTMLElements=True)


def text_of(element: ET.Element | None) -> str:
    assert element is not None
    return "".join(element.itertext())


def assert_self_contained(source: str, document: ET.Element) -> None:
    """No external URL of any kind: no src/href/url()/@import, no scheme or protocol-relative address."""
    for element in document.iter():
        for name, value in element.attrib.items():
            assert name not in ("src", "href", "srcset", "action", "data", "poster"), (element.tag, name, value)
            assert "//" not in value, (element.tag, name, value)
    assert not document.findall(".//h:script", NS)
    assert not document.findall(".//h:link", NS)
    lowered = source.lower()
    for marker in ("http:", "https:", "url(", "@import", "//fonts", "<img", "<iframe"):
        assert marker not in lowered, marker


def test_report_page_has_every_section_charts_and_print_styles(db: Path) -> None:
    source, document = page("report", *PERIOD)
    html = document
    assert html.get("lang") == "en"
    title = document.find(".//h:title", NS)
    assert text_of(title) == "Pipeline dispatch report, 2020-08-01 to 2020-08-18"
    headings = [text_of(h) for h in document.findall(".//h:section/h:h2", NS)]
    assert len(headings) == len(SECTIONS_EN)
    for heading, expected in zip(headings, SECTIONS_EN, strict=True):
        assert heading.startswith(expected)
    svgs = document.findall(".//{http://www.w3.org/2000/svg}svg")
    assert len(svgs) == 3  # the funnel, the totals by sector and the ranking
    charts = [text_of(svg.find("{http://www.w3.org/2000/svg}title")) for svg in svgs]
    assert [chart.split(" ")[0] for chart in charts] == ["Funnel", "By", "Ranking"]
    assert "@page" in source and "A4" in source and "@media print" in source
    lights = document.findall(".//h:td[@class='light light-red']", NS)
    assert len(lights) == 19
    assert_self_contained(source, document)


def test_chinese_page_is_lang_zh(db: Path) -> None:
    source, document = page("report", *PERIOD, "--lang", "zh")
    assert document.get("lang") == "zh-CN"
    headings = [text_of(h) for h in document.findall(".//h:section/h:h2", NS)]
    for heading, expected in zip(headings, SECTIONS_ZH, strict=True):
        assert heading.startswith(expected)
    assert "红灯" in source
    assert_self_contained(source, document)


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "</style><style>body{background:url(http://evil.example/x)}</style>",
        "A & B <b>bold</b>",
    ],
)
def test_every_user_text_is_escaped(db: Path, name: str) -> None:
    assert run_cli("add", name, "--sector", "it", "--investment", "1", "--date", "2020-08-10").exit_code == 0
    _, document = page("report", *PERIOD)
    cells = [text_of(td) for td in document.findall(".//h:td", NS)]
    assert name in cells
    assert not document.findall(".//h:script", NS)
    assert not document.findall(".//h:img", NS)
    assert not document.findall(".//h:b", NS)
    assert len(document.findall(".//h:style", NS)) == 1


def test_summary_and_funnel_pages(db: Path) -> None:
    source, document = page("summary", "--by", "sector")
    rows = document.findall(".//h:tbody/h:tr", NS)
    assert len(rows) == 6
    assert "871" in text_of(document.find(".//h:tfoot", NS))
    assert len(document.findall(".//{http://www.w3.org/2000/svg}svg")) == 1
    assert_self_contained(source, document)
    source, document = page("summary", "--by", "district", "--lang", "zh")
    (svg,) = document.findall(".//{http://www.w3.org/2000/svg}svg")
    labels = [text_of(t) for t in svg.findall("{http://www.w3.org/2000/svg}text")]
    assert "城阳区" in labels and "136.5亿元" in labels  # a bar per district, its investment beside it
    assert len(document.findall(".//{http://www.w3.org/2000/svg}svg")) == 1
    assert_self_contained(source, document)
    source, document = page("funnel")
    assert len(document.findall(".//h:tbody/h:tr", NS)) == 8
    assert len(document.findall(".//{http://www.w3.org/2000/svg}svg")) == 1
    assert_self_contained(source, document)


def test_html_through_the_real_script_and_to_a_file(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    result = run_sh("report", *PERIOD, "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- text ---------------------------------------------------------------------


def test_report_text_is_plain_lines(db: Path) -> None:
    result = run_cli("report", *PERIOD, "--format", "text")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Pipeline dispatch report, 2020-08-01 to 2020-08-18"
    for heading in SECTIONS_EN:
        assert any(line.startswith(heading) for line in lines), heading
    for mark in ("|", "**", "##", "```", "---"):
        assert mark not in result.stdout, mark
    assert not any(re.match(r"\s*([#>*]|- )", line) for line in lines)
    assert "2020-08-03, 5, 5G通信模组研发生产项目, it 新一代信息技术, negotiating 在谈, 6.5 亿元" in lines


def test_report_text_in_chinese(db: Path) -> None:
    result = run_cli("report", *PERIOD, "--format", "text", "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert "期末(2020-08-18)，47个项目，871亿元" in result.stdout.splitlines()
    assert "|" not in result.stdout


def test_summary_and_funnel_text(db: Path) -> None:
    summary = run_cli("summary", "--by", "sector", "--format", "text").stdout.splitlines()
    assert "textile 纺织服装, 1 project, 3.5 亿元" in summary
    assert summary[-1] == "Total, 47 projects, 871 亿元"
    funnel = run_cli("funnel", "--format", "text").stdout
    assert "signed 签约, 26 projects, 389.7 亿元, Conversion 55.3%" in funnel.splitlines()


# --- rank -----------------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> & </svg><img src=//evil.example/x>'


def test_rank_page_has_the_league_table_and_its_chart(db: Path) -> None:
    assert run_cli("add", "p", "--sector", "it", "--stage", "construction", "--district", HOSTILE).exit_code == 0
    assert run_cli("add", "q", "--sector", "it", "--stage", "signed", "--district", HOSTILE).exit_code == 0
    ranking = json.loads(run_cli("rank", "--format", "json").stdout)["groups"]
    source, document = page("rank")
    assert document.get("lang") == "en"
    heading = document.find(".//h:section/h:h2", NS)
    assert text_of(heading) == "Ranking by District (by start rate)"
    rows = document.findall(".//h:tbody/h:tr", NS)
    assert len(rows) == len(ranking)
    for row, group in zip(rows, ranking, strict=True):
        cells = [text_of(td) for td in row.findall("h:td", NS)]
        assert cells[0] == str(group["rank"])
        assert cells[1] == (group["district"] or "(none)")
    # The hostile district is text in a cell and in the chart, never markup.
    assert HOSTILE in [text_of(td) for td in document.findall(".//h:td", NS)]
    (svg,) = document.findall(".//{http://www.w3.org/2000/svg}svg")
    labels = [text_of(t) for t in svg.findall("{http://www.w3.org/2000/svg}text")]
    assert f"1. {HOSTILE}" in labels and "50.0%" in labels
    bars = svg.findall("{http://www.w3.org/2000/svg}rect")
    assert len(bars) == len(ranking)
    # A bar's length is its start rate against 100 %: the leader's 50 % is half the widest possible.
    widths = [float(bar.get("width", "")) for bar in bars]
    assert widths[0] > 0 and all(w == 0 for w in widths[1:])
    assert not document.findall(".//h:img", NS)
    assert_self_contained(source, document)
    zh_source, zh = page("rank", "--lang", "zh", "--by", "sector")
    assert zh.get("lang") == "zh-CN"
    assert text_of(zh.find(".//h:section/h:h2", NS)) == "按产业领域排名（按开工率）"
    assert "新一代信息技术" in zh_source
    assert_self_contained(zh_source, zh)


def test_rank_text_is_one_line_per_group(db: Path) -> None:
    ranking = json.loads(run_cli("rank", "--format", "json").stdout)["groups"]
    result = run_cli("rank", "--format", "text")
    assert result.exit_code == 0, result.stderr
    title, blank, *lines = result.stdout.splitlines()
    assert (title, blank) == ("Ranking by District (by start rate)", "")
    assert len(lines) == len(ranking)
    for line, group in zip(lines, ranking, strict=True):
        projects = f"{group['projects']} project{'s' if group['projects'] != 1 else ''}"
        assert line.startswith(f"{group['rank']}, {group['district']}, {projects}, "), line
        assert f"Signed+ {group['signed']}, Started+ {group['started']}, " in line
    for mark in ("|", "**", "##", "---", "▲", "▼"):
        assert mark not in result.stdout, mark
    zh = run_cli("rank", "--format", "text", "--lang", "zh").stdout
    assert zh.splitlines()[0] == "按区市排名（按开工率）"
    assert "个项目" in zh and "|" not in zh


# --- every page, every kind of user text ----------------------------------------------

# Markup, an ampersand and both quotes, with no scheme in it, so the page must stay self-contained too.
EVIL = "<script>alert(1)</script> & \"q\" 's' <img src=//evil.example/x onerror=alert(1)>"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "args",
    [
        ("report", *PERIOD),
        ("summary", "--by", "sector"),
        ("summary", "--by", "district"),
        ("summary", "--by", "sector", "--by", "district"),
        ("summary", "--by", "unit"),
        ("funnel", "--sector", "evil"),
        ("rank",),
        ("rank", "--by", "sector"),
        ("rank", "--by", "lead"),
    ],
    ids=" ".join,
)
def test_every_page_escapes_every_user_text_and_stays_self_contained(
    db: Path, args: tuple[str, ...], lang: str
) -> None:
    """A sector's names, a district, a unit, a lead and a project's name, all hostile, are text on every page."""
    assert run_cli("sectors", "add", "evil", "--zh", EVIL, "--en", EVIL).exit_code == 0
    added = ("add", EVIL, "--sector", "evil", "--stage", "construction", "--investment", "1", "--date", "2020-08-10")
    assert run_cli(*added, "--district", EVIL, "--unit", EVIL, "--lead", EVIL).exit_code == 0
    source, document = page(*args, "--lang", lang)
    assert "<script" not in source and "<img" not in source
    texts = [text_of(element) for element in document.iter()]
    if args[0] != "funnel":  # the funnel names stages only: the hostile project is counted in it
        assert any(EVIL in text for text in texts), args
    else:
        rows = document.findall(".//h:tbody/h:tr", NS)
        assert [text_of(row.findall("h:td", NS)[1]) for row in rows][:5] == ["1"] * 5
    for element in document.iter():
        assert not any(name.startswith("on") for name in element.attrib), (element.tag, element.attrib)
    assert not document.findall(".//h:script", NS) and not document.findall(".//h:img", NS)
    assert len(document.findall(".//h:style", NS)) == 1
    assert_self_contained(source, document)
