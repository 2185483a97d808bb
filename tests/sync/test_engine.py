"""Outbox, push, pull, rebase and rollback against the in-memory fake server."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Column, String, Table, insert, select

from modules.common.errors import AuthenticationFailed, DomainError, ValidationFailed
from sync.api import ApiClient, MemoryTokenStore
from sync.cache import (
    LocalCache,
    Projection,
    outbox,
    projection_metadata,
    register_projection,
)
from sync.engine import Changes, SyncEngine, backoff_delay
from tests.sync.conftest import PRINCIPAL
from tests.sync.fakes import FakeServer


def outbox_rows(cache: LocalCache) -> list[Any]:
    with cache.read() as s:
        return s.execute(select(outbox).order_by(outbox.c.order)).all()


def test_submit_applies_optimistically_and_queues_in_one_transaction(
        engine: SyncEngine, cache: LocalCache) -> None:
    seen: list[Changes] = []
    engine.add_listener(on_changes=seen.append)
    mid = engine.submit("notes.set", {"id": "n1", "text": "草稿"})
    assert cache.get("notes.note", "n1") == {"id": "n1", "text": "草稿", "by": "p-1", "lines": []}
    assert cache.get_base("notes.note", "n1") is None
    [row] = outbox_rows(cache)
    assert (row.mutation_id, row.state, row.touched) == (mid, "pending", [["notes.note", "n1"]])
    assert seen == [Changes(frozenset({"notes.note"}), frozenset({("notes.note", "n1")}))]
    assert engine.status().pending == 1


def test_refused_intent_stores_nothing_and_says_why(engine: SyncEngine, cache: LocalCache) -> None:
    with pytest.raises(ValidationFailed) as info:
        engine.submit("notes.set", {"id": "n1", "text": "  "})
    assert "text" in info.value.message("zh_CN")
    assert cache.get("notes.note", "n1") is None
    assert outbox_rows(cache) == []


def test_intent_without_applier_is_queued_without_effect(
        engine: SyncEngine, cache: LocalCache) -> None:
    engine.submit("other.thing", {"x": 1})
    assert [r.name for r in outbox_rows(cache)] == ["other.thing"]
    assert cache.count() == 0


def test_push_then_pull_replaces_optimistic_data_with_server_version(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    engine.submit("notes.set", {"id": "n1", "text": "v1"})
    engine.submit("notes.append", {"id": "n1", "line": "a"})
    engine.run_cycle()
    assert outbox_rows(cache) == []
    assert server.entities[("notes.note", "n1")]["lines"] == ["a"]
    # Server's version is now base and data; the append was applied once, not twice.
    assert cache.get_base("notes.note", "n1") == server.entities[("notes.note", "n1")]
    assert cache.get("notes.note", "n1")["lines"] == ["a"]
    status = engine.status()
    assert status.online and status.pending == 0 and status.last_synced_at is not None


def test_pull_rebases_pending_intents_on_new_server_state(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    server.put("notes.note", "n1", {"id": "n1", "text": "t", "lines": ["server-1"]})
    engine.run_cycle({"pull"})
    server.offline = True
    engine.submit("notes.append", {"id": "n1", "line": "mine"})
    server.offline = False
    server.put("notes.note", "n1", {"id": "n1", "text": "t", "lines": ["server-1", "server-2"]})
    engine._pull()  # pull only: the intent stays pending
    assert cache.get_base("notes.note", "n1")["lines"] == ["server-1", "server-2"]
    assert cache.get("notes.note", "n1")["lines"] == ["server-1", "server-2", "mine"]
    assert engine.status().pending == 1


def test_rejected_intent_rolls_back_and_is_reported_in_words(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    server.put("notes.note", "n1", {"id": "n1", "text": "old", "lines": []})
    engine.run_cycle({"pull"})
    server.offline = True
    bad = engine.submit("notes.set", {"id": "n1", "text": "mine", "expect": "old"})
    engine.submit("notes.append", {"id": "n1", "line": "kept"})
    assert cache.get("notes.note", "n1")["text"] == "mine"
    # Someone else changes the note first: the first intent will conflict on the server.
    server.put("notes.note", "n1", {"id": "n1", "text": "theirs", "lines": []})
    server.offline = False
    changes: list[Changes] = []
    engine.add_listener(on_changes=changes.append)
    engine.run_cycle({"push"})
    [item] = engine.status().rejected
    assert (item.mutation_id, item.status) == (bad, "conflict")
    assert "changed meanwhile" in item.message
    # Undone; the other intent was applied by the server and then pulled.
    assert cache.get("notes.note", "n1") == {"id": "n1", "text": "theirs", "lines": ["kept"]}
    assert any(("notes.note", "n1") in c.ids for c in changes)
    engine.dismiss_rejected(bad)
    assert engine.status().rejected == ()


def test_rollback_keeps_remaining_pending_intents(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    """Rejected intent in the middle: display = base + the others, before any pull."""
    server.put("notes.note", "n1", {"id": "n1", "text": "old", "lines": []})
    engine.run_cycle({"pull"})

    @server.mutation("notes.append")
    def _refuse_b(srv: FakeServer, args: dict[str, Any]) -> None:
        if args["line"] == "b":
            raise ValidationFailed("request.invalid", detail="no b")
        note = dict(srv.entities[("notes.note", args["id"])])
        note["lines"] = [*note["lines"], args["line"]]
        srv.put("notes.note", args["id"], note)

    server.offline = True
    engine.submit("notes.append", {"id": "n1", "line": "a"})
    engine.submit("notes.append", {"id": "n1", "line": "b"})
    engine.submit("notes.append", {"id": "n1", "line": "c"})
    assert cache.get("notes.note", "n1")["lines"] == ["a", "b", "c"]
    server.offline = False
    engine._push()
    # Before the pull: a and c were applied and are still shown, b is gone.
    assert cache.get("notes.note", "n1")["lines"] == ["a", "c"]
    engine._pull()
    assert cache.get("notes.note", "n1")["lines"] == ["a", "c"]
    assert server.entities[("notes.note", "n1")]["lines"] == ["a", "c"]
    assert [r.state for r in outbox_rows(cache)] == ["rejected"]


def test_offline_keeps_work_and_reports_it(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    server.offline = True
    engine.submit("notes.set", {"id": "n1", "text": "离线"})
    engine.run_cycle()
    status = engine.status()
    assert not status.online and status.pending == 1
    assert status.last_error == "无法连接服务器，已转为离线模式。"
    assert [r.state for r in outbox_rows(cache)] == ["pending"]
    server.offline = False
    engine.run_cycle()
    assert engine.status().online and engine.status().pending == 0
    assert server.entities[("notes.note", "n1")]["text"] == "离线"


def test_lost_response_is_retried_and_applied_once(
        engine: SyncEngine, server: FakeServer, cache: LocalCache) -> None:
    mid = engine.submit("notes.append", {"id": "n1", "line": "once"})
    server.lose_next_push_response = True
    engine.run_cycle()
    assert engine.status().pending == 1 and not engine.status().online
    engine.run_cycle()
    assert server.apply_count == {mid: 1}
    assert server.entities[("notes.note", "n1")]["lines"] == ["once"]
    assert cache.get("notes.note", "n1")["lines"] == ["once"]


def test_server_error_keeps_the_queue_and_retries(
        engine: SyncEngine, server: FakeServer) -> None:
    engine.submit("notes.set", {"id": "n1", "text": "x"})
    server.fail_next_push_500 = True
    engine.run_cycle()
    assert engine.status().pending == 1
    assert "500" in (engine.status().last_error or "")
    engine.run_cycle()
    assert engine.status().pending == 0


def test_inflight_rows_become_pending_after_a_crash(
        cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    first = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    mid = first.submit("notes.append", {"id": "n1", "line": "x"})
    # Simulate dying after marking the batch inflight and sending it (response lost).
    with cache.write() as s:
        s.execute(outbox.update().values(state="inflight"))
    server._apply({"id": mid, "name": "notes.append", "args": {"id": "n1", "line": "x"}})
    second = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    assert [r.state for r in outbox_rows(cache)] == ["pending"]
    second.run_cycle()
    assert server.apply_count == {mid: 1}
    assert outbox_rows(cache) == []
    assert cache.get("notes.note", "n1")["lines"] == ["x"]


def test_tombstone_removes_record(engine: SyncEngine, cache: LocalCache,
                                  server: FakeServer) -> None:
    server.put("notes.note", "n1", {"id": "n1", "text": "t", "lines": []})
    server.put("notes.note", "n2", {"id": "n2", "text": "t", "lines": []})
    engine.run_cycle({"pull"})
    assert cache.count("notes.note") == 2
    server.put("notes.note", "n1", None)  # deleted or access lost
    changes: list[Changes] = []
    engine.add_listener(on_changes=changes.append)
    engine.run_cycle({"pull"})
    assert cache.get("notes.note", "n1") is None
    assert [r["id"] for r in cache.list("notes.note")] == ["n2"]
    assert changes[-1].ids == frozenset({("notes.note", "n1")})


def test_410_wipes_server_layer_and_keeps_outbox(
        engine: SyncEngine, cache: LocalCache, server: FakeServer) -> None:
    server.put("notes.note", "gone", {"id": "gone", "text": "t", "lines": []})
    server.put("notes.note", "n1", {"id": "n1", "text": "t", "lines": []})
    engine.run_cycle({"pull"})
    # The server purged history: "gone" vanished without a tombstone we could see.
    with server.lock:
        del server.log[("notes.note", "gone")]
        del server.entities[("notes.note", "gone")]
    server.put("notes.note", "n2", {"id": "n2", "text": "t", "lines": []})
    server.resync_below = 10**6
    server.offline = True
    engine.submit("notes.append", {"id": "n1", "line": "pending"})
    server.offline = False
    changes: list[Changes] = []
    engine.add_listener(on_changes=changes.append)
    engine._pull()
    assert sorted(r["id"] for r in cache.list("notes.note")) == ["n1", "n2"]
    assert cache.get("notes.note", "n1")["lines"] == ["pending"]
    assert engine.status().pending == 1
    assert changes[-1].full_reset
    assert cache.meta_get("resync") is False


def test_paged_initial_pull(cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    for i in range(25):
        server.put("notes.note", f"n{i:02d}", {"id": f"n{i:02d}", "text": "t", "lines": []})
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, page_size=10)
    eng.run_cycle({"pull"})
    assert cache.count("notes.note") == 25
    assert server.pull_calls == 3
    eng.run_cycle({"pull"})
    assert cache.count("notes.note") == 25


def test_the_next_page_is_fetched_while_the_last_is_stored(
        cache: LocalCache, api: ApiClient, server: FakeServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Page N + 1 is asked for before page N is written: storing page 1 waits until its
    successor's request has reached the server (it would wait in vain, then fail, if the
    engine asked only after storing)."""
    import contextlib
    import threading

    for i in range(25):
        server.put("notes.note", f"n{i:02d}", {"id": f"n{i:02d}", "text": "t", "lines": []})
    asked: list[str] = []
    second_asked = threading.Event()
    serve = server._pull

    def pull(request: Any) -> Any:
        asked.append(request.url.params.get("cursor") or "")
        if len(asked) == 2:
            second_asked.set()
        return serve(request)

    monkeypatch.setattr(server, "_pull", pull)
    write = cache.write
    waited: list[bool] = []

    @contextlib.contextmanager
    def slow_write() -> Any:
        if asked and not waited:  # storing page 1
            waited.append(second_asked.wait(5.0))
        with write() as s:
            yield s

    monkeypatch.setattr(cache, "write", slow_write)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, page_size=10)
    eng.run_cycle({"pull"})
    assert waited == [True]
    assert cache.count("notes.note") == 25 and eng.status().last_error is None
    assert len(asked) == 3 and asked[0] == ""


