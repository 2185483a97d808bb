"""A small DER (ASN.1 Distinguished Encoding Rules) encoder and reader.

Enough for the GB/T 38540 seal structures and SM2 certificates, which ``asn1crypto``
cannot describe (no SM OIDs): INTEGER, BIT STRING, OCTET STRING, OBJECT IDENTIFIER,
UTF8String, IA5String, PrintableString, UTCTime, GeneralizedTime, SEQUENCE, SET and
context-specific tags. Pure functions; :class:`DerError` for malformed input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

INTEGER, BIT_STRING, OCTET_STRING, NULL, OID = 0x02, 0x03, 0x04, 0x05, 0x06
UTF8_STRING, PRINTABLE_STRING, IA5_STRING = 0x0C, 0x13, 0x16
UTC_TIME, GENERALIZED_TIME = 0x17, 0x18
SEQUENCE, SET = 0x30, 0x31


class DerError(ValueError):
    """Malformed DER."""


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def tlv(tag: int, content: bytes) -> bytes:
    return bytes([tag]) + _length(len(content)) + content


def integer(value: int) -> bytes:
    if value == 0:
        return tlv(INTEGER, b"\x00")
    size = (value.bit_length() + 8) // 8  # room for the sign bit
    return tlv(INTEGER, value.to_bytes(size, "big", signed=True))


def octet_string(data: bytes) -> bytes:
    return tlv(OCTET_STRING, data)


def bit_string(data: bytes) -> bytes:
    return tlv(BIT_STRING, b"\x00" + data)


def ia5(text: str) -> bytes:
    return tlv(IA5_STRING, text.encode("ascii"))


def utf8(text: str) -> bytes:
    return tlv(UTF8_STRING, text.encode("utf-8"))


def printable(text: str) -> bytes:
    return tlv(PRINTABLE_STRING, text.encode("ascii"))


def oid(dotted: str) -> bytes:
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return tlv(OID, bytes(out))


def generalized_time(moment: dt.datetime) -> bytes:
    return tlv(GENERALIZED_TIME, moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%SZ").encode())


def utc_time(moment: dt.datetime) -> bytes:
    return tlv(UTC_TIME, moment.astimezone(dt.UTC).strftime("%y%m%d%H%M%SZ").encode())


def sequence(*items: bytes) -> bytes:
    return tlv(SEQUENCE, b"".join(items))


def set_of(*items: bytes) -> bytes:
    return tlv(SET, b"".join(sorted(items)))


def explicit(n: int, content: bytes) -> bytes:
    """Context-specific constructed tag ``[n] EXPLICIT``."""
    return tlv(0xA0 | n, content)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Node:
    tag: int
    content: bytes
    raw: bytes  # the whole TLV

    def children(self) -> list[Node]:
        return read_all(self.content)

    def as_int(self) -> int:
        self._expect(INTEGER)
        return int.from_bytes(self.content, "big", signed=True)

    def as_bytes(self) -> bytes:
        self._expect(OCTET_STRING)
        return self.content

    def as_bits(self) -> bytes:
        self._expect(BIT_STRING)
        if not self.content or self.content[0] != 0:
            raise DerError("bit string with unused bits")
        return self.content[1:]

    def as_str(self) -> str:
        if self.tag not in (UTF8_STRING, IA5_STRING, PRINTABLE_STRING):
            raise DerError(f"expected a string, got tag {self.tag:#x}")
        return self.content.decode("utf-8")

    def as_oid(self) -> str:
        self._expect(OID)
        c = self.content
        if not c:
            raise DerError("empty OID")
        parts = [c[0] // 40, c[0] % 40]
        value = 0
        for b in c[1:]:
            value = (value << 7) | (b & 0x7F)
            if not b & 0x80:
                parts.append(value)
                value = 0
        return ".".join(str(p) for p in parts)

    def as_time(self) -> dt.datetime:
        text = self.content.decode("ascii")
        if self.tag == GENERALIZED_TIME:
            return dt.datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=dt.UTC)
        if self.tag == UTC_TIME:
            return dt.datetime.strptime(text, "%y%m%d%H%M%SZ").replace(tzinfo=dt.UTC)
        raise DerError(f"expected a time, got tag {self.tag:#x}")

    def _expect(self, tag: int) -> None:
        if self.tag != tag:
            raise DerError(f"expected tag {tag:#x}, got {self.tag:#x}")


def read(data: bytes, offset: int = 0) -> tuple[Node, int]:
    """Read one TLV at ``offset``; return it and the offset after it."""
    try:
        tag = data[offset]
        first = data[offset + 1]
        pos = offset + 2
        if first < 0x80:
            length = first
        else:
            n = first & 0x7F
            if n == 0 or n > 4:
                raise DerError("unsupported length")
            length = int.from_bytes(data[pos:pos + n], "big")
            pos += n
    except IndexError as exc:
        raise DerError("truncated") from exc
    end = pos + length
    if end > len(data):
        raise DerError("truncated")
    return Node(tag, data[pos:end], data[offset:end]), end


def read_one(data: bytes) -> Node:
    node, end = read(data)
    if end != len(data):
        raise DerError("trailing bytes")
    return node


def read_all(data: bytes) -> list[Node]:
    out, pos = [], 0
    while pos < len(data):
        node, pos = read(data, pos)
        out.append(node)
    return out
