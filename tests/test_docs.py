"""The README's command reference is generated from the code and in step with it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main

from pipeline_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
# Options Typer or Click add by themselves.
BUILT_IN = {"help", "install_completion", "show_completion"}


def all_commands() -> Iterator[tuple[str, Any]]:
    def walk(group: Any, path: str) -> Iterator[tuple[str, Any]]:
        ctx = group.make_context("pipeline", [], resilient_parsing=True)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            yield f"{path} {name}", command
            if hasattr(command, "list_commands"):
                yield from walk(command, f"{path} {name}")

    root = typer.main.get_command(app)
    yield "pipeline", root
    yield from walk(root, "pipeline")


CONTRACT_COMMANDS = (
    "init", "where", "list", "show", "add", "edit", "advance", "move", "drop", "restore", "undo", "history",
    "summary", "funnel", "lights", "report", "import", "export", "backup", "check", "stages", "sectors",
)  # fmt: skip


def test_the_contracts_commands_are_all_there() -> None:
    names = {path for path, _ in all_commands()}
    assert [c for c in CONTRACT_COMMANDS if f"pipeline {c}" not in names] == []


def test_every_command_and_parameter_has_help_text() -> None:
    missing = []
    for path, command in all_commands():
        if not (command.help or "").strip():
            missing.append(path)
        for param in command.params:
            if param.name not in BUILT_IN and not (getattr(param, "help", None) or "").strip():
                missing.append(f"{path} {param.name}")
    assert missing == []


def test_the_readme_command_reference_matches_the_code() -> None:
    # A wide terminal and colour must not change the generated text.
    env = {**os.environ, "COLUMNS": "200", "FORCE_COLOR": "1"}
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr + "\nrun `cog -r README.md` to regenerate it"


def test_no_help_text_is_swallowed_as_rich_markup() -> None:
    """`[default: x]` in a help string is a rich markup tag: the rich help would drop it."""
    from rich.markup import render

    swallowed = []
    for path, command in all_commands():
        texts = [command.help or ""] + [getattr(param, "help", None) or "" for param in command.params]
        swallowed += [f"{path}: {text}" for text in texts if render(text).plain != text]
    assert swallowed == []
