"""PostgreSQL beside SQLite: list at 47, advance at 47 and at a larger size, 8 concurrent writers.

    python bench/postgres.py                  # 47 and 10,000 projects, a throwaway server
    python bench/postgres.py --size 1000000   # the million (bench/generate.py builds it, copy moves it)

The server is a throwaway cluster (tests/pg.py: the PostgreSQL 15 binaries
on PATH, run as `nobody` when root). The databases of bench/generate.py are
copied onto it with `pipeline copy`, so both engines hold the same rows.
Each figure is the median wall time of fresh processes, the engines
interleaved; the writers' figure is changes per second of 8 processes each
running `pipeline edit` on its own project for a few seconds. The targets:
`list --format tsv` at 47 on PostgreSQL at most 1.5 × SQLite's, and
`advance` at the larger size at most 1.2 × `advance` at 47.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import generate  # noqa: E402
import pg  # noqa: E402
from run import FLOOR, child_env, interpreter_of, measure  # noqa: E402

WRITERS = 8

# The start-up floor on a server: run.FLOOR (the interpreter, Typer, sqlite3,
# one line out, os._exit) plus importing psycopg, connecting to the URL given
# and one round trip. No psycopg-based command can start faster than this, so
# `list` on PostgreSQL minus this floor is all pipeline's own code could save.
PG_FLOOR = (
    "import os, sqlite3, sys, typer, psycopg; c = psycopg.connect(sys.argv[1], autocommit=True);"
    " c.execute('SELECT 1').fetchall(); sys.stdout.write('floor\\n'); sys.stdout.flush(); os._exit(0)"
)


def median_ms(argvs: dict[str, list[list[str]]], runs: int) -> dict[str, float]:
    """Each label's command lines run in turn (one per round, labels interleaved); the median in ms."""
    env = child_env()
    times: dict[str, list[float]] = {label: [] for label in argvs}
    for index in range(runs + 1):
        for label, lines in argvs.items():
            sample = measure(lines[index % len(lines)], env)
            if index:  # the first round warms up
                times[label].append(sample.seconds * 1000)
    return {label: statistics.median(values) for label, values in times.items()}


def movable(database: str, pipeline: str, count: int) -> list[str]:
    """Ids of active projects below the last rung, `count` of them."""
    done = subprocess.run(
        [pipeline, "--db", database, "list", "--format", "tsv", "--no-header"],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    ids = [row[0] for row in rows if row[3] != "capacity"]
    return ids[:count]


def writers_per_second(database: str, pipeline: str, ids: list[str], seconds: float) -> float:
    """Changes per second of WRITERS processes, each editing its own project in a loop for `seconds`."""
    loop = (
        "end=$(( $(date +%s) + {s} )); n=0; while [ $(date +%s) -lt $end ]; do "
        '{p} --db "{d}" edit {i} --note "n$n" >/dev/null || exit 1; n=$((n+1)); done; echo $n'
    )
    env = {**child_env(), "PIPELINE_BUSY_TIMEOUT": "60"}
    start = time.perf_counter()
    processes = [
        subprocess.Popen(
            ["sh", "-c", loop.format(s=int(seconds), p=pipeline, d=database, i=project_id)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for project_id in ids[:WRITERS]
    ]
    total = 0
    for process in processes:
        out, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"a writer failed on {database}")
        total += int(out.strip() or 0)
    return total / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="the larger database (default 10,000)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seconds", type=float, default=5.0, help="how long the writers write")
    args = parser.parse_args()
    pipeline = generate.default_pipeline()
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-pg-"))
    try:
        with pg.running_server() as server:
            files: dict[int, str] = {}
            urls: dict[int, str] = {}
            for size in (47, args.size):
                source = generate.database(size, pipeline, quiet=True)
                files[size] = str(work / f"{size}.db")
                shutil.copyfile(source, files[size])
                urls[size] = server.url(server.new_database())
                subprocess.run([pipeline, "copy", files[size], urls[size]], check=True, capture_output=True)
            rows: list[tuple[str, str, str]] = []
            python = interpreter_of(pipeline)
            listed = median_ms(
                {
                    **{
                        engine: [[pipeline, "--db", target[47], "list", "--format", "tsv"]]
                        for engine, target in (("sqlite", files), ("postgresql", urls))
                    },
                    "sqlite floor": [[python, "-c", FLOOR]],
                    "postgresql floor": [[python, "-c", PG_FLOOR, urls[47]]],
                },
                args.runs,
            )
            rows.append(("list --format tsv, 47", f"{listed['sqlite']:.0f} ms", f"{listed['postgresql']:.0f} ms"))
            rows.append(
                (
                    "start-up floor (+ psycopg, connect, one query)",
                    f"{listed['sqlite floor']:.0f} ms",
                    f"{listed['postgresql floor']:.0f} ms",
                )
            )
            advance: dict[int, dict[str, float]] = {}
            for size in (47, args.size):
                advanced = advance[size] = median_ms(
                    {
                        engine: [
                            [pipeline, "--db", target[size], "advance", project_id]
                            for project_id in movable(target[size], pipeline, args.runs + 1)
                        ]
                        for engine, target in (("sqlite", files), ("postgresql", urls))
                    },
                    args.runs,
                )
                rows.append((f"advance, {size:,}", f"{advanced['sqlite']:.0f} ms", f"{advanced['postgresql']:.0f} ms"))
            ids = movable(files[47], pipeline, WRITERS)
            rates = {
                engine: writers_per_second(target[47], pipeline, ids, args.seconds)
                for engine, target in (("sqlite", files), ("postgresql", urls))
            }
            rows.append((f"{WRITERS} writers, changes/s", f"{rates['sqlite']:.1f}", f"{rates['postgresql']:.1f}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| benchmark | SQLite | PostgreSQL |")
    print("| --- | ---: | ---: |")
    for name, on_sqlite, on_postgres in rows:
        print(f"| {name} | {on_sqlite} | {on_postgres} |")
    ratio = listed["postgresql"] / listed["sqlite"]
    print(f"\nlist at 47: PostgreSQL {ratio:.2f} × SQLite (target at most 1.5 ×)")
    floor_ratio = listed["postgresql floor"] / listed["sqlite"]
    print(f"the floor on PostgreSQL alone: {floor_ratio:.2f} × SQLite's list")
    for engine in ("sqlite", "postgresql"):
        grown = advance[args.size][engine] / advance[47][engine]
        target = " (target at most 1.2 ×)" if engine == "postgresql" else ""
        print(f"advance on {engine}: at {args.size:,} {grown:.2f} × at 47{target}")


if __name__ == "__main__":
    main()
