"""Concurrent writers: real `pipeline` processes writing to the same few projects at once.

Every write is BEGIN IMMEDIATE with a busy timeout, so the commands queue
rather than fail: every one exits 0, and every event they wrote is there,
once, each change under its own number. On PostgreSQL (PIPELINE_TEST_ENGINES=all)
the same, the write lock being the server's advisory lock.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import PIPELINE_BIN, connected

WORKERS = 6


def run_all(scripts: list[list[list[str]]]) -> list[list[tuple[list[str], int, str]]]:
    """Run each worker's commands in order, the workers at the same time.

    Returns, per worker, (args, exit code, stderr) for each command.
    """
    results: list[list[tuple[list[str], int, str]]] = [[] for _ in scripts]
    start = threading.Barrier(len(scripts))
    env = {**os.environ, "PIPELINE_BUSY_TIMEOUT": "60"}

    def work(index: int) -> None:
        start.wait()
        for args in scripts[index]:
            done = subprocess.run([str(PIPELINE_BIN), *args], capture_output=True, text=True, env=env, timeout=120)
            results[index].append((args, done.returncode, done.stderr))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(scripts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.slow
def test_six_writers_times_ten_on_the_same_projects_all_succeed_and_every_event_is_there(db: Path) -> None:
    # Projects 1, 2 and 3 start at negotiating; 6 advances take them to production.
    scripts = []
    for w in range(WORKERS):
        by = f"w{w}"
        scripts.append(
            [
                ["advance", "1", "--by", by],
                ["advance", "2", "3", "--by", by],
                ["edit", "4", "--note", f"{by}-a", "--by", by],
                ["edit", "4", "--note", f"{by}-b", "--by", by],
                ["edit", "5", "--investment", f"{w}.{w + 1}", "--by", by],
                ["edit", "5", "--investment", f"{w + 10}.0001", "--by", by],
                ["add", f"并发项目{by}a", "--sector", "it", "--by", by],
                ["add", f"并发项目{by}b", "--sector", "food", "--by", by],
                ["drop", "6", "--reason", by, "--by", by] if w % 2 == 0 else ["edit", "6", "--lead", by, "--by", by],
                ["edit", "4", "--unit", f"{by}-unit", "--by", by],
            ]
        )
    results = run_all(scripts)
    failures = [(args, code, err) for worker in results for args, code, err in worker if code != 0]
    # Only the drops of project 6 after the first may be refused (it is already dropped).
    assert all(args[0] == "drop" and code == 4 for args, code, _ in failures), failures
    assert len(failures) == 2

    with connected(db) as conn:
        rows = conn.execute("SELECT kind, project_id, by, change FROM events WHERE change IS NOT NULL").fetchall()
        # 6 workers x (1 + 2 stage events, 5 edits, 2 adds) + 1 drop + 3 lead edits.
        assert len(rows) == WORKERS * 10 + 1 + 3
        changes = [change for _, _, _, change in rows]
        assert sorted(set(changes)) == list(range(1, WORKERS * 9 + 1 + 3 + 1))
        per_worker = [sum(1 for row in rows if row[2] == f"w{w}") for w in range(WORKERS)]
        # Odd workers: 11 events each; even ones 10, and 11 for the one whose drop won.
        assert [per_worker[w] for w in range(1, WORKERS, 2)] == [11] * (WORKERS // 2)
        assert sorted(per_worker[w] for w in range(0, WORKERS, 2)) == [10] * (WORKERS // 2 - 1) + [11]
        stages = dict(conn.execute("SELECT id, stage FROM projects WHERE id IN (1, 2, 3)").fetchall())
        assert stages == {1: "production", 2: "production", 3: "production"}
        assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] == 47 + 2 * WORKERS
        # Each advance of 2 and 3 is one change holding both.
        paired: dict[int, list[int]] = {}
        for change, project_id in conn.execute(
            "SELECT change, project_id FROM events WHERE kind = 'stage' AND project_id IN (2, 3)"
        ).fetchall():
            paired.setdefault(change, []).append(project_id)
        assert len(paired) == WORKERS
        assert all(sorted(ids) == [2, 3] for ids in paired.values())

    check = subprocess.run([str(PIPELINE_BIN), "check"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr


def test_from_guard_lets_exactly_one_of_six_racing_retries_move_the_project(db: Path) -> None:
    scripts = [[["advance", "20", "--from", "negotiating", "--by", f"w{w}"]] for w in range(WORKERS)]
    results = run_all(scripts)
    codes = sorted(code for worker in results for _, code, _ in worker)
    assert codes == [0] + [4] * (WORKERS - 1)
    refused = [err for worker in results for _, code, err in worker if code == 4]
    assert all("is at signed, not negotiating" in err for err in refused)
    history = subprocess.run(
        [str(PIPELINE_BIN), "history", "20", "--format", "json"], capture_output=True, text=True, timeout=60
    )
    events = json.loads(history.stdout)
    assert [(e["kind"], e["to"]) for e in events] == [("created", "negotiating"), ("stage", "signed")]


@pytest.mark.slow
def test_undo_racing_with_writers_reverts_each_change_once(db: Path) -> None:
    # 3 writers make 5 changes each while 3 others undo 3 times each; every
    # undo must revert a different change, and check must stay clean.
    scripts = [[["edit", "7", "--note", f"w{w}-{i}"] for i in range(5)] for w in range(3)]
    scripts += [[["undo", "--yes"] for _ in range(3)] for _ in range(3)]
    results = run_all(scripts)
    outcomes = [code for worker in results for _, code, _ in worker]
    assert set(outcomes) <= {0, 4}
    assert outcomes[:15] == [0] * 15
    with connected(db) as conn:
        undone = [row[0] for row in conn.execute("SELECT undoes FROM events WHERE kind = 'undo' ORDER BY id")]
        assert len(undone) == outcomes[15:].count(0)
        assert len(undone) == len(set(undone))
        # The note is whatever the newest change not undone left there.
        note = conn.execute("SELECT note FROM projects WHERE id = 7").fetchone()[0]
        effective = conn.execute(
            "SELECT changes FROM events WHERE kind = 'edited' AND change NOT IN"
            " (SELECT undoes FROM events WHERE kind = 'undo') ORDER BY id DESC LIMIT 1"
        ).fetchone()
    if effective is None:
        assert note == "报告点名的重点签约项目(投资额、区市、责任单位为示意)"
    else:
        assert note == json.loads(effective[0])["note"][1]
    check = subprocess.run([str(PIPELINE_BIN), "check"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
