"""The access-matrix world: a small body tree, one signed-in actor per role, fresh targets.

Tree (ids are fixed so tables and tests can name them)::

    P   province government (tier province, organ)      relation "higher"
    ├── C1  city government (tier city, organ)           relation "own" — every actor's post
    │   └── K1  county government (tier county, organ)   relation "lower"
    └── C2  city government (tier city, organ)           relation "other"

``World.actor(role)`` is a person holding one post with exactly that role in C1 (own body),
signed in through ``POST /api/v1/auth/login``; ``World.actor(role, "higher")`` puts the
post in P instead (for features that need a second actor elsewhere). Actors are created on
first use and cached for the world's lifetime (one world per database per test module).

Targets for a case are created fresh (``department``, ``person``) so a case that deletes
or changes its target never disturbs another case: each case may run in any order.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from server.auth.service import create_account
from server.db import session_scope
from server.directory.models import Body, Person, Post

PASSWORD = "Matrix-Passw0rd!"

ROLES: tuple[str, ...] = (
    "staff", "registry_clerk", "division_head", "leader", "secretary", "seal_custodian", "admin",
)
#: Relation of a target's owning body to the actor's own body (C1).
RELATIONS: tuple[str, ...] = ("own", "other", "higher", "lower")

#: relation -> body id
BODIES: dict[str, str] = {"own": "ax-c1", "other": "ax-c2", "higher": "ax-p", "lower": "ax-k1"}

_TREE = (
    # id, parent, name, tier, region
    ("ax-p", None, "矩阵省人民政府", "province", "ax-p"),
    ("ax-c1", "ax-p", "一号市人民政府", "city", "ax-c1"),
    ("ax-c2", "ax-p", "二号市人民政府", "city", "ax-c2"),
    ("ax-k1", "ax-c1", "甲县人民政府", "county", "ax-c1"),
)


@dataclass
class Actor:
    role: str
    relation: str
    person_id: str
    login: str
    headers: dict[str, str]


@dataclass
class World:
    """One application, its test client, the tree above and lazily created actors."""

    app: Any
    client: TestClient
    _actors: dict[tuple[str, str], Actor] = field(default_factory=dict)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # ------------------------------------------------------------------ naming

    def body(self, relation: str) -> str:
        """The body id standing for ``relation`` (own / other / higher / lower)."""
        return BODIES[relation]

    def new_id(self, prefix: str) -> str:
        """A fresh id, unique within this world (safe to use as a login too)."""
        return f"{prefix}{next(self._seq):05d}"

    # ------------------------------------------------------------------ actors

    def actor(self, role: str, relation: str = "own") -> Actor:
        """A signed-in person whose only post (in ``relation``'s body) carries ``role``."""
        key = (role, relation)
        if key not in self._actors:
            person_id = self.new_id(f"ax-{role[:6]}-")
            login = person_id.replace("-", "")
            self.person([(relation, [role])], person_id=person_id, login=login)
            r = self.client.post("/api/v1/auth/login", json={"account": login, "password": PASSWORD})
            assert r.status_code == 200, r.text
            headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
            self._actors[key] = Actor(role, relation, person_id, login, headers)
        return self._actors[key]

    # ------------------------------------------------------------------ targets

    def department(self, relation: str, name: str = "测试处") -> str:
        """A fresh, empty department directly under ``relation``'s body; its id."""
        parent = self.body(relation)
        body_id = self.new_id("ax-dep-")
        with session_scope(self.app.state.sessions) as s:
            region = s.get(Body, parent)
            assert region is not None
            s.add(Body(id=body_id, parent_id=parent, name=f"{name}{body_id[-5:]}", short_name=name,
                       tier=region.tier, kind="department", region_id=region.region_id))
        return body_id

    def person(
        self,
        posts: list[tuple[str, list[str]]],
        *,
        person_id: str | None = None,
        login: str | None = None,
    ) -> str:
        """A fresh active person with one post per ``(relation, roles)`` (the first is
        primary) and, when ``login`` is given, an account with ``PASSWORD``; the id."""
        person_id = person_id or self.new_id("ax-per-")
        with session_scope(self.app.state.sessions) as s:
            s.add(Person(id=person_id, name=f"测试{person_id[-5:]}", pinyin=person_id,
                         initials=person_id[:2]))
            s.flush()
            for i, (relation, roles) in enumerate(posts):
                s.add(Post(id=f"{person_id}-post{i}", person_id=person_id, body_id=self.body(relation),
                           title="科员", roles=list(roles), is_primary=i == 0, sort_order=i))
            if login:
                create_account(s, person_id, login, PASSWORD)
        return person_id

    def post_ids(self, person_id: str) -> list[str]:
        """The ids ``person`` gave the posts of ``person_id``, in the order given."""
        with session_scope(self.app.state.sessions) as s:
            rows = s.query(Post.id, Post.sort_order).filter(Post.person_id == person_id).all()
        return [pid for pid, _ in sorted(rows, key=lambda r: r[1])]


def build_world(app: Any) -> World:
    """Insert the tree into ``app``'s (empty) database and return the world."""
    with session_scope(app.state.sessions) as s:
        for body_id, parent, name, tier, region in _TREE:
            s.add(Body(id=body_id, parent_id=parent, name=name, short_name=name[:4], tier=tier,
                       kind="body", region_id=region))
            s.flush()
    return World(app=app, client=TestClient(app))
