"""report: the dispatch report for a period, built from the history.

A constructed timeline puts events before, inside and after a period and
checks exactly which the report lists and what the totals were at its start
and end. The seed's `created` events are dated each project's stage_since
(2019-07-15 to 2020-08-14); the seed has 47 projects and 871 亿元.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builders import build_mixed
from conftest import Result, file_hash, run_cli, run_sh

KEYS = [
    "period",
    "totals",
    "moves",
    "added",
    "dropped",
    "restored",
    "lights",
    "funnel",
    "due",
    "overdue",
    "problems",
    "ranking",
    "by_sector",
]


def ok(*args: str) -> Result:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def report(*args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok("report", *args, "--format", "json").stdout, parse_float=Decimal)
    assert list(data) == KEYS
    return data


def ids(entries: list[dict[str, Any]]) -> list[int]:
    return [entry["id"] for entry in entries]


def totals(data: dict[str, Any]) -> tuple[tuple[int, Any], tuple[int, Any], tuple[int, Any]]:
    t = data["totals"]
    return (
        (t["start"]["count"], t["start"]["investment"]),
        (t["end"]["count"], t["end"]["investment"]),
        (t["change"]["count"], t["change"]["investment"]),
    )


@pytest.fixture
def timeline(db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Events before, inside and after the period 2020-08-19 .. 2020-08-24; today is 2020-08-25."""
    monkeypatch.setenv("PIPELINE_TODAY", "2020-08-25")
    ok("move", "7", "preliminary", "--date", "2020-08-17")  # before the period
    ok("drop", "41", "--reason", "资金未落实", "--date", "2020-08-19")  # inside ...
    ok("advance", "12", "--date", "2020-08-19", "--note", "土地摘牌")
    ok("add", "新项目A", "--sector", "biomed", "--investment", "10", "--date", "2020-08-20")  # id 48
    ok("drop", "3", "--reason", "投资方撤回", "--date", "2020-08-21")
    ok("move", "20", "landed", "--date", "2020-08-22")
    ok("undo", "--yes")  # ... the move of 20 is undone: as if never made
    ok("restore", "41", "--date", "2020-08-23")
    ok("advance", "13", "--date", "2020-08-25")  # after the period
    ok("drop", "30", "--reason", "项目外迁", "--date", "2020-08-25")
    ok("edit", "1", "--investment", "100")  # today, after the period: 120 -> 100
    return db


PERIOD = ("--since", "2020-08-19", "--until", "2020-08-24")


# --- what a period holds -------------------------------------------------------------


def test_exactly_the_events_inside_the_period_are_listed(timeline: Path) -> None:
    data = report(*PERIOD)
    assert data["period"] == {"from": "2020-08-19", "to": "2020-08-24"}
    assert [(m["date"], m["id"], m["from"], m["to"], m["note"]) for m in data["moves"]] == [
        ("2020-08-19", 12, "signed", "preliminary", "土地摘牌"),
    ]
    assert data["added"] == [
        {
            "date": "2020-08-20",
            "id": 48,
            "name": "新项目A",
            "sector": "biomed",
            "stage": "negotiating",
            "investment": 10,
            "note": None,
            "by": "tester",
        }
    ]
    assert [(d["date"], d["id"], d["reason"]) for d in data["dropped"]] == [
        ("2020-08-19", 41, "资金未落实"),
        ("2020-08-21", 3, "投资方撤回"),
    ]
    assert list(data["dropped"][1]) == ["date", "id", "name", "sector", "stage", "investment", "reason", "by"]


def test_totals_at_the_start_and_end_of_a_past_period(timeline: Path) -> None:
    # Start (2020-08-18): the 47. End (2020-08-24): + 48 (10), - 3 (3); 41 dropped
    # and restored; 30's drop and 1's new amount came after the end.
    data = report(*PERIOD)
    assert totals(data) == ((47, 871), (47, 878), (0, 7))
    assert data["totals"]["start"]["date"] == "2020-08-18"
    assert data["totals"]["end"]["date"] == "2020-08-24"


