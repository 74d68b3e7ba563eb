"""Paths pipeline writes to: what they are, SQLite files never written over, temporary names the next run cleans.

Every file a command writes whole (`export -o`, report `-o`, `backup`,
`init`) is built under a temporary name beside its target and renamed into
place once complete. Three rules keep that idiom from destroying anything:

- Never over an SQLite file (the database in use, another database, or the
  `-journal`/`-wal`/`-shm` of one): `refuse_sqlite`.
- Never in place of a symlink, a FIFO or a device: a symlink is written
  through (the file it points at is replaced), a FIFO, a device or anything
  under /dev or /proc is written into directly (`-o /dev/stdout` writes to
  stdout): `streams_to`, `real_target`.
- Temporary files have one pattern, `.NAME.pipeline-tmp-PID-RANDOM`; a
  killed run leaves one behind, and the next write beside it removes every
  such file whose process is gone: `temporary_name`, `clean_stale`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import time
from pathlib import Path

from .errors import Message, UsageError

SQLITE_HEADER = b"SQLite format 3\x00"
# The files SQLite keeps beside a database, named after it.
COMPANIONS = ("-journal", "-wal", "-shm")
TEMP_MARK = ".pipeline-tmp-"
# A temporary file this old is stale even if a process with its pid runs (pids are reused).
STALE_AFTER = 7 * 24 * 3600.0
# Room left in a 255-byte file name for the mark, a pid and the random part (and SQLite's -journal).
_NAME_BYTES = 150


# scheme://: a URL (postgresql://, https://, sqlite:///...), not a path. Two letters at least:
# C://x is a Windows drive's path.
_SCHEME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")


def looks_like_url(text: str) -> bool:
    """Whether `text` is a URL, not a path (as a Path its // would fold into one /: a folder `postgresql:`).

    [A-Za-z][A-Za-z0-9+.-]+:// at the start, checked without compiling a
    pattern at every start-up.
    """
    scheme, separator, _ = text.strip().partition("://")
    return (
        bool(separator)
        and len(scheme) >= 2
        and scheme[0].isascii()
        and scheme[0].isalpha()
        and _SCHEME_CHARACTERS.issuperset(scheme)
    )


def refuse_url(text: str, option: str, server: str | None = "file.url") -> None:
    """A URL given where a file's path belongs: exit 2, before anything is read or written.

    A postgresql:// URL is refused with the `server` message (its hint points at
    `pipeline copy`), or let through where `server` is None (copy takes one);
    any other URL with file.url, naming the `option`. The URL is shown without
    its password.
    """
    if not looks_like_url(text):
        return
    from .store._core import is_url

    on_server = is_url(text)
    if on_server and server is None:
        return
    key = server if on_server and server is not None else "file.url"
    raise UsageError(key, key + ".hint", option=option, target=shown_url(text))


def shown_url(text: str) -> str:
    """A URL as a message quotes it: without a password, else as given (urlunsplit folds sqlite:/// into sqlite:/)."""
    from urllib.parse import urlsplit

    from .store._core import redact_url

    url = text.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" in parts.netloc or "password" in parts.query.lower():
        return redact_url(url)
    return url


def kind_of(mode: int) -> str | None:
    """The catalogue key naming a file type that is not a regular file, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "filekind.folder"
    if stat.S_ISLNK(mode):
        return "filekind.symlink"
    if stat.S_ISFIFO(mode):
        return "filekind.fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "filekind.device"
    if stat.S_ISSOCK(mode):
        return "filekind.socket"
    return "filekind.other"


def kind_message(mode: int) -> Message | None:
    key = kind_of(mode)
    return Message(key) if key is not None else None


def is_sqlite_file(path: Path) -> bool:
    """A regular file (through symlinks) starting with SQLite's header. Never opens a FIFO or device."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        return os.read(fd, len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False
    finally:
        os.close(fd)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_sqlite(path: Path, database: Path | None) -> None:
    """Refuse (exit 2) to write `path` if that would write over an SQLite file or one of its companions.

    The database in use (same path, same inode, or its -journal/-wal/-shm),
    any other SQLite file, and a companion name of any SQLite file.
    """
    shown = str(path)
    if database is not None:
        live = Path(os.path.abspath(database))
        target = Path(os.path.abspath(path))
        names = {str(live), *(str(live) + suffix for suffix in COMPANIONS)}
        resolved = {os.path.realpath(name) for name in names}
        if str(target) in names or os.path.realpath(target) in resolved or _same_file(path, database):
            raise UsageError("file.is_database", "file.other_name.hint", path=shown)
    if is_sqlite_file(path):
        raise UsageError("file.is_sqlite", "file.other_name.hint", path=shown)
    for suffix in COMPANIONS:
        if path.name.endswith(suffix) and len(path.name) > len(suffix):
            owner = path.with_name(path.name[: -len(suffix)])
            if is_sqlite_file(owner):
                raise UsageError("file.is_companion", "file.other_name.hint", path=shown, database=str(owner))


def streams_to(path: Path) -> bool:
    """Whether `path` is written into directly: a FIFO, a device, a socket, or anything under /dev or /proc."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        return True
    absolute = os.path.abspath(path)
    return absolute.startswith(("/dev/", "/proc/"))


def real_target(path: Path) -> Path:
    """The file to replace for `path`: through symlinks, the file they point at (which may not exist yet)."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _short(name: str) -> str:
    encoded = name.encode("utf-8", "surrogateescape")
    if len(encoded) <= _NAME_BYTES:
        return name
    return encoded[:_NAME_BYTES].decode("utf-8", "ignore")


def temporary_name(path: Path) -> Path:
    """A fresh temporary name beside `path`: `.NAME.pipeline-tmp-PID-RANDOM` (NAME cut to fit the file system)."""
    return path.with_name(f".{_short(path.name)}{TEMP_MARK}{os.getpid()}-{os.urandom(4).hex()}")


@functools.cache
def _pid() -> re.Pattern[str]:
    """The process id in a temporary file's name (compiled when first needed)."""
    return re.compile(re.escape(TEMP_MARK) + r"([0-9]+)-")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def clean_stale(path: Path) -> list[Path]:
    """Remove the temporary files a killed run left beside `path` (its process gone, or a week old).

    Only names of the pattern `.NAME.pipeline-tmp-PID-…` for this NAME are
    looked at; anything that cannot be removed is left. Returns what was removed.
    """
    removed: list[Path] = []
    prefix = f".{_short(path.name)}{TEMP_MARK}"
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        found = _pid().match(entry.name, len(prefix) - len(TEMP_MARK))
        if found is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        if _alive(int(found.group(1))) and now - info.st_mtime < STALE_AFTER:
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed
