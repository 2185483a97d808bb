"""Classification markings are refused in every text of every intent and route body.

The intents are enumerated from the registry (``server.mutations``): every string field
of every argument model (nested models, lists and free-form structures included) gets a
disguised marking through ``POST /sync/push``, and must be rejected with
``document.classified_refused`` while nothing in the database changes. A new intent
fails here until its arguments are added to ``BASE_ARGS`` (and its free-form fields to
``STRUCTURED``). Route bodies are enumerated from the app: every string field is either
FreeText (and tested) or listed in ``ROUTE_NOT_FREE_TEXT``. SQLite and PostgreSQL.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import types
import typing
import uuid
from typing import Any, Literal, Union, get_args, get_origin

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import func, select

from modules.common.classified import is_free_text
from modules.directory.demo import DEMO_PASSWORD
from server.audit.models import AuditEntry
from server.changefeed import ChangeLog
from server.db import Base, session_scope
from server.directory.seed import seed_demo
from server.mutations import _registry
from tests.documents_server.conftest import CLERK, DRAFTER, JH, JH_CLERK, JUZHANG, ZHC_HEAD, Office
from tests.intents import product_intents

#: Disguises the detector must see through; cycled over the fields.
MARKS = ["机密★5年", "秘密☆", "秘 密★", "秘\u200b密★", "绝密⭐长期", "秘密*", "秘密＊1年",
         "机\u3000密\u200d★10年", "秘密✩", "密级：秘密"]

DOC = "d-0123456789ab"
SHA = "0" * 64

#: Shape-valid arguments of every intent (they pass the argument model).
BASE_ARGS: dict[str, dict[str, Any]] = {
    "documents.create_draft": {"document_id": DOC, "spec": {"doc_type": "通知", "title": "通知"}},
    "documents.save_draft": {"document_id": DOC, "spec": {"doc_type": "通知", "title": "通知"}},
    "documents.act": {"document_id": DOC, "op": "approve", "step": "review"},
    "documents.batch_approve": {"items": [{"document_id": DOC, "step": "sign"}], "opinion": "同意。"},
    "documents.sign_for": {"document_id": DOC},
    "documents.register": {"document_id": DOC},
    "documents.request_seal": {"document_id": DOC, "seal_id": "s-1", "reason": "用印"},
    "documents.dispatch": {"document_id": DOC},
    "documents.return_to_sender": {"document_id": DOC, "reason": "不属于本机关职责。"},
    "documents.recall": {"document_id": DOC},
    "documents.mark_opened": {"document_id": DOC},
    "documents.archive": {"document_id": DOC},
    "documents.intake": {"document_id": DOC, "body_id": "b-1", "spec": {"doc_type": "通知", "title": "通知"},
                         "source": {"name": "通知.pdf", "sha256": SHA, "kind": "pdf"}},
    "seals.request_use": {"request_id": "r-0001", "seal_id": "s-1", "pdf_sha256": SHA, "reason": "用印"},
    "seals.approve_request": {"request_id": "r-0001"},
    "seals.refuse_request": {"request_id": "r-0001"},
    "seals.cancel_request": {"request_id": "r-0001"},
    "seals.stamp": {"request_id": "r-0001"},
    "seals.enrol_person_key": {"public_key_pem": "-----BEGIN PUBLIC KEY-----\n" + "A" * 60},
    "seals.set_seal_state": {"seal_id": "s-1", "action": "suspend"},
    "seals.create_seal": {"name": "某某局公章", "type": "official", "body_id": "b-1",
                          "custodians": ["p-1"], "valid_from": "2026-01-01T00:00:00Z",
                          "valid_to": "2027-01-01T00:00:00Z"},
    "directory.update_contact": {},
    "calendar.set_year": {"year": 2027, "days": [{"date": "2027-01-01", "kind": "holiday"}]},
    "meetings.save_room": {"room_id": "mr-0001", "body_id": "b-1", "name": "第一会议室"},
    "meetings.book_room": {"booking_id": "mb-0001", "room_id": "mr-0001",
                           "start": "2030-01-02T09:00:00+08:00", "end": "2030-01-02T10:00:00+08:00",
                           "subject": "例会"},
    "meetings.decide_booking": {"booking_id": "mb-0001", "approve": True},
    "meetings.cancel_booking": {"booking_id": "mb-0001"},
    "meetings.check_in": {"meeting_id": "mt-0001", "token": "OACHK1:m=mt-0001;w=1;s=00",
                          "scanned_at": "2030-01-02T09:00:00+08:00"},
    "meetings.check_in_by_hand": {"meeting_id": "mt-0001", "name": "来宾",
                                  "scanned_at": "2030-01-02T09:00:00+08:00"},
    "meetings.save_meeting": {"meeting_id": "mt-0001", "subject": "专题会", "kind": "专题会",
                              "host_body_id": "b-1", "start": "2030-01-02T09:00:00+08:00",
                              "end": "2030-01-02T10:00:00+08:00"},
    "meetings.publish_meeting": {"meeting_id": "mt-0001"},
    "meetings.cancel_meeting": {"meeting_id": "mt-0001", "reason": "改期"},
    "meetings.close_meeting": {"meeting_id": "mt-0001"},
    "meetings.chase_replies": {"meeting_id": "mt-0001", "note": "请今天下班前回执"},
    "meetings.reply": {"meeting_id": "mt-0001", "answer": "decline", "reason": "出差"},
    "meetings.nominate": {"meeting_id": "mt-0001", "body_id": "b-1", "nominees": ["p-1"]},
    "meetings.start_minutes": {"meeting_id": "mt-0001", "document_id": "d-0001"},
    "meetings.add_decision": {"meeting_id": "mt-0001", "decision_id": "dc-0001", "what": "议定事项",
                              "lead_unit_id": "b-1", "deadline_days": 5},
    "meetings.edit_decision": {"meeting_id": "mt-0001", "decision_id": "dc-0001", "what": "议定事项",
                               "lead_unit_id": "b-1", "due": "2030-01-02"},
    "meetings.remove_decision": {"meeting_id": "mt-0001", "decision_id": "dc-0001"},
    "meetings.send_decision": {"meeting_id": "mt-0001", "decision_id": "dc-0001"},
    "supervision.from_instruction": {"document_id": "d-0001", "lead_unit_id": "b-1",
                                     "deadline_days": 5},
    "meetings.create_series": {"series_id": "ms-00000001", "subject": "例会", "kind": "办公会",
                               "host_body_id": "b-1", "start": "2030-01-07T09:00:00+08:00",
                               "end": "2030-01-07T10:00:00+08:00",
                               "rule": {"frequency": "weekly", "count": 4}},
    "meetings.update_series": {"meeting_id": "mt-0001", "scope": "all", "subject": "例会",
                               "kind": "办公会", "host_body_id": "b-1",
                               "start": "2030-01-07T09:00:00+08:00",
                               "end": "2030-01-07T10:00:00+08:00"},
    "meetings.cancel_series": {"meeting_id": "mt-0001", "scope": "following", "reason": "改期"},
    "meetings.publish_series": {"meeting_id": "mt-0001", "scope": "all"},
    "meetings.save_agenda_item": {"meeting_id": "mt-0001", "item_id": "ai-0001",
                                  "title": "听取汇报",
                                  "materials": [{"sha256": "0" * 64, "name": "材料.pdf"}]},
    "meetings.remove_agenda_item": {"meeting_id": "mt-0001", "item_id": "ai-0001"},
    "meetings.order_agenda": {"meeting_id": "mt-0001", "item_ids": ["ai-0001"]},
    "meetings.propose_topic": {"topic_id": "tp-0001", "meeting_id": "mt-0001", "body_id": "b-1",
                               "title": "申报议题", "note": "说明"},
    "meetings.decide_topic": {"topic_id": "tp-0001", "accept": False, "reason": "理由"},
    "meetings.save_seating": {"meeting_id": "mt-0001", "layout": {"rostrum": [3]},
                              "seats": [{"seat_id": "rostrum-1-1", "name": "来宾"}]},
    "meetings.create_feed_token": {"feed_id": "mf-0123456789ab", "token_sha256": "0" * 64},
    "meetings.revoke_feed_token": {"feed_id": "mf-0123456789ab"},
    "meetings.import_calendar_reply": {
        "ics": "BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:REPLY\nBEGIN:VEVENT\n"
               "UID:mt-0001@office-collab.invalid\nCOMMENT:出差\nEND:VEVENT\nEND:VCALENDAR\n"},
    "supervision.register": {"item_id": "sv-0001", "body_id": "b-1", "title": "督办事项",
                             "lead_unit_id": "b-1", "deadline_days": 5},
    "supervision.acknowledge": {"item_id": "sv-0001"},
    "supervision.report": {"item_id": "sv-0001", "text": "进展"},
    "supervision.request_extension": {"item_id": "sv-0001", "new_due": "2030-01-02",
                                      "reason": "理由"},
    "supervision.decide_extension": {"item_id": "sv-0001", "approve": True},
    "supervision.request_completion": {"item_id": "sv-0001", "report": "办结报告"},
    "supervision.verify": {"item_id": "sv-0001", "accept": True},
    "supervision.urge": {"item_id": "sv-0001"},
    "supervision.cancel": {"item_id": "sv-0001", "reason": "理由"},
    "supervision.split": {"item_id": "sv-0001", "subtask_id": "st-0001", "title": "分项",
                          "unit_id": "b-1", "due": "2030-01-02"},
    "supervision.report_subtask": {"item_id": "sv-0001", "subtask_id": "st-0001", "text": "进展"},
    "supervision.cancel_subtask": {"item_id": "sv-0001", "subtask_id": "st-0001", "reason": "理由"},
    "supervision.terminate": {"item_id": "sv-0001", "reason": "情况变化"},
    "supervision.strike_off": {"item_id": "sv-0001"},
    "supervision.draft_report": {"item_id": "sv-0001", "document_id": "d-000000000001"},
}

#: Free-form (dict / Any) fields: where a marking goes inside them.
STRUCTURED: dict[tuple[str, str], list[tuple[Any, ...]]] = {
    ("CreateDraftArgs", "spec"): [("title",), ("body", 0), ("attachments", 0, "name")],
    ("SaveDraftArgs", "spec"): [("title",), ("note",)],
    ("IntakeArgs", "spec"): [("title",), ("body", 0), ("recipients",)],
    ("CreateDraftArgs", "assignments"): [("review", 0, "name")],
    ("ActArgs", "args"): [("opinion",), ("reason",), ("note",)],
    ("DecideArgs", "signature"): [("payload", "note")],
    ("DecideArgs", "strokes"): [(0,)],
}

#: Items of nested models, used when a path goes through a list of them.
ITEMS: dict[str, dict[str, Any]] = {
    "AttachmentIn": {"name": "附件", "sha256": SHA},
    "BatchItem": {"document_id": DOC},
    "DayIn": {"date": "2027-01-01", "kind": "holiday"},
}


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation may hold (Optional, unions, Annotated unfolded)."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [t for arg in get_args(annotation) for t in _unwrap(arg) if t is not type(None)]
    return [annotation]


def text_paths(model: type[BaseModel]) -> tuple[list[tuple[Any, ...]], list[tuple[str, str]]]:
    """(paths of every string leaf, free-form fields met) of ``model``'s arguments."""
    paths: list[tuple[Any, ...]] = []
    free_form: list[tuple[str, str]] = []
    for name, info in model.model_fields.items():
        for kind in _unwrap(info.annotation):
            origin = get_origin(kind)
            if kind is str:
                paths.append((name,))
            elif origin is Literal or kind in (int, float, bool, dt.date, dt.datetime, AwareDatetime):
                continue
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                sub, more = text_paths(kind)
                paths += [(name, *p) for p in sub]
                free_form += more
            elif origin is list:
                (item,) = get_args(kind)
                for inner in _unwrap(item):
                    if inner is str:
                        paths.append((name, 0))
                    elif get_origin(inner) is Literal or inner in (int, float, bool):
                        continue  # lists of fixed values or numbers carry no text
                    elif isinstance(inner, type) and issubclass(inner, BaseModel):
                        sub, more = text_paths(inner)
                        paths += [(name, 0, *p) for p in sub]
                        free_form += more
                    else:
                        pytest.fail(f"{model.__name__}.{name}: list of {inner!r} not handled here")
            elif origin is dict or kind is Any or kind is dict:
                free_form.append((model.__name__, name))
                for inner in STRUCTURED.get((model.__name__, name), []):
                    paths.append((name, "{}", *inner))
            else:
                pytest.fail(f"{model.__name__}.{name}: type {kind!r} not handled here")
    return list(dict.fromkeys(paths)), free_form


