"""A first sync's pages are inserted without looking their keys up first — as the engine
writes them (``insert_first_page``, falling back to ``apply_server_changes``) and through
``apply_server_changes`` alone: a key that turns out stored, a removal of a
stored record, a key twice in a page or a live intent still take the general path —
nothing applied twice, nothing lost, pending intents rebased."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from sync.cache import LocalCache
from sync.engine import SyncEngine
from sync.local import INSERT_ROWS, apply_server_changes, insert_first_page
from sync.vault import CacheKey
from tests.sync.conftest import PRINCIPAL

NOTE = "notes.note"


def lines(*states: tuple[str, dict[str, Any] | None, int]) -> list[Any]:
    """States as a page in lines gives them: each record as its JSON text."""
    return [((NOTE, rid), None if data is None else json.dumps(data), seq)
            for rid, data, seq in states]


State = tuple[str, dict[str, Any] | None, int]
Pull = Callable[..., set[Any]]


def page_rows(*states: State) -> list[Any]:
    """States as ``read_lines_page`` gives a page's rows: ``(seq, entity, id, text)``."""
    return [(seq, NOTE, rid, None if data is None else json.dumps(data))
            for rid, data, seq in states]


@pytest.fixture(params=["engine", "general"])
def pull(request: pytest.FixtureRequest) -> Pull:
    """A first sync's page written as the engine writes it, or by the general function."""
    def write(cache: LocalCache, *states: State) -> set[Any]:
        with cache.write() as s:
            if request.param == "engine":
                first = insert_first_page(s, page_rows(*states))
                if first is not None:
                    return first
            return apply_server_changes(s, lines(*states), principal=PRINCIPAL, fresh=True)
    return write


@pytest.fixture(params=["memory", "encrypted"])
def new_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalCache]:
    """An empty cache: in memory, or the product's SQLCipher file."""
    key = CacheKey(secrets.token_bytes(32), "keyring")
    c = LocalCache(None) if request.param == "memory" else LocalCache(tmp_path / "c.sqlite",
                                                                       key=key)
    yield c
    c.close()


def rows(cache: LocalCache) -> list[tuple[Any, ...]]:
    with cache.read() as s:
        return [tuple(r) for r in s.execute(text(
            "SELECT id, base, data, seq, stale, base_is_data FROM records ORDER BY id"))]


def test_a_page_of_new_records_is_inserted_once_each(new_cache: LocalCache,
        pull: Pull) -> None:
    cache = new_cache
    a, b = {"id": "a", "text": "甲"}, {"id": "b", "text": "乙"}
    assert pull(cache, ("a", a, 1), ("b", b, 2)) == {(NOTE, "a"), (NOTE, "b")}
    assert rows(cache) == [("a", None, json.dumps(a), 1, 0, 1),
                           ("b", None, json.dumps(b), 2, 0, 1)]
    assert cache.get(NOTE, "a") == a == cache.get_base(NOTE, "a")


def test_a_record_already_stored_is_updated_not_inserted_again(new_cache: LocalCache,
        pull: Pull) -> None:
    """A record that changed between two pages of the first sync comes again: the page
    that holds it is written the general way (the insert is rolled back whole)."""
    cache = new_cache
    pull(cache, ("a", {"id": "a", "text": "旧"}, 1), ("b", {"id": "b", "text": "乙"}, 2))
    new = {"id": "a", "text": "新"}
    changed = pull(cache, ("c", {"id": "c", "text": "丙"}, 3), ("a", new, 4))
    assert changed == {(NOTE, "a"), (NOTE, "c")}
    assert [r[0] for r in rows(cache)] == ["a", "b", "c"]
    assert cache.get(NOTE, "a") == new == cache.get_base(NOTE, "a")
    assert rows(cache)[0][3] == 4
    # The same page once more: nothing shown changes, nothing is duplicated.
    assert pull(cache, ("c", {"id": "c", "text": "丙"}, 3), ("a", new, 4)) == set()
    assert len(rows(cache)) == 3


def test_a_removal_of_a_stored_record_removes_it(new_cache: LocalCache, pull: Pull) -> None:
    cache = new_cache
    pull(cache, ("a", {"id": "a", "text": "甲"}, 1))
    assert pull(cache, ("a", None, 2), ("b", {"id": "b", "text": "乙"}, 3)) == {
        (NOTE, "a"), (NOTE, "b")}
    assert [r[0] for r in rows(cache)] == ["b"]
    assert cache.get(NOTE, "a") is None
    # A removal of a record never stored: nothing to remove, the rest inserted.
    assert pull(cache, ("x", None, 4), ("c", {"id": "c", "text": "丙"}, 5)) == {(NOTE, "c")}
    assert [r[0] for r in rows(cache)] == ["b", "c"]


