"""The encrypted blob file: AES-256-GCM in fixed segments, streamable and resumable.

Layout: ``b"OCB1"`` + a random 16-byte salt, then segments of at most
:data:`SEGMENT` plaintext bytes, each sealed with its own tag (16 bytes). The file key
is the cache key's ``"blobs"`` HKDF sub-key with that salt (one key per file); the nonce
of segment *i* is *i* (11 bytes, big-endian) followed by 1 for the last segment and 0
otherwise, so segments cannot be reordered, dropped or the file cut short unnoticed.

A download writes whole non-final segments as bytes arrive (:class:`SealedWriter`) and the
last one when it ends, so an interrupted ``.part`` file holds whole segments only:
:func:`resume` truncates a torn one and says how many plaintext bytes it holds, the offset
the download resumes from. Reading decrypts into memory (:func:`read_all`,
:func:`read_range`); nothing is decrypted to disk here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sync.vault import CacheKey

if TYPE_CHECKING:  # cryptography loads on first use, not at client start
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"OCB1"
SALT = 16
HEADER = len(MAGIC) + SALT
SEGMENT = 64 * 1024
TAG = 16
SEALED_SEGMENT = SEGMENT + TAG


class BlobDamaged(Exception):
    """The file is not a sealed blob under this key, or was changed or cut short."""


def sealed_size(plain: int) -> int:
    """Bytes on disk of a sealed file of ``plain`` bytes."""
    segments = max(1, -(-plain // SEGMENT))
    return HEADER + plain + TAG * segments


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _aead(key: CacheKey, salt: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key.subkey("blobs", salt=salt))


class SealedWriter:
    """Seals bytes written to ``out`` (positioned after the header / whole segments)."""

    def __init__(self, out: BinaryIO, aead: AESGCM, index: int = 0) -> None:
        self._out = out
        self._aead = aead
        self._index = index
        self._buf = bytearray()

    def write(self, data: bytes) -> int:
        self._buf += data
        while len(self._buf) > SEGMENT:  # a full segment is final only if nothing follows
            chunk = bytes(self._buf[:SEGMENT])
            del self._buf[:SEGMENT]
            self._out.write(self._aead.encrypt(_nonce(self._index, False), chunk, None))
            self._index += 1
        return len(data)

    def finish(self) -> None:
        """Seal what is left as the last segment (call once, after the last write)."""
        self._out.write(self._aead.encrypt(_nonce(self._index, True), bytes(self._buf), None))
        self._buf.clear()
        self._out.flush()


def create(out: BinaryIO, key: CacheKey) -> SealedWriter:
    """Start a new sealed file in ``out`` (empty, opened for writing)."""
    salt = os.urandom(SALT)
    out.write(MAGIC + salt)
    return SealedWriter(out, _aead(key, salt))


def resume(path: Path, out: BinaryIO, key: CacheKey) -> tuple[SealedWriter, int]:
    """Continue the partial sealed file ``path`` opened as ``out`` (``"r+b"``): a torn
    segment is cut off; returns the writer and the plaintext bytes already held."""
    with open(path, "rb") as f:
        head = f.read(HEADER)
    size = path.stat().st_size
    if len(head) < HEADER or head[:4] != MAGIC:
        out.seek(0)
        out.truncate()
        return create(out, key), 0
    whole = (size - HEADER) // SEALED_SEGMENT
    out.truncate(HEADER + whole * SEALED_SEGMENT)
    out.seek(HEADER + whole * SEALED_SEGMENT)
    return SealedWriter(out, _aead(key, head[4:HEADER]), whole), whole * SEGMENT


def _open(f: BinaryIO, key: CacheKey) -> AESGCM:
    head = f.read(HEADER)
    if len(head) < HEADER or head[:4] != MAGIC:
        raise BlobDamaged("not a sealed blob")
    return _aead(key, head[4:])


def segments(path: Path, key: CacheKey) -> Iterator[bytes]:
    """The plaintext, segment by segment (each checked; the end is checked too)."""
    from cryptography.exceptions import InvalidTag

    size = path.stat().st_size
    with open(path, "rb") as f:
        aead = _open(f, key)
        index = 0
        while True:
            sealed = f.read(SEALED_SEGMENT)
            last = f.tell() >= size
            try:
                yield aead.decrypt(_nonce(index, last), sealed, None)
            except InvalidTag:
                raise BlobDamaged(f"segment {index} fails authentication") from None
            if last:
                return
            index += 1


def read_all(path: Path, key: CacheKey) -> bytes:
    """The whole plaintext, in memory."""
    return b"".join(segments(path, key))


def plain_size(path: Path) -> int:
    """Plaintext bytes of a complete sealed file (from its size; not authenticated)."""
    body = path.stat().st_size - HEADER
    whole = body // SEALED_SEGMENT
    rest = body - whole * SEALED_SEGMENT
    if rest == 0 and whole:  # the last segment was a full one
        return whole * SEGMENT
    return whole * SEGMENT + max(0, rest - TAG)


def read_range(path: Path, key: CacheKey, offset: int, length: int) -> bytes:
    """``length`` plaintext bytes from ``offset`` (fewer at the end), decrypting only
    the segments that cover them."""
    from cryptography.exceptions import InvalidTag

    size = path.stat().st_size
    out = bytearray()
    with open(path, "rb") as f:
        aead = _open(f, key)
        index = offset // SEGMENT
        skip = offset - index * SEGMENT
        f.seek(HEADER + index * SEALED_SEGMENT)
        while len(out) < length:
            sealed = f.read(SEALED_SEGMENT)
            if not sealed:
                break
            last = f.tell() >= size
            try:
                plain = aead.decrypt(_nonce(index, last), sealed, None)
            except InvalidTag:
                raise BlobDamaged(f"segment {index} fails authentication") from None
            out += plain[skip:]
            skip = 0
            index += 1
            if last:
                break
    return bytes(out[:length])


def is_sealed(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == MAGIC
    except OSError:
        return False
