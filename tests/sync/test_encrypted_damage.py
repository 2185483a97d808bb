"""Encryption at rest keeps the cache's damage tolerance (issue 12).

The encrypted outbox journal must behave as the plain one did: a torn last line is still
applied when whole and reported by name when cut short; a damaged line is named; a lost
cache is rebuilt with its queue from the journal. Planted lines (plain, or sealed under
another key) are not taken. Sealed blob files resume downloads from whole segments and
a changed file is never served.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from modules.common.errors import Offline
from sync import blobcrypt
from sync.api import ApiClient
from sync.blobs import BlobStore
from sync.cache import LocalCache, journal_path, outbox
from sync.engine import SyncEngine
from sync.outbox import _aead, encode_line, read_journal
from sync.vault import CacheKey
from tests.sync.conftest import PRINCIPAL
from tests.sync.fakes import FakeServer

SECRET = "离线草稿的正文绝不落盘明文"


def _key() -> CacheKey:
    return CacheKey(secrets.token_bytes(32), "keyring")


def _offline_api() -> ApiClient:
    server = FakeServer()
    server.offline = True
    return ApiClient("http://test", transport=server.transport)


def _queued(cache: LocalCache) -> list[str]:
    with cache.read() as s:
        return list(s.execute(select(outbox.c.mutation_id).where(
            outbox.c.state.in_(("pending", "inflight"))).order_by(outbox.c.order)).scalars())


def _make(path: Path, key: CacheKey, n: int = 3) -> list[str]:
    cache = LocalCache(path, key=key)
    cache.meta_set("principal", PRINCIPAL)
    eng = SyncEngine(cache, _offline_api(), principal=PRINCIPAL, listen=False)
    ids = [eng.submit("notes.set", {"id": f"n{i}", "text": f"{SECRET} {i}"}) for i in range(n)]
    cache.close()
    return ids


def test_the_journal_is_sealed_and_a_torn_last_line_is_handled_as_before(tmp_path: Path) -> None:
    key = _key()
    path = tmp_path / "cache.sqlite"
    ids = _make(path, key)
    jp = journal_path(path)
    data = jp.read_bytes()
    assert SECRET.encode() not in data and b'"id":"n0"' not in data
    # The last line loses its newline only: the record is whole and still counts.
    jp.write_bytes(data[:-1])
    state = read_journal(jp, key=key, accept_plain=False)
    assert list(state.rows) == ids and not state.damaged
    # Cut in the middle of the sealed part: reported by the name in its clear header.
    jp.write_bytes(data[:-40])
    state = read_journal(jp, key=key, accept_plain=False)
    assert list(state.rows) == ids[:-1]
    assert [(d.mutation_id, d.name) for d in state.damaged] == [(ids[-1], "notes.set")]


def test_a_lost_cache_is_rebuilt_with_its_queue_from_the_sealed_journal(tmp_path: Path) -> None:
    key = _key()
    path = tmp_path / "cache.sqlite"
    ids = _make(path, key)
    with open(path, "r+b") as fh:
        fh.seek(4096 + 100)
        fh.write(b"\x00" * 64)  # a page that fails its SQLCipher HMAC
    cache = LocalCache(path, key=key)
    try:
        assert cache.rebuilt and _queued(cache) == ids
        assert cache.meta_get("principal") == PRINCIPAL
        with cache.read() as s:
            args = [r for r in s.execute(select(outbox.c.args).order_by(outbox.c.order)).scalars()]
        assert args[0]["text"] == f"{SECRET} 0"
    finally:
        cache.close()
    for p in tmp_path.iterdir():  # the damaged copy kept for support is still encrypted
        if p.is_file():
            assert SECRET.encode() not in p.read_bytes(), p.name


def test_a_wrong_key_never_opens_and_planted_lines_are_not_taken(tmp_path: Path) -> None:
    key = _key()
    path = tmp_path / "cache.sqlite"
    ids = _make(path, key)
    jp = journal_path(path)
    planted = {"t": "put", "row": {"order": 99, "mutation_id": "planted", "name": "notes.set",
                                   "args": {"id": "x", "text": "evil"}, "state": "pending",
                                   "error": None, "created_at": "2026-12-01T00:00:00+00:00"}}
    with open(jp, "ab") as fh:
        fh.write(encode_line(planted))  # plain
        fh.write(encode_line(planted, _aead(_key())))  # sealed under another key
    state = read_journal(jp, key=key, accept_plain=False)
    assert list(state.rows) == ids and "planted" not in state.rows
    assert [d.mutation_id for d in state.damaged] == ["planted", "planted"]
    assert read_journal(jp, key=_key(), accept_plain=False).rows == {}


def test_sealed_blobs_resume_downloads_and_refuse_a_changed_file(
        tmp_path: Path, server: FakeServer, api: ApiClient) -> None:
    cache = LocalCache(tmp_path / "cache.sqlite", key=_key())
    store = BlobStore(cache, tmp_path / "blobs", chunk_bytes=1000)
    try:
        data = (SECRET.encode() + bytes(range(256))) * 700  # ~190 KiB: several segments
        sha = hashlib.sha256(data).hexdigest()
        server.blobs[sha], server.blob_totals[sha] = bytearray(data), len(data)
        server.complete.add(sha)
        store.request_download(sha)
        server.fail_blob_get_after = 150_000
        with pytest.raises(Offline):
            store.process_downloads(api, threading.Event())
        part = store.directory / sha[:2] / f"{sha}.part"
        held = (part.stat().st_size - blobcrypt.HEADER) // blobcrypt.SEALED_SEGMENT
        assert held == 2 and part.stat().st_size == blobcrypt.HEADER + 2 * blobcrypt.SEALED_SEGMENT
        server.fail_blob_get_after = None
        asked: list[int] = []
        original = api.blob_get

        def counting(sha256: str, start: int, write: Callable[[bytes], object]) -> int:
            asked.append(start)
            return original(sha256, start, write)

        api.blob_get = counting  # type: ignore[method-assign]
        store.process_downloads(api, threading.Event())
        assert asked == [2 * blobcrypt.SEGMENT]  # resumed from the whole segments
        final = store.path(sha)
        assert final is not None and blobcrypt.is_sealed(final)
        assert SECRET.encode() not in final.read_bytes()
        assert final.stat().st_size == blobcrypt.sealed_size(len(data))
        assert store.total_bytes() == final.stat().st_size  # the bound counts disk bytes
        assert store.read_bytes(sha) == data
        # Upload side: ranges are read from the sealed file.
        assert blobcrypt.read_range(final, cache.key, 65_530, 20) == data[65_530:65_550]  # type: ignore[arg-type]
        raw = bytearray(final.read_bytes())
        raw[blobcrypt.HEADER + 10] ^= 1
        final.write_bytes(bytes(raw))
        assert store.read_bytes(sha) is None and store.path(sha) is None
        copy = store.open_copy(sha, "x.pdf")
        assert copy is None
    finally:
        store.close()
        cache.close()


def test_open_copies_are_removed_when_the_store_closes(tmp_path: Path) -> None:
    cache = LocalCache(tmp_path / "cache.sqlite", key=_key())
    store = BlobStore(cache, tmp_path / "blobs")
    try:
        sha = store.add_bytes(SECRET.encode())
        copy = store.open_copy(sha, "现场照片.jpg")
        assert copy is not None and copy.name == "现场照片.jpg"
        assert copy.read_bytes() == SECRET.encode()
    finally:
        store.close()
        cache.close()
    assert not copy.exists()
    for p in tmp_path.rglob("*"):
        if p.is_file():
            assert SECRET.encode() not in p.read_bytes(), p


def test_offline_a_key_that_cannot_be_had_never_rekeys_the_copy(
        tmp_path: Path, memory_keyring: object) -> None:
    import keyring
    from keyring.backends import fail

    from modules.common.errors import AuthenticationFailed
    from sync.vault import open_key

    folder = tmp_path / "acct"
    opened = open_key(folder, "http://srv", "li", None, create=True)
    ids = _make(folder / "cache.sqlite", opened.key)
    vault_before = (folder / "vault.json").read_bytes()
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # the keyring went away
    try:
        with pytest.raises(AuthenticationFailed) as locked:
            open_key(folder, "http://srv", "li", "some-password", create=False)
        assert locked.value.code == "sync.vault_locked"
    finally:
        keyring.set_keyring(previous)
    assert (folder / "vault.json").read_bytes() == vault_before
    cache = LocalCache(folder / "cache.sqlite", key=open_key(
        folder, "http://srv", "li", None, create=False).key)
    try:
        assert not cache.rebuilt and _queued(cache) == ids
    finally:
        cache.close()


def _legacy_folder(data_dir: Path, password: str) -> Path:
    """An account folder as a version before encryption left it (plain cache)."""
    from sync.session import _hasher, account_slug

    folder = data_dir / "accounts" / account_slug("http://srv", "li")
    plain = LocalCache(folder / "cache.sqlite")
    plain.meta_set("principal", PRINCIPAL)
    plain.meta_set("offline_verifier", _hasher().hash(password))
    plain.close()
    return folder


def test_a_copy_from_before_encryption_opens_offline_and_is_encrypted(
        tmp_path: Path, memory_keyring: object) -> None:
    from sync.session import ClientSession

    folder = _legacy_folder(tmp_path, "pw-1")
    session = ClientSession(tmp_path, engine_options={"listen": False}, start_engine=False)
    assert session.resume_offline("http://srv", "li")["person_id"] == PRINCIPAL["person_id"]
    assert session.cache is not None and session.cache.key is not None
    session.close()
    with open(folder / "cache.sqlite", "rb") as fh:
        assert not fh.read(16).startswith(b"SQLite format 3")


def test_without_a_keyring_a_mistyped_password_does_not_key_an_old_copy(tmp_path: Path) -> None:
    import keyring
    from keyring.backends import fail

    from modules.common.errors import AuthenticationFailed
    from sync.session import ClientSession

    folder = _legacy_folder(tmp_path, "pw-1")
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        session = ClientSession(tmp_path, engine_options={"listen": False}, start_engine=False)
        with pytest.raises(AuthenticationFailed) as wrong:
            session.resume_offline("http://srv", "li", "pw-typo")
        assert wrong.value.code == "auth.invalid_credentials"
        assert not (folder / "vault.json").exists()
        assert session.resume_offline("http://srv", "li", "pw-1")["name"] == PRINCIPAL["name"]
        assert session.cache is not None and session.cache.key is not None
        assert session.cache.key.source == "password"
        session.close()
    finally:
        keyring.set_keyring(previous)
