"""Run one command and report its own wall time and peak memory: `python bench/launch.py ARGV...`.

Why a launcher: Linux carries the peak resident size of the process that
forks into the child's `ru_maxrss` (exec keeps the larger of the two), so a
command started straight from the benchmark, after it built a million-row
database, reads the benchmark's peak (435 MiB) instead of its own. Started
from this small process instead, a command's figure is its own, or this
launcher's (about 10 MiB of Python), whichever is larger: below any command
measured.

The command's stdin and stdout are /dev/null and its stderr is this
launcher's. On stdout the launcher writes one line, `SECONDS MAXRSS_KIB`,
and it exits with the command's exit code (128 + N for a signal N).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python bench/launch.py COMMAND [ARG...]", file=sys.stderr)
        return 2
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)
    print(f"{elapsed:.6f} {usage.ru_maxrss}", flush=True)
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
