"""The README's screenshots: the HTML report and a Datasette page, rendered headless in Chromium.

    python docs/screenshots.py            # writes docs/report.png and docs/datasette.png

Needs Debian's `chromium` and a CJK font (`apt-get install chromium
fonts-noto-cjk`, as .ci/run does) and Datasette (the test extra). Works on a
fresh database of the report's 47 projects in a temporary folder, today
pinned to the report's day (2020-08-18), with a few plans and problems so
that every section has something to show; nothing outside that folder is
touched but the two PNGs. tests/test_browser.py renders the same pages and
checks them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
TODAY = "2020-08-18"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def pipeline(env: dict[str, str], *args: str) -> str:
    command = [str(Path(sys.executable).with_name("pipeline")), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def chromium(folder: Path, *args: str) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("screenshots.py: chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    command = [browser, *FLAGS, f"--user-data-dir={folder / 'profile'}", *args]
    subprocess.run(command, check=True, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def prepare(env: dict[str, str]) -> None:
    """The 47 projects, and the week's work a dispatch meeting would see."""
    pipeline(env, "init")
    for project_id, stage, date in (("7", "preliminary", "2020-08-10"), ("15", "construction", "2020-08-14")):
        pipeline(env, "move", project_id, stage, "--date", date, "--note", "周调度")
    pipeline(env, "plan", "13", "landed", "2020-07-31")
    pipeline(env, "plan", "8", "preliminary", "2020-09-10")
    pipeline(env, "problem", "add", "13", "用地指标待落实", "--unit", "市自然资源局", "--due", "2020-08-10")
    pipeline(env, "problem", "add", "9", "环评批复待办", "--unit", "市生态环境局", "--due", "2020-09-15")
    pipeline(env, "add", "工业软件适配中心项目", "--sector", "it", "--investment", "25", "--date", "2020-08-12")


def report(env: dict[str, str], folder: Path, target: Path) -> None:
    """The week's report of one sector (新一代信息技术): every section and chart on one page."""
    page = folder / "report.html"
    period = ("--since", "2020-08-12", "--until", TODAY)
    pipeline(env, "--lang", "zh", "report", *period, "--sector", "it", "--format", "html", "-o", str(page))
    chromium(folder, "--window-size=1000,3200", f"--screenshot={target}", page.as_uri())


def datasette(env: dict[str, str], folder: Path, target: Path) -> None:
    metadata = folder / "metadata.json"
    metadata.write_text(pipeline(env, "web", "--metadata"), encoding="utf-8")
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("datasette")), "serve", "--immutable", env["PIPELINE_DB"],
         "--port", str(port), "--metadata", str(metadata), "--setting", "default_facet_size", "10"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("screenshots.py: datasette did not start")
                time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/pipeline/project_view?_size=12"
        chromium(folder, "--window-size=1200,1000", f"--screenshot={target}", url)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = {
            **os.environ,
            "PIPELINE_DB": str(folder / "pipeline.db"),
            "PIPELINE_TODAY": TODAY,
            "PIPELINE_USER": "招商局",
            "PIPELINE_CONFIG": str(folder / "config.toml"),
        }
        env.pop("PIPELINE_LANG", None)
        prepare(env)
        report(env, folder, DOCS / "report.png")
        datasette(env, folder, DOCS / "datasette.png")
    for png in ("report.png", "datasette.png"):
        print(f"wrote docs/{png} ({(DOCS / png).stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