def test_funnel_and_sectors_are_as_at_the_end_of_the_period(timeline: Path) -> None:
    data = report(*PERIOD)
    # At the end: 7 and 12 preliminary, 13 still preliminary, 30 still negotiating.
    assert [s["reached"] for s in data["funnel"]["stages"]] == [47, 26, 11, 2, 0, 0, 0, 0]
    # Today the funnel differs: 30 dropped, 13 landed.
    today = json.loads(ok("funnel", "--format", "json").stdout)
    assert [s["reached"] for s in today["stages"]] == [46, 26, 11, 3, 0, 0, 0, 0]
    sectors = {g["sector"]: (g["count"], g["investment"]) for g in data["by_sector"]["groups"]}
    assert sectors["it"] == (14, Decimal("328.8"))  # 3 dropped; 1 still at 120
    assert sectors["biomed"] == (15, Decimal("186.6"))  # 48 added
    assert sectors["transport"] == (8, 260)  # 30 dropped only after the end
    assert data["by_sector"]["total"] == {"count": 47, "investment": 878}


def test_a_sector_edited_after_the_period_counts_where_it_was(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_TODAY", "2020-08-25")
    ok("edit", "13", "--sector", "biomed", "--investment", "60")  # it, 55 亿元 until today
    sectors = {g["sector"]: (g["count"], g["investment"]) for g in report(*PERIOD)["by_sector"]["groups"]}
    assert sectors["it"] == (15, Decimal("331.8"))
    assert sectors["biomed"] == (14, Decimal("176.6"))
    now = json.loads(ok("summary", "--by", "sector", "--format", "json").stdout, parse_float=Decimal)["groups"]
    assert [(g["sector"], g["count"], g["investment"]) for g in now[:2]] == [
        ("it", 14, Decimal("276.8")),
        ("biomed", 15, Decimal("236.6")),
    ]


def test_the_week_ending_today(timeline: Path) -> None:
    data = report("--week")  # 2020-08-19 .. 2020-08-25
    assert data["period"] == {"from": "2020-08-19", "to": "2020-08-25"}
    assert ids(data["moves"]) == [12, 13]
    assert ids(data["dropped"]) == [41, 3, 30]
    assert totals(data) == ((47, 871), (46, 758), (-1, -113))  # + 10 - 3 - 100 (30) - 20 (1's edit)
    assert report() == data  # --week is the default


def test_a_period_before_everything_written(timeline: Path) -> None:
    data = report("--since", "2020-08-01", "--until", "2020-08-16")
    assert data["moves"] == []
    assert ids(data["added"]) == [5, 44, 20, 40]  # the seed's projects created in those days
    # 6.5 + 6.3 + 3 + 4 亿元 came in during the period.
    assert totals(data) == ((43, Decimal("851.2")), (47, 871), (4, Decimal("19.8")))


def test_the_month_so_far(db: Path) -> None:
    data = report("--month")
    assert data["period"] == {"from": "2020-08-01", "to": "2020-08-18"}
    assert ids(data["added"]) == [5, 44, 20, 40]
    assert totals(data)[0] == (43, Decimal("851.2"))


def test_the_seed_week(db: Path) -> None:
    data = report()
    assert data["period"] == {"from": "2020-08-12", "to": "2020-08-18"}
    assert (data["moves"], ids(data["added"]), data["dropped"]) == ([], [40], [])
    assert totals(data) == ((46, 867), (47, 871), (1, 4))


# --- undo ----------------------------------------------------------------------------


def test_an_undone_add_or_drop_never_happened(db: Path) -> None:
    ok("add", "误录项目", "--sector", "it", "--investment", "5")
    ok("undo", "--yes")  # the project stays, dropped with reason undo
    ok("drop", "7", "--reason", "误操作")
    ok("undo", "--yes")
    data = report()
    assert ids(data["added"]) == [40]
    assert data["dropped"] == []
    assert totals(data) == ((46, 867), (47, 871), (1, 4))
    assert summary_total() == (47, 871)


def test_a_move_undone_is_not_a_move_but_a_move_back_is(db: Path) -> None:
    ok("advance", "7", "--date", "2020-08-15")
    ok("move", "7", "signed", "--date", "2020-08-16")  # a real move back, not an undo
    ok("advance", "12")
    ok("undo", "--yes")
    data = report()
    assert [(m["id"], m["from"], m["to"]) for m in data["moves"]] == [
        (7, "signed", "preliminary"),
        (7, "preliminary", "signed"),
    ]


def test_projects_stored_dropped_without_a_drop_event_never_count(blank: Path) -> None:
    build_mixed(blank)  # two of the extra five are dropped, one has no amount
    data = report("--since", "2018-01-01", "--until", "2020-08-18")
    # 47 + 3 active: 871 + unknown + 1234.5678 + 50; the two dropped never count.
    assert totals(data) == ((0, 0), (50, Decimal("2155.5678")), (50, Decimal("2155.5678")))
    assert data["dropped"] == []
    assert len(data["added"]) == 52


# --- the report's figures are the other reports' ---------------------------------------


def summary_total(*args: str) -> tuple[int, Any]:
    total = json.loads(ok("summary", *args, "--format", "json").stdout, parse_float=Decimal)["total"]
    return total["count"], total["investment"]


def test_sections_are_what_summary_funnel_and_lights_print(timeline: Path) -> None:
    data = report("--week")
    by_sector = json.loads(ok("summary", "--by", "sector", "--format", "json").stdout, parse_float=Decimal)
    assert data["by_sector"] == by_sector
    assert (data["totals"]["end"]["count"], data["totals"]["end"]["investment"]) == summary_total()
    funnel = json.loads(ok("funnel", "--format", "json").stdout, parse_float=Decimal)
    assert data["funnel"] == funnel
    lights = json.loads(ok("lights", "--only", "yellow", "--format", "json").stdout, parse_float=Decimal)
    assert data["lights"] == lights
    assert {p["light"] for p in lights} == {"red", "yellow"}


def test_filters_choose_the_projects(timeline: Path) -> None:
    data = report(*PERIOD, "--sector", "it")
    assert ids(data["moves"]) == [12]
    assert data["added"] == []
    assert ids(data["dropped"]) == [3]
    assert totals(data) == ((15, Decimal("331.8")), (14, Decimal("328.8")), (-1, -3))
    assert {p["sector"] for p in data["lights"]} == {"it"}
    assert [g["sector"] for g in data["by_sector"]["groups"]] == ["it"]


# --- formats -----------------------------------------------------------------------------


def test_markdown_is_the_default_even_in_a_pipe(timeline: Path, sh: Any) -> None:
    result = sh("report", *PERIOD)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Pipeline dispatch report, 2020-08-19 to 2020-08-24\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:4] == ["## Totals", "## Stage moves (1)", "## New projects (1)", "## Dropped (2)"]
    assert headings[4].startswith("## Warning lights today: ")
    assert headings[5:] == [
        "## Overdue plans at 2020-08-24 (0)",
        "## Milestones due in the 30 days from 2020-08-24 (0)",
        "## Funnel at 2020-08-24",
        "## By sector at 2020-08-24",
        "## Restored (1)",
        "## Problems opened (0)",
        "## Problems closed (0)",
        "## Problems open and overdue at the end (0)",
        "## Ranking by district at 2020-08-24",
    ]
    assert "| Start (2020-08-18) | 47 | 871 |" in text
    assert "| End (2020-08-24) | 47 | 878 |" in text
    assert "| Change | +0 | +7 |" in text
    assert (
        "| 2020-08-21 | 3 | 工业互联网平台区域总部项目 | it 新一代信息技术 | negotiating 在谈 | 3 | 投资方撤回 |"
        in text
    )
    assert "| **Total** | **47** | **878** |" in text


