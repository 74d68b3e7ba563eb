"""The benchmark: `pipeline` beside sqlite-utils and the sqlite3 shell, at 47, 10,000 and 1,000,000 projects.

    python bench/run.py [--sizes 47,10000,1000000] [--runs 7] [--runs-large 3] [--write BENCHMARKS.md]

Each benchmark runs its commands in fresh processes, interleaved (pipeline,
sqlite-utils, sqlite3, pipeline, ...), after one warm-up round, and reports
the median wall time and the peak memory (ru_maxrss of the process, from
wait4, taken by the small launcher bench/launch.py so that it is the
command's own) of each. Baselines, measured in the same run on the same file:

- `sqlite-utils query DB "<SQL>"`: a Python CLI returning the same rows;
- `sqlite3 DB "<SQL>"`: the SQLite shell running the equivalent SQL, the floor.

`list --format tsv` is also timed against the start-up floor: pipeline's own
interpreter importing Typer and sqlite3, printing one line and leaving by
os._exit, which is all a command does besides its own work (FLOOR below).

Then the targets are checked and the table printed; `--write FILE` also
writes it, with a description of the machine, to FILE. Databases come from
bench/generate.py (cached in bench/data/). A command `pipeline` does not have
yet is reported as "not yet available" and skipped.

Every child runs with PIPELINE_TODAY=2020-08-18 and without
PYTHONDONTWRITEBYTECODE / PYTHONUNBUFFERED, as an installed CLI runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate

TODAY = generate.TODAY
LARGE = 1_000_000
IMPORT_ROWS = 100_000
EXPORT_ROWS = 100_000

# --- the equivalent SQL ---------------------------------------------------------
# What each pipeline command computes, as the best single statement we know:
# the rows (and columns) the command prints. Aggregates scan the table in
# rowid order (NOT INDEXED: the planner would otherwise walk the sector index
# and read the table at random, about twice as slow); lights compare
# stage_since with each stage's cut-off days, computed once.

_DAYS = f"CAST(julianday('{TODAY}') - julianday(p.stage_since) AS INTEGER)"
_COLUMNS = """p.id, p.name, p.sector, p.stage, p.status, p.investment_wan / 10000.0 AS investment,
       CASE p.key WHEN 1 THEN 'true' ELSE 'false' END AS key, p.district, p.unit, p.lead,
       p.note, p.source, p.stage_since"""
# Each stage's cut-off days for the stage light; each project's next planned
# milestone (the lowest stage above its own with a plan), found once by a
# window over the plans rather than a lookup per project; its days overdue.
_CUTS = f"""c AS MATERIALIZED (
    SELECT stage, date('{TODAY}', '-' || red_days || ' days') AS red_cut,
           date('{TODAY}', '-' || yellow_days || ' days') AS yellow_cut
    FROM stages WHERE red_days IS NOT NULL),
