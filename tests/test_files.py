"""No command destroys a database or replaces what is not a plain file.

- A database is never moved, replaced or created apart from its hot
  -journal: `init --force` rolls a crashed write back before it keeps the old
  file, and `init` refuses where the journal of a vanished database lies.
- `backup`, `export -o` and report `-o` never write over an SQLite file (the
  database in use by any name, another database, a journal's name).
- `-o` writes through a symlink and into a FIFO or a device; `init --force`
  refuses a folder, a device, a FIFO or a symlink.
- A temporary file left by a killed run is removed by the next run beside it.

Every test compares the files touched before and after, with real files and
real processes (SIGKILL, FIFOs, devices).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result, file_hash

Cli = Callable[..., Result]
Sh = Callable[..., Result]


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM projects ORDER BY id")]
    finally:
        conn.close()


def listing(folder: Path) -> dict[str, str]:
    return {p.name: file_hash(p) if p.is_file() else "other" for p in sorted(folder.iterdir())}


CRASH = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")
conn.execute("BEGIN IMMEDIATE")
for _ in range(20):
    conn.execute("UPDATE projects SET note = hex(randomblob(3000))")
os._exit(0)  # a crash in the middle of the write: the journal stays, hot
"""


def crash_a_write(db: Path) -> Path:
    """A writer that dies mid-transaction, after SQLite spilled changed pages into the file."""
    before = file_hash(db)
    subprocess.run([sys.executable, "-c", CRASH, str(db)], check=True)
    journal = db.with_name(db.name + "-journal")
    assert journal.exists() and journal.stat().st_size > 0
    assert file_hash(db) != before  # the file holds half a write; only the journal can undo it
    return journal


# --- a database is never separated from its journal ---------------------------------


def test_init_force_rolls_back_a_crashed_write_before_keeping_the_old_file(db: Path, sh: Sh) -> None:
    original = names(db)
    crash_a_write(db)
    result = sh("init", "--force")
    assert result.exit_code == 0, result.stderr
    backup = Path(result.stdout.splitlines()[0].removeprefix("kept the old database as "))
    assert integrity(backup) == "ok"
    assert names(backup) == original  # the half write was rolled back
    assert integrity(db) == "ok"
    assert len(names(db)) == 47
    assert not db.with_name(db.name + "-journal").exists()
    assert sh("check").exit_code == 0


def test_init_after_the_file_was_deleted_refuses_to_meet_its_journal(db: Path, sh: Sh) -> None:
    journal = crash_a_write(db)
    db.unlink()
    kept = file_hash(journal)
    before = listing(db.parent)
    result = sh("init")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert str(journal) in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.stderr
    assert listing(db.parent) == before
    assert file_hash(journal) == kept


def test_the_first_run_default_database_is_not_created_beside_an_old_journal(
    tmp_path: Path, sh: Sh, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIPELINE_DB")
    default = tmp_path / "xdg-data" / "pipeline" / "pipeline.db"
    default.parent.mkdir(parents=True)
    journal = default.with_name("pipeline.db-journal")
    journal.write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 504)
    result = sh("list")
    assert result.exit_code == 4
    assert not default.exists()


def test_init_force_waits_for_a_writer_and_then_refuses_to_move_the_file_under_it(db: Path, sh: Sh) -> None:
    # Listed before the lock is taken: reading the file here would drop this process's locks on it.
    before = sorted(p.name for p in db.parent.iterdir())
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE projects SET note = 'being written'")
    try:
        result = sh("init", "--force", env={"PIPELINE_BUSY_TIMEOUT": "0.2"})
        assert result.exit_code == 7, result.stderr
        assert sorted(p.name for p in db.parent.iterdir() if not p.name.endswith("-journal")) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert integrity(db) == "ok"


# --- no output option writes over an SQLite file --------------------------------------

OUTPUTS = [
    ["export", "-o"],
    ["export", "--format", "json", "-o"],
    ["export", "--format", "xlsx", "-o"],
    ["report", "--format", "markdown", "-o"],
    ["summary", "--format", "html", "-o"],
    ["list", "--format", "csv", "-o"],
]


@pytest.mark.parametrize("command", OUTPUTS, ids=lambda c: " ".join(c))
def test_no_output_option_writes_over_another_database(db: Path, tmp_path: Path, cli: Cli, command: list[str]) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    before, live = file_hash(other), file_hash(db)
    result = cli(*command, str(other))
    assert result.exit_code == 2, result.stderr
    assert "SQLite" in result.stderr
    assert file_hash(other) == before and file_hash(db) == live


