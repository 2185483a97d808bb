"""A record that carries the JSON text it will be stored as, so it is encoded only once.

The cache's JSON columns (``records.base`` / ``records.data``) encode every value they are
given. A record written by an applier used to be encoded twice — once to copy and check it
(``LocalTx.put``: ``json.loads(json.dumps(data))``) and once more by the column — and a
record pulled from the server twice too, once for ``base`` and once for ``data`` when both
hold the same value. :func:`encoded` encodes once; the cache's serializer
(``sync.cache._json_dumps``) stores an :class:`Encoded` by its text.

An :class:`Encoded` is treated as frozen: nothing mutates it after it is made (``LocalTx``
hands appliers deep copies, which are plain dicts). Copies of it are plain dicts, so a
changed copy can never be stored with the original's text.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any


def dumps(value: Any) -> str:
    # Chinese text stays readable (and a third of the size) in the cache file.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Encoded(dict[str, Any]):
    """A JSON object together with its encoding (:attr:`json`)."""

    __slots__ = ("json",)

    json: str

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return copy.deepcopy(dict(self), memo)

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __reduce__(self) -> Any:  # pickling and copy.copy/deepcopy fallbacks: a plain dict
        return (dict, (dict(self),))


def encoded(value: dict[str, Any]) -> Encoded:
    """``value`` encoded once, as a fresh JSON-shaped copy (tuples become lists, keys
    strings). Raises TypeError/ValueError for what JSON cannot hold."""
    if type(value) is Encoded:
        return value
    text = dumps(value)
    record = Encoded(json.loads(text))
    record.json = text
    return record


def from_json(value: dict[str, Any]) -> Encoded:
    """``value``, just decoded from JSON and owned by the caller (a pulled record),
    encoded once without the copy :func:`encoded` makes: it is JSON-shaped already."""
    if type(value) is Encoded:
        return value
    record = Encoded(value)
    record.json = dumps(value)
    return record


def decoded(text: str) -> Encoded:
    """The record whose stored JSON text is ``text`` (a pulled line), keeping that text:
    stored again, it is not encoded again. Raises ValueError for text that is not the
    JSON of an object."""
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("a record is a JSON object")
    record = Encoded(value)
    record.json = text
    return record


#: The media type of a pull page in lines (``GET /sync/pull?form=lines``).
LINES_MEDIA_TYPE = "application/x-ndjson"

# A ``\uXXXX`` escape that must stay one: a character of the ASCII range (a control
# character, a quote or a backslash written as an escape would break the JSON or the
# lines once written out) or half of a surrogate pair (two halves are not a character).
_KEEP_ESCAPED = re.compile(rb"\\u(?:00[0-7]|[dD][89a-fA-F])")


def _unescaped(line: bytes) -> str:
    """``line`` (UTF-8 JSON text) with its ``\\uXXXX`` escapes of other characters written
    out as the characters: the server stores records ASCII-escaped, the cache keeps
    Chinese text readable and a third of the size (as :func:`dumps` writes it).

    ``raw_unicode_escape`` turns exactly the escapes that JSON reads as one (a ``\\u``
    after an odd number of backslashes) into their characters and copies every other
    byte; it only applies to ASCII text without the escapes that must stay
    (:data:`_KEEP_ESCAPED`). Other text is kept as it is: the same JSON value."""
    if line.isascii() and b"\\u" in line and not _KEEP_ESCAPED.search(line):
        try:
            return line.decode("raw_unicode_escape")
        except UnicodeDecodeError:  # not valid JSON either; kept as it came
            pass
    return line.decode("utf-8")


def read_lines_page(body: bytes) -> dict[str, Any]:
    """A pull page in lines (the server's ``_page_lines``): its head object, with
    ``rows`` as ``(seq, entity, id, JSON text of the record or None)`` tuples. The texts
    are not decoded (see :func:`_unescaped`). Raises ValueError for a malformed page."""
    if body.isascii() and not _KEEP_ESCAPED.search(body):  # the whole page at once
        try:
            head, newline, rest = body.decode("raw_unicode_escape").partition("\n")
        except UnicodeDecodeError as exc:  # a broken escape: not JSON
            raise ValueError("malformed page") from exc
    else:
        first, found, tail = body.partition(b"\n")
        head, newline = _unescaped(first), found.decode()
        rest = "\n".join([_unescaped(line) for line in tail.split(b"\n")]) if found else ""
    page = json.loads(head)
    if not isinstance(page, dict) or not isinstance(page.get("rows"), list):
        raise ValueError("not a page")
    lines = rest.split("\n") if newline else []
    # Every line a JSON object's text ("{…}"), checked over the whole text at once: it
    # starts with "{", ends with "}", and each of its line breaks sits between a "}" and
    # a "{" (the pattern cannot overlap itself, so the count is exact).
    if lines and not (rest.startswith("{") and rest.endswith("}")
                      and rest.count("}\n{") == len(lines) - 1):
        raise ValueError("a record line is not a JSON object")
    texts = iter(lines)
    try:
        rows: list[tuple[int, str, str, str | None]] = [
            (int(seq), str(entity), str(rid), next(texts) if live else None)
            for seq, entity, rid, live in page["rows"]]
    except (StopIteration, TypeError) as exc:
        raise ValueError("page rows and lines disagree") from exc
    if next(texts, None) is not None:
        raise ValueError("page rows and lines disagree")
    page["rows"] = rows
    return page