def test_a_pending_intent_is_rebased_on_the_first_sync(
        engine: SyncEngine, cache: LocalCache, pull: Pull) -> None:
    """An edit queued before the first sync (offline) is rebased on the pulled state."""
    engine.submit("notes.append", {"id": "n1", "line": "本地"})
    assert cache.get(NOTE, "n1")["lines"] == ["本地"]  # type: ignore[index]
    server = {"id": "n1", "text": "t", "lines": ["服务器"]}
    changed = pull(cache, ("n1", server, 1), ("n2", {"id": "n2", "text": "二"}, 2))
    assert (NOTE, "n2") in changed
    assert cache.get_base(NOTE, "n1") == server
    assert cache.get(NOTE, "n1")["lines"] == ["服务器", "本地"]  # type: ignore[index]
    assert cache.get(NOTE, "n2") == {"id": "n2", "text": "二"}


def test_a_key_twice_in_a_page_is_written_once_the_later_state_kept(
        new_cache: LocalCache, pull: Pull) -> None:
    old, new = {"id": "a", "text": "旧"}, {"id": "a", "text": "新"}
    assert pull(new_cache, ("a", old, 1), ("b", {"id": "b", "text": "乙"}, 2), ("a", new, 3)) == {
        (NOTE, "a"), (NOTE, "b")}
    assert [r[0] for r in rows(new_cache)] == ["a", "b"]
    assert new_cache.get(NOTE, "a") == new


def test_the_one_pass_write_declines_and_writes_nothing_where_it_does_not_apply(
        engine: SyncEngine, cache: LocalCache) -> None:
    """What ``insert_first_page`` leaves to the general path, it leaves untouched."""
    with cache.write() as s:
        assert insert_first_page(s, page_rows(("a", {"id": "a", "text": "甲"}, 1))) == {
            (NOTE, "a")}
    before = rows(cache)
    for page in ([("b", {"id": "b", "text": "乙"}, 2), ("a", {"id": "a", "text": "新"}, 3)],
                 [("c", {"id": "c", "text": "丙"}, 4), ("a", None, 5)],  # a stored one gone
                 [("d", {"id": "d", "text": "丁"}, 6), ("d", {"id": "d", "text": "戊"}, 7)]):
        with cache.write() as s:
            assert insert_first_page(s, page_rows(*page)) is None
        assert rows(cache) == before
    engine.submit("notes.append", {"id": "n1", "line": "本地"})  # a live intent
    queued = rows(cache)
    with cache.write() as s:
        assert insert_first_page(s, page_rows(("e", {"id": "e", "text": "己"}, 8))) is None
    assert rows(cache) == queued


def test_a_page_longer_than_one_statement_is_inserted_whole_or_not_at_all(
        new_cache: LocalCache, pull: Pull) -> None:
    """Pages are inserted ``INSERT_ROWS`` rows per statement: every row of a long page
    lands, and a stored key in the page's last statement undoes the statements before it
    (the general path then writes the page)."""
    cache = new_cache
    count = 2 * INSERT_ROWS + 7
    page = [(f"r{i:05d}", {"id": f"r{i:05d}", "text": f"第{i}条"}, i + 1) for i in range(count)]
    assert len(pull(cache, *page)) == count
    stored = rows(cache)
    assert [r[0] for r in stored] == [rid for rid, _data, _seq in page]
    assert stored[-1] == (page[-1][0], None, json.dumps(page[-1][1]), count, 0, 1)
    # A next page whose last row is a record already stored.
    later = [(f"s{i:05d}", {"id": f"s{i:05d}", "text": "新"}, count + i + 1)
             for i in range(INSERT_ROWS + 3)]
    again = ("r00000", {"id": "r00000", "text": "改"}, 2 * count + 10)
    with cache.write() as s:
        assert insert_first_page(s, page_rows(*later, again)) is None
    assert len(rows(cache)) == count  # nothing of it written
    assert len(pull(cache, *later, again)) == len(later) + 1
    assert len(rows(cache)) == count + len(later)
    assert cache.get(NOTE, "r00000") == again[1]


@pytest.mark.parametrize("texts", [
    ['{"id":"a"}', "[1]"], ['{"id":"a"}', ""], ["x{}", '{"id":"b"}'], ['{"id":"a"}', "{"],
    ['{"id":"a"}x', '{"id":"b"}'], ['{"id":"a"}', '{"id":"b"}', '{"id":"c"}'], ['{"id":"a"}'],
])
def test_a_page_whose_lines_are_not_one_object_each_is_refused(texts: list[str]) -> None:
    from sync.encoded import read_lines_page

    head = json.dumps({"rows": [[1, NOTE, "a", 1], [2, NOTE, "b", 1]], "cursor": "c",
                       "has_more": False})
    with pytest.raises(ValueError):
        read_lines_page("\n".join([head, *texts]).encode())
    good = read_lines_page("\n".join([head, '{"id":"a"}', '{"id":"b"}']).encode())
    assert good["rows"] == [(1, NOTE, "a", '{"id":"a"}'), (2, NOTE, "b", '{"id":"b"}')]
