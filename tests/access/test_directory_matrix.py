"""The directory access matrix: every directory route and intent × every role × own /
other / higher / lower body, answered as ``tests/access/table_directory.csv`` says.
Also the rest of the signed-in platform routes (``table_platform.csv``) and the holes
the matrix cannot express (a person with posts in two places, moves, imports).
Runs on SQLite and PostgreSQL, one world per database for the module.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.access.table import HERE, read_table
from tests.access.world import (
    PASSWORD,
    RELATIONS,
    ROLES,
    Actor,
    World,
    intent_outcome,
    push,
    route_outcome,
)

API = "/api/v1"
DIRECTORY = read_table(HERE / "table_directory.csv")
PLATFORM = read_table(HERE / "table_platform.csv")
DENY_CODES = {"permission.denied", "directory.not_admin_of", "directory.needs_top_admin"}

Caller = Callable[[World, Actor, str], Any]


def _dir(path: str) -> str:
    return f"{API}/directory{path}"


def _staff_in(world: World, relation: str, posts: int = 1) -> str:
    """A fresh person with ``posts`` staff posts in ``relation``'s body ("none": no post)."""
    return world.person([] if relation == "none" else [(relation, ["staff"])] * posts)


def _new_person(w: World, a: Actor, rel: str) -> Any:
    posts = [] if rel == "none" else [{"body_id": w.body(rel), "title": "科员", "roles": ["staff"]}]
    return w.client.post(_dir("/people"), headers=a.headers, json={"name": "新同事", "posts": posts})


def _add_post(w: World, a: Actor, rel: str) -> Any:
    body = w.body("own" if rel == "none" else rel)
    return w.client.post(_dir(f"/people/{_staff_in(w, rel)}/posts"), headers=a.headers,
                         json={"body_id": body, "title": "兼职", "roles": ["staff"]})


def _import(w: World, a: Actor, rel: str) -> Any:
    if rel == "none":
        text = f"type,id,name\nperson,{w.new_id('p-axi-')},导入人员\n"
    else:
        text = f"type,id,parent_id,name,kind\ndepartment,{w.new_id('IMP')},{w.body(rel)},导入科,department\n"
    return w.client.post(_dir("/import"), headers={**a.headers, "Content-Type": "text/csv"},
                         content=text.encode())


ROUTES: dict[str, Caller] = {
    "POST /api/v1/directory/bodies": lambda w, a, rel: w.client.post(
        _dir("/bodies"), headers=a.headers,
        json={"name": "新建科", "kind": "department", "parent_id": w.body(rel)}),
    "GET /api/v1/directory/bodies/{body_id}": lambda w, a, rel: w.client.get(
        _dir(f"/bodies/{w.department(rel)}"), headers=a.headers),
    "PATCH /api/v1/directory/bodies/{body_id}": lambda w, a, rel: w.client.patch(
        _dir(f"/bodies/{w.department(rel)}"), headers=a.headers, json={"name": "改名科"}),
    "DELETE /api/v1/directory/bodies/{body_id}": lambda w, a, rel: w.client.delete(
        _dir(f"/bodies/{w.department(rel)}"), headers=a.headers),
    "POST /api/v1/directory/people": _new_person,
    "GET /api/v1/directory/people/{person_id}": lambda w, a, rel: w.client.get(
        _dir(f"/people/{_staff_in(w, rel)}"), headers=a.headers),
    "PATCH /api/v1/directory/people/{person_id}": lambda w, a, rel: w.client.patch(
        _dir(f"/people/{_staff_in(w, rel)}"), headers=a.headers, json={"name": "改名"}),
    "DELETE /api/v1/directory/people/{person_id}": lambda w, a, rel: w.client.delete(
        _dir(f"/people/{_staff_in(w, rel)}"), headers=a.headers),
    "PUT /api/v1/directory/people/{person_id}/account": lambda w, a, rel: w.client.put(
        _dir(f"/people/{_staff_in(w, rel)}/account"), headers=a.headers,
        json={"login": w.new_id("axlogin"), "password": PASSWORD}),
    "POST /api/v1/directory/people/{person_id}/posts": _add_post,
    "PATCH /api/v1/directory/posts/{post_id}": lambda w, a, rel: w.client.patch(
        _dir(f"/posts/{w.post_ids(_staff_in(w, rel))[0]}"), headers=a.headers, json={"title": "新职务"}),
    "DELETE /api/v1/directory/posts/{post_id}": lambda w, a, rel: w.client.delete(
        _dir(f"/posts/{w.post_ids(_staff_in(w, rel, posts=2))[1]}"), headers=a.headers),
    "POST /api/v1/directory/import": _import,
}


def _mismatches(world: World, table: Any, name: str, call: Caller, relations: tuple[str, ...],
                hides: bool = False) -> list[str]:
    out = []
    for role, relation, expected in table.cases("route", name, ROLES, relations):
        got = route_outcome(call(world, world.actor(role), relation), hides=hides)
        if got != expected:
            out.append(f"{role}/{relation}: expected {expected}, got {got}")
    return out


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_directory_route_matrix(world: World, name: str) -> None:
    assert name in DIRECTORY.names("route"), f"{name} has no row in table_directory.csv"
    relations = tuple(dict.fromkeys([*RELATIONS, *DIRECTORY.relations("route", name)]))
    assert _mismatches(world, DIRECTORY, name, ROUTES[name], relations) == []


