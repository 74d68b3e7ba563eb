"""`datasette pipeline.db`: the view, facets by sector and stage, CSV and JSON, foreign keys.

Uses Datasette's own test client (no server, no network); skipped only where
Datasette is not installed (it is in the `test` extra).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import file_hash

datasette_app = pytest.importorskip("datasette.app")

VIEW_FIELDS = [
    "id", "name", "sector", "sector_zh", "stage", "stage_zh", "stage_position", "status",
    "investment_wan", "investment_yi", "key", "district", "unit", "lead", "note", "source", "stage_since",
    "days_in_stage", "light", "light_reason", "next_plan_stage", "next_plan_date", "overdue_days",
]  # fmt: skip


def get(db: Path, *paths: str, metadata: dict[str, Any] | None = None) -> list[Any]:
    async def fetch() -> list[Any]:
        ds = datasette_app.Datasette([str(db)], metadata=metadata)
        responses = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            responses.append(response)
        return responses

    return asyncio.run(fetch())


def test_the_view_lists_the_47_projects_as_json(db: Path) -> None:
    before = file_hash(db)
    (response,) = get(db, "/pipeline/project_view.json?_shape=array&_size=max")
    rows = response.json()
    assert len(rows) == 47
    assert list(rows[0]) == VIEW_FIELDS
    dong = next(row for row in rows if row["name"] == "东华鲲鹏")
    assert (dong["sector"], dong["sector_zh"], dong["stage"], dong["stage_zh"], dong["key"]) == (
        "it",
        "新一代信息技术",
        "signed",
        "签约",
        1,
    )
    # Exact: 亿元 as decimal text, 万元 as integers whose sum is exact.
    assert all(isinstance(row["investment_yi"], str) for row in rows if row["investment_yi"] is not None)
    assert sum(Decimal(row["investment_yi"]) for row in rows if row["investment_yi"]) == 871
    assert sum(row["investment_wan"] or 0 for row in rows) == 8_710_000
    assert {row["light"] for row in rows} <= {"green", "yellow", "red"}
    # Reading never changes the file.
    assert file_hash(db) == before


def test_facets_by_sector_and_stage_give_the_reports_counts(db: Path) -> None:
    (response,) = get(db, "/pipeline/project_view.json?_facet=sector&_facet=stage&_size=0")
    results = response.json()["facet_results"]
    facets = results.get("results", results)  # Datasette 1.0 nests them under "results"
    counts = {name: {item["value"]: item["count"] for item in facet["results"]} for name, facet in facets.items()}
    assert counts["sector"] == {"it": 15, "biomed": 14, "transport": 8, "smart-mfg": 8, "textile": 1, "food": 1}
    assert counts["stage"] == {"negotiating": 21, "signed": 17, "preliminary": 7, "landed": 2}


def test_csv_link_and_html_page(db: Path) -> None:
    csv, page = get(db, "/pipeline/project_view.csv?_size=max", "/pipeline/project_view")
    lines = csv.text.splitlines()
    assert lines[0] == ",".join(VIEW_FIELDS)
    assert len(lines) == 48
    assert "东华鲲鹏" in page.text
    assert "project_view.csv" in page.text and "project_view.json" in page.text


def test_foreign_keys_link_projects_to_sectors_stages_and_events(db: Path) -> None:
    (projects, events) = get(db, "/pipeline/projects.json?_size=1", "/pipeline/events.json?_size=1")
    expandable = {pair[0]["other_table"] for pair in projects.json()["expandable_columns"]}
    assert expandable == {"sectors", "stages"}
    assert "projects" in {pair[0]["other_table"] for pair in events.json()["expandable_columns"]}


def list_json(cli: Any) -> list[dict[str, Any]]:
    result = cli("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_days_and_lights_count_from_pipeline_today_as_the_cli_does(db: Path, cli: Any) -> None:
    expected = {p["id"]: (p["days_in_stage"], p["light"]) for p in list_json(cli)}
    (response,) = get(db, "/pipeline/project_view.json?_shape=array&_size=max")
    assert {row["id"]: (row["days_in_stage"], row["light"]) for row in response.json()} == expected


def test_dropped_projects_are_out_of_the_view(db: Path, cli: Any) -> None:
    assert cli("drop", "7", "--reason", "moved elsewhere").exit_code == 0
    (view, table) = get(db, "/pipeline/project_view.json?_shape=array&_size=max", "/pipeline/projects.json?_size=0")
    assert 7 not in {row["id"] for row in view.json()}
    assert len(view.json()) == 46
    assert table.json()["filtered_table_rows_count"] == 47


def test_an_old_database_gets_the_exact_view_by_migration(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("DROP VIEW project_view")
    conn.execute("CREATE VIEW project_view AS SELECT id, investment_wan / 10000.0 AS investment_yi FROM projects")
    conn.execute("DELETE FROM migrations WHERE id > 1")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    from pipeline_cli import store

    store.open_existing(db).close()
    conn = sqlite3.connect(db)
    try:
        total = conn.execute("SELECT sum(investment_wan), group_concat(investment_yi) FROM project_view").fetchone()
    finally:
        conn.close()
    assert total[0] == 8_710_000
    assert sum(Decimal(text) for text in total[1].split(",")) == 871


def test_web_metadata_gives_chinese_titles_ladder_order_and_saved_queries(db: Path, cli: Any) -> None:
    result = cli("web", "--metadata")
    assert result.exit_code == 0, result.stderr
    metadata = json.loads(result.stdout)
    page, rows, lights, funnel = get(
        db,
        "/pipeline/project_view",
        "/pipeline/project_view.json?_shape=array&_size=max",
        "/pipeline/lights.json?_shape=array",
        "/pipeline/funnel.json?_shape=array",
        metadata=metadata,
    )
    assert "项目一览" in page.text and "进度" in page.text
    positions = [row["stage_position"] for row in rows.json()]
    assert positions == sorted(positions)  # ladder order by default
    expected = cli("lights", "--only", "yellow", "--format", "json")
    assert [row["id"] for row in lights.json()] == [p["id"] for p in json.loads(expected.stdout)]
    assert [row["达到及以上"] for row in funnel.json()] == [47, 26, 9, 2, 0, 0, 0, 0]


def test_saved_queries_for_due_open_problems_and_ranking_agree_with_the_cli(db: Path, cli: Any) -> None:
    """due, open problems and the ranking, as Datasette's saved queries, give the CLI's rows (today pinned)."""
    conn = sqlite3.connect(db)
    # Plans straight into the table the `plan` command keeps: one overdue 30 days (a yellow plan
    # light), one due in 10 days, one past the 30-day window.
    ids = [row[0] for row in conn.execute("SELECT id FROM projects WHERE stage = 'negotiating' ORDER BY id LIMIT 3")]
    conn.executemany(
        "INSERT INTO plans (project_id, stage, date) VALUES (?, ?, date(?, ?))",
        [
            (ids[0], "signed", "2020-08-18", "-30 days"),
            (ids[1], "construction", "2020-08-18", "+10 days"),
            (ids[2], "signed", "2020-08-18", "+40 days"),
        ],
    )
    conn.commit()
    conn.close()
    assert cli("problem", "add", str(ids[0]), "土地指标未落实", "--due", "2020-08-01").exit_code == 0
    assert cli("problem", "add", str(ids[1]), "环评 <待批>").exit_code == 0
    closed = cli("problem", "add", str(ids[2]), "已解决", "--format", "json")
    assert closed.exit_code == 0, closed.stderr
    assert cli("problem", "close", str(json.loads(closed.stdout)[0]["id"])).exit_code == 0
    metadata = json.loads(cli("web", "--metadata").stdout)
    due, problems, ranking = (
        response.json()
        for response in get(
            db,
            "/pipeline/due.json?_shape=array",
            "/pipeline/open_problems.json?_shape=array",
            "/pipeline/ranking.json?_shape=array&_size=max",
            metadata=metadata,
        )
    )
    assert [(row["id"], row["逾期天数"]) for row in due] == [(ids[0], 30), (ids[1], 0)]
    expected_problems = json.loads(cli("problem", "list", "--open", "--format", "json").stdout)
    assert [(row["项目编号"], row["问题"], row["逾期天数"]) for row in problems] == [
        (p["project_id"], p["text"], p["overdue_days"]) for p in expected_problems
    ]
    rank = json.loads(cli("rank", "--format", "json").stdout)["groups"]
    assert [
        tuple(
            row[k]
            for k in (
                "名次",
                "区市",
                "项目数",
                "签约及以上",
                "开工及以上",
                "计划逾期",
                "未销号问题",
                "逾期问题",
                "红灯",
            )
        )
        for row in ranking
    ] == [
        tuple(
            g[k]
            for k in (
                *("rank", "district", "projects", "signed", "started", "overdue"),
                *("problems_open", "problems_overdue", "red"),
            )
        )
        for g in rank
    ]
    assert any(row["计划逾期"] for row in ranking)


def test_the_stage_facet_comes_in_ladder_order(db: Path, cli: Any) -> None:
    """The plugin's ladder facet: 在谈, 签约, 前期, 落地 (not by count), each with its count and a filtering link."""
    metadata = json.loads(cli("web", "--metadata").stdout)
    assert metadata["databases"]["pipeline"]["tables"]["project_view"]["facets"][0] == {"ladder": "stage_zh"}
    assert cli("advance", "30", "31", "32").exit_code == 0  # three more at 签约: still after 在谈 on the ladder
    (response, filtered) = get(
        db,
        "/pipeline/project_view.json?_size=0",
        "/pipeline/project_view.json?_size=0&stage_zh=签约",
        metadata=metadata,
    )
    results = response.json()["facet_results"]
    facets = results.get("results", results)
    stage = facets["stage_zh"]
    assert stage["type"] == "ladder"
    counts = [(item["value"], item["count"]) for item in stage["results"]]
    assert counts == [("在谈", 18), ("签约", 20), ("前期", 7), ("落地", 2)]
    link = next(item["toggle_url"] for item in stage["results"] if item["value"] == "签约")
    assert "stage_zh=%E7%AD%BE%E7%BA%A6" in link
    assert filtered.json()["filtered_table_rows_count"] == 20
    # Asked for in the URL on any column of the rows, ordered by the ladder too.
    (asked,) = get(db, "/pipeline/project_view.json?_size=0&_facet_ladder=stage")
    results = asked.json()["facet_results"]
    values = [item["value"] for item in results.get("results", results)["stage"]["results"]]
    assert values == ["negotiating", "signed", "preliminary", "landed"]


