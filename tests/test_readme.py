"""The README's first lines are the fresh-machine commands; CI must run the same test command."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_machine_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block, "README must open with a sh block of fresh-machine commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_install_and_test_commands() -> None:
    install, test = fresh_machine_commands()
    assert "pip install ." in install and install.endswith("pipeline list --sector biomed")
    assert "pip install '.[test]'" in test


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = fresh_machine_commands()[1].split("&&")[-1].strip()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines
