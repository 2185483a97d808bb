"""Demo meetings for the embedded server with demo data, made through the real intent
handlers so they obey the same rules as the app's: the bureau's rooms and bookings; a
video meeting with replies, a nomination, an agenda and a proposed topic; a 局务会议 with
its seat plan; a weekly 例会 series; and a meeting held two days ago with check-ins, its
会议纪要 started in Documents and two decisions (议定事项) ready for supervision."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.common.intents import Intent
from modules.meetings import intents as I
from modules.meetings.rules import CHINA
from server.auth.principal import load_principal
from server.db import utcnow
from server.directory.models import Body
from server.meetings import mutations as m
from server.meetings.models import Booking, Room
from server.mutations import MutationContext

SZJ = "b-gd-szj"  # 广东省政务服务数据管理局
SECRETARY, JUZHANG, BGS_HEAD, ZHC_HEAD, DZZWC_HEAD = (
    "p-demo-04", "p-demo-01", "p-demo-07", "p-demo-10", "p-demo-19")

ROOMS: tuple[dict[str, Any], ...] = (
    {"room_id": "mr-demo-szj-1", "name": "第一会议室", "building": "政务服务大楼", "floor": "3楼",
     "capacity": 30, "equipment": ["projector", "screen", "mic"]},
    {"room_id": "mr-demo-szj-2", "name": "第二会议室", "building": "政务服务大楼", "floor": "5楼",
     "capacity": 12, "equipment": ["screen", "whiteboard"]},
    {"room_id": "mr-demo-szj-3", "name": "视频会商室", "building": "政务服务大楼", "floor": "2楼",
     "capacity": 40, "equipment": ["video", "screen", "mic", "recording"]},
    {"room_id": "mr-demo-szj-4", "name": "局党组会议室", "building": "政务服务大楼", "floor": "8楼",
     "capacity": 20, "equipment": ["mic", "table_cards"], "needs_approval": True,
     "approvers": [BGS_HEAD, SECRETARY]},
    {"room_id": "mr-demo-szj-5", "name": "小型洽谈室", "building": "政务服务大楼", "floor": "5楼",
     "capacity": 6, "equipment": [], "closed_reason": "空调检修，12月10日恢复"},
)


def _run(session: Session, person_id: str, intent: Intent[Any], handler: Any,
         args: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    ctx = MutationContext(session=session, principal=load_principal(session, person_id), now=now,
                          lang="zh_CN", mutation_id=f"seed-{uuid.uuid4().hex[:12]}")
    return dict(handler(ctx, intent.parse(args)) or {})


def seed_demo_meetings(session: Session, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Rooms of the demo bureau and a few bookings over the next days; ``{"seeded":
    False}`` when rooms exist already or the demo directory is missing."""
    if session.scalars(select(Room.id).limit(1)).first() is not None:
        return {"seeded": False}
    if session.get(Body, SZJ) is None:
        return {"seeded": False, "reason": "demo directory missing"}
    now = now or utcnow()
    for room in ROOMS:
        _run(session, SECRETARY, I.SAVE_ROOM, m.save_room, {**room, "body_id": SZJ}, now)
    tomorrow = (now.astimezone(CHINA) + dt.timedelta(days=1)).date()
    later = tomorrow + dt.timedelta(days=1)

    def book(person: str, room: str, day: dt.date, start: str, end: str, subject: str,
             people: int) -> None:
        _run(session, person, I.BOOK_ROOM, m.book_room, {
            "booking_id": f"mb-demo-{uuid.uuid4().hex[:10]}", "room_id": room,
            "start": dt.datetime.combine(day, dt.time.fromisoformat(start), CHINA).isoformat(),
            "end": dt.datetime.combine(day, dt.time.fromisoformat(end), CHINA).isoformat(),
            "subject": subject, "people": people}, now)

    book(JUZHANG, "mr-demo-szj-1", tomorrow, "09:00", "11:00", "局务会议", 18)
    book(ZHC_HEAD, "mr-demo-szj-2", tomorrow, "10:00", "11:30", "政务数据质量检查工作碰头会", 8)
    book(DZZWC_HEAD, "mr-demo-szj-3", tomorrow, "14:30", "16:30", "全省一体化平台视频调度会", 35)
    book(BGS_HEAD, "mr-demo-szj-1", later, "15:00", "16:00", "年度工作总结筹备会", 12)
    book(ZHC_HEAD, "mr-demo-szj-4", later, "09:30", "11:00", "党组理论学习中心组学习", 15)
    _seed_meeting(session, tomorrow, now)
    _seed_agenda(session, now)
    _seed_formal_meeting(session, later, now)
    _seed_series(session, now)
    _seed_held_meeting(session, now)
    return {"seeded": True, "rooms": len(ROOMS)}