def test_the_lights_query_has_the_plan_lights_as_lights_does(db: Path, cli: Any) -> None:
    """A project green by its days in stage but red by an overdue plan is red in the saved query too."""
    listed = json.loads(cli("list", "--format", "json").stdout)
    green = [p["id"] for p in listed if p["light"] == "green"]
    assert cli("plan", str(green[0]), "construction", "2020-05-01").exit_code == 0  # 109 days overdue: red
    assert cli("plan", str(green[1]), "construction", "2020-08-01").exit_code == 0  # 17 days: yellow
    expected = json.loads(cli("lights", "--only", "yellow", "--format", "json").stdout)  # yellow and red
    assert {p["id"]: p["light"] for p in expected}[green[0]] == "red"
    metadata = json.loads(cli("web", "--metadata").stdout)
    (response,) = get(db, "/pipeline/lights.json?_shape=array&_size=max", metadata=metadata)
    rows = response.json()
    names = {"red": "红灯", "yellow": "黄灯"}
    assert [(row["id"], row["亮灯"]) for row in rows] == [(p["id"], names[p["light"]]) for p in expected]
    reasons = {row["id"]: row["亮灯原因"] for row in rows}
    assert reasons[green[0]] == reasons[green[1]] == "计划逾期"
    assert {p["light_reason"] for p in expected if p["id"] not in green[:2]} == {"stage"}
    assert {reasons[p["id"]] for p in expected if p["id"] not in green[:2]} == {"阶段停留"}


