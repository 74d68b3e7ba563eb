"""The pipeline's vocabulary and values: stages, sectors, amounts, dates, filters.

Plain data and validation only: nothing here reads the database or prints.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import Conflict, Message, NotFound, UsageError
from .frozen import Frozen
from .texts import clean_text

if TYPE_CHECKING:
    from decimal import Decimal  # imported where amounts are computed: not every command's start-up


class Stage(Frozen):
    __slots__ = ("name_en", "name_zh", "position", "red_days", "slug", "yellow_days")
    slug: str
    name_zh: str
    name_en: str
    position: int
    # Default warning-light thresholds in days in stage; None on the last rung.
    yellow_days: int | None
    red_days: int | None

    def __init__(
        self, slug: str, name_zh: str, name_en: str, position: int, yellow_days: int | None, red_days: int | None
    ) -> None:
        self._set(
            slug=slug, name_zh=name_zh, name_en=name_en, position=position, yellow_days=yellow_days, red_days=red_days
        )


class Sector(Frozen):
    __slots__ = ("name_en", "name_zh", "position", "slug")
    slug: str
    name_zh: str
    name_en: str
    position: int

    def __init__(self, slug: str, name_zh: str, name_en: str, position: int) -> None:
        self._set(slug=slug, name_zh=name_zh, name_en=name_en, position=position)


# The ladder. Default thresholds follow common bureau practice: a signed
# project is expected to start preliminary work within about three months,
# negotiations that drag past half a year are stale, construction takes a year
# or more. `stages set` changes them per database.
STAGES: tuple[Stage, ...] = (
    Stage("negotiating", "在谈", "in negotiation", 1, 90, 180),
    Stage("signed", "签约", "agreement signed", 2, 60, 90),
    Stage("preliminary", "前期", "preliminary work", 3, 90, 180),
    Stage("landed", "落地", "established locally", 4, 60, 120),
    Stage("construction", "开工", "construction started", 5, 365, 540),
    Stage("completed", "竣工", "construction completed", 6, 90, 180),
    Stage("production", "投产", "in production", 7, 180, 365),
    Stage("capacity", "达产", "at full design capacity", 8, None, None),
)

SECTORS: tuple[Sector, ...] = (
    Sector("it", "新一代信息技术", "new-generation information technology", 1),
    Sector("biomed", "生物医药", "biomedicine", 2),
    Sector("transport", "交通装备", "transport equipment", 3),
    Sector("smart-mfg", "智能制造装备", "smart-manufacturing equipment", 4),
    Sector("textile", "纺织服装", "textiles and apparel", 5),
    Sector("food", "食品饮料", "food and beverage", 6),
)

STAGE_BY_SLUG = {s.slug: s for s in STAGES}
STATUSES = ("active", "dropped")
# The stored status of a project whose add was undone: as if never added, out
# of every list and count (not a drop). Only `undo` sets it; no option takes it.
UNDONE = "undone"
SOURCES = ("report", "illustrative", "user")
LIGHTS = ("green", "yellow", "red")
LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


def next_stage(slug: str) -> str | None:
    """The rung above `slug`, or None at the top of the ladder."""
    position = STAGE_BY_SLUG[slug].position
    return STAGES[position].slug if position < len(STAGES) else None


# --- the sectors in use ---------------------------------------------------------
# Sectors are the database's (`sectors add|edit|remove`); SECTORS only seeds a
# new database. The command layer names where they come from (use_sectors) and
# they are read once, when first needed; without a source, SECTORS.

_sector_source: Callable[[], Sequence[Sector]] | None = None
_sectors_in_use: tuple[Sector, ...] | None = None


def use_sectors(source: Callable[[], Sequence[Sector]] | None) -> None:
    """Where the sectors in use come from (read on first use; None: SECTORS); forgets any read before."""
    global _sector_source, _sectors_in_use
    _sector_source = source
    _sectors_in_use = None


def sectors_in_use() -> tuple[Sector, ...]:
    """The sectors of the database in use, in their order."""
    global _sectors_in_use
    if _sectors_in_use is None:
        _sectors_in_use = tuple(_sector_source()) if _sector_source is not None else SECTORS
    return _sectors_in_use


def sector_label(slug: str) -> str | None:
    """The Chinese name of a sector in use, or None."""
    global _sector_labels
    if _sector_labels is None or _sector_labels[0] is not sectors_in_use():
        _sector_labels = (sectors_in_use(), {s.slug: s.name_zh for s in sectors_in_use()})
    return _sector_labels[1].get(slug)


_sector_labels: tuple[tuple[Sector, ...], dict[str, str]] | None = None


def _resolve(value: str, kind: str, names: Sequence[tuple[str, str]]) -> str:
    """Map a slug, a Chinese name, or an unambiguous prefix of either, to its slug.

    `names` is the (slug, Chinese name) pairs, in their order.
    """
    text = value.strip()
    lowered = text.lower()
    for slug, zh in names:
        if lowered == slug or (text and text == zh):
            return slug
    slugs = [slug for slug, _ in names]
    matches = [slug for slug, zh in names if text and (slug.startswith(lowered) or zh.startswith(text))]
    if len(matches) == 1:
        return matches[0]
    # Keys resolve.<kind>.*: the Chinese texts show the choices by their Chinese names.
    valid = Message(f"resolve.{kind}.valid", {"choices": slugs})
    if len(matches) > 1:
        raise UsageError(f"resolve.{kind}.ambiguous", "resolve.hint", value=value, matches=matches, valid=valid)
    spellings = {slug: slug for slug in slugs} | {zh: slug for slug, zh in names if zh}
    close = difflib.get_close_matches(lowered, list(spellings), n=1, cutoff=0.4)
    if close:
        hint = Message(f"resolve.{kind}.close", {"close": spellings[close[0]], "valid": valid})
        raise UsageError(f"resolve.{kind}.unknown", "resolve.hint", value=value, valid=hint)
    raise UsageError(f"resolve.{kind}.unknown", "resolve.hint", value=value, valid=valid)


_STAGE_NAMES = tuple((s.slug, s.name_zh) for s in STAGES)


def resolve_stage(value: str) -> str:
    return _resolve(value, "stage", _STAGE_NAMES)


def resolve_sector(value: str, sectors: Sequence[Sector] | None = None) -> str:
    """A sector of the database in use (or of `sectors`), by slug, Chinese name or a prefix of either."""
    return _resolve(value, "sector", [(s.slug, s.name_zh) for s in (sectors or sectors_in_use())])


def no_project(project_id: int, *, undone: bool = False) -> NotFound:
    """The refusal for an id that names no project (or one whose add was undone)."""
    if undone:
        return NotFound("project.add_undone", "project.add_undone.hint", id=project_id)
    return NotFound("project.not_found", "project.not_found.hint", id=project_id)


def resolve_light(value: str) -> str:
    return _resolve(value, "light", [(light, LIGHT_ZH[light]) for light in LIGHTS])


# Chinese labels of the statuses and sources, as `export --lang zh` writes them;
# import and --status take them (and a few more spellings) back.
STATUS_ZH = {"active": "在库", "dropped": "已退单"}
SOURCE_ZH = {"report": "报告", "illustrative": "示例", "user": "用户"}
_STATUS_SPELLINGS = {"退单": "dropped", "悔单": "dropped", "正常": "active"}
_SOURCE_SPELLINGS = {"用户录入": "user"}


def resolve_status(value: str) -> str:
    spelled = _STATUS_SPELLINGS.get(value.strip())
    if spelled is not None:
        return spelled
    return _resolve(value, "status", [(status, STATUS_ZH.get(status, "")) for status in STATUSES])


def resolve_source(value: str) -> str:
    """A record's source by slug or Chinese label (report/报告, illustrative/示例, user/用户)."""
    text = value.strip()
    if text in _SOURCE_SPELLINGS:
        return _SOURCE_SPELLINGS[text]
    for slug, zh in SOURCE_ZH.items():
        if text.lower() == slug or text == zh:
            return slug
    raise UsageError("resolve.source.unknown", "resolve.source.valid", value=value, choices=list(SOURCES))


