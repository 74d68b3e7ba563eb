"""The user's config and data folders: platformdirs' own answer, found without importing it where that is certain.

Every command reads the settings file to learn its language, so it needs the
config folder on every run; importing platformdirs (which brings tempfile
and random along) costs about 5 ms of a 100 ms `list`. On Linux, where the
answer is the XDG rule every platformdirs 4 release agrees on — an absolute
$XDG_CONFIG_HOME (or $XDG_DATA_HOME) as given, else ~/.config (or
~/.local/share) under an absolute $HOME — it is computed here; anything
less plain (a relative or blank variable, no HOME, another system) asks
platformdirs itself. tests/test_folders.py holds the two to the same answer.
"""

from __future__ import annotations

import os
import sys

APP = "pipeline"


def _plain_xdg(variable: str, default: str) -> str | None:
    """The XDG folder where no platformdirs release can disagree, else None."""
    if not sys.platform.startswith("linux"):
        return None
    value = os.environ.get(variable)
    if value:
        return os.path.join(value, APP) if value.startswith("/") and value.strip() == value else None
    home = os.environ.get("HOME", "")
    if value is None and home.startswith("/") and home.strip() == home:
        return os.path.join(os.path.expanduser(default), APP)
    return None


def user_config_dir() -> str:
    if (plain := _plain_xdg("XDG_CONFIG_HOME", "~/.config")) is not None:
        return plain
    import platformdirs

    return platformdirs.user_config_dir(APP, appauthor=False)


def user_data_dir() -> str:
    if (plain := _plain_xdg("XDG_DATA_HOME", "~/.local/share")) is not None:
        return plain
    import platformdirs

    return platformdirs.user_data_dir(APP, appauthor=False)