# --- a constructed database: the view and every saved query give what the CLI gives ---------------

# Today is pinned to 2020-08-18. Each row: name, stage, district, investment, the day it entered its stage.
AGENDA_PROJECTS = [
    ("a1", "construction", "A", "1.1", "2020-08-01"),  # 1
    ("a2", "signed", "A", "2.2", "2020-08-01"),  # 2: green by its days, yellow by its plan
    ("b1", "completed", "B", "0.1", "2020-08-01"),  # 3
    ("b2", "landed", "B", "0.2", "2020-08-01"),  # 4
    ("c1", "signed", "C", None, "2020-08-01"),  # 5: no amount
    ("d1", "negotiating", "D", "3", "2020-08-10"),  # 6: green by its days, red by its plan
    ("n1", "negotiating", None, "0.3", "2019-10-01"),  # 7: no district, red by its days
    ("n2", "capacity", None, "5", "2019-01-01"),  # 8: the last rung: no light, its old plan below it ignored
    ("e1", "production", "E", "0.7", "2020-08-01"),  # 9
    ("e2", "construction", "E", "0.1", "2020-08-01"),  # 10
    ("e3", "signed", "E", "0.2", "2020-08-01"),  # 11
    ("e4", "preliminary", "E", "0.0001", "2020-01-01"),  # 12: red by both: the plan's reason
    ("x1", "construction", "X", "4", "2020-08-01"),  # 13: dropped, with a plan and a problem
    ("f1", "signed", "F", "1", "2020-08-01"),  # 14
    ("g1", "signed", "G", "0.1", "2020-06-01"),  # 15: yellow by its days, its plan not yet due
]
AGENDA_WRITES = [
    ("plan", "2", "construction", "2020-08-01"),  # 17 days overdue
    ("plan", "6", "signed", "2020-04-01"),  # 139 days overdue
    ("plan", "6", "construction", "2020-09-01"),  # not the next plan: 6 is planned to sign first
    ("plan", "4", "construction", "2020-09-10"),  # due within 30 days
    ("plan", "14", "construction", "2020-08-18"),  # due today
    ("plan", "5", "landed", "2020-08-17"),  # 1 day overdue
    ("plan", "12", "construction", "2020-05-01"),  # 109 days overdue
    ("plan", "15", "construction", "2020-10-30"),  # past the 30 days
    ("problem", "add", "1", "用地指标未落实", "--due", "2020-08-10", "--unit", "市自然资源局"),
    ("problem", "add", "2", "环评 <待批> & 公示", "--due", "2020-08-30"),
    ("problem", "add", "13", "dropped project's problem", "--due", "2020-08-01"),
    ("plan", "13", "completed", "2020-05-01"),
    ("drop", "13", "--reason", "外迁"),
    ("problem", "add", "7", "无区市的问题", "--due", "2020-08-02"),
    ("problem", "add", "3", "已解决"),
    ("problem", "close", "5"),
]


