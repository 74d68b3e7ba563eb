"""Schema for plans and problems (m004): old files keep every figure; every new event names its db_user."""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from conftest import Result


def test_new_events_record_the_os_login_as_db_user(db: Path, cli: Callable[..., Result]) -> None:
    assert cli("advance", "7").exit_code == 0
    history = json.loads(cli("history", "7", "--format", "json").stdout)
    assert history[-1]["db_user"] == getpass.getuser()
    assert {"db_user", "plan_from", "plan_to", "problem_id"} <= set(history[-1])


def test_the_migrated_schema_has_plans_problems_and_plan_thresholds(db: Path) -> None:
    conn = sqlite3.connect(db)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"plans", "problems", "events"} <= tables
    rows = conn.execute("SELECT stage, plan_yellow_days, plan_red_days FROM stages ORDER BY position").fetchall()
    assert rows[0] == ("negotiating", None, None)
    assert all(row[1:] == (1, 90) for row in rows[1:])
    conn.close()
