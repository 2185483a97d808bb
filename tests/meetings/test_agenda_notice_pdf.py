"""The 会议通知 PDF: rendered with the documents' fonts, its text extracted again (pypdf)
holds the title, time, place, attendees, agenda, contact, notes and the 回执表."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader

from modules.common.errors import DomainError
from modules.meetings import meeting as M
from modules.meetings import notice_pdf
from modules.meetings.rules import CHINA

START = dt.datetime(2030, 3, 4, 9, 0, tzinfo=CHINA)


def _meeting(**extra: Any) -> dict[str, Any]:
    return {
        "id": "mt-0001", "subject": "全市政务数据工作专题会", "kind": "专题会", "state": "published",
        "host_body_id": "b-city", "host_body_name": "某市人民政府办公室",
        "start": START.isoformat(), "end": (START + dt.timedelta(hours=3)).isoformat(),
        "room_name": "市政府三楼第一会议室", "place": "", "video_url": "",
        "chair_name": "赵市长", "invitees": [{"id": "p-1", "name": "张三"}, {"id": "p-2", "name": "李四"}],
        "bodies": [{"id": "b-county", "name": "某县人民政府"}],
        "observers": [{"id": "p-3", "name": "王五"}], "staff": [],
        "reply_by": (START - dt.timedelta(days=1)).isoformat(),
        "contact_name": "钱秘书", "contact_phone": "0571-88886666", "notes": "请携带相关材料。",
        "sequence": 0, "changes": [],
        "agenda": [{"id": "ai-0001", "order": 1, "title": "听取市数据局工作汇报",
                    "presenter_id": "p-1", "presenter_name": "张三",
                    "start": START.isoformat(),
                    "end": (START + dt.timedelta(minutes=40)).isoformat(),
                    "attendees": [{"id": "p-9", "name": "孙列席"}],
                    "materials": [{"sha256": "a" * 64, "name": "汇报材料.pdf", "size": 3}],
                    "body_name": ""},
                   {"id": "ai-0002", "order": 2, "title": "研究数据回流事项", "presenter_id": "",
                    "presenter_name": "", "start": None, "end": None, "attendees": [],
                    "materials": [], "body_name": "某县人民政府"}],
        **extra,
    }


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_notice_and_its_reply_form_hold_everything() -> None:
    meeting = _meeting()
    invited = list(M.invitations(meeting, [], []).values())
    pdf = notice_pdf.render_notice(meeting, invited=invited,
                                   replies={"p-2": {"answer": M.DECLINE}},
                                   posts={"p-1": "局长"}, today=dt.date(2030, 3, 1))
    assert pdf.startswith(b"%PDF-")
    pages = _text(pdf)
    assert len(pages) >= 2
    notice = "".join(pages[:-1]).replace("\n", "").replace(" ", "")
    for words in ("会议通知", "全市政务数据工作专题会", "2030年3月4日09:00", "星期一", "12:00",
                  "市政府三楼第一会议室", "主持：赵市长", "张三、李四", "某县人民政府", "列席：王五",
                  "会议议题", "1.听取市数据局工作汇报（09:00–09:40）", "汇报人：张三",
                  "列席本议题：孙列席", "汇报材料.pdf", "2.研究数据回流事项", "申报单位：某县人民政府",
                  "钱秘书", "0571-88886666", "请携带相关材料。", "2030年3月1日"):
        assert words in notice, words
    form = pages[-1].replace("\n", "").replace(" ", "")
    for words in ("回执表", "单位", "姓名", "职务", "参加/请假", "联系电话", "张三", "局长", "请假",
                  "王五", "某县人民政府", "3月3日09:00"):
        assert words in form, words


def test_a_meeting_without_agenda_has_no_agenda_section_and_a_safe_filename() -> None:
    pdf = notice_pdf.render_notice(_meeting(agenda=[], subject="例会/周一"))
    text = "".join(_text(pdf))
    assert "会议议题" not in text and "回执表" in text
    assert notice_pdf.notice_filename(_meeting(subject="例会/周一 上午")) == "会议通知-例会周一上午.pdf"


def test_a_classified_marking_is_refused_before_drawing() -> None:
    with pytest.raises(DomainError) as refused:
        notice_pdf.render_notice(_meeting(notes="本件机密★1年"))
    assert refused.value.code == "document.classified_refused"
