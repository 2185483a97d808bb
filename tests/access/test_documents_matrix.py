"""The documents access matrix: every documents route and intent × every role × own /
other / higher / lower body (and "self" where the actor's own draft is the case), as
``tests/access/table_documents.csv`` says, through the real app on SQLite and
PostgreSQL. Allowed cases run last for each intent, on a document really at the step,
so they apply; a refusal counts as "deny" only with a permission or not-found code.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.access.documents_world import DocumentsWorld
from tests.access.seals_world import SealsWorld
from tests.access.table import HERE, read_table
from tests.access.world import RELATIONS, ROLES, Actor, World, push, route_outcome

API = "/api/v1/documents"
DOCS = read_table(HERE / "table_documents.csv")
DENY_CODES = {
    "permission.denied", "document.not_found", "document.not_member", "document.not_editable",
    "document.workflow.not_your_step", "document.not_registry",
    "duty.audit_read_only",  # 三员分立: the security auditor changes nothing
}

_worlds: dict[int, DocumentsWorld] = {}


def dw(world: World) -> DocumentsWorld:
    if id(world) not in _worlds:
        _worlds[id(world)] = DocumentsWorld(world)
    return _worlds[id(world)]


def _ordered(cases: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Denials first: an allowed case may move its document on."""
    return sorted(cases, key=lambda c: c[2] == "allow")


# --------------------------------------------------------------------------- routes


def _route(path: str, intent: str = "read") -> Callable[[World, Actor, str], Any]:
    def call(w: World, a: Actor, rel: str) -> Any:
        doc_id = dw(w).target(intent, rel)
        return w.client.get(f"{API}/{doc_id}{path}", headers=a.headers)
    return call


def _upload(w: World, a: Actor) -> str:
    import hashlib

    from server.db import session_scope

    data = f"scan by {a.person_id} {uuid.uuid4().hex}".encode()
    sha = hashlib.sha256(data).hexdigest()
    with session_scope(w.app.state.sessions) as s:
        w.app.state.blob_store.append(s, a.person_id, sha, 0, len(data), data, 1 << 20)
    return sha


def _new_job(w: World, a: Actor, rel: str) -> Any:
    return w.client.post(f"{API}/intake/jobs", headers=a.headers,
                         json={"sha256": _upload(w, a), "name": "scan.png", "body_id": w.body(rel)})


_job_of: dict[tuple[int, str], str] = {}


def _job(w: World, a: Actor, rel: str) -> Any:
    """A job queued by ``rel``'s registry clerk, read by ``a``."""
    if (id(w), rel) not in _job_of:
        made = _new_job(w, w.actor("registry_clerk", rel), rel)
        assert made.status_code == 201, made.text
        _job_of[(id(w), rel)] = made.json()["id"]
    return w.client.get(f"{API}/intake/jobs/{_job_of[(id(w), rel)]}", headers=a.headers)


_read_job_of: dict[tuple[int, str], str] = {}


def _job_page(w: World, a: Actor, rel: str) -> Any:
    """Page 1 of a job of ``rel``'s registry that the server has read, fetched by ``a``."""
    if (id(w), rel) not in _read_job_of:
        import datetime as dt
        import hashlib

        from modules.documents.render import render_pdf
        from server.db import session_scope
        from server.documents import intake_jobs
        from tests.documents_server.conftest import spec

        clerk = w.actor("registry_clerk", rel)
        data = render_pdf(spec(sealed=False)).pdf + f"\n% {rel} {uuid.uuid4().hex}\n".encode()  # a file of its own
        sha = hashlib.sha256(data).hexdigest()
        with session_scope(w.app.state.sessions) as s:
            w.app.state.blob_store.append(s, clerk.person_id, sha, 0, len(data), data, 1 << 24)
        made = w.client.post(f"{API}/intake/jobs", headers=clerk.headers,
                             json={"sha256": sha, "name": "notice.pdf", "body_id": w.body(rel)})
        assert made.status_code == 201, made.text
        while intake_jobs.run_job(w.app.state.sessions, w.app.state.blob_store, "matrix:1",
                                  dt.timedelta(seconds=60)):
            pass
        _read_job_of[(id(w), rel)] = made.json()["id"]
    return w.client.get(f"{API}/intake/jobs/{_read_job_of[(id(w), rel)]}/pages/0.png", headers=a.headers)


def _registry_jobs(w: World, a: Actor, rel: str) -> Any:
    return w.client.get(f"{API}/intake/jobs?scope=registry", headers=a.headers)


ROUTES: dict[str, Callable[[World, Actor, str], Any]] = {
    "POST /api/v1/documents/intake/jobs": _new_job,
    "GET /api/v1/documents/intake/jobs": _registry_jobs,
    "GET /api/v1/documents/intake/jobs/{job_id}": _job,
    "GET /api/v1/documents/intake/jobs/{job_id}/pages/{index}.png": _job_page,
    "GET /api/v1/documents/{document_id}/audit": _route("/audit"),
    "GET /api/v1/documents/{document_id}/tracking": _route("/tracking"),
    "GET /api/v1/documents/{document_id}/revisions": _route("/revisions"),
    "GET /api/v1/documents/{document_id}/revisions/{no}": _route("/revisions/1"),
    "GET /api/v1/documents/{document_id}/diff": _route("/diff?from=1&to=1"),
    "GET /api/v1/documents/{document_id}/archive-package.zip": _route("/archive-package.zip", "archive_package"),
}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_document_route_matrix(world: World, name: str) -> None:
    assert name in DOCS.names("route"), f"{name} has no row in table_documents.csv"
    bad = []
    for role, relation, expected in DOCS.cases("route", name, ROLES, RELATIONS):
        got = route_outcome(ROUTES[name](world, world.actor(role), relation), hides=True)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []


