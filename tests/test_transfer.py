"""import, export, backup: round trips, refusals with row numbers, encodings, formula cells."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from builders import EXTRA_PROJECTS, build, build_mixed
from conftest import PIPELINE_BIN, Result, file_hash, query, run_cli, run_sh
from pipeline_cli import store
from pipeline_cli.formats import escape_cell, unescape_cell
from pipeline_cli.model import ProjectRecord
from pipeline_cli.seed import projects_2020

HEADER = "id,name,sector,stage,status,investment,key,district,unit,lead,note,source,stage_since"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def events(db: Path) -> list[dict[str, Any]]:
    return query(db, 'SELECT project_id, kind, "from", "to", date, changes, change, note FROM events ORDER BY id')


def assert_refused(result: Result, db: Path, before: str, code: int = 5) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert file_hash(db) == before


# Names and notes a spreadsheet would run as formulas, and ones that merely look escaped.
FORMULA_PROJECTS = (
    ProjectRecord(name='=HYPERLINK("http://x","点我")', sector="it", source="user", stage_since="2020-01-01"),
    ProjectRecord(name="+86 电话项目", sector="it", note="-减号开头", source="user", stage_since="2020-01-01"),
    ProjectRecord(
        name="@SUM(A1)", sector="it", unit="=1+1", lead="'=已带引号", source="user", stage_since="2020-01-01"
    ),
    ProjectRecord(name="'普通引号", sector="it", district="''@两个引号", source="user", stage_since="2020-01-01"),
    ProjectRecord(name="制表\t在中间", sector="it", note="回车\r在中间", source="user", stage_since="2020-01-01"),
)


# --- round trips -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_import_export_gives_the_same_file(blank: Path, tmp_path: Path, fmt: str) -> None:
    build(blank, [*projects_2020(), *EXTRA_PROJECTS, *FORMULA_PROJECTS])
    first = tmp_path / f"first.{fmt}"
    assert run_cli("export", "-o", str(first)).exit_code == 0
    other = tmp_path / "other.db"
    assert run_cli("--db", str(other), "init", "--empty").exit_code == 0
    result = run_cli("--db", str(other), "import", str(first))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported: 57 added, 0 updated, 0 moved, 0 unchanged"
    second = tmp_path / f"second.{fmt}"
    assert run_cli("--db", str(other), "export", "-o", str(second)).exit_code == 0
    assert second.read_bytes() == first.read_bytes()
    # Ids and the day each project entered its stage came across too.
    rows = json.loads(run_cli("--db", str(other), "list", "--all", "-f", "json").stdout)
    assert [row["id"] for row in rows] == list(range(1, 58))
    assert rows[48]["status"] == "dropped" and rows[48]["stage_since"] == "2019-06-01"
    check = run_cli("--db", str(other), "check")
    assert check.exit_code == 0, check.stdout + check.stderr


def test_export_csv_columns_and_exact_values(blank: Path) -> None:
    build_mixed(blank)
    result = run_cli("export")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == HEADER
    assert (
        lines[1]
        == "1,12英寸晶圆制造项目,it,negotiating,active,120,false,西海岸新区,西海岸新区管委,,,illustrative,2020-05-12"
    )
    # Dropped projects too; amounts exact; key true/false; a missing amount empty.
    assert "49,旧厂改造项目,food,negotiating,dropped,7,true,城阳区,,,退单: 客户悔单,user,2019-06-01" in lines
    assert "48,降解率100%新材料项目,textile,signed,active,,false,黄岛区,,,a_b 备注,user,2020-08-01" in lines
    assert '51,"青岛""蓝谷"",海洋|装备项目",transport,construction,active,1234.5678,true' in result.stdout


def test_export_json_is_the_contract_values(db: Path) -> None:
    projects = json.loads(run_cli("export", "--format", "json").stdout)
    assert len(projects) == 47
    assert list(projects[0]) == [
        "id", "name", "sector", "stage", "status", "investment", "key", "district",
        "unit", "lead", "note", "source", "stage_since",
    ]  # fmt: skip
    assert sum(Decimal(str(p["investment"])) for p in projects if p["investment"] is not None) == 871
    lines = run_cli("export", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == projects


def test_formula_cells_are_neutralised_in_csv_and_restored_on_import(blank: Path, tmp_path: Path) -> None:
    build(blank, FORMULA_PROJECTS)
    out = run_cli("export").stdout
    lines = out.split("\n")
    assert lines[1].startswith('1,"\'=HYPERLINK(""http://x"",""点我"")",it,')
    assert lines[2] == "2,'+86 电话项目,it,negotiating,active,,false,,,,'-减号开头,user,2020-01-01"
    assert lines[3] == "3,'@SUM(A1),it,negotiating,active,,false,,'=1+1,''=已带引号,,user,2020-01-01"
    # A quote not before a formula character is left alone; one that is, is doubled.
    assert lines[4] == "4,'普通引号,it,negotiating,active,,false,'''@两个引号,,,,user,2020-01-01"
    # A tab or CR inside a text is no formula trigger (no text starts with one: texts.clean_text trims).
    assert lines[5] == '5,制表\t在中间,it,negotiating,active,,false,,,,"回车\r在中间",user,2020-01-01'
    # No cell of a data row starts with a formula character.
    for line in lines[1:-1]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in line.split(","))
    # Import takes every cell back exactly.
    other = tmp_path / "other.db"
    run_cli("--db", str(other), "init", "--empty")
    result = run_cli("--db", str(other), "import", "-", "--format", "csv", input=out)
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(other)
    stored = conn.execute("SELECT name, district, unit, lead, note FROM projects ORDER BY id").fetchall()
    conn.close()
    assert stored == [
        ('=HYPERLINK("http://x","点我")', None, None, None, None),
        ("+86 电话项目", None, None, None, "-减号开头"),
        ("@SUM(A1)", None, "=1+1", "'=已带引号", None),
        ("'普通引号", "''@两个引号", None, None, None),
        ("制表\t在中间", None, None, None, "回车\r在中间"),
    ]


@pytest.mark.parametrize(
    "text", ["=1", "'=1", "''=1", "'", "'a", "-", "+", "\t", "\r\n", "a=b", "", "@", "'@'", "中文"]
)
def test_escaping_is_reversible(text: str) -> None:
    assert unescape_cell(escape_cell(text)) == text
    assert not escape_cell(text).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_with_bom_and_output_file(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "projects.csv"
    target.write_text("old content\n")
    result = run_cli("export", "--bom", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"exported 47 projects to {target}\n"
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,name,")
    assert "东华鲲鹏".encode() in data
    assert sorted(p.name for p in tmp_path.iterdir() if "projects" in p.name) == ["projects.csv"]
    # The BOM file imports back: nothing changes.
    again = run_cli("import", str(target))
    assert again.exit_code == 0, again.stderr
    assert again.stdout == "nothing to import: all 47 rows match the database\n"


def test_export_format_from_output_extension(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "p.jsonl"
    assert run_cli("export", "-o", str(target)).exit_code == 0
    assert len(target.read_text().splitlines()) == 47
    assert json.loads(target.read_text().splitlines()[0])["id"] == 1


def test_export_to_a_missing_folder_fails_and_leaves_nothing(db: Path, tmp_path: Path) -> None:
    result = run_cli("export", "-o", str(tmp_path / "no" / "such" / "p.csv"))
    assert result.exit_code == 8
    assert result.stdout == ""
    assert "cannot write" in result.stderr


# --- import: adds and updates ---------------------------------------------------------


def test_a_new_row_without_sector_is_refused(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(tmp_path / "p.csv", "id,name,stage\n1,12英寸晶圆制造项目,signed\n100,新项目,signed\n")
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    # Row 2 updates project 1, whose sector is kept; row 3 adds one and needs a sector.
    assert result.stderr.splitlines()[1] == (
        "  row 3: sector is missing (give one of: it, biomed, transport, smart-mfg, textile, food)"
    )


def test_import_updates_moves_drops_under_one_change_that_undo_reverts(db: Path, tmp_path: Path) -> None:
    before = run_cli("export").stdout
    path = write(
        tmp_path / "changes.csv",
        "id,name,stage,investment,status,key,sector\n"
        "1,12英寸晶圆制造项目,signed,120.5,active,false,it\n"  # moved and edited
        "2,新型显示模组生产项目,negotiating,12,dropped,false,it\n"  # dropped
        "3,新名字,negotiating,3,active,true,it\n"  # edited
        "4,人工智能算力中心项目,negotiating,20,active,false,it\n"  # unchanged
        "100,新项目,signed,1.5,active,false,biomed\n"  # a new id
        ",无编号项目,,,,,food\n",  # no id
    )
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1 12英寸晶圆制造项目: negotiating → signed; investment 120 → 120.5",
        "2 新型显示模组生产项目: dropped",
        "3 新名字: name 工业互联网平台区域总部项目 → 新名字; key no → yes",
        "added 100 新项目 (signed)",
        "added 101 无编号项目 (negotiating)",
        "imported: 2 added, 2 updated, 1 moved, 1 unchanged",
    ]
    written = [e for e in events(db) if e["change"] is not None]
    assert {e["change"] for e in written} == {1}
    assert sorted((e["project_id"], e["kind"], e["from"], e["to"], e["date"]) for e in written) == [
        (1, "edited", None, None, "2020-08-18"),
        (1, "stage", "negotiating", "signed", "2020-08-18"),
        (2, "dropped", None, None, "2020-08-18"),
        (3, "edited", None, None, "2020-08-18"),
        (100, "created", None, "signed", "2020-08-18"),
        (101, "created", None, "negotiating", "2020-08-18"),
    ]
    by_kind = {(e["project_id"], e["kind"]): e for e in written}
    assert json.loads(by_kind[(1, "edited")]["changes"]) == {"investment": ["120", "120.5"]}
    assert json.loads(by_kind[(3, "edited")]["changes"]) == {
        "name": ["工业互联网平台区域总部项目", "新名字"],
        "key": [False, True],
    }
    assert {e["note"] for e in written} == {"import changes.csv"}
    # Columns the file lacks kept their values.
    shown = json.loads(run_cli("show", "1", "-f", "json").stdout)
    assert (shown["district"], shown["stage_since"]) == ("西海岸新区", "2020-08-18")
    check = run_cli("check")
    assert check.exit_code == 0, check.stdout + check.stderr
    # One undo takes the whole import back; the added projects are as if never added.
    undo = run_cli("undo", "--yes")
    assert undo.exit_code == 0, undo.stderr
    assert run_cli("export").stdout == before
    check = run_cli("check")
    assert check.exit_code == 0, check.stdout + check.stderr


def test_a_dropped_project_moves_only_when_the_row_restores_it(blank: Path, tmp_path: Path) -> None:
    build_mixed(blank)  # project 49 is dropped, at negotiating
    before = file_hash(blank)
    refused = run_cli("import", str(write(tmp_path / "p.csv", "id,stage\n49,signed\n")))
    assert_refused(refused, blank, before)
    assert "row 2: project 49 is dropped, so its stage cannot change" in refused.stderr
    result = run_cli("import", str(write(tmp_path / "q.csv", "id,stage,status\n49,signed,active\n")))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "49 旧厂改造项目: restored; negotiating → signed"
    assert [e["kind"] for e in events(blank) if e["change"] == 1] == ["restored", "stage"]
    check = run_cli("check")
    assert check.exit_code == 0, check.stdout + check.stderr


def test_a_restore_with_a_dated_move_is_not_dated_after_the_move(blank: Path, tmp_path: Path) -> None:
    # The row restores project 49 and moves it on a past day: the restore is
    # dated that day too, so history never shows a move of a dropped project.
    build_mixed(blank)
    path = write(tmp_path / "q.csv", "id,stage,status,stage_since\n49,signed,active,2020-08-03\n")
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    mine = [(e["kind"], e["date"]) for e in events(blank) if e["change"] == 1]
    assert mine == [("restored", "2020-08-03"), ("stage", "2020-08-03")]
    history = json.loads(run_cli("history", "49", "-f", "json").stdout)
    kinds = [(e["kind"], e["date"]) for e in history]
    assert kinds[-2:] == [("restored", "2020-08-03"), ("stage", "2020-08-03")]
    assert [d for _, d in kinds] == sorted(d for _, d in kinds)
    check = run_cli("check")
    assert check.exit_code == 0, check.stdout + check.stderr


def test_new_ids_are_used_and_fresh_ones_come_after_every_id(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "name,sector,id\n甲,it,\n乙,it,200\n丙,it,\n")
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "added 201 甲 (negotiating)",
        "added 200 乙 (negotiating)",
        "added 202 丙 (negotiating)",
    ]


def test_a_move_is_dated_by_a_changed_stage_since(db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "p.csv", "id,stage,stage_since\n4,signed,2020-08-01\n6,signed,\n")
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    shown = {p["id"]: p for p in json.loads(run_cli("list", "-f", "json").stdout)}
    assert (shown[4]["stage"], shown[4]["stage_since"]) == ("signed", "2020-08-01")
    assert (shown[6]["stage"], shown[6]["stage_since"]) == ("signed", "2020-08-18")


def test_dry_run_says_what_would_happen_and_writes_nothing(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(tmp_path / "p.csv", "id,name,sector,stage\n1,12英寸晶圆制造项目,it,signed\n,新的,biomed,\n")
    result = run_cli("import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1 12英寸晶圆制造项目: negotiating → signed [120 亿元]",
        "added (new id) 新的 (negotiating) [investment unknown]",
        "dry run: 1 added, 0 updated, 1 moved, 0 unchanged; nothing was written",
        "investment of active projects: 871 亿元 before, 871 亿元 after (+0)",
    ]
    assert file_hash(db) == before


def test_a_dry_run_shows_each_rows_amount_and_the_totals_before_and_after(db: Path, tmp_path: Path) -> None:
    """Amounts as typed (units, thousands) and the active projects' total: 871 亿元 in the report's data."""
    before = file_hash(db)
    rows = (
        "id,name,sector,investment,status\n7,东华鲲鹏,it,35,\n12,工业软件研发中心项目,it,2.5,dropped\n"
        ",新材料项目,it,8000万,\n,另一项目,food,1,200.5,\n"
    )
    path = write(tmp_path / "p.csv", rows.replace("1,200.5", '"1,200.5"'))
    result = run_cli("import", "--dry-run", str(path))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "7 东华鲲鹏: investment 30 → 35 [35 亿元]"
    assert lines[1] == "12 工业软件研发中心项目: dropped [2.5 亿元]"
    assert lines[2] == "added (new id) 新材料项目 (negotiating) [0.8 亿元]"
    assert lines[3] == "added (new id) 另一项目 (negotiating) [1200.5 亿元]"
    # 871 + 5 (edit) - 2.5 (dropped) + 0.8 + 1200.5 = 2074.8
    assert lines[-1] == "investment of active projects: 871 亿元 before, 2074.8 亿元 after (+1203.8)"
    zh = run_cli("import", "--dry-run", str(path), "--lang", "zh").stdout.splitlines()
    assert zh[0] == "7 东华鲲鹏：投资(亿元) 30 → 35【35 亿元】"
    assert zh[1] == "12 工业软件研发中心项目：已退单【2.5 亿元】"
    assert zh[2] == "新增 新编号 新材料项目（在谈）【0.8 亿元】"
    assert zh[-2] == "试运行：新增 2 个，更新 2 个，阶段变更 0 个，不变 0 个；未写入任何内容"
    assert zh[-1] == "在库项目计划投资：导入前 871 亿元，导入后 2074.8 亿元（+1203.8）"
    shell = run_sh("import", "--dry-run", str(path))
    assert (shell.exit_code, shell.stdout) == (0, result.stdout)
    assert file_hash(db) == before


def test_the_landed_fixture_adds_the_13_projects(db: Path) -> None:
    result = run_cli("import", "fixtures/landed_2020.csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "imported: 13 added, 0 updated, 0 moved, 0 unchanged"
    landed = json.loads(run_cli("list", "--search", "", "-f", "json").stdout)[47:]
    assert [(p["id"], p["name"], p["stage"]) for p in landed] == [
        (48, "美锦氢能科技产业园", "construction"),
        (49, "泰泽惠康", "construction"),
        (50, "易邦生物", "construction"),
        (51, "泰泓轨道新材料", "construction"),
        (52, "新松机器人", "construction"),
        (53, "修正(青岛)", "construction"),
        (54, "海克斯康", "completed"),
        (55, "海信日立商用空调", "production"),
        (56, "众瑞", "construction"),
        (57, "中船重工(青岛)海洋装备研究院", "construction"),
        (58, "地铁维保中心", "construction"),
        (59, "美锦氢能客车", "construction"),
        (60, "惠科", "construction"),
    ]
    assert {p["source"] for p in landed} == {"report"}
    assert {p["investment"] for p in landed} == {None}
    assert all(p["stage_since"] <= "2020-08-18" and "报告: " in p["note"] for p in landed)


def test_importing_the_same_names_again_warns(db: Path, tmp_path: Path) -> None:
    assert run_cli("import", "fixtures/landed_2020.csv").exit_code == 0
    before = file_hash(db)
    again = run_cli("import", "--dry-run", "fixtures/landed_2020.csv")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[-2] == "dry run: 13 added, 0 updated, 0 moved, 0 unchanged; nothing was written"
    warnings = again.stderr.splitlines()
    assert len(warnings) == 14
    assert (
        warnings[0] == "warning: landed_2020.csv: row 2: project 48 is also named 美锦氢能科技产业园; this adds another"
    )
    assert warnings[-1].startswith("hint: a row without an id always adds a project")
    assert file_hash(db) == before
    twice = run_cli("import", str(write(tmp_path / "p.csv", "name,sector\n甲,it\n乙,it\n甲,food\n")))
    assert twice.exit_code == 0
    assert twice.stderr.splitlines()[0] == "warning: p.csv: row 4: row 2 adds a project of the same name, 甲"


# --- import: refusals -----------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_spreadsheet_row_number(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(
        tmp_path / "bad.csv",
        "name,sector,stage,investment,id\n"
        "好的,it,signed,1,\n"  # row 2: fine
        "甲,bio-med,signed,1,\n"  # row 3
        "乙,it,started,1,\n"  # row 4
        "丙,it,signed,-5,\n"  # row 5
        "丁,it,signed,十亿,\n"  # row 6
        "戊,it,signed,1,300\n"  # row 7
        "己,it,signed,1,300\n"  # row 8: duplicate id
        ",it,signed,1,\n"  # row 9: no name
        '"多行\n名字",it,signed,1.23456,\n',  # row 10: one spreadsheet row over two lines
    )
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    assert result.stderr.splitlines() == [
        "error: bad.csv: 7 bad rows; nothing was imported",
        "  row 3: unknown sector 'bio-med' (did you mean 'biomed'? valid sectors: it, biomed, transport, "
        "smart-mfg, textile, food)",
        "  row 4: unknown stage 'started' (did you mean 'signed'? valid stages: negotiating, signed, preliminary, "
        "landed, construction, completed, production, capacity)",
        "  row 5: investment '-5' is negative (give a planned amount of 0 or more 亿元)",
        "  row 6: investment '十亿' is not a number (give 亿元 as a decimal (12.5, 1,200.5) "
        "or with a unit (8亿, 8000万, 1,200万元))",
        "  row 8: id 300 is also on row 7",
        "  row 9: name is missing (every project needs a name)",
        "  row 10: investment '1.23456' has more than 4 decimals (amounts are exact to 0.0001 亿元 (1 万元))",
        "hint: fix them and import again (--dry-run checks a file without writing anything)",
    ]


def test_json_items_are_numbered_by_position(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    items = [
        {"name": "甲", "sector": "it"},
        {"name": "乙", "sector": "it", "investment": -1},
        "not an object",
        {"name": "丙", "sector": "it", "stage": "nope"},
    ]
    path = write(tmp_path / "bad.json", json.dumps(items, ensure_ascii=False))
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    lines = result.stderr.splitlines()
    assert lines[0] == "error: bad.json: 3 bad rows; nothing was imported"
    assert lines[1].startswith("  row 2: investment '-1' is negative")
    assert lines[2] == "  row 3: is string, not an object"
    assert lines[3].startswith("  row 4: unknown stage 'nope'")


def test_jsonl_rows_are_numbered_by_line(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(tmp_path / "bad.jsonl", '{"name": "甲", "sector": "it"}\n{"name": "乙"}\n{oops\n')
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    assert result.stderr.splitlines()[1:3] == [
        "  line 2: sector is missing (give one of: it, biomed, transport, smart-mfg, textile, food)",
        "  line 3: not valid JSON: Expecting property name enclosed in double quotes at column 2",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "error: p.csv is empty"),
        ("  \n\n", "error: p.csv is empty"),
        (HEADER + "\n", "error: p.csv has a header but no rows"),
        (HEADER + "\n,,,,,,,,,,,,\n", "error: p.csv has a header but no rows"),
        ("name,sector,investmnet\n甲,it,1\n", "error: p.csv: unknown column 'investmnet' (row 1)"),
        ("name,sector,name\n甲,it,乙\n", "error: p.csv: column 'name' appears twice in the header (row 1)"),
    ],
)
def test_files_without_usable_rows_are_refused(db: Path, tmp_path: Path, content: str, message: str) -> None:
    before = file_hash(db)
    result = run_cli("import", str(write(tmp_path / "p.csv", content)))
    assert_refused(result, db, before)
    assert result.stderr.splitlines()[0] == message


def test_unknown_column_hint_names_the_columns(db: Path, tmp_path: Path) -> None:
    result = run_cli("import", str(write(tmp_path / "p.csv", "name,sector,investmnet\n甲,it,1\n")))
    assert "hint: did you mean 'investment'? the columns are: id, name, sector" in result.stderr


def test_computed_columns_of_list_are_accepted(db: Path, tmp_path: Path) -> None:
    listed = run_cli("list", "--all", "-f", "csv").stdout
    path = write(tmp_path / "list.csv", listed)
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "nothing to import: all 47 rows match the database\n"


def test_changing_a_stored_source_or_only_stage_since_is_refused(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(tmp_path / "p.csv", "id,source,stage_since\n1,report,\n2,,2020-01-01\n")
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    assert "row 2: source 'report' differs from project 1's 'illustrative'" in result.stderr
    assert "row 3: stage_since 2020-01-01 differs from the stored 2020-07-20, but the stage stays negotiating" in (
        result.stderr
    )


def test_a_move_dated_before_the_last_event_is_refused(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(tmp_path / "p.csv", "id,stage,stage_since\n2,signed,2020-07-01\n")
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    assert "row 2: stage_since 2020-07-01 is before project 2's last recorded event (2020-07-20)" in result.stderr


# --- encodings -----------------------------------------------------------------------

GBK_TEXT = "name,sector,district\n海信日立商用空调,智能制造装备,黄岛区\n易邦生物,生物医药,\n"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "GB18030"])
def test_gbk_files_import_with_their_encoding(db: Path, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "wps.csv", GBK_TEXT, "gbk")
    result = run_cli("import", "--encoding", encoding, str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "added 48 海信日立商用空调 (negotiating)",
        "added 49 易邦生物 (negotiating)",
        "imported: 2 added, 0 updated, 0 moved, 0 unchanged",
    ]
    shown = json.loads(run_cli("show", "48", "-f", "json").stdout)
    assert (shown["sector"], shown["district"]) == ("smart-mfg", "黄岛区")


def test_a_gbk_file_read_as_utf8_is_refused_with_its_position(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(tmp_path / "wps.csv", GBK_TEXT, "gbk")
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    offset = len(b"name,sector,district\n")
    assert result.stderr.splitlines() == [
        f"error: wps.csv is not valid UTF-8: bytes ba a3 at byte offset {offset} (line 2)",
        "hint: a file saved by Excel or WPS in Chinese is often GBK: try --encoding gb18030",
    ]


def test_a_utf8_file_read_as_gbk_is_refused_not_garbled(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = write(tmp_path / "u.csv", GBK_TEXT)
    result = run_cli("import", "--encoding", "gbk", str(path))
    assert_refused(result, db, before)
    assert "u.csv is UTF-8 text, not gbk" in result.stderr


def test_bytes_invalid_in_gbk_are_refused(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = tmp_path / "broken.csv"
    path.write_bytes(GBK_TEXT.encode("gbk") + b"\xff\xff,it\n")
    result = run_cli("import", "--encoding", "gbk", str(path))
    assert_refused(result, db, before)
    assert "broken.csv is not valid gbk: bytes ff ff at byte offset" in result.stderr
    assert "(line 4)" in result.stderr
    assert "--encoding gb18030" in result.stderr


def test_a_utf8_bom_is_stripped(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "name,sector\n甲,it\n".encode())
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "added 48 甲 (negotiating)"


def test_an_unknown_encoding_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    result = run_cli("import", "--encoding", "klingon", str(write(tmp_path / "p.csv", "name,sector\n甲,it\n")))
    assert_refused(result, db, before, code=2)
    assert "unknown encoding 'klingon'" in result.stderr


def test_an_xlsx_workbook_is_refused_with_advice(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = tmp_path / "book.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = run_cli("import", str(path))
    assert_refused(result, db, before)
    assert "--format xlsx" in result.stderr


def test_format_must_be_known(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    result = run_cli("import", str(write(tmp_path / "p.txt", "name,sector\n甲,it\n")))
    assert_refused(result, db, before, code=2)
    assert "cannot tell the format of" in result.stderr
    ok = run_cli("import", "--format", "csv", str(tmp_path / "p.txt"))
    assert ok.exit_code == 0, ok.stderr


def test_a_missing_file_is_a_usage_error(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    result = run_cli("import", str(tmp_path / "nope.csv"))
    assert_refused(result, db, before, code=2)
    assert f"no file {tmp_path / 'nope.csv'}" in result.stderr


# --- backup ---------------------------------------------------------------------------


def test_backup_copies_the_database(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    result = run_cli("backup", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"backed up 47 projects to {target}\n"
    assert run_cli("--db", str(target), "export").stdout == run_cli("export").stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_refuses_an_existing_path_and_leaves_it_alone(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"precious")
    before = file_hash(db)
    result = run_cli("backup", str(target))
    assert_refused(result, db, before, code=4)
    assert target.read_bytes() == b"precious"
    assert "already exists" in result.stderr


def test_backup_into_a_missing_folder_cannot_write(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    result = run_cli("backup", str(tmp_path / "nope" / "copy.db"))
    assert_refused(result, db, before, code=8)
    assert f"there is no folder {tmp_path / 'nope'}" in result.stderr
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("url", ["postgresql://someone@server.example/pipeline", "{db}"])
def test_backup_to_a_url_is_a_usage_error_naming_copy(db: Path, url: str, sh: Callable[..., Result]) -> None:
    """A URL is no PATH: it is not taken as a folder postgresql: (which would lose its //)."""
    url = url.replace("{db}", str(db)) if store.is_url(str(db)) else url.replace("{db}", "postgresql://x/y")
    before = file_hash(db)
    for run in (run_cli, sh):
        result = run("backup", url)
        assert_refused(result, db, before, code=2)
        assert f"backup writes an SQLite file, and {store.display_name(url)} is a database on a server" in result.stderr
        assert "`pipeline copy`" in result.stderr
    assert not Path("postgresql:").exists()


@pytest.mark.parametrize("fmt", [None, "xlsx"])
@pytest.mark.parametrize("url", ["postgresql://someone:s3cret@server.example/pipeline", "postgres://h/db.csv", "{db}"])
def test_export_to_a_url_is_a_usage_error_naming_copy(
    db: Path, url: str, fmt: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """-o postgresql://... is no FILE: not db.csv in a folder postgres:/h (the // lost), and nothing is written."""
    url = url.replace("{db}", str(db)) if store.is_url(str(db)) else url.replace("{db}", "postgresql://x/y")
    monkeypatch.chdir(tmp_path)
    present = sorted(tmp_path.rglob("*"))
    before = file_hash(db)
    shown = store.display_name(url)
    for lang, said in (
        ("en", f"export writes a file, and {shown} is a database on a server"),
        ("zh", f"导出只写入文件，而 {shown} 是服务器上的数据库"),
    ):
        result = run_sh("export", "-o", url, *(["-f", fmt] if fmt else []), "--lang", lang)
        assert result.exit_code == 2, result.stderr
        assert result.stdout == ""
        assert said in result.stderr
        assert "`pipeline copy`" in result.stderr
        assert "s3cret" not in result.stderr
    assert file_hash(db) == before
    assert sorted(tmp_path.rglob("*")) == present
    assert not Path("postgresql:").exists() and not Path("postgres:").exists()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["list", "-o", "https://u:pw@example.com/list.csv"],
            "-o takes a file's path, and https://u@example.com/list.csv is a URL",
        ),
        (
            ["summary", "-o", "postgresql://h/summary.xlsx"],
            "-o takes a file's path, and postgresql://h/summary.xlsx is a URL",
        ),
        (["export", "-o", "sqlite:///x.csv"], "-o takes a file's path, and sqlite:///x.csv is a URL"),
        (["import", "postgresql://h/db"], "import reads a file, and postgresql://h/db is a database on a server"),
        (
            ["import", "--format", "csv", "https://example.com/a.csv"],
            "FILE takes a file's path, and https://example.com/a.csv is a URL",
        ),
        (
            ["backup", "https://example.com/copy.db"],
            "PATH takes a file's path, and https://example.com/copy.db is a URL",
        ),
        (
            ["copy", "{db}", "https://example.com/copy.db"],
            "TARGET takes a file's path, and https://example.com/copy.db is a URL",
        ),
        (["copy", "sqlite:///x.db", "copy.db"], "SOURCE takes a file's path, and sqlite:///x.db is a URL"),
    ],
)
def test_a_url_where_a_file_belongs_is_a_usage_error(
    db: Path, args: list[str], said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every FILE and PATH taken as text first: a URL is refused (exit 2) before a Path folds its //."""
    monkeypatch.chdir(tmp_path)
    present = sorted(tmp_path.rglob("*"))
    before = file_hash(db)
    result = run_sh(*(str(db) if arg == "{db}" else arg for arg in args))
    assert_refused(result, db, before, code=2)
    assert said in result.stderr
    assert "pw" not in result.stderr
    assert sorted(tmp_path.rglob("*")) == present


@pytest.mark.parametrize("given", ["--db", "PIPELINE_DB", "settings"])
@pytest.mark.parametrize("command", [["init"], ["list"], ["add", "新项目", "--sector", "it", "--district", "城阳区"]])
def test_a_database_named_by_another_kind_of_url_is_a_usage_error(
    db: Path, given: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--db sqlite:///x.db is no file: init made a folder sqlite: (the // folded) and a database in it."""
    url = "sqlite:///tmp/x.db" if given == "--db" else "https://u:pw@example.com/pipeline.db"
    monkeypatch.chdir(tmp_path)
    present = sorted(tmp_path.rglob("*"))
    before = file_hash(db)
    env: dict[str, str] = {}
    args = list(command)
    if given == "--db":
        args = ["--db", url, *args]
    elif given == "PIPELINE_DB":
        env["PIPELINE_DB"] = url
    else:
        config = tmp_path / "config.toml"
        config.write_text(f'db = "{url}"\n')
        present = sorted(tmp_path.rglob("*"))
        monkeypatch.delenv("PIPELINE_DB")
        env["PIPELINE_CONFIG"] = str(config)
    result = run_sh(*args, env=env)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    shown = "sqlite:///tmp/x.db" if given == "--db" else "https://u@example.com/pipeline.db"
    option = {"--db": "--db", "PIPELINE_DB": "PIPELINE_DB", "settings": "db"}[given]
    assert f"error: {option} names a database file or a postgresql:// URL, and {shown} is another kind of URL" in (
        result.stderr
    )
    assert "pw" not in result.stderr
    assert file_hash(db) == before
    assert sorted(tmp_path.rglob("*")) == present


@pytest.mark.slow
def test_backup_while_others_write_passes_check(db: Path, tmp_path: Path, sh: Callable[..., Result]) -> None:
    import subprocess
    import sys

    writers = []
    for n in range(4):
        rows = "".join(f"写入{n}-{i},it\n" for i in range(200))
        path = write(tmp_path / f"w{n}.csv", "name,sector\n" + rows)
        script = (
            "import subprocess, sys\n"
            "for _ in range(5):\n"
            f"    subprocess.run([{str(Path(sys.executable).with_name('pipeline'))!r}, 'import', {str(path)!r}],"
            " check=True, capture_output=True)\n"
        )
        writers.append(subprocess.Popen([sys.executable, "-c", script]))
    backups = []
    for i in range(6):
        target = tmp_path / f"backup{i}.db"
        result = sh("backup", str(target))
        assert result.exit_code == 0, result.stderr
        backups.append(target)
    for writer in writers:
        assert writer.wait(timeout=120) == 0
    final = sh("list", "--all", "-f", "json")
    assert len(json.loads(final.stdout)) == 47 + 4 * 5 * 200
    for target in backups:
        checked = sh("--db", str(target), "check")
        assert checked.exit_code == 0, checked.stdout + checked.stderr
        count = len(json.loads(sh("--db", str(target), "list", "--all", "-f", "json").stdout))
        # A snapshot between whole imports: never part of one.
        assert (count - 47) % 200 == 0
        conn = store.open_existing(target)
        assert store.check_database(conn, target) == []
        conn.close()


# --- the README's examples ---------------------------------------------------------

README = Path(__file__).resolve().parent.parent / "README.md"
WPS_TEXT = (
    "name,sector,stage,investment,district\n"
    "智能家电产业园项目,智能制造装备,签约,30,即墨区\n"
    "海洋生物医药中试基地,生物医药,签约,2,崂山区\n"
)


def test_readme_data_in_and_out_examples_are_real(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Replay the console examples of the README's 'Data in and out' against a fresh seed."""
    import re
    import shlex
    import subprocess

    monkeypatch.chdir(db.parent)
    monkeypatch.setenv("PIPELINE_USER", "wang")
    monkeypatch.setenv("PATH", f"{PIPELINE_BIN.parent}{os.pathsep}{os.environ['PATH']}")
    (db.parent / "fixtures").symlink_to(README.parent / "fixtures")
    (db.parent / "backups").mkdir()
    (db.parent / "wps.csv").write_bytes(WPS_TEXT.encode("gbk"))
    section = README.read_text(encoding="utf-8").split("\n## Data in and out\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```console\n(.*?)```", section, re.S)
    assert len(blocks) >= 8
    replayed = 0
    for block in blocks:
        for command in re.split(r"^\$ ", block, flags=re.M)[1:]:
            line, _, expected = command.partition("\n")
            words = shlex.split(line)
            if words[0] == "cat":
                # The file is what cat shows.
                (db.parent / words[1]).write_text(expected, encoding="utf-8")
                continue
            if words[0] == "curl":
                assert "_facet=stage" in line
                from test_datasette import get

                (response,) = get(db, "/pipeline/project_view.json?_facet=stage&_size=0")
                results = response.json()["facet_results"]
                facet = results.get("results", results)["stage"]["results"]
                output = json.dumps({item["value"]: item["count"] for item in facet}, separators=(",", ":")) + "\n"
            elif "|" in words:
                bash = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env={**os.environ})
                output = bash.stdout
            else:
                result = run_cli(*words[1:])
                output = result.stderr + result.stdout if result.exit_code else result.stdout + result.stderr
            assert output == expected, line
            replayed += 1
    assert replayed == 13


def _import_with_stderr_on_a_terminal(path: Path) -> tuple[int, str, str]:
    import pty
    import subprocess

    leader, follower = pty.openpty()
    try:
        completed = subprocess.run(
            [str(PIPELINE_BIN), "import", str(path)],
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
            timeout=120,
            env={**os.environ, "COLUMNS": "100"},
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
    return completed.returncode, completed.stdout, b"".join(chunks).decode("utf-8", "replace")


def test_a_large_file_shows_a_progress_bar_on_a_terminal_only(empty_db: Path, tmp_path: Path) -> None:
    big = write(tmp_path / "big.csv", "name,sector\n" + "".join(f"项目{i},it\n" for i in range(6000)))
    code, stdout, terminal = _import_with_stderr_on_a_terminal(big)
    assert code == 0
    assert stdout.splitlines()[-1] == "imported: 6000 added, 0 updated, 0 moved, 0 unchanged"
    # The bar follows the file's bytes.
    assert "importing" in terminal and re.search(r"\d+(\.\d+)?/\d+(\.\d+)? kB", terminal), terminal
    # Piped, stderr stays clean; a small file never shows a bar.
    piped = run_sh("import", str(big))
    assert "warning: big.csv: and 5980 more rows adding a name already taken" in piped.stderr
    assert piped.exit_code == 0 and piped.stderr.count("warning:") == 21 and "importing" not in piped.stderr
    small = write(tmp_path / "small.csv", "name,sector\n甲,it\n")
    code, _, terminal = _import_with_stderr_on_a_terminal(small)
    assert code == 0 and terminal == ""


def test_export_refuses_to_write_over_the_database_in_use(db: Path) -> None:
    before = file_hash(db)
    result = run_sh("export", "-o", str(db))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "database in use" in result.stderr
    assert file_hash(db) == before


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_a_chinese_export_imports_back_unchanged(blank: Path, tmp_path: Path, fmt: str) -> None:
    build(blank, [*projects_2020(), *EXTRA_PROJECTS, *FORMULA_PROJECTS])
    english = tmp_path / f"english.{fmt}"
    assert run_cli("export", "-o", str(english)).exit_code == 0
    chinese = tmp_path / f"chinese.{fmt}"
    assert run_cli("export", "--lang", "zh", "-o", str(chinese)).exit_code == 0
    text = chinese.read_text(encoding="utf-8")
    assert "项目名称" in text and "新一代信息技术" in text and "在库" in text and "已退单" in text
    assert "biomed" not in text and "negotiating" not in text
    other = tmp_path / "other.db"
    assert run_cli("--db", str(other), "init", "--empty").exit_code == 0
    result = run_cli("--db", str(other), "--lang", "zh", "import", str(chinese))
    assert result.exit_code == 0, result.stderr
    again = tmp_path / f"again.{fmt}"
    assert run_cli("--db", str(other), "export", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == english.read_bytes()
    # Imported over the same projects, the Chinese file changes nothing.
    same = run_cli("--db", str(other), "import", str(chinese))
    assert same.exit_code == 0 and same.stdout.startswith("nothing to import"), same.stdout


def test_only_a_command_line_lang_makes_an_export_chinese(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    english = run_cli("export").stdout
    monkeypatch.setenv("PIPELINE_LANG", "zh")
    assert run_cli("export").stdout == english
    assert run_cli("--lang", "zh", "export").stdout.startswith("编号,项目名称,产业领域,进度,状态,")
    assert run_cli("export", "--lang", "en").stdout == english


def test_import_takes_chinese_headers_and_values(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "局.csv"
    path.write_text(
        "名称,行业,项目阶段,状态,计划总投资(亿元),是否重点,区市,责任单位,包联领导,备注\n"
        "甲,生物医药,签约,在库,8000万,是,城阳区,市发改委,王明,\n"
        "乙,交通,前期,退单,1.5,否,,,,撤资\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    rows = json.loads(run_cli("list", "--all", "-f", "json").stdout)
    assert [(r["name"], r["sector"], r["stage"], r["status"], r["investment"], r["key"]) for r in rows] == [
        ("甲", "biomed", "signed", "active", 0.8, True),
        ("乙", "transport", "preliminary", "dropped", 1.5, False),
    ]


# --- files larger than one batch: streamed, still all or nothing ---------------------


def test_a_bad_row_after_many_batches_leaves_the_database_as_it_was(db: Path, tmp_path: Path) -> None:
    """Rows are checked and written in batches inside one transaction: a bad last row undoes them all."""
    rows = "".join(f"批量项目{i},it,{i % 7 + 1}\n" for i in range(9000))
    for bad, fmt in (
        ("坏项目,no-such-sector,1\n", "csv"),
        ('{"name": "坏项目", "sector": "it", "investment": -1}\n', "jsonl"),
    ):
        if fmt == "csv":
            path = write(tmp_path / "many.csv", "name,sector,investment\n" + rows + bad)
        else:
            lines = "".join(
                json.dumps({"name": f"批量项目{i}", "sector": "it"}, ensure_ascii=False) + "\n" for i in range(9000)
            )
            path = write(tmp_path / "many.jsonl", lines + bad)
        before = file_hash(db)
        result = run_cli("import", str(path))
        assert result.exit_code == 5, result.stderr
        assert result.stdout == ""
        assert ("row 9002:" if fmt == "csv" else "line 9001:") in result.stderr
        assert file_hash(db) == before


def test_fresh_ids_come_after_an_id_named_further_down_the_file(db: Path, tmp_path: Path) -> None:
    """A row without id early in a long file gets an id above every id the whole file names."""
    rows = ["新项目甲,it", *(f"批量项目{i},food" for i in range(5000)), "新项目乙,it"]
    text = "id,name,sector\n" + "".join(f",{row}\n" for row in rows) + "90000,指定编号项目,biomed\n"
    result = run_cli("import", str(write(tmp_path / "ids.csv", text)))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "added 90001 新项目甲 (negotiating)"
    assert lines[-3] == "added 95002 新项目乙 (negotiating)"
    assert lines[-2] == "added 90000 指定编号项目 (negotiating)"
    assert lines[-1] == "imported: 5003 added, 0 updated, 0 moved, 0 unchanged"
    shown = json.loads(run_cli("show", "95002", "--format", "json").stdout)
    assert shown["name"] == "新项目乙"
