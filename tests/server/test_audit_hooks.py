"""What the audit trail records at each hook (issue 12): sign-ins and their failures,
lockouts, token reuse, logout, password changes, intents applied and refused (also in
the middle of a push batch), directory administration, downloads and exports — with
the actor, action, result, target, device and address."""

from __future__ import annotations

import hashlib
import os
import uuid
from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import event, select

from modules.common.errors import Conflict
from modules.common.intents import define
from server.audit.chain import chain_now
from server.audit.models import AuditEntry
from server.audit.verify import verify
from server.db import session_scope
from server.mutations import MutationContext, mutation
from tests.server.helpers import PASSWORD, add_body, add_person, login

ADDRESS = "testclient"  # the peer address Starlette's test client reports
AFTER_ROLLBACK: list[str] = []


class RefusedUseArgs(BaseModel):
    seal_id: str


class OnDocumentArgs(BaseModel):
    document_id: str


@mutation(define("testing.audit_on_document", OnDocumentArgs, offline=False))
def _on_document(ctx: MutationContext, args: OnDocumentArgs) -> dict[str, Any]:
    return {}


@mutation(define("testing.audit_refused_use", RefusedUseArgs, offline=False))
def _refused_use(ctx: MutationContext, args: RefusedUseArgs) -> dict[str, Any]:
    """Like a refused stamp (server/seals/refusals.py): something is written once the
    intent's transaction is rolled back, so the batch hands it to apply_one."""
    event.listen(ctx.session, "after_rollback",
                 lambda _s: AFTER_ROLLBACK.append(ctx.mutation_id), once=True)
    raise Conflict("permission.denied", action="stamp")


def entries(app: Any, action: str | None = None) -> list[AuditEntry]:
    with session_scope(app.state.sessions) as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action is not None:
            query = query.where(AuditEntry.action == action)
        return list(s.scalars(query))


def one(app: Any, action: str) -> AuditEntry:
    found = entries(app, action)
    assert len(found) == 1, [(e.action, e.result, e.code) for e in entries(app)]
    return found[0]