# --- amounts -------------------------------------------------------------
# Investment is kept as an integer count of 万元 (1 亿元 = 10,000 万元), so
# sums are exact integer arithmetic and 871 never comes out as 870.9999.

WAN_PER_YI = 10_000
# The largest integer SQLite stores.
MAX_INTEGER = 2**63 - 1
# The largest id a project may have: every JSON reader (JavaScript's numbers
# included) reads it exactly, and far below MAX_INTEGER, so an imported high id
# always leaves room for the ids `add` hands out after it.
MAX_ID = 2**53 - 1
# The contract's bound on one project's planned investment: 10,000 亿元. With
# it no total of any number of projects comes near MAX_INTEGER 万元.
MAX_INVESTMENT_WAN = 10_000 * WAN_PER_YI

# A number of 亿元 or 万元: ASCII digits, thousands separators only in groups of
# three (1,200.5), an optional fraction, an optional unit.


@functools.cache
def _amount() -> re.Pattern[str]:
    """An amount as people write it (compiled when first needed, not at every command's start)."""
    return re.compile(
        r"\+?(?P<number>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<fraction>[0-9]+))?[ ]*(?P<unit>亿元|亿|万元|万)?"
    )


_UNIT_WAN = {None: WAN_PER_YI, "亿": WAN_PER_YI, "亿元": WAN_PER_YI, "万": 1, "万元": 1}


