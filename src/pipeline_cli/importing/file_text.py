"""An import file's format from its name, and its bytes as text: encodings that can refuse bad bytes, never mojibake."""

from __future__ import annotations

import codecs

from ..errors import BadData, UsageError

_EXTENSIONS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".xlsx": "xlsx"}


def format_from_name(name: str) -> str | None:
    """csv, json, jsonl or xlsx from a file name's extension, else None."""
    lowered = name.lower()
    for extension, fmt in _EXTENSIONS.items():
        if lowered.endswith(extension):
            return fmt
    return None


# --- decoding ------------------------------------------------------------------


def decode(data: bytes, encoding: str | None, name: str) -> str:
    """The file's text; a UTF-8 BOM is dropped; bytes invalid in the encoding are an error.

    Never guesses silently: a UTF-8 file read with --encoding gbk would come
    out as plausible-looking nonsense (mojibake), so that is refused too.
    """
    chosen = (encoding or "utf-8").strip()
    try:
        info = codecs.lookup(chosen)
    except LookupError:
        raise UsageError("import.encoding_unknown", "import.encoding_unknown.hint", encoding=chosen) from None
    canonical = info.name
    if not getattr(info, "_is_text_encoding", True):
        # rot13, base64, zlib...: codecs, but not bytes-to-text encodings.
        raise UsageError("import.encoding_not_text", "import.encoding.hint", encoding=chosen)
    if _accepts_anything(canonical):
        # latin-1 and its like read any bytes as some text: a wrong guess
        # (a UTF-8 or GBK file) would be imported as mojibake, never refused.
        raise UsageError("import.encoding_accepts_anything", "import.encoding.hint", encoding=chosen)
    if data.startswith(b"PK\x03\x04"):
        raise BadData("import.is_workbook", "import.is_workbook.hint", name=name)
    is_utf8 = canonical in ("utf-8", "utf-8-sig")
    if not is_utf8 and _looks_like_utf8(data):
        raise BadData("import.is_utf8", "import.is_utf8.hint", name=name, encoding=chosen)
    try:
        text = data.decode("utf-8-sig" if is_utf8 else canonical)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        bad = data[error.start : error.start + 2].hex(" ")
        hint = "import.not_encoded.hint_utf8" if is_utf8 else "import.not_encoded.hint"
        encoding = "UTF-8" if is_utf8 else chosen
        raise BadData(
            "import.not_encoded", hint, name=name, encoding=encoding, bytes=bad, offset=error.start, line=line
        ) from None
    return text


def _looks_like_utf8(data: bytes) -> bool:
    """Non-ASCII text that decodes as UTF-8 (a GBK file almost never does)."""
    if data.startswith(codecs.BOM_UTF8):
        return True
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _accepts_anything(canonical: str) -> bool:
    """True for an encoding that decodes every byte sequence (it can never say a file is not in it)."""
    sample = bytes(range(256)) * 2
    try:
        sample.decode(canonical)
    except UnicodeDecodeError:
        return False
    except (LookupError, ValueError):
        return False
    return True
