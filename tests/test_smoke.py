from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import Result


def test_list_biomed_shows_the_14_biomedicine_projects(db: Path, cli: Callable[..., Result]) -> None:
    result: Result = cli("list", "--sector", "biomed", "--format", "json")
    assert result.exit_code == 0, result.stderr
    projects = json.loads(result.stdout)
    assert len(projects) == 14
    assert {p["sector"] for p in projects} == {"biomed"}


def test_installed_console_script_runs(db: Path, sh: Callable[..., Result]) -> None:
    result = sh("list", "--sector", "生物医药", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)) == 14