np AS MATERIALIZED (
    SELECT project_id, stage, date, plan_yellow_days, plan_red_days,
           max(0, CAST(julianday('{TODAY}') - julianday(date) AS INTEGER)) AS overdue
    FROM (SELECT pl.project_id, pl.stage, pl.date, s.plan_yellow_days, s.plan_red_days,
                 row_number() OVER (PARTITION BY pl.project_id ORDER BY s.position) AS n
          FROM plans pl JOIN stages s ON s.stage = pl.stage
          JOIN projects pp ON pp.id = pl.project_id JOIN stages cur ON cur.stage = pp.stage
          WHERE s.position > cur.position)
    WHERE n = 1)"""
_STAGE_RANK = "CASE WHEN p.stage_since <= c.red_cut THEN 0 WHEN p.stage_since <= c.yellow_cut THEN 1 ELSE 2 END"
_PLAN_RANK = """CASE WHEN np.overdue >= np.plan_red_days THEN 0 WHEN np.overdue >= np.plan_yellow_days THEN 1
         ELSE 2 END"""
_LIGHT_RANK = f"""CASE WHEN p.status <> 'active' OR c.stage IS NULL THEN 3
         ELSE min({_STAGE_RANK}, coalesce({_PLAN_RANK}, 2)) END"""
_PLAN_COLUMNS = f"""CASE {_LIGHT_RANK} WHEN 0 THEN 'red' WHEN 1 THEN 'yellow' WHEN 2 THEN 'green' END AS light,
       CASE WHEN {_LIGHT_RANK} >= 2 THEN NULL WHEN coalesce({_PLAN_RANK}, 2) <= {_STAGE_RANK} THEN 'plan'
            ELSE 'stage' END AS light_reason,
       np.stage AS next_plan_stage, np.date AS next_plan_date, coalesce(np.overdue, 0) AS overdue_days"""
_PROJECT = f"""
WITH {_CUTS}
SELECT {_COLUMNS}, {_DAYS} AS days_in_stage, {_PLAN_COLUMNS}
FROM projects p LEFT JOIN c ON c.stage = p.stage LEFT JOIN np ON np.project_id = p.id
"""
LIST_SQL = f"{_PROJECT} WHERE p.status = 'active' ORDER BY p.id"
LIST_SECTOR_SQL = f"{_PROJECT} WHERE p.status = 'active' AND p.sector = 'biomed' ORDER BY p.id"
LIGHTS_SQL = f"""
WITH {_CUTS}
SELECT {_COLUMNS}, {_DAYS} AS days_in_stage, {_PLAN_COLUMNS}
FROM projects p JOIN c ON c.stage = p.stage LEFT JOIN np ON np.project_id = p.id
WHERE p.status = 'active'
ORDER BY {_LIGHT_RANK}, p.stage_since, p.id
"""
_DUE_UNTIL = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=30)).isoformat()
# due: active projects whose next planned milestone is past or within 30 days, oldest date first.
DUE_SQL = f"""
WITH {_CUTS}
SELECT {_COLUMNS}, {_DAYS} AS days_in_stage, {_PLAN_COLUMNS}
FROM np JOIN projects p ON p.id = np.project_id LEFT JOIN c ON c.stage = p.stage
WHERE p.status = 'active' AND np.date <= '{_DUE_UNTIL}'
ORDER BY np.date, p.id
"""
# rank: per district of active projects, the counts, ranked by start rate
# (nulls last), then more signed, then fewer overdue; rank() gives 1, 1, 3.
_RANK_GROUPS = f"""
WITH {_CUTS},
pr AS (SELECT project_id, sum(closed IS NULL) AS open_, sum(closed IS NULL AND due < '{TODAY}') AS overdue_
       FROM problems GROUP BY project_id),
g AS (SELECT p.district, count(*) AS projects, sum(p.investment_wan) / 10000.0 AS investment,
             sum(st.position >= 2) AS signed, sum(st.position >= 5) AS started,
             sum(coalesce(np.overdue > 0, 0)) AS overdue,
             coalesce(sum(pr.open_), 0) AS problems_open, coalesce(sum(pr.overdue_), 0) AS problems_overdue,
             sum({_LIGHT_RANK} = 0) AS red
      FROM projects p JOIN stages st ON st.stage = p.stage LEFT JOIN c ON c.stage = p.stage
      LEFT JOIN np ON np.project_id = p.id LEFT JOIN pr ON pr.project_id = p.id
      WHERE p.status = 'active' GROUP BY p.district)
SELECT district, rank() OVER (ORDER BY signed = 0, CAST(started AS REAL) / signed DESC, signed DESC, overdue)
       AS rank, projects, investment, signed, started, CAST(started AS REAL) / signed AS start_rate, overdue,
       problems_open, problems_overdue, red
FROM g"""
RANK_SQL = f"{_RANK_GROUPS} ORDER BY rank, district"
SUMMARY_SQL = """
SELECT g.sector, g.stage, g.count, g.wan / 10000.0 AS investment
FROM (SELECT sector, stage, count(*) AS count, sum(investment_wan) AS wan
      FROM projects NOT INDEXED WHERE status = 'active' GROUP BY sector, stage) g
JOIN sectors sec ON sec.sector = g.sector JOIN stages st ON st.stage = g.stage
ORDER BY sec.position, st.position
"""
FUNNEL_SQL = """
SELECT stage, reached, investment,
       CAST(reached AS REAL) / lag(reached) OVER (ORDER BY position) AS conversion
