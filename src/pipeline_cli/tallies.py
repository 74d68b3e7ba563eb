"""summary, funnel, lights and the dispatch report: plain rows in, plain data out.

As hledger builds each report as a small data structure and renders it
separately, this module turns the rows `store` aggregates into frozen
dataclasses that `formats` renders in every format. Nothing here reads the
database or prints. Amounts stay integers of 万元 until they are shown, so
totals are exact (871, never 870.9999).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import UsageError
from .model import LIGHTS, stored_value, wan_to_yi

# --- totals ----------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """A number of projects and their planned investment.

    `wan` sums the amounts that are known (a project whose amount is unknown
    counts, but adds nothing), so a group of unknown amounts totals 0.
    """

    count: int = 0
    wan: int = 0

    @property
    def investment(self) -> Decimal:
        value = wan_to_yi(self.wan)
        assert value is not None
        return value

    def __add__(self, other: Total) -> Total:
        return Total(self.count + other.count, self.wan + other.wan)

    def __sub__(self, other: Total) -> Total:
        return Total(self.count - other.count, self.wan - other.wan)

    def as_json(self) -> dict[str, Any]:
        return {"count": self.count, "investment": self.investment}


def add_up(totals: Iterable[Total]) -> Total:
    result = Total()
    for total in totals:
        result = result + total
    return result


# --- summary ------------------------------------------------------------------------

# --by FIELD, in the order the contract lists them.
SUMMARY_FIELDS = ("sector", "stage", "status", "district", "key", "unit", "lead")


def resolve_by(values: Sequence[str]) -> tuple[str, ...]:
    """--by values as fields (a field or an unambiguous prefix); at most two, no repeats."""
    fields: list[str] = []
    for value in values:
        text = value.strip().lower()
        matches = [name for name in SUMMARY_FIELDS if name == text] or [
            name for name in SUMMARY_FIELDS if text and name.startswith(text)
        ]
        if len(matches) != 1:
            raise UsageError("summary.bad_by", "summary.bad_by.hint", value=value, fields=list(SUMMARY_FIELDS))
        if matches[0] in fields:
            raise UsageError("summary.by_twice", "summary.by_twice.hint", field=matches[0])
        fields.append(matches[0])
    if len(fields) > 2:
        raise UsageError("summary.by_many", "summary.by_many.hint", count=len(fields))
    return tuple(fields)


@dataclass(frozen=True)
class Group:
    """One group of a summary: its value for each --by field, and its total.

    `order` is the group's place on each field (ladder position, sector
    position, ...) so that a cross-table can lay out its columns.
    """

    values: tuple[Any, ...]
    total: Total
    order: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Summary:
    by: tuple[str, ...]
    groups: tuple[Group, ...]
    total: Total


def _group_value(field: str, value: Any) -> Any:
    return bool(value) if field == "key" and value is not None else value


def summarize(by: Sequence[str], rows: Iterable[Any]) -> Summary:
    """Rows of store.summary_rows (v0.., o0.., count, wan), in order, as a Summary.

    The grand total is the exact sum of the groups.
    """
    fields = tuple(by)
    if not fields:
        # No --by: the grand total only.
        total = add_up(Total(int(row["count"]), int(row["wan"] or 0)) for row in rows)
        return Summary((), (), total)
    groups = tuple(
        Group(
            values=tuple(_group_value(field, row[f"v{index}"]) for index, field in enumerate(fields)),
            total=Total(int(row["count"]), int(row["wan"] or 0)),
            order=tuple(row[f"o{index}"] for index in range(len(fields))),
        )
        for row in rows
    )
    return Summary(fields, groups, add_up(group.total for group in groups))


@dataclass(frozen=True)
class CrossTable:
    """Two --by fields as a matrix: rows of the first, columns of the second."""

    row_field: str
    column_field: str
    rows: tuple[Any, ...]
    columns: tuple[Any, ...]
    # cells[i][j]: the total of rows[i] x columns[j] (Total() where there is none).
    cells: tuple[tuple[Total, ...], ...]
    row_totals: tuple[Total, ...]
    column_totals: tuple[Total, ...]
    total: Total


def _none_last(key: Any) -> tuple[bool, Any]:
    return (key is None, key if key is not None else 0)


def cross_table(summary: Summary) -> CrossTable:
    """A two-field summary laid out as a matrix with row and column totals."""
    if len(summary.by) != 2:
        raise ValueError("a cross-table needs exactly two --by fields")
    row_order: dict[Any, Any] = {}
    column_order: dict[Any, Any] = {}
    cell: dict[tuple[Any, Any], Total] = {}
    for group in summary.groups:
        row, column = group.values
        row_order.setdefault(row, group.order[0] if group.order else None)
        column_order.setdefault(column, group.order[1] if len(group.order) > 1 else None)
        cell[(row, column)] = cell.get((row, column), Total()) + group.total
    # Groups come sorted by row, then column: rows are in order of first
    # appearance; columns need sorting by their own order key.
    rows = tuple(row_order)
    columns = tuple(sorted(column_order, key=lambda value: _none_last(column_order[value])))
    cells = tuple(tuple(cell.get((row, column), Total()) for column in columns) for row in rows)
    return CrossTable(
        row_field=summary.by[0],
        column_field=summary.by[1],
        rows=rows,
        columns=columns,
        cells=cells,
        row_totals=tuple(add_up(line) for line in cells),
        column_totals=tuple(add_up(line[index] for line in cells) for index in range(len(columns))),
        total=summary.total,
    )


# --- funnel -------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelStage:
    stage: str
    # Projects at this stage or past it, and their investment.
    reached: Total
    # reached / reached of the stage before, to 4 places; None for the first
    # stage and wherever the stage before was reached by no project.
    conversion: Decimal | None


@dataclass(frozen=True)
class Funnel:
    stages: tuple[FunnelStage, ...]


_FOUR_PLACES = Decimal("0.0001")


def conversion(reached: int, previous: int) -> Decimal | None:
    if previous == 0:
        return None
    # Without trailing zeros: 0.5, 0, 1 (never above 1: reached only falls down the ladder).
    return (Decimal(reached) / Decimal(previous)).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP).normalize()


def funnel(ladder: Sequence[str], at_stage: Mapping[str, Total]) -> Funnel:
    """From the projects at each stage, those at or past each stage, down the ladder."""
    reached: list[Total] = []
    running = Total()
    for stage in reversed(ladder):
        running = running + at_stage.get(stage, Total())
        reached.append(running)
    reached.reverse()
    stages = tuple(
        FunnelStage(stage, total, None if index == 0 else conversion(total.count, reached[index - 1].count))
        for index, (stage, total) in enumerate(zip(ladder, reached, strict=True))
    )
    return Funnel(stages)


# --- lights -------------------------------------------------------------------------

LIGHT_RANK = {light: rank for rank, light in enumerate(LIGHTS, start=1)}
WARNING_LIGHTS = ("yellow", "red")


def at_or_above(light: str | None, level: str) -> bool:
    """Whether `light` is `level` or worse (red is worse than yellow)."""
    return light is not None and LIGHT_RANK[light] >= LIGHT_RANK[level]


def resolve_level(value: str, option: str) -> str:
    text = value.strip().lower()
    if text in WARNING_LIGHTS:
        return text
    raise UsageError("lights.bad_level", "lights.bad_level.hint", option=option, value=value)


# A light threshold beyond a century is a typo, not a policy.
MAX_THRESHOLD_DAYS = 36_500


def check_thresholds(stage: str, yellow: int | None, red: int | None, *, last: bool, plan: bool = False) -> None:
    """Refuse thresholds a stage cannot have: on the last rung, not positive, yellow not below red.

    With `plan`, the plan-light thresholds, which every stage but the first
    has (`last` then says the stage is the first).
    """
    if plan:
        if last:
            raise UsageError("stages.plan_first", "stages.plan_first.hint", stage=stage)
        if yellow is None or red is None or yellow <= 0 or red <= 0 or yellow >= red or red > MAX_THRESHOLD_DAYS:
            raise UsageError("stages.plan_bad", "stages.plan_bad.hint", yellow=yellow, red=red)
        return
    if last:
        raise UsageError("stages.last", "stages.last.hint", stage=stage)
    if yellow is None or red is None:
        raise UsageError("stages.no_thresholds", "stages.no_thresholds.hint", stage=stage)
    for option, days in (("--yellow", yellow), ("--red", red)):
        if days <= 0:
            raise UsageError("stages.not_positive", "stages.not_positive.hint", option=option, days=days)
        if days > MAX_THRESHOLD_DAYS:
            raise UsageError(
                "stages.too_many_days",
                "stages.too_many_days.hint",
                option=option,
                days=days,
                max=f"{MAX_THRESHOLD_DAYS:,}",
            )
    if yellow >= red:
        raise UsageError("stages.order", "stages.order.hint", yellow=yellow, red=red)


# --- the dispatch report ------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """From `since` to `until`, both days included."""

    since: dt.date
    until: dt.date

    @property
    def before(self) -> dt.date:
        """The last day before the period: the pipeline 'at the start' is as of this day."""
        return self.since - dt.timedelta(days=1)


def period(
    today: dt.date,
    *,
    week: bool = False,
    month: bool = False,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Period:
    """The report's period from its options: --week (default), --month, or --since with --until."""
    chosen = [name for name, given in (("--week", week), ("--month", month)) if given]
    if since is not None or until is not None:
        chosen.append("--since/--until")
    if len(chosen) > 1:
        raise UsageError("report.periods", "report.periods.hint", options=chosen)
    if since is not None or until is not None:
        if since is None or until is None:
            raise UsageError("report.since_until", "report.since_until.hint")
        if since > until:
            raise UsageError("history.since_after_until", "history.since_after_until.hint", since=since, until=until)
        if until > today:
            raise UsageError("report.until_future", "report.until_future.hint", until=until, today=today)
        return Period(since, until)
    if month:
        return Period(today.replace(day=1), today)
    return Period(today - dt.timedelta(days=6), today)


