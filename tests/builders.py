"""Databases beyond the seed, for tests that need dropped projects, odd text or many rows.

They are built with the store's own `create` (the code path of `pipeline
init`), so they are real pipeline databases with a `created` event per project.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline_cli import store
from pipeline_cli.model import ProjectRecord
from pipeline_cli.seed import projects_2020

# Added after the 47 (ids 48 to 52): dropped projects, a null amount, the
# smallest amount, text with SQL wildcards, CSV/Markdown metacharacters and a
# line break, a later stage.
EXTRA_PROJECTS = (
    ProjectRecord(
        name="降解率100%新材料项目",
        sector="textile",
        stage="signed",
        investment_wan=None,
        district="黄岛区",
        note="a_b 备注",
        source="user",
        stage_since="2020-08-01",
    ),
    ProjectRecord(
        name="旧厂改造项目",
        sector="food",
        stage="negotiating",
        status="dropped",
        investment_wan=70_000,
        key=True,
        district="城阳区",
        note="退单: 客户悔单",
        source="user",
        stage_since="2019-06-01",
    ),
    ProjectRecord(
        name="Alpha_Beta Lab项目",
        sector="it",
        stage="landed",
        status="dropped",
        investment_wan=1,
        district=None,
        source="user",
        stage_since="2020-02-02",
    ),
    ProjectRecord(
        name='青岛"蓝谷",海洋|装备项目',
        sector="transport",
        stage="construction",
        investment_wan=12_345_678,
        key=True,
        district="城阳区",
        unit="蓝谷管理局",
        note="第一行\n第二行\t制表",
        source="user",
        stage_since="2019-01-15",
    ),
    ProjectRecord(
        name="达产示范项目",
        sector="smart-mfg",
        stage="capacity",
        investment_wan=50_0000,
        district="即墨区",
        source="user",
        stage_since="2018-05-20",
    ),
)


def build(path: Path, records: Iterable[ProjectRecord]) -> Path:
    """A database of `records` at `path`: a file, or a database on a server (the `blank` fixture's URL)."""
    if store.is_url(str(path)):
        store.create_url(str(path), records)
    else:
        store.create(path, records)
    return path


def build_mixed(path: Path) -> Path:
    """The 47 projects of the report plus EXTRA_PROJECTS."""
    return build(path, [*projects_2020(), *EXTRA_PROJECTS])


def build_many(path: Path, count: int) -> Path:
    """`count` plain projects: enough output to overflow a pipe's buffer."""
    return build(
        path,
        (
            ProjectRecord(
                name=f"测试项目{i:05d}",
                sector="it",
                investment_wan=i,
                district="城阳区",
                source="user",
                stage_since="2020-01-01",
            )
            for i in range(count)
        ),
    )