DEMO_MEETING = "mt-demo-video-1"
SJZYC_HEAD, SJZYC_STAFF = "p-demo-16", "p-demo-17"
CZT, CZT_CLERK, CZT_YSC_HEAD = "b-gd-czt", "p-demo-30", "p-demo-33"


def _seed_meeting(session: Session, day: dt.date, now: dt.datetime) -> None:
    """One published meeting in the video room's booking, with a few replies: one
    attends, one is excused, one sends a substitute who accepts, one has not answered;
    the invited 财政厅 names its attendee, who accepts."""
    booking_id = session.scalars(select(Booking.id).where(
        Booking.subject == "全省一体化平台视频调度会")).first()
    start = dt.datetime.combine(day, dt.time(14, 30), CHINA)
    _run(session, SECRETARY, I.SAVE_MEETING, m.save_meeting, {
        "meeting_id": DEMO_MEETING, "subject": "全省一体化政务服务平台视频调度会",
        "kind": "视频会议", "host_body_id": SZJ, "chair_id": JUZHANG,
        "start": start.isoformat(), "end": (start + dt.timedelta(hours=2)).isoformat(),
        "booking_id": booking_id or "", "video_url": "https://meeting.gdzwfw.example/j/2026120301",
        "invitees": [BGS_HEAD, ZHC_HEAD, DZZWC_HEAD, SJZYC_HEAD], "bodies": [CZT],
        "staff": [SECRETARY], "reply_by": (start - dt.timedelta(hours=2)).isoformat(),
        "contact_id": SECRETARY, "contact_phone": "020-83133001",
        "notes": "请各处室提前10分钟入会，测试音视频设备。\n请携带本处室平台运行情况材料。"}, now)
    _run(session, SECRETARY, I.PUBLISH_MEETING, m.publish_meeting,
         {"meeting_id": DEMO_MEETING}, now)

    def answer(person: str, args: dict[str, Any]) -> None:
        _run(session, person, I.REPLY_MEETING, m.reply, {"meeting_id": DEMO_MEETING, **args}, now)

    answer(ZHC_HEAD, {"answer": "attend"})
    answer(DZZWC_HEAD, {"answer": "decline", "reason": "赴京参加国家政务服务平台培训"})
    answer(SJZYC_HEAD, {"answer": "substitute", "reason": "同一时间陪同领导调研",
                        "substitute_id": SJZYC_STAFF})
    answer(SJZYC_STAFF, {"answer": "attend"})
    _run(session, CZT_CLERK, I.NOMINATE, m.nominate, {
        "meeting_id": DEMO_MEETING, "body_id": CZT, "nominees": [CZT_YSC_HEAD]}, now)
    answer(CZT_YSC_HEAD, {"answer": "attend"})



