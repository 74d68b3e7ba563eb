"""On a PostgreSQL server: writers killed at random moments, and migrations run by two processes at once.

As test_kill.py does for a file: workers write in a loop and are killed
with SIGKILL; the server rolls a dead client's transaction back (and
releases its write lock), so every change is whole and the next writer
never waits for a dead one.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

import pg
from conftest import REPORT_DATE, run_sh
from pipeline_cli import migrations
from pipeline_cli.store import dialect, postgres
from test_kill import WORKER


def rows(url: str, sql: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture
def three_projects(pg_server: pg.Server, pg_templates: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    """A database of three projects that only ever move together (PIPELINE_DB names it)."""
    url = pg_server.url(pg_server.new_database(pg_templates["empty"]))
    monkeypatch.setenv("PIPELINE_DB", url)
    for number in (1, 2, 3):
        assert run_sh("add", f"项目{number}", "--sector", "it", "--date", "2020-08-01").exit_code == 0
    return url


def assert_whole(url: str) -> None:
    together = rows(url, "SELECT DISTINCT stage, stage_since FROM projects WHERE id IN (1, 2, 3)")
    assert len(together) == 1, together
    investment, note = rows(url, "SELECT investment_wan, note FROM projects WHERE id = 1")[0]
    assert note is None or note == f"n{int(investment) // 10_000}", (investment, note)  # type: ignore[call-overload]
    done = run_sh("check")
    assert done.exit_code == 0, done.stdout + done.stderr
    by_change: dict[object, list[tuple[object, ...]]] = {}
    for event in rows(url, 'SELECT change, kind, project_id, "from", "to", date, undoes FROM events ORDER BY id'):
        if event[0] is not None:
            by_change.setdefault(event[0], []).append(event)
    for change, group in by_change.items():
        kinds = {event[1] for event in group}
        assert len(kinds) == 1, (change, kinds)
        if kinds == {"stage"}:
            assert sorted(event[2] for event in group) == [1, 2, 3], change  # type: ignore[type-var]
            assert len({event[3:6] for event in group}) == 1


@pytest.mark.slow
def test_writers_killed_at_random_moments_never_leave_a_half_written_change(
    three_projects: str, tmp_path: Path
) -> None:
    worker = tmp_path / "worker.py"
    worker.write_text(WORKER)
    log = tmp_path / "log.txt"
    env = {**os.environ, "PIPELINE_BUSY_TIMEOUT": "30"}
    rng = random.Random(20200818)
    for _ in range(5):
        processes = [
            subprocess.Popen(
                [sys.executable, str(worker), str(rng.randrange(1 << 30)), "outside", str(log)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(3)
        ]
        deadlines = sorted(rng.uniform(2.0, 5.0) for _ in processes)
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
            assert "Traceback" not in errors and "internal error" not in errors, errors
        assert_whole(three_projects)
        # No dead writer holds the lock: a write goes through at once.
        assert run_sh("edit", "3", "--note", "alive", env={"PIPELINE_BUSY_TIMEOUT": "2"}).exit_code == 0
    outcomes = [line.split(" ", 1) for line in log.read_text().splitlines()]
    assert {code for code, _ in outcomes} <= {"0", "4"}, outcomes
    assert sum(1 for code, _ in outcomes if code == "0") > 0


def test_two_processes_opening_an_old_schema_both_succeed_and_migrate_once(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration after the base schema, run by two openers at once: one applies it, the other finds it done."""

    def m999_later(conn: object) -> None:
        raise AssertionError("the SQLite form is not run on a server")

    number = migrations.SCHEMA_VERSION + 1
    monkeypatch.setattr(postgres, "MIGRATIONS", (*migrations.MIGRATIONS, m999_later))
    monkeypatch.setattr(postgres, "SCHEMA_VERSION", number)
    # Slow on purpose, so that the second opener comes while the first holds the lock.
    slow = "SELECT pg_sleep(0.5); ALTER TABLE projects ADD COLUMN later TEXT"
    monkeypatch.setitem(dialect.PG_MIGRATIONS, number, slow)
    outcomes: list[object] = []

    def open_it() -> None:
        try:
            postgres.open_existing(pg_url, 10).close()
            outcomes.append("ok")
        except Exception as error:  # reported below
            outcomes.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["ok", "ok"]
    assert rows(pg_url, f"SELECT id, name FROM migrations WHERE id = {number}") == [(number, "m999_later")]
    assert rows(pg_url, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'later'") == [(1,)]


def test_a_failing_migration_leaves_the_schema_and_its_record_as_they_were(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def m999_broken(conn: object) -> None:
        raise AssertionError("not run on a server")

    number = migrations.SCHEMA_VERSION + 1
    monkeypatch.setattr(postgres, "MIGRATIONS", (*migrations.MIGRATIONS, m999_broken))
    monkeypatch.setattr(postgres, "SCHEMA_VERSION", number)
    monkeypatch.setitem(dialect.PG_MIGRATIONS, number, "ALTER TABLE projects ADD COLUMN half TEXT; SELECT 1 / 0")
    with pytest.raises(psycopg.errors.DivisionByZero):
        postgres.open_existing(pg_url, 10)
    assert rows(pg_url, "SELECT max(id) FROM migrations") == [(migrations.SCHEMA_VERSION,)]
    assert rows(pg_url, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'half'") == [(0,)]
    assert REPORT_DATE  # the fixed today of every test
