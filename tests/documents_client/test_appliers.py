"""Client appliers: the same pure rules as the server, refusals before anything is queued."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.common.errors import ClassifiedRefused, Conflict, PermissionDenied, ValidationFailed
from modules.documents import service, workflow
from modules.documents.service import DocumentService
from sync.cache import LocalCache
from tests.documents_client import support

NOW = dt.datetime(2026, 11, 22, 2, 0, tzinfo=dt.UTC)
CN_NOW = NOW.astimezone(service.CHINA)  # what the workflow functions are given


def _svc(cache: LocalCache, engine: support.LocalEngine) -> DocumentService:
    return DocumentService(cache, engine, support.ME)


SPEC = {"doc_type": "通知", "title": "关于做好防汛工作的通知", "issuer_mark": "江海市人民政府办公室文件",
        "body": [{"text": "一、总体要求", "level": 1}, {"text": "各地要做好防汛工作。", "level": 0}]}


def test_draft_then_submit_matches_the_workflow_functions(cache: LocalCache,
                                                          engine: support.LocalEngine) -> None:
    engine.now = lambda: NOW
    svc = _svc(cache, engine)
    svc.create_draft("d-aaaaaaaaaaaa", SPEC, main_to=["b-jh-yj"])
    nxt = {"review": [support.actor("p-2")], "sign": [support.actor("p-3")]}
    svc.act("d-aaaaaaaaaaaa", "approve", opinion="请审核。", next_assignees=nxt)
    doc = cache.get(service.ENTITY, "d-aaaaaaaaaaaa")
    # The same functions the server runs, called directly:
    me = service.actor_of(support.ME)
    expected = workflow.new_workflow("outgoing", me, CN_NOW, doc_id="d-aaaaaaaaaaaa")
    expected = workflow.approve(expected, me, CN_NOW, step="draft", opinion="请审核。",
                                next_assignees=nxt)
    assert expected["created_at"].endswith("+08:00")
    assert doc["workflow"] == expected
    assert doc["state_words"] == "待核稿" and doc["step"] == "review" and doc["status"] == "active"
    assert doc["title"] == SPEC["title"] and doc["revision"] == 1
    assert doc["opinions"][0]["text"] == "请审核。"
    assert [m["name"] for m in engine.pending()] == ["documents.create_draft", "documents.act"]
    assert engine.pending()[1]["args"] == {
        "document_id": "d-aaaaaaaaaaaa", "op": "approve", "step": "draft",
        "args": {"opinion": "请审核。", "next_assignees": nxt}}


def test_every_workflow_operation_equals_the_pure_rule(demo_cache: LocalCache,
                                                       engine: support.LocalEngine) -> None:
    """approve / return / transfer / delegate / urge / void / withdraw through appliers
    give exactly what workflow.apply gives on the same state."""
    engine.now = lambda: NOW
    svc = _svc(demo_cache, engine)
    me = service.actor_of(support.ME)
    todo = [r["id"] for r in svc.page("todo") if r["step"] == "review"]
    cases: list[tuple[str, str, dict[str, Any]]] = [
        (todo[0], "return", {"to_step": "draft", "reason": "请补充数据。"}),
        (todo[1], "transfer", {"to": support.actor("p-6"), "reason": "请杨市长处理"}),
        (todo[2], "delegate", {"to": support.actor("p-4")}),
    ]
    for doc_id, op, args in cases:
        before = demo_cache.get(service.ENTITY, doc_id)
        svc.act(doc_id, op, **args)
        after = demo_cache.get(service.ENTITY, doc_id)
        assert after["workflow"] == workflow.apply(before["workflow"], op, me, CN_NOW,
                                                   step=before["workflow"]["current"], **args)
    # withdraw the return just made: back to the state before it (plus the event)
    before = demo_cache.get(service.ENTITY, todo[0])
    svc.act(todo[0], "withdraw")
    assert demo_cache.get(service.ENTITY, todo[0])["workflow"] == workflow.withdraw(
        before["workflow"], me, CN_NOW)
    # urge and void on my own draft
    mine = next(r["id"] for r in svc.page("mine") if r["status"] == "draft")
    before = demo_cache.get(service.ENTITY, mine)
    svc.act(mine, "void", reason="重复起草。")
    after = demo_cache.get(service.ENTITY, mine)
    assert after["workflow"] == workflow.void(before["workflow"], me, CN_NOW, reason="重复起草。")
    assert after["state_words"] == "已作废"


def test_classified_is_refused_before_anything_is_queued(cache: LocalCache,
                                                         engine: support.LocalEngine) -> None:
    svc = _svc(cache, engine)
    with pytest.raises(ClassifiedRefused) as err:
        svc.create_draft("d-bbbbbbbbbbbb", {**SPEC, "classification": "机密"})
    assert "非涉密" in err.value.message("zh_CN")
    with pytest.raises(ClassifiedRefused):
        svc.create_draft("d-bbbbbbbbbbbb", {**SPEC, "body": ["秘密★1年", "正文"]})
    assert engine.pending() == [] and cache.get(service.ENTITY, "d-bbbbbbbbbbbb") is None


def test_refusals_come_in_words_and_store_nothing(demo_cache: LocalCache,
                                                  engine: support.LocalEngine) -> None:
    svc = _svc(demo_cache, engine)
    waiting = next(r for r in svc.page("all") if r["step"] == "sign" and r["owner_name"] == "刘洋")
    with pytest.raises(PermissionDenied) as err:
        svc.act(waiting["id"], "approve", opinion="同意")
    assert "不由您办理" in err.value.message("zh_CN")
    mine = next(r for r in svc.page("todo") if r["step"] == "review")
    with pytest.raises(ValidationFailed) as err2:
        svc.act(mine["id"], "return", to_step="draft", reason="  ")
    assert err2.value.message("zh_CN") == "请填写退回理由。"
    assert engine.pending() == []


def test_late_action_is_a_conflict_naming_who_acted(demo_cache: LocalCache,
                                                    engine: support.LocalEngine) -> None:
    svc = _svc(demo_cache, engine)
    doc = next(r for r in svc.page("todo") if r["step"] == "review")
    record = demo_cache.get(service.ENTITY, doc["id"])
    # Someone else (the 办公室副主任 standing in) reviewed it on the server meanwhile.
    record["workflow"]["pending"].append(support.actor("p-2"))
    record["workflow"] = workflow.approve(record["workflow"], support.actor("p-2"), NOW,
                                          step="review", opinion="同意")
    service._refresh(record, NOW)
    support.seed(demo_cache, [record])
    with pytest.raises(Conflict) as err:
        svc.act(doc["id"], "approve", step="review", opinion="同意")
    assert err.value.message("zh_CN").startswith("该公文已由李娜于")


def test_save_draft_makes_revisions_and_detects_a_concurrent_edit(
        cache: LocalCache, engine: support.LocalEngine) -> None:
    svc = _svc(cache, engine)
    svc.create_draft("d-cccccccccccc", SPEC)
    svc.save_draft("d-cccccccccccc", {**SPEC, "title": "关于做好防汛抗旱工作的通知"}, base_revision=1)
    doc = cache.get(service.ENTITY, "d-cccccccccccc")
    assert doc["revision"] == 2 and doc["title"] == "关于做好防汛抗旱工作的通知"
    assert [r["no"] for r in doc["revisions"]] == [1, 2]
    svc.save_draft("d-cccccccccccc", doc["spec"], main_to=["b-jh-yj"], base_revision=2)
    assert cache.get(service.ENTITY, "d-cccccccccccc")["revision"] == 2  # same text: no new revision
    with pytest.raises(Conflict) as err:
        svc.save_draft("d-cccccccccccc", SPEC, base_revision=1)
    assert "第2稿" in err.value.message("zh_CN")


def test_register_and_dispatch_go_through_their_own_intents(
        demo_cache: LocalCache, engine: support.LocalEngine) -> None:
    """登记 needs the server (number, PDF): the intent is queued with no local effect."""
    record = support.make_record("d-dddddddddddd", support._spec("通知", "关于测试的通知", ["正文。"]),
                                 "p-4", steps=[("approve", "p-4", ""), ("approve", "p-2", ""),
                                               ("approve", "p-3", ""), ("approve", "p-5", "")],
                                 assignments={**support.STANDARD_FLOW, "register": ["p-1"]})
    support.seed(demo_cache, [record])
    svc = _svc(demo_cache, engine)
    assert service.allowed_actions(record, svc.actor).step_intent == service.REGISTER
    svc.act("d-dddddddddddd", "approve")
    assert engine.pending()[-1]["name"] == "documents.register"
    assert demo_cache.get(service.ENTITY, "d-dddddddddddd")["step"] == "register"
    with pytest.raises(ValidationFailed) as err:
        service.apply_intent(record, service.ACT, {"document_id": "d-dddddddddddd",
                                                   "op": "approve", "step": "register"},
                             svc.actor, NOW)
    assert err.value.code == "document.use_intent"


def test_batch_approve_gives_a_result_per_item(demo_cache: LocalCache,
                                               engine: support.LocalEngine) -> None:
    svc = _svc(demo_cache, engine)
    todo = [r["id"] for r in svc.page("todo") if r["step"] == "review"]
    other = [r["id"] for r in svc.page("all") if r["owner_name"] == "刘洋" and r["step"] == "sign"]
    results = svc.batch_approve([*todo[:2], *other], "同意。")
    assert [r.ok for r in results] == [True, True, False]
    assert "不由您办理" in results[2].message
    assert all(demo_cache.get(service.ENTITY, i)["step"] == "sign" for i in todo[:2])
    assert len([m for m in engine.pending() if m["name"] == "documents.act"]) == 2


def test_batch_intent_applier_skips_refused_items(demo_cache: LocalCache,
                                                  engine: support.LocalEngine) -> None:
    svc = _svc(demo_cache, engine)
    todo = [r["id"] for r in svc.page("todo") if r["step"] == "review"][:2]
    engine.submit(service.BATCH_APPROVE, {"items": [{"document_id": todo[0], "step": "review"},
                                                    {"document_id": todo[1], "step": "sign"}],
                                          "opinion": "同意。"})
    assert demo_cache.get(service.ENTITY, todo[0])["step"] == "sign"
    assert demo_cache.get(service.ENTITY, todo[1])["step"] == "review"


def test_mark_opened_once_and_timeline(demo_cache: LocalCache, engine: support.LocalEngine) -> None:
    svc = _svc(demo_cache, engine)
    doc_id = next(r["id"] for r in svc.page("todo") if r["step"] == "review")
    assert svc.mark_opened(doc_id) is not None
    assert svc.mark_opened(doc_id) is None
    detail = svc.detail(doc_id)
    rows = detail["timeline"]
    assert rows[0]["step_name"] == "拟稿" and rows[0]["acted_at"] and rows[0]["seconds"] == 3 * 3600 + 17 * 60
    assert rows[-1]["person"]["id"] == "p-1" and rows[-1]["acted_at"] is None
    assert rows[-1]["opened_at"] is not None and rows[-1]["action"] == "待核稿"
    assert detail["allowed"].approve and detail["allowed"].approve_verb == "核稿"
    assert service.format_duration(3 * 86400 + 7200) == "3天2小时"


def test_counts_and_keyset_pages(cache: LocalCache) -> None:
    records = [support.make_record(f"d-{i:012x}", support._spec("通知", f"关于第{i}项工作的通知", ["正文。"]),
                                   "p-1", start=support.BASE_TIME - dt.timedelta(minutes=i))
               for i in range(450)]
    support.seed(cache, records)
    svc = DocumentService(cache, None, support.ME)
    assert svc.counts()["mine"] == 450 and svc.counts()["all"] == 450
    seen: list[str] = []
    after = None
    while True:
        page = svc.page("mine", after=after, limit=200)
        if not page:
            break
        seen += [r["id"] for r in page]
        after = (page[-1]["sort_at"], page[-1]["id"])
    assert len(seen) == 450 == len(set(seen))
    assert seen[0] == "d-000000000000"  # newest first