def _seed_agenda(session: Session, now: dt.datetime) -> None:
    """The video meeting's agenda (议题) and a topic the invited 财政厅 proposes."""
    from server.meetings import agenda_mutations as am

    start = dt.datetime.combine((now.astimezone(CHINA) + dt.timedelta(days=1)).date(),
                                dt.time(14, 30), CHINA)
    items = (
        ("全省一体化政务服务平台运行情况通报", DZZWC_HEAD, 0, 30),
        ("政务数据共享交换工作推进情况", SJZYC_HEAD, 30, 60),
        ("12345热线与平台对接问题研究", ZHC_HEAD, 60, 100),
    )
    for n, (title, presenter, a, b) in enumerate(items, 1):
        _run(session, SECRETARY, I.SAVE_AGENDA_ITEM, am.save_agenda_item, {
            "meeting_id": DEMO_MEETING, "item_id": f"ai-demo-{n:04d}", "title": title,
            "presenter_id": presenter, "start": (start + dt.timedelta(minutes=a)).isoformat(),
            "end": (start + dt.timedelta(minutes=b)).isoformat()}, now)
    _run(session, CZT_CLERK, I.PROPOSE_TOPIC, am.propose_topic, {
        "topic_id": "tp-demo-czt-1", "meeting_id": DEMO_MEETING, "body_id": CZT,
        "title": "平台建设资金保障情况说明", "presenter_id": CZT_YSC_HEAD, "minutes": 15,
        "note": "拟由预算处汇报2027年平台运维经费安排。"}, now)


FORMAL_MEETING = "mt-demo-juwu-1"
DEPUTY_A, DEPUTY_B = "p-demo-02", "p-demo-03"
ZCFG_HEAD, AQBZ_HEAD = "p-demo-13", "p-demo-22"


def _seed_formal_meeting(session: Session, day: dt.date, now: dt.datetime) -> None:
    """局务会议 the day after tomorrow in 第一会议室, published, with its seat plan filled
    by rank (座次)."""
    from modules.meetings import seating as S
    from server.meetings import seating_mutations as sm

    start = dt.datetime.combine(day, dt.time(9), CHINA)
    end = start + dt.timedelta(hours=2)
    booking_id = "mb-demo-juwu-0001"
    _run(session, SECRETARY, I.BOOK_ROOM, m.book_room, {
        "booking_id": booking_id, "room_id": "mr-demo-szj-1", "start": start.isoformat(),
        "end": end.isoformat(), "subject": "局务会议", "people": 10}, now)
    people = [JUZHANG, DEPUTY_A, DEPUTY_B, BGS_HEAD, ZHC_HEAD, ZCFG_HEAD, SJZYC_HEAD,
              DZZWC_HEAD, AQBZ_HEAD]
    _run(session, SECRETARY, I.SAVE_MEETING, m.save_meeting, {
        "meeting_id": FORMAL_MEETING, "subject": "局务会议（2026年第12次）", "kind": "局务会议",
        "host_body_id": SZJ, "chair_id": JUZHANG, "start": start.isoformat(),
        "end": end.isoformat(), "booking_id": booking_id, "invitees": people[1:],
        "staff": [SECRETARY], "reply_by": (start - dt.timedelta(days=1)).isoformat(),
        "contact_id": SECRETARY, "contact_phone": "020-83133001",
        "notes": "请各处室负责人准备年度工作总结要点。"}, now)
    _run(session, SECRETARY, I.PUBLISH_MEETING, m.publish_meeting,
         {"meeting_id": FORMAL_MEETING}, now)
    layout = S.build_layout({"kind": "rostrum", "rostrum": [5], "hall": [6]})
    ranked = [S.Attendee(pid, pid, invited=i) for i, pid in enumerate(people)]
    plan = S.fill(layout, ranked)
    _run(session, SECRETARY, I.SAVE_SEATING, sm.save_seating, {
        "meeting_id": FORMAL_MEETING, "layout": {"kind": "rostrum", "rostrum": [5], "hall": [6]},
        "seats": [{"seat_id": seat, "person_id": pid} for seat, pid in plan.seats.items()],
        "order": people}, now)


def _seed_series(session: Session, now: dt.datetime) -> None:
    """局长办公会 every Monday at 09:00 in 第二会议室 for eight weeks (例会), published;
    official holidays are skipped."""
    from server.meetings import series as sr

    today = now.astimezone(CHINA).date()
    monday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)
    start = dt.datetime.combine(monday, dt.time(9), CHINA)
    _run(session, SECRETARY, I.CREATE_SERIES, sr.create_series, {
        "series_id": "ms-demojzbg01", "subject": "局长办公会", "kind": "办公会",
        "host_body_id": SZJ, "chair_id": JUZHANG, "start": start.isoformat(),
        "end": (start + dt.timedelta(minutes=90)).isoformat(),
        "rule": {"frequency": "weekly", "weekdays": [0], "count": 8, "holidays": "skip"},
        "room_id": "mr-demo-szj-2", "people": 8,
        "invitees": [DEPUTY_A, DEPUTY_B, BGS_HEAD, ZHC_HEAD], "staff": [SECRETARY],
        "contact_id": SECRETARY, "skip_conflicts": True, "publish": True}, now)