@pytest.fixture
def agenda(empty_db: Path, cli: Any) -> Path:
    for name, stage, district, investment, since in AGENDA_PROJECTS:
        args = ["add", name, "--sector", "it", "--stage", stage, "--date", since]
        args += ["--district", district] if district else []
        args += ["--investment", investment] if investment else []
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    # A plan for a stage the project has passed (it was planned, then reached): never its next plan.
    conn = sqlite3.connect(empty_db)
    with conn:
        conn.execute("INSERT INTO plans (project_id, stage, date) VALUES (8, 'completed', '2018-12-01')")
    conn.close()
    for write in AGENDA_WRITES:
        result = cli(*write)
        assert result.exit_code == 0, (write, result.stderr)
    return empty_db


def cli_json(cli: Any, *args: str) -> Any:
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, (args, result.stderr)
    return json.loads(result.stdout, parse_float=Decimal)


def web_metadata(cli: Any) -> Any:
    result = cli("web", "--metadata")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def yi(wan: int | None) -> Decimal | None:
    return None if wan is None else Decimal(wan) / 10000


VIEW_AS_CLI = ("days_in_stage", "light", "light_reason", "next_plan_stage", "next_plan_date", "overdue_days")


def test_the_view_gives_each_project_the_lights_and_plans_list_gives(agenda: Path, cli: Any) -> None:
    """The view's light is the contract's (stage or plan, the worse), with its reason and next plan."""
    listed = {p["id"]: p for p in cli_json(cli, "list")}
    reasons = {p["id"]: (p["light"], p["light_reason"]) for p in listed.values()}
    # The database gives every case: a plan light on a stage-green project (yellow, red), both red, the last rung.
    assert reasons[2] == ("yellow", "plan") and reasons[6] == ("red", "plan") and reasons[12] == ("red", "plan")
    assert reasons[7] == ("red", "stage") and reasons[15] == ("yellow", "stage") and reasons[8] == (None, None)
    assert listed[12]["days_in_stage"] >= 180  # red by its days too: the plan's reason, as both agree
    assert listed[6]["next_plan_stage"] == "signed" and 13 not in listed
    metadata = web_metadata(cli)
    (response, facets) = get(
        agenda,
        "/pipeline/project_view.json?_shape=array&_size=max",
        "/pipeline/project_view.json?_size=0&_facet=light&_facet=light_reason",
        metadata=metadata,
    )
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == set(listed)
    for project_id, project in listed.items():
        row = rows[project_id]
        assert {k: row[k] for k in VIEW_AS_CLI} == {k: project[k] for k in VIEW_AS_CLI}, project_id
        assert yi(row["investment_wan"]) == project["investment"]
        assert (Decimal(row["investment_yi"]) if row["investment_yi"] else None) == project["investment"]
    # The light facet counts what `lights` counts.
    results = facets.json()["facet_results"]
    results = results.get("results", results)
    counts = {item["value"]: item["count"] for item in results["light"]["results"]}
    expected: dict[str, int] = {}
    for project in listed.values():
        if project["light"]:
            expected[project["light"]] = expected.get(project["light"], 0) + 1
    assert counts == expected