def _place(args: dict[str, Any], model: type[BaseModel], path: tuple[Any, ...], mark: str) -> dict[str, Any]:
    """``args`` with ``mark`` at ``path`` (lists and free-form dicts created as needed)."""
    out = copy.deepcopy(args)
    _set_in(out, model, [k for k in path if k != "{}"], mark)
    return out


def _set_in(node: Any, model: type[BaseModel] | None, keys: list[Any], mark: str) -> None:
    key, rest = keys[0], keys[1:]
    if not rest:
        node[key] = mark
        return
    inner = _inner_model(model, key) if isinstance(key, str) else model
    if isinstance(rest[0], int):
        child = node.get(key) if isinstance(node, dict) else node[key]
        if not isinstance(child, list) or not child:
            base: Any = dict(ITEMS.get(inner.__name__, {})) if inner else ({} if rest[1:] else "")
            child = [base]
            node[key] = child
        _set_in(child, inner, rest, mark)
        return
    child = node.get(key) if isinstance(node, dict) else node[key]
    if not isinstance(child, dict):
        child = dict(ITEMS.get(inner.__name__, {})) if inner else {}
        node[key] = child
    _set_in(child, inner, rest, mark)


def _inner_model(model: type[BaseModel] | None, key: str) -> type[BaseModel] | None:
    """The model a field (or its list items) holds, or None (free-form or no model)."""
    info = model.model_fields.get(key) if model is not None else None
    if info is None:
        return None
    for kind in _unwrap(info.annotation):
        kinds = _unwrap(get_args(kind)[0]) if get_origin(kind) is list else [kind]
        for inner in kinds:
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def _snapshot(app: Any) -> dict[str, Any]:
    """Row counts of every table but the intent log and the audit trail (where each
    refusal is recorded), and the feed's last sequence."""
    with session_scope(app.state.sessions) as s:
        counts: dict[str, Any] = {
            t.name: s.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
            if t.name not in ("sync_applied_mutation",)
            and not t.name.startswith(("auth_", "audit_"))
        }
        counts["feed_seq"] = s.scalar(select(func.max(ChangeLog.seq)))
    return counts


