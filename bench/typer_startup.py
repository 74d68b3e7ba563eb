"""Start-up cost of a 20-command Typer app, for choosing the Typer version.

Run it with the interpreter of the venv whose Typer you want to measure:

    python bench/typer_startup.py

It times `python -c <app> c0 --help`-free invocations (the app runs one
trivial command) in fresh processes and prints the median next to a bare
`python -c pass` measured in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

APP = """
from typing import Annotated, Optional
import typer
app = typer.Typer()
def make(i):
    def cmd(
        name: Annotated[str, typer.Argument()] = "x",
        sector: Annotated[Optional[list[str]], typer.Option()] = None,
        limit: Annotated[Optional[int], typer.Option()] = None,
        flag: Annotated[bool, typer.Option()] = False,
    ) -> None:
        pass
    cmd.__name__ = f"c{i}"
    app.command()(cmd)
for i in range(20):
    make(i)
app()
"""


def median_ms(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    import typer

    runs = 21
    bare = median_ms([sys.executable, "-c", "pass"], runs)
    app = median_ms([sys.executable, "-c", APP, "c0"], runs)
    print(
        f"typer {typer.__version__}: 20-command app {app:.0f} ms, python -c pass {bare:.0f} ms, ratio {app / bare:.1f}x"
    )


if __name__ == "__main__":
    main()
