"""A project's fields, each defined once: the one table everything about a project is derived from.

Each `Field` says where the value comes from (a column of `projects`, or an
SQL expression for a computed field), what kind of value it is, its labels in
English and Chinese, and the names `import` accepts for it. From this table
come the SELECT of every command that prints projects (store/reads.py), the
INSERT and UPDATE of projects (store), the header and the cells of every
format (formats), and the columns import takes (importing/).

A kind decides how a value reads from SQL and how each format writes it:

| kind    | SQL gives             | json               | csv / tsv          | table / markdown  |
|---------|-----------------------|--------------------|--------------------|-------------------|
| `int`   | integer               | number             | digits             | right-aligned     |
| `text`  | text or NULL          | string or null     | text (escaped)     | text              |
| `slug`  | text or NULL          | string or null     | as is              | label (display)   |
| `money` | decimal text of 亿元  | number (exact)     | decimal text       | right-aligned     |
| `bool`  | 0 or 1                | true / false       | true / false       | ✓                 |
| `date`  | YYYY-MM-DD or NULL    | string or null     | as is              | as is             |

Money is one rule in three forms: stored as an integer of 万元; read by
`MONEY_SQL` as the exact decimal text of 亿元 (`12.5`, `871`, `0.0001`),
which JSON writes as a number without a float in between; and parsed back
by model.parse_investment. The light is one rule, `LIGHT_SQL`, over each
stage's cut-off dates (`CUTOFFS_SQL`) and the project's next plan
(`NEXT_PLAN_JOIN`), used by list, lights, due, rank, the reports and
project_view (which Datasette shows); the filters use the same rule with the
plan looked up (`LIGHT_LOOKUP_SQL`).

This module is the one place outside store/ and migrations.py that holds SQL:
the expressions of the fields themselves, so that a field is one entry.
It imports nothing and does no I/O.
"""

from __future__ import annotations

from typing import Literal

from .frozen import Frozen

Kind = Literal["int", "text", "slug", "money", "bool", "date"]


# --- the rules, in SQL ------------------------------------------------------------

# Days a project has been in its stage, against :today.
DAYS_SQL = "CAST(julianday(:today) - julianday(p.stage_since) AS INTEGER)"


def cutoffs_sql(today: str = ":today") -> str:
    """The CTE `c`: each stage's last day of entry that is yellow or red on `today`.

    `days_in_stage >= red_days` is `stage_since <= today - red_days`: a string
    comparison of ISO dates per project instead of date arithmetic.
    MATERIALIZED: computed once per query, not once per project. The last
    rung has no thresholds, so no row, so no light.
    """
    return f"""c AS MATERIALIZED (
    SELECT stage, date({today}, '-' || red_days || ' days') AS red_cut,
           date({today}, '-' || yellow_days || ' days') AS yellow_cut
    FROM stages WHERE red_days IS NOT NULL)"""


CUTOFFS_SQL = cutoffs_sql()

# The stage light of project p, joined (LEFT) to its stage's cut-offs c:
# 0 red, 1 yellow, 2 green, 3 none (dropped, or a stage without thresholds).
STAGE_RANK_SQL = """CASE
    WHEN p.status <> 'active' OR c.stage IS NULL THEN 3
    WHEN p.stage_since <= c.red_cut THEN 0
    WHEN p.stage_since <= c.yellow_cut THEN 1
    ELSE 2 END"""

# The project's next planned milestone: the first stage above its current
# one that has a planned date (plans' primary key finds a project's plans).
_NEXT_PLAN = """FROM plans pl JOIN stages ps ON ps.stage = pl.stage
    WHERE pl.project_id = p.id AND ps.position > (SELECT position FROM stages WHERE stage = p.stage)
    ORDER BY ps.position LIMIT 1"""

# It is found once per project by joining its plan row `np` (and that
# stage's plan thresholds `nps`): every query whose SELECT holds the plan
# fields or the light has NEXT_PLAN_JOIN in its FROM, after `p`.
NEXT_PLAN_JOIN = f"""
LEFT JOIN plans np ON np.project_id = p.id AND np.stage = (SELECT pl.stage {_NEXT_PLAN})
LEFT JOIN stages nps ON nps.stage = np.stage"""


def _overdue(date: str) -> str:
    """Days past the planned `date`; 0 when not past or none."""
    return f"coalesce(max(0, CAST(julianday(:today) - julianday({date}) AS INTEGER)), 0)"


