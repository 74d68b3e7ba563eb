"""copy between SQLite files (the PostgreSQL directions are in test_postgres.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from conftest import Result, file_hash
from pipeline_cli.store import copying

Sh = Callable[..., Result]


def test_copy_of_a_file_is_the_same_database(sh: Sh, db: Path, tmp_path: Path) -> None:
    assert sh("advance", "7", "--note", "周调度").exit_code == 0
    assert sh("add", "撤销的项目", "--sector", "it").exit_code == 0
    assert sh("undo", "--yes").exit_code == 0
    target = tmp_path / "copy.db"
    done = sh("copy", str(db), str(target))
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith("copied 47 projects and ")
    for args in (["history", "--format", "tsv"], ["list", "--all", "--format", "json"], ["stages"]):
        assert sh("--db", str(target), *args).stdout == sh(*args).stdout
    assert sh("--db", str(target), "add", "新", "--sector", "it").stdout == sh("add", "新", "--sector", "it").stdout


def test_copy_refuses_an_existing_file_and_a_missing_source(sh: Sh, db: Path, tmp_path: Path) -> None:
    before = file_hash(db)
    done = sh("copy", str(tmp_path / "missing.db"), str(tmp_path / "new.db"))
    assert done.exit_code == 6
    assert not (tmp_path / "new.db").exists()
    done = sh("copy", str(tmp_path / "missing.db"), str(db))
    assert done.exit_code == 6
    assert file_hash(db) == before
    other = tmp_path / "other.db"
    assert sh("copy", str(db), str(other)).exit_code == 0
    other_before = file_hash(other)
    done = sh("copy", str(db), str(other))
    assert done.exit_code == 4
    assert done.stdout == ""
    assert file_hash(other) == other_before
    assert not [p for p in tmp_path.iterdir() if ".pipeline-tmp-" in p.name]


def test_copy_knows_every_column_of_every_table(db: Path) -> None:
    """A column added by a migration must be copied too."""
    conn = sqlite3.connect(db)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables - {"sqlite_sequence", "migrations"} == {table for table, _, _ in copying.TABLES}
    for table, columns, _ in copying.TABLES:
        present = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        assert [column.strip('"') for column in columns] == present, table


def test_copy_takes_lang_after_the_command_and_says_it_in_chinese(db: Path, tmp_path: Path) -> None:
    from conftest import run_cli
    from test_zh_everywhere import english_left

    target = tmp_path / "copy.db"
    result = run_cli("copy", str(db), str(target), "--lang", "zh")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("已将 47 个项目和 ") and "副本通过全部检查" in result.stdout
    assert english_left(result.stdout + result.stderr) == []
    before = file_hash(target)
    refused = run_cli("copy", str(tmp_path / "missing.db"), str(tmp_path / "other.db"), "--lang", "zh")
    assert (refused.exit_code, refused.stdout) == (6, "")
    assert refused.stderr.startswith("错误：") and english_left(refused.stderr) == [], refused.stderr
    assert not (tmp_path / "other.db").exists()
    again = run_cli("copy", str(db), str(target), "--lang", "zh")
    assert (again.exit_code, again.stdout) == (4, "") and again.stderr.startswith("错误：")
    assert file_hash(target) == before
