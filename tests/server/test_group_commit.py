"""Group commit (server/push_batch.py ``_Combiner``): concurrent callers' batches applied
in one transaction give each caller the answer it would have had alone — its own
principal, its own idempotency rows, its own audit entries — and anything that needs
handling of its own sends every batch of the group back to be applied alone.

Each test makes the group deterministic: one slot, held by a first batch whose intent
waits for the test; the batches sent meanwhile queue, and the slot, once free, takes
them all as one group."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select

from modules.common.errors import PermissionDenied, ValidationFailed
from modules.common.intents import define
from server.audit.models import AuditEntry
from server.auth.principal import load_principal
from server.changefeed import ChangeAudience, ChangeLog, record_change
from server.db import session_scope
from server.directory.models import Post
from server.logs import request_id_var
from server.mutations import AppliedMutation, MutationContext, mutation
from server.push_batch import _Combiner, _combiner_for, apply_batch
from tests.server.helpers import add_body, add_person

ENTITY = "testing.group_note"
GATE = threading.Event()
RAN: list[tuple[str, str]] = []


class NoteArgs(BaseModel):
    text: str
    wait: bool = False


class GrantToArgs(BaseModel):
    person_id: str
    role: str


@mutation(define("testing.group_note", NoteArgs, offline=False))
def _group_note(ctx: MutationContext, args: NoteArgs) -> dict[str, Any]:
    if args.wait:
        assert GATE.wait(30), "the test never opened the gate"
    RAN.append((ctx.principal.person_id, args.text))
    note_id = f"note-{ctx.mutation_id}"
    record_change(ctx.session, ENTITY, note_id, {"text": args.text, "by": ctx.principal.person_id},
                  {f"user:{ctx.principal.person_id}"})
    if args.text == "forbidden":
        raise ValidationFailed("request.invalid", detail="forbidden text")
    if args.text == "needs-role" and not ctx.principal.has_role("testing_role"):
        raise PermissionDenied("permission.denied", action="testing_role")
    return {"note_id": note_id, "by": ctx.principal.person_id}


@mutation(define("testing.group_grant_to", GrantToArgs, offline=False))
def _group_grant_to(ctx: MutationContext, args: GrantToArgs) -> None:
    post = ctx.session.get(Post, f"post-{args.person_id}")
    assert post is not None
    post.roles = [*(post.roles or []), args.role]
    ctx.session.flush()


def note(text: str, *, wait: bool = False) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "name": "testing.group_note",
            "args": {"text": text, "wait": wait}}


@pytest.fixture
def one_slot(app: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[_Combiner]:
    monkeypatch.setattr(_Combiner, "SLOTS", 1)
    add_body(app)
    for person_id, name in (("p-1", "张伟"), ("p-2", "李娜"), ("p-3", "王芳")):
        add_person(app, person_id, name)
    GATE.clear()
    RAN.clear()
    yield _combiner_for(app.state.sessions, None, None)
    GATE.set()


def grouped(app: Any, combiner: _Combiner,
            batches: list[tuple[str, list[dict[str, Any]], Any]]) -> list[Any]:
    """Hold the slot with a waiting intent of p-3, send ``batches`` (person, items,
    principal) from threads of their own, and once all queue behind it, let go; returns
    each batch's (results, bug), the holder's first."""
    answers: list[Any] = [None] * (len(batches) + 1)

    def send(index: int, person_id: str, items: list[dict[str, Any]], principal: Any) -> None:
        request_id_var.set(f"request-{index}")  # as the request's middleware sets it
        answers[index] = apply_batch(app.state.sessions, person_id, person_id, items, "zh_CN",
                                     principal=principal)

    holder = threading.Thread(target=send, args=(0, "p-3", [note("holder", wait=True)], None))
    holder.start()
    deadline = time.monotonic() + 10
    while combiner._running == 0:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    threads = [threading.Thread(target=send, args=(i + 1, *batch))
               for i, batch in enumerate(batches)]
    for thread in threads:
        thread.start()
    while len(combiner._queue) < len(batches):
        assert time.monotonic() < deadline, "the batches did not queue behind the holder"
        time.sleep(0.005)
    GATE.set()
    for thread in [holder, *threads]:
        thread.join(30)
    return answers


def feed(app: Any) -> dict[str, tuple[dict[str, Any] | None, set[str], int | None]]:
    with session_scope(app.state.sessions) as s:
        audiences: dict[str, set[str]] = {}
        for row in s.scalars(select(ChangeAudience).where(ChangeAudience.entity == ENTITY)):
            if row.visible:
                audiences.setdefault(row.entity_id, set()).add(row.key)
        return {row.entity_id: (row.data, audiences.get(row.entity_id, set()), row.seq)
                for row in s.scalars(select(ChangeLog).where(ChangeLog.entity == ENTITY))}


def stored(app: Any) -> set[tuple[str, str]]:
    with session_scope(app.state.sessions) as s:
        return {(p, m) for p, m in s.execute(
            select(AppliedMutation.person_id, AppliedMutation.mutation_id))}


def test_queued_batches_of_different_people_commit_together_each_as_its_sender(
        app: Any, one_slot: _Combiner) -> None:
    first, second, third = note("one"), note("two"), note("three")
    answers = grouped(app, one_slot, [("p-1", [first], None), ("p-2", [second, third], None)])
    assert one_slot.groups == 1 and one_slot.fallbacks == 0
    (holder, bug0), (one, bug1), (two, bug2) = answers
    assert bug0 is bug1 is bug2 is None
    assert [r["status"] for r in holder + one + two] == ["applied"] * 4
    assert one[0]["id"] == first["id"] and one[0]["result"]["by"] == "p-1"
    assert [r["id"] for r in two] == [second["id"], third["id"]]
    assert {r["result"]["by"] for r in two} == {"p-2"}
    rows = feed(app)
    assert rows[f"note-{first['id']}"][:2] == ({"text": "one", "by": "p-1"}, {"user:p-1"})
    assert rows[f"note-{third['id']}"][:2] == ({"text": "three", "by": "p-2"}, {"user:p-2"})
    seqs = [rows[f"note-{i['id']}"][2] for i in (first, second, third)]
    numbered = [seq for seq in seqs if seq is not None]
    assert numbered == sorted(numbered) and len(numbered) == 3  # in the group's order
    # Each person's idempotency rows and audit entries are their own.
    assert {("p-1", first["id"]), ("p-2", second["id"]),
            ("p-2", third["id"])} <= stored(app)
    with session_scope(app.state.sessions) as s:
        actors = {json.loads(detail)["mutation"]: (actor, request) for actor, detail, request
                  in s.execute(select(AuditEntry.actor_id, AuditEntry.detail,
                                      AuditEntry.request_id)
                               .where(AuditEntry.action == "intent.testing.group_note"))}
    assert {k: actors[k] for k in (first["id"], second["id"], third["id"])} == {
        first["id"]: ("p-1", "request-1"), second["id"]: ("p-2", "request-2"),
        third["id"]: ("p-2", "request-2")}


def test_a_batch_sent_twice_into_one_group_is_applied_once(
        app: Any, one_slot: _Combiner) -> None:
    batch = [note("once"), note("twice?")]
    answers = grouped(app, one_slot, [("p-1", batch, None), ("p-1", batch, None)])
    assert one_slot.groups == 1 and one_slot.fallbacks == 0
    assert answers[1] == answers[2]
    assert [r["status"] for r in answers[1][0]] == ["applied", "applied"]
    assert [text for who, text in RAN if who == "p-1"] == ["once", "twice?"]
    with session_scope(app.state.sessions) as s:
        assert s.scalar(select(func.count()).select_from(AppliedMutation)
                        .where(AppliedMutation.person_id == "p-1")) == 2


def test_a_refused_intent_sends_the_group_back_and_each_batch_gets_its_own_answer(
        app: Any, one_slot: _Combiner) -> None:
    good, bad, after = note("fine"), note("forbidden"), note("after")
    answers = grouped(app, one_slot, [("p-1", [good], None), ("p-2", [bad, after], None)])
    assert one_slot.groups == 1 and one_slot.fallbacks == 1
    assert [r["status"] for r in answers[1][0]] == ["applied"]
    assert [r["status"] for r in answers[2][0]] == ["rejected", "applied"]
    assert answers[2][0][0]["error"]["code"] == "request.invalid"
    rows = feed(app)
    assert f"note-{bad['id']}" not in rows  # the refused intent's own write did not stay
    assert {f"note-{good['id']}", f"note-{after['id']}"} <= set(rows)
    # Nothing of the group stood: p-1's intent committed once, by its own transaction.
    assert stored(app) >= {("p-1", good["id"]), ("p-2", bad["id"]), ("p-2", after["id"])}
    assert len(stored(app)) == 4


def test_a_role_granted_earlier_in_the_group_counts_for_a_later_member(
        app: Any, one_slot: _Combiner) -> None:
    with session_scope(app.state.sessions) as s:
        before = load_principal(s, "p-2", "p-2")  # as the request's sign-in loaded it
    assert not before.has_role("testing_role")
    grant = {"id": uuid.uuid4().hex, "name": "testing.group_grant_to",
             "args": {"person_id": "p-2", "role": "testing_role"}}
    needs = note("needs-role")
    answers = grouped(app, one_slot, [("p-1", [grant], None), ("p-2", [needs], before)])
    assert one_slot.groups == 1
    assert one_slot.fallbacks == 0  # p-2 was loaded again after the grant, in the group
    assert [r["status"] for r in answers[2][0]] == ["applied"]


def test_one_caller_at_a_time_is_never_grouped(app: Any, one_slot: _Combiner) -> None:
    GATE.set()
    for text in ("a", "b", "c"):
        results, bug = apply_batch(app.state.sessions, "p-1", "p-1", [note(text)], "zh_CN")
        assert bug is None and results[0]["status"] == "applied"
    assert one_slot.groups == 0 and one_slot._running == 0 and not one_slot._queue


def test_a_large_batch_is_applied_alone(app: Any, one_slot: _Combiner) -> None:
    big = [note(f"n{i}") for i in range(_Combiner.JOIN_MAX + 1)]
    answers = grouped(app, one_slot, [("p-1", [note("small")], None)])
    results, bug = apply_batch(app.state.sessions, "p-2", "p-2", big, "zh_CN")
    assert bug is None and len(results) == len(big)
    assert one_slot.groups == 0  # the holder and the small batch: one after the other
    assert [r["status"] for r in answers[1][0]] == ["applied"]


def test_an_intent_refused_before_its_rules_ran_keeps_the_group(
        app: Any, one_slot: _Combiner) -> None:
    unknown = {"id": uuid.uuid4().hex, "name": "testing.no_such_intent", "args": {}}
    fine = note("fine")
    answers = grouped(app, one_slot, [("p-1", [unknown, fine], None),
                                      ("p-2", [note("other")], None)])
    assert one_slot.groups == 1 and one_slot.fallbacks == 0  # nothing to roll back
    results = answers[1][0]
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert results[0]["error"]["code"] == "sync.unknown_mutation"
    assert ("p-1", unknown["id"]) in stored(app)  # a re-send gets the same refusal
    again, bug = apply_batch(app.state.sessions, "p-1", "p-1", [unknown], "zh_CN")
    assert bug is None and again == [results[0]]
