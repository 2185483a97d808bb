"""The client engine against the REAL server (create_app + uvicorn on 127.0.0.1).

Each test runs on SQLite and on PostgreSQL (``OFFICE_TEST_PG_URL``, see tests/conftest.py).
The intents used here are test-only: registered in this module on both sides
("synctest.*"); the note they edit lives in the change feed itself.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import func, select, text

from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.common.intents import define
from server.changefeed import ChangeLog, record_change
from server.db import session_scope
from server.directory.models import Body, Post
from server.mutations import AppliedMutation, MutationContext, mutation
from sync.api import ApiClient, MemoryTokenStore
from sync.blobs import BlobStore
from sync.cache import LocalCache
from sync.engine import Changes, SyncEngine
from sync.local import LocalTx, applier
from sync.session import ClientSession
from tests.server.helpers import PASSWORD, add_body, add_person
from tests.sync.fakes import MemoryKeyring
from tests.sync.live import LiveServer

NOTE = "synctest.note"


# -- test-only intents, both halves ----------------------------------------------------

class _Gate:
    """Lets a test hold the server inside a handler (to kill it mid-push)."""

    def __init__(self) -> None:
        self.active = False
        self.entered = threading.Event()
        self.release = threading.Event()
        self.left = threading.Event()


GATE = _Gate()


def append_rule(note: dict[str, Any] | None, note_id: str, line: str,
                expect: int | None) -> dict[str, Any]:
    note = dict(note or {"id": note_id, "lines": []})
    if not line:
        raise ValidationFailed("request.invalid", detail="line")
    if expect is not None and len(note["lines"]) != expect:
        raise Conflict("request.invalid", detail=f"note has {len(note['lines'])} lines")
    note["lines"] = [*note["lines"], line]
    return note


class AppendArgs(BaseModel):
    id: str
    line: str
    expect: int | None = None
    audience: list[str] = ["all"]


class ShareArgs(BaseModel):
    id: str
    audience: list[str]


@mutation(define("synctest.append", AppendArgs, offline=False))
def _server_append(ctx: MutationContext, args: AppendArgs) -> dict[str, Any]:
    if args.line == "forbidden":  # a rule only the server knows
        raise PermissionDenied("permission.denied", action="写入受限行")
    if args.line == "slow" and GATE.active:
        GATE.entered.set()
        try:
            GATE.release.wait(30)
            # The process "dies" here: this transaction never commits.
            raise RuntimeError("server process terminated mid-transaction")
        finally:
            GATE.left.set()
    row = ctx.session.get(ChangeLog, (NOTE, args.id))
    note = append_rule(row.data if row is not None else None, args.id, args.line, args.expect)
    record_change(ctx.session, NOTE, args.id, note, set(args.audience))
    return {"lines": len(note["lines"])}


@mutation(define("synctest.share", ShareArgs, offline=False))
def _server_share(ctx: MutationContext, args: ShareArgs) -> None:
    row = ctx.session.get(ChangeLog, (NOTE, args.id))
    record_change(ctx.session, NOTE, args.id, row.data if row else None, set(args.audience))


@applier("synctest.append")
def _client_append(tx: LocalTx, args: dict[str, Any]) -> None:
    tx.put(NOTE, args["id"], append_rule(tx.get(NOTE, args["id"]), args["id"], args["line"],
                                         args.get("expect")))


# -- fixtures ---------------------------------------------------------------------------

@pytest.fixture()
def live(settings: Any) -> Iterator[LiveServer]:
    server = LiveServer(settings)
    server.start()
    add_body(server.app, "b-1", "省政务服务数据管理局")
    add_body(server.app, "b-2", "省财政厅")
    add_person(server.app, "p-a", "张伟", "b-1", login="zhangwei")
    add_person(server.app, "p-b", "李娜", "b-1", login="lina")
    yield server
    server.close()


class Client:
    """One device: API client, local cache file and an engine (not started unless asked)."""

    def __init__(self, live: LiveServer, login: str, folder: Path, *,
                 transport: httpx.BaseTransport | None = None, **engine_kw: Any) -> None:
        self.api = ApiClient(live.url, token_store=MemoryTokenStore(), timeout=10,
                             transport=transport)
        answer = self.api.login(login, PASSWORD)
        self.principal = answer["user"]
        self.cache = LocalCache(folder / f"{login}-{id(self)}.sqlite")
        engine_kw.setdefault("listen", False)
        engine_kw.setdefault("period_seconds", 3600)
        self.engine = SyncEngine(self.cache, self.api, principal=self.principal, **engine_kw)

    def close(self) -> None:
        self.engine.stop()
        self.api.close()
        self.cache.close()


@pytest.fixture()
def clients(live: LiveServer, tmp_path: Path) -> Iterator[list[Client]]:
    made: list[Client] = []
    yield made
    for c in made:
        c.close()


def server_note(live: LiveServer, note_id: str) -> dict[str, Any] | None:
    with session_scope(live.app.state.sessions) as s:
        row = s.get(ChangeLog, (NOTE, note_id))
        return None if row is None else row.data


def applied_rows(live: LiveServer) -> int:
    with session_scope(live.app.state.sessions) as s:
        return int(s.execute(select(func.count()).select_from(AppliedMutation)).scalar_one())


# -- tests ------------------------------------------------------------------------------

def test_offline_edits_are_queued_and_applied_after_reconnect(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    c = Client(live, "zhangwei", tmp_path)
    clients.append(c)
    c.engine.run_cycle()
    live.stop()
    for line in ("一", "二", "三"):
        c.engine.submit("synctest.append", {"id": "n1", "line": line})
    c.engine.run_cycle()
    st = c.engine.status()
    assert not st.online and st.pending == 3
    assert c.cache.get(NOTE, "n1")["lines"] == ["一", "二", "三"]
    live.start()
    c.engine.run_cycle()
    st = c.engine.status()
    assert st.online and st.pending == 0 and st.last_error is None
    assert server_note(live, "n1")["lines"] == ["一", "二", "三"]
    assert c.cache.get_base(NOTE, "n1")["lines"] == ["一", "二", "三"]


class _LoseOnePushResponse(httpx.HTTPTransport):
    """Delivers the first push to the server, then drops its answer."""

    def __init__(self) -> None:
        super().__init__()
        self.lost = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if request.url.path.endswith("/sync/push") and not self.lost:
            self.lost += 1
            response.read()
            response.close()
            raise httpx.ReadTimeout("answer lost", request=request)
        return response


def test_retried_push_after_lost_response_is_applied_once(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    transport = _LoseOnePushResponse()
    c = Client(live, "zhangwei", tmp_path, transport=transport)
    clients.append(c)
    c.engine.submit("synctest.append", {"id": "n1", "line": "只一次"})
    c.engine.run_cycle()
    assert transport.lost == 1 and c.engine.status().pending == 1
    assert server_note(live, "n1")["lines"] == ["只一次"]  # it did arrive
    c.engine.run_cycle()
    assert c.engine.status().pending == 0
    assert server_note(live, "n1")["lines"] == ["只一次"]
    assert applied_rows(live) == 1
    assert c.cache.get(NOTE, "n1")["lines"] == ["只一次"]


def test_server_killed_mid_push_loses_nothing(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    c = Client(live, "zhangwei", tmp_path)
    clients.append(c)
    for line in ("a", "slow", "b", "c"):
        c.engine.submit("synctest.append", {"id": "n1", "line": line})
    GATE.active, GATE.entered, GATE.release = True, threading.Event(), threading.Event()
    GATE.left = threading.Event()
    worker = threading.Thread(target=c.engine.run_cycle)
    worker.start()
    try:
        assert GATE.entered.wait(60)
        live.stop(kill=True)  # the process dies while "slow" is being applied
    finally:
        GATE.release.set()
        GATE.active = False
    worker.join(60)
    assert not worker.is_alive() and GATE.left.wait(60)
    assert c.engine.status().pending == 4 and not c.engine.status().online
    c.engine.submit("synctest.append", {"id": "n1", "line": "d"})  # more work meanwhile
    live.start()
    c.engine.run_cycle()
    assert c.engine.status().pending == 0 and c.engine.status().rejected == ()
    assert server_note(live, "n1")["lines"] == ["a", "slow", "b", "c", "d"]
    assert applied_rows(live) == 5
    assert c.cache.get(NOTE, "n1")["lines"] == ["a", "slow", "b", "c", "d"]


def test_rejected_intent_rolls_back_and_is_reported_in_words(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    c = Client(live, "zhangwei", tmp_path)
    clients.append(c)
    c.engine.submit("synctest.append", {"id": "n1", "line": "first"})
    c.engine.run_cycle()
    live.stop()
    bad = c.engine.submit("synctest.append", {"id": "n1", "line": "forbidden"})
    late = c.engine.submit("synctest.append", {"id": "n1", "line": "later", "expect": 2})
    assert c.cache.get(NOTE, "n1")["lines"] == ["first", "forbidden", "later"]
    live.start()
    c.engine.run_cycle()
    by_id = {r.mutation_id: r for r in c.engine.status().rejected}
    assert by_id[bad].status == "rejected"
    assert by_id[bad].message == "您没有权限执行此操作：写入受限行"
    assert by_id[late].status == "conflict"  # it counted on the refused line
    assert c.cache.get(NOTE, "n1")["lines"] == ["first"]
    assert server_note(live, "n1")["lines"] == ["first"]


def test_lost_access_arrives_as_tombstone(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    a = Client(live, "zhangwei", tmp_path)
    b = Client(live, "lina", tmp_path)
    clients += [a, b]
    a.engine.submit("synctest.append", {"id": "n1", "line": "公开"})
    a.engine.run_cycle()
    b.engine.run_cycle()
    assert b.cache.get(NOTE, "n1")["lines"] == ["公开"]
    seen: list[Changes] = []
    b.engine.add_listener(on_changes=seen.append)
    a.engine.submit("synctest.share", {"id": "n1", "audience": ["user:p-a"]})
    a.engine.run_cycle()
    b.engine.run_cycle()
    assert b.cache.get(NOTE, "n1") is None
    assert (NOTE, "n1") in seen[-1].ids
    assert a.cache.get(NOTE, "n1")["lines"] == ["公开"]


def test_scope_change_forces_full_resync_keeping_the_outbox(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    a = Client(live, "zhangwei", tmp_path)
    clients.append(a)
    a.engine.submit("synctest.append", {"id": "old", "line": "x", "audience": ["body:b-1"]})
    a.engine.submit("synctest.append", {"id": "new", "line": "y", "audience": ["body:b-2"]})
    a.engine.run_cycle()
    assert a.cache.get(NOTE, "old") is not None and a.cache.get(NOTE, "new") is None
    with session_scope(live.app.state.sessions) as s:  # transferred to another body
        assert s.get(Body, "b-2") is not None
        s.get(Post, "post-p-a").body_id = "b-2"
    live.stop()
    a.engine.submit("synctest.append", {"id": "mine", "line": "queued"})
    live.start()
    seen: list[Changes] = []
    a.engine.add_listener(on_changes=seen.append)
    a.engine.run_cycle({"pull"})  # pull first: 410, then the whole new scope
    assert any(ch.full_reset for ch in seen)
    assert a.cache.get(NOTE, "old") is None  # no longer in scope, no tombstone needed
    assert a.cache.get(NOTE, "new")["lines"] == ["y"]
    assert a.cache.get(NOTE, "mine")["lines"] == ["queued"]  # pending work survived
    assert a.engine.status().pending == 1
    a.engine.run_cycle()
    assert server_note(live, "mine")["lines"] == ["queued"]


def test_other_clients_change_arrives_through_the_push_channel(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    a = Client(live, "zhangwei", tmp_path, listen=True)
    b = Client(live, "lina", tmp_path, listen=True)
    clients += [a, b]
    arrived = threading.Event()

    def on_changes(ch: Changes) -> None:
        if (NOTE, "n1") in ch.ids and b.cache.get(NOTE, "n1") is not None:
            arrived.set()

    b.engine.add_listener(on_changes=on_changes)
    a.engine.start()
    b.engine.start()
    assert a.engine.wait_idle(60) and b.engine.wait_idle(60)
    a.engine.submit("synctest.append", {"id": "n1", "line": "来自张伟"})
    # B never syncs on its own in this window (period 1 h): only a poke can bring it.
    assert arrived.wait(60)
    assert b.cache.get(NOTE, "n1")["lines"] == ["来自张伟"]
    assert b.engine.status().online


def test_blobs_resume_both_ways_and_verify(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    a = Client(live, "zhangwei", tmp_path)
    clients.append(a)
    up = BlobStore(a.cache, tmp_path / "blobs-a", chunk_bytes=256 * 1024)
    data = hashlib.sha256(b"seed").digest() * (1024 * 1024 // 32 + 7)  # ~1 MiB
    sha = up.add_bytes(data)
    # An earlier attempt sent the first chunk, then the connection died.
    a.api.blob_put(sha, 0, len(data), data[: 256 * 1024])
    offsets: list[int] = []
    real_put = a.api.blob_put
    a.api.blob_put = lambda s, o, t, c: (offsets.append(o), real_put(s, o, t, c))[1]  # type: ignore[method-assign]
    up.process_uploads(a.api, threading.Event())
    assert offsets == [256 * 1024 * k for k in (1, 2, 3, 4)]  # 5 chunks, first not re-sent
    assert a.api.blob_status(sha)["complete"]

    # Another device of the same user downloads it, resuming a half-written .part file.
    other = LocalCache(tmp_path / "other.sqlite")
    down = BlobStore(other, tmp_path / "blobs-b")
    part = down.directory / sha[:2] / f"{sha}.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(data[:300_000])
    down.request_download(sha)
    starts: list[int] = []
    real_get = a.api.blob_get
    a.api.blob_get = lambda s, st, w: (starts.append(st), real_get(s, st, w))[1]  # type: ignore[method-assign]
    down.process_downloads(a.api, threading.Event())
    assert starts == [300_000]
    assert down.path(sha).read_bytes() == data
    other.close()


def test_blob_hash_mismatch_is_refused_both_ways(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    a = Client(live, "zhangwei", tmp_path)
    clients.append(a)
    store = BlobStore(a.cache, tmp_path / "blobs")
    good = b"signed PDF bytes" * 1000
    sha = store.add_bytes(good)
    # Upload: the local copy was damaged after hashing; the server refuses it.
    (store.directory / sha[:2] / sha).write_bytes(b"damaged" + good[7:])
    store.process_uploads(a.api, threading.Event())
    [row] = store.queue()
    assert row["state"] == "failed" and row["error"]["code"] == "blob.hash_mismatch"
    assert a.api.blob_status(sha) is None  # nothing kept on the server
    # Download: the server's copy was damaged on disk; the client will not show it.
    (store.directory / sha[:2] / sha).write_bytes(good)
    assert store.retry_failed() == 1
    store.process_uploads(a.api, threading.Event())
    assert a.api.blob_status(sha)["complete"]
    live.app.state.blob_store.path(sha).write_bytes(b"X" + good[1:])
    fresh = BlobStore(LocalCache(None), tmp_path / "fresh")
    fresh.request_download(sha)
    fresh.process_downloads(a.api, threading.Event())
    assert fresh.path(sha) is None
    assert fresh.queue()[0]["error"]["code"] == "blob.hash_mismatch"


def test_client_session_against_real_server(
        live: LiveServer, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    session = ClientSession(tmp_path / "data", engine_options={"listen": False})
    principal = session.login(live.url, "zhangwei", PASSWORD)
    assert principal["person_id"] == "p-a" and principal["body_ids"] == ["b-1"]
    assert session.engine is not None
    session.engine.submit("synctest.append", {"id": "s1", "line": "会话"})
    assert session.engine.wait_idle(60)
    assert server_note(live, "s1")["lines"] == ["会话"]
    from sync.credentials import SERVICE, key_for
    from sync.vault import keyring_user

    refresh = memory_keyring.secrets[(SERVICE, key_for(live.url, "zhangwei"))]
    session.logout()
    # The refresh token is gone; the data key stays so the queue opens at the next sign-in.
    assert set(memory_keyring.secrets) == {(SERVICE, keyring_user(live.url, "zhangwei"))}
    probe = ApiClient(live.url, token_store=MemoryTokenStore(refresh))
    with pytest.raises(Exception) as info:
        probe.refresh()
    assert getattr(info.value, "code", "") == "auth.token_invalid"
    probe.close()


def test_directory_contact_edit_offline_reaches_the_server(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    """The product's own intent (directory.update_contact) through the whole loop."""
    from modules.common.errors import DomainError
    from modules.directory.service import PERSON, update_my_contact

    c = Client(live, "zhangwei", tmp_path)
    clients.append(c)
    c.engine.run_cycle()
    live.stop()
    with pytest.raises(DomainError):
        update_my_contact(c.engine, phone="12")  # refused locally, in words, not queued
    assert c.engine.status().pending == 0
    update_my_contact(c.engine, phone="+86 138-0013-8000")
    c.engine.run_cycle()
    assert c.engine.status().pending == 1
    live.start()
    c.engine.run_cycle()
    assert c.engine.status().pending == 0 and c.engine.status().rejected == ()
    assert c.cache.get(PERSON, "p-a")["phone"] == "13800138000"


