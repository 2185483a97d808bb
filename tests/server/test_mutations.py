"""Intents: applied once, retried safely, rejected in words, concurrent retries."""

from __future__ import annotations

import threading
import uuid
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import func, select

from modules.common.errors import Conflict, ValidationFailed
from modules.common.intents import define
from server.changefeed import ChangeLog, record_change
from server.db import session_scope
from server.mutations import MutationContext, apply_one, mutation
from tests.server.helpers import add_body, add_person, login

CALLS: list[str] = []


class NoteArgs(BaseModel):
    text: str


@mutation(define("testing.note", NoteArgs, offline=False))
def _note(ctx: MutationContext, args: NoteArgs) -> dict[str, Any]:
    if args.text == "forbidden":
        raise ValidationFailed("request.invalid", detail="forbidden text")
    if args.text == "late":
        raise Conflict("permission.denied", action="late")
    CALLS.append(ctx.mutation_id)
    note_id = f"note-{ctx.mutation_id}"
    record_change(ctx.session, "testing.note", note_id, {"text": args.text},
                  {f"user:{ctx.principal.person_id}"})
    return {"note_id": note_id}


def notes(app: Any) -> int:
    with session_scope(app.state.sessions) as s:
        return s.scalar(select(func.count()).select_from(ChangeLog).where(
            ChangeLog.entity == "testing.note")) or 0


def push(client: TestClient, headers: dict[str, str], *items: dict[str, Any]) -> Any:
    response = client.post("/api/v1/sync/push", headers=headers, json={"mutations": list(items)})
    assert response.status_code == 200, response.text
    return response.json()["results"]


def test_retry_returns_first_result_and_applies_once(app: Any) -> None:
    add_body(app)
    account = add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = login(client, account)
    item = {"id": uuid.uuid4().hex, "name": "testing.note", "args": {"text": "hello"}}
    first = push(client, headers, item)
    second = push(client, headers, item)
    assert first == second
    assert first[0]["status"] == "applied"
    assert notes(app) == 1


def test_rejections_are_in_words_and_remembered(app: Any) -> None:
    add_body(app)
    account = add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = login(client, account)
    bad = {"id": uuid.uuid4().hex, "name": "testing.note", "args": {"text": "forbidden"}}
    late = {"id": uuid.uuid4().hex, "name": "testing.note", "args": {"text": "late"}}
    unknown = {"id": uuid.uuid4().hex, "name": "testing.nothing", "args": {}}
    wrong_type = {"id": uuid.uuid4().hex, "name": "testing.note", "args": {"text": 5}}
    results = push(client, headers, bad, late, unknown, wrong_type)
    assert [r["status"] for r in results] == ["rejected", "conflict", "rejected", "rejected"]
    assert "forbidden text" in results[0]["error"]["message"]
    assert results[2]["error"]["code"] == "sync.unknown_mutation"
    assert "testing.nothing" in results[2]["error"]["message"]
    assert results[3]["error"]["message"].startswith("请求参数有误")
    assert push(client, headers, bad) == [results[0]]
    assert notes(app) == 0


def test_same_id_with_other_args_is_refused(app: Any) -> None:
    add_body(app)
    account = add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = login(client, account)
    mid = uuid.uuid4().hex
    push(client, headers, {"id": mid, "name": "testing.note", "args": {"text": "a"}})
    again = push(client, headers, {"id": mid, "name": "testing.note", "args": {"text": "b"}})
    assert again[0]["status"] == "rejected"
    assert again[0]["error"]["code"] == "sync.mutation_id_reused"
    assert notes(app) == 1


def test_concurrent_retries_of_one_intent_apply_it_once(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    item = {"id": uuid.uuid4().hex, "name": "testing.note", "args": {"text": "race"}}
    results: list[dict[str, Any]] = []
    barrier = threading.Barrier(4)

    def go() -> None:
        barrier.wait()
        results.append(apply_one(app.state.sessions, "p-1", "p-1", item, "zh_CN"))

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert all(r == results[0] for r in results)
    assert results[0]["status"] == "applied"
    assert notes(app) == 1


def test_messages_follow_accept_language(app: Any) -> None:
    add_body(app)
    account = add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = {**login(client, account), "Accept-Language": "en"}
    results = push(client, headers, {"id": uuid.uuid4().hex, "name": "testing.nothing", "args": {}})
    assert results[0]["error"]["message"].startswith("Client and server do not match")