def saved(db: Path, cli: Any, *names: str) -> list[list[dict[str, Any]]]:
    metadata = web_metadata(cli)
    responses = get(db, *(f"/pipeline/{name}.json?_shape=array&_size=max" for name in names), metadata=metadata)
    return [response.json() for response in responses]


STAGE_ZH = {"negotiating": "在谈", "signed": "签约", "preliminary": "前期", "landed": "落地", "construction": "开工"}
STAGE_ZH |= {"completed": "竣工", "production": "投产", "capacity": "达产"}


def test_every_saved_query_gives_the_clis_rows(agenda: Path, cli: Any) -> None:
    """lights, due, open problems and the ranking: row for row and value for value what the CLI prints."""
    lights, due, problems, ranking = saved(agenda, cli, "lights", "due", "open_problems", "ranking")
    names = {"red": "红灯", "yellow": "黄灯"}
    why = {"plan": "计划逾期", "stage": "阶段停留"}
    expected_lights = cli_json(cli, "lights", "--only", "yellow")
    assert [
        (
            row["id"],
            row["亮灯"],
            row["亮灯原因"],
            row["停留天数"],
            row["计划日期"],
            row["逾期天数"],
            Decimal(row["计划投资(亿元)"]) if row["计划投资(亿元)"] else None,
        )
        for row in lights
    ] == [
        (
            p["id"],
            names[p["light"]],
            why[p["light_reason"]],
            p["days_in_stage"],
            p["next_plan_date"],
            p["overdue_days"],
            p["investment"],
        )
        for p in expected_lights
    ]
    assert [(row["id"], row["计划阶段"], row["计划日期"], row["逾期天数"]) for row in due] == [
        (p["id"], STAGE_ZH[p["next_plan_stage"]], p["next_plan_date"], p["overdue_days"]) for p in cli_json(cli, "due")
    ]
    assert len(due) == 6
    assert [(r["问题编号"], r["项目编号"], r["问题"], r["责任单位"], r["限期"], r["逾期天数"]) for r in problems] == [
        (p["id"], p["project_id"], p["text"], p["unit"], p["due"], p["overdue_days"])
        for p in cli_json(cli, "problem", "list", "--open")
    ]
    groups = cli_json(cli, "rank")["groups"]
    assert [
        (
            row["名次"],
            row["区市"],
            row["项目数"],
            yi(row["投资(万元)"]),
            row["签约及以上"],
            row["开工及以上"],
            None if row["开工率(%)"] is None else Decimal(str(row["开工率(%)"])),
            row["计划逾期"],
            row["未销号问题"],
            row["逾期问题"],
            row["红灯"],
        )
        for row in ranking
    ] == [
        (
            g["rank"],
            g["district"],
            g["projects"],
            Decimal(g["investment"]),
            g["signed"],
            g["started"],
            None if g["start_rate"] is None else (Decimal(g["start_rate"]) * 100).quantize(Decimal("0.1")),
            g["overdue"],
            g["problems_open"],
            g["problems_overdue"],
            g["red"],
        )
        for g in groups
    ]
    # The database gives the ranking ties, a group without a district and one with nothing signed.
    ranks = [g["rank"] for g in groups]
    assert len(set(ranks)) < len(ranks) and None in [g["district"] for g in groups]
    assert groups[-1]["start_rate"] is None