FROM (
    SELECT st.stage, st.position,
           sum(coalesce(g.n, 0)) OVER (ORDER BY st.position DESC) AS reached,
           sum(coalesce(g.wan, 0)) OVER (ORDER BY st.position DESC) / 10000.0 AS investment
    FROM stages st
    LEFT JOIN (SELECT stage, count(*) AS n, sum(investment_wan) AS wan
               FROM projects NOT INDEXED WHERE status = 'active' GROUP BY stage) g ON g.stage = st.stage
)
ORDER BY position
"""
# The dispatch report for the week to TODAY: totals, moves, added, dropped,
# restored, lights, funnel, due, overdue, problems and ranking, one statement
# each (the shell runs them in turn). The lights, due and overdue projects are
# whole rows, as the report prints them.
_WEEK_FROM = (dt.date.fromisoformat(TODAY) - dt.timedelta(days=6)).isoformat()
REPORT_SQL = f"""
SELECT count(*), sum(investment_wan) / 10000.0 FROM projects WHERE status = 'active';
SELECT e.date, e.project_id, p.name, p.sector, e."from", e."to", p.investment_wan / 10000.0, e.note, e.by
FROM events e JOIN projects p ON p.id = e.project_id
WHERE e.kind = 'stage' AND e.date BETWEEN '{_WEEK_FROM}' AND '{TODAY}' ORDER BY e.date, e.id;
SELECT e.kind, e.date, e.project_id, p.name, p.sector, p.stage, p.investment_wan / 10000.0, e.note, e.by
FROM events e JOIN projects p ON p.id = e.project_id
WHERE e.kind IN ('created', 'dropped', 'restored') AND e.date BETWEEN '{_WEEK_FROM}' AND '{TODAY}'
ORDER BY e.kind, e.date, e.id;
SELECT * FROM ({LIGHTS_SQL}) WHERE light <> 'green';
{FUNNEL_SQL};
{DUE_SQL};
SELECT pr.id, pr.project_id, p.name, pr.text, pr.unit, pr.opened, pr.due, pr.closed, pr.note
FROM problems pr JOIN projects p ON p.id = pr.project_id
WHERE pr.opened BETWEEN '{_WEEK_FROM}' AND '{TODAY}' OR pr.closed BETWEEN '{_WEEK_FROM}' AND '{TODAY}'
   OR (pr.closed IS NULL AND pr.due < '{TODAY}');
{RANK_SQL};
"""


def advance_sql(project_id: int) -> str:
    """advance ID --date TODAY: one stage event and the project moved, in one transaction."""
    return f"""
BEGIN IMMEDIATE;
INSERT INTO events (project_id, kind, "from", "to", date, recorded_at, by, change)
SELECT p.id, 'stage', p.stage, nxt.stage, '{TODAY}', strftime('%Y-%m-%dT%H:%M:%fZ'), 'bench',
       (SELECT coalesce(max(change), 0) + 1 FROM events)
FROM projects p JOIN stages cur ON cur.stage = p.stage JOIN stages nxt ON nxt.position = cur.position + 1
WHERE p.id = {project_id};
UPDATE projects SET stage = (SELECT "to" FROM events WHERE id = last_insert_rowid()), stage_since = '{TODAY}'
WHERE id = {project_id};
COMMIT;
"""


# The start-up floor: what every pipeline command pays before its own work.
# It ends with os._exit, as pipeline's main() does (no interpreter teardown).
FLOOR = "import os, sqlite3, sys, typer; sys.stdout.write('floor\\n'); sys.stdout.flush(); os._exit(0)"


def interpreter_of(script: str) -> str:
    """The Python a console script runs on (its #! line), so the floor starts the same interpreter."""
    try:
        with open(shutil.which(script) or script, "rb") as file:
            first = file.readline().decode(errors="replace")
    except OSError:
        return sys.executable
    if first.startswith("#!") and "python" in first:
        return first[2:].strip().split()[0]
    return sys.executable


# --- running and measuring ---------------------------------------------------


@dataclass
class Sample:
    seconds: float
    maxrss_kib: int


@dataclass
class Variant:
    """One command of a benchmark: pipeline, or a baseline."""

    label: str
    argv: Callable[[int], list[str]]  # run number -> command line
    prepare: Callable[[int], None] | None = None  # untimed setup before each run
    samples: list[Sample] = field(default_factory=list)

    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    def peak_mib(self) -> float:
        return max(s.maxrss_kib for s in self.samples) / 1024


@dataclass
class Bench:
    name: str
    size: str
    variants: list[Variant]
    runs: int
    error: str | None = None

    def get(self, label: str) -> Variant | None:
        return next((v for v in self.variants if v.label == label), None)


def child_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED") and not k.startswith("PIPELINE_")
    }
    env.update(PIPELINE_TODAY=TODAY, PIPELINE_USER="bench", NO_COLOR="1")
    return env


