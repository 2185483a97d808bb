"""Blobs fetched ahead of need: what registered sources want, within the cache's bound,
never evicting for it, stepping aside for pushes and pulls, stopping on close, and
picking up again after the network comes back."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from modules.common.errors import Offline
from sync import blobs as blob_module
from sync.api import ApiClient
from sync.blobs import BlobStore, register_prefetch
from sync.cache import LocalCache
from sync.engine import SyncEngine
from tests.sync.conftest import PRINCIPAL
from tests.sync.fakes import FakeServer

WANTED: list[str] = []


def _wanted(_session: Session, _principal: Mapping[str, Any]) -> list[str]:
    return list(WANTED)


@pytest.fixture(autouse=True)
def source(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Only this test source is registered while a test runs; it wants ``WANTED``."""
    monkeypatch.setattr(blob_module, "_prefetch_sources", [])
    register_prefetch(_wanted)
    WANTED.clear()
    yield WANTED
    WANTED.clear()


def _serve(server: FakeServer, payload: bytes) -> str:
    sha = hashlib.sha256(payload).hexdigest()
    server.blobs[sha], server.blob_totals[sha] = bytearray(payload), len(payload)
    server.complete.add(sha)
    return sha


def _local(store: BlobStore, sha: str) -> bool:
    return store.path(sha, touch=False) is not None


def _slow(api: ApiClient, server: FakeServer, pause: float, chunk: int = 100) -> list[str]:
    """Make blob downloads arrive ``chunk`` bytes every ``pause`` seconds (the write
    callback sees every chunk, as with a real slow link); returns the shas started."""
    started: list[str] = []

    def blob_get(sha256: str, start: int, write: Callable[[bytes], object]) -> int:
        started.append(sha256)
        data = bytes(server.blobs[sha256])[start:]
        for i in range(0, len(data), chunk):
            time.sleep(pause)
            write(data[i:i + chunk])
        return len(data)

    api.blob_get = blob_get  # type: ignore[method-assign]
    return started


