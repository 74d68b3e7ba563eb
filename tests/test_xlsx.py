"""Workbooks: every sheet opened with openpyxl and checked cell by cell against the JSON output.

Also: -o and stdout, the refusals (a terminal, the database itself), and
`import` of .xlsx with the spreadsheet's own row numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from conftest import PIPELINE_BIN, PROJECT_FIELDS, cell_value, file_hash, run_cli
from pipeline_cli import output

FILLS = {"green": "FFC6EFCE", "yellow": "FFFFEB9C", "red": "FFFFC7CE"}
DATE_KEYS = {"stage_since", "date", "opened", "due", "closed", "next_plan_date"}


def json_of(*args: str) -> Any:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout, parse_float=Decimal)


def workbook(tmp_path: Path, *args: str, name: str = "out.xlsx") -> openpyxl.Workbook:
    path = tmp_path / name
    result = run_cli(*args, "--format", "xlsx", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert path.read_bytes().startswith(b"PK\x03\x04")
    return openpyxl.load_workbook(path)


def as_expected(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return Decimal(str(value))


def assert_sheet_matches(sheet: Any, records: list[dict[str, Any]], keys: list[str]) -> None:
    """Header = the JSON keys (bold, frozen), then one row per record, cell by cell."""
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == keys
    assert all(c.font.b for c in rows[0])
    assert sheet.freeze_panes == "A2"
    assert len(rows) - 1 == len(records)
    for row, record in zip(rows[1:], records, strict=True):
        for cell, key in zip(row, keys, strict=True):
            expected = record[key]
            assert cell_value(cell) == as_expected(expected), (sheet.title, cell.coordinate, key, expected)
            if isinstance(expected, str) and key not in DATE_KEYS:
                assert cell.data_type == "s", cell.coordinate  # text stays text, never a formula
            if key == "investment" and expected is not None:
                assert "亿元" in cell.number_format
            if key in DATE_KEYS and expected is not None:
                assert isinstance(cell.value, dt.datetime), (sheet.title, cell.coordinate)
            if key == "light":
                assert cell.fill.fgColor.rgb == FILLS[expected] if expected else cell.fill.fill_type is None


def test_list_workbook_is_the_json_cell_by_cell(db: Path, tmp_path: Path) -> None:
    records = json_of("list", "--all")
    book = workbook(tmp_path, "list", "--all")
    assert book.sheetnames == ["Projects"]
    assert_sheet_matches(book.worksheets[0], records, PROJECT_FIELDS)
    # Amounts are exact: the cells add up to the report's 871 亿元 as the JSON does.
    cells = [c for c in book.worksheets[0]["F"][1:] if c.value is not None]
    assert sum(Decimal(repr(c.value)) for c in cells) == sum(r["investment"] for r in records if r["investment"])


def test_lights_workbook_is_the_json_with_fills(db: Path, tmp_path: Path) -> None:
    records = json_of("lights")
    book = workbook(tmp_path, "lights")
    assert book.sheetnames == ["Lights"]
    assert_sheet_matches(book.worksheets[0], records, PROJECT_FIELDS)
    fills = {c.fill.fgColor.rgb for c in book.worksheets[0]["O"][1:]}
    assert fills == set(FILLS.values())


def test_export_workbook_reads_back_unchanged(db: Path, tmp_path: Path) -> None:
    records = json_of("export")
    book = workbook(tmp_path, "export")
    assert_sheet_matches(book.worksheets[0], records, PROJECT_FIELDS[:13])
    before = file_hash(db)
    result = run_cli("import", str(tmp_path / "out.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "nothing to import: all 47 rows match" in result.stdout
    assert file_hash(db) == before


def test_export_xlsx_into_an_empty_database_gives_the_same_export(db: Path, tmp_path: Path) -> None:
    run_cli("export", "-o", str(tmp_path / "all.xlsx"))
    original = run_cli("export").stdout
    other = tmp_path / "other.db"
    assert run_cli("--db", str(other), "init", "--empty").exit_code == 0
    result = run_cli("--db", str(other), "import", str(tmp_path / "all.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert run_cli("--db", str(other), "export").stdout == original


def test_summary_workbook_groups_and_bold_total(db: Path, tmp_path: Path) -> None:
    body = json_of("summary", "--by", "sector")
    book = workbook(tmp_path, "summary", "--by", "sector")
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ["sector", "count", "investment"]
    for row, group in zip(rows[1:-1], body["groups"], strict=True):
        assert [cell_value(c) for c in row] == [as_expected(group[k]) for k in ("sector", "count", "investment")]
    total = rows[-1]
    assert [cell_value(c) for c in total[1:]] == [body["total"]["count"], body["total"]["investment"]]
    assert total[1].font.b


def test_funnel_workbook_has_the_stages_and_a_chart(db: Path, tmp_path: Path) -> None:
    body = json_of("funnel")
    book = workbook(tmp_path, "funnel")
    sheet = book.worksheets[0]
    assert_sheet_matches(sheet, body["stages"], ["stage", "reached", "investment", "conversion"])
    assert len(sheet._charts) == 1
    assert sheet["D3"].number_format == "0.0%"


def test_report_workbook_one_sheet_per_section_and_a_funnel_chart(db: Path, tmp_path: Path) -> None:
    period = ("report", "--since", "2020-08-01", "--until", "2020-08-18")
    for project_id, date in (("2", "2020-08-01"), ("5", "2020-09-01"), ("4", "2020-07-20")):
        assert run_cli("plan", project_id, "signed", date).exit_code == 0
    body = json_of(*period)
    book = workbook(tmp_path, *period)
    assert book.sheetnames == [
        "Totals",
        "Moves",
        "New",
        "Dropped",
        "Lights",
        "Overdue plans",
        "Due",
        "Funnel",
        "By sector",
        "Restored",
        "Problems opened",
        "Problems closed",
        "Problems overdue",
        "Ranking",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
    totals = list(book["Totals"].iter_rows(values_only=True))
    assert totals[0] == ("at", "date", "count", "investment")
    assert totals[1][2:] == (body["totals"]["start"]["count"], float(body["totals"]["start"]["investment"]))
    assert totals[2][2:] == (body["totals"]["end"]["count"], int(body["totals"]["end"]["investment"]))
    added = book["New"]
    assert_sheet_matches(added, body["added"], ["date", "id", "name", "sector", "stage", "investment"])
    lights = list(book["Lights"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in lights] == [p["id"] for p in body["lights"]]
    assert_sheet_matches(book["Funnel"], body["funnel"]["stages"], ["stage", "reached", "investment", "conversion"])
    assert len(book["Funnel"]._charts) == 1
    plan_keys = ["id", "name", "stage", "unit", "next_plan_stage", "next_plan_date", "overdue_days", "light"]
    assert [p["id"] for p in body["overdue"]] == [4, 2] and [p["id"] for p in body["due"]] == [5]
    assert_sheet_matches(book["Overdue plans"], body["overdue"], plan_keys)
    assert_sheet_matches(book["Due"], body["due"], plan_keys)
    by_sector = list(book["By sector"].iter_rows(values_only=True))
    assert [row[0] for row in by_sector[1:-1]] == [g["sector"] for g in body["by_sector"]["groups"]]
    assert by_sector[-1][1:] == (body["by_sector"]["total"]["count"], int(body["by_sector"]["total"]["investment"]))


def test_chinese_workbook_has_chinese_headers_labels_and_sheet_names(db: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path, "report", "--lang", "zh")
    assert book.sheetnames == [
        "总体情况",
        "进度变动",
        "新增项目",
        "退出项目",
        "亮灯",
        "计划逾期",
        "计划到期",
        "转化漏斗",
        "分产业领域",
        "恢复项目",
        "新登记问题",
        "已销号问题",
        "逾期问题",
        "区市排名",
    ]
    header = [c.value for c in next(book["亮灯"].iter_rows())]
    assert header[:4] == ["编号", "项目名称", "产业领域", "进度"]
    lights = {row[-1] for row in book["亮灯"].iter_rows(min_row=2, values_only=True)}
    assert lights <= {"红灯", "黄灯"}
    stages = [row[0] for row in book["转化漏斗"].iter_rows(min_row=2, values_only=True)]
    assert stages[:3] == ["在谈", "签约", "前期"]
    listed = workbook(tmp_path, "list", "--lang", "zh", name="zh.xlsx").worksheets[0]
    assert listed.title == "项目"
    assert listed["G1"].value == "重点" and listed["G2"].value in ("是", "否")


def test_chinese_workbook_names_statuses_and_sources(db: Path, tmp_path: Path) -> None:
    assert run_cli("drop", "3", "--reason", "外迁").exit_code == 0
    zh = workbook(tmp_path, "list", "--all", "--lang", "zh", name="zh.xlsx").worksheets[0]
    en = workbook(tmp_path, "list", "--all", name="en.xlsx").worksheets[0]
    assert (en["E1"].value, zh["E1"].value, en["L1"].value, zh["L1"].value) == ("status", "状态", "source", "来源")
    rows = zip(en.iter_rows(min_row=2, values_only=True), zh.iter_rows(min_row=2, values_only=True), strict=True)
    pairs = {(e[4], z[4], e[11], z[11]) for e, z in rows}
    assert {(e, z) for e, z, _, _ in pairs} == {("active", "在库"), ("dropped", "已退单")}
    names = {"report": "报告", "illustrative": "示例", "user": "用户录入"}
    assert all(names[e] == z for _, _, e, z in pairs)


def test_text_that_looks_like_a_formula_stays_text(db: Path, tmp_path: Path) -> None:
    assert run_cli("add", '=HYPERLINK("http://x")', "--sector", "it", "--investment", "1").exit_code == 0
    sheet = workbook(tmp_path, "list").worksheets[0]
    cell = sheet.cell(row=sheet.max_row, column=2)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


# --- where the workbook goes -------------------------------------------------------


def test_xlsx_to_stdout_in_a_pipe(db: Path, tmp_path: Path) -> None:
    completed = subprocess.run(
        [str(PIPELINE_BIN), "list", "--format", "xlsx"], capture_output=True, env=os.environ, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    path = tmp_path / "piped.xlsx"
    path.write_bytes(completed.stdout)
    assert openpyxl.load_workbook(path).worksheets[0].max_row == 48
    assert completed.stderr == b""


def test_xlsx_on_a_terminal_without_o_is_refused(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "is_terminal", lambda stream: True)
    before = file_hash(db)
    for args in (["list"], ["report"], ["export"]):
        result = run_cli(*args, "--format", "xlsx")
        assert result.exit_code == 2, result.stderr
        assert result.stdout == ""
        assert "terminal" in result.stderr and "-o FILE" in result.stderr
    assert file_hash(db) == before


@pytest.mark.parametrize("command", ["list", "summary", "report", "export"])
def test_o_never_overwrites_the_database_in_use(db: Path, command: str) -> None:
    before = file_hash(db)
    result = run_cli(command, "--format", "xlsx", "-o", str(db))
    assert result.exit_code == 2
    assert "database in use" in result.stderr
    assert result.stdout == ""
    assert file_hash(db) == before
    journal = db.with_name(db.name + "-journal")
    assert run_cli("list", "--format", "csv", "-o", str(journal)).exit_code == 2
    assert not journal.exists()


def test_o_writes_text_formats_too(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    assert run_cli("list", "--format", "json", "-o", str(path)).exit_code == 0
    assert path.read_text() == run_cli("list", "--format", "json").stdout


def test_html_and_text_are_refused_where_they_do_not_belong(db: Path) -> None:
    result = run_cli("list", "--format", "html")
    assert result.exit_code == 2
    assert "summary, funnel, rank and report" in result.stderr
    assert result.stdout == ""


# --- import of workbooks -------------------------------------------------------


def write_book(path: Path, rows: list[list[Any]], title: str = "Sheet1", extra: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra is not None:
        other = book.create_sheet(extra)
        other.append(["name", "sector"])
        other.append(["另一个项目", "food"])
    book.save(path)
    return path


def test_import_a_districts_workbook(empty_db: Path, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "district.xlsx",
        [
            ["name", "sector", "stage", "investment", "key", "district", "stage_since"],
            ["海洋装备项目", "transport", "signed", 12.5, True, "黄岛区", dt.datetime(2020, 7, 1)],
            ["生物药项目", "biomed", None, 3, False, None, None],
        ],
    )
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    projects = json_of("list")
    assert [(p["name"], p["investment"], p["key"], p["stage"], p["stage_since"]) for p in projects] == [
        ("海洋装备项目", Decimal("12.5"), True, "signed", "2020-07-01"),
        ("生物药项目", 3, False, "negotiating", "2020-08-18"),
    ]


def chinese_book(path: Path, rows: list[list[Any]]) -> Path:
    """A workbook as a district office makes one in Excel or WPS: a title row, Chinese headers, Chinese values."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("项目清单")
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "yyyy年m月d日"})
    sheet.write_row(0, 0, ["黄岛区2020年招商项目清单"], bold)  # a title above the header
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(number, column, value, day)
            elif value is not None:
                sheet.write(number, column, value, bold if number == 1 else None)
    book.close()
    return path


