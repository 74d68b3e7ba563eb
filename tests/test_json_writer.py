"""formats.write_json: the bytes of json.dumps(indent=2), written piece by piece with the C encoder.

Decimals are written as exact JSON numbers (their digits, no float in between).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pipeline_cli.formats import to_json, write_json

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.decimals(places=4, allow_nan=False, allow_infinity=False, min_value=0, max_value=10**9),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.text(max_size=8), inner, max_size=5),
        st.dictionaries(st.integers(), inner, max_size=3),
    ),
    max_leaves=40,
)


def written(value: Any) -> str:
    out = io.StringIO()
    write_json(out, value)
    return out.getvalue()


def dumps_exact(value: Any, indent: int | None = None) -> str:
    """json.dumps, each Decimal written as its digits: the reference."""
    found: list[Decimal] = []

    def marked(item: Any) -> Any:
        if isinstance(item, Decimal):
            found.append(item)
            return f"\ufdd0{len(found) - 1}\ufdd0"
        if isinstance(item, dict):
            return {key: marked(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [marked(inner) for inner in item]
        return item

    text = json.dumps(marked(value), ensure_ascii=False, indent=indent, default=str)
    for index, number in enumerate(found):
        text = text.replace(f'"\ufdd0{index}\ufdd0"', f"{number:f}")
    return text


@given(values)
def test_write_json_matches_json_dumps_with_an_indent(value: Any) -> None:
    assert written(value) == dumps_exact(value, indent=2) + "\n"


@given(values)
def test_to_json_matches_json_dumps(value: Any) -> None:
    assert to_json(value) == dumps_exact(value)


def test_a_report_like_document() -> None:
    document = {
        "period": {"from": "2020-08-12", "to": "2020-08-18"},
        "totals": {"start": {"count": 47, "investment": 871}, "end": {"count": 47, "investment": Decimal("871.5")}},
        "moves": [],
        "lights": [
            {"id": 7, "name": '含"引号"\n换行', "investment": Decimal("0.0001"), "key": True, "light": None},
            {"id": 8, "name": "乙", "investment": None, "key": False, "since": dt.date(2020, 1, 2)},
        ],
        "funnel": [[1, 2], {}],
    }
    text = written(document)
    assert (
        text
        == json.dumps(document, ensure_ascii=False, indent=2, default=str)
        .replace('"0.0001"', "0.0001")
        .replace('"871.5"', "871.5")
        + "\n"
    )
    assert json.loads(text)["lights"][0]["name"] == '含"引号"\n换行'
