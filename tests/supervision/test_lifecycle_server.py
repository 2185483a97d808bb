"""The end of the lifecycle on the real server, SQLite and PostgreSQL: 催办 per unit with
its minimum interval and 催办单; 反馈 with attachments (blobs readable by whoever sees
the item); steps queued offline on an item closed (中止) meanwhile name who closed it and
when; 销号 once after 办结; the outgoing 报告 drafted in the documents module."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from typing import Any

from pypdf import PdfReader

from modules.common.access import ActorFacts, PostFacts
from modules.common.errors import Conflict
from modules.supervision import intents as I
from modules.supervision import urge_pdf
from server.db import session_scope
from server.documents.models import Document
from server.supervision import storage
from tests.access.world import Actor, World, push


def _register(world: World, **over: Any) -> str:
    args = {"item_id": f"sv-{uuid.uuid4().hex[:12]}", "body_id": world.body("own"),
            "title": "老旧小区加装电梯", "content": "年底前完成三个小区加装电梯",
            "leader_id": world.actor("leader").person_id, "lead_unit_id": world.body("lower"),
            "co_unit_ids": [world.body("other")], "deadline_days": 5, **over}
    result = push(world, world.actor("secretary"), "supervision.register", args)
    assert result["status"] == "applied", result
    return str(args["item_id"])


def _record(world: World, item_id: str) -> dict[str, Any]:
    with session_scope(world.app.state.sessions) as s:
        found = storage.item_record(s, item_id)
        assert found is not None
        return found


def _name(world: World, actor: Actor) -> str:
    with session_scope(world.app.state.sessions) as s:
        return storage.person_name(s, actor.person_id)


def _ok(world: World, actor: Actor, name: str, **args: Any) -> dict[str, Any]:
    res = push(world, actor, name, args)
    assert res["status"] == "applied", res
    return dict(res["result"])


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_urge_once_per_interval_per_unit_with_its_slip(world: World) -> None:
    item_id = _register(world)
    staff = world.actor("secretary")
    _ok(world, staff, "supervision.urge", item_id=item_id, note="请尽快签收")
    _ok(world, staff, "supervision.urge", item_id=item_id, unit_id=world.body("other"))
    again = push(world, staff, "supervision.urge", {"item_id": item_id})
    assert again["status"] == "conflict" and again["error"]["code"] == "supervision.urged_recently"
    record = _record(world, item_id)
    first = record["urges"][0]
    message = again["error"]["message"]
    assert _name(world, staff) in message and record["lead_unit_name"] in message
    at = dt.datetime.fromisoformat(first["at"].replace("Z", "+00:00")).astimezone(
        dt.timezone(dt.timedelta(hours=8)))
    assert at.strftime("%Y-%m-%d %H:%M") in message and "24小时" in message
    assert (at + dt.timedelta(hours=24)).strftime("%Y-%m-%d %H:%M") in message
    assert [u["unit_id"] for u in record["urges"]] == [world.body("lower"), world.body("other")]
    assert first["missing"] == ["尚未签收"] and first["missing_en"] == ["not acknowledged yet"]
    assert "协办部分尚无反馈" in record["urges"][1]["missing"]
    stranger = push(world, staff, "supervision.urge", {"item_id": item_id, "unit_id": "b-nowhere"})
    assert stranger["error"]["code"] == "supervision.not_a_unit"
    rows = dict(urge_pdf.rows(record, first))
    assert rows["被催办单位"] == record["lead_unit_name"] and rows["催办事由"] == "1. 尚未签收"
    assert rows["催办人"] == _name(world, staff) and rows["催办意见"] == "请尽快签收"
    pdf = urge_pdf.render_urge(record, first)
    assert pdf == urge_pdf.render_urge(record, first)
    text = _pdf_text(pdf)
    assert "督办事项催办单" in text and "老旧小区加装电梯" in text and "第1次催办" in text


def test_the_urge_interval_is_a_setting(world: World) -> None:
    settings = world.app.state.settings
    before = settings.supervision_urge_hours
    item_id = _register(world)
    staff = world.actor("secretary")
    try:
        settings.supervision_urge_hours = 0.0
        _ok(world, staff, "supervision.urge", item_id=item_id)
        _ok(world, staff, "supervision.urge", item_id=item_id)
        settings.supervision_urge_hours = 2.0
        refused = push(world, staff, "supervision.urge", {"item_id": item_id})
        assert refused["status"] == "conflict" and "每2小时" in refused["error"]["message"]
    finally:
        settings.supervision_urge_hours = before
    assert len(_record(world, item_id)["urges"]) == 2


def test_the_pure_interval_counts_from_the_units_last_urge() -> None:
    staff = ActorFacts("p-s", (PostFacts("b-o", "b-o", frozenset({"secretary"})),))
    item = {"id": "sv-pure-1", "state": "assigned", "organ_id": "b-o", "lead_unit_id": "b-l",
            "lead_unit_name": "牵头单位", "co_unit_ids": [], "history": [], "urges": []}
    now = dt.datetime(2026, 10, 12, 1, 0, tzinfo=dt.UTC)
    two = dt.timedelta(hours=2)
    item = I.urge(item, I.UrgeArgs(item_id="sv-pure-1"), staff, "王秘书", now, None, two)
    try:
        I.urge(item, I.UrgeArgs(item_id="sv-pure-1"), staff, "王秘书", now + dt.timedelta(hours=1),
               None, two)
        raise AssertionError("urged twice within the interval")
    except Conflict as exc:
        assert exc.message("zh_CN") == ("牵头单位已于2026-10-12 09:00由王秘书催办过，每2小时最多催办"
                                        "一次，请于2026-10-12 11:00后再催办。")
        assert "urge it again after 2026-10-12 11:00" in exc.message("en")
    later = I.urge(item, I.UrgeArgs(item_id="sv-pure-1"), staff, "王秘书", now + two, None, two)
    assert len(later["urges"]) == 2


def _upload(world: World, actor: Actor, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    r = world.client.put(f"/api/v1/blobs/{sha}", headers=actor.headers,
                         params={"offset": 0, "total": len(data)}, content=data)
    assert r.status_code == 200 and r.json()["complete"], r.text
    return sha


def _can_read(world: World, actor: Actor, sha: str) -> bool:
    r = world.client.get(f"/api/v1/blobs/{sha}", headers=actor.headers)
    assert r.status_code in (200, 404), r.text
    return r.status_code == 200


def test_feedback_carries_attachments_readable_by_the_items_audience(world: World) -> None:
    item_id = _register(world)
    clerk = world.actor("registry_clerk", "lower")
    _ok(world, clerk, "supervision.acknowledge", item_id=item_id)
    data = f"现场照片 {uuid.uuid4()}".encode()
    sha = _upload(world, clerk, data)
    outsider, staff = world.actor("secretary", "higher"), world.actor("secretary")
    assert not _can_read(world, staff, sha)  # nothing names it yet
    _ok(world, clerk, "supervision.report", item_id=item_id, text="已完成两个小区", progress=60,
        attachments=[{"sha256": sha, "name": "现场照片.jpg", "size": 1}])
    report = _record(world, item_id)["reports"][-1]
    assert report["attachments"] == [{"sha256": sha, "name": "现场照片.jpg", "size": len(data)}]
    assert _can_read(world, staff, sha) and _can_read(world, world.actor("staff", "other"), sha)
    assert not _can_read(world, outsider, sha)
    missing = push(world, clerk, "supervision.report", {
        "item_id": item_id, "text": "补充材料",
        "attachments": [{"sha256": "a" * 64, "name": "未上传.pdf"}]})
    assert missing["status"] == "rejected" and missing["error"]["code"] == "blob.not_found"
    foreign = push(world, outsider, "supervision.report", {
        "item_id": item_id, "text": "x", "attachments": [{"sha256": sha, "name": "x.jpg"}]})
    assert foreign["status"] == "rejected"


def test_steps_queued_offline_on_an_item_terminated_meanwhile_name_who_and_when(world: World) -> None:
    item_id = _register(world)
    clerk, staff = world.actor("registry_clerk", "lower"), world.actor("secretary")
    _ok(world, clerk, "supervision.acknowledge", item_id=item_id)
    no_reason = push(world, staff, "supervision.terminate", {"item_id": item_id, "reason": ""})
    assert no_reason["status"] == "rejected"
    assert _ok(world, staff, "supervision.terminate", item_id=item_id,
               reason="上级政策调整，不再实施")["state"] == "terminated"
    record = _record(world, item_id)
    at = dt.datetime.fromisoformat(record["closed_at"].replace("Z", "+00:00")).astimezone(
        dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    for name, args in (("supervision.report", {"text": "离线写的进展"}),
                       ("supervision.request_extension", {"new_due": "2099-01-01", "reason": "来不及"}),
                       ("supervision.request_completion", {"report": "完成"})):
        late = push(world, clerk, name, {"item_id": item_id, **args})
        assert late["status"] == "conflict", late
        assert late["error"]["code"] == "supervision.closed_meanwhile"
        assert late["error"]["message"].startswith(f"该督办事项已由{_name(world, staff)}于{at}中止，不能")
    urge = push(world, staff, "supervision.urge", {"item_id": item_id})
    assert urge["error"]["code"] == "supervision.closed_meanwhile"


def _done(world: World) -> str:
    item_id = _register(world)
    clerk, staff = world.actor("registry_clerk", "lower"), world.actor("secretary")
    _ok(world, clerk, "supervision.acknowledge", item_id=item_id, note="收到")
    _ok(world, clerk, "supervision.report", item_id=item_id, text="完成两个小区", progress=60)
    _ok(world, clerk, "supervision.request_completion", item_id=item_id, report="三个小区电梯均已投用。")
    _ok(world, staff, "supervision.verify", item_id=item_id, accept=True)
    return item_id


def test_strike_off_once_after_done(world: World) -> None:
    staff = world.actor("secretary")
    open_item = _register(world)
    early = push(world, staff, "supervision.strike_off", {"item_id": open_item})
    assert early["status"] == "conflict" and early["error"]["message"] == "该督办事项已交办，不能销号。"
    item_id = _done(world)
    assert _ok(world, staff, "supervision.strike_off", item_id=item_id, note="材料归档")["state"] == "done"
    record = _record(world, item_id)
    assert record["struck_off"]["by_name"] == _name(world, staff)
    assert record["history"][-1]["action"] == "strike_off"
    twice = push(world, world.actor("sys_admin"), "supervision.strike_off", {"item_id": item_id})
    assert twice["status"] == "conflict" and twice["error"]["code"] == "supervision.already_struck_off"
    assert _name(world, staff) in twice["error"]["message"]


def test_a_closed_item_starts_its_report_in_documents_once(world: World) -> None:
    staff = world.actor("secretary")
    open_item = _register(world)
    early = push(world, staff, "supervision.draft_report",
                 {"item_id": open_item, "document_id": f"d-{uuid.uuid4().hex[:12]}"})
    assert early["status"] == "conflict"
    item_id = _done(world)
    doc_id = f"d-{uuid.uuid4().hex[:12]}"
    made = _ok(world, staff, "supervision.draft_report", item_id=item_id, document_id=doc_id,
               kind="bulletin", note="特此通报。")
    assert made["document_id"] == doc_id and made["existing"] is False
    again = _ok(world, staff, "supervision.draft_report", item_id=item_id,
                document_id=f"d-{uuid.uuid4().hex[:12]}")
    assert again["document_id"] == doc_id and again["existing"] is True
    with session_scope(world.app.state.sessions) as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert (doc.source_id, doc.source_role, doc.doc_type) == (item_id, "sv", "通报")
        spec = dict(doc.spec)
    assert spec["title"] == "关于老旧小区加装电梯办理情况的通报"
    body = [p["text"] if isinstance(p, dict) else str(p) for p in spec["body"]]
    assert any("签收：收到" in line for line in body) and "三个小区电梯均已投用。" in body
    assert any("反馈" in line for line in body) and body[-1] == "特此通报。"
    assert _record(world, item_id)["report_document_id"] == doc_id
    clerk = world.actor("registry_clerk", "lower")
    denied = push(world, clerk, "supervision.draft_report",
                  {"item_id": item_id, "document_id": f"d-{uuid.uuid4().hex[:12]}"})
    assert denied["error"]["code"] == "supervision.not_staff"
