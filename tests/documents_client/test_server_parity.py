"""The client's optimistic apply gives the state the real server publishes.

For each step of a flow, the client starts from the server's published record, applies
the intent with its applier (``LocalEngine`` → ``sync.local.submit_intent``), and the
server applies the same intent through ``server.mutations.apply_one`` (the code behind
``POST /sync/push``). The records must agree on everything but the clock (and the
names/posts the server fills in from its directory). Refusals must agree too.
SQLite only: the server's own tests cover PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modules.common.errors import DomainError
from modules.documents import service
from server.auth.principal import load_principal
from server.db import session_scope
from server.directory.seed import seed_demo
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.documents_client import support
from tests.documents_server.conftest import (
    CLERK,
    DRAFTER,
    JUZHANG,
    ZHC_HEAD,
    Office,
    spec,
)


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    from server.app import create_app
    from server.config import Settings

    settings = Settings(data_dir=tmp_path / "server", database_url=f"sqlite:///{tmp_path / 'o.db'}",
                        secret_key="test-secret-key-with-enough-length-0123456789", log_json=False)
    app = create_app(settings)
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    yield Office(app)
    app.state.engine.dispose()


def principal_of(office: Office, person_id: str) -> dict[str, Any]:
    with session_scope(office.sessions) as s:
        p = load_principal(s, person_id)
        return {"person_id": p.person_id, "name": p.name, "roles": sorted(p.roles),
                "body_ids": sorted(p.body_ids),
                "posts": [{"post_id": x.post_id, "body_id": x.body_id, "title": x.title,
                           "is_primary": x.is_primary} for x in p.posts]}


def _ids(value: Any) -> Any:
    """Actors → ids, times dropped: what both sides must agree on."""
    if isinstance(value, dict):
        if set(value) >= {"id", "name"} and set(value) <= {"id", "name", "post", "at"}:
            return value["id"]
        return {k: _ids(v) for k, v in value.items()
                if k not in ("at", "created_at", "updated_at", "first_opened_at",
                             "last_opened_at", "acted_at")}
    if isinstance(value, list):
        return [_ids(v) for v in value]
    return value


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    wf = doc["workflow"]
    return {
        "workflow": _ids({k: wf[k] for k in ("kind", "status", "current", "pending", "acted",
                                             "delegations", "visited", "assignments",
                                             "history", "version")}),
        "opinions": [(o["step"], o["kind"], o["text"], o["person"]["id"]) for o in doc["opinions"]],
        "undo": None if wf.get("undo") is None else wf["undo"]["actor_id"],
        "urges": [(u["step"], u["by"]["id"], u["message"]) for u in wf.get("urges", [])],
        **{k: doc[k] for k in ("step", "step_name", "status", "state_words", "title",
                               "doc_type", "urgency", "revision")},
        "spec": {k: doc["spec"].get(k) for k in ("title", "body", "date", "signers")},
    }


def client_apply(office: Office, record: dict[str, Any], person_id: str, name: str,
                 args: dict[str, Any]) -> dict[str, Any] | DomainError:
    cache = LocalCache(None)
    try:
        with cache.write() as s:
            apply_server_changes(s, [((service.ENTITY, record["id"]), record, 1)],
                                 principal=principal_of(office, person_id))
        engine = support.LocalEngine(cache, principal_of(office, person_id))
        try:
            engine.submit(name, args)
        except DomainError as exc:
            return exc
        return cache.get(service.ENTITY, record["id"])
    finally:
        cache.close()


def both(office: Office, doc_id: str, person_id: str, name: str, args: dict[str, Any]) -> None:
    before = office.doc(doc_id)
    mine = client_apply(office, before, person_id, name, args)
    answer = office.send(person_id, name, args)
    if isinstance(mine, DomainError):
        assert answer["status"] in ("rejected", "conflict"), answer
        assert answer["error"]["code"] == mine.code
        assert answer["error"]["message"] == mine.message("zh_CN")
        return
    assert answer["status"] == "applied", answer
    assert comparable(mine) == comparable(office.doc(doc_id))


def act(doc_id: str, op: str, step: str | None, **args: Any) -> dict[str, Any]:
    return {"document_id": doc_id, "op": op, "step": step, "args": args}


def test_a_whole_outgoing_flow_matches_the_server(office: Office) -> None:
    doc_id = office.draft(sign=(JUZHANG,), review=(ZHC_HEAD,))
    both(office, doc_id, DRAFTER, "documents.act", act(doc_id, "approve", "draft", opinion="请审核。"))
    both(office, doc_id, ZHC_HEAD, "documents.act",
         act(doc_id, "return", "review", to_step="draft", reason="请补充第三段。"))
    both(office, doc_id, DRAFTER, "documents.save_draft", {
        "document_id": doc_id, "base_revision": 1,
        "spec": spec(body=["为加快推进政务数据共享，现就有关事项通知如下。", "一、提高认识", "二、补充要求"])})
    both(office, doc_id, DRAFTER, "documents.act", act(doc_id, "approve", "draft"))
    both(office, doc_id, DRAFTER, "documents.act", act(doc_id, "urge", None, message="请尽快核稿"))
    both(office, doc_id, ZHC_HEAD, "documents.act", act(doc_id, "approve", "review", opinion="拟同意。"))
    both(office, doc_id, JUZHANG, "documents.act", act(doc_id, "approve", "sign", opinion="同意印发。"))
    both(office, doc_id, JUZHANG, "documents.act", act(doc_id, "withdraw", None))
    both(office, doc_id, JUZHANG, "documents.act", act(doc_id, "approve", "sign", opinion="同意。"))
    both(office, doc_id, CLERK, "documents.act", act(doc_id, "approve", "recheck"))
    final = office.doc(doc_id)
    assert final["state_words"] == "待登记" and final["spec"]["date"]
    assert service.allowed_actions(final, service.actor_of(principal_of(office, CLERK))).step_intent \
        == service.REGISTER


def test_refusals_match_the_server_in_words(office: Office) -> None:
    doc_id = office.draft()
    both(office, doc_id, DRAFTER, "documents.act", act(doc_id, "approve", "draft"))
    # not this person's step; a return without reason; an edit by someone not pending;
    # a late approval of a step that moved on.
    both(office, doc_id, DRAFTER, "documents.act", act(doc_id, "approve", "review"))
    both(office, doc_id, ZHC_HEAD, "documents.act", act(doc_id, "return", "review", to_step="draft", reason=" "))
    both(office, doc_id, JUZHANG, "documents.save_draft", {"document_id": doc_id, "spec": spec()})
    both(office, doc_id, ZHC_HEAD, "documents.act", act(doc_id, "approve", "review"))
    both(office, doc_id, ZHC_HEAD, "documents.act", act(doc_id, "approve", "review"))
    both(office, doc_id, DRAFTER, "documents.create_draft",
         {"document_id": "d-0123456789ab", "spec": {**spec(), "密级": "秘密"}})


def test_the_client_draft_equals_the_servers(office: Office) -> None:
    args = {"document_id": "d-abcdefabcdef", "spec": spec(title="关于开展数据质量检查的通知"),
            "main_to": ["b-jh"]}
    cache = LocalCache(None)
    engine = support.LocalEngine(cache, principal_of(office, DRAFTER),
                                 now=lambda: dt.datetime.now(dt.UTC))
    engine.submit("documents.create_draft", args)
    mine = cache.get(service.ENTITY, "d-abcdefabcdef")
    cache.close()
    office.ok(DRAFTER, "documents.create_draft", args)
    theirs = office.doc("d-abcdefabcdef")
    # The server also names the default assignees of the registry/seal steps (from its
    # directory); the client's draft shows them after the next pull.
    extra = set(theirs["workflow"]["assignments"]) - set(mine["workflow"]["assignments"])
    assert extra <= {"recheck", "register", "seal", "dispatch"}
    for key in extra:
        del theirs["workflow"]["assignments"][key]
    assert comparable(mine) == comparable(theirs)
    assert [b["id"] for b in mine["main_to"]] == [b["id"] for b in theirs["main_to"]]