def echo(text: str, limit: int = 40) -> str:
    """A value quoted back in a message: cut to `limit` characters, control characters shown as escapes."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in cut)


def parse_investment(text: str) -> int:
    """An amount as the contract's Amounts section defines it, in 万元.

    A decimal number of 亿元 (`12.5`), thousands separators only in groups of
    three (`1,200.5`), or such a number with a unit: `8亿`, `8亿元`, `8000万`,
    `8000万元`. Exact to 1 万元 (at most 4 decimals of 亿元, whole 万元), not
    negative, at most 10,000 亿元. Anything else is a UsageError with a hint
    (an import reports it as a bad row).
    """
    cleaned = text.strip()
    match = _amount().fullmatch(cleaned)
    if not match:
        if cleaned.startswith("-") and _amount().fullmatch(cleaned[1:]):
            raise UsageError("amount.negative", "amount.negative.hint", value=echo(text))
        if "," in cleaned and _amount().fullmatch(cleaned.replace(",", ".", 1) if cleaned.count(",") == 1 else ""):
            raise UsageError("amount.decimal_comma", "amount.decimal_comma.hint", value=echo(text))
        if "," in cleaned:
            raise UsageError("amount.stray_comma", "amount.stray_comma.hint", value=echo(text))
        raise UsageError("amount.not_number", "amount.not_number.hint", value=echo(text))
    number = match.group("number").replace(",", "").lstrip("0") or "0"
    # Trailing zeros of the fraction change nothing (12.50 is 12.5).
    fraction = (match.group("fraction") or "").rstrip("0")
    scale = _UNIT_WAN[match.group("unit")]
    places = 4 if scale == WAN_PER_YI else 0
    if len(fraction) > places:
        if scale == 1:
            raise UsageError("amount.fraction_wan", "amount.fraction_wan.hint", value=echo(text))
        raise UsageError("amount.decimals", "amount.decimals.hint", value=echo(text))
    # Digits beyond any plausible amount are refused before int() sees them.
    wan = int(number) * scale + int(fraction.ljust(places, "0") or 0) if len(number) <= 15 else MAX_INTEGER
    if wan > MAX_INVESTMENT_WAN:
        raise UsageError("amount.too_large", "amount.too_large.hint", value=echo(text))
    return wan


def wan_to_yi(wan: int | None) -> Decimal | None:
    """万元 as an exact Decimal of 亿元, without trailing zeros (12.5, 871)."""
    if wan is None:
        return None
    from decimal import Decimal

    value = Decimal(wan) / WAN_PER_YI
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def format_yi(wan: int | None) -> str:
    """Amount as text for tables and CSV: '871', '12.5', '' for unknown."""
    value = wan_to_yi(wan)
    return "" if value is None else f"{value:f}"


# --- dates ---------------------------------------------------------------


# Days a command takes: no project predates 1900, and a report's period plus
# the days after it stays far from the end of the calendar (9999-12-31).
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)


def parse_date(text: str, what: str = "date") -> dt.date:
    """YYYY-MM-DD (ASCII digits) from 1900-01-01 to 2999-12-31, else a UsageError."""
    stripped = text.strip()
    digits = stripped[:4] + stripped[5:7] + stripped[8:]
    try:
        # [0-9]{4}-[0-9]{2}-[0-9]{2}, without compiling a pattern at every start-up
        if len(stripped) != 10 or stripped[4] + stripped[7] != "--" or not (digits.isascii() and digits.isdigit()):
            raise ValueError
        day = dt.date.fromisoformat(stripped)
    except ValueError:
        raise UsageError("date.bad", "date.bad.hint", what=what, value=echo(text)) from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise UsageError(
            "date.out_of_range", "date.out_of_range.hint", what=what, day=day, first=MIN_DATE, last=MAX_DATE
        )
    return day


def today() -> dt.date:
    """Today, or $PIPELINE_TODAY when set (reports and tests pin the day with it)."""
    pinned = os.environ.get("PIPELINE_TODAY")
    if pinned:
        return parse_date(pinned, "PIPELINE_TODAY")
    return dt.date.today()


# --- filters -------------------------------------------------------------


class Filters(Frozen):
    """The contract's filters, resolved to slugs and 万元. Empty means 'any'."""

    __slots__ = (
        "districts",
        "include_dropped",
        "key",
        "leads",
        "lights",
        "max_wan",
        "min_wan",
        "overdue",
        "search",
        "sectors",
        "stages",
        "status",
        "units",
    )
    sectors: tuple[str, ...]
    stages: tuple[str, ...]
    key: bool
    status: str | None
    include_dropped: bool
    districts: tuple[str, ...]
    units: tuple[str, ...]
    leads: tuple[str, ...]
    min_wan: int | None
    max_wan: int | None
    search: str | None
    lights: tuple[str, ...]
    overdue: bool

    def __init__(
        self,
        sectors: tuple[str, ...] = (),
        stages: tuple[str, ...] = (),
        key: bool = False,
        status: str | None = None,
        include_dropped: bool = False,
        districts: tuple[str, ...] = (),
        units: tuple[str, ...] = (),
        leads: tuple[str, ...] = (),
        min_wan: int | None = None,
        max_wan: int | None = None,
        search: str | None = None,
        lights: tuple[str, ...] = (),
        overdue: bool = False,
    ) -> None:
        self._set(
            sectors=sectors,
            stages=stages,
            key=key,
            status=status,
            include_dropped=include_dropped,
            districts=districts,
            units=units,
            leads=leads,
            min_wan=min_wan,
            max_wan=max_wan,
            search=search,
            lights=lights,
            overdue=overdue,
        )


