"""The HTML report seen in a real browser: headless Chromium renders it to PNG and dumps its DOM.

CI installs Debian's chromium (.ci/run); where it is absent the test is
skipped, saying so. Chromium runs with a fresh profile, no network services
of its own (no component updates, sync or background requests) and no GPU.
"""

from __future__ import annotations

import re
import shutil
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from conftest import run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it: .ci/run)")
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


@needs_chromium
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
    assert dom.stdout.count("<svg") == 3  # the funnel, the totals by sector, the ranking
    assert "ERR_" not in dom.stderr  # no failed request (there is none to make)


@needs_chromium
def test_the_html_report_prints_on_a4(db: Path, tmp_path: Path) -> None:
    """Printed by Chromium (its print-to-PDF), the page's @page rule gives A4 pages: 595 × 842 points."""
    page = tmp_path / "report.html"
    result = run_cli("report", "--since", "2020-08-01", "--until", "2020-08-18", "--format", "html", "-o", str(page))
    assert result.exit_code == 0, result.stderr
    pdf = tmp_path / "report.pdf"
    printed = chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.exists(), printed.stderr
    data = pdf.read_bytes()
    boxes = {tuple(round(float(n)) for n in box.split()) for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes == {(0, 0, 595, 842)}
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2  # the report runs over pages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@needs_chromium
def test_a_datasette_page_renders_in_chromium(db: Path, tmp_path: Path) -> None:
    """`datasette` on a free localhost port with the package's metadata: project_view, headless, to PNG."""
    metadata = run_cli("web", "--metadata")
    assert metadata.exit_code == 0, metadata.stderr
    (tmp_path / "metadata.json").write_text(metadata.stdout, encoding="utf-8")
    port = free_port()
    datasette = Path(sys.executable).with_name("datasette")
    server = subprocess.Popen(
        [str(datasette), "serve", str(db), "--port", str(port), "--metadata", str(tmp_path / "metadata.json")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/pipeline/project_view"
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        shot = tmp_path / "datasette.png"
        rendered = chromium(tmp_path, "--window-size=1200,900", f"--screenshot={shot}", url)
        assert shot.exists(), rendered.stderr
        width, height, pixels = png_pixels(shot)
        assert (width, height) == (1200, 900)
        assert len(set(pixels)) > 16, "the screenshot is blank"
        dom = chromium(tmp_path, "--enable-logging=stderr", "--dump-dom", url)
        assert dom.returncode == 0, dom.stderr
        assert "<title>pipeline: project_view: 47 rows" in dom.stdout  # Datasette's own title
        assert "项目一览(在库项目)" in dom.stdout and "计划投资(亿元)" in dom.stdout  # the metadata's
        # The plugin's script gave the headers their Chinese labels, the column's name as the tooltip.
        assert 'title="investment_yi"' in dom.stdout and 'title="stage_zh"' in dom.stdout
        assert "ERR_" not in dom.stderr, dom.stderr  # no failed request
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_readme_shows_the_screenshots_the_script_makes() -> None:
    """docs/screenshots.py writes docs/report.png and docs/datasette.png; the README shows both."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    script = (root / "docs" / "screenshots.py").read_text(encoding="utf-8")
    for name in ("report.png", "datasette.png"):
        assert f"](docs/{name})" in readme
        assert f'"{name}"' in script
        width, height, pixels = png_pixels(root / "docs" / name)
        assert width >= 1000 and height >= 900
        assert len(set(pixels)) > 16, f"{name} is blank"
