"""Issue 12 (等保三级), part 1a: nothing the client keeps on the device is readable.

Against the real server (``tests.sync.live.LiveServer``, demo organisation): sign in,
sync documents (one drafted here with a distinctive title, body and opinion), download a
PDF blob, queue an intent while the server is down, sign out. After sign-in, after the
sync and after sign-out every byte of every file under the data directory is scanned for
the tokens, the password, the data key (raw, hex, base64), the document's title and
body (UTF-8 and UTF-16) and a directory person's phone number. A copy of the account
folder opens only with the key; the password-derived fallback only with the password.
"""

from __future__ import annotations

import base64
import contextlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from sqlcipher3 import dbapi2 as sqlcipher

from modules.common.errors import AuthenticationFailed, Offline
from modules.directory.demo import DEMO_PASSWORD, demo_accounts
from modules.directory.service import PERSON
from modules.documents.service import ENTITY, DocumentService, new_document_id
from sync import blobcrypt
from sync.cache import LocalCache
from sync.credentials import SERVICE, key_for
from sync.session import ClientSession
from sync.vault import CacheKey, keyring_user, open_key
from tests.sync.fakes import MemoryKeyring, install_memory_keyring
from tests.sync.live import LiveServer

DRAFTER, SZJ, CZT = "p-demo-12", "b-gd-szj", "b-gd-czt"
ZHC_HEAD, JUZHANG = "p-demo-10", "p-demo-01"
TITLE = "关于青鸾湖数据中心机房搬迁的绝密通知"
BODY = "请于十二月二十日前将青鸾湖机房全部服务器迁至白鹭洲备用机房并核对资产清单。"
OPINION = "同意迁移方案，务必确保青鸾湖数据不外泄。"
OFFLINE_BODY = "离线补充：白鹭洲机房门禁密码由综合处另行通知。"


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    from server.config import Settings

    settings = Settings(data_dir=tmp_path / "server", database_url=f"sqlite:///{tmp_path / 'office.db'}",
                        secret_key="rest-test-secret-key-with-enough-length-0123456789",
                        demo=True, push_poll_seconds=0.05, log_json=False)
    server = LiveServer(settings)
    server.start(timeout=180)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def keys() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    yield install_memory_keyring()
    keyring.set_keyring(previous)


def forms(text: str) -> list[bytes]:
    return [text.encode(), text.encode("utf-16-le"), text.encode("utf-16-be")]


def scan(data_dir: Path, secrets: dict[str, list[bytes]]) -> list[str]:
    """Every (file, secret name) where a secret's bytes are found in a file."""
    found = []
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert files or not data_dir.exists()
    for p in files:
        data = p.read_bytes()
        for name, needles in secrets.items():
            if any(n and n in data for n in needles):
                found.append(f"{p.relative_to(data_dir)}: {name}")
    return found


def sqlite_refuses(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="file is not a database"):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    finally:
        conn.close()


def sqlcipher_count(path: Path, pragma: str) -> int:
    conn = sqlcipher.connect(str(path))
    try:
        conn.execute(pragma)
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        conn.close()