# --------------------------------------------------------------------------- intents


def _doc(intent: str) -> Callable[[World, Actor, str], dict[str, Any]]:
    def args(w: World, a: Actor, rel: str) -> dict[str, Any]:
        d = dw(w)
        return {"document_id": d.own_draft(a.person_id) if rel == "self" else d.target(intent, rel)}
    return args


def _create(w: World, a: Actor, rel: str) -> dict[str, Any]:
    from tests.documents_server.conftest import spec

    return {"document_id": f"d-ax-{uuid.uuid4().hex[:12]}", "spec": spec(sealed=False),
            "body_id": w.body(rel), "main_to": [w.body("other")]}


def _save(w: World, a: Actor, rel: str) -> dict[str, Any]:
    from tests.documents_server.conftest import spec

    return _doc("save_draft")(w, a, rel) | {"spec": spec(title="关于修改后的矩阵测试的通知", sealed=False)}


def _act(w: World, a: Actor, rel: str) -> dict[str, Any]:
    return _doc("act")(w, a, rel) | {"op": "approve", "step": "draft", "args": {}}


def _batch(w: World, a: Actor, rel: str) -> dict[str, Any]:
    return {"items": [_doc("batch")(w, a, rel) | {"step": "draft"}]}


_seal_for: dict[int, str] = {}


def _request_seal(w: World, a: Actor, rel: str) -> dict[str, Any]:
    if id(w) not in _seal_for:
        from server.db import session_scope
        from server.seals.models import SealRow

        seal_id = SealsWorld(w).new_seal("own")
        people = [w.actor(r).person_id for r in ("registry_clerk", "seal_custodian")]
        with session_scope(w.app.state.sessions) as s:
            row = s.get(SealRow, seal_id)
            assert row is not None
            row.requesters = sorted({*row.requesters, *people})
        _seal_for[id(w)] = seal_id
    return _doc("request_seal")(w, a, rel) | {"seal_id": _seal_for[id(w)], "reason": "矩阵用印"}


def _intake(w: World, a: Actor, rel: str) -> dict[str, Any]:
    from modules.documents.intake_rules import spec_from_fields

    sha = _upload(w, a)
    return {"document_id": f"d-ax-{uuid.uuid4().hex[:12]}", "body_id": w.body(rel),
            "spec": spec_from_fields({"title": "关于矩阵收文的通知", "issuer": "某单位"}, "正文"),
            "source": {"name": "scan.png", "sha256": sha, "kind": "image", "pages": 1}}


INTENTS: dict[str, Callable[[World, Actor, str], dict[str, Any]]] = {
    "documents.create_draft": _create,
    "documents.save_draft": _save,
    "documents.act": _act,
    "documents.batch_approve": _batch,
    "documents.mark_opened": _doc("mark_opened"),
    "documents.register": lambda w, a, rel: _doc("register")(w, a, rel) | {"agency_code": "矩"},
    "documents.dispatch": _doc("dispatch"),
    "documents.sign_for": _doc("sign_for"),
    "documents.return_to_sender": lambda w, a, rel: _doc("return_to_sender")(w, a, rel) | {"reason": "非本机关办理"},
    "documents.recall": lambda w, a, rel: _doc("recall")(w, a, rel) | {"reason": "有误"},
    "documents.archive": _doc("archive"),
    "documents.request_seal": _request_seal,
    "documents.intake": _intake,
}


def _outcome(name: str, result: dict[str, Any]) -> str:
    if name == "documents.batch_approve" and result.get("status") == "applied":
        (item,) = result["result"]["results"]
        result = {"status": "applied"} if item["ok"] else {"status": item["status"], "error": item["error"]}
    if result.get("status") == "applied":
        return "allow"
    code = (result.get("error") or {}).get("code")
    if result.get("status") == "rejected" and code in DENY_CODES:
        return "deny"
    return f"unexpected {result}"


@pytest.mark.parametrize("name", sorted(INTENTS))
def test_document_intent_matrix(world: World, name: str) -> None:
    assert name in DOCS.names("intent"), f"{name} has no row in table_documents.csv"
    relations = (*RELATIONS, *(["self"] if "self" in DOCS.relations("intent", name) else []))
    bad = []
    for role, relation, expected in _ordered(DOCS.cases("intent", name, ROLES, relations)):
        actor = world.actor(role)
        got = _outcome(name, push(world, actor, name, INTENTS[name](world, actor, relation)))
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []


def test_every_document_route_and_intent_is_in_the_table(world: World) -> None:
    from server.mutations import registered_names

    routes = {f"{method.upper()} {path}" for path, ops in world.app.openapi()["paths"].items()
              if path.startswith(API + "/") for method in ops}
    assert DOCS.names("route") == set(ROUTES) == routes
    assert DOCS.names("intent") == set(INTENTS) == {n for n in registered_names() if n.startswith("documents.")}
