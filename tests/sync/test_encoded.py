"""A record is JSON-encoded once on the client's write path (sync/encoded.py)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from sqlalchemy import text

from sync.cache import LocalCache
from sync.encoded import Encoded, encoded, read_lines_page
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
    # Stored once: the server state is the displayed one (base_is_data), not a copy.
    assert base is None and json.loads(data or "") == {"id": "n2", "text": "t",
                                                        "lines": ["服务器"]}
    assert cache.get_base("notes.note", "n2") == cache.get("notes.note", "n2")
    assert isinstance(cache.get("notes.note", "n2"), dict)
    assert not isinstance(cache.get("notes.note", "n2"), Encoded)


# -- pull pages in lines (GET /sync/pull?form=lines): the record texts are not decoded --

TRICKY = {
    "name": "测试人员",
    "emoji": "签到😀",  # a surrogate pair when ASCII-escaped: stays escaped
    "control": "a\u0001b",  # an ASCII-range escape: stays escaped
    "quote": 'say "hi" \\u4e2d',  # a backslash before u: an even count, not an escape
    "odd": "\\测",  # an escaped backslash, then an escape: both read right
    "lines": "一\n二\t三",
}


def lines_page(*records: dict[str, Any] | None, ascii_escaped: bool = True) -> bytes:
    rows = [[i + 1, "notes.note", f"n{i}", 0 if r is None else 1]
            for i, r in enumerate(records)]
    head = json.dumps({"rows": rows, "cursor": "c", "has_more": False,
                       "server_time": "2026-12-02T00:00:00Z"})
    texts = [json.dumps(r, ensure_ascii=ascii_escaped) for r in records if r is not None]
    return "\n".join([head, *texts]).encode()


@pytest.mark.parametrize("ascii_escaped", [True, False])
def test_a_lines_page_gives_each_record_as_json_text_of_the_same_value(
        ascii_escaped: bool) -> None:
    plain = {"id": "n0", "name": "张伟", "title": "科员"}
    page = read_lines_page(lines_page(plain, None, TRICKY, ascii_escaped=ascii_escaped))
    assert page["cursor"] == "c" and page["has_more"] is False
    (s0, e0, i0, t0), (_, _, i1, t1), (_, _, _, t2) = page["rows"]
    assert (s0, e0, i0, i1, t1) == (1, "notes.note", "n0", "n1", None)
    assert json.loads(t0 or "") == plain and json.loads(t2 or "") == TRICKY
    assert "张伟" in (t0 or "")  # Chinese written out, as the cache stores it


def test_a_page_with_escapes_that_must_stay_unescapes_the_other_lines() -> None:
    plain = {"id": "n0", "name": "张伟"}
    page = read_lines_page(lines_page(plain, TRICKY))
    (_, _, _, t0), (_, _, _, t1) = page["rows"]
    assert "张伟" in (t0 or "") and "\\ud83d" in (t1 or "")  # the pair kept escaped
    assert json.loads(t1 or "") == TRICKY


@pytest.mark.parametrize("body", [
    b'{"rows": [[1, "e", "i", 1]]}',  # a row without its line
    b'{"rows": []}\n{"a": 1}',  # a line without its row
    b'{"rows": [[1, "e", "i", 1]]}\n[1, 2]',  # a record that is not an object
    b'{"rows": [[1, "e", "i", 1]]}\n{"a": "\\u12"}',  # a broken escape
    b'[]',
])
def test_a_malformed_lines_page_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        read_lines_page(body)


def test_pulled_record_texts_are_stored_as_they_are_and_decoded_only_when_read(
        cache: LocalCache, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.local import apply_server_changes
    from tests.sync.conftest import PRINCIPAL

    page = read_lines_page(lines_page({"id": "n0", "text": "草稿", "lines": []}, TRICKY))
    seen = count_record_encodings(monkeypatch)
    decoded: list[str] = []
    real_loads = json.loads

    def counting_loads(text: Any, *args: Any, **kwargs: Any) -> Any:
        decoded.append(text)
        return real_loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting_loads)
    with cache.write() as s:
        changed = apply_server_changes(s, [((e, i), t, q) for q, e, i, t in page["rows"]],
                                       principal=PRINCIPAL, fresh=True)
    monkeypatch.setattr(json, "loads", real_loads)
    assert changed == {("notes.note", "n0"), ("notes.note", "n1")}
    assert not [v for v in seen if isinstance(v, dict)]  # nothing encoded again
    assert not decoded  # nor decoded (no projection for notes, no row before)
    _, data = stored_text(cache, ("notes.note", "n0"))
    assert data == page["rows"][0][3]
    assert cache.get("notes.note", "n1") == TRICKY == cache.get_base("notes.note", "n1")
    # The same records again, as the JSON form gives them: nothing shown changes.
    with cache.write() as s:
        again = apply_server_changes(
            s, [(("notes.note", "n0"), {"id": "n0", "text": "草稿", "lines": []}, 3),
                (("notes.note", "n1"), dict(TRICKY), 4)], principal=PRINCIPAL)
    assert again == set()
