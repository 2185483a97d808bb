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


def test_a_change_that_keeps_the_basis_keeps_the_keys(app: Any) -> None:
    """A new phone number or name is not what the keys depend on: the cached keys stay,
    and keys being read meanwhile may still be cached (the generation did not move)."""
    add_body(app)
    add_person(app, "p1", "甲")
    hub = fresh_hub(app)
    remember(hub, "p1")
    generation = hub.scope_generation()
    with session_scope(app.state.sessions) as s:
        person = s.get(Person, "p1")
        assert person is not None
        person.phone, person.name = "13800000000", "甲乙"
    assert hub.cached_scope("p1") == KEYS | {"user:p1"}
    assert hub.scope_generation() == generation
    with session_scope(app.state.sessions) as s:  # a post's title: posts always count
        post = s.get(Post, "post-p1")
        assert post is not None
        post.title = "副科长"
    assert hub.cached_scope("p1") is None


def _published(app: Any, person_id: str) -> TickChanges:
    """The tick a hub reads after the directory publishes ``person_id`` again."""
    from server.directory.storage import publish_people
    from server.sync.pokes import read_tick

    with session_scope(app.state.sessions) as s:
        before = current_seq(s)
        publish_people(s, [person_id])
    with session_scope(app.state.sessions) as s:
        return read_tick(s, before, current_seq(s))


def test_a_tick_keeps_a_scope_whose_basis_the_published_record_keeps(app: Any) -> None:
    """The basis read from the principal (pull, stream) and the one read from the
    directory's published record agree; a tick drops the keys only when it differs."""
    from server.auth.principal import load_principal
    from server.scopes import published_basis, scope_basis, scope_keys

    add_body(app)
    add_body(app, "b-city", "市政务服务数据管理局", tier="city")
    add_person(app, "p1", "甲", roles=("staff", "registry"))
    with session_scope(app.state.sessions) as s:  # a second post, elsewhere
        s.add(Post(id="post-p1b", person_id="p1", body_id="b-city", title="兼职",
                   roles=["leader"], is_primary=False))
    hub = fresh_hub(app)

    def cache() -> frozenset[str]:
        with session_scope(app.state.sessions) as s:
            principal = load_principal(s, "p1")
            keys = scope_keys(s, principal)
            hub.remember_scope("p1", keys, hub.seen_seq(), hub.scope_generation(),
                               basis=scope_basis(principal))
        return keys

    keys = cache()
    tick = _published(app, "p1")
    assert tick.people == {"p1"} and tick.bases["p1"] is not None
    hub._advance(tick.upto, 0, tick)
    assert hub.cached_scope("p1") == keys  # the same posts and roles: kept

    with session_scope(app.state.sessions) as s:  # a role less on the second post
        post = s.get(Post, "post-p1b")
        assert post is not None
        post.roles = []
    assert hub.cached_scope("p1") is None  # (this process's own commit, at once)
    keys = cache()
    hub._scopes["p1"] = hub._scopes["p1"].__class__(  # as if kept from before the change
        keys, hub._scopes["p1"].fingerprint, hub._scopes["p1"].at,
        frozenset({("b-prov", frozenset({"staff", "registry"})),
                   ("b-city", frozenset({"leader"}))}))
    tick = _published(app, "p1")
    hub._advance(tick.upto, 0, tick)
    assert hub.cached_scope("p1") is None  # the published basis differs: dropped
    # Keys read before that tick are not taken either.
    hub.remember_scope("p1", keys, tick.after, hub.scope_generation())
    assert hub.cached_scope("p1") is None

    # Scopes cached without a basis, or a record not read: dropped by any change.
    remember(hub, "p1")
    tick = _published(app, "p1")
    hub._advance(tick.upto, 0, tick)
    assert hub.cached_scope("p1") is None
    keys = cache()
    seen = hub.seen_seq()
    hub._advance(seen + 1, 0, TickChanges(after=seen, upto=seen + 1, people=frozenset({"p1"})))
    assert hub.cached_scope("p1") is None
    assert published_basis(None) is None
    assert published_basis({"active": True, "posts": [{"body_id": 3}]}) is None


def test_equal_keys_cached_again_without_a_basis_keep_the_old_one(app: Any) -> None:
    add_body(app)
    add_person(app, "p1", "甲")
    hub = fresh_hub(app)
    basis = frozenset({("b-prov", frozenset({"staff"}))})
    keys = KEYS | {"user:p1"}
    hub.remember_scope("p1", keys, hub.seen_seq(), basis=basis)
    hub.remember_scope("p1", keys, hub.seen_seq())  # a periodic refresh: the same keys
    assert hub._scopes["p1"].basis == basis
    hub.remember_scope("p1", keys | {"body:b-x"}, hub.seen_seq())  # other keys: unknown
    assert hub._scopes["p1"].basis is None
