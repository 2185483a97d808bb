"""Hypothesis over every intent's arguments: whatever text lands in any string of any
intent (lone surrogates, NUL and other control characters, very long strings), the
server answers each intent in words — never a 5xx — and a refused intent writes nothing.
SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.app import FEATURES
from server.db import session_scope
from server.directory.seed import seed_demo
from server.mutations import args_models
from tests.server.test_classified_everywhere import (
    BASE_ARGS,
    _login,
    _place,
    _snapshot,
    text_paths,
)

NASTY = st.one_of(
    st.sampled_from(["\ud800", "a\udfffb", "\x00", "a\x00", "\x1b[31m", "\x85", "\u2028",
                     "长" * 10_000, "x" * 301, "", " "]),
    st.text(st.characters(categories=["Cs", "Cc", "Lo", "Zs", "Nd"]), max_size=50),
    st.text(max_size=3000),
)


def _names() -> list[str]:
    """The product's intents (tests register their own under other prefixes)."""
    return sorted(name for name in args_models() if name.split(".")[0] in FEATURES)


def _fuzz(app: Any, client: TestClient, headers: dict[str, str], name: str, model: Any,
          paths: list[tuple[Any, ...]]) -> None:
    @given(path=st.sampled_from(paths), text=NASTY)
    @settings(max_examples=5, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(path: tuple[Any, ...], text: str) -> None:
        args = _place(BASE_ARGS[name], model, path, text)
        item = {"id": uuid.uuid4().hex, "name": name, "args": args}
        before = _snapshot(app)
        response = client.post("/api/v1/sync/push", headers=headers,
                               content=json.dumps({"mutations": [item]}).encode())
        assert response.status_code == 200, (name, path, response.text[:300])
        [result] = response.json()["results"]
        assert result["status"] in ("applied", "rejected", "conflict"), result
        if result["status"] != "applied":
            assert result["error"]["message"]
            assert _snapshot(app) == before, (name, path, result)

    check()


@pytest.mark.slow
def test_no_text_in_any_intent_makes_the_server_fail(app: Any) -> None:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    client = TestClient(app, raise_server_exceptions=False)
    headers = {**_login(client, "shixin"), "Content-Type": "application/json"}
    models = args_models()
    assert set(_names()) <= set(BASE_ARGS), "give new intents base arguments in BASE_ARGS"
    fuzzed = 0
    for name in _names():
        paths = text_paths(models[name])[0]
        if paths:
            _fuzz(app, client, headers, name, models[name], paths)
            fuzzed += 1
    assert fuzzed >= 15