def test_a_failed_next_page_leaves_the_cursor_at_the_page_stored(
        cache: LocalCache, api: ApiClient, server: FakeServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The next page's request fails while page 1 is stored: page 1 stays stored, the
    cycle reports the failure, the next one goes on from page 1's cursor."""
    for i in range(25):
        server.put("notes.note", f"n{i:02d}", {"id": f"n{i:02d}", "text": "t", "lines": []})
    serve = server._pull
    calls: list[str] = []

    def pull(request: Any) -> Any:
        calls.append(request.url.params.get("cursor") or "")
        if len(calls) == 2:
            raise httpx.ConnectError("the network went away")
        return serve(request)

    monkeypatch.setattr(server, "_pull", pull)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, page_size=10)
    eng.run_cycle({"pull"})
    assert eng.status().last_error is not None
    assert cache.count("notes.note") == 10
    first_cursor = cache.meta_get("cursor")
    assert first_cursor and calls == ["", first_cursor]
    eng.run_cycle({"pull"})
    assert eng.status().last_error is None and cache.count("notes.note") == 25
    assert calls[2] == first_cursor


def test_a_server_refusing_large_pages_gets_pages_of_1000(
        cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    for i in range(1500):
        server.put("notes.note", f"n{i:04d}", {"id": f"n{i:04d}", "text": "t", "lines": []})
    server.max_page = 1000
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    assert eng.page_size == 5000
    eng.run_cycle({"pull"})
    assert eng.status().last_error is None
    assert cache.count("notes.note") == 1500
    assert eng.page_size == 1000
    assert server.pull_calls == 3  # refused once, then two pages


def test_expired_access_token_is_refreshed_once(
        engine: SyncEngine, server: FakeServer, cache: LocalCache) -> None:
    server.put("notes.note", "n1", {"id": "n1", "text": "t", "lines": []})
    server.expire_access_tokens()
    engine.run_cycle({"pull"})
    assert server.refresh_calls == 1
    assert cache.get("notes.note", "n1") is not None
    assert engine.status().last_error is None


def test_dead_refresh_token_asks_to_sign_in(server: FakeServer, cache: LocalCache) -> None:
    api = ApiClient("http://test", token_store=MemoryTokenStore("r-dead"),
                    transport=server.transport)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    eng.submit("notes.set", {"id": "n1", "text": "x"})
    eng.run_cycle()
    assert eng.status().last_error == "登录凭据无效，请重新登录。"
    assert eng.status().pending == 1
    with pytest.raises(AuthenticationFailed):
        api.pull(None)


def test_whole_batch_4xx_is_split_so_one_bad_intent_cannot_block(
        engine: SyncEngine, server: FakeServer, cache: LocalCache) -> None:
    engine.submit("notes.set", {"id": "n1", "text": "ok"})
    with cache.write() as s:  # an intent whose args the server cannot parse at all
        s.execute(insert(outbox).values(mutation_id="bad", name="notes.set", args=["x"],
                                        touched=[], state="pending", attempts=0,
                                        created_at="2026-11-22T10:00:00+00:00"))
    engine.submit("notes.set", {"id": "n2", "text": "ok"})
    engine.run_cycle()
    assert [(r.mutation_id, r.state) for r in outbox_rows(cache)] == [("bad", "rejected")]
    assert set(server.entities) == {("notes.note", "n1"), ("notes.note", "n2")}
    assert engine.status().rejected[0].message.startswith("请求参数有误")


def test_unknown_mutation_is_rejected_not_retried(
        engine: SyncEngine, server: FakeServer) -> None:
    engine.submit("nobody.knows", {})
    engine.run_cycle()
    [item] = engine.status().rejected
    assert item.code == "sync.unknown_mutation" and "nobody.knows" in item.message
    assert engine.status().pending == 0


def test_projection_follows_displayed_state_in_same_transaction(
        server: FakeServer, api: ApiClient) -> None:
    table = Table("test_note_search", projection_metadata,
                  Column("id", String, primary_key=True), Column("text", String))

    def apply(session: Any, rid: str, data: dict[str, Any] | None) -> None:
        session.execute(table.delete().where(table.c.id == rid))
        if data is not None:
            if data.get("text") == "boom":
                raise RuntimeError("projection bug")
            session.execute(table.insert().values(id=rid, text=data["text"]))

    register_projection(Projection("notes.note", [table], apply))
    cache = LocalCache(None)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    eng.submit("notes.set", {"id": "n1", "text": "公文"})
    with cache.read() as s:
        assert s.execute(select(table.c.text)).scalars().all() == ["公文"]
    with pytest.raises(RuntimeError):
        eng.submit("notes.set", {"id": "n1", "text": "boom"})
    assert cache.get("notes.note", "n1")["text"] == "公文"  # rolled back together
    assert len(outbox_rows(cache)) == 1
    eng.submit("notes.delete", {"id": "n1"})
    with cache.read() as s:
        assert s.execute(select(table.c.text)).scalars().all() == []


def test_backoff_grows_and_is_capped() -> None:
    import random

    rng = random.Random(1)
    delays = [backoff_delay(n, rng=rng) for n in range(1, 13)]
    assert 0.5 <= delays[0] <= 1.0
    assert 4.0 <= delays[3] <= 8.0
    assert all(150.0 <= d <= 300.0 for d in delays[9:])


def test_domain_errors_from_server_keep_its_message(server: FakeServer) -> None:
    api = ApiClient("http://test", lang="en", transport=server.transport)
    with pytest.raises(AuthenticationFailed) as info:
        api.login("zhangwei", "wrong")
    assert info.value.code == "auth.invalid_credentials"
    assert isinstance(info.value, DomainError)
    assert info.value.message("en") == "Wrong account or password."
    assert info.value.message("zh_CN") == "账号或密码错误。"
    # A code this client does not know still shows the server's sentence.
    from sync.api import error_from_dict

    err = error_from_dict({"code": "future.code", "message": "Something new", "params": {}},
                          ValidationFailed, "en")
    assert isinstance(err, ValidationFailed) and err.message("zh_CN") == "Something new"


def test_started_engine_pushes_on_submit_from_its_worker(
        cache: LocalCache, api: ApiClient, server: FakeServer) -> None:
    import threading

    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    threads: set[str] = set()
    eng.add_listener(on_status=lambda st: threads.add(threading.current_thread().name))
    eng.start()
    try:
        eng.submit("notes.set", {"id": "n1", "text": "后台"})
        assert eng.wait_idle(30)
        assert server.entities[("notes.note", "n1")]["text"] == "后台"
        assert eng.status().pending == 0
        assert "sync-worker" in threads
    finally:
        eng.stop()
    assert not any(t.name == "sync-worker" for t in threading.enumerate())


def test_catch_up_reports_whether_the_server_was_reached(
        engine: SyncEngine, server: FakeServer, cache: LocalCache) -> None:
    server.put("notes.note", "n1", {"id": "n1", "text": "t", "lines": []})
    assert engine.catch_up()
    assert cache.get("notes.note", "n1") is not None
    server.offline = True
    assert not engine.catch_up()


def test_pull_keeps_projections_in_step_and_rebases_only_touched_records(
        server: FakeServer, api: ApiClient) -> None:
    table = Table("test_pull_search", projection_metadata,
                  Column("id", String, primary_key=True), Column("text", String))

    def apply(session: Any, rid: str, data: dict[str, Any] | None) -> None:
        session.execute(table.delete().where(table.c.id == rid))
        if data is not None:
            session.execute(table.insert().values(id=rid, text=data["text"]))

    register_projection(Projection("notes.note", [table], apply))
    cache = LocalCache(None)
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False, page_size=2)
    for i in range(5):
        server.put("notes.note", f"n{i}", {"id": f"n{i}", "text": f"t{i}", "lines": []})
    eng.run_cycle({"pull"})

    def projected() -> dict[str, str]:
        with cache.read() as s:
            return dict(s.execute(select(table.c.id, table.c.text)).all())

    assert projected() == {f"n{i}": f"t{i}" for i in range(5)}
    server.offline = True
    eng.submit("notes.set", {"id": "n1", "text": "local"})
    server.offline = False
    server.put("notes.note", "n1", {"id": "n1", "text": "server", "lines": ["s"]})
    server.put("notes.note", "n2", {"id": "n2", "text": "server2", "lines": []})
    server.put("notes.note", "n3", None)
    eng.run_cycle({"pull"})
    assert cache.get("notes.note", "n1") == {"id": "n1", "text": "local", "by": "p-1",
                                             "lines": ["s"]}
    assert projected() == {"n0": "t0", "n1": "local", "n2": "server2", "n4": "t4"}


def test_language_can_change_after_sign_in(server: FakeServer, api: ApiClient,
                                           cache: LocalCache) -> None:
    eng = SyncEngine(cache, api, principal=PRINCIPAL, listen=False)
    eng.submit("nobody.knows", {})
    api.lang = "en"
    eng.run_cycle()
    [item] = eng.status().rejected
    assert item.message.startswith("Client and server do not match")
