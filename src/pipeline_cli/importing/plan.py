"""Each parsed row checked against the stored projects, and what importing it does."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadData, Message, PipelineError, UsageError
from ..fields import STORED_FIELDS, STORED_NAMES
from ..model import (
    EDIT_COLUMNS,
    UNDONE,
    ProjectRecord,
    change_value,
    format_yi,
    parse_project_id,
    record_from_mapping,
)
from .rows import RawRow

# For an existing project an empty cell in these keeps the stored value (they
# cannot be null); for a new project it means the default.
KEEP_IF_EMPTY = ("stage", "status", "source", "stage_since")


@dataclass(frozen=True)
class Planned:
    """What importing one row does."""

    number: int
    record: ProjectRecord  # the project as it will be stored (id None: a fresh one)
    before: ProjectRecord | None = None  # the stored project, for an update
    # Field changes for the `edited` event, contract names and values: {"field": [old, new]}.
    edits: dict[str, list[Any]] = field(default_factory=dict)
    date: str = ""  # the day of the edited and status events (a move's is the new stage_since)

    @property
    def action(self) -> str:
        """added, moved (stage changed), updated (other fields or status), unchanged."""
        if self.before is None:
            return "added"
        if self.before.stage != self.record.stage:
            return "moved"
        if self.edits or self.before.status != self.record.status:
            return "updated"
        return "unchanged"


ACTIONS = ("added", "updated", "moved", "unchanged")


def edit_value(record: ProjectRecord, name: str) -> Any:
    """A field as `edited` events record it: investment a decimal string of 亿元, key a bool."""
    return change_value(name, getattr(record, EDIT_COLUMNS[name]))


def record_mapping(record: ProjectRecord) -> dict[str, Any]:
    """A record as the raw values record_from_mapping takes back."""
    values = {f.name: getattr(record, f.column) for f in STORED_FIELDS if f.column is not None}
    return {**values, "investment": format_yi(record.investment_wan)}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _raw_id(row: RawRow) -> int | None:
    try:
        return _parse_id(row.values.get("id"))
    except UsageError:
        return None


def ids_in(rows: Iterable[RawRow]) -> list[int]:
    """The ids the rows name (well-formed ones), to look up before validating."""
    return [project_id for row in rows if (project_id := _raw_id(row)) is not None]


class Planner:
    """Rows checked batch by batch against the stored projects, and what importing each does.

    A row whose id is stored updates that project: columns the file lacks keep
    their stored values, and so do empty stage, status, source and stage_since
    cells. A moved project enters its new stage on the row's stage_since if
    the row changes it, else today. What spans batches is small: the row of
    each id seen (an id twice is an error), the counts and the bad rows.
    """

    def __init__(self, today: dt.date, unit: str = "row") -> None:
        self.today = today
        self.unit = unit
        self.first_row: dict[int, int] = {}
        self.errors: list[tuple[int, Message | str]] = []
        self.counts = dict.fromkeys(ACTIONS, 0)
        # How much the active projects' total investment changes, in 万元 (a dry run's totals).
        self.delta_wan = 0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    def plan(
        self, rows: Iterable[RawRow], existing: Mapping[int, ProjectRecord], last_event: Mapping[int, str]
    ) -> list[Planned]:
        """The batch's good rows planned (those that change something and those that do not); bad ones noted."""
        planned = []
        for row in rows:
            try:
                item = _plan_row(row, existing, last_event, self.today, self.first_row, self.unit)
            except PipelineError as error:
                hint = error.hint_msg
                reason = error.msg if hint is None else Message("import.reason_hint", {"text": error.msg, "hint": hint})
                self.errors.append((row.number, reason))
                continue
            self.counts[item.action] += 1
            planned.append(item)
        return planned

    def check(self, parse_errors: Sequence[tuple[int, Message | str]]) -> None:
        """BadRows listing every bad row of the file (the reader's and the planner's), in the file's order."""
        errors = [*parse_errors, *self.errors]
        if errors:
            errors.sort(key=lambda pair: pair[0])
            raise BadRows(errors, self.unit)


class BadRows(BadData):
    """Rows that failed validation: each with its number and reason (a Message)."""

    def __init__(self, errors: Sequence[tuple[int, Message | str]], unit: str = "row") -> None:
        self.errors = [(number, Message(r) if isinstance(r, str) else r) for number, r in errors]
        self.unit = unit
        count = len(self.errors)
        lines = [Message("import.bad_line", {"unit": unit, "number": n, "reason": r}) for n, r in self.errors]
        super().__init__(
            "import.bad_rows",
            "import.bad_rows.hint",
            count=count,
            unit=unit if count == 1 else f"{unit}s",
            lines=lines,
        )

    def named(self, name: str) -> BadRows:
        """The same errors, with the file's name in the first line."""
        renamed = BadRows(self.errors, self.unit)
        renamed.key = "import.in_file"
        renamed.params = {"name": name, "text": self.msg}
        return renamed


def _plan_row(
    row: RawRow,
    existing: Mapping[int, ProjectRecord],
    last_event: Mapping[int, str],
    today: dt.date,
    first_row: dict[int, int],
    unit: str,
) -> Planned:
    values = row.values
    project_id = _parse_id(values.get("id"))
    if project_id is not None:
        if project_id in first_row:
            raise UsageError("import.id_twice", id=project_id, unit=unit, number=first_row[project_id])
        first_row[project_id] = row.number
    before = existing.get(project_id) if project_id is not None else None
    if before is not None and before.status == UNDONE:
        raise UsageError("import.id_undone", "import.id_undone.hint", id=project_id)
    if before is None:
        record = record_from_mapping(values, default_date=today)
        return Planned(row.number, record, date=today.isoformat())
    assert project_id is not None
    merged = record_mapping(before)
    for column, value in values.items():
        if column in STORED_NAMES and not (column in KEEP_IF_EMPTY and _blank(value)):
            merged[column] = value
    record = record_from_mapping(merged, default_date=today)
    if record.source != before.source:
        raise UsageError(
            "import.source_changed", "import.source_changed.hint", id=project_id, new=record.source, old=before.source
        )
    if record.stage != before.stage:
        if before.status == "dropped" and record.status == "dropped":
            raise UsageError("import.dropped_move", "import.dropped_move.hint", id=project_id)
        # Entered on the row's stage_since if the row changes it, else today.
        since = record.stage_since if record.stage_since != before.stage_since else today.isoformat()
        last = last_event.get(project_id)
        if last is not None and since < last:
            raise UsageError(
                "import.since_before_last", "import.since_before_last.hint", id=project_id, since=since, last=last
            )
        record = record.replace(stage_since=since)
    elif record.stage_since != before.stage_since:
        raise UsageError(
            "import.since_changed",
            "import.since_changed.hint",
            since=record.stage_since,
            stored=before.stage_since,
            stage=record.stage,
        )
    edits = {
        name: [edit_value(before, name), edit_value(record, name)]
        for name in EDIT_COLUMNS
        if edit_value(before, name) != edit_value(record, name)
    }
    return Planned(row.number, record, before, edits, today.isoformat())


def _parse_id(value: Any) -> int | None:
    return parse_project_id(value)