def _prefixes(values: list[str] | None) -> tuple[str, ...]:
    """A repeatable text filter's values, trimmed, empty ones and repeats dropped."""
    return tuple(dict.fromkeys(text for text in (v.strip() for v in values or ()) if text))


def make_filters(
    *,
    sectors: list[str] | None = None,
    stages: list[str] | None = None,
    key: bool = False,
    status: str | None = None,
    include_dropped: bool = False,
    districts: list[str] | None = None,
    units: list[str] | None = None,
    leads: list[str] | None = None,
    min_investment: str | None = None,
    max_investment: str | None = None,
    search: str | None = None,
    lights: list[str] | None = None,
    overdue: bool = False,
) -> Filters:
    """Validate the raw option values of a command into Filters."""
    return Filters(
        sectors=tuple(dict.fromkeys(resolve_sector(s) for s in sectors or ())),
        stages=tuple(dict.fromkeys(resolve_stage(s) for s in stages or ())),
        key=key,
        status=resolve_status(status) if status else None,
        include_dropped=include_dropped,
        districts=_prefixes(districts),
        units=_prefixes(units),
        leads=_prefixes(leads),
        min_wan=parse_investment(min_investment) if min_investment is not None else None,
        max_wan=parse_investment(max_investment) if max_investment is not None else None,
        search=search if search else None,
        lights=tuple(dict.fromkeys(resolve_light(x) for x in lights or ())),
        overdue=overdue,
    )


# --- project records (seed data, add, import) ------------------------------