def test_nothing_readable_on_the_device(live: LiveServer, keys: MemoryKeyring,
                                        tmp_path: Path) -> None:
    accounts = {a.person_id: a for a in demo_accounts()}
    login = accounts[DRAFTER].login
    data_dir = tmp_path / "client"
    session = ClientSession(data_dir, engine_options={"listen": False}, start_engine=False)
    session.login(live.url, login, DEMO_PASSWORD)
    assert session.engine is not None and session.cache is not None and session.blobs is not None
    api = session.api
    assert api is not None
    folder = session.folder(live.url, login)
    raw = bytes.fromhex(keys.secrets[(SERVICE, keyring_user(live.url, login))])

    def secrets() -> dict[str, list[bytes]]:
        out = {
            "access token": [str(api.tokens.access_token or "").encode()],
            "refresh token": [str(keys.secrets.get((SERVICE, key_for(live.url, login)), "")).encode()],
            "password": forms(DEMO_PASSWORD),
            "key": [raw, raw.hex().encode(), raw.hex().upper().encode(),
                    base64.b64encode(raw), base64.urlsafe_b64encode(raw)],
            "title": forms(TITLE), "body": forms(BODY), "opinion": forms(OPINION),
            "offline body": forms(OFFLINE_BODY),
        }
        return out

    tokens_seen = secrets()
    assert tokens_seen["access token"][0] and tokens_seen["refresh token"][0]
    assert scan(data_dir, tokens_seen) == []  # after sign-in

    # -- sync: a document drafted here, its opinion, the directory, a PDF blob.
    docs = DocumentService(session.cache, session.engine, session.principal or {},
                           blobs=session.blobs)
    doc_id = new_document_id()
    spec = {"doc_type": "通知", "title": TITLE, "issuer_mark": "广东省政务服务数据管理局文件",
            "recipients": "省财政厅：", "body": [{"text": BODY, "level": 0}],
            "signature": "广东省政务服务数据管理局", "sealed": False, "urgency": "",
            "printer": "广东省政务服务数据管理局办公室", "attachments": []}
    docs.create_draft(doc_id, spec, main_to=[CZT], body_id=SZJ,
                      assignments={"review": [{"id": ZHC_HEAD, "name": accounts[ZHC_HEAD].name}],
                                   "sign": [{"id": JUZHANG, "name": accounts[JUZHANG].name}]})
    assert session.engine.catch_up(60), session.engine.status().last_error
    docs.act(doc_id, "approve", opinion=OPINION)
    assert session.engine.catch_up(60), session.engine.status().last_error
    status = session.engine.status()
    assert status.pending == 0 and not status.rejected, [r.message for r in status.rejected]
    shown = docs.get(doc_id)
    assert shown is not None and shown["spec"]["title"] == TITLE
    people = [p for p in session.cache.list(PERSON) if p.get("phone")]
    assert people, "the directory reached the client"
    phone = str(people[0]["phone"])
    with_pdf = [d for d in session.cache.list(ENTITY) if d.get("pdf_sha256")]
    assert with_pdf, "a document with an official PDF is visible"
    sha = str(with_pdf[0]["pdf_sha256"])
    session.blobs.request_download(sha)
    assert session.engine.catch_up(60), session.engine.status().last_error
    pdf = session.blobs.read_bytes(sha)
    assert pdf is not None and pdf[:5] == b"%PDF-"
    blob_file = session.blobs.path(sha)
    assert blob_file is not None and blobcrypt.is_sealed(blob_file)
    assert b"%PDF-" not in blob_file.read_bytes()

    after_sync = {**secrets(), "phone": forms(phone),
                  "pdf": [pdf[:64], pdf[len(pdf) // 2:len(pdf) // 2 + 64]]}
    assert scan(data_dir, after_sync) == []

    # -- an intent queued while the server is down, then sign out.
    live.stop()
    offline_id = new_document_id()
    docs.create_draft(offline_id, {**spec, "body": [{"text": OFFLINE_BODY, "level": 0}]},
                      main_to=[CZT], body_id=SZJ, assignments={})
    assert session.engine.status().pending == 1
    assert scan(data_dir, after_sync) == []
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with contextlib.suppress(Offline):  # the server cannot be told; the local part is done
        session.logout()
    assert scan(data_dir, after_sync) == []

    # -- the copy of the folder: useless without the key, whole with it.
    sqlite_refuses(copy / "cache.sqlite")
    with pytest.raises(sqlcipher.DatabaseError, match="file is not a database"):
        sqlcipher_count(copy / "cache.sqlite", CacheKey(bytes(32), "keyring").pragma())
    assert sqlcipher_count(copy / "cache.sqlite", CacheKey(raw, "keyring").pragma()) > 0
    reopened = LocalCache(copy / "cache.sqlite", key=CacheKey(raw, "keyring"))
    try:
        assert not reopened.rebuilt
        offline_doc = reopened.get(ENTITY, offline_id)
        assert offline_doc is not None
        assert offline_doc["spec"]["body"][0]["text"] == OFFLINE_BODY
        with reopened.read() as s:
            from sync.cache import outbox

            names = [r.name for r in s.execute(outbox.select())]
        assert "documents.create_draft" in names
    finally:
        reopened.close()

    # -- the queue is still there for the next sign-in (keyring key kept) ...
    back = ClientSession(data_dir, engine_options={"listen": False}, start_engine=False)
    back.resume_offline(live.url, login)
    assert back.engine is not None and back.engine.status().pending == 1
    # ... and signing out with "forget data" leaves nothing, not even the key.
    with contextlib.suppress(Offline):
        back.logout(forget_local_data=True)
    assert (SERVICE, keyring_user(live.url, login)) not in keys.secrets
    assert not folder.exists()


def test_a_plain_cache_of_an_older_version_is_encrypted_with_its_queue(
        tmp_path: Path, keys: MemoryKeyring) -> None:
    from sqlalchemy import insert

    from sync.cache import outbox

    folder = tmp_path / "acct"
    plain = LocalCache(folder / "cache.sqlite")
    plain.meta_set("principal", {"person_id": "p-1", "name": "王五"})
    with plain.write() as s:
        s.execute(insert(outbox).values(
            mutation_id="m-old", name="documents.save_draft", args={"body": BODY}, touched=[],
            state="pending", created_at="2026-11-30T08:00:00+00:00"))
    plain.close()
    assert BODY.encode() in (folder / "cache.outbox.jsonl").read_bytes()
    blob = folder / "blobs" / "ab" / ("ab" * 32)
    blob.parent.mkdir(parents=True)
    blob.write_bytes(b"%PDF-1.4 " + BODY.encode())

    opened = open_key(folder, "http://srv", "wangwu", None, create=True)
    assert opened.legacy and not opened.stale
    cache = LocalCache(folder / "cache.sqlite", key=opened.key, legacy=True)
    from sync.blobs import BlobStore

    BlobStore(cache, folder / "blobs")  # seals the plain blob left by the old version
    try:
        assert cache.meta_get("principal")["name"] == "王五"
        with cache.read() as s:
            rows = [(r.mutation_id, r.args) for r in s.execute(outbox.select())]
        assert rows == [("m-old", {"body": BODY})]
        assert blobcrypt.is_sealed(blob)
    finally:
        cache.close()
    sqlite_refuses(folder / "cache.sqlite")
    assert scan(folder, {"body": forms(BODY), "name": forms("王五")}) == []
    # a second open is not a migration: planted plain lines are not taken any more
    again = open_key(folder, "http://srv", "wangwu", None, create=False)
    assert not again.legacy and again.key == opened.key


def test_without_a_keyring_the_key_comes_from_the_password(
        live: LiveServer, tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        login = next(a.login for a in demo_accounts() if a.person_id == DRAFTER)
        data_dir = tmp_path / "client"
        session = ClientSession(data_dir, engine_options={"listen": False}, start_engine=False)
        session.login(live.url, login, DEMO_PASSWORD)
        assert session.cache is not None and session.cache.key is not None
        assert session.cache.key.source == "password"
        assert session.engine is not None and session.engine.catch_up(60)
        folder = session.folder(live.url, login)
        raw = session.cache.key.raw
        session.close()
        vault = (folder / "vault.json").read_text()
        assert "argon2id" in vault and raw.hex() not in vault
        assert scan(data_dir, {"password": forms(DEMO_PASSWORD),
                               "key": [raw, raw.hex().encode(), base64.b64encode(raw)]}) == []
        sqlite_refuses(folder / "cache.sqlite")

        offline = ClientSession(data_dir, engine_options={"listen": False}, start_engine=False)
        with pytest.raises(AuthenticationFailed) as no_password:
            offline.resume_offline(live.url, login)
        assert no_password.value.code == "sync.vault_needs_password"
        with pytest.raises(AuthenticationFailed) as wrong:
            offline.resume_offline(live.url, login, "not-the-password")
        assert wrong.value.code == "auth.invalid_credentials"
        assert (folder / "cache.sqlite").exists()  # a wrong password never "repairs" it away
        principal = offline.resume_offline(live.url, login, DEMO_PASSWORD)
        assert principal["person_id"] == DRAFTER
        assert offline.cache is not None and offline.cache.count() > 0
        offline.close()
        with pytest.raises(sqlcipher.DatabaseError, match="file is not a database"):
            sqlcipher_count(folder / "cache.sqlite",
                            CacheKey(bytes(32), "password").pragma())
    finally:
        keyring.set_keyring(previous)
