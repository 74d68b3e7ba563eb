"""What an import does, told to a person: one line per changed row, and warnings about names already taken."""

from __future__ import annotations

from collections.abc import Mapping

from ..model import changes_text
from .plan import Plan, Planned


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


def name_warnings(plan: Plan, stored: Mapping[str, int], unit: str = "row") -> list[str]:
    """Added rows whose name is already taken: most likely a file imported twice.

    Not an error (two projects may share a name), but worth a word: a row
    without id always adds a project. `stored` maps names to a stored id.
    """
    warnings = []
    seen: dict[str, int] = {}
    for item in plan.rows:
        if item.before is not None:
            continue
        name = item.record.name
        if name in stored:
            warnings.append(f"{unit} {item.number}: project {stored[name]} is also named {name}; this adds another")
        elif name in seen:
            warnings.append(f"{unit} {item.number}: {unit} {seen[name]} adds a project of the same name, {name}")
        else:
            seen[name] = item.number
    return warnings