def _login(client: TestClient, account: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"account": account, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_every_intent_refuses_markings_in_every_text(app: Any) -> None:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    client = TestClient(app)
    headers = _login(client, "shixin")
    missing = [name for name in product_intents() if name not in BASE_ARGS]
    assert not missing, f"add shape-valid arguments for {missing} to BASE_ARGS"
    before = _snapshot(app)
    marks = itertools.cycle(MARKS)
    cases: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
    for name in product_intents():
        model = _registry[name].args_model
        model.model_validate(BASE_ARGS[name])  # the base arguments pass on their own
        paths, free_form = text_paths(model)
        unlisted = [f for f in free_form if f not in STRUCTURED]
        assert not unlisted, f"{name}: say in STRUCTURED where text goes in {unlisted}"
        for path in paths:
            cases.append((name, path, _place(BASE_ARGS[name], model, path, next(marks))))
    assert len(cases) > 60  # every field of some twenty intents
    for name, path, args in cases:
        r = client.post("/api/v1/sync/push", headers=headers,
                        json={"mutations": [{"id": uuid.uuid4().hex, "name": name, "args": args}]})
        assert r.status_code == 200, r.text
        (result,) = r.json()["results"]
        assert result["status"] == "rejected", (name, path, args, result)
        assert result["error"]["code"] == "document.classified_refused", (name, path, args, result)
    assert _snapshot(app) == before
    with session_scope(app.state.sessions) as s:  # each refusal is in the audit trail
        refusals = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.result == "refused", AuditEntry.code == "document.classified_refused",
            AuditEntry.action.startswith("intent.")))
    assert refusals == len(cases)


