"""A record is JSON-encoded once on the client's write path (sync/encoded.py)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import text

from sync.cache import LocalCache
from sync.encoded import Encoded, encoded
from sync.engine import SyncEngine
from tests.sync.fakes import FakeServer


def stored_text(cache: LocalCache, key: tuple[str, str]) -> tuple[str | None, str | None]:
    with cache.read() as s:
        row = s.execute(text("SELECT base, data FROM records WHERE entity = :e AND id = :i"),
                        {"e": key[0], "i": key[1]}).one()
    return row[0], row[1]


def count_record_encodings(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every value json.dumps encodes from now on (the cache's column serializer, the
    outbox, the journal and sync.encoded all go through it)."""
    seen: list[Any] = []
    real = json.dumps

    def counting(value: Any, *args: Any, **kwargs: Any) -> str:
        seen.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(json, "dumps", counting)
    return seen


def test_encoded_is_the_json_shape_and_copies_are_plain_dicts() -> None:
    raw: dict[Any, Any] = {"a": (1, 2), 3: {"b": "中文"}}
    record = encoded(raw)
    assert record == {"a": [1, 2], "3": {"b": "中文"}}
    assert json.loads(record.json) == record and "中文" in record.json
    for twin in (copy.deepcopy(record), copy.copy(record), dict(record)):
        assert type(twin) is dict and twin == record
    with pytest.raises(TypeError):
        encoded({"x": object()})


def test_a_submitted_record_is_encoded_once_and_stored_as_that_text(
        engine: SyncEngine, cache: LocalCache, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = count_record_encodings(monkeypatch)
    engine.submit("notes.set", {"id": "n1", "text": "草稿"})
    # The record (not the intent's args, which have no "lines"): once, not twice.
    assert [v for v in seen if isinstance(v, dict) and "lines" in v] == [
        {"id": "n1", "text": "草稿", "by": "p-1", "lines": []}]
    _, data = stored_text(cache, ("notes.note", "n1"))
    assert data == '{"id":"n1","text":"草稿","by":"p-1","lines":[]}'
    # A changed copy is stored with its own content, never the original's text.
    engine.submit("notes.append", {"id": "n1", "line": "a"})
    assert json.loads(stored_text(cache, ("notes.note", "n1"))[1] or "")["lines"] == ["a"]
    assert (cache.get("notes.note", "n1") or {})["lines"] == ["a"]


def test_a_pulled_record_is_encoded_once_for_base_and_data(
        engine: SyncEngine, cache: LocalCache, server: FakeServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server.put("notes.note", "n2", {"id": "n2", "text": "t", "lines": ["服务器"]})
    seen = count_record_encodings(monkeypatch)
    engine.run_cycle({"pull"})
    assert [v for v in seen if isinstance(v, dict) and v.get("id") == "n2"] == [
        {"id": "n2", "text": "t", "lines": ["服务器"]}]  # once for base and data
    base, data = stored_text(cache, ("notes.note", "n2"))
    assert base == data and json.loads(base or "") == {"id": "n2", "text": "t",
                                                        "lines": ["服务器"]}
    assert isinstance(cache.get("notes.note", "n2"), dict)
    assert not isinstance(cache.get("notes.note", "n2"), Encoded)
