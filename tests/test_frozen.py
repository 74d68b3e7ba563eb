"""The hand-written records of the start-up path (frozen.Frozen) behave as the frozen dataclasses they replace."""

from __future__ import annotations

import inspect

import pytest

from pipeline_cli.context import AppState
from pipeline_cli.errors import Message
from pipeline_cli.fields import FIELDS, Field
from pipeline_cli.formats import Column, Style
from pipeline_cli.frozen import Frozen
from pipeline_cli.model import STAGES, Filters, ProjectRecord, Sector, Stage
from pipeline_cli.options import OutputOptions
from pipeline_cli.store import DbLocation

RECORDS = (Message, Field, Column, Style, Filters, ProjectRecord, Sector, Stage, OutputOptions, DbLocation)


@pytest.mark.parametrize("record", RECORDS, ids=lambda record: record.__name__)
def test_init_takes_exactly_the_fields(record: type[Frozen]) -> None:
    parameters = list(inspect.signature(record).parameters)
    assert sorted(parameters) == sorted(record.__slots__)


def test_equal_by_value_hashable_and_frozen() -> None:
    assert Style("zh") == Style(lang="zh", color=False, header=True)
    assert Style("zh") != Style("en")
    assert Style() != Column("id", "ID", "编号")
    assert len({Filters(), Filters(), Filters(key=True)}) == 2
    assert {STAGES[0]: 1}[Stage("negotiating", "在谈", "in negotiation", 1, 90, 180)] == 1
    with pytest.raises(AttributeError):
        Style().lang = "zh"
    with pytest.raises(AttributeError):
        del FIELDS[0].name
    with pytest.raises(AttributeError):
        Sector("it", "信息", "it", 1).colour = "red"


def test_replace_makes_a_changed_copy() -> None:
    filters = Filters(sectors=("it",), key=True)
    wider = filters.replace(include_dropped=True)
    assert (wider.sectors, wider.key, wider.include_dropped) == (("it",), True, True)
    assert not filters.include_dropped
    with pytest.raises(TypeError):
        filters.replace(no_such_field=1)


def test_repr_names_the_fields() -> None:
    assert repr(Column("id", "ID", "编号")) == "Column(en='ID', key='id', kind='text', zh='编号')"


def test_a_message_has_its_own_empty_parameters() -> None:
    assert Message("x").params == {}
    assert Message("x").params is not Message("y").params


def test_the_state_is_a_plain_mutable_object() -> None:
    state = AppState(db="x.db")
    state.saved.append("line")
    assert (state.db, state.debug, state.saved) == ("x.db", False, ["line"])
    state.close()


def test_as_dict_gives_every_field_by_name() -> None:
    record = ProjectRecord("x", "it", key=True)
    assert record.as_dict() == {
        "name": "x",
        "sector": "it",
        "stage": "negotiating",
        "status": "active",
        "investment_wan": None,
        "key": True,
        "district": None,
        "unit": None,
        "lead": None,
        "note": None,
        "source": "user",
        "stage_since": "",
        "id": None,
    }