# --------------------------------------------------------------------------- real flows


@pytest.fixture
def office(app: Any) -> Office:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    return Office(app)


def test_batch_approval_refuses_a_marked_opinion_like_single_approval(office: Office) -> None:
    doc_id = office.draft()
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    before = office.doc(doc_id)
    single = office.act(JUZHANG, doc_id, "approve", "sign", opinion="机密★5年")
    assert single["error"]["code"] == "document.classified_refused"
    for opinion in ("机密★5年", "同意。机 密☆ 5年", "秘\u200b密⭐"):
        batch = office.send(JUZHANG, "documents.batch_approve",
                            {"items": [{"document_id": doc_id, "step": "sign"}], "opinion": opinion})
        assert batch["status"] == "rejected", batch
        assert batch["error"]["code"] == "document.classified_refused"
    assert office.doc(doc_id) == before
    ok = office.ok(JUZHANG, "documents.batch_approve",
                   {"items": [{"document_id": doc_id, "step": "sign"}], "opinion": "同意，注意保守秘密。"})
    assert ok["results"][0]["ok"], ok


def test_return_to_sender_and_seal_request_refuse_marked_reasons(office: Office) -> None:
    out_id = office.dispatched()
    inc = next(d for d in office.doc(out_id)["deliveries"] if d["body_id"] == JH)["incoming_id"]
    office.ok(JH_CLERK, "documents.sign_for", {"document_id": inc})
    before = office.doc(inc)
    bad = office.send(JH_CLERK, "documents.return_to_sender", {"document_id": inc, "reason": "秘密☆ 请收回"})
    assert bad["error"]["code"] == "document.classified_refused"
    assert office.doc(inc) == before

    doc_id = office.draft()
    office.to_register(doc_id)
    before = office.doc(doc_id)
    for args in ({"reason": "秘 密★"}, {"reason": "用印", "document_title": "秘密*"}):
        bad = office.send(CLERK, "seals.request_use", {"request_id": f"r-{uuid.uuid4().hex[:8]}",
                                                       "seal_id": "s-1", "pdf_sha256": SHA,
                                                       "document_id": doc_id} | args)
        assert bad["error"]["code"] == "document.classified_refused", bad
    bad = office.send(CLERK, "documents.request_seal",
                      {"document_id": doc_id, "seal_id": "s-1", "reason": "机密★5年"})
    assert bad["error"]["code"] == "document.classified_refused"
    assert office.doc(doc_id) == before