@dataclass(frozen=True)
class Standing:
    """Where a project stood on some day: what the pipeline's totals need."""

    stage: str
    sector: str
    status: str
    wan: int | None

    @property
    def active(self) -> bool:
        return self.status == "active"


def _changes(event: Mapping[str, Any]) -> dict[str, Any]:
    raw = event["changes"]
    if not raw:
        return {}
    loaded = json.loads(raw) if isinstance(raw, str) else raw
    return dict(loaded) if isinstance(loaded, dict) else {}


def standing_before(now: Standing | None, later: Sequence[Mapping[str, Any]]) -> Standing | None:
    """A project's standing before `later` happened; None if it did not exist yet.

    `later` are its effective events (not undone, not undos), oldest first;
    they are reverted newest first from the standing `now`.
    """
    state = now
    for event in reversed(later):
        if state is None:
            return None
        kind = event["kind"]
        if kind == "created":
            return None
        if kind == "stage" and event["from"] is not None:
            state = replace(state, stage=event["from"])
        elif kind == "dropped":
            state = replace(state, status="active")
        elif kind == "restored":
            state = replace(state, status="dropped")
        elif kind == "edited":
            changes = _changes(event)
            if "sector" in changes:
                state = replace(state, sector=changes["sector"][0])
            if "investment" in changes:
                state = replace(state, wan=stored_value("investment", changes["investment"][0]))
    return state