def test_sign_in_failures_lockout_and_success_are_recorded(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    client = TestClient(app)
    for _ in range(app.state.settings.login_max_failures):
        r = client.post("/api/v1/auth/login", json={"account": "p-1", "password": "wrong"})
        assert r.status_code in (401, 423), r.text
    failed = entries(app, "auth.login_failed")
    assert len(failed) == app.state.settings.login_max_failures - 1
    assert {(e.actor_id, e.actor_login, e.result, e.code, e.address) for e in failed} == {
        ("p-1", "p-1", "refused", "auth.invalid_credentials", ADDRESS)}
    locked = one(app, "auth.locked")
    assert (locked.actor_id, locked.target, locked.result) == ("p-1", "p-1", "refused")
    assert locked.code == "auth.locked"
    r = client.post("/api/v1/auth/login", json={"account": "nobody", "password": "x"})
    assert r.status_code == 401
    stranger = entries(app, "auth.login_failed")[-1]
    assert (stranger.actor_id, stranger.actor_login) == ("", "nobody")

    add_person(app, "p-2", "李娜")
    r = client.post("/api/v1/auth/login", json={
        "account": "p-2", "password": PASSWORD, "device_id": "client-abcdef-01",
        "device_name": "办公室电脑"})
    assert r.status_code == 200, r.text
    signed_in = one(app, "auth.login")
    assert (signed_in.actor_id, signed_in.actor_name, signed_in.actor_login) == (
        "p-2", "李娜", "p-2")
    assert (signed_in.result, signed_in.address, signed_in.scope_body) == ("ok", ADDRESS,
                                                                           "b-prov")
    assert signed_in.device  # the device row the tokens carry
    chain_now(app.state.engine)
    with session_scope(app.state.sessions) as s:
        assert verify(s).intact


def test_token_reuse_logout_and_password_change_are_recorded(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    client = TestClient(app)
    first = client.post("/api/v1/auth/login",
                        json={"account": "p-1", "password": PASSWORD}).json()
    second = client.post("/api/v1/auth/refresh",
                         json={"refresh_token": first["refresh_token"]}).json()
    client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    entry = one(app, "auth.token_reuse")
    assert (entry.actor_id, entry.result, entry.code, entry.address) == (
        "p-1", "refused", "auth.token_invalid", ADDRESS)

    pair = client.post("/api/v1/auth/login", json={"account": "p-1", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {pair['access_token']}"}
    wrong = client.post("/api/v1/auth/password", headers=headers,
                        json={"old_password": "not-it", "new_password": "N3w-Passw0rd!x"})
    assert wrong.status_code == 422
    refused = one(app, "auth.password_change")
    assert (refused.actor_id, refused.result, refused.code) == ("p-1", "refused",
                                                                "auth.wrong_password")
    ok = client.post("/api/v1/auth/password", headers=headers,
                     json={"old_password": PASSWORD, "new_password": "N3w-Passw0rd!x"})
    assert ok.status_code == 204, ok.text
    changed = entries(app, "auth.password_change")[-1]
    assert (changed.actor_id, changed.result, changed.target) == ("p-1", "ok", "p-1")

    out = client.post("/api/v1/auth/logout", json={"refresh_token": pair["refresh_token"]})
    assert out.status_code == 204
    logout = one(app, "auth.logout")
    assert (logout.actor_id, logout.result, logout.address) == ("p-1", "ok", ADDRESS)


def _item(name: str, **args: Any) -> dict[str, Any]:
    return {"id": uuid.uuid4().hex, "name": name, "args": args}


def test_intents_applied_and_refused_in_one_batch_are_recorded(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    add_person(app, "p-2", "李娜")
    client = TestClient(app)
    headers = login(client, "p-1")
    batch = [_item("directory.update_contact", phone="13800000001"),
             _item("directory.update_contact", person_id="p-2", phone="13800000002"),
             _item("nothing.such_intent"),
             _item("directory.update_contact", phone="13800000003")]
    r = client.post("/api/v1/sync/push", headers=headers, json={"mutations": batch})
    assert r.status_code == 200, r.text
    statuses = [x["status"] for x in r.json()["results"]]
    assert statuses[0] == "applied" and statuses[1] != "applied" and statuses[3] == "applied"
    found = [e for e in entries(app) if e.action.startswith("intent.")]
    assert [(e.action, e.result, e.target) for e in found] == [
        ("intent.directory.update_contact", "ok", ""),
        ("intent.directory.update_contact", "refused", "p-2"),
        ("intent.nothing.such_intent", "refused", ""),
        ("intent.directory.update_contact", "ok", ""),
    ]
    assert found[1].code == r.json()["results"][1]["error"]["code"]
    assert found[2].code == "sync.unknown_mutation"
    assert {(e.actor_id, e.actor_login, e.address) for e in found} == {("p-1", "p-1", ADDRESS)}
    assert found[0].device  # the signed-in device (request.state.device_id)
    # A re-sent batch is answered from the stored results: nothing new is recorded.
    client.post("/api/v1/sync/push", headers=headers, json={"mutations": batch})
    assert len([e for e in entries(app) if e.action.startswith("intent.")]) == 4


def test_directory_administration_is_recorded_with_its_outcome(app: Any) -> None:
    add_body(app)
    add_person(app, "admin", "管理员", roles=("sys_admin",))
    add_person(app, "p-1", "张伟")
    client = TestClient(app)
    admin, staff = login(client, "admin"), login(client, "p-1")
    r = client.patch("/api/v1/directory/people/p-1", headers=admin, json={"phone": "13900000000"})
    assert r.status_code == 200, r.text
    denied = client.patch("/api/v1/directory/bodies/b-prov", headers=staff, json={"name": "x"})
    assert denied.status_code == 403
    update = one(app, "directory.person_update")
    assert (update.actor_id, update.actor_name, update.actor_login, update.result) == (
        "admin", "管理员", "admin", "ok")
    assert (update.target, update.scope_body, update.address) == ("p-1", "b-prov", ADDRESS)
    refused = one(app, "directory.body_update")
    assert (refused.actor_id, refused.result, refused.target) == ("p-1", "refused", "b-prov")
    assert refused.code == denied.json()["error"]["code"]


def test_downloads_are_recorded_once_per_download(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = login(client, "p-1")
    data = os.urandom(5000)
    sha = hashlib.sha256(data).hexdigest()
    client.put(f"/api/v1/blobs/{sha}", headers=headers, params={"offset": 0, "total": len(data)},
               content=data)
    assert client.get(f"/api/v1/blobs/{sha}", headers=headers).content == data
    part = client.get(f"/api/v1/blobs/{sha}", headers={**headers, "Range": "bytes=100-199"})
    assert part.status_code == 206
    download = one(app, "blob.download")
    assert (download.actor_id, download.target, download.result, download.address) == (
        "p-1", sha, "ok", ADDRESS)
    missing = "0" * 64
    assert client.get(f"/api/v1/blobs/{missing}", headers=headers).status_code == 404
    refused = entries(app, "blob.download")[-1]
    assert (refused.target, refused.result) == (missing, "refused")
    assert client.get("/api/v1/documents/d-none/archive-package.zip",
                      headers=headers).status_code == 404
    export = one(app, "archive.export")
    assert (export.actor_id, export.target, export.result) == ("p-1", "d-none", "refused")


def test_an_intent_refused_on_its_own_transaction_is_recorded_once(app: Any) -> None:
    """The path of a refused seal use: apply_one records the refusal in the transaction
    that remembers it, after the intent's own transaction rolled back."""
    AFTER_ROLLBACK.clear()
    add_body(app)
    add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = login(client, "p-1")
    batch = [_item("directory.update_contact", phone="13800000001"),
             _item("testing.audit_refused_use", seal_id="seal-7"),
             _item("directory.update_contact", phone="13800000002")]
    r = client.post("/api/v1/sync/push", headers=headers, json={"mutations": batch})
    assert [x["status"] for x in r.json()["results"]] == ["applied", "conflict", "applied"]
    assert [batch[1]["id"]] == AFTER_ROLLBACK
    refused = one(app, "intent.testing.audit_refused_use")
    assert (refused.actor_id, refused.target, refused.result, refused.code) == (
        "p-1", "seal-7", "refused", "permission.denied")
    assert refused.address == ADDRESS and refused.device
    assert len(entries(app, "intent.directory.update_contact")) == 2


def test_an_intent_entry_belongs_to_the_body_owning_its_target(app: Any) -> None:
    from server.db import utcnow
    from server.documents.models import Document

    add_body(app)
    add_body(app, "b-city", "市政务服务数据管理局", tier="city")
    add_person(app, "p-1", "张伟")
    now = utcnow()
    with session_scope(app.state.sessions) as s:
        s.add(Document(id="doc-city", kind="fw", body_id="b-city", spec={}, workflow={},
                       created_by={}, created_at=now, updated_at=now))
    client = TestClient(app)
    headers = login(client, "p-1")
    batch = [_item("testing.audit_on_document", document_id="doc-city"),
             _item("testing.audit_on_document", document_id="doc-missing")]
    r = client.post("/api/v1/sync/push", headers=headers, json={"mutations": batch})
    assert [x["status"] for x in r.json()["results"]] == ["applied", "applied"]
    found = entries(app, "intent.testing.audit_on_document")
    assert [(e.target, e.scope_body) for e in found] == [("doc-city", "b-city"),
                                                         ("doc-missing", "b-prov")]