def test_markdown_in_chinese_and_an_empty_section(db: Path) -> None:
    text = ok("report", "--lang", "zh").stdout
    assert text.startswith("# 招商项目调度报告(2020-08-12 至 2020-08-18)\n")
    assert "## 进度变动(0)\n\n无。\n" in text
    assert "| 期末(2020-08-18) | 47 | 871 |" in text


def test_json_is_laid_out_as_json_dumps_with_indent_2(timeline: Path) -> None:
    for args in (PERIOD, ("--week", "--stage", "capacity")):  # with lights streamed, and with none
        text = ok("report", *args, "--format", "json").stdout
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_every_format_parses(timeline: Path) -> None:
    lines = [json.loads(line) for line in ok("report", *PERIOD, "-f", "jsonl").stdout.splitlines()]
    sections = [line["section"] for line in lines]
    assert sections[:3] == ["totals"] * 3
    assert sections.count("moves") == 1
    assert sections.count("funnel") == 8
    assert lines[2] == {"section": "totals", "at": "change", "count": 0, "investment": 7}
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        rows = list(csv.DictReader(io.StringIO(ok("report", *PERIOD, "-f", fmt).stdout), delimiter=delimiter))
        assert [r["section"] for r in rows] == sections
        assert rows[1]["at"] == "end" and rows[1]["count"] == "47" and rows[1]["investment"] == "878"
        dropped = [r for r in rows if r["section"] == "dropped"]
        assert [(r["id"], r["note"]) for r in dropped] == [("41", "资金未落实"), ("3", "投资方撤回")]
    table = ok("report", *PERIOD, "-f", "table").stdout
    assert "Pipeline dispatch report, 2020-08-19 to 2020-08-24" in table
    assert "新项目A" in table


