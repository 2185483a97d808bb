"""A push the server cannot read never blocks the outbox; server errors stay traceable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync.api import ApiClient, MemoryTokenStore
from sync.cache import LocalCache
from sync.engine import SyncEngine
from tests.sync.conftest import PRINCIPAL
from tests.sync.fakes import FakeServer


def _answering(server: FakeServer, status: int, code: str) -> httpx.MockTransport:
    """The fake server, except that every push is refused with ``status``."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/sync/push"):
            return httpx.Response(status, json={
                "error": {"code": code, "message": code, "params": {}},
                "request_id": f"rid-{status}"})
        return server.handle(request)

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("status", [409, 429])
def test_a_push_refused_for_the_moment_keeps_the_intents(server: FakeServer, status: int) -> None:
    api = ApiClient("http://test", token_store=MemoryTokenStore(),
                    transport=_answering(server, status, "sync.busy"))
    api.login("zhangwei", "secret-1")
    engine = SyncEngine(LocalCache(None), api, principal=PRINCIPAL, listen=False)
    engine.submit("notes.set", {"id": "n1", "text": "x"})
    engine.run_cycle({"push"})
    assert engine.status().rejected == ()
    assert engine.status().pending == 1


def test_a_push_refused_as_unreadable_rejects_the_intent_with_the_reason(
        server: FakeServer) -> None:
    api = ApiClient("http://test", token_store=MemoryTokenStore(),
                    transport=_answering(server, 400, "request.malformed_json"))
    api.login("zhangwei", "secret-1")
    engine = SyncEngine(LocalCache(None), api, principal=PRINCIPAL, listen=False)
    engine.submit("notes.set", {"id": "n1", "text": "x"})
    engine.run_cycle({"push"})
    [item] = engine.status().rejected
    assert item.code == "request.malformed_json" and item.request_id == "rid-400"
    assert engine.status().pending == 0


def test_a_server_error_keeps_its_request_id(server: FakeServer) -> None:
    api = ApiClient("http://test", lang="en", token_store=MemoryTokenStore(),
                    transport=_answering(server, 500, "internal_error"))
    api.login("zhangwei", "secret-1")
    engine = SyncEngine(LocalCache(None), api, principal=PRINCIPAL, listen=False)
    engine.submit("notes.set", {"id": "n1", "text": "x"})
    engine.run_cycle({"push"})
    assert engine.status().pending == 1
    assert "rid-500" in (engine.status().last_error or "")


# -- against the real server, on both databases ----------------------------------------


@pytest.fixture
def live_api(app: Any) -> Iterator[ApiClient]:
    from tests.server.helpers import PASSWORD, add_body, add_person

    add_body(app)
    account = add_person(app, "p-1", "张伟")
    test_client = TestClient(app, raise_server_exceptions=False)

    def through_app(request: httpx.Request) -> httpx.Response:
        answer = test_client.request(request.method, str(request.url), content=request.content,
                                     headers=dict(request.headers))
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    api = ApiClient("http://testserver", token_store=MemoryTokenStore(),
                    transport=httpx.MockTransport(through_app))
    api.login(account, PASSWORD)
    yield api
    api.close()


def test_an_intent_the_server_cannot_read_is_rejected_and_the_next_one_goes_through(
        app: Any, live_api: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from server.directory.models import Person
    from sync import local

    engine = SyncEngine(LocalCache(None), live_api, principal=PRINCIPAL, listen=False)
    import modules.directory.service  # noqa: F401 - the client's applier, as in the app

    # A client of another release, which knows neither the server's schema for the
    # intent nor its effect (today's client refuses such arguments itself, see the test
    # below): it queues what it was given; the server's model refuses the unknown field.
    monkeypatch.setattr(local, "get_intent", lambda name: None)
    monkeypatch.setattr(local, "get_applier", lambda name: None)
    engine.submit("directory.update_contact", {"email": "c@d.cn", "nickname": "伟"})
    engine.submit("directory.update_contact", {"email": "a@b.cn"})
    engine.run_cycle({"push"})
    status = engine.status()
    assert status.pending == 0
    [item] = status.rejected
    assert item.code == "request.invalid" and item.message
    with app.state.sessions() as s:
        assert s.get(Person, "p-1").email == "a@b.cn"


def test_the_client_refuses_arguments_the_servers_schema_refuses_before_queueing() -> None:
    from modules.common.errors import ValidationFailed

    engine = SyncEngine(LocalCache(None), None, principal=PRINCIPAL, listen=False)  # type: ignore[arg-type]
    import modules.directory.service  # noqa: F401 - the client's applier, as in the app

    with pytest.raises(ValidationFailed) as caught:
        engine.submit("directory.update_contact", {"email": "c@d.cn", "nickname": "伟"})
    assert caught.value.code == "request.invalid" and "nickname" in caught.value.message("en")
    assert engine.status().pending == 0


def test_text_that_is_not_unicode_still_reaches_the_server_and_is_refused_in_words(
        app: Any, live_api: ApiClient) -> None:
    from server.mutations import AppliedMutation

    results = live_api.push([
        {"id": "m-00000001", "name": "directory.update_contact", "args": {"phone": "138\ud800"}},
        {"id": "m-00000002", "name": "directory.update_contact", "args": {"email": "a@b.cn"}},
    ])
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["error"]["code"] == "request.invalid_text"
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AppliedMutation)) == 2


@pytest.mark.parametrize("bad", ["\ud800", "a\x00b", "标题\udfff"])
def test_the_client_refuses_text_no_database_can_store_before_queueing(bad: str) -> None:
    """A lone surrogate or NUL would make the cache's JSON writer fail as a bug; it is
    refused in words and nothing is queued."""
    import datetime as dt

    from sqlalchemy import func, select

    from modules.common.errors import ValidationFailed
    from sync.cache import LocalCache, outbox
    from sync.local import submit_intent

    cache = LocalCache(None)
    try:
        with pytest.raises(ValidationFailed) as err, cache.write() as s:
            submit_intent(s, "documents.save_draft", {"document_id": "d-1", "title": bad},
                          now=dt.datetime.now(dt.UTC),
                          principal={"person_id": "p-1", "name": "张伟", "roles": [], "body_ids": []})
        assert err.value.code == "request.invalid_text"
        assert "无法保存的字符" in err.value.message()
        with cache.read() as s:
            assert s.scalar(select(func.count()).select_from(outbox)) == 0
    finally:
        cache.close()
