"""Writers killed with SIGKILL at random moments: nothing is ever half-written.

Each round starts three worker processes that write in a loop (advance 1 2 3
together, undo, edit two fields at once, drop/restore, add) and kills them:
in half the rounds from outside after a random delay, in the other half from
inside, after a random number of SQLite steps (so some die in the middle of
a statement of a write transaction). After every round the file must pass
integrity_check and `check`, projects 1, 2 and 3 (which only ever move
together) must stand at the same stage since the same day, and every change
must be whole.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli
from pipeline_cli import store
from pipeline_cli.model import ProjectRecord

ROUNDS = 12
WORKERS = 3

WORKER = r"""
import os, random, signal, sys

import typer

from pipeline_cli import store
from pipeline_cli.cli import app

seed, mode, log_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(seed)

if mode == "inside":
    # Die after a random number of SQLite virtual-machine steps.
    budget = [rng.randint(1, 400)]
    connect = store._core._connect

    def dying_connect(path, how):
        conn = connect(path, how)

        def step():
            budget[0] -= 1
            if budget[0] <= 0:
                os.kill(os.getpid(), signal.SIGKILL)
            return 0

        conn.set_progress_handler(step, 50)
        return conn

    store._core._connect = dying_connect

command = typer.main.get_command(app)
log = open(log_path, "a", buffering=1)
n = 0
while True:
    n += 1
    amount = rng.randint(0, 999)
    args = rng.choice(
        [
            ["advance", "1", "2", "3"],
            ["advance", "1", "2", "3"],
            ["undo", "--yes"],
            ["undo", "--yes"],
            ["edit", "1", "--investment", f"{amount}", "--note", f"n{amount}"],
            ["drop", "2", "--reason", "r"],
            ["restore", "2"],
            ["add", f"k{seed}-{n}", "--sector", "it"],
        ]
    )
    try:
        code = command.main(args, standalone_mode=False)
    except SystemExit as exit:
        code = exit.code
    log.write(f"{code or 0} {' '.join(args)}\n")
"""


def seed_database(path: Path) -> None:
    records = [
        ProjectRecord(name=f"项目{i}", sector="it", stage="negotiating", stage_since="2020-08-01", source="user")
        for i in (1, 2, 3)
    ]
    store.create(path, records)


def events(db: Path) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM events ORDER BY id").fetchall()
    finally:
        conn.close()


def assert_whole(db: Path) -> None:
    """integrity_check, `check`, and no change half applied."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        together = conn.execute("SELECT DISTINCT stage, stage_since FROM projects WHERE id IN (1, 2, 3)").fetchall()
        assert len(together) == 1, together
        investment, note = conn.execute("SELECT investment_wan, note FROM projects WHERE id = 1").fetchone()
        assert note is None or note == f"n{investment // 10_000}", (investment, note)
    finally:
        conn.close()
    result = run_cli("check")
    assert result.exit_code == 0, result.stdout + result.stderr

    by_change: dict[int, list[sqlite3.Row]] = {}
    for event in events(db):
        if event["change"] is not None:
            by_change.setdefault(event["change"], []).append(event)
    for change, group in by_change.items():
        kinds = {event["kind"] for event in group}
        assert len(kinds) == 1, (change, kinds)
        kind = kinds.pop()
        projects = sorted(event["project_id"] for event in group)
        if kind == "stage":
            assert projects == [1, 2, 3], change
            assert len({(event["from"], event["to"], event["date"]) for event in group}) == 1
        elif kind == "undo":
            (undone,) = {event["undoes"] for event in group}
            assert projects == sorted(event["project_id"] for event in by_change[undone]), change
        else:
            assert len(projects) == 1, change


@pytest.mark.slow
def test_writers_killed_at_random_moments_never_leave_a_half_written_change(tmp_path: Path) -> None:
    db = Path(os.environ["PIPELINE_DB"])
    seed_database(db)
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER)
    log = tmp_path / "log.txt"
    env = {**os.environ, "PIPELINE_BUSY_TIMEOUT": "30"}
    rng = random.Random(20200818)
    for round_number in range(ROUNDS):
        inside = round_number % 2 == 1
        processes = [
            subprocess.Popen(
                [sys.executable, str(worker), str(rng.randrange(1 << 30)), "inside" if inside else "outside", str(log)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(WORKERS)
        ]
        # From outside, each at its own moment; from inside, a last resort.
        deadlines = sorted(rng.uniform(0.15, 0.6) if not inside else 3.0 for _ in processes)
        started = time.monotonic()
        for process, deadline in zip(processes, deadlines, strict=True):
            remaining = deadline - (time.monotonic() - started)
            if remaining > 0:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=remaining)
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
        for process in processes:
            process.wait(timeout=30)
            assert process.stderr is not None
            errors = process.stderr.read().decode()
            process.stderr.close()
            assert process.returncode == -signal.SIGKILL, errors
            assert "Traceback" not in errors and "error: internal error" not in errors, errors
        assert_whole(db)

    outcomes = [line.split(" ", 1) for line in log.read_text().splitlines()]
    # Refusals the random mix can meet: the last rung, a dropped or active
    # project, nothing to undo. Never a busy database or an internal error.
    assert {code for code, _ in outcomes} <= {"0", "4"}, outcomes
    assert sum(1 for code, _ in outcomes if code == "0") > 0
    history = json.loads(run_cli("history", "--format", "json").stdout)
    assert len(history) == len(events(db))