LAUNCHER = Path(__file__).resolve().with_name("launch.py")


def measure(argv: Sequence[str], env: dict[str, str]) -> Sample:
    """Run argv once (stdout to /dev/null) from bench/launch.py: its wall time and its own peak RSS."""
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.run(
            [sys.executable, str(LAUNCHER), *argv],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip()
            raise RuntimeError(f"{' '.join(argv)[:200]} exited {proc.returncode}: {message[-2000:]}")
    seconds, maxrss_kib = proc.stdout.split()
    return Sample(float(seconds), int(maxrss_kib))


def run_bench(bench: Bench, env: dict[str, str], *, warm_up: bool = True) -> None:
    """One warm-up round (unless not `warm_up`), then `runs` rounds, each variant once per round.

    Who goes first rotates from round to round.
    """
    for round_number in range(0 if warm_up else 1, bench.runs + 1):
        order = (
            bench.variants[round_number % len(bench.variants) :] + bench.variants[: round_number % len(bench.variants)]
        )
        for variant in order:
            if variant.prepare is not None:
                variant.prepare(round_number)
            sample = measure(variant.argv(round_number), env)
            if round_number > 0:
                variant.samples.append(sample)


# --- what is measured ------------------------------------------------------------


class Setup:
    def __init__(self, args: argparse.Namespace) -> None:
        self.pipeline = args.pipeline or generate.default_pipeline()
        beside = Path(self.pipeline).with_name("sqlite-utils")
        self.sqlite_utils = str(beside) if beside.exists() else (shutil.which("sqlite-utils") or "sqlite-utils")
        self.sqlite3 = shutil.which("sqlite3")
        self.env = child_env()
        self.work = generate.DATA / "work"
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.missing: list[str] = []
        self.without_sqlite_utils: bool = args.without_sqlite_utils
        self._available: dict[str, bool] = {}

    def available(self, command: str) -> bool:
        if command not in self._available:
            result = subprocess.run(
                [self.pipeline, command, "--help"], env=self.env, capture_output=True, stdin=subprocess.DEVNULL
            )
            self._available[command] = result.returncode == 0
            if result.returncode != 0:
                self.missing.append(command)
                print(f"pipeline {command}: not yet available", file=sys.stderr)
        return self._available[command]

    def export_bench(self, runs: int) -> Bench:
        """export of 100,000 projects as a workbook (-o x.xlsx), against pipeline's own CSV export."""
        db = generate.database(EXPORT_ROWS, self.pipeline)

        def argv(suffix: str) -> Callable[[int], list[str]]:
            return lambda n: [self.pipeline, "--db", str(db), "export", "-o", str(self.work / f"export-{n}.{suffix}")]

        return Bench(
            f"export --format xlsx ({EXPORT_ROWS:,})",
            f"{EXPORT_ROWS:,}",
            [Variant("pipeline", argv("xlsx")), Variant("csv", argv("csv"))],
            runs,
        )

    def read_bench(self, name: str, size: str, db: Path, args: list[str], sql: str, runs: int) -> Bench:
        tsv = ["--tsv"] if "--format" in args and "tsv" in args else []
        variants = [Variant("pipeline", lambda _: [self.pipeline, "--db", str(db), *args])]
        if not self.without_sqlite_utils and ";" not in sql:  # sqlite-utils runs one statement
            variants.append(Variant("sqlite-utils", lambda _: [self.sqlite_utils, "query", str(db), sql, *tsv]))
        if (shell := self.sqlite3) is not None:
            variants.append(Variant("sqlite3", lambda _: [shell, "-tabs", "-header", str(db), sql]))
        if name == "list --format tsv" and size == "47":
            python = interpreter_of(self.pipeline)
            variants.append(Variant("floor", lambda _: [python, "-c", FLOOR]))
        return Bench(name, size, variants, runs)

    def advance_bench(self, size: str, db: Path, runs: int) -> Bench:
        """advance on a copy of the database, a different movable project each run (and baseline)."""
        copy = self.work / f"advance-{size}.db"
        shutil.copyfile(db, copy)
        conn = sqlite3.connect(copy)
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM projects WHERE status = 'active' AND stage <> 'capacity' "
                "ORDER BY (id * 7919) % 1000003 LIMIT ?",
                (2 * (runs + 1),),
            )
        ]
        conn.close()
        variants = [
            Variant(
                "pipeline",
                lambda n: [self.pipeline, "--db", str(copy), "advance", str(ids[2 * n % len(ids)]), "--date", TODAY],
            )
        ]
        if (shell := self.sqlite3) is not None:
            variants.append(Variant("sqlite3", lambda n: [shell, str(copy), advance_sql(ids[(2 * n + 1) % len(ids)])]))
        return Bench("advance ID --date D", size, variants, runs)

    def write_bench(self, name: str, size: str, db: Path, runs: int) -> Bench:
        """`plan ID STAGE DATE` or `problem add ID TEXT` on a copy of the database, a different project each run.

        The plan is for the last rung (above every movable project's stage),
        dated a day later each run, so no run is a no-op.
        """
        copy = self.work / f"{name.split()[0]}-{size}.db"
        shutil.copyfile(db, copy)
        conn = sqlite3.connect(copy)
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM projects WHERE status = 'active' AND stage <> 'capacity' "
                "ORDER BY (id * 7919) % 1000003 LIMIT ?",
                (runs + 1,),
            )
        ]
        conn.close()
        start = dt.date.fromisoformat(TODAY)

        def argv(n: int) -> list[str]:
            project = str(ids[n % len(ids)])
            if name.startswith("plan"):
                day = (start + dt.timedelta(days=n)).isoformat()
                return [self.pipeline, "--db", str(copy), "plan", project, "capacity", day]
            return [self.pipeline, "--db", str(copy), "problem", "add", project, f"benchmark problem {n}"]

        return Bench(name, size, [Variant("pipeline", argv)], runs)

    def import_bench(self, runs: int) -> Bench:
        """import of 100,000 rows into an empty database, vs sqlite-utils insert of the same CSV file."""
        source = generate.database(IMPORT_ROWS, self.pipeline)
        csv_file = generate.DATA / f"import-{IMPORT_ROWS}-g{generate.GENERATOR_VERSION}.csv"
        if not csv_file.exists():
            subprocess.run(
                [self.pipeline, "--db", str(source), "export", "-o", str(csv_file)], env=self.env, check=True
            )
        empty = self.work / "empty.db"
        subprocess.run(
            [self.pipeline, "--db", str(empty), "init", "--empty"], env=self.env, check=True, stdout=subprocess.DEVNULL
        )

        def target(label: str, n: int) -> Path:
            return self.work / f"import-{label}-{n}.db"

        def fresh_pipeline(n: int) -> None:
            shutil.copyfile(empty, target("pipeline", n))

        def fresh_file(label: str) -> Callable[[int], None]:
            return lambda n: target(label, n).unlink(missing_ok=True)

        variants = [
            Variant(
                "pipeline",
                lambda n: [self.pipeline, "--db", str(target("pipeline", n)), "import", str(csv_file)],
                prepare=fresh_pipeline,
            ),
            Variant(
                "sqlite-utils",
                lambda n: [self.sqlite_utils, "insert", str(target("su", n)), "projects", str(csv_file), "--csv"],
                prepare=fresh_file("su"),
            ),
        ]
        if (shell := self.sqlite3) is not None:
            variants.append(
                Variant(
                    "sqlite3",
                    lambda n: [shell, str(target("sq", n)), f".import --csv {csv_file} projects"],
                    prepare=fresh_file("sq"),
                )
            )
        return Bench(f"import {IMPORT_ROWS:,} rows (CSV)", "empty", variants, runs)


