"""Bad input gets a 4xx with a clear message — never a 500 — and nothing is written."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server.db import session_scope
from server.mutations import AppliedMutation
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
