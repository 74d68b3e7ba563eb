"""folders.py gives platformdirs' own answer, whatever the environment, with or without importing it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from pipeline_cli import folders

UNSET = None
# (HOME, XDG_CONFIG_HOME, XDG_DATA_HOME): the plain cases folders.py answers
# alone, and the strange ones it must leave to platformdirs.
CASES = [
    ("/home/ann", UNSET, UNSET),
    ("/home/ann/", UNSET, UNSET),
    ("/", UNSET, UNSET),
    ("/home/ann", "/etc/ann-config", "/srv/ann-data"),
    ("/home/ann", "/cfg/", "/data/"),
    ("/home/ann", "", ""),
    ("/home/ann", "   ", " "),
    ("/home/ann", "relative/cfg", "relative/data"),
    ("/home/ann", "~/cfg", "~/data"),
    ("/home/ann", " /cfg", "/data "),
    ("relative-home", UNSET, UNSET),
    ("", UNSET, UNSET),
    (UNSET, UNSET, UNSET),
    (UNSET, "/cfg", UNSET),
    ("/home/安", "/配置", "/数据"),
]


@pytest.mark.parametrize("home,config,data", CASES)
def test_the_folders_are_platformdirs_folders(
    home: str | None, config: str | None, data: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in (("HOME", home), ("XDG_CONFIG_HOME", config), ("XDG_DATA_HOME", data)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    try:
        expected = (
            platformdirs.user_config_dir("pipeline", appauthor=False),
            platformdirs.user_data_dir("pipeline", appauthor=False),
        )
    except RuntimeError:  # platformdirs finds no home at all: so must we
        with pytest.raises(RuntimeError):
            folders.user_config_dir()
        return
    assert (folders.user_config_dir(), folders.user_data_dir()) == expected


def test_the_plain_case_does_not_import_platformdirs(tmp_path: Path) -> None:
    code = (
        "import sys; from pipeline_cli import folders; folders.user_config_dir(); print('platformdirs' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")} | {"HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout
    assert out == ("False\n" if sys.platform.startswith("linux") else "True\n")
