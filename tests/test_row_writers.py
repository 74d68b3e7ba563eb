"""The project writers' fast paths give the bytes of the plain rule.

A tsv line is joined as it is and escaped only when a value holds a tab, a
line break or a backslash; rows are written in chunks; an indented JSON
object holding a Decimal, and a stream of objects, are made without the
json module's pure-Python path. Each is compared here with the rule it
stands for: tsv_cell on every text field, one row at a time, json.dumps.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline_cli.fields import FIELDS, Field
from pipeline_cli.formats import CHUNK_ROWS, Style, line_writer, tsv_cell, write_json, write_projects

# Text full of what tsv escapes, with ordinary text beside it.
awkward_text = st.text(alphabet=st.sampled_from(["a", "甲", " ", "\t", "\n", "\r", "\\", "t", "n", '"', ","]))


def _value(f: Field) -> st.SearchStrategy[Any]:
    if f.kind == "int":
        return st.one_of(st.none(), st.integers(-(10**6), 10**6))
    if f.kind == "bool":
        return st.sampled_from([0, 1])
    if f.kind == "money":
        return st.one_of(st.none(), st.sampled_from(["0.0001", "12.5", "871"]))
    if f.kind == "text":
        return st.one_of(st.none(), awkward_text)
    return st.one_of(st.none(), st.sampled_from(["it", "signed", "2020-08-18", "red"]))


rows = st.tuples(*(_value(f) for f in FIELDS))


def tsv_reference(row: tuple[Any, ...]) -> str:
    cells = []
    for f, value in zip(FIELDS, row, strict=True):
        if value is None:
            cells.append("")
        elif f.kind == "int":
            cells.append(str(value))
        elif f.kind == "bool":
            cells.append("true" if value else "false")
        elif f.kind == "text":
            cells.append(tsv_cell(value))
        else:
            cells.append(value)
    return "\t".join(cells)


@given(rows)
def test_a_tsv_line_escapes_exactly_the_text_that_needs_it(row: tuple[Any, ...]) -> None:
    line = line_writer(FIELDS, "tsv")(row)
    assert line == tsv_reference(row)
    assert line.count("\t") == len(FIELDS) - 1
    assert "\n" not in line and "\r" not in line


@pytest.mark.parametrize("count", [0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1, 2 * CHUNK_ROWS + 3])
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "tsv"])
def test_rows_written_in_chunks_are_the_rows_written_one_by_one(count: int, fmt: str) -> None:
    many = [
        (
            i,
            f"项目 {i}\t",
            "it",
            "signed",
            "active",
            "1.5",
            i % 2,
            None,
            "单位",
            None,
            "备注\n",
            "user",
            "2020-01-01",
            i,
            "red",
            "stage",
            None,
            None,
            0,
        )
        for i in range(count)
    ]
    out = io.StringIO()
    assert write_projects(out, iter(many), FIELDS, fmt, Style()) == count
    one_by_one = io.StringIO()
    line = line_writer(FIELDS, "json" if fmt == "jsonl" else fmt)
    if fmt == "json":
        one_by_one.write("[" + ",".join("\n  " + line(row) for row in many) + ("\n]\n" if many else "]\n"))
    else:
        if fmt != "jsonl":
            one_by_one.write(("," if fmt == "csv" else "\t").join(f.name for f in FIELDS) + "\n")
        for row in many:
            one_by_one.write(line(row) + "\n")
    assert out.getvalue() == one_by_one.getvalue()
    if fmt == "json":
        assert len(json.loads(out.getvalue())) == count


@pytest.mark.parametrize("count", [0, 1, CHUNK_ROWS, CHUNK_ROWS + 1])
def test_a_stream_of_objects_is_written_as_the_list_of_them(count: int) -> None:
    items = [{"id": i, "investment": Decimal("0.0001") * i, "name": f"甲\n{i}", "stage": None} for i in range(count)]
    streamed, listed = io.StringIO(), io.StringIO()
    write_json(streamed, {"moves": (item for item in items), "n": count})
    write_json(listed, {"moves": items, "n": count})
    assert streamed.getvalue() == listed.getvalue()
    assert json.loads(streamed.getvalue(), parse_float=Decimal)["moves"] == items
