"""The outputs every command gives over the report's 47 projects (and some awkward ones), kept as data.

`python tests/before_after.py` runs the commands below in a fresh database
and writes tests/data/before_after.json; tests/test_before_after.py runs them
again and compares the bytes. Run it again only when a change of output is
intended, and say which in the commit.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from pipeline_cli.cli import app

DATA = Path(__file__).with_name("data") / "before_after.json"
TODAY = "2020-08-18"
FORMATS = ("table", "json", "jsonl", "csv", "tsv", "markdown")

# Writes that give the database a history (their own output is compared too).
SETUP: tuple[tuple[str, ...], ...] = (
    (
        "add",
        "测试项目",
        "--sector",
        "food",
        "--investment",
        "3.25",
        "--key",
        "--district",
        "城阳区",
        "--note",
        "a note",
    ),
    ("advance", "7", "--note", "moved"),
    ("edit", "12", "--investment", "15.5", "--note", "edited"),
    ("drop", "3", "--reason", "investor withdrew"),
    ("move", "20", "preliminary", "-f", "json"),
    ("advance", "21", "22", "-f", "tsv"),
    ("undo", "--yes"),
    ("restore", "3", "-f", "csv"),
    ("edit", "30", "--no-key", "-f", "markdown"),
    ("add", "另一个", "--sector", "it", "-f", "jsonl"),
)

# Awkward text: tabs, line breaks, backslashes, formula cells (a lone CR: tests/test_csv_tsv.py).
AWKWARD: tuple[tuple[str, ...], ...] = (
    ("add", "tab\there", "--sector", "it", "--investment", "0.0001"),
    ("add", 'quote " and, comma', "--sector", "food", "--investment", "0"),
    ("add", "line\nbreak", "--sector", "biomed", "--investment", "1234.5678", "--key", "--note", "="),
    ("add", "back\\slash", "--sector", "biomed", "--note", "tab\tand\nlines"),
    ("add", "=1+2", "--sector", "textile", "--district", "@cmd", "--lead", "-x", "--unit", "+x"),
    ("add", "big", "--sector", "transport", "--investment", "9999.9999", "--stage", "capacity"),
)


def reads() -> list[tuple[str, ...]]:
    commands: list[tuple[str, ...]] = []
    for fmt in FORMATS:
        commands += [
            ("list", "-f", fmt, "--all"),
            ("list", "-f", fmt, "--sort", "investment", "--reverse", "--limit", "5"),
            ("list", "-f", fmt, "--sector", "bio", "--light", "red"),
            ("show", "7", "-f", fmt),
            ("lights", "-f", fmt),
            ("summary", "-f", fmt),
            ("summary", "--by", "sector", "-f", fmt),
            ("summary", "--by", "stage", "--by", "sector", "-f", fmt),
            ("summary", "--by", "status", "--by", "key", "-f", fmt),
            ("funnel", "-f", fmt),
            ("report", "-f", fmt),
            ("report", "--since", "2020-01-01", "--until", TODAY, "-f", fmt),
            ("history", "-f", fmt),
            ("history", "12", "-f", fmt),
            ("stages", "-f", fmt),
            ("sectors", "-f", fmt),
            ("check", "-f", fmt),
        ]
    for fmt in ("table", "markdown"):
        commands += [
            ("list", "-f", fmt, "--lang", "zh"),
            ("show", "12", "-f", fmt, "--lang", "zh"),
            ("lights", "-f", fmt, "--lang", "zh"),
            ("summary", "--by", "sector", "-f", fmt, "--lang", "zh"),
            ("funnel", "-f", fmt, "--lang", "zh"),
            ("report", "-f", fmt, "--lang", "zh"),
        ]
    commands += [
        ("list",),
        ("list", "-f", "csv", "--no-header"),
        ("list", "-f", "tsv", "--no-header", "--all"),
        ("lights", "--only", "red", "-f", "json"),
        ("lights", "--only", "yellow", "-f", "tsv"),
        ("report",),
        ("check",),
        ("export",),
        ("export", "-f", "json"),
        ("export", "-f", "jsonl"),
        ("export", "--bom"),
    ]
    return commands


_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _run(args: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    # recorded_at is the moment of the write: the same width, a fixed text.
    return f"exit {result.exit_code}\n" + _TIMESTAMP.sub("2020-08-18T00:00:00.000000Z", result.stdout)


def capture(new_database: Callable[[], str] | None = None) -> dict[str, dict[str, str]]:
    """{scenario: {command line: 'exit N' + stdout}} in a temporary database.

    The database is a file in a temporary folder, or what `new_database` gives
    (the URL of an empty database on a server).
    """
    saved = dict(os.environ)
    captured: dict[str, dict[str, str]] = {}
    try:
        for scenario, writes in (("fixture", SETUP), ("awkward", SETUP + AWKWARD)):
            with tempfile.TemporaryDirectory() as folder:
                os.environ.update(
                    PIPELINE_DB=new_database() if new_database else str(Path(folder) / "pipeline.db"),
                    PIPELINE_TODAY=TODAY,
                    PIPELINE_USER="tester",
                    LOGNAME="tester",
                )
                for name in ("PIPELINE_LANG", "NO_COLOR", "PIPELINE_BUSY_TIMEOUT"):
                    os.environ.pop(name, None)
                outputs = {"init": _run(("init",))}
                for args in writes:
                    outputs[" ".join(args)] = _run(args)
                for args in reads():
                    outputs[" ".join(args)] = _run(args)
                captured[scenario] = outputs
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return captured


def _without_paths(outputs: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    # `init` names the temporary file.
    return {scenario: {k: v for k, v in found.items() if k != "init"} for scenario, found in outputs.items()}


def current(new_database: Callable[[], str] | None = None) -> dict[str, dict[str, str]]:
    return _without_paths(capture(new_database))


if __name__ == "__main__":
    DATA.parent.mkdir(exist_ok=True)
    DATA.write_text(json.dumps(current(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {DATA}\n")
