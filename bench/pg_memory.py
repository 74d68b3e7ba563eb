"""Peak memory of the big reads on PostgreSQL: copy in and out, list, lights, export and check.

    python bench/pg_memory.py --size 1000000
    python bench/pg_memory.py --size 200000 --code before=/path/to/old/src --code after=src

The database of bench/generate.py (`--size` projects) is copied onto a
throwaway cluster (tests/pg.py) with `pipeline copy`, then each command
runs once on it from bench/launch.py, which reports the command's own wall
time and peak RSS. With `--code LABEL=SRC` (repeatable) each command runs
with PYTHONPATH=SRC, into its own database on the server, so two versions of
the package are measured on the same rows; without it, the installed one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import generate  # noqa: E402
import pg  # noqa: E402
from run import child_env, measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=200_000, help="how many projects (default 200,000)")
    parser.add_argument("--code", action="append", default=[], metavar="LABEL=SRC", help="a version to measure")
    args = parser.parse_args()
    versions = [tuple(item.split("=", 1)) for item in args.code] or [("installed", "")]
    pipeline = generate.default_pipeline()
    source = generate.database(args.size, pipeline)
    work = Path(tempfile.mkdtemp(prefix="pipeline-bench-pgmem-"))
    results: dict[str, dict[str, tuple[float, float]]] = {}
    try:
        with pg.running_server() as server:
            for label, src in versions:
                env = child_env()
                if src:
                    env["PYTHONPATH"] = str(Path(src).resolve())
                url = server.url(server.new_database())
                commands = {
                    "copy file → server": [pipeline, "copy", str(source), url],
                    "list --format tsv": [pipeline, "--db", url, "list", "--format", "tsv"],
                    "lights --format tsv": [pipeline, "--db", url, "lights", "--format", "tsv"],
                    "export (csv)": [pipeline, "--db", url, "export"],
                    "check": [pipeline, "--db", url, "check"],
                    "copy server → file": [pipeline, "copy", url, str(work / f"{label}.db")],
                }
                results[label] = {}
                for name, argv in commands.items():
                    sample = measure(argv, env)
                    results[label][name] = (sample.seconds, sample.maxrss_kib / 1024)
                    mib = sample.maxrss_kib / 1024
                    print(f"{label}: {name}: {sample.seconds:.1f} s, {mib:.0f} MiB", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    labels = list(results)
    print(f"| {args.size:,} projects | " + " | ".join(f"{label}: peak RSS, time" for label in labels) + " |")
    print("|---|" + "---:|" * len(labels))
    for name in results[labels[0]]:
        cells = [f"{results[label][name][1]:.0f} MiB, {results[label][name][0]:.1f} s" for label in labels]
        print(f"| `{name}` | " + " | ".join(cells) + " |")
    print(f"\n(machine load average at the end: {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
