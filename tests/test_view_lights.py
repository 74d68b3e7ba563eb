"""project_view (what Datasette and other SQLite tools read) gives each project the light `list` gives it.

The light is the worse of the stage light (days in stage) and the plan light
(the next planned milestone overdue), with its reason; the view has it from
the same SQL as the CLI (fields.py), with the next plan and its days overdue.
Projects are built on both sides of every threshold (the day before and the
day of), by stage and by plan, also with a bureau's own plan thresholds; the
view, the Datasette plugin's TEMP view (counting from $PIPELINE_TODAY) and
`pipeline list -f json` agree on every project. An old file (schema 5, the
view with the stage light alone) migrates and its figures stay as they were.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from pipeline_cli import migrations
from pipeline_cli.fields import money_sql
from pipeline_cli.store import _core

# The view's columns the CLI also prints, compared project by project.
COMPARED = ("days_in_stage", "light", "light_reason", "next_plan_stage", "next_plan_date", "overdue_days")


def _is_pg(db: Path | str) -> bool:
    return str(db).startswith("postgresql://")


def query(db: Path | str, sql: str, *args: object) -> list[tuple[Any, ...]]:
    """Rows of `sql` (with `?` placeholders) on the SQLite file or the PostgreSQL database `db`, committed."""
    if _is_pg(db):
        import psycopg

        with psycopg.connect(str(db), autocommit=True) as pg:
            cursor = pg.execute(sql.replace("?", "%s"), args)
            return list(cursor.fetchall()) if cursor.description else []
    conn = sqlite3.connect(db)
    try:
        with conn:
            return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def real_today(db: Path | str) -> dt.date:
    """The day the stored view counts from: the local date, or on PostgreSQL the server's current_date."""
    sql = "SELECT to_char(current_date, 'YYYY-MM-DD')" if _is_pg(db) else "SELECT date('now', 'localtime')"
    return dt.date.fromisoformat(str(query(db, sql)[0][0]))


def build_around_thresholds(db: Path | str, day: dt.date) -> None:
    """Projects each a day short of or exactly at a threshold on `day`: stage yellow and red, plan yellow and red.

    For every stage with thresholds: days in stage yellow-1, yellow, red-1,
    red, each with no plan, a next plan due `day`, or overdue by the plan
    thresholds' yellow-1, yellow, red-1 and red days. Also a plan only two
    stages up, a plan below the stage (not the next plan), a dropped project
    with an overdue plan (in neither) and one at the last stage.
    """
    # A bureau's own plan thresholds on one stage.
    query(db, "UPDATE stages SET plan_yellow_days = 7, plan_red_days = 30 WHERE stage = 'landed'")
    stages = query(
        db,
        "SELECT stage, position, yellow_days, red_days, plan_yellow_days, plan_red_days FROM stages ORDER BY position",
    )
    by_position = {row[1]: row for row in stages}

    def add(stage: str, since: dt.date, status: str = "active") -> int:
        query(
            db,
            "INSERT INTO projects (name, sector, stage, status, investment_wan, key, source, stage_since)"
            " VALUES (?, 'it', ?, ?, 10000, 0, 'user', ?)",
            f"临界项目{stage}{since.isoformat()}",
            stage,
            status,
            since.isoformat(),
        )
        ((project_id,),) = query(db, "SELECT max(id) FROM projects")
        return int(project_id)

    def plan(project_id: int, stage: str, date: dt.date) -> None:
        query(db, "INSERT INTO plans (project_id, stage, date) VALUES (?, ?, ?)", project_id, stage, date.isoformat())

    for stage, position, yellow, red, _, _ in stages:
        if red is None:
            add(stage, day - dt.timedelta(days=400))
            continue
        _, _, _, _, plan_yellow, plan_red = next_stage = by_position[position + 1]
        overdue: list[int | None] = [None, 0, plan_yellow - 1, plan_yellow, plan_red - 1, plan_red]
        for days in (yellow - 1, yellow, red - 1, red):
            for late in overdue:
                project_id = add(stage, day - dt.timedelta(days=days))
                if late is not None:
                    plan(project_id, next_stage[0], day - dt.timedelta(days=late))
        if position + 2 in by_position:
            # Only a plan two stages up: it is the next plan.
            project_id = add(stage, day - dt.timedelta(days=1))
            plan(project_id, by_position[position + 2][0], day - dt.timedelta(days=by_position[position + 2][5]))
        if position > 1:
            # A plan for a stage already passed is not the next plan.
            project_id = add(stage, day - dt.timedelta(days=1))
            plan(project_id, by_position[position - 1][0], day - dt.timedelta(days=400))
    dropped = add("signed", day - dt.timedelta(days=1), status="dropped")
    plan(dropped, "preliminary", day - dt.timedelta(days=200))


