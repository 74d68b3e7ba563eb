"""A lock held too long (exit 7), a file or folder that cannot be written, a full disk (exit 8).

Real processes: another connection holds the lock in this process while the
installed `pipeline` runs. The read-only cases run `pipeline` as the
unprivileged user `nobody` (root can write anything, and CI runs as root).
In every case nothing changes: the file hashes the same before and after.
On PostgreSQL (PIPELINE_TEST_ENGINES=all) the write lock is the server's
advisory lock; the rest is about a file and stays on SQLite.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PIPELINE_BIN, Result, connected, file_hash, is_postgres, run_cli

WRITES = [
    ("advance", "12"),
    ("move", "12", "landed", "--from", "signed"),
    ("add", "新项目", "--sector", "it"),
    ("edit", "12", "--investment", "3"),
    ("drop", "12", "--reason", "退单"),
    ("undo", "--yes"),
]


def run(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> Result:
    completed = subprocess.run(
        [str(PIPELINE_BIN), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,  # the bound: a command that waited forever fails the test
        **kwargs,  # type: ignore[call-overload]
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture
def changed_db(db: Path) -> Path:
    """The seed plus one change, so that `undo` has something to revert."""
    assert run_cli("advance", "7").exit_code == 0
    return db


# --- a lock held past the busy timeout ------------------------------------------------


@contextlib.contextmanager
def holding(db: Path, begin: str, read: bool = False) -> Iterator[None]:
    """A transaction opened with `begin` while the block runs; BEGIN IMMEDIATE is the write lock on either engine."""
    if is_postgres(db):
        assert begin == "BEGIN IMMEDIATE", "only the write lock has a PostgreSQL form"
        with connected(db) as pg_conn:  # the store's adapter: the advisory lock every write takes
            pg_conn.execute(begin)
            try:
                yield
            finally:
                pg_conn.execute("ROLLBACK")
        return
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute(begin)
        if read:
            conn.execute("SELECT count(*) FROM projects").fetchone()
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.mark.parametrize("args", WRITES, ids=[w[0] for w in WRITES])
def test_a_write_lock_held_past_the_timeout_is_exit_7_and_nothing_changes(changed_db: Path, args: tuple[str]) -> None:
    before = file_hash(changed_db)
    with holding(changed_db, "BEGIN IMMEDIATE"):
        result = run(*args, env={"PIPELINE_BUSY_TIMEOUT": "0.3"})
    assert result.exit_code == 7, result.stderr
    assert "the database is busy" in result.stderr
    assert "retry" in result.stderr or "try again" in result.stderr
    assert result.stdout == ""
    assert file_hash(changed_db) == before


def test_a_reader_that_keeps_the_file_past_the_timeout_makes_commit_busy(changed_db: Path) -> None:
    # BEGIN IMMEDIATE succeeds beside a reader; COMMIT then needs the reader
    # gone and gives up after the timeout: exit 7, rolled back.
    before = file_hash(changed_db)
    with holding(changed_db, "BEGIN", read=True):
        result = run("advance", "12", "13", env={"PIPELINE_BUSY_TIMEOUT": "0.3"})
    assert result.exit_code == 7, result.stderr
    assert "the database is busy" in result.stderr
    assert result.stdout == ""
    assert file_hash(changed_db) == before
    assert not Path(f"{changed_db}-journal").exists()
    assert run_cli("check").exit_code == 0


def test_an_exclusive_lock_makes_reads_wait_and_give_up_with_exit_7(changed_db: Path) -> None:
    with holding(changed_db, "BEGIN EXCLUSIVE"):
        result = run("list", "--format", "json", env={"PIPELINE_BUSY_TIMEOUT": "0.2"})
    assert result.exit_code == 7, result.stderr
    assert result.stdout == ""


def test_a_lock_released_within_the_timeout_lets_the_write_through(changed_db: Path) -> None:
    with holding(changed_db, "BEGIN IMMEDIATE"):
        process = subprocess.Popen(
            [str(PIPELINE_BIN), "advance", "12"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PIPELINE_BUSY_TIMEOUT": "30"},
        )
        # Whether it is already waiting or not started yet, it must get through.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.5)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout == "12 工业软件研发中心项目: signed → preliminary\n"


# --- read-only file and folder, as an unprivileged user -------------------------------------


def _as_unprivileged() -> list[str]:
    """The command prefix that runs a program as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv is not installed: cannot switch to an unprivileged user")
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def run_unprivileged(db: Path, *args: str) -> Result:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PIPELINE_DB": str(db),
        "PIPELINE_TODAY": os.environ["PIPELINE_TODAY"],
        "PIPELINE_USER": "tester",
        "HOME": "/nonexistent",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    completed = subprocess.run(
        [*_as_unprivileged(), str(PIPELINE_BIN), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd="/",
        timeout=60,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


@pytest.fixture(params=["read-only file", "read-only folder"])
def read_only_db(request: pytest.FixtureRequest, changed_db: Path) -> Iterator[Path]:
    """A copy of the database that the unprivileged user can read but not write."""
    prefix = _as_unprivileged()
    folder = Path(tempfile.mkdtemp(prefix="pipeline-ro-", dir="/tmp"))
    path = folder / "pipeline.db"
    shutil.copyfile(changed_db, path)
    nobody = 65534
    if request.param == "read-only file":
        if prefix:
            os.chown(folder, nobody, nobody)  # the folder is the user's own; the file is root's
        folder.chmod(0o755)
        path.chmod(0o444)
    else:
        if prefix:
            os.chown(path, nobody, nobody)  # the file is the user's own; the folder is root's
        path.chmod(0o644)
        folder.chmod(0o555)
    probe = run_unprivileged(path, "--version")
    if probe.exit_code != 0:
        pytest.skip(f"the unprivileged user cannot run pipeline here: {probe.stderr.strip()[:200]}")
    try:
        yield path
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)


def test_reads_work_on_a_read_only_database(read_only_db: Path) -> None:
    listed = run_unprivileged(read_only_db, "list", "--format", "json")
    assert listed.exit_code == 0, listed.stderr
    assert listed.stdout.count('"id":') == 47
    history = run_unprivileged(read_only_db, "history", "7", "--format", "tsv")
    assert history.exit_code == 0, history.stderr
    assert len(history.stdout.splitlines()) == 3  # header, created, the advance
    check = run_unprivileged(read_only_db, "check")
    assert check.exit_code == 0, check.stderr
    assert check.stdout.startswith("ok:")


@pytest.mark.parametrize("args", WRITES, ids=[w[0] for w in WRITES])
def test_writes_to_a_read_only_database_exit_8_and_change_nothing(read_only_db: Path, args: tuple[str]) -> None:
    before = file_hash(read_only_db)
    listing = sorted(p.name for p in read_only_db.parent.iterdir())
    result = run_unprivileged(read_only_db, *args)
    assert result.exit_code == 8, result.stderr
    assert f"cannot write to {read_only_db}" in result.stderr
    assert "nothing changed" in result.stderr
    assert result.stdout == ""
    assert file_hash(read_only_db) == before
    assert sorted(p.name for p in read_only_db.parent.iterdir()) == listing


# --- a full disk -----------------------------------------------------------------------------


@pytest.fixture
def full_disk_db(changed_db: Path) -> Iterator[Path]:
    """The database on a small tmpfs filled to the last byte (needs root and mount)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small file system needs root")
    folder = Path(tempfile.mkdtemp(prefix="pipeline-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "pipeline-test", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        path = folder / "pipeline.db"
        shutil.copyfile(changed_db, path)
        filler = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            for chunk in (4096, 1):  # pages, then the last few bytes
                with contextlib.suppress(OSError):
                    while os.write(filler, b"\0" * chunk):
                        pass
        finally:
            os.close(filler)
        yield path
    finally:
        subprocess.run(["umount", str(folder)], check=False)
        folder.rmdir()


@pytest.mark.parametrize("args", WRITES, ids=[w[0] for w in WRITES])
def test_writes_on_a_full_disk_exit_8_and_change_nothing(full_disk_db: Path, args: tuple[str]) -> None:
    before = file_hash(full_disk_db)
    result = run(*args, env={"PIPELINE_DB": str(full_disk_db)})
    assert result.exit_code == 8, result.stderr
    assert "cannot write to" in result.stderr
    assert result.stdout == ""
    assert file_hash(full_disk_db) == before
    listed = run("list", "--format", "tsv", env={"PIPELINE_DB": str(full_disk_db)})
    assert listed.exit_code == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 48


def _file_size_limit() -> None:
    # Writes past 2 KiB fail with EFBIG (as on a full disk) instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


@pytest.mark.parametrize("args", WRITES, ids=[w[0] for w in WRITES])
def test_writes_that_run_out_of_room_exit_8_and_change_nothing(changed_db: Path, args: tuple[str]) -> None:
    # Works without root: the process may not grow any file past 2 KiB, so
    # SQLite cannot write its rollback journal, as when the disk is full.
    before = file_hash(changed_db)
    completed = subprocess.run(
        [str(PIPELINE_BIN), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
        preexec_fn=_file_size_limit,
    )
    assert completed.returncode == 8, completed.stderr
    assert "cannot write to" in completed.stderr
    assert completed.stdout == ""
    assert file_hash(changed_db) == before
    assert run_cli("check").exit_code == 0