def plan(setup: Setup, sizes: list[int], runs: int, runs_large: int, only: list[str] | None = None) -> list[Bench]:
    """The benchmarks to run; with `only`, just those whose name holds one of its texts (no data built for others)."""

    def wanted(name: str) -> bool:
        return only is None or any(text in name for text in only)

    benches: list[Bench] = []
    for size in sizes:
        db = generate.database(size, setup.pipeline)
        label = f"{size:,}"
        n = runs_large if size >= LARGE else runs
        reads = [
            ("list --format tsv", ["list", "--format", "tsv"], LIST_SQL),
            ("list --sector biomed --format tsv", ["list", "--sector", "biomed", "--format", "tsv"], LIST_SECTOR_SQL),
            (
                "summary --by sector --by stage",
                ["summary", "--by", "sector", "--by", "stage", "--format", "tsv"],
                SUMMARY_SQL,
            ),
            ("funnel", ["funnel", "--format", "tsv"], FUNNEL_SQL),
            ("lights", ["lights", "--format", "tsv"], LIGHTS_SQL),
            ("due", ["due", "--format", "tsv"], DUE_SQL),
            ("rank", ["rank", "--format", "tsv"], RANK_SQL),
            ("report --week", ["report", "--week", "--format", "json"], REPORT_SQL),
        ]
        for name, args, sql in reads:
            if wanted(name) and setup.available(args[0]):
                benches.append(setup.read_bench(name, label, db, args, sql, n))
        if wanted("advance ID --date D") and setup.available("advance"):
            benches.append(setup.advance_bench(label, db, n))
        if wanted("plan ID STAGE DATE") and setup.available("plan"):
            benches.append(setup.write_bench("plan ID STAGE DATE", label, db, n))
        if wanted("problem add ID TEXT") and setup.available("problem"):
            benches.append(setup.write_bench("problem add ID TEXT", label, db, n))
    if wanted(f"export --format xlsx ({EXPORT_ROWS:,})") and setup.available("export"):
        benches.append(setup.export_bench(runs_large))
    if wanted(f"import {IMPORT_ROWS:,} rows (CSV)") and setup.available("import") and setup.available("export"):
        benches.append(setup.import_bench(runs_large))
    return benches


