"""Arguments no shell script should send, each answered by the contract (found by tests/test_fuzz_commands.py).

Every refusal: its exit code, a message on stderr, stdout empty, the
database byte for byte as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PIPELINE_BIN, Result, file_hash

Cli = Callable[..., Result]


def refused(result: Result, db: Path, before: str, code: int = 2) -> None:
    assert result.exit_code == code, result.stderr
    assert result.stdout == ""
    assert result.stderr.strip()
    assert "Traceback" not in result.stderr and "error: internal error" not in result.stderr
    assert file_hash(db) == before


def run_bytes(*args: bytes, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed command with arguments as raw bytes, as a shell passes them."""
    return subprocess.run(
        [str(PIPELINE_BIN).encode(), *args], capture_output=True, env={**os.environ, **(env or {})}, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        [b"add", b"bad\xffbyte", b"--sector", b"it"],
        [b"edit", b"7", b"--note", b"\xfe\xff"],
        [b"list", b"--search", b"\xff"],
        [b"list", b"--district", b"\xc3"],
        [b"drop", b"7", b"--reason", b"gone \xff"],
        [b"advance", b"7", b"--by", b"\xff"],
        [b"problem", b"add", b"7", b"\xff"],
    ],
)
def test_a_byte_that_is_not_utf8_is_a_usage_error(db: Path, args: list[bytes]) -> None:
    before = file_hash(db)
    completed = run_bytes(*args)
    err = completed.stderr.decode("utf-8", "replace")
    assert completed.returncode == 2, err
    assert completed.stdout == b""
    assert "not UTF-8" in " ".join(err.replace("│", " ").split())
    assert "Traceback" not in err
    assert file_hash(db) == before


def test_a_file_name_that_is_not_utf8_still_names_the_file(db: Path, tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    path = folder + b"/\xff-projects.csv"
    with open(path, "wb") as file:
        file.write("name,sector\n新项目,it\n".encode())
    completed = run_bytes(b"import", path)
    assert completed.returncode == 0, completed.stderr
    missing = run_bytes(b"import", folder + b"/\xfe-missing.csv")
    assert missing.returncode == 2 and missing.stdout == b""
    assert b"\\udcfe" in missing.stderr


def test_a_json_lone_surrogate_is_refused_with_the_row(db: Path, cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "rows.json"
    source.write_text('[{"name": "a\\udcffb", "sector": "it"}]', encoding="utf-8")
    before = file_hash(db)
    result = cli("import", str(source))
    refused(result, db, before, code=5)
    assert "not UTF-8" in result.stderr


@pytest.mark.parametrize("value", ["\x1b[31mred", "a\x07b", "\u202eevil"])
def test_by_follows_the_one_text_rule(db: Path, cli: Cli, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = file_hash(db)
    refused(cli("advance", "7", "--by", value), db, before)
    monkeypatch.setenv("PIPELINE_USER", value)
    result = cli("advance", "7")
    refused(result, db, before)
    assert "PIPELINE_USER" in result.stderr


def test_by_is_trimmed_like_any_text(db: Path, cli: Cli) -> None:
    assert cli("advance", "7", "--by", "  王科长 ").exit_code == 0
    history = cli("history", "7", "-f", "json")
    assert '"by": "王科长"' in history.stdout


@pytest.mark.parametrize("args", [[], ["problem"], ["config"]])
def test_a_group_without_its_command_is_a_usage_error_with_help_on_stderr(db: Path, sh: Cli, args: list[str]) -> None:
    before = file_hash(db)
    result = sh(*args)
    refused(result, db, before)
    assert "Usage:" in result.stderr


def test_an_import_file_whose_name_is_too_long_is_a_usage_error(db: Path, tmp_path: Path, sh: Cli) -> None:
    before = file_hash(db)
    result = sh("import", str(tmp_path / ("x" * 300 + ".csv")))
    refused(result, db, before)
    assert "too long" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["problem", "add", "7", "x\x1b[0m"],
        ["problem", "add", "7", "land", "--unit", "\x07"],
        ["sectors", "add", "robots", "--zh", "机器\x1b[31m人"],
        ["sectors", "add", "robots", "--zh", "机器人", "--en", "ro\x00bots"],
        ["sectors", "edit", "it", "--en", "\u202eIT"],
    ],
)
def test_problems_and_sectors_follow_the_one_text_rule(db: Path, cli: Cli, args: list[str]) -> None:
    before = file_hash(db)
    result = cli(*args)
    refused(result, db, before)
    assert "control character" in result.stderr


def test_problem_and_sector_texts_are_trimmed(db: Path, cli: Cli) -> None:
    assert cli("problem", "add", "7", "  用地审批 ", "--unit", " 规划局\n").exit_code == 0
    problem = json.loads(cli("problem", "list", "-f", "json").stdout)[-1]
    assert (problem["text"], problem["unit"]) == ("用地审批", "规划局")
    added = cli("sectors", "add", "robots", "--zh", " 机器人 ", "--en", " Robots\t")
    assert added.exit_code == 0 and added.stdout.count("\n") == 1
    sector = next(s for s in json.loads(cli("sectors", "-f", "json").stdout) if s["sector"] == "robots")
    assert (sector["name_zh"], sector["name_en"]) == ("机器人", "Robots")
