"""Reading member names of archive packages repacked by other tools.

A zip entry whose name is UTF-8 sets general-purpose flag bit 11; without it the name
is in "the local code page", which Python's ``zipfile`` takes to be cp437. Packages
repacked on Chinese Windows (the archivists' usual tools, and the system's own "send to
compressed folder") write GBK/GB18030 names without the flag; Info-ZIP ``zip`` on Linux
writes the UTF-8 bytes without the flag and adds the Info-ZIP Unicode Path extra field.
:func:`member_name` recovers the name such tools meant.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

_UTF8_FLAG = 0x800
_UNICODE_PATH = 0x7075  # Info-ZIP Unicode Path Extra Field


def _unicode_path(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    """The UTF-8 name in the Unicode Path extra field, when it matches ``raw``."""
    extra = info.extra or b""
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + size]
        pos += 4 + size
        if tag != _UNICODE_PATH or len(body) < 5 or body[0] != 1:
            continue
        (crc,) = struct.unpack_from("<I", body, 1)
        if crc != zlib.crc32(raw):
            return None  # the name was changed by a tool that ignored the field
        try:
            return body[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return None


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its writer meant it. Names flagged UTF-8 are kept; others
    are taken from the Unicode Path extra field, else as UTF-8 when the bytes are valid
    UTF-8 (a GBK name almost never is), else GB18030, else cp437 as ``zipfile`` read
    them. Open the member with ``info`` itself, not with this name."""
    if info.flag_bits & _UTF8_FLAG:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename  # decoded with an explicit metadata_encoding already
    if raw.isascii():
        return info.filename
    named = _unicode_path(info, raw)
    if named is not None:
        return named
    for encoding in ("utf-8", "gb18030"):
        try:
            name = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return name
    return info.filename
