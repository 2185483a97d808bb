"""A blob download reports its progress (bytes so far, the resumed part included) to
``BlobStore.on_progress``; a listener that raises never breaks the download."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from modules.common.errors import Offline
from sync.api import ApiClient
from sync.blobs import BlobStore
from sync.cache import LocalCache
from tests.sync.fakes import FakeServer


@pytest.fixture()
def store(tmp_path: Path, cache: LocalCache) -> BlobStore:
    return BlobStore(cache, tmp_path / "blobs", chunk_bytes=1000)


def _serve(server: FakeServer, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    server.blobs[sha], server.blob_totals[sha] = bytearray(data), len(data)
    server.complete.add(sha)
    return sha


def test_progress_counts_up_to_the_size_across_a_resume(
        store: BlobStore, api: ApiClient, server: FakeServer) -> None:
    data = b"material " * 600
    sha = _serve(server, data)
    seen: list[tuple[str, int]] = []
    store.on_progress = lambda s, n: seen.append((s, n))
    store.request_download(sha)
    server.fail_blob_get_after = 2000
    with pytest.raises(Offline):
        store.process_downloads(api, threading.Event())
    assert seen and seen[-1] == (sha, 2000)
    first = len(seen)
    store.process_downloads(api, threading.Event())
    resumed = [n for _, n in seen[first:]]
    assert resumed[0] > 2000 and resumed[-1] == len(data)  # counted from the part on disk
    assert resumed == sorted(resumed)
    assert store.path(sha) is not None


def test_a_failing_listener_does_not_stop_the_download(
        store: BlobStore, api: ApiClient, server: FakeServer) -> None:
    data = b"x" * 3000
    sha = _serve(server, data)

    def broken(_sha: str, _n: int) -> None:
        raise RuntimeError("screen went away")

    store.on_progress = broken
    store.request_download(sha)
    store.process_downloads(api, threading.Event())
    path = store.path(sha)
    assert path is not None and path.read_bytes() == data