# --------------------------------------------------------------------------- routes

#: Route body fields that are not text a person writes (ids, codes, secrets, enums).
ROUTE_NOT_FREE_TEXT = {
    ("LoginBody", "account"), ("LoginBody", "password"), ("LoginBody", "device"),
    # the signing-in device: its id, host name, system and version
    ("LoginBody", "device_id"), ("LoginBody", "device_name"), ("LoginBody", "platform"),
    ("LoginBody", "app_version"),
    ("RefreshBody", "refresh_token"), ("PasswordBody", "old_password"), ("PasswordBody", "new_password"),
    ("WipedBody", "refresh_token"),  # the revoked device's own token, acknowledging its wipe
    ("MutationIn", "id"), ("MutationIn", "name"),  # its args: the intents above
    ("NewJob", "sha256"), ("NewJob", "body_id"),  # 收文录入 batch job: a blob hash and a body id
    ("BodyIn", "id"), ("BodyIn", "parent_id"), ("BodyIn", "code"), ("BodyIn", "tier"), ("BodyIn", "kind"),
    ("BodyPatch", "parent_id"), ("BodyPatch", "code"), ("BodyPatch", "tier"),
    ("PostIn", "post_id"), ("PostIn", "body_id"), ("PostIn", "roles"),
    ("PostPatch", "body_id"), ("PostPatch", "roles"),
    ("PersonIn", "id"), ("PersonIn", "phone"), ("PersonIn", "email"), ("PersonIn", "login"),
    ("PersonIn", "password"), ("PersonPatch", "phone"), ("PersonPatch", "email"),
    ("AccountIn", "login"), ("AccountIn", "password"),
}


