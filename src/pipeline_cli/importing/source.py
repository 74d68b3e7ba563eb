"""An import file as a stream: its bytes read from the start as often as needed, its text line by line.

A file is opened, never read whole: `import` of 100,000 rows holds one
batch of rows at a time, not the file, its text and every row. Standard
input cannot be read twice, so its bytes are kept (the one case read whole).
Decoding is checked first by one pass over the bytes in blocks (fast: the
codec works in C), with exactly the refusals of file_text.decode; when one
applies, decode itself is run on the whole file for its precise message.
"""

from __future__ import annotations

import codecs
import io
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import UsageError, os_reason
from .file_text import decode

_BLOCK = 1 << 20


class Source:
    """An import file (or stdin): its name, and its bytes from the start on each `open()`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.name = "stdin" if path is None else path.name
        self._data: bytes | None = None
        self._reading: BinaryIO | None = None
        if path is None:
            self._data = sys.stdin.buffer.read()
        else:
            try:
                mode = path.stat().st_mode
                if stat.S_ISDIR(mode):
                    raise IsADirectoryError
                if stat.S_ISREG(mode):
                    path.open("rb").close()
                else:
                    # A pipe or device (`<(…)`, /dev/stdin) can be read once: its bytes are kept.
                    with path.open("rb") as file:
                        self._data = file.read()
            except OSError as error:
                raise _unreadable(path, error) from None

    def open(self) -> BinaryIO:
        """The bytes from the start (a new file object each time; the caller closes it)."""
        if self._data is not None:
            return io.BytesIO(self._data)
        assert self.path is not None
        try:
            return self.path.open("rb")
        except OSError as error:
            raise _unreadable(self.path, error) from None

    def size(self) -> int:
        if self._data is not None:
            return len(self._data)
        assert self.path is not None
        return self.path.stat().st_size

    def read_all(self) -> bytes:
        with self.open() as file:
            return file.read()

    def codec(self, encoding: str | None) -> str:
        """The codec to read the text with, once the bytes are checked as file_text.decode checks them."""
        chosen = (encoding or "utf-8").strip()
        try:
            canonical = codecs.lookup(chosen).name
        except LookupError:
            canonical = ""
        is_utf8 = canonical in ("utf-8", "utf-8-sig")
        if not canonical or not _passes(self, canonical, is_utf8):
            decode(self.read_all(), encoding, self.name)  # raises the precise refusal
        # A check decode would not refuse here: the codec is a text encoding that can refuse bytes.
        return "utf-8-sig" if is_utf8 else canonical

    def lines(self, codec: str, newline: str) -> Iterator[str]:
        """The text line by line, ends kept: at LF only (newline "\\n") or as csv reads them (newline "")."""
        with self.open() as file, io.TextIOWrapper(file, encoding=codec, newline=newline) as text:
            self._reading = file
            yield from text

    def position(self) -> int:
        """How far `lines` has read (in bytes, a block ahead of the rows handed out)."""
        reading = self._reading
        return 0 if reading is None or reading.closed else reading.tell()


def _passes(source: Source, canonical: str, is_utf8: bool) -> bool:
    """True when decode would accept the file: a text codec that can refuse bytes, no workbook, valid text.

    Never false positive: any doubt sends the file through decode itself.
    """
    info = codecs.lookup(canonical)
    if not getattr(info, "_is_text_encoding", True) or _accepts_anything(canonical):
        return False
    decoder = codecs.getincrementaldecoder("utf-8-sig" if is_utf8 else canonical)("strict")
    # For another codec: whether the bytes are UTF-8 with something beyond ASCII (refused as mojibake).
    utf8 = None if is_utf8 else codecs.getincrementaldecoder("utf-8")("strict")
    utf8_valid, non_ascii, first = True, False, True
    with source.open() as file:
        while True:
            block = file.read(_BLOCK)
            if first:
                if block.startswith(b"PK\x03\x04") or (utf8 is not None and block.startswith(codecs.BOM_UTF8)):
                    return False
                first = False
            final = not block
            try:
                decoder.decode(block, final)
            except UnicodeDecodeError:
                return False
            if utf8 is not None and utf8_valid:
                non_ascii = non_ascii or not block.isascii()
                try:
                    utf8.decode(block, final)
                except UnicodeDecodeError:
                    utf8_valid = False
            if final:
                break
    return utf8 is None or not (utf8_valid and non_ascii)


def _accepts_anything(canonical: str) -> bool:
    from .file_text import _accepts_anything as accepts

    return accepts(canonical)


def _unreadable(path: Path, error: OSError) -> UsageError:
    if isinstance(error, FileNotFoundError):
        return UsageError("import.no_file", "import.no_file.hint", path=str(path))
    if isinstance(error, IsADirectoryError):
        return UsageError("import.is_folder", "import.is_folder.hint", path=str(path))
    if isinstance(error, PermissionError):
        return UsageError("import.unreadable", "db.unreadable.hint", path=str(path))
    return UsageError("import.cannot_read", "import.cannot_read.hint", path=str(path), reason=os_reason(error))