# --- planned milestones: overdue at the period's end, due in the 30 days after it


@pytest.fixture
def plans(timeline: Path) -> Path:
    """Plans around the period's end (2020-08-24), set today (2020-08-25)."""
    ok("plan", "2", "signed", "2020-08-20")  # overdue at the end: 4 days
    ok("plan", "4", "signed", "2020-08-24")  # due on the last day: due, not overdue
    ok("plan", "5", "signed", "2020-09-23")  # the 30th day after the end: due
    ok("plan", "6", "signed", "2020-09-24")  # the 31st: neither
    ok("plan", "16", "signed", "2020-08-25")  # past the end, due today: due at the end
    ok("plan", "17", "signed", "2020-07-01")  # overdue since July ...
    ok("plan", "18", "signed", "2020-08-01")
    ok("drop", "18", "--reason", "外迁")  # ... but dropped: in neither list
    return timeline


def test_due_and_overdue_at_the_end_of_the_period(plans: Path) -> None:
    body = report(*PERIOD)
    assert [(p["id"], p["next_plan_date"], p["overdue_days"]) for p in body["overdue"]] == [
        (17, "2020-07-01", 54),
        (2, "2020-08-20", 4),
    ]
    assert [(p["id"], p["next_plan_date"]) for p in body["due"]] == [
        (4, "2020-08-24"),
        (16, "2020-08-25"),
        (5, "2020-09-23"),
    ]
    assert all(p["overdue_days"] == 0 for p in body["due"])
    # A period ending today: `due` and `due --overdue` print the same projects.
    week = report("--week")
    due = json.loads(ok("due", "--format", "json").stdout)
    overdue = json.loads(ok("due", "--overdue", "--format", "json").stdout)
    assert week["overdue"] == overdue
    assert week["due"] == [p for p in due if p["overdue_days"] == 0]
    # Reaching the stage ends the overdue; filters choose the projects.
    ok("advance", "17")
    assert [p["id"] for p in report("--week")["overdue"]] == [2, 4]  # 4: due 2020-08-24, past by today
    assert report("--week", "--sector", "food")["overdue"] == []


def test_due_and_overdue_sections_in_every_format(plans: Path) -> None:
    markdown = ok("report", *PERIOD).stdout
    assert "## Overdue plans at 2020-08-24 (2)" in markdown
    assert "## Milestones due in the 30 days from 2020-08-24 (3)" in markdown
    overdue = markdown.split("## Overdue plans")[1].split("## Milestones")[0]
    assert overdue.index("| 17 |") < overdue.index("| 2 |")
    assert "| 2020-08-20 | 4 |" in overdue
    zh = ok("report", *PERIOD, "--lang", "zh").stdout
    assert "## 截至 2020-08-24 计划逾期项目(2)" in zh and "## 2020-08-24 起 30 天内到期的计划节点(3)" in zh
    assert "| 签约 | 2020-08-20 | 4 |" in zh
    table = ok("report", *PERIOD, "-f", "table").stdout
    assert "Overdue plans at 2020-08-24 (2)" in table and "Milestones due in the 30 days" in table
    text = ok("report", *PERIOD, "-f", "text").stdout
    assert "Overdue plans at 2020-08-24 (2)" in text
    lines = [json.loads(line) for line in ok("report", *PERIOD, "-f", "jsonl").stdout.splitlines()]
    assert [(line["id"], line["overdue_days"]) for line in lines if line["section"] == "overdue"] == [(17, 54), (2, 4)]
    assert [line["id"] for line in lines if line["section"] == "due"] == [4, 16, 5]
    rows = list(csv.DictReader(io.StringIO(ok("report", *PERIOD, "-f", "csv").stdout)))
    assert [(r["id"], r["next_plan_date"]) for r in rows if r["section"] == "overdue"] == [
        ("17", "2020-07-01"),
        ("2", "2020-08-20"),
    ]
    empty = ok("report", "--week", "--sector", "food").stdout
    assert "## Overdue plans at 2020-08-25 (0)\n\nNone." in empty


