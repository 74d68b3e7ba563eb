"""What an import does, told to a person: one line per changed row, and warnings about names already taken."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..model import changes_text
from .plan import Planned


def describe(item: Planned, project_id: int | None) -> str:
    """One line for a planned row: `12 东华鲲鹏: signed → preliminary`."""
    record = item.record
    who = f"{project_id if project_id is not None else '(new id)'} {record.name}"
    before = item.before
    if before is None:
        status = ", dropped" if record.status == "dropped" else ""
        return f"added {who} ({record.stage}{status})"
    parts = []
    if before.status == "dropped" and record.status == "active":
        parts.append("restored")
    if before.stage != record.stage:
        parts.append(f"{before.stage} → {record.stage}")
    if item.edits:
        parts.append(changes_text(item.edits))
    if before.status == "active" and record.status == "dropped":
        parts.append("dropped")
    return f"{who}: {'; '.join(parts)}"


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

    def warnings(self, stored: Mapping[str, int]) -> tuple[list[str], int]:
        """The first warnings and how many more; `stored` maps names to a stored id (projects there before)."""
        unit = self.unit
        found = [(number, name, True) for name, number in self.first.items() if name in stored]
        found += [(number, name, name in stored) for number, name in self.repeats]
        found.sort()
        texts = []
        for number, name, taken in found[: self.shown]:
            if taken:
                texts.append(f"{unit} {number}: project {stored[name]} is also named {name}; this adds another")
            else:
                texts.append(f"{unit} {number}: {unit} {self.first[name]} adds a project of the same name, {name}")
        return texts, len(found) - len(texts)
