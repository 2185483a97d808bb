"""One push batch, one transaction (server/push_batch.py): a rejected intent rolls back
alone, a re-sent batch applies nothing twice, a bug keeps what came before it, an intent
that acts after its rollback gets a transaction of its own, and a changed post counts for
the next intent of the same batch."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import event, func, select

from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.common.intents import define
from server.changefeed import ChangeLog, record_change
from server.db import session_scope
from server.directory.models import Post
from server.mutations import AppliedMutation, MutationContext, mutation
from tests.server.helpers import add_body, add_person, login

ENTITY = "testing.batch_note"
CALLS: list[str] = []
AFTER_ROLLBACK: list[str] = []


class BatchNoteArgs(BaseModel):
    text: str


class GrantArgs(BaseModel):
    role: str


@mutation(define("testing.batch_note", BatchNoteArgs, offline=False))
def _batch_note(ctx: MutationContext, args: BatchNoteArgs) -> dict[str, Any]:
    CALLS.append(args.text)
    note_id = f"note-{ctx.mutation_id}"
    # Written before the refusal below: a rejected intent's own writes must not stay.
    record_change(ctx.session, ENTITY, note_id, {"text": args.text},
                  {f"user:{ctx.principal.person_id}"})
    if args.text == "forbidden":
        raise ValidationFailed("request.invalid", detail="forbidden text")
    if args.text == "boom":
        raise RuntimeError("a bug in the handler")
    if args.text == "needs-role" and not ctx.principal.has_role("testing_role"):
        raise PermissionDenied("permission.denied", action="testing_role")
    if args.text == "register-refusal":
        # Like server/seals/refusals.py: write a row once this transaction is rolled back.
        engine = ctx.session.get_bind()
        mid = ctx.mutation_id

        def after_rollback(_session: Any) -> None:
            with session_scope(engine) as fresh:  # type: ignore[arg-type]
                record_change(fresh, ENTITY, f"refusal-{mid}", {"refused": mid}, {"all"})
            AFTER_ROLLBACK.append(mid)

        event.listen(ctx.session, "after_rollback", after_rollback, once=True)
        raise Conflict("permission.denied", action="register")
    return {"note_id": note_id}


@mutation(define("testing.batch_grant", GrantArgs, offline=False))
def _batch_grant(ctx: MutationContext, args: GrantArgs) -> None:
    post = ctx.session.get(Post, f"post-{ctx.principal.person_id}")
    assert post is not None
    post.roles = [*(post.roles or []), args.role]
    ctx.session.flush()


def item(text: str) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "name": "testing.batch_note", "args": {"text": text}}


def notes(app: Any) -> list[str]:
    with session_scope(app.state.sessions) as s:
        return sorted(d["text"] for d in s.scalars(
            select(ChangeLog.data).where(ChangeLog.entity == ENTITY)) if "text" in d)


def applied_rows(app: Any) -> int:
    with session_scope(app.state.sessions) as s:
        return s.scalar(select(func.count()).select_from(AppliedMutation)) or 0


def setup(app: Any) -> tuple[TestClient, dict[str, str]]:
    add_body(app)
    account = add_person(app, "p-1", "张伟")
    client = TestClient(app)
    CALLS.clear()
    AFTER_ROLLBACK.clear()
    return client, login(client, account)


def push(client: TestClient, headers: dict[str, str], items: list[dict[str, Any]],
         status: int = 200) -> list[dict[str, Any]]:
    response = client.post("/api/v1/sync/push", headers=headers, json={"mutations": items})
    assert response.status_code == status, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_a_rejected_intent_in_the_middle_rolls_back_alone_and_a_resent_batch_applies_nothing_twice(
        app: Any) -> None:
    client, headers = setup(app)
    batch = [item("one"), item("two"), item("forbidden"), item("three"), item("four")]
    first = push(client, headers, batch)
    assert [r["status"] for r in first] == ["applied", "applied", "rejected", "applied",
                                            "applied"]
    assert [r["id"] for r in first] == [i["id"] for i in batch]
    assert "forbidden text" in first[2]["error"]["message"]
    assert notes(app) == ["four", "one", "three", "two"]  # "forbidden" left nothing
    assert applied_rows(app) == 5  # the rejection is remembered too
    calls = list(CALLS)

    again = push(client, headers, batch)
    assert again == first
    assert calls == CALLS  # answered from the stored rows: no handler ran
    assert notes(app) == ["four", "one", "three", "two"]
    assert applied_rows(app) == 5


def test_a_resent_batch_with_new_intents_applies_only_the_new_ones(app: Any) -> None:
    client, headers = setup(app)
    old = [item("a"), item("b")]
    push(client, headers, old)
    results = push(client, headers, [*old, item("c"), old[0]])
    assert [r["status"] for r in results] == ["applied"] * 4
    assert results[3] == results[0]
    assert notes(app) == ["a", "b", "c"]
    assert CALLS == ["a", "b", "c"]


def test_a_bug_keeps_the_intents_before_it_and_nothing_of_its_own(app: Any) -> None:
    client, headers = setup(app)
    batch = [item("before"), item("boom"), item("after")]
    results = push(client, headers, batch, status=500)
    assert [(r["id"], r["status"]) for r in results] == [(batch[0]["id"], "applied")]
    assert notes(app) == ["before"]
    assert applied_rows(app) == 1
    # (The batch's fast pass ran "before" and "boom" too, then was rolled back whole.)
    CALLS.clear()
    # The client sends the rest again later; the applied one is not applied twice.
    results = push(client, headers, [batch[0], batch[2]])
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert notes(app) == ["after", "before"]
    assert CALLS == ["after"]


def test_an_intent_acting_after_its_rollback_gets_a_transaction_of_its_own(app: Any) -> None:
    client, headers = setup(app)
    batch = [item("one"), item("register-refusal"), item("two")]
    results = push(client, headers, batch)
    assert [r["status"] for r in results] == ["applied", "conflict", "applied"]
    assert [batch[1]["id"]] == AFTER_ROLLBACK  # once, after the real rollback
    assert notes(app) == ["one", "two"]
    with session_scope(app.state.sessions) as s:
        assert s.get(ChangeLog, (ENTITY, f"refusal-{batch[1]['id']}")) is not None
    assert push(client, headers, batch) == results
    assert [batch[1]["id"]] == AFTER_ROLLBACK


def test_a_post_changed_in_the_batch_counts_for_the_next_intent(app: Any) -> None:
    client, headers = setup(app)
    grant = {"id": uuid.uuid4().hex, "name": "testing.batch_grant",
             "args": {"role": "testing_role"}}
    results = push(client, headers, [item("needs-role"), grant, item("needs-role")])
    assert [r["status"] for r in results] == ["rejected", "applied", "applied"]


def test_concurrent_retries_of_one_batch_apply_each_intent_once(app: Any) -> None:
    import threading

    from server.push_batch import apply_batch

    setup(app)
    batch = [item(f"race-{i}") for i in range(5)]
    answers: list[list[dict[str, Any]]] = []
    barrier = threading.Barrier(4)

    def go() -> None:
        barrier.wait()
        results, bug = apply_batch(app.state.sessions, "p-1", "p-1", batch, "zh_CN")
        assert bug is None
        answers.append(results)

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 4 and all(a == answers[0] for a in answers)
    assert [r["status"] for r in answers[0]] == ["applied"] * 5
    assert notes(app) == sorted(f"race-{i}" for i in range(5))
    assert applied_rows(app) == 5


class ReadBackArgs(BaseModel):
    note: str
    audience: list[str] = []


@mutation(define("testing.batch_read_back", ReadBackArgs, offline=False))
def _batch_read_back(ctx: MutationContext, args: ReadBackArgs) -> dict[str, Any]:
    """Publishes the note ``args.note`` again (to ``args.audience``) and says what the
    feed held for it when it ran: a read of the feed's tables inside the batch."""
    row = ctx.session.get(ChangeLog, (ENTITY, args.note))
    seen = row.data if row is not None else None
    record_change(ctx.session, ENTITY, args.note, {"text": f"again {args.note}"},
                  set(args.audience) or {f"user:{ctx.principal.person_id}"})
    return {"seen": seen}


