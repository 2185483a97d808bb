"""``load_tree`` reads bodies with all their ancestors in one statement, whatever the
depth — inside a push batch that keeps its reads or not — and gives the same tree as a
walk up the parents one level at a time (both databases)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, select

from modules.directory import policy
from server import batch_reads
from server.db import session_scope
from server.directory.access import load_tree
from server.directory.models import Body

TIERS = ["province", "city", "county", "township", "village"]


def _seed(app: Any) -> None:
    """Two five-tier chains under one province, a department under a village."""
    with session_scope(app.state.sessions) as s:
        s.add(Body(id="t-0", name="省", short_name="省", tier="province", kind="body",
                   region_id="t-0"))
        for branch in "ab":
            parent = "t-0"
            for depth, tier in enumerate(TIERS[1:], start=1):
                body_id = f"t-{branch}{depth}"
                s.add(Body(id=body_id, name=f"{branch}{tier}", short_name=body_id, tier=tier,
                           kind="body", parent_id=parent, region_id=body_id))
                s.flush()
                parent = body_id
        s.add(Body(id="t-a4-d", name="办公室", short_name="办", tier="village",
                   kind="department", parent_id="t-a4", region_id="t-a4"))


def _walk(app: Any, ids: set[str]) -> dict[str, policy.Node]:
    """The reference: one query per body, up the parents."""
    tree: dict[str, policy.Node] = {}
    with session_scope(app.state.sessions) as s:
        todo = set(ids)
        while todo:
            body = s.get(Body, todo.pop())
            if body is None or body.id in tree:
                continue
            tree[body.id] = policy.Node(body.id, body.parent_id, body.kind, body.name)
            if body.parent_id:
                todo.add(body.parent_id)
    return tree


@pytest.fixture
def statements(app: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", count)
    yield seen
    event.remove(app.state.engine, "before_cursor_execute", count)


@pytest.mark.parametrize("in_batch", [False, True])
@pytest.mark.parametrize("ids", [{"t-a4-d"}, {"t-a4-d", "t-b4"}, {"t-b2", "nope"}, {"t-0"},
                                 set()])
def test_the_tree_in_one_statement_as_a_walk_gives_it(app: Any, statements: list[str],
                                                      ids: set[str], in_batch: bool) -> None:
    _seed(app)
    want = _walk(app, ids)
    with session_scope(app.state.sessions) as s:
        if in_batch:
            with batch_reads.keep_reads(s, s.connection()):
                statements.clear()
                got = load_tree(s, ids)
                assert len(statements) == (1 if ids else 0), statements
                statements.clear()  # read again in the same batch: from its memo
                assert load_tree(s, ids) == got
                assert statements == []
        else:
            statements.clear()
            asked: set[str | None] = {*ids, None}  # a post without a body: left out
            got = load_tree(s, asked)
            assert len(statements) == (1 if ids else 0), statements
    assert got == want
    assert all(node.parent_id is None or node.parent_id in got for node in got.values())
    if ids == {"t-a4-d"}:
        assert set(got) == {"t-a4-d", "t-a4", "t-a3", "t-a2", "t-a1", "t-0"}


def test_a_body_already_held_by_the_batch_walks_on_to_its_ancestors(
        app: Any, statements: list[str]) -> None:
    """A village the batch has read alone (without ancestors) is not read again; its
    parents are, in one more statement."""
    _seed(app)
    with session_scope(app.state.sessions) as s, batch_reads.keep_reads(s, s.connection()):
        from server.directory import storage

        assert set(storage.bodies_by_id(s, ["t-b4"])) == {"t-b4"}
        statements.clear()
        got = load_tree(s, {"t-b4"})
        assert len(statements) == 1, statements
        assert set(got) == {"t-b4", "t-b3", "t-b2", "t-b1", "t-0"}
        assert s.scalars(select(Body.id).where(Body.id == "t-b4")).one() == "t-b4"