def test_prefetch_fetches_what_is_wanted_within_the_bound(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b", max_bytes=2700)
    opened = _serve(server, b"o" * 500)
    store.request_download(opened)
    store.process_downloads(api, threading.Event())  # a person opened this one
    a, b, c, d = (_serve(server, bytes([ch]) * n)
                  for ch, n in ((97, 1000), (98, 1000), (99, 1000), (100, 200)))
    other = _serve(server, b"not wanted" * 10)
    WANTED.extend([a, b, c, d])

    assert store.prefetch(api, blob_module.prefetch_wanted(cache, PRINCIPAL), threading.Event())
    # a and b fit (500 + 2000); c would need room and is skipped; the smaller d fits.
    assert [_local(store, s) for s in (a, b, c, d)] == [True, True, False, True]
    assert _local(store, opened) and not _local(store, other)
    assert store.total_bytes() == 2700
    assert store.queue() == []  # prefetching queues nothing a person would see


def test_prefetch_skips_what_does_not_fit_and_takes_smaller_ones(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b", max_bytes=1500)
    big, small = _serve(server, b"B" * 2000), _serve(server, b"s" * 300)
    WANTED.extend([big, small])
    assert store.prefetch(api, list(WANTED), threading.Event())
    assert not _local(store, big) and _local(store, small)


def test_an_explicit_download_evicts_prefetched_blobs_before_opened_ones(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b", max_bytes=2500)
    opened = _serve(server, b"o" * 1000)
    store.request_download(opened)
    store.process_downloads(api, threading.Event())
    ahead = _serve(server, b"p" * 1000)
    WANTED.append(ahead)
    store.prefetch(api, list(WANTED), threading.Event())
    assert _local(store, ahead)
    # Someone opens another document: the room comes from the blob fetched ahead of time
    # and never opened, although the opened one is older.
    later = _serve(server, b"n" * 1000)
    store.request_download(later)
    store.process_downloads(api, threading.Event())
    assert _local(store, opened) and _local(store, later) and not _local(store, ahead)


def test_opening_a_prefetched_blob_makes_it_count_as_used(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b", max_bytes=2500)
    first, second = _serve(server, b"1" * 1000), _serve(server, b"2" * 1000)
    WANTED.extend([first, second])
    store.prefetch(api, list(WANTED), threading.Event())
    assert store.path(first) is not None  # opened by a person
    later = _serve(server, b"n" * 1000)
    store.request_download(later)
    store.process_downloads(api, threading.Event())
    assert _local(store, first) and not _local(store, second)


def test_prefetch_stops_when_told_and_resumes_a_half_fetched_blob(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b")
    one, two = _serve(server, b"1" * 1000), _serve(server, b"2" * 1000)
    WANTED.extend([one, two])
    stop = threading.Event()
    stop.set()
    assert not store.prefetch(api, list(WANTED), stop)
    assert not _local(store, one) and not _local(store, two)

    _slow(api, server, 0.0)
    got: list[int] = []
    store.on_progress = lambda sha, n: got.append(n)
    # Other work comes in after 300 bytes of the first blob: the pass steps aside.
    assert not store.prefetch(api, list(WANTED), threading.Event(), lambda: len(got) >= 3)
    part = store.directory / one[:2] / f"{one}.part"
    assert part.stat().st_size == 300 and not _local(store, one)
    got.clear()
    assert store.prefetch(api, list(WANTED), threading.Event())
    assert _local(store, one) and _local(store, two) and not part.exists()
    assert got[0] == 400  # resumed at byte 300, not from the start


def test_prefetch_errors_skip_the_blob_and_are_retried_later(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b")
    missing = hashlib.sha256(b"not uploaded yet").hexdigest()
    good = _serve(server, b"good" * 100)
    WANTED.extend([missing, good, "not-a-sha"])
    assert store.prefetch(api, blob_module.prefetch_wanted(cache, PRINCIPAL), threading.Event())
    assert _local(store, good) and not _local(store, missing)
    _serve(server, b"not uploaded yet")  # the uploader finishes
    store.prefetch(api, list(WANTED[:2]), threading.Event())
    assert not _local(store, missing)  # not asked again at once
    store.prefetch_retry_seconds = 0
    store._retry_at.clear()
    assert store.prefetch(api, list(WANTED[:2]), threading.Event())
    assert _local(store, missing)


def test_a_failing_source_is_logged_and_the_others_still_count(
        cache: LocalCache, caplog: pytest.LogCaptureFixture) -> None:
    def broken(_s: Session, _p: Mapping[str, Any]) -> list[str]:
        raise RuntimeError("bug in a feature")

    register_prefetch(broken)
    sha = hashlib.sha256(b"x").hexdigest()
    WANTED.extend([sha, sha])
    assert blob_module.prefetch_wanted(cache, PRINCIPAL) == [sha]
    assert "prefetch source" in caplog.text


def test_engine_prefetches_after_a_pull_and_resumes_after_offline(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b")
    engine = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, blobs=store)
    sha = _serve(server, b"%PDF to-do" * 50)
    WANTED.append(sha)
    server.offline = True
    assert not engine.prefetch_now()  # no exception: the status says offline
    assert not engine.status().online and not _local(store, sha)
    server.offline = False
    engine.start()
    try:
        assert engine.wait_idle(30, prefetch=True)
        assert _local(store, sha) and engine.status().online
    finally:
        engine.stop()


def test_a_push_does_not_wait_for_a_prefetch_and_close_stops_it(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b")
    engine = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, blobs=store)
    big = _serve(server, b"P" * 20_000)  # 200 chunks of 100 bytes, 20 ms each: 4 s
    WANTED.append(big)
    started = _slow(api, server, 0.02)
    engine.start()
    try:
        part = store.directory / big[:2] / f"{big}.part"

        def part_size() -> int:
            return part.stat().st_size if part.exists() else 0

        deadline = time.monotonic() + 10
        while part_size() < 500 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert started == [big]
        t = time.monotonic()
        engine.submit("notes.set", {"id": "n1", "text": "急件批示"})
        assert engine.wait_idle(10)
        assert time.monotonic() - t < 1.5  # not after the 4 s download
        assert ("notes.note", "n1") in server.entities
        stepped_aside = part_size()
        assert not _local(store, big) and stepped_aside >= 500
        # After the push and its pull the prefetch carries on from where it was.
        while part_size() < stepped_aside + 500 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(started) == 2 and part_size() >= stepped_aside + 500
        t = time.monotonic()
        engine.stop()
        assert time.monotonic() - t < 1.0
        assert 0 < part_size() < 20_000 and not _local(store, big)
    finally:
        engine.stop()


def test_a_started_engine_ignores_offline_errors_raised_by_prefetch(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = BlobStore(cache, tmp_path / "b")
    engine = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, blobs=store)
    WANTED.append(_serve(server, b"z" * 10))

    def offline(_sha: str) -> dict[str, Any] | None:
        raise Offline("offline")

    monkeypatch.setattr(api, "blob_status", offline)
    engine.start()
    try:
        assert engine.wait_idle(30, prefetch=True)
        assert not engine.status().online  # said in the status, retried with backoff
        # The worker lives on: the next intent still goes out.
        engine.submit("notes.set", {"id": "n2", "text": "照常推送"})
        assert engine.wait_idle(30)
        assert ("notes.note", "n2") in server.entities
    finally:
        engine.stop()


def test_discard_removes_a_local_copy_but_never_a_pinned_one(
        tmp_path: Path, cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    store = BlobStore(cache, tmp_path / "b")
    pinned = store.add_bytes(b"waiting for upload")
    fetched = _serve(server, b"fetched" * 10)
    WANTED.append(fetched)
    store.prefetch(api, list(WANTED), threading.Event())
    assert store.discard(fetched) and not _local(store, fetched)
    assert store.total_bytes() == len(b"waiting for upload")
    assert not store.discard(pinned) and _local(store, pinned)
    assert not store.discard(fetched)