_TRUE = {"1", "true", "yes", "y", "t", "是", "√"}
_FALSE = {"0", "false", "no", "n", "f", "否", ""}


class ProjectRecord(Frozen):
    """A project's stored fields, validated: slugs, 万元, ISO dates."""

    __slots__ = (
        "district",
        "id",
        "investment_wan",
        "key",
        "lead",
        "name",
        "note",
        "sector",
        "source",
        "stage",
        "stage_since",
        "status",
        "unit",
    )
    name: str
    sector: str
    stage: str
    status: str
    investment_wan: int | None
    key: bool
    district: str | None
    unit: str | None
    lead: str | None
    note: str | None
    source: str
    stage_since: str
    id: int | None

    def __init__(
        self,
        name: str,
        sector: str,
        stage: str = "negotiating",
        status: str = "active",
        investment_wan: int | None = None,
        key: bool = False,
        district: str | None = None,
        unit: str | None = None,
        lead: str | None = None,
        note: str | None = None,
        source: str = "user",
        stage_since: str = "",
        id: int | None = None,
    ) -> None:
        self._set(
            name=name,
            sector=sector,
            stage=stage,
            status=status,
            investment_wan=investment_wan,
            key=key,
            district=district,
            unit=unit,
            lead=lead,
            note=note,
            source=source,
            stage_since=stage_since,
            id=id,
        )


def parse_bool(value: Any, what: str = "key") -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise UsageError("bool.bad", "bool.bad.hint", what=what, value=echo(str(value)))


def _text_or_none(value: Any, field: str) -> str | None:
    """A text cell as the field stores it (texts.clean_text: the one rule of every way in)."""
    return clean_text(None if value is None else str(value), field)


def parse_project_id(value: Any) -> int | None:
    """An id cell of an import: empty is None; else ASCII digits from 1 to MAX_ID."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else value
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not re.fullmatch(r"\+?[0-9]+", str(text)):
        raise UsageError("id.not_whole", "id.not_whole.hint", value=echo(str(value)))
    digits = str(text).lstrip("+").lstrip("0")
    if not digits:
        raise UsageError("id.not_positive", "id.not_positive.hint", value=echo(str(value)))
    if len(digits) > 16 or int(digits) > MAX_ID:
        raise UsageError("id.too_large", "id.too_large.hint", value=echo(str(value)), max=f"{MAX_ID:,}")
    return int(digits)


def record_from_mapping(
    values: dict[str, Any], *, default_date: dt.date, sectors: Sequence[Sector] | None = None
) -> ProjectRecord:
    """Validate one project's raw fields (strings from CSV, or JSON values).

    Raises UsageError naming the first bad field; callers that validate many
    rows add the row number. Sectors are those in use unless `sectors` is given.
    """
    name = _text_or_none(values.get("name"), "name")
    if not name:
        raise UsageError("record.no_name", "record.no_name.hint")
    sector_text = _text_or_none(values.get("sector"), "sector")
    if not sector_text:
        raise UsageError(
            "record.no_sector", "record.no_sector.hint", choices=[s.slug for s in (sectors or sectors_in_use())]
        )
    stage_text = _text_or_none(values.get("stage"), "stage")
    raw_investment = values.get("investment")
    if isinstance(raw_investment, bool):
        raise UsageError("amount.not_number", "amount.not_number.hint", value=str(raw_investment))
    if isinstance(raw_investment, float):
        # JSON numbers arrive as floats; their shortest repr is the decimal
        # that was written, so parse that text rather than the binary value.
        raw_investment = repr(raw_investment)
    investment_text = _text_or_none(raw_investment, "investment")
    since_text = _text_or_none(values.get("stage_since"), "stage_since")
    since = parse_date(since_text, "stage_since") if since_text else default_date
    if since > default_date:
        raise UsageError("record.since_future", "record.since_future.hint", since=since)
    project_id = parse_project_id(values.get("id"))
    source = resolve_source(_text_or_none(values.get("source"), "source") or "user")
    return ProjectRecord(
        id=project_id,
        name=name,
        sector=resolve_sector(sector_text, sectors),
        stage=resolve_stage(stage_text) if stage_text else "negotiating",
        status=resolve_status(_text_or_none(values.get("status"), "status") or "active"),
        investment_wan=parse_investment(investment_text) if investment_text is not None else None,
        key=parse_bool(values.get("key")),
        district=_text_or_none(values.get("district"), "district"),
        unit=_text_or_none(values.get("unit"), "unit"),
        lead=_text_or_none(values.get("lead"), "lead"),
        note=_text_or_none(values.get("note"), "note"),
        source=source,
        stage_since=since.isoformat(),
    )


def event_from_row(row: Any) -> dict[str, Any]:
    """A store event row as the contract's event object."""
    import json

    return {
        "id": row["id"],
        "project_id": row["project_id"],
        "project": row["project_name"],
        "kind": row["kind"],
        "from": row["from"],
        "to": row["to"],
        "date": row["date"],
        "recorded_at": row["recorded_at"],
        "note": row["note"],
        "by": row["by"],
        "changes": json.loads(row["changes"]) if row["changes"] else None,
        "change": row["change"],
        "undoes": row["undoes"],
        "db_user": row["db_user"],
        "plan_from": row["plan_from"],
        "plan_to": row["plan_to"],
        "problem_id": row["problem_id"],
    }


