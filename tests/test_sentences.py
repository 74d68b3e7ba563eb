"""The write commands' lines come from data (store.Done) and read in either language."""

from __future__ import annotations

from pathlib import Path

from conftest import Result, run_cli
from pipeline_cli import sentences
from pipeline_cli.i18n import render
from pipeline_cli.store import Done


def ok(*args: str) -> Result:
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def test_a_move_reads_in_english_and_chinese() -> None:
    done = Done(12, "东华鲲鹏", "stage", from_="signed", to="preliminary")
    assert render(sentences.done(done), "en") == "12 东华鲲鹏: signed → preliminary"
    assert render(sentences.done(done), "zh") == "12 东华鲲鹏：签约 → 前期"


def test_an_edit_names_fields_and_values_in_chinese() -> None:
    done = Done(3, "x", "edited", changes={"investment": ["12", "15"], "key": [False, True], "unit": [None, "局"]})
    assert render(sentences.done(done), "en") == "3 x: investment 12 → 15; key no → yes; unit (none) → 局"
    assert render(sentences.done(done), "zh") == "3 x：投资(亿元) 12 → 15；重点 否 → 是；责任单位 （无） → 局"


def test_a_planned_event_reads_with_its_dates_as_undo_shows_it() -> None:
    what = sentences.event("planned", None, "construction", None, None, plan=("2020-09-01", "2020-10-01"))
    assert not isinstance(what, str)
    assert render(what, "en") == "plan for construction 2020-09-01 → 2020-10-01"
    assert render(what, "zh") == "计划开工日期 2020-09-01 → 2020-10-01"
    cleared = sentences.event("planned", None, "signed", None, None, plan=("2020-09-01", None))
    assert not isinstance(cleared, str)
    assert render(cleared, "zh") == "计划签约日期 2020-09-01 → （无）"


def test_every_write_command_speaks_chinese(db: Path) -> None:
    assert ok("--lang", "zh", "add", "新项目", "--sector", "it").stdout.startswith("已新增 48 新项目（在谈）")
    assert ok("advance", "48", "--lang", "zh").stdout == "48 新项目：在谈 → 签约\n"
    assert ok("--lang", "zh", "move", "48", "landed").stdout == "48 新项目：签约 → 落地\n"
    assert ok("--lang", "zh", "move", "48", "landed").stderr == "项目 48 已处于落地阶段，未做任何修改\n"
    edited = ok("--lang", "zh", "edit", "48", "--sector", "biomed").stdout
    assert edited == "48 新项目：产业领域 新一代信息技术 → 生物医药\n"
    assert ok("--lang", "zh", "drop", "48", "--reason", "撤资").stdout == "48 新项目：已退单（原因：撤资）\n"
    assert ok("--lang", "zh", "restore", "48").stdout == "48 新项目：已恢复（落地）\n"
    assert ok("--lang", "zh", "undo", "--yes").stdout == "已撤销第 6 号修改：48 新项目：已退单\n"
    assert ok("--lang", "zh", "undo", "--yes").stdout == "已撤销第 5 号修改：48 新项目：已恢复\n"


def test_english_lines_are_unchanged(db: Path) -> None:
    assert ok("add", "New", "--sector", "it").stdout == "added 48 New (negotiating)\n"
    assert ok("advance", "48").stdout == "48 New: negotiating → signed\n"
    assert ok("edit", "48", "--key").stdout == "48 New: key no → yes\n"
    assert ok("undo", "--yes").stdout == "undid change 3: 48 New: key yes → no\n"
    assert ok("undo", "--yes").stdout == "undid change 2: 48 New: signed → negotiating\n"
    assert ok("undo", "--yes").stdout == "undid change 1: 48 New: add undone\n"


def test_the_conflicts_of_a_change_speak_chinese_and_change_nothing(db: Path) -> None:
    from conftest import file_hash

    ok("move", "1", "capacity")
    ok("drop", "2", "--reason", "撤资")
    before = file_hash(db)
    for args, text in (
        (("advance", "1"), "错误：项目 1 12英寸晶圆制造项目 已处于最后阶段（达产）\n"),
        (("advance", "3", "--from", "signed"), "而不是签约"),
        (("move", "2", "signed"), "错误：项目 2 新型显示模组生产项目 已退单\n提示：请先恢复：`pipeline restore 2`\n"),
        (("drop", "2", "--reason", "x"), "已经退单"),
        (("restore", "3"), "未退单"),
        (("advance", "3", "--date", "2030-01-01"), "在未来（今天是 2020-08-18）"),
        (("advance", "3", "--date", "1999-01-01"), "早于该项目的最后一个事件"),
    ):
        result = run_cli("--lang", "zh", *args)
        assert result.exit_code == 4, (args, result.stderr)
        assert result.stdout == ""
        assert text in result.stderr, (args, result.stderr)
    assert file_hash(db) == before