def _route_text_fields(model: type[BaseModel]) -> list[tuple[str, str, bool]]:
    """(model, field, is FreeText) for every string field of a body model, nested too."""
    out: list[tuple[str, str, bool]] = []
    for name, info in model.model_fields.items():
        kinds = _unwrap(info.annotation)
        for kind in kinds:
            if get_origin(kind) is list:
                kinds = kinds + _unwrap(get_args(kind)[0])
        if any(k is str for k in kinds):
            out.append((model.__name__, name, is_free_text(info.annotation, info.metadata)))
        for kind in kinds:
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                out += _route_text_fields(kind)
    return out


def _api_routes(routes: list[Any]) -> typing.Iterator[APIRoute]:
    """Every APIRoute, also those of included routers."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None) or getattr(route, "router", None)
        if inner is not None and getattr(inner, "routes", None) is not routes:
            yield from _api_routes(inner.routes)


def test_every_route_body_text_is_free_text_or_listed(app: Any) -> None:
    seen: set[tuple[str, str]] = set()
    routes = list(_api_routes(app.routes))
    assert len(routes) > 20
    for route in routes:
        if route.body_field is None:
            continue
        for param in route.dependant.body_params:
            model = param.field_info.annotation
            assert isinstance(model, type) and issubclass(model, BaseModel), route.path
            for model_name, field, free in _route_text_fields(model):
                key = (model_name, field)
                assert free != (key in ROUTE_NOT_FREE_TEXT), \
                    f"{route.path}: {model_name}.{field} must be FreeText or listed in ROUTE_NOT_FREE_TEXT"
                if free:
                    seen.add(key)
    assert seen == {("BodyIn", "name"), ("BodyIn", "short_name"), ("BodyPatch", "name"),
                    ("BodyPatch", "short_name"), ("PostIn", "title"), ("PostPatch", "title"),
                    ("PersonIn", "name"), ("PersonPatch", "name"), ("NewJob", "name")}


def test_route_bodies_refuse_marked_names_and_titles(app: Any) -> None:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    client = TestClient(app)
    admin = _login(client, "shixin")
    person = "p-demo-12"
    post = client.get(f"/api/v1/directory/people/{person}", headers=admin).json()["posts"][0]["id"]
    before = _snapshot(app)
    marks = itertools.cycle(MARKS)
    calls = [
        ("post", "/api/v1/directory/bodies", {"name": next(marks), "kind": "department", "parent_id": "b-gd-szj"}),
        ("post", "/api/v1/directory/bodies", {"name": "行政审批处", "short_name": next(marks),
                                              "kind": "department", "parent_id": "b-gd-szj"}),
        ("patch", "/api/v1/directory/bodies/b-gd-szj", {"name": next(marks)}),
        ("patch", "/api/v1/directory/bodies/b-gd-szj", {"short_name": next(marks)}),
        ("post", "/api/v1/directory/people", {"name": next(marks)}),
        ("post", "/api/v1/directory/people", {"name": "单志强", "posts": [
            {"body_id": "b-gd-szj", "title": next(marks), "roles": ["staff"]}]}),
        ("patch", f"/api/v1/directory/people/{person}", {"name": next(marks)}),
        ("post", f"/api/v1/directory/people/{person}/posts",
         {"body_id": "b-gd-szj", "title": next(marks), "roles": ["staff"]}),
        ("patch", f"/api/v1/directory/posts/{post}", {"title": next(marks)}),
        ("post", "/api/v1/documents/intake/jobs", {"sha256": "0" * 64, "name": next(marks), "body_id": "b-gd-szj"}),
    ]
    for method, path, body in calls:
        r = client.request(method, path, headers=admin, json=body)
        assert r.status_code == 422, (path, body, r.text)
        assert r.json()["error"]["code"] == "document.classified_refused", (path, body, r.text)
    assert _snapshot(app) == before
    ok = client.patch(f"/api/v1/directory/posts/{post}", headers=admin, json={"title": "保密秘书"})
    assert ok.status_code == 200, ok.text
