"""`rank` (比学赶超): groups of projects ranked by 开工率, plain rows in, plain data out.

Ranked by start_rate = started / signed (null when none is signed, last),
then more signed, then fewer overdue. Equal keys share a rank and the next
rank skips (1, 1, 3): competition ranking, as league tables do. Rates are
compared exactly (as fractions), never as rounded decimals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .errors import UsageError
from .model import wan_to_yi
from .tallies import conversion

RANK_FIELDS = ("district", "unit", "lead", "sector")


def resolve_rank_by(value: str | None) -> str:
    """--by: district (default), unit, lead or sector, or an unambiguous start of one."""
    if value is None:
        return "district"
    text = value.strip().lower()
    matches = [name for name in RANK_FIELDS if name.startswith(text)] if text else []
    if text in RANK_FIELDS:
        return text
    if len(matches) == 1:
        return matches[0]
    raise UsageError("rank.bad_by", "rank.bad_by.hint", value=value, fields=", ".join(RANK_FIELDS))


@dataclass(frozen=True)
class RankGroup:
    value: Any
    rank: int
    projects: int
    wan: int
    signed: int
    started: int
    overdue: int
    problems_open: int
    problems_overdue: int
    red: int

    @property
    def investment(self) -> Decimal:
        value = wan_to_yi(self.wan)
        assert value is not None
        return value

    @property
    def start_rate(self) -> Decimal | None:
        return conversion(self.started, self.signed)


@dataclass(frozen=True)
class Ranking:
    by: str
    groups: tuple[RankGroup, ...]

    def as_json(self) -> dict[str, Any]:
        return {"by": self.by, "groups": [group_json(self.by, g) for g in self.groups]}


def group_json(by: str, g: RankGroup) -> dict[str, Any]:
    return {
        by: g.value,
        "rank": g.rank,
        "projects": g.projects,
        "investment": g.investment,
        "signed": g.signed,
        "started": g.started,
        "start_rate": g.start_rate,
        "overdue": g.overdue,
        "problems_open": g.problems_open,
        "problems_overdue": g.problems_overdue,
        "red": g.red,
    }


def _key(row: Sequence[Any]) -> tuple[bool, Fraction, int, int]:
    signed, started, overdue = int(row[3] or 0), int(row[4] or 0), int(row[5] or 0)
    rate = Fraction(started, signed) if signed else Fraction(0)
    return (signed == 0, -rate, -signed, overdue)


def rank(by: str, rows: Iterable[Sequence[Any]]) -> Ranking:
    """Rows of store.rank_rows ranked; equal keys share a rank; among equals, by group value (none last)."""
    ordered = sorted(rows, key=lambda r: (_key(r), r[0] is None, "" if r[0] is None else str(r[0])))
    groups: list[RankGroup] = []
    previous: tuple[bool, Fraction, int, int] | None = None
    current = 0
    for position, row in enumerate(ordered, start=1):
        key = _key(row)
        if key != previous:
            current, previous = position, key
        value, projects, wan, signed, started, overdue, problems_open, problems_overdue, red = row
        groups.append(
            RankGroup(
                value,
                current,
                int(projects),
                int(wan or 0),
                int(signed or 0),
                int(started or 0),
                int(overdue or 0),
                int(problems_open or 0),
                int(problems_overdue or 0),
                int(red or 0),
            )
        )
    return Ranking(by, tuple(groups))