# The pipeline on some day: active projects and their amounts, by (stage, sector).
Tally = Mapping[tuple[str, str], Total]


def _standing_total(standing: Standing | None) -> Total:
    if standing is None or not standing.active:
        return Total()
    return Total(1, standing.wan or 0)


def _shift(
    tally: dict[tuple[str, str], Total], current: Standing, events: Sequence[Mapping[str, Any]], iso: str
) -> None:
    """Move one project in `tally` from where it stands now to where it stood at the end of day `iso`."""
    later = [event for event in events if event["date"] > iso]
    if not later:
        return
    then = standing_before(current, later)
    key_now = (current.stage, current.sector)
    tally[key_now] = tally.get(key_now, Total()) - _standing_total(current)
    if then is not None:
        key_then = (then.stage, then.sector)
        tally[key_then] = tally.get(key_then, Total()) + _standing_total(then)


def tally_as_of(
    now: Tally,
    day: dt.date,
    histories: Iterable[tuple[Standing, Sequence[Mapping[str, Any]]]],
) -> dict[tuple[str, str], Total]:
    """The tally on `day` (at its end), from today's tally and the projects' events.

    `histories` holds each project with effective events dated after some
    day on or before `day`: its standing now and those events, oldest first.
    Only projects with events after `day` differ from today.
    """
    tally: dict[tuple[str, str], Total] = dict(now)
    for current, events in histories:
        _shift(tally, current, events, day.isoformat())
    return tally


@dataclass(frozen=True)
class Totals:
    start: Total
    end: Total

    @property
    def change(self) -> Total:
        return self.end - self.start


@dataclass(frozen=True)
class Entry:
    """A project's event in the period: a stage move, an addition or a drop."""

    date: str
    id: int
    name: str
    sector: str
    stage: str
    wan: int | None
    note: str | None
    by: str | None
    from_: str | None = None
    to: str | None = None

    @property
    def investment(self) -> Decimal | None:
        return wan_to_yi(self.wan)


