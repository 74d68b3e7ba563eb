"""Ctrl-C at any moment, through real processes: a quiet exit 130, and the truth about what was saved.

SIGINT is sent at random moments of a real `pipeline` process: while Python
starts, while the package imports, while an import reads, checks and
writes, between its COMMIT and its report, while it prints, and while a
write waits for a busy database. Whatever the moment:

- no traceback from pipeline's code (before the package's first line runs,
  the interpreter's own start-up is Python's: it may die of the signal or
  print its KeyboardInterrupt, which no program can change);
- the exit code is 130 (or the command had finished: 0);
- the database is either exactly as before (and stderr says nothing
  changed) or holds the whole import (and stderr says it was saved), never
  half of it and never "nothing changed" about a saved change.
"""

from __future__ import annotations

import contextlib
import csv
import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import PIPELINE_BIN, file_hash, query
from test_lock_and_readonly import holding


def _projects(db: Path) -> int:
    (row,) = query(db, "SELECT count(*) AS n FROM projects")
    return int(row["n"])


def _pythons_own(err: str) -> bool:
    """A traceback of the interpreter's start-up, before pipeline's first line ran.

    Its frames are the console script's (whose line names the package it
    imports) and importlib's, never a file inside the package's folder.
    """
    package_file = f"{os.sep}pipeline_cli{os.sep}"
    return package_file not in err.split("Traceback", 1)[1] if "Traceback" in err else True


ROWS = 1500


def big_import(folder: Path, rows: int) -> Path:
    path = folder / "many.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["name", "sector", "stage"])
        writer.writerows([f"project {i}", "it", "signed"] for i in range(rows))
    return path


@pytest.mark.slow
def test_ctrl_c_at_random_moments_never_lies_about_what_was_saved(db: Path, tmp_path: Path) -> None:
    source = big_import(tmp_path, ROWS)
    # How long the whole import takes here and now (then undone), so the Ctrl-Cs span all of it.
    started = time.monotonic()
    whole = subprocess.run([str(PIPELINE_BIN), "import", str(source)], capture_output=True, text=True, check=False)
    took = time.monotonic() - started
    assert whole.returncode == 0, whole.stderr
    assert subprocess.run([str(PIPELINE_BIN), "undo", "--yes"], capture_output=True, check=False).returncode == 0
    before_hash, before_count = file_hash(db), _projects(db)
    random.seed(1)
    outcomes: set[str] = set()
    # From the first millisecond to past the end of the import.
    delays = [random.uniform(0, 0.1) for _ in range(4)] + [random.uniform(0.1, took * 1.3) for _ in range(10)]
    for delay in delays:
        process = subprocess.Popen(
            [str(PIPELINE_BIN), "import", str(source)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=120)
        code = process.returncode
        shown = f"after {delay:.3f} s: exit {code}\nstderr: {err[-800:]}"
        assert _pythons_own(err), shown
        assert "Aborted" not in err, shown
        if "Traceback" in err or code == -signal.SIGINT:
            # The interpreter's own start-up, before pipeline's first line: nothing opened yet.
            assert file_hash(db) == before_hash, shown
            outcomes.add("python")
            continue
        assert code in (0, 130), shown
        count = _projects(db)
        if count == before_count:
            assert file_hash(db) == before_hash, shown
            assert "saved" not in err, shown
            assert code != 0, shown
            outcomes.add("nothing")
        else:
            # The whole import, and said so: the saved line, or that it was saved before the Ctrl-C.
            assert count == before_count + ROWS, shown
            assert code in (0, 130), shown
            assert f"imported: {ROWS} added" in err + out or "after the change was saved" in err, shown
            assert "nothing changed" not in err, shown
            outcomes.add("saved")
            assert [tuple(row.values()) for row in query(db, "PRAGMA integrity_check")] == [("ok",)]
            # Back to the start for the next run.
            undone = subprocess.run([str(PIPELINE_BIN), "undo", "--yes"], capture_output=True, text=True, check=False)
            assert undone.returncode == 0, undone.stderr
            before_hash, before_count = file_hash(db), _projects(db)
    assert "nothing" in outcomes


def test_ctrl_c_while_waiting_for_a_busy_database_ends_at_once(db: Path) -> None:
    before = file_hash(db)
    with holding(db, "BEGIN IMMEDIATE"):
        process = subprocess.Popen(
            [str(PIPELINE_BIN), "edit", "7", "--note", "waited"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PIPELINE_BUSY_TIMEOUT": "60"},
        )
        time.sleep(1.5)  # started, and waiting for the lock
        assert process.poll() is None
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        waited = time.monotonic() - sent
    assert process.returncode == 130, err
    assert waited < 2, waited
    assert out == ""
    assert err == "interrupted: nothing changed\n"
    assert file_hash(db) == before


def test_a_busy_database_still_times_out_after_the_busy_timeout(db: Path) -> None:
    before = file_hash(db)
    with holding(db, "BEGIN IMMEDIATE"):
        started = time.monotonic()
        completed = subprocess.run(
            [str(PIPELINE_BIN), "edit", "7", "--note", "waited"],
            capture_output=True,
            text=True,
            env={**os.environ, "PIPELINE_BUSY_TIMEOUT": "0.6"},
            check=False,
            timeout=30,
        )
        took = time.monotonic() - started
    assert completed.returncode == 7, completed.stderr
    assert 0.6 <= took < 10
    assert "0.6 s" in completed.stderr
    assert completed.stdout == ""
    assert file_hash(db) == before


def test_a_change_committed_before_the_ctrl_c_is_reported_saved(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C that arrives during the COMMIT is held until the commit is recorded, then reported saved."""
    from typer.testing import CliRunner

    from pipeline_cli import interrupts
    from pipeline_cli.cli import app

    real_commit = interrupts.committing

    @contextlib.contextmanager
    def commit_then_ctrl_c() -> Iterator[None]:
        with real_commit():
            interrupts.on_interrupt(signal.SIGINT, None)  # arrives while COMMIT runs: held
            yield

    previous = signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(interrupts, "committing", commit_then_ctrl_c)
    try:
        result = CliRunner().invoke(app, ["edit", "7", "--note", "kept"])
    finally:
        signal.signal(signal.SIGINT, previous)
    assert result.exit_code == 130, result.stderr
    assert result.stdout == ""
    assert "saved" in result.stderr and "nothing changed" not in result.stderr
    assert query(db, "SELECT note FROM projects WHERE id = 7") == [{"note": "kept"}]