def cli_lights(day: dt.date, monkeypatch: pytest.MonkeyPatch) -> dict[int, tuple[Any, ...]]:
    """`pipeline list -f json` on `day`: each project's compared fields by id."""
    with monkeypatch.context() as patch:
        patch.setenv("PIPELINE_TODAY", day.isoformat())
        result = run_cli("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {p["id"]: tuple(p[name] for name in COMPARED) for p in json.loads(result.stdout)}


def view_lights(db: Path | str) -> dict[int, tuple[Any, ...]]:
    """The stored view, counting from the day the query runs."""
    rows = query(db, f"SELECT id, {', '.join(COMPARED)} FROM project_view")
    return {row[0]: tuple(row[1:]) for row in rows}


@pytest.mark.engines
def test_the_view_gives_every_project_the_light_list_gives(db: Path | str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The stored view counts from the real today (on PostgreSQL the server's), so the data is built around it.
    today = real_today(db)
    build_around_thresholds(db, today)
    expected = cli_lights(today, monkeypatch)
    assert view_lights(db) == expected
    # The cases are there: both lights, both reasons, each at its first day and the day before it.
    values = list(expected.values())
    assert {(light, reason) for _, light, reason, *_ in values} >= {
        ("green", None),
        ("yellow", "stage"),
        ("red", "stage"),
        ("yellow", "plan"),
        ("red", "plan"),
        (None, None),
    }
    plan_red_by_default = [v for v in values if v[3] not in (None, "landed") and v[5] in (89, 90)]
    assert {v[1] for v in plan_red_by_default if v[5] == 90} == {"red"}
    assert "red" not in {v[1] for v in plan_red_by_default if v[5] == 89 and v[2] == "plan"}
    own_thresholds = [v for v in values if v[3] == "landed" and v[2] == "plan"]
    assert {v[5] for v in own_thresholds if v[1] == "red"} == {30}
    assert {v[5] for v in own_thresholds if v[1] == "yellow"} == {7, 29}


def test_the_datasette_view_counts_from_pipeline_today_as_list_does(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin's TEMP view on the day each threshold is reached and the day before: list's lights, reasons, plans."""
    datasette_app = pytest.importorskip("datasette.app")
    import asyncio

    day = dt.date(2020, 8, 18)
    build_around_thresholds(db, day)

    async def rows() -> list[dict[str, Any]]:
        ds = datasette_app.Datasette([str(db)])
        response = await ds.client.get("/pipeline/project_view.json?_shape=array&_size=max")
        assert response.status_code == 200, response.text[:300]
        return response.json()  # type: ignore[no-any-return]

    for on in (day - dt.timedelta(days=1), day):
        monkeypatch.setenv("PIPELINE_TODAY", on.isoformat())
        shown = {row["id"]: tuple(row[name] for name in COMPARED) for row in asyncio.run(rows())}
        assert shown == cli_lights(on, monkeypatch), on


# project_view as migrations 2 to 5 left it: the stage light alone.
_VIEW_V5 = f"""
    SELECT p.id, p.name, p.sector, sec.name_zh AS sector_zh, p.stage,
           st.name_zh AS stage_zh, st.position AS stage_position, p.status,
           p.investment_wan, {money_sql("p.investment_wan")} AS investment_yi, p.key, p.district,
           p.unit, p.lead, p.note, p.source, p.stage_since,
           CAST(julianday(date('now', 'localtime')) - julianday(p.stage_since) AS INTEGER) AS days_in_stage,
           CASE
             WHEN st.red_days IS NULL THEN NULL
             WHEN CAST(julianday(date('now', 'localtime')) - julianday(p.stage_since) AS INTEGER) >= st.red_days
               THEN 'red'
             WHEN CAST(julianday(date('now', 'localtime')) - julianday(p.stage_since) AS INTEGER) >= st.yellow_days
               THEN 'yellow'
             ELSE 'green'
           END AS light
    FROM projects p
    JOIN sectors sec ON sec.sector = p.sector
    JOIN stages st ON st.stage = p.stage
    WHERE p.status = 'active'
"""

FIGURES = (
    ("list", "--format", "json", "--include-dropped"),
    ("lights", "--format", "json"),
    ("due", "--format", "json"),
    ("summary", "--format", "json"),
    ("funnel", "--format", "json"),
    ("rank", "--format", "json"),
)


def test_a_schema_5_file_migrates_to_the_view_with_the_plan_light_and_its_figures_stay(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = real_today(db)
    monkeypatch.setenv("PIPELINE_TODAY", today.isoformat())
    build_around_thresholds(db, today)
    query(db, "DROP VIEW project_view")
    query(db, f"CREATE VIEW project_view AS {_VIEW_V5}")
    query(db, "DELETE FROM migrations WHERE id > 5")
    query(db, "PRAGMA user_version = 5")
    old_view = {row[0]: row[1] for row in query(db, "SELECT id, light FROM project_view")}
    with monkeypatch.context() as patch:
        patch.setattr(_core, "SCHEMA_VERSION", 5)
        patch.setattr(_core, "MIGRATIONS", migrations.MIGRATIONS[:5])
        before = {args: run_cli(*args) for args in FIGURES}
    assert query(db, "PRAGMA user_version") == [(5,)]
    for args in FIGURES:
        result = run_cli(*args)  # the first one migrates
        assert (result.exit_code, result.stdout, result.stderr) == (
            before[args].exit_code,
            before[args].stdout,
            before[args].stderr,
        ), args
    assert query(db, "PRAGMA user_version") == [(6,)]
    assert query(db, "SELECT id, name FROM migrations WHERE id = 6") == [(6, "m006_project_view_lights")]
    listed = cli_lights(today, monkeypatch)
    assert view_lights(db) == listed
    # What was wrong before: projects green in the old view, red or yellow by their plan in list.
    wrong = [i for i, light in old_view.items() if light != listed[i][1]]
    assert wrong and all(listed[i][2] == "plan" for i in wrong)
    assert query(db, "PRAGMA foreign_key_check") == []
