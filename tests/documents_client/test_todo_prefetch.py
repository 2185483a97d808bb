"""The sync engine fetches the PDFs of the documents on the person's 待办 list with the
sync — most urgent first, within the blob cache's bound — and no other document's."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modules.documents.service import ENTITY, DocumentService, todo_pdf_blobs
from sync.api import ApiClient, MemoryTokenStore
from sync.blobs import BlobStore
from sync.cache import LocalCache
from sync.engine import SyncEngine
from tests.documents_client import support
from tests.sync.fakes import FakeServer


def _pdf_of(doc_id: str) -> bytes:
    return b"%PDF-1.7 " + doc_id.encode() * 40  # 9 + 40 * 14 = 569 bytes


@pytest.fixture
def records() -> list[dict[str, Any]]:
    """The demo documents, each with its own official PDF."""
    out = support.demo_records()
    for record in out:
        record["pdf_sha256"] = hashlib.sha256(_pdf_of(record["id"])).hexdigest()
    return out


@pytest.fixture
def server(records: list[dict[str, Any]]) -> FakeServer:
    srv = FakeServer()
    srv.users = {"zhangwei": "pw"}
    for record in records:
        srv.put(ENTITY, record["id"], record)
        data = _pdf_of(record["id"])
        sha = hashlib.sha256(data).hexdigest()
        srv.blobs[sha], srv.blob_totals[sha] = bytearray(data), len(data)
        srv.complete.add(sha)
    return srv


@pytest.fixture
def api(server: FakeServer) -> Iterator[ApiClient]:
    client = ApiClient("http://test", token_store=MemoryTokenStore(), transport=server.transport)
    client.login("zhangwei", "pw")
    yield client
    client.close()


def _todo(cache: LocalCache) -> list[dict[str, Any]]:
    return DocumentService(cache, None, support.ME).page("todo")


def _local(store: BlobStore) -> set[str]:
    return {p.name for p in store.directory.glob("*/*") if not p.name.endswith(".part")}


def test_the_source_lists_todo_pdfs_most_urgent_first(
        demo_cache: LocalCache, records: list[dict[str, Any]]) -> None:
    support.seed(demo_cache, records)
    sha_of = {r["id"]: r["pdf_sha256"] for r in records}
    todo = _todo(demo_cache)  # newest first
    assert len(todo) >= 3
    with demo_cache.read() as s:
        wanted = todo_pdf_blobs(s, support.ME)
    rank = {"特急": 0, "加急": 1}
    expected = [sha_of[r["id"]] for r in sorted(todo, key=lambda r: rank.get(r["urgency"], 2))]
    assert wanted == expected
    assert [r["urgency"] for r in todo if sha_of[r["id"]] in wanted[:2]] == ["特急", "加急"]
    assert len(wanted) < len(records)  # nothing off the to-do list
    with demo_cache.read() as s:
        assert todo_pdf_blobs(s, {**support.ME, "person_id": "p-9"}) == []


def test_a_sync_fetches_the_todo_pdfs_and_no_others(
        tmp_path: Path, api: ApiClient, records: list[dict[str, Any]]) -> None:
    cache = LocalCache(None)
    store = BlobStore(cache, tmp_path / "blobs")
    engine = SyncEngine(cache, api, principal=support.ME, listen=False, blobs=store)
    try:
        engine.run_cycle()  # the pull (not started: the prefetch is run by hand below)
        assert _local(store) == set()
        assert engine.prefetch_now()
        todo = {r["id"] for r in _todo(cache)}
        assert _local(store) == {r["pdf_sha256"] for r in records if r["id"] in todo}
        assert store.queue() == []
        # Opening one of them needs no network.
        svc = DocumentService(cache, engine, support.ME, blobs=store)
        doc = svc.get(sorted(todo)[0])
        assert doc is not None
        data, state = svc.pdf_for(doc)
        assert state == "blob" and data == _pdf_of(doc["id"])
    finally:
        engine.stop()
        cache.close()


def test_the_blob_cache_bound_limits_the_prefetch(
        tmp_path: Path, api: ApiClient, records: list[dict[str, Any]]) -> None:
    cache = LocalCache(None)
    store = BlobStore(cache, tmp_path / "blobs", max_bytes=2 * 569 + 100)
    engine = SyncEngine(cache, api, principal=support.ME, listen=False, blobs=store)
    try:
        engine.run_cycle()
        with cache.read() as s:
            wanted = todo_pdf_blobs(s, support.ME)
        engine.prefetch_now()
        assert _local(store) == set(wanted[:2])  # the two most urgent; the third does not fit
        assert store.total_bytes() <= store.max_bytes
    finally:
        engine.stop()
        cache.close()


def test_a_started_engine_prefetches_after_its_pull_and_stops_on_close(
        tmp_path: Path, api: ApiClient, server: FakeServer) -> None:
    cache = LocalCache(None)
    store = BlobStore(cache, tmp_path / "blobs")
    engine = SyncEngine(cache, api, principal=support.ME, listen=False, blobs=store)
    landed: list[str] = []
    store.on_ready = landed.append
    entered, gate = threading.Event(), threading.Event()
    calls: list[str] = []
    original = api.blob_get

    def held(sha256: str, start: int, write: Any) -> int:
        calls.append(sha256)
        entered.set()
        gate.wait(10)  # the first bytes are slow to come
        return original(sha256, start, write)

    api.blob_get = held  # type: ignore[method-assign]
    engine.start()
    try:
        assert entered.wait(30)  # after the pull, the first to-do PDF is on its way
        assert engine.status().pending == 0
        threading.Timer(0.2, gate.set).start()
        engine.stop()  # sign-out meanwhile: the bytes that come are not kept
        assert len(calls) == 1 and landed == [] and _local(store) == set()
    finally:
        gate.set()
        engine.stop()
        cache.close()