def test_stopping_the_engine_ends_the_push_listener_without_waiting_for_a_keepalive(
        settings: Any, tmp_path: Path) -> None:
    quiet = settings.model_copy(update={"push_keepalive_seconds": 60.0})
    server = LiveServer(quiet)
    server.start()
    try:
        add_body(server.app, "b-1", "省政务服务数据管理局")
        add_person(server.app, "p-a", "张伟", "b-1", login="zhangwei")
        a = Client(server, "zhangwei", tmp_path, listen=True)
        opened = threading.Event()
        a.engine.add_listener(on_status=lambda st: opened.set() if st.online else None)
        a.engine.start()
        assert a.engine.wait_idle(60) and opened.wait(30)
        listener = a.engine._listener
        assert listener is not None and listener.is_alive()
        # the stream is open and silent (next keepalive in 60 s): stop must not wait for it
        a.engine.stop(timeout=5.0)
        assert not listener.is_alive(), "the push listener is still blocked in a read"
        a.api.close()
        a.cache.close()
    finally:
        server.close()


def test_pages_in_lines_and_in_json_hold_the_same_changes(
        live: LiveServer, clients: list[Client], tmp_path: Path) -> None:
    tricky = {"id": "n2", "lines": ["签到😀", "a\u0001b", 'say "hi" \\u4e2d', "\\测", "一\n二"]}
    with session_scope(live.app.state.sessions) as s:
        record_change(s, NOTE, "n1", {"id": "n1", "lines": ["张伟", "科员"]}, {"all"})
        record_change(s, NOTE, "n2", tricky, {"all"})
        record_change(s, NOTE, "n3", {"id": "n3", "lines": []}, {"all"})
    with session_scope(live.app.state.sessions) as s:
        record_change(s, NOTE, "n3", None, {"all"})
    c = Client(live, "zhangwei", tmp_path)
    clients.append(c)
    as_json = c.api.pull(None, 100)
    in_lines = c.api.pull(None, 100, lines=True)
    assert "changes" not in in_lines and in_lines["cursor"] == as_json["cursor"]
    assert [(q, e, i, None if t is None else json.loads(t)) for q, e, i, t in in_lines["rows"]
            ] == [(ch["seq"], ch["entity"], ch["id"], ch["data"]) for ch in as_json["changes"]]
    c.engine.run_cycle()
    assert c.cache.get(NOTE, "n1") == {"id": "n1", "lines": ["张伟", "科员"]}
    assert c.cache.get(NOTE, "n2") == tricky == c.cache.get_base(NOTE, "n2")
    assert c.cache.get(NOTE, "n3") is None
    with c.cache.read() as s:
        stored = s.execute(text(f"SELECT data FROM records WHERE id = 'n1' AND entity = "
                                f"'{NOTE}'")).scalar()
    assert "张伟" in stored  # readable, as the cache keeps Chinese text
