"""Demo meeting rooms, bookings and one published meeting with its replies (embedded
server with demo data), made through the real intent handlers so they obey the same
rules as the app's."""

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
     "approvers": [BGS_HEAD]},
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