def test_money_is_summed_exactly_in_every_saved_query(agenda: Path, cli: Any) -> None:
    """Each saved query that adds amounts adds integers of 万元: 0.1 + 0.2 is 0.3, as the CLI says."""
    funnel, by_sector, ranking = saved(agenda, cli, "funnel", "by_sector", "ranking")
    stages = cli_json(cli, "funnel")["stages"]
    assert [row["投资(万元)"] for row in funnel] == [int(s["investment"] * 10000) for s in stages]
    assert all(isinstance(row["投资(万元)"], int) for row in funnel + by_sector + ranking)
    total = cli_json(cli, "summary")["total"]["investment"]
    assert sum(row["投资(万元)"] for row in by_sector) == int(total * 10000)
    metadata = web_metadata(cli)
    for name, query in metadata["databases"]["pipeline"]["queries"].items():
        sums = [part.split(")")[0] for part in query["sql"].split("sum(")[1:]]
        assert all("investment_wan" in part or "investment" not in part for part in sums), (name, sums)


def test_every_table_page_labels_every_column_in_chinese(agenda: Path, cli: Any) -> None:
    """projects, project_view, events, stages, sectors, plans and problems: each column has its Chinese label."""
    import re

    metadata = web_metadata(cli)
    tables = ("project_view", "projects", "events", "stages", "sectors", "plans", "problems")
    pages = get(agenda, *(f"/pipeline/{table}" for table in tables), metadata=metadata)
    conn = sqlite3.connect(agenda)
    try:
        columns = {table: [row[1] for row in conn.execute(f"PRAGMA table_info({table})")] for table in tables}
    finally:
        conn.close()
    for table, response in zip(tables, pages, strict=True):
        found = re.search(r"var labels = (\{.*?\});", response.text)
        assert found, table
        labels = json.loads(found.group(1))
        assert set(labels) == set(columns[table]), (table, set(columns[table]) - set(labels))
        assert all(re.search("[\u4e00-\u9fff]", label) for label in labels.values()), (table, labels)
        assert metadata["databases"]["pipeline"]["tables"][table]["title"] in response.text
    described = metadata["databases"]["pipeline"]["tables"]["problems"]["columns"]
    assert described["text"] == "问题描述" and described["closed"] == "销号日期"
