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

import functools
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from server.auth.models import Account
from server.auth.passwords import hash_password
from server.db import session_scope
from server.directory.models import Body, Person, Post

PASSWORD = "Matrix-Passw0rd!"

ROLES: tuple[str, ...] = (
    "staff", "registry_clerk", "division_head", "leader", "secretary", "seal_custodian",
    "sys_admin", "security_admin", "audit_admin",
)
#: Relation of a target's owning body to the actor's own body (C1).
RELATIONS: tuple[str, ...] = ("own", "other", "higher", "lower")

#: relation -> body id
BODIES: dict[str, str] = {"own": "b-ax-c1", "other": "b-ax-c2", "higher": "b-ax-p", "lower": "b-ax-k1"}

_TREE = (
    # id, parent, name, tier, region
    ("b-ax-p", None, "矩阵省人民政府", "province", "b-ax-p"),
    ("b-ax-c1", "b-ax-p", "一号市人民政府", "city", "b-ax-c1"),
    ("b-ax-c2", "b-ax-p", "二号市人民政府", "city", "b-ax-c2"),
    ("b-ax-k1", "b-ax-c1", "甲县人民政府", "county", "b-ax-c1"),
)


@functools.cache
def _password_hash() -> str:
    """``PASSWORD`` hashed once (argon2 is slow on purpose; every account shares it)."""
    return hash_password(PASSWORD)


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
        """The body id standing for ``relation`` (own / other / higher / lower); any other
        string is taken as a body id itself (for bodies a test adds)."""
        return BODIES.get(relation, relation)

    def new_id(self, prefix: str) -> str:
        """A fresh id, unique within this world (safe to use as a login too)."""
        return f"{prefix}{next(self._seq):05d}"

    # ------------------------------------------------------------------ actors

    def actor(self, role: str, relation: str = "own") -> Actor:
        """A signed-in person whose only post (in ``relation``'s body) carries ``role``."""
        key = (role, relation)
        if key not in self._actors:
            person_id = self.new_id(f"p-ax-{role[:6]}-")
            login = person_id.replace("-", "")
            self.person([(relation, [role])], person_id=person_id, login=login)
            self._actors[key] = Actor(role, relation, person_id, login, self.sign_in(login))
        return self._actors[key]

    def sign_in(self, login: str) -> dict[str, str]:
        """Bearer headers for an account made by ``person(..., login=...)``."""
        r = self.client.post("/api/v1/auth/login", json={"account": login, "password": PASSWORD})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def organ(self, parent_relation: str, tier: str, kind: str = "body") -> str:
        """A fresh organ (or department, ``kind``) under ``parent_relation``'s body; its id."""
        parent = self.body(parent_relation)
        body_id = self.new_id("b-ax-org-")
        with session_scope(self.app.state.sessions) as s:
            above = s.get(Body, parent)
            assert above is not None
            region = body_id if tier == "city" and kind == "body" and above.tier == "province" else above.region_id
            s.add(Body(id=body_id, parent_id=parent, name=f"机构{body_id[-5:]}", short_name="机构",
                       tier=tier, kind=kind, region_id=region))
        return body_id

    # ------------------------------------------------------------------ targets

    def department(self, relation: str, name: str = "测试处") -> str:
        """A fresh, empty department directly under ``relation``'s body; its id."""
        parent = self.body(relation)
        body_id = self.new_id("b-ax-dep-")
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
        person_id = person_id or self.new_id("p-ax-")
        with session_scope(self.app.state.sessions) as s:
            s.add(Person(id=person_id, name=f"测试{person_id[-5:]}", pinyin=person_id,
                         initials=person_id[:2]))
            s.flush()
            for i, (relation, roles) in enumerate(posts):
                s.add(Post(id=f"post-{person_id}-{i}", person_id=person_id, body_id=self.body(relation),
                           title="科员", roles=list(roles), is_primary=i == 0, sort_order=i))
            if login:
                s.add(Account(person_id=person_id, login=login, password_hash=_password_hash()))
        return person_id

    def post_ids(self, person_id: str) -> list[str]:
        """The ids ``person`` gave the posts of ``person_id``, in the order given."""
        with session_scope(self.app.state.sessions) as s:
            rows = s.query(Post.id, Post.sort_order).filter(Post.person_id == person_id).all()
        return [pid for pid, _ in sorted(rows, key=lambda r: r[1])]

    def send(self, person_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        """Apply one intent as ``person_id`` through the server's dispatcher (no HTTP)."""
        from server.mutations import apply_one

        item = {"id": uuid.uuid4().hex, "name": name, "args": args}
        return apply_one(self.app.state.sessions, person_id, person_id, item, "zh_CN")

    def ok(self, person_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        """Like :meth:`send`, asserting the intent applied; returns its result."""
        res = self.send(person_id, name, args)
        assert res["status"] == "applied", res
        return dict(res["result"])


def build_world(app: Any) -> World:
    """Insert the tree into ``app``'s (empty) database and return the world."""
    with session_scope(app.state.sessions) as s:
        for body_id, parent, name, tier, region in _TREE:
            s.add(Body(id=body_id, parent_id=parent, name=name, short_name=name[:4], tier=tier,
                       kind="body", region_id=region))
            s.flush()
    return World(app=app, client=TestClient(app))


# --------------------------------------------------------------------------- answers


def push(world: World, actor: Actor, name: str, args: dict[str, Any]) -> dict[str, Any]:
    """Submit one intent through ``POST /api/v1/sync/push``; its result entry."""
    r = world.client.post(
        "/api/v1/sync/push", headers=actor.headers,
        json={"mutations": [{"id": world.new_id("ax-mut-"), "name": name, "args": args}]},
    )
    assert r.status_code == 200, r.text
    return dict(r.json()["results"][0])


def route_outcome(response: Any, *, hides: bool = False) -> str:
    """``allow`` for 2xx, ``deny`` for 403 (or 404 when the route ``hides`` what the actor
    may not see); anything else is returned as a description, so a case fails loudly."""
    if 200 <= response.status_code < 300:
        return "allow"
    if response.status_code == 403 or (hides and response.status_code == 404):
        return "deny"
    return f"unexpected {response.status_code} {response.text[:300]}"


def intent_outcome(result: dict[str, Any], deny_codes: set[str]) -> str:
    """``allow`` when applied, ``deny`` when rejected with one of ``deny_codes`` (or the
    security auditor's ``duty.audit_read_only``, which refuses every intent)."""
    if result.get("status") == "applied":
        return "allow"
    code = (result.get("error") or {}).get("code")
    if result.get("status") == "rejected" and code in {*deny_codes, "duty.audit_read_only"}:
        return "deny"
    return f"unexpected {result}"