HELD_MEETING = "mt-demo-held-1"


def _seed_held_meeting(session: Session, now: dt.datetime) -> None:
    """A 专题会 held two days ago: replies, check-ins, the 会议纪要 started in Documents and
    two decisions (议定事项) waiting to go to supervision."""
    from server.meetings import minutes_mutations as mm

    day = (now.astimezone(CHINA) - dt.timedelta(days=2)).date()
    start = dt.datetime.combine(day, dt.time(15), CHINA)
    end = start + dt.timedelta(minutes=90)
    before = start - dt.timedelta(days=2)
    _run(session, SECRETARY, I.BOOK_ROOM, m.book_room, {
        "booking_id": "mb-demo-held-0001", "room_id": "mr-demo-szj-3",
        "start": start.isoformat(), "end": end.isoformat(), "subject": "数据安全专题会",
        "people": 8}, before)
    invitees = [BGS_HEAD, ZHC_HEAD, SJZYC_HEAD, DZZWC_HEAD, AQBZ_HEAD]
    _run(session, SECRETARY, I.SAVE_MEETING, m.save_meeting, {
        "meeting_id": HELD_MEETING, "subject": "政务数据安全管理专题会", "kind": "专题会",
        "host_body_id": SZJ, "chair_id": DEPUTY_A, "start": start.isoformat(),
        "end": end.isoformat(), "booking_id": "mb-demo-held-0001", "invitees": invitees,
        "staff": [SECRETARY], "contact_id": SECRETARY}, before)
    _run(session, SECRETARY, I.PUBLISH_MEETING, m.publish_meeting,
         {"meeting_id": HELD_MEETING}, before)
    for person in (BGS_HEAD, ZHC_HEAD, SJZYC_HEAD, AQBZ_HEAD):
        _run(session, person, I.REPLY_MEETING, m.reply,
             {"meeting_id": HELD_MEETING, "answer": "attend"}, before)
    _run(session, DZZWC_HEAD, I.REPLY_MEETING, m.reply, {
        "meeting_id": HELD_MEETING, "answer": "decline", "reason": "参加省委网信办会议"}, before)
    at = start + dt.timedelta(minutes=3)
    for person in (DEPUTY_A, BGS_HEAD, ZHC_HEAD, SJZYC_HEAD, AQBZ_HEAD):
        _run(session, SECRETARY, I.CHECK_IN_BY_HAND, m.check_in_by_hand, {
            "meeting_id": HELD_MEETING, "person_id": person, "scanned_at": at.isoformat()}, at)
    after = end + dt.timedelta(minutes=30)
    _run(session, SECRETARY, I.CLOSE_MEETING, m.close_meeting,
         {"meeting_id": HELD_MEETING}, after)
    _run(session, SECRETARY, I.START_MINUTES, mm.start_minutes, {
        "meeting_id": HELD_MEETING, "document_id": "d-demo-minutes-0001"}, after)
    for n, (what, lead, days) in enumerate((
            ("各处室于12月底前完成本处室数据资产安全自查，形成自查报告报办公室。",
             "b-gd-szj-aqc", 15),
            ("数据资源处牵头修订政务数据分级分类指引，报局务会议审议。", "b-gd-szj-sjzyc", 20)), 1):
        _run(session, SECRETARY, I.ADD_DECISION, mm.add_decision, {
            "meeting_id": HELD_MEETING, "decision_id": f"dc-demo-held-{n:04d}", "what": what,
            "lead_unit_id": lead, "co_unit_ids": ["b-gd-szj-bgs"] if n == 1 else [],
            "deadline_days": days}, after)
