"""import of hostile or damaged workbooks: a zip bomb, rows and columns past a spreadsheet's limits,
XML that breaks off, cells whose value does not fit their type. Each is bad data (exit 5) named
with its row where it has one, stdout empty, the database byte for byte as it was, no traceback;
and a stray empty cell far to the right costs nothing.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import pytest

from conftest import file_hash, run_cli, run_sh

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="项目" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    ),
}


def text(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def row(number: int | str, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


HEADER = row(1, text("A1", "name"), text("B1", "sector"))
GOOD = row(2, text("A2", "好项目"), text("B2", "it"))


def sheet_xml(rows: Iterable[str], *, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(rows)
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
    return f"{head}{dim}<sheetData>{body}</sheetData></worksheet>"


def write_book(path: Path, sheet: str | Callable[[IO[bytes]], None]) -> Path:
    """A minimal workbook whose one sheet is `sheet` (its XML, or a function writing it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in _PARTS.items():
            archive.writestr(name, body)
        if callable(sheet):
            with archive.open("xl/worksheets/sheet1.xml", "w") as part:
                sheet(part)
        else:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def refused(db: Path, path: Path, *needles: str) -> str:
    before = file_hash(db)
    result = run_cli("import", str(path))
    assert result.exit_code == 5, result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert file_hash(db) == before
    return result.stderr


def test_the_workbook_itself_imports(empty_db: Path, tmp_path: Path) -> None:
    """The minimal workbook of these tests is a good one: what is refused below is what was broken."""
    path = write_book(tmp_path / "good.xlsx", sheet_xml([HEADER, GOOD]))
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "好项目" in result.stdout


def test_a_zip_bomb_is_refused_before_it_is_unpacked(empty_db: Path, tmp_path: Path) -> None:
    """200 MiB of empty rows packed into a few hundred KiB: refused from the zip's directory, unread."""

    def bomb(part: IO[bytes]) -> None:
        head, tail = sheet_xml([HEADER, GOOD]).split("</sheetData>")
        part.write(head.encode())
        filler = b"<row/>" * 100_000
        for _ in range(350):
            part.write(filler)
        part.write(b"</sheetData>" + tail.encode())

    path = write_book(tmp_path / "bomb.xlsx", bomb)
    assert path.stat().st_size < 2 << 20
    refused(empty_db, path, "bomb.xlsx", "xl/worksheets/sheet1.xml", "200 MiB")


def test_a_row_past_a_spreadsheets_last_row_is_refused(empty_db: Path, tmp_path: Path) -> None:
    """A row numbered past 1,048,576 (openpyxl would hand over every empty row before it)."""
    far = row(99_999_999_999, text("A99999999999", "远项目"), text("B99999999999", "it"))
    path = write_book(tmp_path / "far.xlsx", sheet_xml([HEADER, GOOD, far]))
    refused(empty_db, path, "row 1048577", "1,048,576")


@pytest.mark.parametrize("dimension", [None, "A1:B3000"], ids=["scanned-at-open", "read-row-by-row"])
def test_xml_that_breaks_off_is_bad_data(empty_db: Path, tmp_path: Path, dimension: str | None) -> None:
    """Without a <dimension> openpyxl scans the sheet when it opens it; with one, as the rows are read."""
    rows = [HEADER, *(row(n, text(f"A{n}", f"项目{n}"), text(f"B{n}", "it")) for n in range(2, 3000))]
    xml = sheet_xml(rows, dimension=dimension)
    path = write_book(tmp_path / "broken.xlsx", xml[: len(xml) // 2] + "<<>>" + xml[len(xml) // 2 :])
    stderr = refused(empty_db, path, "broken.xlsx")
    assert "internal error" not in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ('<c r="B3" t="n"><v>abc</v></c>', "abc"),
        ('<c r="B3" t="d"><v>garbage</v></c>', "garbage"),
        ('<c r="B3" t="s"><v>99</v></c>', "index"),
    ],
    ids=["number", "date", "shared-string"],
)
def test_a_cell_whose_value_does_not_fit_its_type_names_its_row(
    empty_db: Path, tmp_path: Path, cell: str, reason: str
) -> None:
    path = write_book(tmp_path / "cell.xlsx", sheet_xml([HEADER, GOOD, row(3, text("A3", "坏项目"), cell)]))
    refused(empty_db, path, "row 3", reason)


def test_a_stray_empty_cell_far_right_is_ignored_and_a_value_there_is_named(empty_db: Path, tmp_path: Path) -> None:
    """A formatted empty cell in column XFD pads every row to 16,384 cells; the import reads two."""
    rows = [HEADER, *(row(n, text(f"A{n}", f"项目{n}"), text(f"B{n}", "it")) for n in range(2, 2002))]
    stray = '<row r="2002"><c r="XFD2002" s="0"/></row>'
    path = write_book(tmp_path / "wide.xlsx", sheet_xml([*rows, stray], dimension="A1:XFD2002"))
    result = run_cli("import", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "2000 added" in result.stdout

    valued = row(3, text("A3", "第三"), text("B3", "it"), text("XFD3", "多余"))
    path = write_book(tmp_path / "valued.xlsx", sheet_xml([HEADER, GOOD, valued]))
    refused(empty_db, path, "row 3", "16384 cells")


def test_through_the_installed_command_no_traceback(empty_db: Path, tmp_path: Path) -> None:
    path = write_book(
        tmp_path / "cell.xlsx", sheet_xml([HEADER, row(2, text("A2", "x"), '<c r="B2" t="d"><v>x</v></c>')])
    )
    before = file_hash(empty_db)
    for lang in ("en", "zh"):
        result = run_sh("--lang", lang, "import", str(path))
        assert result.exit_code == 5, result.stderr
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        assert ("row 2" if lang == "en" else "第 2 行") in result.stderr
    assert file_hash(empty_db) == before
