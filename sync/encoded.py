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
