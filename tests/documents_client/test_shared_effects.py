"""The client and the server run the same effects (``modules.documents.effects``).

Fails when one half grows its own copy of a rule again: every offline intent, applied by
the client's applier and by the server's mutation, must go through the same effect
functions; and the part of the record the server builds from its row must be enough for
them — the effect on it changes the stored fields exactly as on the full published record.
SQLite only (the parity tests' office).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from modules.common.errors import DomainError
from modules.documents import effects, service
from server.auth.principal import load_principal
from server.db import session_scope
from server.directory.seed import seed_demo
from server.documents import mutations
from server.documents.models import Document
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.documents_client import support
from tests.documents_server.conftest import (
    CLERK,
    DRAFTER,
    JH_CLERK,
    JUZHANG,
    SEALER,
    ZHC_HEAD,
    Office,
    spec,
)

#: The effects a change goes through (the intents' and the rules inside them).
TRACED = ("create_draft", "save_draft", "act", "sign_for", "mark_opened", "archive",
          "batch_item", "apply_op", "signed_spec", "mark_acted", "check_op", "op_params")


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


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    seen: list[str] = []
    for name in TRACED:
        real = getattr(effects, name)

        def spy(*a: Any, _real: Callable[..., Any] = real, _name: str = name, **k: Any) -> Any:
            seen.append(_name)
            return _real(*a, **k)

        monkeypatch.setattr(effects, name, spy)
        for intent, fn in list(effects.OFFLINE_EFFECTS.items()):
            if fn is real:
                monkeypatch.setitem(effects.OFFLINE_EFFECTS, intent, spy)
    yield seen


def _act(doc_id: str, op: str, step: str | None, **args: Any) -> dict[str, Any]:
    return {"document_id": doc_id, "op": op, "step": step, "args": args}


def _traced(calls: list[str], run: Callable[[], Any]) -> set[str]:
    calls.clear()
    run()
    return set(calls)


def _principal(office: Office, person_id: str) -> dict[str, Any]:
    """What the client holds of its user: the server's profile (posts with roles)."""
    with session_scope(office.sessions) as s:
        return load_principal(s, person_id).to_dict()


def _client_apply(office: Office, record: dict[str, Any], person_id: str, name: str,
                  args: dict[str, Any]) -> None:
    cache = LocalCache(None)
    try:
        with cache.write() as s:
            apply_server_changes(s, [((service.ENTITY, record["id"]), record, 1)],
                                 principal=_principal(office, person_id))
        support.LocalEngine(cache, _principal(office, person_id)).submit(name, args)
    finally:
        cache.close()


def _both(office: Office, calls: list[str], person: str, name: str, args: dict[str, Any]) -> None:
    key = args.get("document_id") or args["items"][0]["document_id"]
    before = office.doc(key)
    try:
        mine = _traced(calls, lambda: _client_apply(office, before, person, name, args))
    except DomainError as exc:  # the client refused what the server will do: diverged
        raise AssertionError(f"{name}: the client refused ({exc.code})") from exc
    theirs = _traced(calls, lambda: office.ok(person, name, args))
    assert mine and mine == theirs, (name, mine, theirs)


def test_every_offline_intent_runs_the_same_effects_on_both_sides(office: Office,
                                                                  calls: list[str]) -> None:
    doc_id = office.draft(sign=(JUZHANG,), review=(ZHC_HEAD,))
    _both(office, calls, DRAFTER, "documents.save_draft",
          {"document_id": doc_id, "base_revision": 1, "spec": spec(title="关于加快推进政务数据共享的通知")})
    _both(office, calls, DRAFTER, "documents.act", _act(doc_id, "approve", "draft", opinion="请审核。"))
    _both(office, calls, ZHC_HEAD, "documents.mark_opened", {"document_id": doc_id})
    _both(office, calls, ZHC_HEAD, "documents.batch_approve",
          {"items": [{"document_id": doc_id, "step": "review"}], "opinion": "拟同意。"})
    _both(office, calls, JUZHANG, "documents.act", _act(doc_id, "approve", "sign", opinion="同意印发。"))
    assert {"signed_spec", "mark_acted"} <= set(calls)  # the 签发 rule: one definition, used here
    office.act_ok(CLERK, doc_id, "approve", "recheck")
    office.ok(CLERK, "documents.register", {"document_id": doc_id})
    if office.doc(doc_id)["step"] == "seal":
        office.act_ok(SEALER, doc_id, "approve", "seal")
    office.ok(CLERK, "documents.dispatch", {"document_id": doc_id})
    _both(office, calls, CLERK, "documents.archive", {"document_id": doc_id, "retention": "30年"})
    incoming = next(d["incoming_id"] for d in office.doc(doc_id)["deliveries"] if d["role"] == "main")
    _both(office, calls, JH_CLERK, "documents.sign_for", {"document_id": incoming})


def test_the_servers_record_is_enough_for_the_effects(office: Office) -> None:
    """The effect on the record the server builds from its row (``mutations._record``)
    writes what it writes on the whole published record."""
    doc_id = office.draft(sign=(JUZHANG,), review=(ZHC_HEAD,))
    steps = [
        (DRAFTER, effects.save_draft, {"document_id": doc_id, "base_revision": 1,
                                       "spec": spec(title="关于加快推进政务数据共享的通知")}),
        (DRAFTER, effects.act, _act(doc_id, "approve", "draft", opinion="请审核。")),
        (ZHC_HEAD, effects.mark_opened, {"document_id": doc_id}),
        (ZHC_HEAD, effects.act, _act(doc_id, "approve", "review", opinion="拟同意。")),
        (JUZHANG, effects.act, _act(doc_id, "approve", "sign", opinion="同意印发。")),
        (JUZHANG, effects.act, _act(doc_id, "withdraw", None)),
    ]
    now = dt.datetime.now(dt.UTC)
    intents = {effects.save_draft: "documents.save_draft", effects.act: "documents.act",
               effects.mark_opened: "documents.mark_opened"}
    for person, effect, args in steps:
        with session_scope(office.sessions) as s:
            row = s.get(Document, doc_id)
            assert row is not None
            part = mutations._record(s, row, reads=True, revisions=True)
            me = mutations.st.principal_actor(s, load_principal(s, person), row.body_id)
        full = office.doc(doc_id)
        got_part, got_full = effect(part, args, me, now), effect(full, args, me, now)
        for key in (*mutations.WRITTEN, "revision"):
            assert got_part.get(key) == got_full.get(key), (effect.__name__, key)
        reads = [{k: v for k, v in r.items() if k != "opens"} for r in got_part.get("reads", [])]
        assert sorted(reads, key=lambda r: r["person_id"]) == sorted(got_full.get("reads", []),
                                                                     key=lambda r: r["person_id"])
        office.ok(person, intents[effect], args)