@pytest.mark.parametrize("command", OUTPUTS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("name", ["hard link", "journal", "wal"])
def test_no_output_option_writes_over_the_database_in_use_by_another_name(
    db: Path, cli: Cli, command: list[str], name: str
) -> None:
    if name == "hard link":
        target = db.with_name("same-inode.db")
        os.link(db, target)
    else:
        target = db.with_name(db.name + ("-journal" if name == "journal" else "-wal"))
    before = listing(db.parent)
    result = cli(*command, str(target))
    assert result.exit_code == 2, result.stderr
    assert listing(db.parent) == before
    assert integrity(db) == "ok"


def test_an_output_is_not_written_as_the_journal_of_another_database(db: Path, tmp_path: Path, cli: Cli) -> None:
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for command in (["export", "-o", f"{other}-journal"], ["backup", f"{other}-wal"]):
        result = cli(*command)
        assert result.exit_code == 2, (command, result.stderr)
        assert not Path(f"{other}-journal").exists() and not Path(f"{other}-wal").exists()


@pytest.mark.parametrize("name", ["journal", "wal", "shm"])
def test_backup_never_writes_a_journal_of_the_database_in_use(db: Path, cli: Cli, name: str) -> None:
    target = db.with_name(f"{db.name}-{name}")
    result = cli("backup", str(target))
    assert result.exit_code == 2, result.stderr
    assert not target.exists()
    assert integrity(db) == "ok"


def test_backup_refuses_any_existing_sqlite_file(db: Path, tmp_path: Path, cli: Cli) -> None:
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    before = file_hash(other)
    assert cli("backup", str(other)).exit_code == 4
    assert cli("backup", str(db)).exit_code == 4
    assert file_hash(other) == before


# --- symlinks, FIFOs and devices are written through, never replaced ----------------


def test_o_writes_through_a_symlink_to_the_file_it_points_at(db: Path, tmp_path: Path, cli: Cli) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    result = cli("export", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("id,")


def test_o_through_a_symlink_to_the_database_is_refused(db: Path, tmp_path: Path, cli: Cli) -> None:
    link = tmp_path / "innocent.csv"
    link.symlink_to(db)
    before = file_hash(db)
    assert cli("export", "-o", str(link)).exit_code == 2
    assert file_hash(db) == before and link.is_symlink()


def test_o_writes_into_a_fifo(db: Path, tmp_path: Path, sh: Sh) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = sh("export", "-o", str(fifo), timeout=20)
    reader.join(timeout=20)
    if reader.is_alive():  # nothing wrote into the FIFO: let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received and received[0].startswith(b"id,") and received[0].count(b"\n") >= 48
    assert [p.name for p in tmp_path.iterdir() if "pipeline-tmp" in p.name] == []


def test_o_dev_stdout_writes_to_stdout(db: Path, tmp_path: Path, sh: Sh) -> None:
    # A link of its own to the process's stdout, as /dev/stdout is: were it
    # replaced, the machine's /dev/stdout stays safe.
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    for target in (stdout, Path("/dev/stdout")):
        if target.is_symlink() or not target.is_file():
            result = sh("export", "-o", str(target))
            assert result.exit_code == 0, result.stderr
            assert result.stdout.startswith("id,") and len(result.stdout.splitlines()) == 48
        assert target.is_symlink() or not target.is_file()
        if target == stdout:
            assert os.readlink(stdout) == "/proc/self/fd/1"


def null_device(folder: Path) -> Path:
    device = folder / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        pytest.skip("cannot make a device node here")
    return device


def test_o_writes_into_a_device_and_leaves_it_a_device(db: Path, tmp_path: Path, cli: Cli) -> None:
    device = null_device(tmp_path)
    result = cli("export", "-o", str(device))
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "symlink"])
def test_init_force_refuses_what_is_not_a_plain_file(tmp_path: Path, cli: Cli, kind: str) -> None:
    place = tmp_path / "place"
    place.mkdir()
    target = place / "pipeline.db"
    if kind == "folder":
        target.mkdir()
        (target / "inside.txt").write_text("keep me")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target = null_device(place)
    else:
        real = place / "real.db"
        assert cli("--db", str(real), "init", "--empty").exit_code == 0
        target.symlink_to(real)
    before = {p.name: os.lstat(p).st_mode for p in place.iterdir()}
    result = cli("--db", str(target), "init", "--force")
    assert result.exit_code == 6, result.stderr
    assert result.stdout == ""
    assert "not a database file" in result.stderr
    assert {p.name: os.lstat(p).st_mode for p in place.iterdir()} == before


# --- temporary files of a killed run -----------------------------------------------------

HOLD = """
import sys, time
from pathlib import Path
from pipeline_cli import files, output
target = Path(sys.argv[1])
if sys.argv[2] == "export":
    with output.atomic_file(target, binary=True) as out:
        out.write(b"x" * 1_000_000)
        out.flush()
        print("ready", flush=True)
        time.sleep(60)
else:  # what backup builds: a temporary name of the same pattern
    files.temporary_name(target).write_bytes(b"SQLite format 3\\x00" + b"x" * 1_000_000)
    print("ready", flush=True)
    time.sleep(60)
"""


def killed_writer(target: Path, what: str) -> None:
    """A process writing `target` the way `what` does, killed with SIGKILL half way."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(target), what], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".pipeline-tmp-" in p.name)


@pytest.mark.parametrize("command", [["export", "-o"], ["report", "-o"], ["backup"]], ids=lambda c: c[0])
def test_the_next_run_removes_the_temporary_file_of_a_killed_run(
    db: Path, tmp_path: Path, sh: Sh, command: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / "copy.file"
    killed_writer(target, "backup" if command == ["backup"] else "export")
    assert len(leftovers(out)) == 1
    result = sh(*command, str(target))
    assert result.exit_code == 0, result.stderr
    assert leftovers(out) == []
    assert target.exists()


def test_a_running_writer_keeps_its_temporary_file(db: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "copy.csv"
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(target), "export"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        assert cli("export", "-o", str(target)).exit_code == 0
        assert len(leftovers(tmp_path)) == 1
    finally:
        process.kill()
        process.wait(timeout=10)


def test_a_temporary_name_fits_a_long_file_name(db: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / ("长" * 80 + ".csv")  # 244 bytes: room for no suffix
    result = cli("export", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.exists() and leftovers(tmp_path) == []


def test_an_interrupted_backup_cleans_up_after_itself_in_time(db: Path, tmp_path: Path, sh: Sh) -> None:
    """A backup run while a killed one's temporary file is a week old and its pid alive again still cleans it."""
    target = tmp_path / "old.bak"
    stale = tmp_path / f".{target.name}.pipeline-tmp-{os.getpid()}-dead"
    stale.write_bytes(b"x")
    week = time.time() - 8 * 24 * 3600
    os.utime(stale, (week, week))
    assert sh("backup", str(target)).exit_code == 0
    assert not stale.exists()
