"""The fast pass leaves an intent's plain updates unflushed, to go with the next intents'
in one flush (server/push_batch.py, ``_Runner._defer``). What must still hold: every
later read sees them (through the session: autoflush; around it: the pass is run again
the exact way), a change to who the principal is counts for the next intent, a flush
error is the intent's own, and the end state and answers are those of the exact pass."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import event, select

from modules.common.intents import define
from server.db import session_scope
from server.directory.models import Person
from server.mutations import MutationContext, mutation
from tests.server.helpers import add_person
from tests.server.test_push_batch import push, setup

RUNS: list[str] = []


class PhoneArgs(BaseModel):
    person_id: str
    phone: str = ""
    name: str = ""


@mutation(define("testing.deferred_phone", PhoneArgs, offline=False))
def _phone(ctx: MutationContext, args: PhoneArgs) -> dict[str, Any]:
    RUNS.append("phone")
    person = ctx.session.get(Person, args.person_id)
    assert person is not None
    person.phone = args.phone  # no flush: the batch may leave it for later
    return {}


@mutation(define("testing.deferred_rename", PhoneArgs, offline=False))
def _rename(ctx: MutationContext, args: PhoneArgs) -> dict[str, Any]:
    person = ctx.session.get(Person, args.person_id)
    assert person is not None
    person.name = args.name  # a column the principal is loaded from
    return {}


@mutation(define("testing.deferred_read", PhoneArgs, offline=False))
def _read(ctx: MutationContext, args: PhoneArgs) -> dict[str, Any]:
    RUNS.append("read")
    phone = ctx.session.execute(
        select(Person.phone).where(Person.id == args.person_id)).scalar_one()
    return {"phone": phone, "me": ctx.principal.name}


@mutation(define("testing.deferred_peek", PhoneArgs, offline=False))
def _peek(ctx: MutationContext, args: PhoneArgs) -> dict[str, Any]:
    RUNS.append("peek")
    # Around the session: no autoflush.
    phone = ctx.session.connection().execute(
        select(Person.__table__.c.phone).where(Person.__table__.c.id == args.person_id)
    ).scalar_one()
    return {"phone": phone}


def it(kind: str, _n: int, **args: Any) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "name": f"testing.deferred_{kind}", "args": args}


def _updates(app: Any) -> list[str]:
    seen: list[str] = []

    def on_execute(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE DIRECTORY_PERSON"):
            seen.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", on_execute)
    return seen


def _phones(app: Any) -> dict[str, str]:
    with session_scope(app.state.sessions) as s:
        return {p.id: p.phone for p in s.scalars(select(Person))}


@pytest.fixture
def batch(app: Any) -> Any:
    client, headers = setup(app)
    add_person(app, "p-2", "李娜")
    add_person(app, "p-3", "王芳")
    RUNS.clear()
    return client, headers


def test_updates_of_several_intents_go_in_one_flush_and_reads_see_them(
        app: Any, batch: Any) -> None:
    client, headers = batch
    updates = _updates(app)
    items = [it("phone", i, person_id=p, phone=f"13{i}") for i, p in
             enumerate(["p-2", "p-3", "p-2", "p-3", "p-2"])]
    items.append(it("read", 9, person_id="p-2"))
    results = push(client, headers, items)
    assert [r["status"] for r in results] == ["applied"] * 6
    assert results[-1]["result"] == {"phone": "134", "me": "张伟"}
    assert RUNS == ["phone"] * 5 + ["read"]  # one pass: the fast one stood
    assert len(updates) <= 2  # (was 5) the two rows, in one flush
    assert _phones(app)["p-2"] == "134" and _phones(app)["p-3"] == "133"
    assert push(client, headers, items) == results  # and nothing is applied twice
    assert RUNS == ["phone"] * 5 + ["read"]


def test_a_read_around_the_session_runs_the_batch_the_exact_way(
        app: Any, batch: Any) -> None:
    client, headers = batch
    items = [it("phone", 1, person_id="p-2", phone="139"), it("peek", 2, person_id="p-2")]
    results = push(client, headers, items)
    assert results[1]["result"] == {"phone": "139"}  # not the unflushed old value
    assert RUNS == ["phone", "peek", "phone", "peek"]  # the fast pass given up


def test_a_change_to_the_principal_counts_for_the_next_intent(app: Any, batch: Any) -> None:
    client, headers = batch
    items = [it("phone", 1, person_id="p-1", phone="131"),
             it("rename", 2, person_id="p-1", name="张伟明"),
             it("phone", 3, person_id="p-1", phone="133"),
             it("read", 4, person_id="p-1")]
    results = push(client, headers, items)
    assert results[-1]["result"] == {"phone": "133", "me": "张伟明"}
    assert RUNS == ["phone", "phone", "read"]


def test_an_update_failing_at_the_later_flush_is_its_own_intents_error(
        app: Any, batch: Any) -> None:
    client, headers = batch
    too_long = "1" * 60  # longer than the column: refused when the update is flushed
    items = [it("phone", 1, person_id="p-2", phone="131"),
             it("phone", 2, person_id="p-3", phone=too_long),
             it("phone", 3, person_id="p-2", phone="133")]
    results = push(client, headers, items)
    # The exact pass names the intent at fault; the others stand.
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    assert results[1]["error"]["code"] == "request.too_long"
    assert RUNS == ["phone"] * 6  # the fast pass, given up at its flush, then the exact one
    assert _phones(app)["p-2"] == "133" and _phones(app)["p-3"] == ""