# --- refusals -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2020-08-01"], "--since and --until go together"),
        (["--until", "2020-08-01"], "--since and --until go together"),
        (["--since", "2020-08-10", "--until", "2020-08-01"], "--since 2020-08-10 is after --until 2020-08-01"),
        (["--since", "2020-8-1", "--until", "2020-08-10"], "--since '2020-8-1' is not a date"),
        (["--since", "2020-08-01", "--until", "2020-02-30"], "--until '2020-02-30' is not a date"),
        (["--since", "2020-08-01", "--until", "2020-08-19"], "--until 2020-08-19 is in the future"),
        (["--week", "--month"], "--week and --month cannot be combined"),
        (["--month", "--since", "2020-08-01", "--until", "2020-08-02"], "cannot be combined"),
        (["--sector", "nope"], "unknown sector 'nope'"),
    ],
)
def test_refusals(db: Path, args: list[str], message: str) -> None:
    before = file_hash(db)
    for run in (run_cli, run_sh):
        result = run("report", *args)
        assert result.exit_code == 2
        assert message in result.stderr
        assert result.stdout == ""
        assert file_hash(db) == before


# A drop and a restore of the same project within the week, as each format and language shows them:
# the section's title with its count, and the project's row under it (before the next section).
DROP_RESTORE_TITLES = {
    "en": (("Dropped (1)", "Warning lights today"), ("Restored (1)", "Problems opened")),
    "zh": (("退出项目(1)", "当前亮灯"), ("恢复项目(1)", "新登记问题")),
}
DROP_RESTORE_SHEETS = {"en": ("Dropped", "Restored"), "zh": ("退出项目", "恢复项目")}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["markdown", "table", "text", "html", "xlsx", "json"])
def test_a_drop_and_a_restore_within_the_week_are_both_shown(db: Path, tmp_path: Path, fmt: str, lang: str) -> None:
    ok("drop", "7", "--reason", "资金未到位", "--date", "2020-08-13")
    ok("restore", "7", "--date", "2020-08-14")
    args = ["report", "--week", "--format", fmt, "--lang", lang]
    if fmt == "json":
        body = json.loads(ok(*args).stdout)
        assert [(e["id"], e["date"], e["reason"]) for e in body["dropped"]] == [(7, "2020-08-13", "资金未到位")]
        assert [(e["id"], e["date"], e["stage"]) for e in body["restored"]] == [(7, "2020-08-14", "signed")]
        return
    if fmt == "xlsx":
        import openpyxl

        path = tmp_path / "report.xlsx"
        ok(*args, "-o", str(path))
        book = openpyxl.load_workbook(path)
        dropped, restored = (
            list(book[name].iter_rows(min_row=2, values_only=True)) for name in DROP_RESTORE_SHEETS[lang]
        )
        assert [(row[1], row[2], row[-1]) for row in dropped] == [(7, "东华鲲鹏", "资金未到位")]
        assert [(row[1], row[2]) for row in restored] == [(7, "东华鲲鹏")]
        assert [str(row[0])[:10] for row in dropped + restored] == ["2020-08-13", "2020-08-14"]
        return
    result = run_sh(*args)  # the installed command, as the meeting runs it
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    (drop_title, after_drop), (restore_title, after_restore) = DROP_RESTORE_TITLES[lang]
    dropped_text = text[text.index(drop_title) : text.index(after_drop)]
    restored_text = text[text.index(restore_title) : text.index(after_restore)]
    assert "东华鲲鹏" in dropped_text and "2020-08-13" in dropped_text and "资金未到位" in dropped_text
    assert "东华鲲鹏" in restored_text and "2020-08-14" in restored_text and "2020-08-13" not in restored_text
    english = ("Dropped", "Restored", "Stage", "Reason")
    assert (lang == "zh") == all(word not in text for word in english)