def _plan_rank(date: str, yellow: str, red: str) -> str:
    """The plan light: 0 red from `red` days overdue, 1 yellow from `yellow`, 2 otherwise (none, not due)."""
    return f"""CASE
        WHEN {red} IS NOT NULL AND julianday(:today) - julianday({date}) >= {red} THEN 0
        WHEN {yellow} IS NOT NULL AND julianday(:today) - julianday({date}) >= {yellow} THEN 1
        ELSE 2 END"""


def _light_rank(plan_rank: str) -> str:
    """The light: the worse of the stage light and the plan light (0 red, 1 yellow, 2 green, 3 none)."""
    return f"""CASE
    WHEN p.status <> 'active' OR c.stage IS NULL THEN 3
    ELSE min({STAGE_RANK_SQL}, {plan_rank}) END"""


def _light(light_rank: str) -> str:
    return f"""CASE ({light_rank}) WHEN 0 THEN 'red' WHEN 1 THEN 'yellow' WHEN 2 THEN 'green' END"""


def _light_reason(plan_rank: str) -> str:
    """Which of the two made a yellow or red light: `plan` when both agree."""
    return f"""CASE
    WHEN p.status <> 'active' OR c.stage IS NULL THEN NULL
    WHEN min({STAGE_RANK_SQL}, {plan_rank}) = 2 THEN NULL
    WHEN {plan_rank} <= {STAGE_RANK_SQL} THEN 'plan'
    ELSE 'stage' END"""


# Over NEXT_PLAN_JOIN: the fields and the light of every listing.
NEXT_PLAN_STAGE_SQL = "np.stage"
NEXT_PLAN_DATE_SQL = "np.date"
OVERDUE_SQL = _overdue("np.date")
PLAN_RANK_SQL = _plan_rank("np.date", "nps.plan_yellow_days", "nps.plan_red_days")
LIGHT_RANK_SQL = _light_rank(PLAN_RANK_SQL)
LIGHT_SQL = _light(LIGHT_RANK_SQL)
LIGHT_REASON_SQL = _light_reason(PLAN_RANK_SQL)

# What the fields' expressions are over: a project `p`, its stage `st`, its
# sector `sec`, its stage's cut-offs `c` (CUTOFFS_SQL in the query's WITH) and
# its next plan (NEXT_PLAN_JOIN), for every listing and project_view.
PROJECTS_FROM = (
    """
FROM projects p
JOIN stages st ON st.stage = p.stage
JOIN sectors sec ON sec.sector = p.sector
LEFT JOIN c ON c.stage = p.stage"""
    + NEXT_PLAN_JOIN
)


def on_day(sql: str, today: str) -> str:
    """The rules in `sql` counting from the SQL expression `today` instead of the parameter :today.

    For a view, which takes no parameters: project_view counts from the day
    the query runs (migrations.project_view_sql), the Datasette plugin's
    TEMP view from $PIPELINE_TODAY.
    """
    return sql.replace(":today", f"({today})")


# The same rules with the next plan looked up by a subquery, for the filters
# (--light, --overdue), which reach queries that do not join it.
_LOOKED_UP = f"(SELECT pl.date {_NEXT_PLAN})"
OVERDUE_LOOKUP_SQL = _overdue(_LOOKED_UP)
LIGHT_LOOKUP_SQL = _light(
    _light_rank(
        f"coalesce((SELECT {_plan_rank('pl.date', 'ps.plan_yellow_days', 'ps.plan_red_days')} {_NEXT_PLAN}), 2)"
    )
)


def money_sql(wan: str) -> str:
    """An integer of 万元 as the exact decimal text of 亿元, without trailing zeros (NULL stays NULL).

    In SQL both SQLite and PostgreSQL run: the four decimals are the last
    four digits of 10000 + the remainder, with trailing zeros cut.
    """
    return (
        f"CASE WHEN {wan} IS NULL THEN NULL WHEN {wan} % 10000 = 0 THEN CAST({wan} / 10000 AS TEXT)"
        f" ELSE CAST({wan} / 10000 AS TEXT) || '.' || rtrim(substr(CAST({wan} % 10000 + 10000 AS TEXT), 2), '0') END"
    )


# --- the table ----------------------------------------------------------------------


