"""Worlds for the minutes (会议纪要), decisions (议定事项) and 转督办 intents: held meetings,
decisions and issued minutes of any body, a document with a leader's 批示 — shared by
tests/meetings/test_minutes_server.py and the meetings and supervision access matrices."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from modules.common.access import ActorFacts, PostFacts
from modules.meetings import intents as I
from modules.meetings import meeting as M
from server.access_facts import body_facts
from server.db import session_scope
from server.documents.models import Document, Opinion
from server.meetings import storage
from tests.access.world import World

MINUTES_INTENTS = {"meetings.start_minutes", "meetings.add_decision", "meetings.edit_decision",
                   "meetings.remove_decision", "meetings.send_decision"}
#: Refusals that mean "not this person" for these intents: not an organiser; not the
#: 督查室; drafting the 纪要 needs a post in the host organ (documents' own rule).
MINUTES_DENY_CODES = {"meetings.not_organiser", "supervision.not_staff", "document.not_member"}


def held_meeting(world: World, *, invitees: tuple[str, ...] = (), observers: tuple[str, ...] = (),
                 relation: str = "own", started: bool = True,
                 agenda: list[dict[str, Any]] | None = None) -> str:
    """A published meeting of ``relation``'s body that started 30 minutes ago (or starts
    in two days), stored directly; its id."""
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    start = now + (dt.timedelta(minutes=-30) if started else dt.timedelta(days=2))
    with session_scope(world.app.state.sessions) as s:
        host = body_facts(s, world.body(relation))
        organiser = ActorFacts("p-mn-organiser", (PostFacts(host.id, host.organ_id,
                                                            frozenset({"secretary"})),))
        args = I.SAVE_MEETING.parse({
            "meeting_id": meeting_id, "subject": "全市政务数据工作专题会", "kind": "专题会",
            "host_body_id": host.id, "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "市政府三楼第一会议室",
            "invitees": list(invitees), "observers": list(observers)})
        data = I.save_meeting(None, args, organiser, "组织者", host,
                              storage.person_names(s, [*invitees, *observers]), {}, None, now)
        data.update(state=M.PUBLISHED, state_words=M.STATE_WORDS[M.PUBLISHED][0])
        if agenda is not None:
            data["agenda"] = agenda
        storage.put_meeting(s, data, now)
    return meeting_id


def decision_args(world: World, meeting_id: str, relation: str = "own",
                  **extra: Any) -> dict[str, Any]:
    co = "other" if relation != "other" else "own"
    return {"meeting_id": meeting_id, "decision_id": f"dc-{uuid.uuid4().hex[:12]}",
            "what": "市数据局牵头制定公共数据目录，年底前上线。", "lead_unit_id": world.body(relation),
            "co_unit_ids": [world.body(co)], "deadline_days": 10, **extra}


def issue(world: World, document_id: str) -> None:
    """The minutes registered (登记: their number), as the documents flow leaves them."""
    with session_scope(world.app.state.sessions) as s:
        doc = s.get(Document, document_id)
        assert doc is not None
        doc.doc_number = "〔2026〕7号"


def meeting_with_decision(world: World, relation: str, *, minutes: bool = False,
                          issued: bool = False) -> tuple[str, dict[str, Any], str]:
    """A held meeting of ``relation``'s body with one decision (its organiser: a fresh
    secretary there), optionally its minutes started and issued: (meeting id, the
    decision's args, the minutes document id or '')."""
    organiser = world.person([(relation, ["secretary"])])
    meeting_id = held_meeting(world, relation=relation,
                              invitees=(world.person([(relation, ["staff"])]),))
    decision = decision_args(world, meeting_id, relation)
    world.ok(organiser, "meetings.add_decision", decision)
    doc_id = ""
    if minutes:
        doc_id = f"d-{uuid.uuid4().hex[:12]}"
        world.ok(organiser, "meetings.start_minutes", {"meeting_id": meeting_id, "document_id": doc_id})
        if issued:
            issue(world, doc_id)
    return meeting_id, decision, doc_id


def minutes_args(world: World, name: str, relation: str, actor_role: str) -> dict[str, Any]:
    """Arguments of a minutes intent on a meeting hosted by ``relation``'s body."""
    if name == "meetings.start_minutes":
        someone = world.person([(relation, ["staff"])])
        return {"meeting_id": held_meeting(world, relation=relation, invitees=(someone,)),
                "document_id": f"d-{uuid.uuid4().hex[:12]}"}
    if name == "meetings.add_decision":
        someone = world.person([(relation, ["staff"])])
        return decision_args(world, held_meeting(world, relation=relation, invitees=(someone,)),
                             relation)
    meeting_id, decision, _ = meeting_with_decision(
        world, relation, minutes=name == "meetings.send_decision",
        issued=name == "meetings.send_decision")
    if name == "meetings.edit_decision":
        return {**decision, "what": "改为：制定公共数据开放目录。"}
    return {"meeting_id": meeting_id, "decision_id": decision["decision_id"]}


def document_with_instruction(world: World, relation: str = "own", leader_id: str = "") -> str:
    """An outgoing draft of ``relation``'s organ (made by the documents intent, by a fresh
    person there) with a leader's 批示 row stored directly; its id."""
    drafter = world.person([(relation, ["staff"])])
    doc_id = f"d-{uuid.uuid4().hex[:12]}"
    world.ok(drafter, "documents.create_draft", {
        "document_id": doc_id, "body_id": world.body(relation),
        "spec": {"doc_type": "通知", "title": "关于加快公共数据开放的通知",
                 "issuer_mark": "测试市人民政府", "body": ["各单位："]}})
    leader = leader_id or world.person([(relation, ["leader"])])
    with session_scope(world.app.state.sessions) as s:
        s.add(Opinion(id=f"op-{uuid.uuid4().hex[:10]}", document_id=doc_id, step="sign",
                      kind="批示", person_id=leader,
                      person_name=storage.person_names(s, [leader])[leader], post="市长",
                      text="请市数据局抓紧落实，月底前报送进展。", at=dt.datetime.now(dt.UTC)))
    return doc_id


def instruction_args(world: World, relation: str) -> dict[str, Any]:
    """``supervision.from_instruction`` on a document of ``relation``'s organ."""
    return {"document_id": document_with_instruction(world, relation),
            "lead_unit_id": world.body(relation), "deadline_days": 5}
