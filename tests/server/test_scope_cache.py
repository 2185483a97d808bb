"""Issue 11: the person's scope cached by the push hub for pulls that read the feed.

A commit of this process that changes a person, a post or a body drops the cached keys
at once (before the hub's next tick); a tick that saw a body change drops everyone's.
The hub's watcher is not running: its view is made fresh by hand (poll: an hour), so
nothing depends on timing. SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from server.changefeed import current_seq
from server.db import session_scope
from server.directory.models import Body, Person, Post
from server.sync.hub import PushHub
from server.sync.pokes import TickChanges
from tests.server.helpers import add_body, add_person

HOUR = 3600.0
KEYS = frozenset({"all", "body:b-prov"})


def fresh_hub(app: Any) -> PushHub:
    hub = PushHub(app.state.sessions, HOUR)
    with session_scope(app.state.sessions) as s:
        hub._advance(current_seq(s), 0, None)
    return hub


def remember(hub: PushHub, *people: str) -> None:
    for person_id in people:
        hub.remember_scope(person_id, KEYS | {f"user:{person_id}"}, hub.seen_seq(),
                           hub.scope_generation())


def test_a_commit_here_drops_the_changed_peoples_keys_at_once(app: Any) -> None:
    add_body(app)
    add_person(app, "p1", "甲")
    add_person(app, "p2", "乙")
    hub = fresh_hub(app)
    remember(hub, "p1", "p2")
    assert hub.cached_scope("p1") == KEYS | {"user:p1"}

    with session_scope(app.state.sessions) as s:  # a role of p1's post
        post = s.get(Post, "post-p1")
        assert post is not None
        post.roles = ["staff", "registry"]
    assert hub.cached_scope("p1") is None
    assert hub.cached_scope("p2") == KEYS | {"user:p2"}

    remember(hub, "p1")
    with session_scope(app.state.sessions) as s:  # p2 deactivated
        person = s.get(Person, "p2")
        assert person is not None
        person.active = False
    assert hub.cached_scope("p2") is None
    assert hub.cached_scope("p1") is not None


def test_a_body_change_drops_everyones_keys(app: Any) -> None:
    add_body(app)
    add_body(app, "b-city", "市政务服务数据管理局", tier="city")
    add_person(app, "p1", "甲")
    add_person(app, "p2", "乙", body_id="b-city")
    hub = fresh_hub(app)
    remember(hub, "p1", "p2")
    with session_scope(app.state.sessions) as s:
        body = s.get(Body, "b-city")
        assert body is not None
        body.parent_id = "b-prov"
    assert hub.cached_scope("p1") is None and hub.cached_scope("p2") is None

    remember(hub, "p1", "p2")  # a bulk statement on a directory table: everyone too
    with session_scope(app.state.sessions) as s:
        s.execute(update(Post).where(Post.person_id == "p1").values(title="副科长"))
    assert hub.cached_scope("p1") is None and hub.cached_scope("p2") is None


def test_a_rolled_back_change_and_a_read_in_the_meantime(app: Any) -> None:
    add_body(app)
    add_person(app, "p1", "甲")
    hub = fresh_hub(app)
    generation = hub.scope_generation()
    with session_scope(app.state.sessions) as s:
        post = s.get(Post, "post-p1")
        assert post is not None
        post.roles = ["registry"]
    # Keys read before that commit are not cached after it.
    hub.remember_scope("p1", KEYS, hub.seen_seq(), generation)
    assert hub.cached_scope("p1") is None
    remember(hub, "p1")
    assert hub.cached_scope("p1") is not None


def test_a_tick_that_saw_a_body_change_drops_everyone(app: Any) -> None:
    add_body(app)
    add_person(app, "p1", "甲")
    hub = fresh_hub(app)
    remember(hub, "p1")
    seen = hub.seen_seq()
    hub._advance(seen + 1, 0, TickChanges(after=seen, upto=seen + 1, bodies=True))
    assert hub.cached_scope("p1") is None
    # Keys read before that tick are not taken either.
    hub.remember_scope("p1", KEYS, seen, hub.scope_generation())
    assert hub.cached_scope("p1") is None