CHINESE_HEADERS = [
    "项目名称",
    "行业",
    "项目阶段",
    "计划总投资（亿元）",  # full-width brackets, as a Chinese keyboard types them
    "是否重点",
    "区市",
    "责任单位",
    "包联领导",
    "备注",
    "进入阶段日期",
]


def test_import_a_workbook_with_chinese_headers_and_values(empty_db: Path, tmp_path: Path) -> None:
    from test_zh_everywhere import english_left

    path = chinese_book(
        tmp_path / "黄岛区.xlsx",
        [
            CHINESE_HEADERS,
            [
                "海洋装备项目",
                "交通装备",
                "签约",
                "8亿",
                "是",
                "黄岛区",
                "区商务局",
                "张区长",
                "签约仪式",
                dt.datetime(2020, 7, 1),
            ],
            ["生物药项目", "生物医药", "在谈", "8000万元", "否", "黄岛区", None, None, None, None],
            ["智能工厂项目", "智能", "前期", 12.5, "否", "黄岛区", "区工信局", None, None, dt.datetime(2020, 6, 1)],
            [
                "算力中心项目",
                "新一代信息技术",
                "开工",
                "1,200万",
                "是",
                "黄岛区",
                None,
                None,
                None,
                dt.datetime(2020, 8, 3),
            ],
            ["饮料项目", "食品", None, None, None, "黄岛区", None, None, None, None],
        ],
    )
    dry = run_cli("--lang", "zh", "import", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert json_of("list") == []  # a dry run writes nothing
    result = run_cli("--lang", "zh", "import", str(path))
    assert result.exit_code == 0, result.stderr
    projects = json_of("list")
    assert [
        (p["name"], p["sector"], p["stage"], p["investment"], p["key"], p["district"], p["unit"], p["lead"])
        for p in projects
    ] == [
        ("海洋装备项目", "transport", "signed", 8, True, "黄岛区", "区商务局", "张区长"),
        ("生物药项目", "biomed", "negotiating", Decimal("0.8"), False, "黄岛区", None, None),
        ("智能工厂项目", "smart-mfg", "preliminary", Decimal("12.5"), False, "黄岛区", "区工信局", None),
        ("算力中心项目", "it", "construction", Decimal("0.12"), True, "黄岛区", None, None),
        ("饮料项目", "food", "negotiating", None, False, "黄岛区", None, None),
    ]
    assert [p["stage_since"] for p in projects] == [
        "2020-07-01",
        "2020-08-18",
        "2020-06-01",
        "2020-08-03",
        "2020-08-18",
    ]
    assert projects[0]["note"] == "签约仪式" and {p["source"] for p in projects} == {"user"}
    assert "试运行：新增 5 个" in dry.stdout and "导入后 21.42 亿元" in dry.stdout
    assert english_left(dry.stdout + dry.stderr + result.stdout + result.stderr) == []
    assert json_of("summary")["total"] == {"count": 5, "investment": Decimal("21.42")}


def test_a_chinese_workbooks_bad_rows_are_named_in_chinese_and_nothing_is_written(
    empty_db: Path, tmp_path: Path
) -> None:
    from test_zh_everywhere import english_left

    path = chinese_book(
        tmp_path / "坏.xlsx",
        [
            CHINESE_HEADERS[:4],
            ["好项目", "生物医药", "签约", "8亿"],
            ["逗号项目", "生物医药", "签约", "12,5亿"],
            ["未知领域项目", "新材料", "在谈", "1亿"],
            ["未知阶段项目", "生物医药", "谈判", "1亿"],
            ["过大项目", "交通装备", "在谈", "20000亿"],
        ],
    )
    before = file_hash(empty_db)
    result = run_cli("--lang", "zh", "import", str(path))
    assert (result.exit_code, result.stdout) == (5, "")
    assert result.stderr.startswith("错误：")
    # Rows numbered as the spreadsheet shows them: the title is row 1, the header row 2.
    for row in (4, 5, 6, 7):
        assert f"第 {row} 行" in result.stderr, result.stderr
    assert "第 3 行" not in result.stderr
    assert "计划投资“12,5亿”在小数点的位置用了逗号" in result.stderr
    assert "未知的产业领域“新材料”" in result.stderr and "未知的阶段“谈判”" in result.stderr
    assert "计划投资“20000亿”超过 10,000 亿元" in result.stderr
    assert english_left(result.stderr) == []
    assert file_hash(empty_db) == before


def test_a_lone_cell_above_no_header_is_the_header_and_refused_as_one(empty_db: Path, tmp_path: Path) -> None:
    # A title is passed over only when a header follows it: a misspelt one-column header is still named.
    before = file_hash(empty_db)
    for rows in ([["nme"], ["甲"]], [["nme"]]):
        path = write_book(tmp_path / "one.xlsx", rows)
        result = run_cli("import", str(path))
        assert (result.exit_code, result.stdout) == (5, ""), result.stderr
        assert "unknown column 'nme'" in result.stderr and "row 1" in result.stderr, result.stderr
    assert file_hash(empty_db) == before


def test_a_bad_row_is_named_by_the_spreadsheets_own_row_number(empty_db: Path, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "bad.xlsx",
        [
            [None],  # a blank first row: the header is on row 2
            ["name", "sector", "investment"],
            ["好项目", "it", 1],
            [None, None, None],
            ["坏项目", "no-such-sector", 2],
            ["负数项目", "it", -5],
        ],
    )
    before = file_hash(empty_db)
    result = run_cli("import", str(path))
    assert result.exit_code == 5
    assert result.stdout == ""
    assert "row 5:" in result.stderr and "no-such-sector" in result.stderr
    assert "row 6:" in result.stderr
    assert "row 3:" not in result.stderr
    assert file_hash(empty_db) == before


def test_sheet_picks_the_sheet(empty_db: Path, tmp_path: Path) -> None:
    path = write_book(tmp_path / "two.xlsx", [["name", "sector"], ["第一个", "it"]], extra="第二页")
    result = run_cli("import", str(path), "--sheet", "第二页")
    assert result.exit_code == 0, result.stderr
    assert [p["name"] for p in json_of("list")] == ["另一个项目"]
    before = file_hash(empty_db)
    missing = run_cli("import", str(path), "--sheet", "nope")
    assert missing.exit_code == 2
    assert "'Sheet1', '第二页'" in missing.stderr
    assert file_hash(empty_db) == before


def test_sheet_on_a_csv_is_a_usage_error(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name,sector\nx,it\n")
    result = run_cli("import", str(path), "--sheet", "x")
    assert result.exit_code == 2
    assert "--sheet is for .xlsx" in result.stderr


def test_a_broken_workbook_is_bad_data(empty_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    before = file_hash(empty_db)
    result = run_cli("import", str(path))
    assert result.exit_code == 5
    assert "not a readable .xlsx workbook" in result.stderr
    assert file_hash(empty_db) == before


def test_sheet_xml_text_reads_back_as_written(tmp_path: Path) -> None:
    """The fast writer's escaping: XML's own characters, control characters, a literal _xHHHH_, edge spaces."""
    from pipeline_cli.formats import Column, Style
    from pipeline_cli.formats.xlsx import Sheet, write_workbook

    texts = ["a & b <c> \"d\" 'e'", "bell\x07 and\ttab\nnewline\rcr", "_x0041_ stays", "  spaced  ", "东华鲲鹏"]
    records = [{"text": text, "n": index, "amount": Decimal("12.3456")} for index, text in enumerate(texts)]
    columns = [Column("text", "Text", "文本"), Column("n", "N", "N", "number"), Column("amount", "A", "A", "number")]
    path = tmp_path / "t.xlsx"
    with path.open("wb") as out:
        assert write_workbook(out, [Sheet("a/b:c", columns, records)], Style()) == len(texts)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == "a b c" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:C6"
    # Control characters and a literal _xHHHH_ are written as Excel (and XlsxWriter) write them,
    # _x0007_ and _x005F_x0041_, which Excel shows as the text and openpyxl leaves as they are.
    shown = [
        text.replace("\x07", "_x0007_").replace("\r", "_x000D_").replace("_x0041_", "_x005F_x0041_") for text in texts
    ]
    assert [cell.value for cell in sheet["A"][1:]] == shown
    assert [cell.value for cell in sheet["B"][1:]] == list(range(len(texts)))
    assert all(cell.value == 12.3456 and "亿元" in cell.number_format for cell in sheet["C"][1:])
    assert sheet["A1"].font.b
    read_only = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    assert read_only.max_row == len(texts) + 1 and read_only.max_column == 3


# --- due, problem list, rank and every sheet of the report -----------------------------


@pytest.fixture
def agenda(db: Path) -> Path:
    """Plans overdue and due, problems open, overdue and closed, a move, an addition, a drop and a restore."""
    for args in (
        ("plan", "1", "signed", "2020-05-01"),  # overdue 109 days: a red plan light
        ("plan", "2", "signed", "2020-08-10"),  # overdue 8 days: yellow
        ("plan", "4", "construction", "2020-09-01"),  # due within 30 days
        ("problem", "add", "3", "用地指标未落实", "--due", "2020-08-01", "--unit", "市自然资源局"),
        ("problem", "add", "5", "环评 <待批> & 公示", "--due", "2020-09-30"),
        ("problem", "add", "6", "已解决的问题"),
        ("problem", "close", "3", "--note", "已协调"),
        ("advance", "7", "--date", "2020-08-10", "--note", "签约仪式"),
        ("add", "新增项目", "--sector", "food", "--investment", "2.5", "--date", "2020-08-12"),
        ("drop", "20", "--reason", "外迁", "--date", "2020-08-11"),
        ("drop", "21", "--reason", "暂缓", "--date", "2020-08-03"),
        ("restore", "21", "--date", "2020-08-13"),
    ):
        result = run_cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    return db


def header_keys(sheet: Any) -> list[str]:
    return [cell.value for cell in next(sheet.iter_rows())]


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (("due",), "Due"),
        (("due", "--overdue"), "Due"),
        (("problem", "list"), "Problems"),
        (("problem", "list", "--open"), "Problems"),
        (("lights", "--only", "yellow"), "Lights"),
    ],
)
def test_due_problems_and_lights_workbooks_are_the_json_cell_by_cell(
    agenda: Path, tmp_path: Path, args: tuple[str, ...], name: str
) -> None:
    records = json_of(*args)
    assert records, args
    book = workbook(tmp_path, *args)
    assert book.sheetnames == [name]
    sheet = book.worksheets[0]
    assert header_keys(sheet) == list(records[0])  # the JSON's fields, in its order
    assert_sheet_matches(sheet, records, list(records[0]))


def test_rank_workbook_is_the_json_cell_by_cell(agenda: Path, tmp_path: Path) -> None:
    for by, name in (("district", "Ranking by District"), ("sector", "Ranking by Sector")):
        body = json_of("rank", "--by", by)
        book = workbook(tmp_path, "rank", "--by", by, name=f"rank-{by}.xlsx")
        assert book.sheetnames == [name]
        sheet = book.worksheets[0]
        keys = ["rank", by, *[k for k in body["groups"][0] if k not in ("rank", by)]]
        assert_sheet_matches(sheet, body["groups"], keys)
        rates = [row[keys.index("start_rate")] for row in sheet.iter_rows(min_row=2)]
        assert all(cell.number_format == "0.0%" for cell in rates if cell.value is not None)
    zh = workbook(tmp_path, "rank", "--lang", "zh", name="rank-zh.xlsx")
    assert zh.sheetnames == ["按区市排名"]
    assert header_keys(zh.worksheets[0])[:3] == ["名次", "区市", "项目数"]


REPORT_SHEETS = {
    "Moves": "moves",
    "New": "added",
    "Dropped": "dropped",
    "Restored": "restored",
    "Lights": "lights",
}


def test_every_report_sheet_is_its_json_section_cell_by_cell(agenda: Path, tmp_path: Path) -> None:
    period = ("report", "--since", "2020-08-01", "--until", "2020-08-18")
    body = json_of(*period)
    book = workbook(tmp_path, *period)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in next(sheet.iter_rows())), sheet.title
    sections = {
        **{name: body[key] for name, key in REPORT_SHEETS.items()},
        "Funnel": body["funnel"]["stages"],
        "Problems opened": body["problems"]["opened"],
        "Problems closed": body["problems"]["closed"],
        "Problems overdue": body["problems"]["overdue"],
        "Ranking": body["ranking"]["groups"],
    }
    for name, records in sections.items():
        assert records, name  # the agenda gives every section something
        sheet = book[name]
        keys = header_keys(sheet)
        assert set(keys) <= set(records[0]), (name, keys)
        assert_sheet_matches(sheet, records, keys)
    # Fills on the lights, the chart on the funnel, the total in bold under the sectors.
    lights = book["Lights"]
    column = header_keys(lights).index("light")
    assert {row[column].fill.fgColor.rgb for row in lights.iter_rows(min_row=2)} == {FILLS["red"], FILLS["yellow"]}
    assert len(book["Funnel"]._charts) == 1
    assert sum(len(sheet._charts) for sheet in book.worksheets) == 1
    by_sector = list(book["By sector"].iter_rows())
    groups = body["by_sector"]["groups"]
    assert [cell_value(c) for c in by_sector[-1][1:]] == [
        body["by_sector"]["total"]["count"],
        as_expected(body["by_sector"]["total"]["investment"]),
    ]
    assert by_sector[-1][1].font.b
    for row, group in zip(by_sector[1:-1], groups, strict=True):
        assert [cell_value(c) for c in row] == [as_expected(group[k]) for k in ("sector", "count", "investment")]
    # Hostile text stays text: the problem with < & > reads back as written.
    texts = [
        row[header_keys(book["Problems opened"]).index("text")].value
        for row in book["Problems opened"].iter_rows(min_row=2)
    ]
    assert "环评 <待批> & 公示" in texts


