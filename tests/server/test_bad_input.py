"""Bad input gets a 4xx with a clear message — never a 500 — and nothing is written."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import func, select

from modules.common.errors import ValidationFailed
from modules.common.intents import define
from server.db import session_scope
from server.directory.models import Body
from server.mutations import AppliedMutation, MutationContext, _registry, mutation
from tests.server.helpers import add_body, add_person, login


@pytest.fixture
def client_and_headers(app: Any) -> tuple[TestClient, dict[str, str]]:
    add_body(app)
    account = add_person(app, "p-1", "张伟")
    client = TestClient(app, raise_server_exceptions=False)
    return client, login(client, account)


CASES = [
    ("malformed json", "post", "/api/v1/sync/push", {"content": b'{"mutations": [', "json_ct": True}, 400,
     "request.malformed_json"),
    ("wrong type", "post", "/api/v1/sync/push", {"json": {"mutations": "all"}}, 422, "request.invalid"),
    ("unknown field", "post", "/api/v1/sync/push", {"json": {"mutations": [], "x": 1}}, 422,
     "request.invalid"),
    ("bad mutation id", "post", "/api/v1/sync/push",
     {"json": {"mutations": [{"id": "../../", "name": "a.b", "args": {}}]}}, 422, "request.invalid"),
    ("too many", "post", "/api/v1/sync/push",
     {"json": {"mutations": [{"id": uuid.uuid4().hex, "name": "a.b", "args": {}} for _ in range(101)]}},
     413, "sync.batch_too_large"),
    ("bad cursor", "get", "/api/v1/sync/pull", {"params": {"cursor": "%%%"}}, 400, "sync.bad_cursor"),
    ("limit out of range", "get", "/api/v1/sync/pull", {"params": {"limit": 0}}, 422, "request.invalid"),
    ("bad sha", "get", "/api/v1/blobs/zzz/status", {}, 422, "request.invalid"),
    ("unknown route", "get", "/api/v1/nowhere", {}, 404, "request.not_found"),
    ("wrong method", "delete", "/api/v1/sync/pull", {}, 405, "request.method_not_allowed"),
    ("oversized body", "post", "/api/v1/sync/push", {"content": b"x" * (9 * 1024 * 1024)}, 413,
     "request.too_large"),
]


@pytest.mark.parametrize(("label", "method", "path", "kwargs", "status", "code"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_requests_are_answered_in_words(
    app: Any, client_and_headers: tuple[TestClient, dict[str, str]], label: str, method: str,
    path: str, kwargs: dict[str, Any], status: int, code: str,
) -> None:
    client, headers = client_and_headers
    kwargs = dict(kwargs)
    if kwargs.pop("json_ct", False):
        headers = {**headers, "Content-Type": "application/json"}
    response = getattr(client, method)(path, headers=headers, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"] and "Traceback" not in body["error"]["message"]
    assert body["request_id"]
    with session_scope(app.state.sessions) as s:
        assert s.scalar(select(func.count()).select_from(AppliedMutation)) == 0


def test_every_response_carries_a_request_id(app: Any) -> None:
    client = TestClient(app)
    response = client.get("/api/v1/health", headers={"X-Request-ID": "abc123"})
    assert response.headers["x-request-id"] == "abc123"
    assert response.json()["database"] == "ok"
    assert client.get("/openapi.json").json()["info"]["title"] == "协同办公 API"


# -- text no database can store, lengths, ids, chunked bodies, traceable 500s ----------



class _NameArgs(BaseModel):
    name: str


def _name_body(ctx: MutationContext, args: _NameArgs) -> dict[str, Any]:
    """Writes the argument straight into a String(200) column, unchecked on purpose."""
    ctx.session.add(Body(id=f"b-{ctx.mutation_id[:20]}", name=args.name, short_name="x",
                         tier="province", kind="body", region_id="b-prov"))
    ctx.session.flush()
    return {}


@pytest.fixture
def name_body_intent() -> Iterator[None]:
    """Registers ``testing.name_body`` for one test only (the registry is enumerated by
    other tests, which must not meet it)."""
    mutation(define("testing.name_body", _NameArgs, offline=False))(_name_body)
    yield
    _registry.pop("testing.name_body", None)


def _raw_json(client: TestClient, method: str, path: str, headers: dict[str, str],
              value: Any) -> Any:
    """Send ``value`` ASCII-escaped, so lone surrogates reach the server as ``\\ud800``."""
    return client.request(method, path, content=json.dumps(value).encode(),
                          headers={**headers, "Content-Type": "application/json"})


def _body_count(app: Any) -> int:
    with session_scope(app.state.sessions) as s:
        return s.scalar(select(func.count()).select_from(Body)) or 0


def test_unreadable_intent_is_rejected_alone_and_the_batch_goes_on(
    app: Any, client_and_headers: tuple[TestClient, dict[str, str]], name_body_intent: None,
) -> None:
    client, headers = client_and_headers
    bad, nul, good = uuid.uuid4().hex, uuid.uuid4().hex, uuid.uuid4().hex
    items = [
        {"id": bad, "name": "testing.name_body", "args": {"name": "a\ud800b"}},
        {"id": nul, "name": "testing.name_body", "args": {"name\u0000": "x"}},
        {"id": good, "name": "testing.name_body", "args": {"name": "市局"}},
    ]
    response = _raw_json(client, "POST", "/api/v1/sync/push", headers, {"mutations": items})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"]
    assert results[0]["error"]["code"] == "request.invalid_text"
    assert results[0]["error"]["message"]
    assert _body_count(app) == 2  # the helper's body and the good intent's
    again = _raw_json(client, "POST", "/api/v1/sync/push", headers, {"mutations": items[:1]})
    assert again.json()["results"] == results[:1]  # remembered, answered the same


def test_over_long_value_is_refused_the_same_on_both_databases(
    app: Any, client_and_headers: tuple[TestClient, dict[str, str]], name_body_intent: None,
) -> None:
    client, headers = client_and_headers
    item = {"id": uuid.uuid4().hex, "name": "testing.name_body", "args": {"name": "长" * 10_000}}
    response = client.post("/api/v1/sync/push", headers=headers, json={"mutations": [item]})
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "request.too_long"
    assert result["error"]["params"] == {"field": "name", "limit": 200}
    assert _body_count(app) == 1
    with pytest.raises(ValidationFailed), session_scope(app.state.sessions) as s:
        s.add(Body(id="b-nul", name="a\x00b", short_name="", tier="city", kind="body",
                   region_id="b-prov"))
    assert _body_count(app) == 1


BAD_TEXT = [
    ("surrogate in login", "post", "/api/v1/auth/login", {"account": "\ud800", "password": "x"}),
    ("nul in login", "post", "/api/v1/auth/login", {"account": "a\u0000", "password": "x"}),
    ("nul in a key", "post", "/api/v1/auth/login", {"account\u0000": "a", "password": "x"}),
    ("nul in path", "get", "/api/v1/blobs/ab%00cd/status", None),
    ("newline after blob id", "get", "/api/v1/blobs/" + "a" * 64 + "%0A", None),
    ("nul in query", "get", "/api/v1/sync/pull?cursor=a%00", None),
    ("surrogate in query", "get", "/api/v1/sync/pull?cursor=%ED%A0%80", None),
]


@pytest.mark.parametrize(("label", "method", "path", "value"), BAD_TEXT,
                         ids=[c[0] for c in BAD_TEXT])
def test_text_no_database_can_store_is_a_4xx_in_words(
    app: Any, client_and_headers: tuple[TestClient, dict[str, str]], label: str, method: str,
    path: str, value: Any,
) -> None:
    client, headers = client_and_headers
    if value is None:
        response = client.request(method, path, headers={**headers, "Accept-Language": "en"})
    else:
        response = _raw_json(client, method, path, {**headers, "Accept-Language": "en"}, value)
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert body["error"]["message"] and body["request_id"]
    assert response.headers["x-request-id"] == body["request_id"]


def test_blob_id_with_a_trailing_newline_is_not_an_id() -> None:
    from server.blobs.store import check_sha
    from sync.blobs import check_sha as client_check_sha

    for check in (check_sha, client_check_sha):
        with pytest.raises(ValidationFailed):
            check("a" * 64 + "\n")
        assert check("a" * 64) == "a" * 64


def test_chunked_body_over_the_limit_is_413(
    app: Any, client_and_headers: tuple[TestClient, dict[str, str]],
) -> None:
    client, headers = client_and_headers

    def chunks() -> Any:
        for _ in range(10):
            yield b" " * (1024 * 1024)

    response = client.post("/api/v1/sync/push", content=chunks(),
                           headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert response.json()["error"]["code"] == "request.too_large"


def test_a_bug_answers_500_with_a_traceable_request_id(app: Any) -> None:
    from fastapi import APIRouter

    router = APIRouter()

    @router.get("/api/v1/testing/boom")
    def boom() -> None:
        raise RuntimeError("bug")

    app.include_router(router)
    client = TestClient(app, raise_server_exceptions=False)
    response = client.get("/api/v1/testing/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert body["request_id"] and response.headers["x-request-id"] == body["request_id"]
    assert body["request_id"] in body["error"]["message"]
    asked = client.get("/api/v1/testing/boom", headers={"X-Request-ID": "trace-me"})
    assert asked.json()["request_id"] == "trace-me" == asked.headers["x-request-id"]


def test_405_names_the_allowed_methods(app: Any) -> None:
    response = TestClient(app).delete("/api/v1/sync/pull")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