def test_every_directory_table_route_is_exercised() -> None:
    assert DIRECTORY.names("route") == set(ROUTES)
    assert DIRECTORY.names("intent") == {"directory.update_contact"}


def test_update_contact_intent_matrix(world: World) -> None:
    bad = []
    for role, relation, expected in DIRECTORY.cases(
        "intent", "directory.update_contact", ROLES, (*RELATIONS, "self")
    ):
        actor = world.actor(role)
        args: dict[str, Any] = {"phone": "13800138000"}
        if relation != "self":
            args["person_id"] = _staff_in(world, relation)
        got = intent_outcome(push(world, actor, "directory.update_contact", args), DENY_CODES)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []


# --------------------------------------------------------------------------- platform


def _put_blob(world: World, actor: Actor) -> tuple[str, Any]:
    data = f"blob of {actor.person_id} {world.new_id('b')}".encode()
    sha = hashlib.sha256(data).hexdigest()
    r = world.client.put(f"{API}/blobs/{sha}", params={"offset": 0, "total": len(data)},
                         headers=actor.headers, content=data)
    return sha, r


def _blob(world: World, actor: Actor) -> str:
    if actor.role == "audit_admin":
        # The auditor uploads nothing (refused); a blob of theirs is written to the store
        # directly, so reading one's own blob is still tested for them.
        from server.db import session_scope

        data = f"blob of {actor.person_id} {world.new_id('b')}".encode()
        sha = hashlib.sha256(data).hexdigest()
        with session_scope(world.app.state.sessions) as s:
            world.app.state.blob_store.append(s, actor.person_id, sha, 0, len(data), data, 1 << 20)
        return sha
    sha, r = _put_blob(world, actor)
    assert r.status_code == 200, r.text
    return sha


def _blob_for(world: World, actor: Actor, relation: str) -> str:
    owner = actor if relation == "self" else world.actor("staff", "other")
    return _blob(world, owner)


def _password(world: World, actor: Actor, relation: str) -> Any:
    # A fresh person of the actor's role: changing a password must not disturb the others.
    login = world.new_id("axpw")
    world.person([("own", [actor.role])], login=login)
    token = world.client.post(f"{API}/auth/login", json={"account": login, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return world.client.post(f"{API}/auth/password", headers=headers,
                              json={"old_password": PASSWORD, "new_password": PASSWORD + "2"})


def _events(world: World, actor: Actor, relation: str) -> Any:
    with world.client.stream("GET", f"{API}/sync/events", headers=actor.headers) as r:
        if r.status_code == 200:
            first = next(r.iter_lines())
            assert first.startswith("event: hello"), first
        return r


PLATFORM_ROUTES: dict[str, Caller] = {
    "POST /api/v1/auth/password": _password,
    "GET /api/v1/me": lambda w, a, rel: w.client.get(f"{API}/me", headers=a.headers),
    "GET /api/v1/sync/pull": lambda w, a, rel: w.client.get(f"{API}/sync/pull", headers=a.headers),
    "POST /api/v1/sync/push": lambda w, a, rel: w.client.post(
        f"{API}/sync/push", headers=a.headers, json={"mutations": []}),
    "GET /api/v1/sync/events": _events,
    "PUT /api/v1/blobs/{sha256}": lambda w, a, rel: _put_blob(w, a)[1],
    "GET /api/v1/blobs/{sha256}/status": lambda w, a, rel: w.client.get(
        f"{API}/blobs/{_blob_for(w, a, rel)}/status", headers=a.headers),
    "GET /api/v1/blobs/{sha256}": lambda w, a, rel: w.client.get(
        f"{API}/blobs/{_blob_for(w, a, rel)}", headers=a.headers),
}


@pytest.mark.parametrize("name", sorted(PLATFORM_ROUTES))
def test_platform_route_matrix(world: World, name: str) -> None:
    relations = tuple(PLATFORM.relations("route", name))
    assert relations, f"{name} has no row in table_platform.csv"
    hides = name.startswith("GET /api/v1/blobs/")
    assert _mismatches(world, PLATFORM, name, PLATFORM_ROUTES[name], relations, hides=hides) == []


def test_every_platform_table_route_is_exercised() -> None:
    assert PLATFORM.names("route") == set(PLATFORM_ROUTES)
    assert not PLATFORM.names("intent")


@pytest.mark.parametrize("name", sorted(set(PLATFORM_ROUTES) | set(ROUTES)))
def test_signed_in_routes_refuse_anonymous_callers(world: World, name: str) -> None:
    method, path = name.split(" ", 1)
    path = path.replace("{sha256}", "0" * 64)
    for key in ("body_id", "person_id", "post_id"):
        path = path.replace("{" + key + "}", "ax-c1")
    r = world.client.request(method, path, json={}, params={"offset": 0, "total": 1})
    assert r.status_code == 401, (name, r.status_code, r.text[:200])


def test_table_files_parse() -> None:
    for path in sorted(Path(HERE).glob("table_*.csv")):
        read_table(path)