# --- changes (add, edit, advance, move, drop, restore, undo) ------------------

# The fields `edit` changes, by the contract's name, and the column of
# `projects` each is stored in. An `edited` event records them as
# {"field": [old, new]} with contract values: investment a decimal string of
# 亿元 (exact) or null, key a boolean, the rest text or null.
EDIT_COLUMNS = {
    "name": "name",
    "sector": "sector",
    "investment": "investment_wan",
    "key": "key",
    "district": "district",
    "unit": "unit",
    "lead": "lead",
    "note": "note",
}


def change_value(field_name: str, stored: Any) -> Any:
    """A stored column value as it is recorded in an event's `changes`."""
    if field_name == "investment":
        return None if stored is None else format_yi(stored)
    if field_name == "key":
        return bool(stored)
    return stored


def stored_value(field_name: str, recorded: Any) -> Any:
    """The column value for a value recorded in an event's `changes` (for undo)."""
    if field_name == "investment":
        # Recorded by this program as exact 亿元 text; taken back as it was,
        # even from before amounts were bounded.
        from decimal import Decimal

        return None if recorded is None else int(Decimal(str(recorded)) * WAN_PER_YI)
    if field_name == "key":
        return int(bool(recorded))
    return recorded


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def changes_text(changes: dict[str, Any]) -> str:
    """{"investment": ["12", "15"]} as 'investment 12 → 15', fields joined by '; '."""
    return "; ".join(f"{name} {_shown(old)} → {_shown(new)}" for name, (old, new) in changes.items())


def check_date(when: dt.date, today: dt.date, last_event: str | None = None) -> None:
    """A change's date may not be in the future nor before the project's last event."""
    if when > today:
        raise Conflict("date.future", "date.future.hint", when=when, today=today)
    if last_event is not None and when.isoformat() < last_event:
        raise Conflict("date.before_last", "date.before_last.hint", when=when, last=last_event)


def describe_event(
    kind: str,
    from_: str | None,
    to: str | None,
    note: str | None,
    changes: Any,
    plan: tuple[str | None, str | None] = (None, None),
) -> str:
    """What one event did, in a few words: 'signed → preliminary', 'dropped (reason: …)'.

    `plan`: a `planned` event's old and new dates, 'plan for construction (none) → 2020-09-30'.
    """
    if kind == "created":
        return f"added ({to})"
    if kind == "stage":
        return f"{from_} → {to}"
    if kind == "edited":
        return changes_text(changes or {})
    if kind == "dropped":
        return f"dropped (reason: {note})" if note else "dropped"
    if kind == "restored":
        return "restored"
    if kind.startswith("problem_"):
        # problem_opened → "problem opened: text …"
        action = kind.removeprefix("problem_")
        details = changes_text(changes or {})
        return f"problem {action}: {details}" if details else f"problem {action}"
    if kind == "planned":
        old, new = (date or "(none)" for date in plan)
        return f"plan for {to} {old} → {new}"
    return note or kind