@dataclass(frozen=True)
class DispatchReport:
    period: Period
    totals: Totals
    # The period's moves, additions, drops and restores, oldest first:
    # iterables read once, streamed from SQL; `counts` says how many of each.
    moves: Iterable[Entry]
    added: Iterable[Entry]
    dropped: Iterable[Entry]
    funnel: Funnel
    by_sector: Summary
    # Today's yellow and red lights: project rows (tuples of fields.FIELDS),
    # reddest and longest-waiting first. Streamed: an iterable to be read once (a province's pipeline may
    # have hundreds of thousands), with the count of each colour beside it.
    lights: Iterable[Sequence[Any]] = ()
    light_counts: Mapping[str, int] = field(default_factory=dict)
    restored: Iterable[Entry] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    # {"opened", "closed", "overdue"}: problem objects (store/problems.py), and
    # the ranking (ranking.Ranking) at the period's end; filled by the command.
    problems: Mapping[str, Iterable[Mapping[str, Any]]] = field(default_factory=dict)
    problem_counts: Mapping[str, int] = field(default_factory=dict)
    ranking: Any = None
    # Planned milestones at the period's end: project rows (as `due` lists
    # them, counted from that day), oldest date first, streamed like the
    # lights. `due`: dated in the 30 days from the end (DUE_DAYS), not yet
    # past; `overdue`: past their date at the end. plan_counts: how many of each.
    due: Iterable[Sequence[Any]] = ()
    overdue: Iterable[Sequence[Any]] = ()
    plan_counts: Mapping[str, int] = field(default_factory=dict)


# The report's `due`: milestones planned within this many days after the period's end.
DUE_DAYS = 30


def entry(row: Mapping[str, Any]) -> Entry:
    """A row of store.iter_report_entries as an Entry (from/to only for a move)."""
    move = row["kind"] == "stage"
    return Entry(
        date=row["date"],
        id=row["project_id"],
        name=row["name"],
        sector=row["sector"],
        # An addition shows the stage it came in at (a move lists any since).
        stage=row["to"] if row["kind"] == "created" else row["stage"],
        wan=row["investment_wan"],
        note=row["note"],
        by=row["by"],
        from_=row["from"] if move else None,
        to=row["to"] if move else None,
    )


# The kinds of event the report lists, and the list each goes in.
ENTRY_KINDS = {"stage": "moves", "created": "added", "dropped": "dropped", "restored": "restored"}


def dispatch_report(
    the_period: Period,
    *,
    ladder: Sequence[str],
    sectors: Sequence[str],
    now: Tally,
    events: Iterable[Any],
    entries: Callable[[str], Iterable[Any]],
    lights: Iterable[Sequence[Any]],
    light_counts: Mapping[str, int],
) -> DispatchReport:
    """The weekly dispatch report (周调度) for a period.

    `now`: today's active projects by (stage, sector). `events`: the
    effective events (neither undone nor undos) dated on or after the
    period's first day, grouped by project (each project's oldest first),
    each with its project's current sector, stage, status and
    investment_wan. `entries(kind)`: the rows of one kind of event in the
    period, oldest first, read only when the report is written. A change
    that was undone is treated as never made: it is neither listed nor
    counted.

    One project's events are held at a time: the totals at the start and
    end are today's, with each project that changed since shifted back to
    where it stood; the lists stream from SQL as they are written.
    """
    since, until = the_period.since.isoformat(), the_period.until.isoformat()
    before = the_period.before.isoformat()
    start: dict[tuple[str, str], Total] = dict(now)
    end: dict[tuple[str, str], Total] = dict(now)
    counts = dict.fromkeys(ENTRY_KINDS.values(), 0)

    def settle(current: Standing | None, history: list[Mapping[str, Any]]) -> None:
        if current is not None:
            _shift(start, current, history, before)
            _shift(end, current, history, until)

    current: Standing | None = None
    history: list[Mapping[str, Any]] = []
    project_id = None
    for event in events:
        if event["project_id"] != project_id:
            settle(current, history)
            project_id = event["project_id"]
            current = Standing(event["stage"], event["sector"], event["status"], event["investment_wan"])
            history = []
        history.append(event)
        if since <= event["date"] <= until and event["kind"] in ENTRY_KINDS:
            counts[ENTRY_KINDS[event["kind"]]] += 1
    settle(current, history)
    at_stage = {stage: add_up(total for (s, _), total in end.items() if s == stage) for stage in ladder}
    sector_groups = [
        Group((sector,), add_up(total for (_, s), total in end.items() if s == sector), (index,))
        for index, sector in enumerate(sectors, start=1)
    ]
    sector_groups = [group for group in sector_groups if group.total.count]

    def listed(kind: str) -> Iterable[Entry]:
        return _Lazy(lambda: (entry(row) for row in entries(kind)))

    return DispatchReport(
        period=the_period,
        totals=Totals(add_up(start.values()), add_up(end.values())),
        moves=listed("stage"),
        added=listed("created"),
        dropped=listed("dropped"),
        restored=listed("restored"),
        counts=counts,
        funnel=funnel(ladder, at_stage),
        by_sector=Summary(("sector",), tuple(sector_groups), add_up(g.total for g in sector_groups)),
        lights=lights,
        light_counts=dict(light_counts),
    )


class _Lazy:
    """An iterable whose rows are fetched when it is first read (once), not when the report is made."""

    def __init__(self, make: Callable[[], Iterator[Any]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[Any]:
        return self._make()