class Field(Frozen):
    """One field of a project.

    column: the column of `projects` it is stored in; None for a computed field.
    sql: for a computed field, its expression over `p` (projects), `st` (its
      stage), `c` (its stage's light cut-offs), `np` and `nps` (its next plan,
      NEXT_PLAN_JOIN) and `:today`.
    display: how tables and markdown show it: text, number, stage, sector, light, bool.
    aliases: further names `import` accepts for it (the bureau's Chinese headers).
    """

    __slots__ = ("aliases", "column", "display", "en", "kind", "name", "sql", "zh")
    name: str
    kind: Kind
    en: str
    zh: str
    column: str | None
    sql: str | None
    display: str
    aliases: tuple[str, ...]

    def __init__(
        self,
        name: str,
        kind: Kind,
        en: str,
        zh: str,
        column: str | None = None,
        sql: str | None = None,
        display: str = "text",
        aliases: tuple[str, ...] = (),
    ) -> None:
        self._set(name=name, kind=kind, en=en, zh=zh, column=column, sql=sql, display=display, aliases=aliases)

    @property
    def stored(self) -> bool:
        return self.column is not None

    @property
    def select(self) -> str:
        """The expression that reads it as its kind says (money as decimal text)."""
        if self.column is None:
            assert self.sql is not None
            return self.sql
        if self.kind == "money":
            return money_sql(f"p.{self.column}")
        return f"p.{self.column}"

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def import_names(self) -> tuple[str, ...]:
        """Every name `import` takes for it: the contract's, the Chinese label, the aliases."""
        return tuple(dict.fromkeys((self.name, self.zh, *self.aliases)))


FIELDS: tuple[Field, ...] = (
    Field("id", "int", "ID", "编号", column="id", display="number", aliases=("项目编号",)),
    Field("name", "text", "Name", "项目名称", column="name", aliases=("名称",)),
    Field("sector", "slug", "Sector", "产业领域", column="sector", display="sector", aliases=("行业",)),
    Field("stage", "slug", "Stage", "进度", column="stage", display="stage", aliases=("阶段", "项目阶段")),
    Field("status", "slug", "Status", "状态", column="status"),
    Field(
        "investment",
        "money",
        "亿元",
        "投资(亿元)",
        column="investment_wan",
        display="number",
        aliases=("计划投资", "计划投资(亿元)", "计划总投资(亿元)"),
    ),
    Field("key", "bool", "Key", "重点", column="key", display="bool", aliases=("是否重点",)),
    Field("district", "text", "District", "区市", column="district"),
    Field("unit", "text", "Unit", "责任单位", column="unit"),
    Field("lead", "text", "Lead", "包联领导", column="lead"),
    Field("note", "text", "Note", "备注", column="note"),
    Field("source", "slug", "Source", "来源", column="source"),
    Field("stage_since", "date", "Since", "进入阶段日期", column="stage_since"),
    Field("days_in_stage", "int", "Days", "停留天数", sql=DAYS_SQL, display="number"),
    Field("light", "slug", "Light", "亮灯", sql=LIGHT_SQL, display="light"),
    Field("light_reason", "slug", "Why", "亮灯原因", sql=LIGHT_REASON_SQL),
    Field("next_plan_stage", "slug", "Next plan", "下一计划节点", sql=NEXT_PLAN_STAGE_SQL, display="stage"),
    Field("next_plan_date", "date", "Plan date", "计划日期", sql=NEXT_PLAN_DATE_SQL),
    Field("overdue_days", "int", "Overdue", "逾期天数", sql=OVERDUE_SQL, display="number"),
)

FIELD_BY_NAME = {f.name: f for f in FIELDS}
FIELD_NAMES = tuple(f.name for f in FIELDS)
# What a project is made of (export writes them, import reads them).
STORED_FIELDS = tuple(f for f in FIELDS if f.stored)
STORED_NAMES = tuple(f.name for f in STORED_FIELDS)
# Computed from the stored ones and today: accepted by import and ignored, so a list's csv imports.
COMPUTED_NAMES = tuple(f.name for f in FIELDS if not f.stored)
# Free text: trimmed on input, formula-escaped in csv.
TEXT_NAMES = tuple(f.name for f in FIELDS if f.kind == "text")

# The fields the table and markdown of each listing show by default.
LIST_BRIEF = ("id", "name", "sector", "stage", "investment", "key", "district", "days_in_stage", "light")
DUE_BRIEF = ("id", "name", "stage", "unit", "next_plan_stage", "next_plan_date", "overdue_days", "light")
LIGHTS_BRIEF = ("id", "name", "sector", "stage", "investment", "unit", "stage_since", "days_in_stage", "light")


def import_names() -> dict[str, str]:
    """Every header import accepts (lower-cased) → the field's name."""
    return {alias.lower(): f.name for f in FIELDS for alias in f.import_names}


def pick(names: tuple[str, ...] | list[str]) -> tuple[Field, ...]:
    return tuple(FIELD_BY_NAME[name] for name in names)
