"""What a change did, as people read it: the one-line sentences of the write commands.

The store returns what changed as data (store.Done, events' fields); this
module turns them into catalogue Messages (messages.py, keys `done.*`,
`effect.*`, `value.*`), which output renders in the invocation's language:

    12 东华鲲鹏: signed → preliminary        (en)
    12 东华鲲鹏：签约 → 前期                  (zh)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .errors import Message

if TYPE_CHECKING:
    from .store import Done


def value(field_name: str, shown: Any) -> Any:
    """One old or new value of an edit as a sentence shows it."""
    if shown is None:
        return Message("value.none")
    if isinstance(shown, bool):
        return Message("value.yes" if shown else "value.no")
    if field_name in ("sector", "stage", "status"):
        return Message(f"value.{field_name}", {"value": shown})
    return shown


def changes(recorded: Mapping[str, Any]) -> Message:
    """{"investment": ["12", "15"]} as 'investment 12 → 15', fields joined by '; ' (zh '；')."""
    items = [
        Message("change.field", {"field": name, "old": value(name, old), "new": value(name, new)})
        for name, (old, new) in recorded.items()
    ]
    return Message("change.list", {"items": items})


def _effect(done: Done) -> Message:
    """What an undo did to one project."""
    if done.action == "stage":
        return Message("effect.stage", {"from": done.from_, "to": done.to})
    if done.action == "edited":
        return changes(done.changes or {})
    if done.action.startswith("problem_"):
        return Message(f"effect.{done.action}", {"problem": done.problem_id})
    if done.action == "planned":
        old, new = (done.changes or {}).get("plan", [None, None])
        return Message("effect.planned", {"stage": done.to, "old": value("plan", old), "new": value("plan", new)})
    return Message(f"effect.{done.action}")


def done(d: Done) -> Message:
    """The line a write command prints for one changed project."""
    params: dict[str, Any] = {"id": d.project_id, "name": d.name}
    if d.undoes is not None:
        return Message("done.undo", {**params, "change": d.undoes, "effect": _effect(d)})
    if d.action == "added":
        return Message("done.added", {**params, "stage": d.stage})
    if d.action == "stage":
        return Message("done.stage", {**params, "effect": _effect(d)})
    if d.action == "edited":
        return Message("done.edited", {**params, "effect": changes(d.changes or {})})
    if d.action == "planned":
        return Message("done.planned", {**params, "effect": _effect(d)})
    if d.action == "dropped":
        return Message("done.dropped", {**params, "reason": d.reason})
    return Message("done.restored", {**params, "stage": d.stage})


def event(
    kind: str,
    from_: str | None,
    to: str | None,
    note: str | None,
    recorded: Any,
    *,
    plan: tuple[str | None, str | None] = (None, None),
) -> Message | str:
    """What one event did, in a few words: 'signed → preliminary', 'dropped (reason: …)'.

    `plan`: a `planned` event's old and new dates (plan_from, plan_to).
    """
    if kind == "created":
        return Message("event.created", {"stage": to})
    if kind == "stage":
        return Message("effect.stage", {"from": from_, "to": to})
    if kind == "edited":
        return changes(recorded or {})
    if kind == "dropped":
        return Message("event.dropped", {"reason": note}) if note else Message("effect.dropped")
    if kind == "restored":
        return Message("effect.restored")
    if kind.startswith("problem_"):
        return Message("event.problem", {"kind": kind, "changes": changes(recorded or {})})
    if kind == "planned":
        return Message("effect.planned", {"stage": to, "old": value("plan", plan[0]), "new": value("plan", plan[1])})
    return note or Message("value.kind", {"value": kind})


def readable_events(records: Iterable[dict[str, Any]], lang: str) -> Iterator[dict[str, Any]]:
    """Event objects for people (table, markdown): a `planned` event's changes say its old and new dates.

    JSON, CSV and TSV keep plan_from and plan_to as they are; a person reading a
    table sees 'plan for construction 2020-05-01 → 2020-06-01' where the
    changes of an edit would be.
    """
    from .i18n import render

    for record in records:
        if record["kind"] == "planned":
            effect = event("planned", None, record["to"], None, None, plan=(record["plan_from"], record["plan_to"]))
            assert isinstance(effect, Message)
            record = {**record, "changes": render(effect, lang)}
        yield record
