"""The user's settings file: `config.toml` in the user config folder, or $PIPELINE_CONFIG.

Keys: db, lang, user, busy_timeout. For each, an option beats the
environment, which beats this file. The file is read only when it exists
(tomllib is imported then, never for a user without settings), once per
invocation. A file that cannot be read or parsed is a usage error naming
the file and the line. `config set` writes it atomically (a temporary file
in the same folder, then a rename), through a symlink to the file it points
at, so a symlinked settings file stays a symlink.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import UsageError, os_reason

KEYS = ("db", "lang", "user", "busy_timeout")

# More than an hour of waiting for the write lock is a hung script, not patience.
MAX_BUSY_TIMEOUT = 3600.0


def seconds(text: str) -> float | None:
    """A busy timeout as $PIPELINE_BUSY_TIMEOUT and the settings take it: ASCII decimals from 0 to an hour, else None.

    Not float(), which also takes inf, nan, 1e3, 1_0 and other scripts' digits.
    """
    import re

    value = text.strip()
    if not re.fullmatch(r"\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)", value) or float(value) > MAX_BUSY_TIMEOUT:
        return None
    return float(value)


_cache: tuple[Path, dict[str, str]] | None = None


def path() -> Path:
    named = os.environ.get("PIPELINE_CONFIG", "").strip()
    if named:
        return Path(named).expanduser()
    from .folders import user_config_dir

    return Path(user_config_dir()) / "config.toml"


def check(key: str, value: str) -> str:
    """`value` as stored for `key`; an unknown key or a bad value is a usage error (exit 2)."""
    if key not in KEYS:
        raise UsageError("config.unknown_key", "config.unknown_key.hint", key=key, keys=list(KEYS))
    text = value.strip()
    if key == "lang":
        if text.lower() not in ("en", "zh"):
            raise UsageError("config.bad_lang", "lang.bad.hint", value=value)
        return text.lower()
    if key == "busy_timeout":
        if seconds(text) is None:
            raise UsageError("config.bad_timeout", "config.bad_timeout.hint", value=value)
        return text
    if not text:
        raise UsageError("config.empty", "config.empty.hint", key=key)
    return text


def load() -> dict[str, str]:
    """The settings in the file (empty when there is none)."""
    global _cache
    where = path()
    if _cache is not None and _cache[0] == where:
        return _cache[1]
    values: dict[str, str] = {}
    try:
        raw = where.read_bytes()
    except FileNotFoundError:
        raw = None
    except OSError as exc:
        reason = os_reason(exc)
        raise UsageError("config.unreadable", "config.unreadable.hint", path=str(where), reason=reason) from None
    if raw is not None:
        import tomllib

        try:
            data: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise UsageError("config.not_utf8", "config.unreadable.hint", path=str(where)) from None
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None) or _line_of(str(exc))
            raise UsageError("config.bad_toml", "config.unreadable.hint", path=str(where), line=line) from None
        for key, value in data.items():
            line = _line_of_key(raw.decode("utf-8"), key)
            if key not in KEYS:
                raise UsageError("config.bad_entry", "config.unreadable.hint", path=str(where), line=line, key=key)
            try:
                values[key] = check(key, str(value) if not isinstance(value, str) else value)
            except UsageError:
                raise UsageError(
                    "config.bad_entry", "config.unreadable.hint", path=str(where), line=line, key=key
                ) from None
    _cache = (where, values)
    return values


def get(key: str) -> str | None:
    return load().get(key)


def forget() -> None:
    """Read the file again next time (a new invocation in the same process)."""
    global _cache
    _cache = None


def _line_of(text: str) -> int:
    import re

    found = re.search(r"line (\d+)", text)
    return int(found.group(1)) if found else 1


def _line_of_key(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().split("=")[0].strip().strip('"') == key:
            return number
    return 1


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def save(values: dict[str, str]) -> Path:
    """Write the settings atomically; through a symlink, to the file it points at."""
    import tempfile

    where = path()
    target = where.resolve() if where.is_symlink() else where
    target.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(f"{key} = {_toml_string(values[key])}\n" for key in KEYS if key in values)
    fd, temp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with __import__("contextlib").suppress(OSError):
            os.unlink(temp)
        raise
    forget()
    return where
