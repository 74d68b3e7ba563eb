"""`datasette pipeline.db`: the view, facets by sector and stage, CSV and JSON, foreign keys.

Uses Datasette's own test client (no server, no network); skipped only where
Datasette is not installed (it is in the `test` extra).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import file_hash

datasette_app = pytest.importorskip("datasette.app")

VIEW_FIELDS = [
    "id", "name", "sector", "sector_zh", "stage", "stage_zh", "stage_position", "status",
    "investment_yi", "key", "district", "unit", "lead", "note", "source", "stage_since",
    "days_in_stage", "light",
]  # fmt: skip


def get(db: Path, *paths: str) -> list[Any]:
    async def fetch() -> list[Any]:
        ds = datasette_app.Datasette([str(db)])
        responses = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            responses.append(response)
        return responses

    return asyncio.run(fetch())


def test_the_view_lists_the_47_projects_as_json(db) -> None:
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
    assert sum(Decimal(str(row["investment_yi"])) for row in rows) == 871
    assert {row["light"] for row in rows} <= {"green", "yellow", "red"}
    # Reading never changes the file.
    assert file_hash(db) == before


def test_facets_by_sector_and_stage_give_the_reports_counts(db) -> None:
    (response,) = get(db, "/pipeline/project_view.json?_facet=sector&_facet=stage&_size=0")
    results = response.json()["facet_results"]
    facets = results.get("results", results)  # Datasette 1.0 nests them under "results"
    counts = {name: {item["value"]: item["count"] for item in facet["results"]} for name, facet in facets.items()}
    assert counts["sector"] == {"it": 15, "biomed": 14, "transport": 8, "smart-mfg": 8, "textile": 1, "food": 1}
    assert counts["stage"] == {"negotiating": 21, "signed": 17, "preliminary": 7, "landed": 2}


def test_csv_link_and_html_page(db) -> None:
    csv, page = get(db, "/pipeline/project_view.csv?_size=max", "/pipeline/project_view")
    lines = csv.text.splitlines()
    assert lines[0] == ",".join(VIEW_FIELDS)
    assert len(lines) == 48
    assert "东华鲲鹏" in page.text
    assert "project_view.csv" in page.text and "project_view.json" in page.text


def test_foreign_keys_link_projects_to_sectors_stages_and_events(db) -> None:
    (projects, events) = get(db, "/pipeline/projects.json?_size=1", "/pipeline/events.json?_size=1")
    expandable = {pair[0]["other_table"] for pair in projects.json()["expandable_columns"]}
    assert expandable == {"sectors", "stages"}
    assert "projects" in {pair[0]["other_table"] for pair in events.json()["expandable_columns"]}
