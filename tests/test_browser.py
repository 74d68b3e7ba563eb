"""The HTML report seen in a real browser: headless Chromium renders it to PNG and dumps its DOM.

CI installs Debian's chromium (.ci/run); where it is absent the test is
skipped, saying so. Chromium runs with a fresh profile, no network services
of its own (no component updates, sync or background requests) and no GPU.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: .ci/run)")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    command = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed image data of a PNG."""
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    position, chunks, width, height = 8, [], 0, 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    return width, height, zlib.decompress(b"".join(chunks))


def test_the_html_report_renders_in_chromium(db: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = run_cli("report", "--since", "2020-08-01", "--until", "2020-08-18", "--format", "html", "-o", str(page))
    assert result.exit_code == 0, result.stderr
    shot = tmp_path / "report.png"
    rendered = chromium(tmp_path, "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), rendered.stderr
    width, height, pixels = png_pixels(shot)
    assert (width, height) == (1000, 1400)
    assert len(set(pixels)) > 16, "the screenshot is blank"
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr
    assert "<title>Pipeline dispatch report, 2020-08-01 to 2020-08-18</title>" in dom.stdout
    assert dom.stdout.count("<svg") == 2
    assert "ERR_" not in dom.stderr  # no failed request (there is none to make)
