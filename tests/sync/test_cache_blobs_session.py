"""Cache files (WAL, rebuild on corruption or old schema), blobs, SSE parsing, sessions."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pytest

from modules.common.errors import AuthenticationFailed, Offline
from sync.api import ApiClient, MemoryTokenStore, _parse_sse
from sync.blobs import BlobStore
from sync.cache import SCHEMA_VERSION, LocalCache
from sync.credentials import SERVICE, key_for
from sync.engine import SyncEngine
from sync.session import ClientSession
from tests.sync.conftest import PRINCIPAL
from tests.sync.fakes import FakeServer, MemoryKeyring

# -- cache file -------------------------------------------------------------------


def test_cache_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c.sqlite")
    with cache.read() as s:
        assert s.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert s.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert cache.meta_get("schema_version") == SCHEMA_VERSION
    cache.close()


def test_corrupt_cache_is_rebuilt_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = LocalCache(path)
    assert cache.rebuilt
    assert cache.meta_get("cursor") is None and cache.count() == 0
    assert [p.name.split(".broken-")[0] for p in tmp_path.glob("*.broken-*")] == ["c.sqlite"]
    assert cache.recovery is not None and cache.recovery.broken_files
    cache.close()


def test_old_schema_is_rebuilt_and_pending_intents_salvaged(
        tmp_path: Path, api: ApiClient, server: FakeServer) -> None:
    path = tmp_path / "c.sqlite"
    cache = LocalCache(path)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    mid = eng.submit("notes.set", {"id": "n1", "text": "离线草稿"})
    cache.meta_set("schema_version", 0)  # a version no migration knows
    cache.meta_set("cursor", "7")
    cache.close()

    reopened = LocalCache(path)
    assert reopened.rebuilt
    assert reopened.meta_get("cursor") is None  # pull from scratch
    eng2 = SyncEngine(reopened, api, principal=PRINCIPAL, listen=False)
    assert eng2.status().pending == 1
    eng2.run_cycle()
    assert server.applied[mid]["status"] == "applied"
    assert reopened.get("notes.note", "n1")["text"] == "离线草稿"
    reopened.close()


def test_concurrent_submits_from_threads_all_land(tmp_path: Path, api: ApiClient) -> None:
    cache = LocalCache(tmp_path / "c.sqlite")
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)

    def work(n: int) -> None:
        for i in range(20):
            eng.submit("notes.append", {"id": "n1", "line": f"{n}-{i}"})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache.get("notes.note", "n1")["lines"]) == 80
    assert eng.status().pending == 80
    cache.close()


# -- SSE ------------------------------------------------------------------------------


def test_sse_parser_handles_comments_multiline_and_events() -> None:
    lines = [": keepalive", "", "event: poke", 'data: {"seq": 5}', "", "data: a",
             "data: b", "", "event: poke", "data:{\"seq\":6}", ""]
    assert list(_parse_sse(iter(lines))) == [
        {"event": "poke", "data": {"seq": 5}},
        {"event": "message", "data": "a\nb"},
        {"event": "poke", "data": {"seq": 6}},
    ]


# -- blobs ----------------------------------------------------------------------------


@pytest.fixture()
def store(tmp_path: Path, cache: LocalCache) -> BlobStore:
    return BlobStore(cache, tmp_path / "blobs", chunk_bytes=1000)


def test_upload_resumes_from_server_received(
        store: BlobStore, api: ApiClient, server: FakeServer) -> None:
    data = bytes(range(256)) * 20  # 5120 bytes -> 6 chunks of 1000
    sha = store.add_bytes(data)
    # An earlier attempt got 2000 bytes across before the connection died.
    server.blobs[sha] = bytearray(data[:2000])
    server.blob_totals[sha] = len(data)
    calls: list[int] = []
    original = api.blob_put

    def counting(sha256: str, offset: int, total: int, chunk: bytes) -> dict:
        calls.append(offset)
        return original(sha256, offset, total, chunk)

    api.blob_put = counting  # type: ignore[method-assign]
    store.process_uploads(api, threading.Event())
    assert calls == [2000, 3000, 4000, 5000]
    assert sha in server.complete and bytes(server.blobs[sha]) == data
    assert store.queue() == []


def test_download_resumes_with_range_and_verifies(
        store: BlobStore, api: ApiClient, server: FakeServer) -> None:
    data = b"attachment-" * 500
    sha = hashlib.sha256(data).hexdigest()
    server.blobs[sha], server.blob_totals[sha] = bytearray(data), len(data)
    server.complete.add(sha)
    assert store.request_download(sha)
    server.fail_blob_get_after = 1234
    with pytest.raises(Offline):
        store.process_downloads(api, threading.Event())
    assert store.path(sha) is None  # not visible until complete and verified
    part = store.directory / sha[:2] / f"{sha}.part"
    assert part.stat().st_size == 1234
    store.process_downloads(api, threading.Event())
    path = store.path(sha)
    assert path is not None and path.read_bytes() == data
    assert not part.exists() and store.queue() == []


def test_download_with_wrong_hash_is_refused(
        store: BlobStore, api: ApiClient, server: FakeServer) -> None:
    data = b"contract text " * 100
    sha = hashlib.sha256(data).hexdigest()
    server.blobs[sha], server.blob_totals[sha] = bytearray(data), len(data)
    server.complete.add(sha)
    server.corrupt_downloads = True
    store.request_download(sha)
    store.process_downloads(api, threading.Event())
    assert store.path(sha) is None
    [row] = store.queue()
    assert row["state"] == "failed" and row["error"]["code"] == "blob.hash_mismatch"
    assert not list(store.directory.glob("*/*.part"))


def test_eviction_is_lru_and_spares_pinned(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b", max_bytes=2500)
    pinned = store.add_bytes(b"p" * 1000)  # waiting for upload: never evicted
    blobs = []
    for ch in b"abc":
        payload = bytes([ch]) * 1000
        sha = hashlib.sha256(payload).hexdigest()
        server.blobs[sha], server.blob_totals[sha] = bytearray(payload), 1000
        server.complete.add(sha)
        store.request_download(sha)
        blobs.append(sha)
    store.process_downloads(api, threading.Event())  # evicts as it goes
    assert store.path(pinned) is not None
    assert store.path(blobs[0]) is None and store.path(blobs[1]) is None
    assert store.path(blobs[2]) is not None
    assert store.total_bytes() <= 2500


def test_engine_uploads_blobs_before_pushing(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b")
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, blobs=store)
    sha = store.add_bytes(b"%PDF-1.7 ...")

    @server.mutation("notes.attach")
    def _attach(srv: FakeServer, args: dict) -> None:
        assert args["sha256"] in srv.complete  # the file is there before the intent

    eng.submit("notes.attach", {"sha256": sha})
    eng.run_cycle()
    assert eng.status().pending == 0 and eng.status().rejected == ()


# -- credentials and session ------------------------------------------------------


def test_session_login_offline_entry_and_logout(
        tmp_path: Path, server: FakeServer, memory_keyring: MemoryKeyring) -> None:
    session = ClientSession(tmp_path, transport=server.transport, start_engine=False)
    principal = session.login("http://test", "zhangwei", "secret-1")
    assert principal["person_id"] == "p-1" and principal["roles"] == ["staff"]
    assert principal["body_ids"] == ["b-1"]
    refresh = memory_keyring.secrets[(SERVICE, key_for("http://test", "zhangwei"))]
    assert refresh.startswith("r")
    # Nothing token-like is written to the data directory.
    for f in tmp_path.rglob("*"):
        if f.is_file():
            assert refresh.encode() not in f.read_bytes()
    assert session.engine is not None
    session.engine.submit("notes.set", {"id": "n1", "text": "x"})
    session.close()

    server.offline = True
    with pytest.raises(Offline):
        session.login("http://test", "zhangwei", "secret-1")
    with pytest.raises(AuthenticationFailed):
        session.sign_in("http://test", "zhangwei", "wrong")
    principal = session.sign_in("http://test", "zhangwei", "secret-1")
    assert session.offline_entry and principal["name"] == "张伟"
    assert session.engine is not None and session.engine.status().pending == 1

    server.offline = False
    session.engine.run_cycle()  # refresh token from the keyring gets a new access token
    assert session.engine.status().pending == 0
    assert server.refresh_calls == 1

    rotated = memory_keyring.secrets[(SERVICE, key_for("http://test", "zhangwei"))]
    session.logout()
    assert rotated in server.revoked
    assert (SERVICE, key_for("http://test", "zhangwei")) not in memory_keyring.secrets


def test_offline_entry_without_profile_says_so(tmp_path: Path, memory_keyring: MemoryKeyring
                                               ) -> None:
    session = ClientSession(tmp_path, start_engine=False)
    with pytest.raises(AuthenticationFailed) as info:
        session.resume_offline("http://nowhere", "lisi")
    assert "lisi" in info.value.message("zh_CN")


def test_api_without_token_store_refresh_reports_not_signed_in(server: FakeServer) -> None:
    api = ApiClient("http://test", token_store=MemoryTokenStore(), transport=server.transport)
    with pytest.raises(AuthenticationFailed) as info:
        api.me()
    assert info.value.code == "sync.not_signed_in"


def test_unreachable_server_is_offline() -> None:
    api = ApiClient("http://127.0.0.1:9", timeout=2.0)
    with pytest.raises(Offline):
        api.login("a", "b")
    api.close()


def test_sqlite_file_is_readable_by_plain_sqlite(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "c.sqlite")
    cache.meta_set("cursor", "42")
    cache.close()
    conn = sqlite3.connect(tmp_path / "c.sqlite")
    assert conn.execute("SELECT value FROM meta WHERE key='cursor'").fetchone() == ('"42"',)
    conn.close()


def test_started_engine_transfers_blobs_when_queued(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b")
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, blobs=store)
    eng.start()
    try:
        assert eng.wait_idle(30)
        sha = store.add_bytes(b"minutes of the meeting")
        assert eng.wait_idle(30)
        assert sha in server.complete and store.queue() == []
        other = hashlib.sha256(b"from elsewhere").hexdigest()
        server.blobs[other], server.blob_totals[other] = bytearray(b"from elsewhere"), 14
        server.complete.add(other)
        store.request_download(other)
        assert eng.wait_idle(30)
        assert store.path(other).read_bytes() == b"from elsewhere"
    finally:
        eng.stop()
