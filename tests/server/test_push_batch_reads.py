"""Reads kept for one push batch (server/batch_reads.py): how many statements an intent
costs in a batch, and that kept rows never decide on what the batch has changed since.

The statement bounds are for ``directory.update_contact`` pushed by one person: what one
more intent adds to a ``POST /sync/push`` batch (a batch of 40 against one of 20). Before
the batch kept its reads it was 9 besides the change feed; now it is 3 — the UPDATE of
the person and the savepoint's two statements —, and 8 all told (the feed's five here:
counter, change_log read and write, audience read and write). Lower them when the feed
writes less; raise them only with a reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import create_engine, event, text, update
from sqlalchemy.orm import Session

from modules.common.errors import ValidationFailed
from modules.common.intents import define
from server import batch_reads
from server.changefeed import ChangeLog
from server.db import session_scope
from server.directory.models import Body, Person, Post
from server.mutations import MutationContext, mutation
from tests.server.helpers import add_body, add_person, login

HANDLER_STATEMENTS_PER_CONTACT_CHANGE = 3.0
#: All told: no savepoint and the feed rows written once per batch (the fast pass).
STATEMENTS_PER_CONTACT_CHANGE = 2.0
#: Includes the feed's rows of the whole batch, written in one go before the commit.
FIXED_PER_REQUEST = 22
FEED_TABLES = ("change_counter", "change_log", "change_audience")


class MoveArgs(BaseModel):
    person_id: str
    body_id: str
    fail: bool = False


class GrantAdminArgs(BaseModel):
    pass


@mutation(define("testing.reads_move_post", MoveArgs, offline=False))
def _move_post(ctx: MutationContext, args: MoveArgs) -> None:
    # A Core UPDATE the ORM objects of the batch know nothing of.
    ctx.session.execute(update(Post).where(Post.person_id == args.person_id)
                        .values(body_id=args.body_id),
                        execution_options={"synchronize_session": False})
    if args.fail:
        raise ValidationFailed("request.invalid", detail="rolled back")


@mutation(define("testing.reads_grant_admin", GrantAdminArgs, offline=False))
def _grant_admin(ctx: MutationContext, args: GrantAdminArgs) -> None:
    post = ctx.session.get(Post, f"post-{ctx.principal.person_id}")
    assert post is not None
    post.roles = [*(post.roles or []), "sys_admin"]


def _intent(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "name": name, "args": args}


def _contact(phone: str, person_id: str | None = None) -> dict[str, Any]:
    args: dict[str, Any] = {"phone": phone}
    if person_id:
        args["person_id"] = person_id
    return _intent("directory.update_contact", args)


@contextmanager
def _counted(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(app.state.engine, "before_cursor_execute", on_execute)


def _world(app: Any) -> tuple[TestClient, dict[str, str]]:
    add_body(app)
    with session_scope(app.state.sessions) as s:
        s.add(Body(id="b-prov-a", parent_id="b-prov", name="办公室", tier="province",
                   kind="department", region_id="b-prov"))
        s.add(Body(id="b-other", name="省财政厅", tier="province", kind="body",
                   region_id="b-other"))
    add_person(app, "p-1", "张伟", body_id="b-prov-a")
    add_person(app, "p-2", "李娜", body_id="b-prov-a")
    client = TestClient(app)
    return client, login(client, "p-1")


def _push(client: TestClient, headers: dict[str, str], items: list[dict[str, Any]]) -> list[str]:
    response = client.post("/api/v1/sync/push", headers=headers, json={"mutations": items})
    assert response.status_code == 200, response.text
    return [r["status"] for r in response.json()["results"]]


def _published_bodies(app: Any, person_id: str) -> list[str]:
    with session_scope(app.state.sessions) as s:
        row = s.get(ChangeLog, ("directory.person", person_id))
        assert row is not None and row.data is not None
        return [p["body_id"] for p in row.data["posts"]]


def _feed(statement: str) -> bool:
    return any(t in statement.split(" WHERE")[0] for t in FEED_TABLES)


def test_a_contact_change_in_a_batch_costs_few_statements(app: Any) -> None:
    client, headers = _world(app)
    counts: list[tuple[int, int]] = []
    for size in (20, 40):
        batch = [_contact(f"139{size:04d}{i:04d}") for i in range(size)]
        with _counted(app) as seen:
            assert _push(client, headers, batch) == ["applied"] * size
        counts.append((len(seen), sum(1 for st in seen if not _feed(st))))
    # What one more intent of a batch costs, all told and without the change feed.
    per_intent = (counts[1][0] - counts[0][0]) / 20
    own = (counts[1][1] - counts[0][1]) / 20
    assert own <= HANDLER_STATEMENTS_PER_CONTACT_CHANGE, counts
    assert per_intent <= STATEMENTS_PER_CONTACT_CHANGE, counts
    # The request's own: authentication, BEGIN, the batch's applied_mutation read and
    # write, the first sight of the person, posts and bodies, the batch's feed rows.
    assert counts[0][0] - 20 * per_intent <= FIXED_PER_REQUEST, counts
    with session_scope(app.state.sessions) as s:
        person = s.get(Person, "p-1")
        assert person is not None and person.phone == "13900400039"


def test_an_admin_role_granted_in_the_batch_counts_for_the_next_intent(app: Any) -> None:
    client, headers = _world(app)
    results = _push(client, headers, [
        _contact("13900000001", "p-2"),  # not an administrator yet: refused
        _intent("testing.reads_grant_admin", {}),
        _contact("13900000002", "p-2"),
    ])
    assert results == ["rejected", "applied", "applied"]


def test_a_core_update_in_the_batch_is_seen_by_the_next_intent(app: Any) -> None:
    client, headers = _world(app)
    results = _push(client, headers, [
        _contact("13900000001"),  # reads p-1's posts and bodies
        _intent("testing.reads_move_post", {"person_id": "p-1", "body_id": "b-other"}),
        _contact("13900000002"),  # publishes p-1 with the moved post
    ])
    assert results == ["applied"] * 3
    assert _published_bodies(app, "p-1") == ["b-other"]


def test_a_rolled_back_intent_leaves_nothing_in_the_kept_reads(app: Any) -> None:
    client, headers = _world(app)
    results = _push(client, headers, [
        _contact("13900000001"),
        _intent("testing.reads_move_post",
                {"person_id": "p-1", "body_id": "b-other", "fail": True}),
        _contact("13900000002"),
    ])
    assert results == ["applied", "rejected", "applied"]
    assert _published_bodies(app, "p-1") == ["b-prov-a"]


def test_a_locking_read_refreshes_a_kept_row(pg_url: str) -> None:
    """On PostgreSQL (READ COMMITTED): a row the batch read before another transaction
    changed it is read as committed when the batch locks it."""
    engine = create_engine(pg_url)
    try:
        with session_scope(engine) as s:
            s.add(Person(id="p-9", name="王芳", pinyin="wangfang", initials="wf"))
        with Session(engine) as session:
            connection = session.connection()
            with batch_reads.keep_reads(session, connection):
                session.get(Person, "p-9")  # kept: no one else holds it
                with engine.begin() as other:
                    other.execute(text("UPDATE directory_person SET name = '王芳芳' "
                                       "WHERE id = 'p-9'"))
                kept = session.get(Person, "p-9")
                assert kept is not None and kept.name == "王芳"  # served from the kept rows
                locked = session.get(Person, "p-9", with_for_update=True)
                assert locked is not None and locked.name == "王芳芳"
            session.rollback()
    finally:
        engine.dispose()