# --- the results -------------------------------------------------------------------


@dataclass
class Target:
    text: str
    value: str
    met: bool | None  # None: not measured in this run


def _find(benches: list[Bench], name: str, size: str) -> Bench | None:
    return next((b for b in benches if b.name == name and b.size == size), None)


def _ratio(bench: Bench | None, baseline: str) -> float | None:
    if bench is None:
        return None
    ours, theirs = bench.get("pipeline"), bench.get(baseline)
    if ours is None or theirs is None or not ours.samples or not theirs.samples:
        return None
    return ours.median() / theirs.median()


def targets(benches: list[Bench]) -> list[Target]:
    big = f"{LARGE:,}"
    found: list[Target] = []

    def ratio_target(text: str, bench: Bench | None, baseline: str, limit: float) -> None:
        ratio = _ratio(bench, baseline)
        found.append(
            Target(text, "—" if ratio is None else f"{ratio:.2f} ×", None if ratio is None else ratio <= limit)
        )

    workbook = next((b for b in benches if b.name.startswith("export --format xlsx")), None)
    ratio_target(f"`export --format xlsx`, {EXPORT_ROWS:,} projects: ≤ 3 × `export` (CSV)", workbook, "csv", 3)
    xlsx = workbook.get("pipeline") if workbook else None
    found.append(
        Target(
            f"`export --format xlsx`, {EXPORT_ROWS:,} projects: peak memory < 150 MiB",
            f"{xlsx.peak_mib():.0f} MiB" if xlsx and xlsx.samples else "—",
            xlsx.peak_mib() < 150 if xlsx and xlsx.samples else None,
        )
    )
    ratio_target(
        "`list --format tsv`, 47 projects: ≤ 0.6 × sqlite-utils query",
        _find(benches, "list --format tsv", "47"),
        "sqlite-utils",
        0.6,
    )
    ratio_target(
        "`list --format tsv`, 47 projects: ≤ 1.25 × the start-up floor (Python, Typer and sqlite3 imported)",
        _find(benches, "list --format tsv", "47"),
        "floor",
        1.25,
    )
    ratio_target(
        "`summary`, 1,000,000 projects: ≤ 1.5 × sqlite3",
        _find(benches, "summary --by sector --by stage", big),
        "sqlite3",
        1.5,
    )
    ratio_target("`funnel`, 1,000,000 projects: ≤ 1.5 × sqlite3", _find(benches, "funnel", big), "sqlite3", 1.5)
    ratio_target("`lights`, 1,000,000 projects: ≤ 2 × sqlite3", _find(benches, "lights", big), "sqlite3", 2)
    ratio_target("`due`, 1,000,000 projects: ≤ 2 × sqlite3", _find(benches, "due", big), "sqlite3", 2)
    ratio_target("`rank`, 1,000,000 projects: ≤ 2 × sqlite3", _find(benches, "rank", big), "sqlite3", 2)
    ratio_target(
        "`report --week`, 1,000,000 projects: ≤ 2.5 × sqlite3", _find(benches, "report --week", big), "sqlite3", 2.5
    )
    report = _find(benches, "report --week", big)
    weekly = report.get("pipeline") if report else None
    found.append(
        Target(
            "`report --week`, 1,000,000 projects: peak memory < 100 MiB",
            f"{weekly.peak_mib():.0f} MiB" if weekly and weekly.samples else "—",
            weekly.peak_mib() < 100 if weekly and weekly.samples else None,
        )
    )
    listing = _find(benches, "list --format tsv", big)
    ours = listing.get("pipeline") if listing else None
    if ours is not None and ours.samples:
        found.append(
            Target(
                "`list --format tsv`, 1,000,000 projects: peak memory < 100 MiB",
                f"{ours.peak_mib():.0f} MiB",
                ours.peak_mib() < 100,
            )
        )
    else:
        found.append(Target("`list --format tsv`, 1,000,000 projects: peak memory < 100 MiB", "—", None))
    small, large = _find(benches, "advance ID --date D", "47"), _find(benches, "advance ID --date D", big)
    small_v = small.get("pipeline") if small else None
    large_v = large.get("pipeline") if large else None
    if small_v and large_v and small_v.samples and large_v.samples:
        ratio = large_v.median() / small_v.median()
        found.append(Target("`advance` at 1,000,000 ≤ 1.2 × `advance` at 47", f"{ratio:.2f} ×", ratio <= 1.2))
    else:
        found.append(Target("`advance` at 1,000,000 ≤ 1.2 × `advance` at 47", "—", None))
    for name in ("plan ID STAGE DATE", "problem add ID TEXT"):
        command = name.split(" ID")[0]
        small_w, large_w = _find(benches, name, "47"), _find(benches, name, big)
        small_p = small_w.get("pipeline") if small_w else None
        large_p = large_w.get("pipeline") if large_w else None
        text = f"`{command}` at 1,000,000 ≤ 1.2 × `{command}` at 47"
        if small_p and large_p and small_p.samples and large_p.samples:
            ratio = large_p.median() / small_p.median()
            found.append(Target(text, f"{ratio:.2f} ×", ratio <= 1.2))
        else:
            found.append(Target(text, "—", None))
    importing = next((b for b in benches if b.name.startswith("import")), None)
    ratio_target(f"`import` of {IMPORT_ROWS:,} rows: < 10 × sqlite-utils insert", importing, "sqlite-utils", 10)
    imported = importing.get("pipeline") if importing else None
    found.append(
        Target(
            f"`import` of {IMPORT_ROWS:,} rows: peak memory < 100 MiB (streamed)",
            f"{imported.peak_mib():.0f} MiB" if imported and imported.samples else "—",
            imported.peak_mib() < 100 if imported and imported.samples else None,
        )
    )
    return found


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.1 else f"{seconds * 1000:.1f}"


