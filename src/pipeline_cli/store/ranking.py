"""The SQL of `rank`: per group of active projects, the counts the ranking (比学赶超) is made of."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from ..fields import CUTOFFS_SQL, LIGHT_SQL, NEXT_PLAN_DATE_SQL, NEXT_PLAN_JOIN
from ..model import Filters
from .reads import filter_clause

# --by FIELD -> the column it groups on.
RANK_COLUMNS = {"district": "p.district", "unit": "p.unit", "lead": "p.lead", "sector": "p.sector"}


def rank_rows(conn: sqlite3.Connection, by: str, filters: Filters, today: dt.date) -> list[tuple[Any, ...]]:
    """(group, projects, investment_wan, signed, started, overdue, problems_open, problems_overdue, red) per group.

    One pass over the matching projects, each joined to its problem counts;
    the stage positions of signed and construction are read from the ladder.
    """
    group = RANK_COLUMNS[by]
    where, params = filter_clause(filters, today)
    sql = f"""WITH {CUTOFFS_SQL},
    pr AS (SELECT project_id, sum(closed IS NULL) AS open_,
                  sum(closed IS NULL AND due < :today) AS overdue_
           FROM problems GROUP BY project_id),
    pos AS (SELECT (SELECT position FROM stages WHERE stage = 'signed') AS signed,
                   (SELECT position FROM stages WHERE stage = 'construction') AS started)
    SELECT {group} AS grp, count(*), sum(p.investment_wan),
           sum(st.position >= pos.signed), sum(st.position >= pos.started),
           sum(coalesce({NEXT_PLAN_DATE_SQL} < :today, FALSE)),
           coalesce(sum(pr.open_), 0), coalesce(sum(pr.overdue_), 0),
           sum(coalesce(({LIGHT_SQL}) = 'red', FALSE))
    FROM projects p
    JOIN stages st ON st.stage = p.stage
    JOIN sectors sec ON sec.sector = p.sector
    LEFT JOIN c ON c.stage = p.stage
    LEFT JOIN pr ON pr.project_id = p.id{NEXT_PLAN_JOIN}
    CROSS JOIN pos
    {where}
    GROUP BY grp"""
    cursor = conn.cursor()
    cursor.row_factory = None
    return list(cursor.execute(sql, params))
