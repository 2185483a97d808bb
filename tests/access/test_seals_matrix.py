"""The seals access matrix: every seals route and intent × every role × own / other /
higher / lower body, answered as ``tests/access/table_seals.csv`` says, through the real
app on SQLite and PostgreSQL. Allowed cases are set up so they really apply (a pending
request to decide, an approved one to stamp); a refusal counts as "deny" only with a
permission or not-found code, so a state refusal can never pass for a permission one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from server.db import session_scope
from server.seals.models import SealRow
from tests.access.seals_world import BOX, SealsWorld
from tests.access.table import HERE, read_table
from tests.access.world import RELATIONS, ROLES, Actor, World, intent_outcome, push, route_outcome

API = "/api/v1/seals"
SEALS = read_table(HERE / "table_seals.csv")
#: Refusals that mean "not allowed" (anything else — a state refusal — fails the case).
DENY_CODES = {
    "permission.denied", "seal.admin_required", "seal.admin_not_for_body",
    "seal.requester_not_allowed", "seal.requester_not_in_body", "seal.approver_not_allowed",
    "seal.not_member_decider", "seal.self_approval", "seal.stamper_not_allowed",
    "seal.not_member_stamper", "seal.state_change_not_allowed", "seal.request_not_found",
    "seal.not_found", "document.not_found", "blob.not_found", "seal.document_other_body",
}

_worlds: dict[int, SealsWorld] = {}


def sw(world: World) -> SealsWorld:
    if id(world) not in _worlds:
        _worlds[id(world)] = SealsWorld(world)
    return _worlds[id(world)]


# --------------------------------------------------------------------------- routes


class _Seen:
    """A 200 answer turned into the matrix's words: the entry is in it, or it is not."""

    def __init__(self, response: Any, seen: bool) -> None:
        assert response.status_code == 200, response.text
        self.status_code = 200 if seen else 403
        self.text = response.text


def _register(w: World, a: Actor, rel: str) -> Any:
    entry_id, _ = sw(w).entry(rel)
    r = w.client.get(f"{API}/register", headers=a.headers)
    return _Seen(r, entry_id in {e["id"] for e in r.json()["entries"]})


def _register_csv(w: World, a: Actor, rel: str) -> Any:
    _, title = sw(w).entry(rel)
    r = w.client.get(f"{API}/register.csv", headers=a.headers)
    return _Seen(r, title in r.text)


def _verify(w: World, a: Actor, rel: str) -> Any:
    from tests.seals.conftest import make_pdf

    return w.client.post(f"{API}/verify", headers=a.headers, content=make_pdf(1))


ROUTES: dict[str, Callable[[World, Actor, str], Any]] = {
    "GET /api/v1/seals/register": _register,
    "GET /api/v1/seals/register.csv": _register_csv,
    "POST /api/v1/seals/verify": _verify,
    "GET /api/v1/seals/trust-root.pem": lambda w, a, rel: w.client.get(f"{API}/trust-root.pem", headers=a.headers),
    "GET /api/v1/seals/check/{entry_id}": lambda w, a, rel: w.client.get(
        f"{API}/check/{sw(w).entry(rel)[0]}", headers=a.headers),
}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_seal_route_matrix(world: World, name: str) -> None:
    assert name in SEALS.names("route"), f"{name} has no row in table_seals.csv"
    bad = []
    for role, relation, expected in SEALS.cases("route", name, ROLES, RELATIONS):
        got = route_outcome(ROUTES[name](world, world.actor(role), relation))
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []


# --------------------------------------------------------------------------- intents


def _request_use(w: World, a: Actor, rel: str) -> dict[str, Any]:
    s = sw(w)
    return {"request_id": f"sr-ax-{uuid.uuid4().hex[:12]}", "seal_id": s.seal(rel),
            "pdf_sha256": s.pdf(a.person_id), "document_title": "矩阵申请", "reason": "矩阵测试",
            "copies": 1}


def _self_seal(w: World) -> str:
    """A C1 seal naming every C1 actor as an allowed requester ("self" cases)."""
    s = sw(w)
    if "self" not in s.shared:
        seal_id = s.new_seal("own")
        everyone = [w.actor(r).person_id for r in ROLES]
        with session_scope(w.app.state.sessions) as db:
            row = db.get(SealRow, seal_id)
            assert row is not None
            row.requesters = sorted({*row.requesters, *everyone})
        s.shared["self"] = seal_id
    return s.shared["self"]


def _cancel(w: World, a: Actor, rel: str) -> dict[str, Any]:
    s = sw(w)
    if rel == "self" and a.role == "audit_admin":  # files nothing; the duty gate refuses first
        return {"request_id": s.pending("own")}
    if rel == "self":
        return {"request_id": s.pending("own", requester=a.person_id, seal_id=_self_seal(w))}
    return {"request_id": s.pending(rel)}


def _enrol(w: World, a: Actor, rel: str) -> dict[str, Any]:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return {"public_key_pem": pem}


INTENTS: dict[str, Callable[[World, Actor, str], dict[str, Any]]] = {
    "seals.create_seal": lambda w, a, rel: sw(w).seal_args(rel, a.person_id),
    "seals.request_use": _request_use,
    "seals.approve_request": lambda w, a, rel: {"request_id": sw(w).pending(rel), "note": "同意"},
    "seals.refuse_request": lambda w, a, rel: {"request_id": sw(w).pending(rel), "note": "不同意"},
    "seals.cancel_request": _cancel,
    "seals.stamp": lambda w, a, rel: {"request_id": sw(w).approved(rel), "placement": BOX},
    "seals.enrol_person_key": _enrol,
    "seals.set_seal_state": lambda w, a, rel: {"seal_id": sw(w).new_seal(rel), "action": "suspend"},
}


def _relations(name: str) -> tuple[str, ...]:
    exact = SEALS.relations("intent", name)
    return ("self",) if exact == ["self"] else (*RELATIONS, *(["self"] if "self" in exact else []))


@pytest.mark.parametrize("name", sorted(INTENTS))
def test_seal_intent_matrix(world: World, name: str) -> None:
    assert name in SEALS.names("intent"), f"{name} has no row in table_seals.csv"
    bad = []
    for role, relation, expected in SEALS.cases("intent", name, ROLES, _relations(name)):
        actor = world.actor(role)
        got = intent_outcome(push(world, actor, name, INTENTS[name](world, actor, relation)), DENY_CODES)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []


def test_every_seal_route_and_intent_is_in_the_table(world: World) -> None:
    from server.mutations import registered_names

    routes = {f"{method.upper()} {path}" for path, ops in world.app.openapi()["paths"].items()
              if path.startswith(API + "/") for method in ops}
    assert SEALS.names("route") == set(ROUTES) == routes
    assert SEALS.names("intent") == set(INTENTS) == {n for n in registered_names() if n.startswith("seals.")}


def test_stale_custodian_of_another_body_cannot_decide_even_when_named(world: World) -> None:
    """The case the matrix hides in its "deny": named on another body's seal is not enough."""
    s = sw(world)
    res = push(world, world.actor("seal_custodian"), "seals.approve_request",
               {"request_id": s.pending("other"), "note": "同意"})
    assert res["status"] == "rejected" and res["error"]["code"] == "seal.not_member_decider", res