def read_back(note: str, audience: list[str] | None = None) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "name": "testing.batch_read_back",
            "args": {"note": note, "audience": audience or []}}


def test_an_intent_reading_the_feed_sees_what_earlier_intents_of_the_batch_published(
        app: Any) -> None:
    # The fast pass buffers feed rows until its commit; an intent that reads the feed's
    # tables must still see them, as it would with a savepoint per intent.
    client, headers = setup(app)
    first = item("published first")
    results = push(client, headers, [first, read_back(f"note-{first['id']}")])
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[1]["result"]["seen"] == {"text": "published first"}
    assert notes(app) == [f"again note-{first['id']}"]


def test_an_entity_published_twice_in_a_batch_ends_with_its_last_state_and_audience(
        app: Any) -> None:
    from server.changefeed import ChangeAudience

    client, headers = setup(app)
    note = item("kept")
    push(client, headers, [note])  # visible to user:p-1 before the batch
    note_id = f"note-{note['id']}"
    # In one batch: republished to user:p-2 and user:p-3, then to user:p-3 alone.
    results = push(client, headers, [read_back(note_id, ["user:p-2", "user:p-3"]),
                                     item("other"), read_back(note_id, ["user:p-3"])])
    assert [r["status"] for r in results] == ["applied"] * 3
    with session_scope(app.state.sessions) as s:
        rows = {a.key: a.visible for a in s.scalars(
            select(ChangeAudience).where(ChangeAudience.entity == ENTITY,
                                         ChangeAudience.entity_id == note_id))}
        log_row = s.get(ChangeLog, (ENTITY, note_id))
        assert log_row is not None and log_row.data == {"text": f"again {note_id}"}
        assert log_row.seq is not None  # numbered (after the commit on PostgreSQL)
        other = s.scalars(select(ChangeLog).where(
            ChangeLog.entity == ENTITY, ChangeLog.entity_id != note_id)).one()
        assert other.seq is not None and other.seq < log_row.seq  # publication order
    assert rows["user:p-1"] is False  # lost access: a tombstone for the reader who had it
    assert rows["user:p-3"] is True
    assert rows.get("user:p-2") in (None, False)  # never committed as visible


def test_the_exact_pass_alone_gives_the_same_answers(app: Any, monkeypatch: Any) -> None:
    from server.push_batch import _Runner

    monkeypatch.setattr(_Runner, "FAST", False)
    client, headers = setup(app)
    batch = [item("one"), item("forbidden"), item("two")]
    results = push(client, headers, batch)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert CALLS == ["one", "forbidden", "two"]  # each ran once: no fast pass first
    assert notes(app) == ["one", "two"]
    assert push(client, headers, batch) == results
