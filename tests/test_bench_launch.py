"""bench/launch.py: a command's peak memory is its own, not that of the big process that started it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parents[1] / "bench" / "launch.py"

# A parent the size of the benchmark after it built a million projects: 400 MiB
# touched, then it starts a small command through the launcher and prints the
# launcher's line.
BIG_PARENT = textwrap.dedent(
    """
    import subprocess, sys
    ballast = bytearray(400 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    result = subprocess.run([sys.executable, sys.argv[1], sys.executable, "-c", "pass"], capture_output=True, text=True)
    print(result.stdout, end="")
    """
)


def test_a_command_started_by_a_big_process_reports_its_own_peak() -> None:
    out = subprocess.run(
        [sys.executable, "-c", BIG_PARENT, str(LAUNCHER)], capture_output=True, text=True, check=True
    ).stdout
    seconds, maxrss_kib = out.split()
    assert float(seconds) > 0
    # `python -c pass` takes about 10 MiB; the parent's 400 MiB must not show.
    assert int(maxrss_kib) < 100 * 1024, out


def test_the_launcher_passes_on_the_exit_code_and_stderr() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(LAUNCHER),
            sys.executable,
            "-c",
            "import sys; print('oops', file=sys.stderr); sys.exit(3)",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3
    assert result.stderr == "oops\n"
    assert len(result.stdout.split()) == 2


def test_a_command_killed_by_a_signal_is_128_plus_the_signal() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(LAUNCHER),
            sys.executable,
            "-c",
            "import os, signal; os.kill(os.getpid(), signal.SIGTERM)",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 128 + 15


def test_without_a_command_it_is_a_usage_error() -> None:
    result = subprocess.run([sys.executable, str(LAUNCHER)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "usage" in result.stderr
