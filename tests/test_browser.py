"""The HTML report and a Datasette page seen in a real browser: headless Chromium renders them to PNG.

CI installs Debian's chromium (.ci/run); where it is absent the test is
skipped, saying so. Chromium runs with a fresh profile, no network services
of its own (no component updates, sync or background requests) and no GPU.

`visit` drives it over the DevTools protocol on a pipe (--remote-debugging-pipe:
file descriptors 3 and 4, no port, no extra package): it loads the page, waits
until the page's last request has ended, and returns the page's title, its
DOM, a PNG of the viewport, every request the page made and every one that
failed (a network error or an HTTP status of 400 and above), and the errors
of its console. test_a_failed_request_is_seen shows that a failed request is
caught, so "no failed request" can fail.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class Visit:
    """What Chromium saw of one page."""

    title: str
    dom: str
    png: bytes
    requests: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def visit(tmp_path: Path, url: str, width: int, height: int, timeout: float = 90.0) -> Visit:
    """Load `url` in headless Chromium at width × height and report what it saw (DevTools protocol on a pipe)."""
    commands_in, commands_out = os.pipe()
    replies_in, replies_out = os.pipe()

    def wire() -> None:  # in the child: the protocol's ends at descriptors 3 and 4
        commands, replies = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_in, replies_out))
        os.dup2(commands, 3)
        os.dup2(replies, 4)

    profile = tmp_path / f"profile-{time.monotonic_ns()}"
    browser = subprocess.Popen(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=False,  # the pipes' own descriptors are close-on-exec; 3 and 4 are inherited
        preexec_fn=wire,
    )
    os.close(commands_in)
    os.close(replies_out)
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def read() -> None:
        pending = b""
        with os.fdopen(replies_in, "rb", buffering=0) as stream:
            while chunk := stream.read(65536):
                *whole, pending = (pending + chunk).split(b"\0")
                for message in whole:
                    inbox.put(json.loads(message))
        inbox.put(None)

    threading.Thread(target=read, daemon=True).start()
    out = os.fdopen(commands_out, "wb", buffering=0)
    events: list[dict[str, Any]] = []
    numbers = iter(range(1, 1_000_000))
    deadline = time.monotonic() + timeout

    def receive(wait: float) -> dict[str, Any]:
        message = inbox.get(timeout=wait)
        assert message is not None, "chromium closed its end of the pipe"
        return message

    def call(method: str, session: str | None = None, **params: Any) -> Any:
        number = next(numbers)
        body: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session is not None:
            body["sessionId"] = session
        out.write(json.dumps(body).encode() + b"\0")
        while True:
            message = receive(max(0.1, deadline - time.monotonic()))
            if message.get("id") == number:
                assert "error" not in message, (method, message["error"])
                return message["result"]
            events.append(message)

    try:
        target = call("Target.createTarget", url="about:blank")["targetId"]
        session = call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            call(f"{domain}.enable", session)
        call(
            "Emulation.setDeviceMetricsOverride", session, width=width, height=height, deviceScaleFactor=1, mobile=False
        )
        events.clear()
        call("Page.navigate", session, url=url)
        open_requests: set[str] = set()
        loaded, seen, quiet_since = False, 0, time.monotonic()
        while not (loaded and not open_requests and time.monotonic() - quiet_since > 0.5):
            assert time.monotonic() < deadline, f"{url} did not finish loading"
            for message in events[seen:]:
                method, params = message.get("method"), message.get("params", {})
                loaded = loaded or method == "Page.loadEventFired"
                if method == "Network.requestWillBeSent":
                    open_requests.add(params["requestId"])
                elif method in ("Network.loadingFinished", "Network.loadingFailed"):
                    open_requests.discard(params["requestId"])
                quiet_since = time.monotonic()
            seen = len(events)
            with contextlib.suppress(queue.Empty):
                events.append(receive(0.1))

        def evaluate(expression: str) -> Any:
            return call("Runtime.evaluate", session, expression=expression, returnByValue=True)["result"]["value"]

        seen_page = Visit(
            title=evaluate("document.title"),
            dom=evaluate("document.documentElement.outerHTML"),
            png=base64.b64decode(call("Page.captureScreenshot", session, format="png")["data"]),
        )
        urls: dict[str, str] = {}
        for message in events:
            method, params = message.get("method"), message.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                seen_page.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                seen_page.failed.append((urls.get(params["requestId"], "?"), params.get("errorText", "")))
            elif method == "Network.responseReceived" and params["response"].get("status", 200) >= 400:
                seen_page.failed.append((params["response"]["url"], str(params["response"]["status"])))
            elif method == "Runtime.exceptionThrown":
                seen_page.errors.append(str(params["exceptionDetails"].get("text")))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                seen_page.errors.append(str(params["entry"].get("text")))
        call("Browser.close")
        return seen_page
    finally:
        out.close()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()


def assert_not_blank(png: bytes, width: int, height: int, path: Path) -> None:
    path.write_bytes(png)
    shape = png_pixels(path)
    assert shape[:2] == (width, height)
    assert len(set(shape[2])) > 16, f"{path.name} is blank"


@needs_chromium
def test_a_failed_request_is_seen(tmp_path: Path) -> None:
    """The check can fail: a page asking for a missing file and an address nobody serves has two failed requests."""
    page = tmp_path / "broken.html"
    page.write_text(
        '<!DOCTYPE html><html><head><title>broken</title><link rel="stylesheet" href="missing.css"></head>'
        f'<body><p>text</p><img src="http://127.0.0.1:{free_port()}/x.png"></body></html>',
        encoding="utf-8",
    )
    seen = visit(tmp_path, page.as_uri(), 400, 300)
    assert seen.title == "broken"
    assert seen.requests[0] == page.as_uri() and len(seen.requests) == 3
    assert sorted(url.rsplit("/", 1)[1] for url, _ in seen.failed) == ["missing.css", "x.png"]
    assert all(reason.startswith("net::ERR_") for _, reason in seen.failed)


@needs_chromium
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_html_report_renders_in_chromium(db: Path, tmp_path: Path, lang: str) -> None:
    """The page alone is every request it makes: nothing fails, nothing is fetched from anywhere."""
    assert run_cli("plan", "13", "landed", "2020-07-31").exit_code == 0
    assert run_cli("problem", "add", "13", "用地指标待落实", "--due", "2020-08-10").exit_code == 0
    page = tmp_path / "report.html"
    args = ("report", "--since", "2020-08-01", "--until", "2020-08-18", "--format", "html", "--lang", lang)
    result = run_cli(*args, "-o", str(page))
    assert result.exit_code == 0, result.stderr
    seen = visit(tmp_path, page.as_uri(), 1000, 1400)
    assert_not_blank(seen.png, 1000, 1400, tmp_path / "report.png")
    title = {
        "en": "Pipeline dispatch report, 2020-08-01 to 2020-08-18",
        "zh": "招商项目调度报告(2020-08-01 至 2020-08-18)",
    }[lang]
    assert seen.title == title
    assert seen.dom.count("<svg") == 3  # the funnel, the totals by sector, the ranking
    assert seen.dom.count("<section") == 14
    assert seen.requests == [page.as_uri()]
    assert seen.failed == [] and seen.errors == []


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
        origin = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        seen = visit(tmp_path, origin + "pipeline/project_view", 1200, 900)
        assert_not_blank(seen.png, 1200, 900, tmp_path / "datasette.png")
        assert seen.title.startswith("pipeline: project_view: 47 rows"), seen.title  # Datasette's own title
        assert "项目一览(在库项目)" in seen.dom and "计划投资(亿元)" in seen.dom  # the metadata's
        # The plugin's script gave the headers their Chinese labels, the column's name as the tooltip.
        assert 'title="investment_yi"' in seen.dom and 'title="stage_zh"' in seen.dom
        # Datasette's own styles and scripts, each from this server, each loaded: no failed request.
        assert len(seen.requests) > 1 and all(url.startswith(origin) for url in seen.requests), seen.requests
        assert seen.failed == [] and seen.errors == []
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
