"""Shell completion: Typer's scripts for bash and zsh, and values from the database in use.

Completion runs the installed script with the variables the shell sets
(`_PIPELINE_COMPLETE=complete_bash COMP_WORDS=... COMP_CWORD=...`), as the
installed bash and zsh functions do.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len

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


def complete_zsh(words: str, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(PIPELINE_BIN)],
        env={**os.environ, "_PIPELINE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words, **(env or {})},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


def described(words: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """What fish shows: each value offered with its description."""
    result = subprocess.run(
        [str(PIPELINE_BIN)],
        env={
            **os.environ,
            "_PIPELINE_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": words,
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    pairs = [(*line.split("\t", 1), "")[:2] for line in result.stdout.splitlines()]
    return {value: text for value, text in pairs}


def test_descriptions_are_chinese_by_pipeline_lang_the_settings_or_lang_among_the_words(
    db: Path, tmp_path: Path
) -> None:
    settings = tmp_path / "config.toml"
    settings.write_text('lang = "zh"\n', encoding="utf-8")
    english = {"PIPELINE_LANG": "en"}
    show = """_arguments '*: :(("show":"显示一个项目及其全部历史记录。"))'"""
    for env, words in (
        ({"PIPELINE_LANG": "zh"}, "pipeline sh"),
        ({"PIPELINE_CONFIG": str(settings)}, "pipeline sh"),
        ({}, "pipeline --lang zh sh"),
        (english, "pipeline --lang zh sh"),  # an option beats the environment
    ):
        assert complete_zsh(words, env).strip() == show, env
    assert complete_zsh("pipeline sh").strip() == show.replace(
        "显示一个项目及其全部历史记录。", "Show one project with its full history."
    )
    no_header = {"--no-header": "`csv` 与 `tsv` 不输出表头行。"}
    assert described("pipeline list --no-h", {"PIPELINE_LANG": "zh"}) == no_header
    assert described("pipeline list --lang zh --no-h") == no_header
    assert described("pipeline list --no-h") == {"--no-header": "Leave out the header line of csv and tsv."}
    # On one line, however long: fish would take a second line for another value to offer.
    whole = "Language of labels and messages: en or zh (default: $PIPELINE_LANG, else config lang, else en)."
    assert described("pipeline init --l") == {"--lang": whole}
    assert described("pipeline problem cl", {"PIPELINE_LANG": "zh"})["close"].startswith("为已解决的问题销号")


def test_a_dropped_project_and_the_fields_are_described_in_the_language(db: Path) -> None:
    assert run_cli("drop", "3", "--reason", "撤回").exit_code == 0
    zh = {"PIPELINE_LANG": "zh"}
    assert described("pipeline restore 3", zh)["3"] == "工业互联网平台区域总部项目（已退单）"
    assert described("pipeline restore 3")["3"] == "工业互联网平台区域总部项目 (dropped)"
    assert described("pipeline summary --by ", zh) == {
        "sector": "产业领域",
        "stage": "进度",
        "status": "状态",
        "district": "区市",
        "key": "重点",
        "unit": "责任单位",
        "lead": "包联领导",
    }
    assert described("pipeline rank --by d", zh) == {"district": "区市"}
    assert described("pipeline summary --by di") == {"district": ""}  # in English the name says it
    assert offered("pipeline summary --by di", zh) == ["district"]  # bash shows no descriptions
    assert described("pipeline list --stage l", zh) == {"landed": "落地"}


def test_every_command_and_option_is_described_in_chinese(db: Path) -> None:
    from pipeline_cli.cli import COMMAND_MODULES
    from test_zh_everywhere import english_left

    zh = {"PIPELINE_LANG": "zh"}
    commands = described("pipeline ", zh)
    assert set(commands) == set(COMMAND_MODULES)
    for group in ("problem", "config", "access", "stages", "sectors"):
        commands.update({f"{group} {name}": text for name, text in described(f"pipeline {group} ", zh).items()})
    for name, text in commands.items():
        assert re.search(r"[\u4e00-\u9fff]", text) and english_left(text.replace("JSON Lines", "")) == [], (name, text)
        assert cell_len(text) <= 46, (name, text)
        assert text.count("`") % 2 == 0 and text.count("（") - text.count("）") in (0, 1), (name, text)
    for command in commands:
        for option, text in described(f"pipeline {command} --", zh).items():
            said = text.replace("JSON Lines", "")
            assert re.search(r"[\u4e00-\u9fff]", text) and english_left(said) == [], (command, option, text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_install_completion_says_what_it_did_in_the_language(tmp_path: Path, lang: str) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    result = subprocess.run(
        [str(PIPELINE_BIN), "--install-completion", "zsh", "--lang", lang],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    script = home / ".zfunc/_pipeline"
    assert "_PIPELINE_COMPLETE" in script.read_text()
    said = {
        "en": f"zsh completion installed in {script}\nCompletion will take effect once you restart the terminal\n",
        "zh": f"已为 zsh 安装补全脚本：{script}\n重新打开终端后补全生效\n",
    }
    assert result.stdout == said[lang]  # Typer said "Shells.zsh completion installed in …", in English
    refused = subprocess.run(
        [str(PIPELINE_BIN), "--lang", lang, "--install-completion", "tcsh"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.startswith("错误：" if lang == "zh" else "Usage: "), refused.stderr
