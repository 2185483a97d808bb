"""A record equal to its server state is stored once (records.base_is_data, schema 2);
the server state is still there for conflicts and rebase when a local edit changes it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import text

from sync.api import ApiClient
from sync.cache import SCHEMA_VERSION, LocalCache
from sync.engine import SyncEngine
from tests.sync.conftest import PRINCIPAL
from tests.sync.fakes import FakeServer

NOTE = "notes.note"


def columns(cache: LocalCache, rid: str) -> tuple[str | None, str | None, int]:
    with cache.read() as s:
        row = s.execute(text("SELECT base, data, base_is_data FROM records "
                             "WHERE entity = :e AND id = :i"), {"e": NOTE, "i": rid}).one()
    return row[0], row[1], row[2]


def test_a_local_edit_keeps_the_server_state_and_settles_back_to_one_copy(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    server.put(NOTE, "n1", {"id": "n1", "text": "服务器", "by": "p-9", "lines": ["一"]})
    engine.run_cycle({"pull"})
    base, data, once = columns(cache, "n1")
    assert (base, once) == (None, 1) and data is not None

    engine.submit("notes.append", {"id": "n1", "line": "二"})  # queued, not pushed yet
    base, data, once = columns(cache, "n1")
    assert once == 0 and base is not None
    assert cache.get_base(NOTE, "n1") == {"id": "n1", "text": "服务器", "by": "p-9",
                                          "lines": ["一"]}
    assert cache.get(NOTE, "n1")["lines"] == ["一", "二"]  # type: ignore[index]


def test_a_pulled_change_under_a_pending_edit_is_rebased_on_the_new_server_state(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    server.put(NOTE, "n1", {"id": "n1", "text": "t", "lines": ["一"]})
    engine.run_cycle({"pull"})
    engine.submit("notes.append", {"id": "n1", "line": "本地"})  # queued, not pushed yet
    server.put(NOTE, "n1", {"id": "n1", "text": "t", "lines": ["一", "服务器"]})
    engine.run_cycle({"pull"})
    assert cache.get_base(NOTE, "n1")["lines"] == ["一", "服务器"]  # type: ignore[index]
    assert cache.get(NOTE, "n1")["lines"] == ["一", "服务器", "本地"]  # type: ignore[index]
    engine.run_cycle()  # pushed, applied, pulled back: one copy again
    assert cache.get(NOTE, "n1") == cache.get_base(NOTE, "n1")
    assert columns(cache, "n1")[0::2] == (None, 1)


def test_a_schema_1_cache_is_migrated_in_place_not_rebuilt(
        tmp_path: Path, api: ApiClient, server: FakeServer) -> None:
    path = tmp_path / "c.sqlite"
    cache = LocalCache(path)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    server.put(NOTE, "n1", {"id": "n1", "text": "旧", "lines": []})
    eng.run_cycle()
    mid = eng.submit("notes.set", {"id": "n2", "text": "离线草稿"})
    cursor = cache.meta_get("cursor")
    cache.close()
    # The layout of schema 1: both copies written out, no base_is_data column.
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE records SET base = data WHERE base_is_data")
        conn.execute("ALTER TABLE records DROP COLUMN base_is_data")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.close()

    reopened = LocalCache(path)
    assert not reopened.rebuilt and reopened.recovery is None
    assert reopened.meta_get("schema_version") == SCHEMA_VERSION == 2
    assert reopened.meta_get("cursor") == cursor  # nothing to pull again
    assert reopened.get_base(NOTE, "n1") == reopened.get(NOTE, "n1") == {
        "id": "n1", "text": "旧", "lines": []}
    assert columns(reopened, "n1")[2] == 0  # schema 1's rows stay as they were
    eng2 = SyncEngine(reopened, api, principal=PRINCIPAL, listen=False)
    assert eng2.status().pending == 1
    server.put(NOTE, "n1", {"id": "n1", "text": "新", "lines": []})
    eng2.run_cycle()
    assert server.applied[mid]["status"] == "applied"
    assert reopened.get(NOTE, "n1")["text"] == "新"  # type: ignore[index]
    assert columns(reopened, "n1")[0::2] == (None, 1)  # stored once from its next pull
    reopened.close()