def results_table(benches: list[Bench]) -> str:
    lines = [
        "| command | projects | pipeline ms | peak MiB | sqlite-utils ms | × | sqlite3 ms | × |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for bench in benches:
        ours = bench.get("pipeline")
        cells = [f"`{bench.name}`", bench.size]
        if bench.error is not None:
            lines.append("| " + " | ".join([*cells, "failed", "", "", "", "", ""]) + " |")
            continue
        cells += [_ms(ours.median()), f"{ours.peak_mib():.0f}"] if ours else ["—", "—"]
        for baseline in ("sqlite-utils", "sqlite3"):
            theirs = bench.get(baseline)
            ratio = _ratio(bench, baseline)
            cells += [_ms(theirs.median()), f"{ratio:.2f}"] if theirs and ratio is not None else ["—", "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets_table(found: list[Target]) -> str:
    lines = ["| target | measured | met |", "|---|---:|:---:|"]
    for target in found:
        met = "not measured" if target.met is None else ("yes" if target.met else "**NO**")
        lines.append(f"| {target.text} | {target.value} | {met} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    shell = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[:1]
    versions = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib.metadata as m; print(' '.join(m.version(p) for p in ('typer', 'sqlite-utils')))",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"- CPU: {cpu}, {os.cpu_count()} cores{memory}\n"
        f"- OS: {platform.platform()}\n"
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} (Python's module), "
        f"sqlite3 shell {shell[0] if shell else 'not installed'}\n"
        f"- typer {versions[0] if versions else '?'}, sqlite-utils {versions[1] if len(versions) > 1 else '?'}\n"
        f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark pipeline against sqlite-utils and the sqlite3 shell.")
    parser.add_argument("--sizes", default="47,10000,1000000", help="project counts (default: 47,10000,1000000)")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per command below 1,000,000 (default 7)")
    parser.add_argument("--runs-large", type=int, default=3, help="measured runs at 1,000,000 and import (default 3)")
    parser.add_argument("--only", help="run only benchmarks whose name contains one of these comma-separated texts")
    parser.add_argument(
        "--without-sqlite-utils", action="store_true", help="leave the sqlite-utils baseline out of the read benchmarks"
    )
    parser.add_argument("--no-warm-up", action="store_true", help="measure from the first round (a warm page cache)")
    parser.add_argument("--write", metavar="FILE", help="also write the results as Markdown to FILE")
    parser.add_argument("--pipeline", help="the pipeline executable (default: the one beside this Python)")
    args = parser.parse_args()

    started = time.perf_counter()
    setup = Setup(args)
    if not setup.sqlite3:
        print("sqlite3 shell not found: its baseline is left out", file=sys.stderr)
    only = args.only.split(",") if args.only else None
    benches = plan(setup, [int(s) for s in args.sizes.split(",")], args.runs, args.runs_large, only)
    for bench in benches:
        start = time.perf_counter()
        try:
            run_bench(bench, setup.env, warm_up=not args.no_warm_up)
        except RuntimeError as error:
            bench.error = str(error)
            for variant in bench.variants:
                variant.samples.clear()
            print(f"{bench.name} @ {bench.size}: FAILED: {error}", file=sys.stderr)
        else:
            print(f"{bench.name} @ {bench.size}: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    shutil.rmtree(setup.work, ignore_errors=True)

    found = targets(benches)
    missing = f"\nNot yet available in pipeline: {', '.join(setup.missing)}\n" if setup.missing else ""
    warm = "without a warm-up round" if args.no_warm_up else "after one warm-up"
    runs = f"Median of {args.runs} runs ({args.runs_large} at 1,000,000 projects and for import), {warm}."
    body = f"{results_table(benches)}\n\n{runs}{missing}\n\n### Targets\n\n{targets_table(found)}\n"
    print(body)
    print(f"total {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if args.write:
        command = "python bench/run.py" + "".join(f" {a}" for a in sys.argv[1:])
        write_results(Path(args.write), f"{body}\n### Machine\n\n{machine()}\n\nMeasured with `{command}`.\n")


START, END = "<!-- bench/run.py results: start -->", "<!-- bench/run.py results: end -->"


def write_results(path: Path, text: str) -> None:
    """Replace the generated block of `path` (between the markers), keeping the prose around it."""
    block = f"{START}\n{text}{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START in old and END in old:
        new = old[: old.index(START)] + block + old[old.index(END) + len(END) :]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