def test_the_fast_writer_of_project_tuples_writes_what_the_record_path_writes(agenda: Path, tmp_path: Path) -> None:
    """Projects written from their tuples (one generated expression per cell) are the same workbook, byte for byte."""
    import zipfile

    from pipeline_cli import store
    from pipeline_cli.fields import FIELDS
    from pipeline_cli.formats import Style, field_columns, project_record
    from pipeline_cli.formats.xlsx import Sheet, write_workbook

    assert run_cli("add", " <b>&amp;</b> _x0041_ \x85", "--sector", "it", "--investment", "0.0001").exit_code == 0
    from pipeline_cli.model import Filters

    conn = store.open_url(str(agenda)) if store.is_url(str(agenda)) else store.open_existing(agenda)
    try:
        rows = list(store.iter_projects(conn, Filters(), dt.date(2020, 8, 18), fields=FIELDS))
    finally:
        conn.close()
    assert len(rows) > 40 and any(row[-1] for row in rows)  # overdue plans among them
    columns = field_columns(FIELDS)
    fast, slow = tmp_path / "fast.xlsx", tmp_path / "slow.xlsx"
    with fast.open("wb") as out:
        write_workbook(out, [Sheet("P", columns, [], rows=rows, fields=FIELDS)], Style())
    with slow.open("wb") as out:
        write_workbook(out, [Sheet("P", columns, [project_record(row, FIELDS) for row in rows])], Style())
    with zipfile.ZipFile(fast) as a, zipfile.ZipFile(slow) as b:
        assert a.read("xl/worksheets/sheet1.xml") == b.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize(
    "by", [(), ("sector",), ("district",), ("sector", "stage")], ids=lambda by: "+".join(by) or "none"
)
def test_every_summary_workbook_is_its_json_with_its_sheet_name_and_frozen_header(
    agenda: Path, tmp_path: Path, by: tuple[str, ...]
) -> None:
    """summary with no, one or two --by (the cross-table in long form), and the funnel: sheet, pane, every cell."""
    args = ["summary", *(part for field in by for part in ("--by", field))]
    body = json_of(*args)
    book = workbook(tmp_path, *args)
    assert book.sheetnames == ["Summary"]
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows())
    keys = [*body["by"], "count", "investment"]
    assert [c.value for c in rows[0]] == keys and all(c.font.b for c in rows[0])
    assert len(rows) == 1 + len(body["groups"]) + 1  # the header, a row per group, the total
    for row, group in zip(rows[1:-1], body["groups"], strict=True):
        assert [cell_value(c) for c in row] == [as_expected(group[k]) for k in keys], row[0].coordinate
    assert [cell_value(c) for c in rows[-1][len(body["by"]) :]] == [
        as_expected(body["total"]["count"]),
        as_expected(body["total"]["investment"]),
    ]
    assert all("亿元" in row[-1].number_format for row in rows[1:] if row[-1].value is not None)
    funnel = workbook(tmp_path, "funnel", "--sector", "it", name="funnel.xlsx")
    assert funnel.sheetnames == ["Funnel"] and funnel.worksheets[0].freeze_panes == "A2"
    assert_sheet_matches(
        funnel.worksheets[0],
        json_of("funnel", "--sector", "it")["stages"],
        ["stage", "reached", "investment", "conversion"],
    )
