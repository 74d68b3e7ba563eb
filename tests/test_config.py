"""The settings file: config list|get|set|unset, PIPELINE_CONFIG, option > environment > file."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, file_hash

Cli = Callable[..., Result]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "settings" / "config.toml"
    monkeypatch.setenv("PIPELINE_CONFIG", str(path))
    return path


def test_set_get_list_unset(config: Path, cli: Cli) -> None:
    assert cli("config", "list").stdout == ""
    result = cli("config", "set", "lang", "ZH")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert config.read_text() == 'lang = "zh"\n'
    assert cli("config", "set", "user", "王科长").exit_code == 0
    assert cli("config", "get", "lang").stdout == "zh\n"
    listed = cli("config", "list")
    assert listed.stdout == "lang = zh\nuser = 王科长\n"
    assert str(config) in listed.stderr
    assert cli("config", "unset", "lang").exit_code == 0
    assert config.read_text() == 'user = "王科长"\n'
    missing = cli("config", "get", "lang")
    assert (missing.exit_code, missing.stdout) == (3, "")


def test_the_default_file_is_in_the_user_config_folder(tmp_path: Path, cli: Cli) -> None:
    assert cli("config", "set", "busy_timeout", "2.5").exit_code == 0
    assert (tmp_path / "xdg-config" / "pipeline" / "config.toml").read_text() == 'busy_timeout = "2.5"\n'


@pytest.mark.parametrize(
    ("key", "value"),
    [("colour", "red"), ("lang", "fr"), ("busy_timeout", "soon"), ("busy_timeout", "-1"), ("user", "  "), ("db", "")],
)
def test_an_unknown_key_or_bad_value_is_refused_and_the_file_unchanged(
    config: Path, cli: Cli, key: str, value: str
) -> None:
    assert cli("config", "set", "user", "tester").exit_code == 0
    before = file_hash(config)
    result = cli("config", "set", "--", key, value)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: ") and "hint: " in result.stderr
    assert file_hash(config) == before


def test_the_settings_lang_user_and_db_apply_below_options_and_environment(
    config: Path, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "init").exit_code == 0
    assert cli("config", "set", "db", str(other)).exit_code == 0
    assert cli("config", "set", "lang", "zh").exit_code == 0
    assert cli("config", "set", "user", "from-settings").exit_code == 0
    monkeypatch.delenv("PIPELINE_DB")
    monkeypatch.delenv("PIPELINE_USER")
    # The settings' db is the one in use.
    assert cli("where").stdout.strip() == str(other)
    assert cli("add", "设置项目", "--sector", "it").exit_code == 0
    assert "from-settings" in cli("history", "48", "--format", "tsv").stdout
    # The settings' lang: Chinese labels; the environment beats it; the option beats both.
    assert "项目名称" in cli("list", "--format", "markdown").stdout
    monkeypatch.setenv("PIPELINE_LANG", "en")
    assert "| ID | Name |" in cli("list", "--format", "markdown").stdout
    assert "项目名称" in cli("--lang", "zh", "list", "--format", "markdown").stdout
    monkeypatch.setenv("PIPELINE_USER", "from-env")
    assert cli("edit", "48", "--note", "x").exit_code == 0
    assert "from-env" in cli("history", "48", "--format", "tsv").stdout


def test_a_file_that_cannot_be_parsed_is_exit_2_naming_the_file_and_line(config: Path, cli: Cli, db: Path) -> None:
    config.parent.mkdir(parents=True)
    config.write_text('user = "a"\nlang = = zh\n')
    before = file_hash(db)
    result = cli("list", "--format", "tsv")
    assert (result.exit_code, result.stdout) == (2, "")
    assert str(config) in result.stderr and "line 2" in result.stderr
    assert file_hash(db) == before
    config.write_text('user = "a"\n\nlang = "fr"\n')
    result = cli("list", "--format", "tsv")
    assert (result.exit_code, result.stdout) == (2, "")
    assert str(config) in result.stderr and "line 3" in result.stderr


def test_a_file_that_cannot_be_read_is_exit_2(config: Path, cli: Cli) -> None:
    config.mkdir(parents=True)  # a folder where the file should be
    result = cli("config", "list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert str(config) in result.stderr


def test_set_writes_through_a_symlink_without_replacing_it(config: Path, cli: Cli, tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "pipeline.toml"
    real.parent.mkdir()
    real.write_text('user = "a"\n')
    config.parent.mkdir(parents=True)
    config.symlink_to(real)
    assert cli("config", "set", "lang", "zh").exit_code == 0
    assert config.is_symlink()
    assert real.read_text() == 'lang = "zh"\nuser = "a"\n'
    assert not [p for p in real.parent.iterdir() if p.name.startswith(".config-")]


def test_values_with_quotes_and_backslashes_round_trip(config: Path, cli: Cli) -> None:
    assert cli("config", "set", "user", 'A "B" \\ C').exit_code == 0
    assert cli("config", "get", "user").stdout == 'A "B" \\ C\n'


def test_config_in_a_real_process_and_in_chinese(config: Path, sh: Cli) -> None:
    result = sh("config", "set", "colour", "red", env={"PIPELINE_LANG": "zh"})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("错误：没有名为“colour”的设置项\n提示：")
    assert sh("config", "set", "lang", "zh").exit_code == 0
    assert os.path.exists(config)
    assert sh("config", "get", "lang").stdout == "zh\n"
