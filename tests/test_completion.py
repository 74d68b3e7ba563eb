"""Shell completion: Typer's scripts for bash and zsh, and values from the database in use.

Completion runs the installed script with the variables the shell sets
(`_PIPELINE_COMPLETE=complete_bash COMP_WORDS=... COMP_CWORD=...`), as the
installed bash and zsh functions do.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import PIPELINE_BIN, run_cli


def complete_bash(words: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    split = words.split(" ")
    return subprocess.run(
        [str(PIPELINE_BIN)],
        env={
            **os.environ,
            "_PIPELINE_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(split) - 1),
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )


def offered(words: str, env: dict[str, str] | None = None) -> list[str]:
    result = complete_bash(words, env)
    assert result.returncode == 0
    assert result.stderr == ""
    return result.stdout.split()


def test_project_ids_complete_from_the_database(db: Path) -> None:
    assert offered("pipeline show 4") == ["4", "40", "41", "42", "43", "44", "45", "46", "47"]
    assert offered("pipeline advance 12 3") == ["3", "30", "31", "32", "33", "34", "35", "36", "37", "38", "39"]
    assert offered("pipeline move 7") == ["7"]
    assert offered("pipeline history 1")[:3] == ["1", "10", "11"]
    for command in ("edit", "drop", "restore"):
        assert offered(f"pipeline {command} 2") == ["2", *[str(n) for n in range(20, 30)]]


def test_ids_come_from_the_database_named_by_db(db: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    run_cli("--db", str(other), "init", "--empty")
    run_cli("--db", str(other), "import", "fixtures/landed_2020.csv")
    # The 13 landed projects, numbered 1 to 13 in an empty database.
    assert offered(f"pipeline --db {other} show 1") == ["1", "10", "11", "12", "13"]
    assert offered("pipeline show 1", {"PIPELINE_DB": str(other)}) == ["1", "10", "11", "12", "13"]
    assert offered("pipeline show 1") == ["1", *[str(n) for n in range(10, 20)]]


def test_sectors_and_stages_complete(db: Path) -> None:
    assert offered("pipeline list --sector b") == ["biomed"]
    assert offered("pipeline list --sector ") == ["it", "biomed", "transport", "smart-mfg", "textile", "food"]
    assert offered("pipeline list --stage c") == ["construction", "completed", "capacity"]
    assert offered("pipeline move 7 pre") == ["preliminary"]
    assert offered("pipeline advance 7 --from s") == ["signed"]
    assert offered("pipeline add 新项目 --sector t") == ["transport", "textile"]


def test_zsh_gets_names_as_descriptions(db: Path) -> None:
    result = subprocess.run(
        [str(PIPELINE_BIN)],
        env={**os.environ, "_PIPELINE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "pipeline show 7"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == """_arguments '*: :(("7":"东华鲲鹏"))'"""
    stages = subprocess.run(
        [str(PIPELINE_BIN)],
        env={**os.environ, "_PIPELINE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "pipeline list --stage l"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert stages.stdout.strip() == """_arguments '*: :(("landed":"落地"))'"""


@pytest.mark.parametrize("content", [None, b"not a database at all", "sqlite-other"])
def test_completion_never_fails_nor_creates_a_file(tmp_path: Path, content: bytes | str | None) -> None:
    path = tmp_path / "x.db"
    if content == "sqlite-other":
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    before = path.read_bytes() if path.exists() else None
    assert offered(f"pipeline --db {path} show ") == []
    assert offered(f"pipeline --db {path} list --sector bio") == ["biomed"]  # the built-in list
    assert (path.read_bytes() if path.exists() else None) == before


def test_completion_from_a_server_that_cannot_be_reached_offers_nothing_and_fails_not() -> None:
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    url = f"postgresql://someone@127.0.0.1:{port}/pipeline"
    assert offered(f"pipeline --db {url} show ") == []
    assert offered(f"pipeline --db {url} list --sector bio") == ["biomed"]  # the built-in list


def test_completion_does_not_create_the_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIPELINE_DB")
    assert offered("pipeline show ") == []
    assert run_cli("where").stdout.strip().startswith(str(tmp_path))
    assert not Path(run_cli("where").stdout.strip()).exists()


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o default -F"), ("zsh", "#compdef pipeline")])
def test_show_completion_prints_the_script(shell: str, marker: str) -> None:
    result = subprocess.run(
        [str(PIPELINE_BIN), "--show-completion", shell],
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert "_PIPELINE_COMPLETE=complete_" + shell in result.stdout


@pytest.mark.parametrize(
    ("shell", "script", "rc"),
    [("bash", ".bash_completions/pipeline.sh", ".bashrc"), ("zsh", ".zfunc/_pipeline", ".zshrc")],
)
def test_install_completion_writes_the_script_and_rc_line(tmp_path: Path, shell: str, script: str, rc: str) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    result = subprocess.run(
        [str(PIPELINE_BIN), "--install-completion", shell],
        env={**os.environ, "HOME": str(home), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "_PIPELINE_COMPLETE" in (home / script).read_text()
    assert (home / rc).exists()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_installed_bash_function_completes_ids(db: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "PATH": f"{PIPELINE_BIN.parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [str(PIPELINE_BIN), "--install-completion", "bash"],
        env={**env, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
        check=True,
        capture_output=True,
    )
    script = (
        f"source {home / '.bash_completions/pipeline.sh'}\n"
        "COMP_WORDS=(pipeline show 4); COMP_CWORD=2\n"
        "_pipeline_completion pipeline\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(["bash", "-c", script], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["4", "40", "41", "42", "43", "44", "45", "46", "47"]


def test_sectors_complete_from_the_database_in_use(db: Path) -> None:
    run_cli("sectors", "add", "new-materials", "--zh", "新材料")
    run_cli("sectors", "edit", "biomed", "--position", "1")
    assert offered("pipeline list --sector ") == [
        "biomed",
        "it",
        "transport",
        "smart-mfg",
        "textile",
        "food",
        "new-materials",
    ]
    assert offered("pipeline add x --sector n") == ["new-materials"]
    assert offered("pipeline sectors edit n") == ["new-materials"]


def test_district_unit_lead_by_and_sort_complete_from_the_database(empty_db: Path) -> None:
    for name, district, unit, lead in (("甲", "城阳区", "市发改委", "王明"), ("乙", "黄岛区", "区商务局", "王刚")):
        args = ("add", name, "--sector", "it", "--district", district, "--unit", unit, "--lead", lead)
        assert run_cli(*args).exit_code == 0
    assert "城阳区" in offered("pipeline list --district 城")
    assert offered("pipeline list --unit 市") == ["市发改委"]
    assert offered("pipeline summary --lead 王") == ["王刚", "王明"]
    assert offered("pipeline summary --by di") == ["district"]
    assert "days_in_stage" in offered("pipeline list --sort d")
