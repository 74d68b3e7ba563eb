"""The process and its surroundings: each fault gets the contract's exit code, one message, no traceback.

stdout full or closed (exit 8, a committed change still reported), Ctrl-C
(exit 130, nothing half written), `--db ''`, a FIFO or a device as the
database, a name too long, a folder that cannot be made, a database missing
a table (exit 6). Every test compares the database before and after, through
the installed command as a shell runs it.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PIPELINE_BIN, Result, connected, file_hash, is_postgres, query

Sh = Callable[..., Result]


def run_redirected(args: list[str], stdout: int | None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PIPELINE_BIN), *args], stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60, check=False
    )


def one_refusal(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert stderr.count("error:") == 1 and "hint:" in stderr, stderr


@pytest.mark.parametrize(
    "args", [["list"], ["--version"], ["summary", "--format", "json"], ["list", "--format", "csv"]]
)
def test_a_full_stdout_is_exit_8_with_a_message(db: Path, args: list[str]) -> None:
    before = file_hash(db)
    with open("/dev/full", "w") as full:
        result = run_redirected(args, full.fileno())
    assert result.returncode == 8, result.stderr
    one_refusal(result.stderr)
    assert "No space left" in result.stderr
    assert file_hash(db) == before


@pytest.mark.parametrize("target", ["full", "closed"])
def test_a_change_whose_output_fails_is_saved_and_says_so(db: Path, target: str) -> None:
    if target == "full":
        with open("/dev/full", "w") as full:
            result = run_redirected(["edit", "7", "--note", "checked"], full.fileno())
    else:
        result = subprocess.run(
            f"'{PIPELINE_BIN}' edit 7 --note checked >&-", shell=True, stderr=subprocess.PIPE, text=True, check=False
        )
    assert result.returncode == 8, result.stderr
    assert "Traceback" not in result.stderr
    assert "saved: 7 " in result.stderr
    assert query(db, "SELECT note FROM projects WHERE id = 7") == [{"note": "checked"}]


def test_a_closed_stdout_on_a_read_is_exit_8(db: Path) -> None:
    result = subprocess.run(
        f"'{PIPELINE_BIN}' list >&-", shell=True, stderr=subprocess.PIPE, text=True, check=False, timeout=60
    )
    assert result.returncode == 8, result.stderr
    one_refusal(result.stderr)


def big_import(folder: Path, rows: int = 60000) -> Path:
    path = folder / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "sector", "stage"])
        writer.writerows([f"project {i}", "it", "signed"] for i in range(rows))
    return path


def test_ctrl_c_at_any_moment_is_a_quiet_exit_130_and_nothing_half_written(db: Path, tmp_path: Path) -> None:
    source = big_import(tmp_path)
    before = file_hash(db)
    codes = []
    for delay in (0.15, 0.3, 0.6, 1.0):
        process = subprocess.Popen(
            [str(PIPELINE_BIN), "import", str(source)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        codes.append(process.returncode)
        assert "Traceback" not in err and "Aborted" not in err
        if process.returncode == 130:
            assert file_hash(db) == before, delay
            assert out == ""
        else:  # finished before the signal: saved whole, and said so
            assert process.returncode == 0, err
            break
    assert 130 in codes
    assert [tuple(row.values()) for row in query(db, "PRAGMA integrity_check")] == [("ok",)]


def test_empty_db_option_is_a_usage_error_and_creates_nothing(tmp_path: Path, sh: Sh) -> None:
    data = tmp_path / "xdg-data"
    result = sh("--db", "", "list")
    assert result.exit_code == 2
    one_refusal(result.stderr)
    assert not data.exists()


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_database_that_is_not_a_file_is_exit_6_and_never_hangs(tmp_path: Path, sh: Sh, kind: str) -> None:
    target = tmp_path / "db"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.mkdir()
    result = sh("--db", str(target), "list", timeout=20)
    assert result.exit_code == 6, result.stderr
    one_refusal(result.stderr)
    assert result.stdout == ""


def test_dev_null_as_the_database_is_exit_6(sh: Sh) -> None:
    result = sh("--db", "/dev/null", "list", timeout=20)
    assert result.exit_code == 6
    one_refusal(result.stderr)


@pytest.mark.parametrize("where", ["db", "output"])
def test_a_300_character_name_gets_a_message_not_a_crash(db: Path, tmp_path: Path, sh: Sh, where: str) -> None:
    long = str(tmp_path / ("x" * 300))
    before = file_hash(db)
    result = sh("--db", long, "list") if where == "db" else sh("export", "-o", long)
    assert result.exit_code == (6 if where == "db" else 8), result.stderr
    one_refusal(result.stderr)
    assert file_hash(db) == before


def test_a_default_folder_that_cannot_be_made_is_exit_8(
    tmp_path: Path, sh: Sh, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIPELINE_DB")
    result = sh("list", env={"XDG_DATA_HOME": "/proc/no-such-place"})
    assert result.exit_code == 8, result.stderr
    one_refusal(result.stderr)


def test_no_home_directory_still_finds_a_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("HOME", "PIPELINE_DB")}
    completed = subprocess.run([str(PIPELINE_BIN), "where"], env=env, capture_output=True, text=True, check=False)
    assert completed.returncode in (0, 2, 6, 8)
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("table", ["stages", "sectors", "events", "projects"])
def test_a_database_missing_a_table_is_exit_6(db: Path, sh: Sh, table: str) -> None:
    with connected(db) as conn:
        if is_postgres(db):
            conn.execute(f"DROP TABLE {table} CASCADE")  # with the view and the keys that name it
        else:
            conn.execute("PRAGMA foreign_keys = OFF")
            for view in [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]:
                conn.execute(f'DROP VIEW "{view}"')
            conn.execute(f"DROP TABLE {table}")
    before = file_hash(db)
    for args in (["list"], ["summary"], ["edit", "7", "--note", "x"]):
        result = sh(*args)
        assert result.exit_code == 6, (args, result.stderr)
        one_refusal(result.stderr)
        assert table in result.stderr
    assert file_hash(db) == before


def test_a_settings_file_that_is_a_folder_is_exit_2(db: Path, tmp_path: Path, sh: Sh) -> None:
    folder = tmp_path / "settings"
    folder.mkdir()
    result = sh("list", env={"PIPELINE_CONFIG": str(folder)})
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr


def as_nobody(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """The installed command run by an ordinary user (root enters every folder)."""
    import shutil

    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run as another user")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "cfg")}
    command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", str(PIPELINE_BIN), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("args", [["list"], ["edit", "3", "--note", "x"], ["backup", "{folder}/copy.db"]])
def test_a_database_in_a_folder_the_user_cannot_enter_is_exit_6(db: Path, args: list[str]) -> None:
    import shutil
    import tempfile

    # Outside pytest's own folder, which only root may enter.
    top = Path(tempfile.mkdtemp(prefix="pipeline-test-"))
    try:
        top.chmod(0o755)
        folder = top / "locked"
        folder.mkdir()
        inside = folder / "pipeline.db"
        shutil.copyfile(db, inside)
        folder.chmod(0o700)
        before = file_hash(inside)
        result = as_nobody(["--db", str(inside), *[a.format(folder=folder) for a in args]], top)
        assert result.returncode == 6, result.stderr
        one_refusal(result.stderr)
        assert "cannot reach" in result.stderr
        assert file_hash(inside) == before
        assert sorted(p.name for p in folder.iterdir()) == ["pipeline.db"]
    finally:
        shutil.rmtree(top, ignore_errors=True)
