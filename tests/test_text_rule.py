"""One rule for text on every way in (texts.clean_text), so every export comes back exactly.

add, edit and import of every format store the same text for the same input:
trimmed at both ends, tabs and line breaks (LF, CR, U+2028, U+2029, U+0085)
kept inside, other control characters and bidirectional overrides refused.
What is stored comes back unchanged through export in csv, json, jsonl and
xlsx, and through list -f tsv. Files that are not what they claim (JSON
arrays or objects for text, duplicate keys, deep nesting, huge numbers,
encodings that cannot refuse bytes) are refused with exit 5 or 2, nothing
on stdout and the database unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Result, file_hash, query, run_cli
from pipeline_cli.formats import tsv_unescape
from pipeline_cli.texts import clean_text

TEXT_COLUMNS = ("name", "district", "unit", "lead", "note")


def stored(db: Path) -> list[tuple[object, ...]]:
    rows = query(db, f"SELECT id, {', '.join(TEXT_COLUMNS)} FROM projects ORDER BY id")
    return [tuple(row.values()) for row in rows]


def assert_refused(result: Result, db: Path, before: str, code: int) -> None:
    assert result.exit_code == code, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "hint: " in result.stderr
    assert "Traceback" not in result.stderr
    assert file_hash(db) == before


# Text as people and programs write it: edges of white space, line breaks of
# every kind, formula triggers and quotes, Chinese.
AWKWARD_CHARS = st.sampled_from(
    [" ", "\t", "\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\u3000", "=", "+", "-", "@", "'", '"', ",", "\\"]
)
TEXTS = st.lists(st.one_of(AWKWARD_CHARS, st.sampled_from(["a", "中", "项目", "1"])), min_size=1, max_size=12).map(
    "".join
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_what_is_stored_comes_back_exactly_in_every_format(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    folder = tmp_path_factory.mktemp("round")
    db = folder / "a.db"
    assert run_cli("--db", str(db), "init", "--empty").exit_code == 0
    name = clean_text(text, "name") or "名"
    added = run_cli("--db", str(db), "add", "x" + text, "--sector", "it", "--note", text, "--district", text)
    assert added.exit_code == 0, added.stderr
    # The JSON way in stores what add stored.
    item = {"name": "x" + text, "sector": "it", "note": text, "district": text, "unit": text}
    imported = run_cli("--db", str(db), "import", "-", "--format", "json", input=json.dumps([item]))
    assert imported.exit_code == 0, imported.stderr
    rows = stored(db)
    expected = clean_text("x" + text, "name"), clean_text(text, "district"), clean_text(text, "note")
    assert (rows[0][1], rows[0][2], rows[0][5]) == expected
    assert (rows[1][1], rows[1][2], rows[1][5]) == expected
    assert rows[1][3] == clean_text(text, "unit")
    assert name
    for fmt in ("csv", "json", "jsonl", "xlsx"):
        exported = folder / f"out.{fmt}"
        exported.unlink(missing_ok=True)
        assert run_cli("--db", str(db), "export", "-o", str(exported)).exit_code == 0
        other = folder / f"{fmt}.db"
        other.unlink(missing_ok=True)
        assert run_cli("--db", str(other), "init", "--empty").exit_code == 0
        back = run_cli("--db", str(other), "import", str(exported))
        assert back.exit_code == 0, (fmt, back.stderr)
        assert stored(other) == rows, fmt
        # Importing its own export into the same database changes nothing.
        again = run_cli("--db", str(db), "import", str(exported))
        assert again.exit_code == 0, (fmt, again.stderr)
        assert again.stdout.startswith("nothing to import"), (fmt, again.stdout)
    tsv = run_cli("--db", str(db), "list", "-f", "tsv").stdout
    lines = tsv.split("\n")
    assert len(lines) == 4 and lines[-1] == ""
    header = lines[0].split("\t")
    cells = [[tsv_unescape(cell) or None for cell in line.split("\t")] for line in lines[1:-1]]
    for column in ("id", *TEXT_COLUMNS):
        if column in header:
            index = header.index(column)
            shown = [row[index] for row in cells]
            assert shown == [
                str(row[0]) if column == "id" else row[("id", *TEXT_COLUMNS).index(column)] for row in rows
            ]


def test_jsonl_lines_end_at_line_feed_only(db: Path, tmp_path: Path) -> None:
    text = '{"name": "甲\u2028乙\u2029丙\x85丁\\r戊", "sector": "it"}\r\n{"name": "己", "sector": "it"}\n'
    path = tmp_path / "p.jsonl"
    path.write_text(text, encoding="utf-8", newline="")
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    names = [row[1] for row in stored(db)][-2:]
    assert names == ["甲\u2028乙\u2029丙\x85丁\r戊", "己"]


@pytest.mark.parametrize("value", ["a\x1b[31mred", "bell\x07", "nul\x00x", "del\x7f", "c1\x9b", "rtl\u202emoc.exe"])
def test_control_characters_are_refused_on_every_way_in(db: Path, tmp_path: Path, value: str) -> None:
    before = file_hash(db)
    assert_refused(run_cli("add", value, "--sector", "it"), db, before, 2)
    assert_refused(run_cli("add", "ok", "--sector", "it", "--note", value), db, before, 2)
    assert_refused(run_cli("edit", "1", "--name", value), db, before, 2)
    assert_refused(run_cli("edit", "1", "--district", value), db, before, 2)
    csv_file = tmp_path / "p.csv"
    csv_file.write_text(f"name,sector\n{value},it\n", encoding="utf-8")
    refused = run_cli("import", str(csv_file))
    assert_refused(refused, db, before, 5)
    assert "row 2: name holds a control character" in refused.stderr
    json_file = tmp_path / "p.json"
    json_file.write_text(json.dumps([{"name": "ok", "sector": "it", "lead": value}]), encoding="utf-8")
    refused = run_cli("import", str(json_file))
    assert_refused(refused, db, before, 5)
    assert "row 1: lead holds a control character" in refused.stderr


def test_a_refusal_is_in_chinese_too(db: Path) -> None:
    result = run_cli("--lang", "zh", "add", "a\x1bb", "--sector", "it")
    assert result.exit_code == 2
    assert "控制字符" in result.stderr and "U+001B" in result.stderr


@pytest.mark.parametrize(
    ("item", "reason"),
    [
        ({"name": ["a"], "sector": "it"}, "row 1: name is a JSON array, not text"),
        ({"name": {"a": 1}, "sector": "it"}, "row 1: name is a JSON object, not text"),
        ({"name": True, "sector": "it"}, "row 1: name is a JSON boolean, not text"),
        ({"name": 12, "sector": "it"}, "row 1: name is a JSON number, not text"),
        ({"name": "a", "sector": "it", "note": 1.5}, "row 1: note is a JSON number, not text"),
        ({"name": "a", "sector": "it", "investment": [1]}, "row 1: investment is a JSON array, not text"),
    ],
)
def test_json_values_that_are_not_text_are_refused_with_the_row(
    db: Path, tmp_path: Path, item: dict[str, object], reason: str
) -> None:
    before = file_hash(db)
    path = tmp_path / "p.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    refused = run_cli("import", str(path))
    assert_refused(refused, db, before, 5)
    assert reason in refused.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_duplicate_keys_are_refused(db: Path, tmp_path: Path, fmt: str) -> None:
    before = file_hash(db)
    item = '{"name": "a", "sector": "it", "name": "b"}'
    path = tmp_path / f"p.{fmt}"
    path.write_text(f"[{item}]" if fmt == "json" else item + "\n", encoding="utf-8")
    refused = run_cli("import", str(path))
    assert_refused(refused, db, before, 5)
    assert "key 'name' appears twice" in refused.stderr
    # A contract name and its Chinese label are the same field twice.
    path.write_text('[{"name": "a", "名称": "b", "sector": "it"}]', encoding="utf-8")
    refused = run_cli("import", str(path), "--format", "json")
    assert_refused(refused, db, before, 5)
    assert "key 'name' appears twice" in refused.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_deep_nesting_and_huge_numbers_are_clear_errors(db: Path, tmp_path: Path, fmt: str) -> None:
    before = file_hash(db)
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / f"p.{fmt}"
    path.write_text(deep + "\n", encoding="utf-8")
    refused = run_cli("import", str(path))
    assert_refused(refused, db, before, 5)
    assert "nested too deeply" in refused.stderr
    huge = "9" * 5000
    for text in (
        f'{{"id": {huge}, "name": "a", "sector": "it"}}',
        f'{{"name": "a", "sector": "it", "investment": {huge}}}',
        '{"name": "a", "sector": "it", "investment": 1e999999999}',
    ):
        path.write_text(f"[{text}]" if fmt == "json" else text + "\n", encoding="utf-8")
        refused = run_cli("import", str(path))
        assert_refused(refused, db, before, 5)
        assert (" 1: " if fmt == "json" else "line 1: ") in refused.stderr


@pytest.mark.parametrize(
    ("encoding", "says"),
    [
        ("latin-1", "reads any bytes as some text"),
        ("cp437", "reads any bytes as some text"),
        ("rot13", "is not a text encoding"),
        ("base64", "is not a text encoding"),
    ],
)
def test_encodings_that_cannot_refuse_bad_bytes_are_refused(db: Path, tmp_path: Path, encoding: str, says: str) -> None:
    before = file_hash(db)
    path = tmp_path / "p.csv"
    path.write_bytes("name,sector\n项目,it\n".encode())
    refused = run_cli("import", str(path), "--encoding", encoding)
    assert_refused(refused, db, before, 2)
    assert says in refused.stderr


def test_a_utf8_file_read_as_cp1252_is_refused_not_garbled(db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    path = tmp_path / "p.csv"
    path.write_bytes("name,sector\nCafé,it\n".encode())
    refused = run_cli("import", str(path), "--encoding", "cp1252")
    assert_refused(refused, db, before, 5)
    assert "is UTF-8 text, not cp1252" in refused.stderr
