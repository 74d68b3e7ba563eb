"""What an import does, told to a person: one line per changed row, and warnings about names already taken."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..errors import Message
from ..model import ProjectRecord, format_yi
from ..sentences import changes
from .plan import Planned


def describe(item: Planned, project_id: int | None) -> Message:
    """One line for a planned row: `12 东华鲲鹏: signed → preliminary`."""
    record = item.record
    shown_id = project_id if project_id is not None else Message("import.new_id")
    who = Message("import.who", {"id": shown_id, "name": record.name})
    before = item.before
    if before is None:
        dropped = Message("import.added_dropped") if record.status == "dropped" else ""
        return Message("import.added", {"who": who, "stage": record.stage, "dropped": dropped})
    parts: list[Message] = []
    if before.status == "dropped" and record.status == "active":
        parts.append(Message("effect.restored"))
    if before.stage != record.stage:
        parts.append(Message("effect.stage", {"from": before.stage, "to": record.stage}))
    if item.edits:
        parts.append(changes(item.edits))
    if before.status == "active" and record.status == "dropped":
        parts.append(Message("effect.dropped"))
    return Message("import.changed", {"who": who, "effects": Message("change.list", {"items": parts})})


def _active_wan(record: ProjectRecord | None) -> int:
    """What a project adds to the pipeline's total: its amount while active."""
    if record is None or record.status != "active":
        return 0
    return record.investment_wan or 0


def active_delta(item: Planned) -> int:
    """How much a row changes the active projects' total investment, in 万元."""
    return _active_wan(item.record) - _active_wan(item.before)


def dry_run_line(item: Planned) -> Message:
    """A dry run's line for a changed row: what it does and the project's amount after it."""
    amount = item.record.investment_wan
    known = amount is not None
    shown = Message("import.amount", {"amount": format_yi(amount)}) if known else Message("import.no_amount")
    return Message("import.dry_line", {"line": describe(item, item.record.id), "amount": shown})


def totals(before_wan: int, delta_wan: int) -> Message:
    """The active projects' total investment before and after the import (in 万元)."""
    after_wan = before_wan + delta_wan
    sign = "+" if delta_wan >= 0 else "-"
    delta = f"{sign}{format_yi(abs(delta_wan))}"
    return Message("import.totals", {"before": format_yi(before_wan), "after": format_yi(after_wan), "delta": delta})


class NameCheck:
    """Added rows whose name is already taken: most likely a file imported twice.

    Not an error (two projects may share a name), but worth a word: a row
    without id always adds a project. The added rows are noted batch by
    batch (each name once, with its first row, and the rows that repeat
    one); `warnings` then tells them against the names stored before the
    import, in the file's order: the first `shown`, and how many more.
    """

    def __init__(self, unit: str = "row", shown: int = 20) -> None:
        self.unit = unit
        self.shown = shown
        self.first: dict[str, int] = {}
        self.repeats: list[tuple[int, str]] = []

    def add(self, items: Iterable[Planned]) -> None:
        """A batch's added rows."""
        first = self.first
        for item in items:
            name = item.record.name
            if name in first:
                self.repeats.append((item.number, name))
            else:
                first[name] = item.number

    def warnings(self, stored: Mapping[str, int]) -> tuple[list[Message], int]:
        """The first warnings and how many more; `stored` maps names to a stored id (projects there before)."""
        unit = self.unit
        found = [(number, name, True) for name, number in self.first.items() if name in stored]
        found += [(number, name, name in stored) for number, name in self.repeats]
        found.sort()
        texts = []
        for number, name, taken in found[: self.shown]:
            if taken:
                params = {"unit": unit, "number": number, "id": stored[name], "name": name}
                texts.append(Message("import.name_taken", params))
            else:
                params = {"unit": unit, "number": number, "first": self.first[name], "name": name}
                texts.append(Message("import.name_repeated", params))
        return texts, len(found) - len(texts)
