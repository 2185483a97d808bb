"""The 会议通知 as a PDF: the notice (title, time, place, attendees, agenda, contact,
other matters) and its 回执表 (a reply form table: unit, name, post, attend / excused,
phone), drawn with ReportLab in the documents module's fonts
(:func:`modules.common.fonts.register_reportlab_fonts`). Pure: no Qt, no disk — the
caller writes the bytes (off the GUI thread).

The notice is an official paper in Chinese, whatever the interface language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from modules.common.classified import refuse_classified_data
from modules.common.fonts import register_reportlab_fonts
from modules.meetings import agenda as A
from modules.meetings import meeting as M
from modules.meetings.rules import CHINA, parse_time, words

MM = 72.0 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
RED = Color(0.8, 0.0, 0.0)
GREY = Color(0.45, 0.45, 0.45)
BLANK_ROWS = 6
NUMBERS = "一二三四五六七八九十"


def _styles() -> dict[str, ParagraphStyle]:
    f = register_reportlab_fonts()
    return {
        "title": ParagraphStyle("title", fontName=f["xiaobiaosong"], fontSize=22, leading=30,
                                alignment=TA_CENTER, textColor=RED, wordWrap="CJK"),
        "subject": ParagraphStyle("subject", fontName=f["xiaobiaosong"], fontSize=16,
                                  leading=24, alignment=TA_CENTER, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=f["heiti"], fontSize=14, leading=21,
                               spaceBefore=6, wordWrap="CJK"),
        "body": ParagraphStyle("body", fontName=f["fangsong"], fontSize=14, leading=21,
                               firstLineIndent=28, wordWrap="CJK"),
        "item": ParagraphStyle("item", fontName=f["fangsong"], fontSize=14, leading=20,
                               leftIndent=28, wordWrap="CJK"),
        "note": ParagraphStyle("note", fontName=f["kaiti"], fontSize=12, leading=18,
                               leftIndent=56, textColor=GREY, wordWrap="CJK"),
        "sign": ParagraphStyle("sign", fontName=f["fangsong"], fontSize=14, leading=21,
                               alignment=TA_RIGHT, wordWrap="CJK"),
        "cell": ParagraphStyle("cell", fontName=f["fangsong"], fontSize=11, leading=15,
                               alignment=TA_CENTER, wordWrap="CJK"),
        "cell_l": ParagraphStyle("cell_l", fontName=f["fangsong"], fontSize=11, leading=15,
                                 alignment=TA_LEFT, wordWrap="CJK"),
        "cell_h": ParagraphStyle("cell_h", fontName=f["heiti"], fontSize=12, leading=16,
                                 alignment=TA_CENTER, wordWrap="CJK"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _span(meeting: Mapping[str, Any]) -> str:
    start, end = parse_time(meeting["start"]), parse_time(meeting["end"])
    same_day = start.astimezone(CHINA).date() == end.astimezone(CHINA).date()
    weekday = "一二三四五六日"[start.astimezone(CHINA).weekday()]
    return (f"{start.astimezone(CHINA).year}年{words(start)}（星期{weekday}）至"
            f"{words(end, with_date=not same_day)}")


def _place(meeting: Mapping[str, Any]) -> str:
    parts = [str(meeting.get(k) or "") for k in ("room_name", "place")]
    place = "，".join(dict.fromkeys(p for p in parts if p))
    if meeting.get("video_url"):
        place = f"{place}（视频会议：{meeting['video_url']}）" if place else \
            f"视频会议：{meeting['video_url']}"
    return place or "另行通知"


def _names(people: Iterable[Mapping[str, Any]]) -> str:
    return "、".join(str(p.get("name") or "") for p in people if p.get("name"))


def _attendees(meeting: Mapping[str, Any]) -> list[str]:
    lines = []
    if meeting.get("chair_name"):
        lines.append(f"主持：{meeting['chair_name']}")
    if meeting.get("invitees"):
        lines.append(f"出席：{_names(meeting['invitees'])}")
    if meeting.get("bodies"):
        lines.append(f"参会单位：{_names(meeting['bodies'])}（各单位确定参会人员后回执）")
    if meeting.get("observers"):
        lines.append(f"列席：{_names(meeting['observers'])}")
    if meeting.get("staff"):
        lines.append(f"工作人员：{_names(meeting['staff'])}")
    return lines or ["另行通知"]


def _agenda_lines(meeting: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(item line, detail line) per agenda item."""
    out = []
    for n, item in enumerate(A.items(meeting), start=1):
        slot = A.slot_of(item)
        when = f"（{words(slot[0], with_date=False)}–{words(slot[1], with_date=False)}）" if slot else ""
        line = f"{n}. {item.get('title', '')}{when}"
        detail = []
        if item.get("presenter_name"):
            detail.append(f"汇报人：{item['presenter_name']}")
        if item.get("body_name"):
            detail.append(f"申报单位：{item['body_name']}")
        if item.get("attendees"):
            detail.append(f"列席本议题：{_names(item['attendees'])}")
        if item.get("materials"):
            detail.append(f"材料：{_names(item['materials'])}")
        out.append((line, "；".join(detail)))
    return out


def _contact(meeting: Mapping[str, Any]) -> str:
    who = str(meeting.get("contact_name") or "")
    phone = str(meeting.get("contact_phone") or "")
    return "，".join(x for x in (who, f"电话：{phone}" if phone else "") if x)


def _reply_rows(meeting: Mapping[str, Any], invited: Sequence[M.Invitation],
                replies: Mapping[str, Mapping[str, Any]], posts: Mapping[str, str],
                units: Mapping[str, str]) -> list[list[str]]:
    host = str(meeting.get("host_body_name") or "")
    bodies = {str(b["id"]): str(b.get("name") or "") for b in meeting.get("bodies") or ()}
    rows = []
    for inv in invited:
        reply = replies.get(inv.person_id) or {}
        answer = str(reply.get("answer") or "")
        mark = {M.ATTEND: "参加", M.DECLINE: "请假", M.SUBSTITUTE: "代会"}.get(answer, "□参加 □请假")
        unit = bodies.get(inv.via_body_id) or units.get(inv.person_id) or host
        rows.append([unit, inv.name, posts.get(inv.person_id, ""), mark,
                     str(reply.get("phone") or "")])
    for body_id, name in bodies.items():
        if not any(i.via_body_id == body_id for i in invited):
            rows.append([name, "", "", "□参加 □请假", ""])
    rows += [["", "", "", "□参加 □请假", ""] for _ in range(BLANK_ROWS)]
    return rows


def notice_texts(meeting: Mapping[str, Any]) -> list[str]:
    """Every free text the notice prints (checked for classified markings first)."""
    texts = [str(meeting.get(k) or "") for k in ("subject", "notes", "place", "host_body_name")]
    for item in A.items(meeting):
        texts.append(str(item.get("title") or ""))
        texts += [str(m.get("name") or "") for m in item.get("materials") or ()]
    return texts


def render_notice(meeting: Mapping[str, Any], *, invited: Sequence[M.Invitation] = (),
                  replies: Mapping[str, Mapping[str, Any]] | None = None,
                  posts: Mapping[str, str] | None = None, units: Mapping[str, str] | None = None,
                  today: dt.date | None = None) -> bytes:
    """The 会议通知 and its 回执表 as PDF bytes. ``invited``: who is expected to reply
    (:func:`modules.meetings.meeting.invitations`, in order) — one row each on the
    回执表, then a row per invited body that has not named its people and blank rows;
    ``replies`` by person id (answers filled in); ``posts`` / ``units``: a person's 职务
    and unit name, when known."""
    refuse_classified_data(notice_texts(meeting), "notice")
    s = _styles()
    replies, posts, units = replies or {}, posts or {}, units or {}
    today = today or dt.datetime.now(CHINA).date()
    host = str(meeting.get("host_body_name") or "")
    subject = str(meeting.get("subject") or "")
    story: list[Any] = [_p(f"{host}", s["title"]) if host else Spacer(1, 1),
                        _p("会议通知", s["title"]), Spacer(1, 4 * MM),
                        _p(f"关于召开{subject}的通知", s["subject"]), Spacer(1, 6 * MM)]
    if int(meeting.get("sequence") or 0) > 0 and meeting.get("changes"):
        story.append(_p(f"（变更通知：{meeting['changes'][-1].get('note', '')}）", s["note"]))
    story.append(_p(f"经研究，定于{_span(meeting)}召开{subject}。现将有关事项通知如下：",
                    s["body"]))
    sections: list[tuple[str, list[Any]]] = [
        ("会议时间", [_p(_span(meeting), s["item"])]),
        ("会议地点", [_p(_place(meeting), s["item"])]),
        ("参会人员", [_p(line, s["item"]) for line in _attendees(meeting)]),
    ]
    agenda = _agenda_lines(meeting)
    if agenda:
        flow: list[Any] = []
        for line, detail in agenda:
            flow.append(_p(line, s["item"]))
            if detail:
                flow.append(_p(detail, s["note"]))
        sections.append(("会议议题", flow))
    other: list[Any] = []
    if meeting.get("reply_by"):
        other.append(_p(f"请各参会人员、单位于{words(parse_time(meeting['reply_by']))}前"
                        "填写所附回执表并反馈会议联系人。", s["item"]))
    if meeting.get("notes"):
        other.append(_p(str(meeting["notes"]), s["item"]))
    if other:
        sections.append(("其他事项", other))
    if _contact(meeting):
        sections.append(("联系人", [_p(_contact(meeting), s["item"])]))
    sign = [Spacer(1, 8 * MM), _p(host, s["sign"]),
            _p(f"{today.year}年{today.month}月{today.day}日", s["sign"])]
    for n, (head, flow) in enumerate(sections):
        last = sign if n == len(sections) - 1 else []  # the signature never stands alone
        story.append(KeepTogether([_p(f"{NUMBERS[n]}、{head}", s["head"]), *flow, *last]))
    story.append(PageBreak())
    story += _reply_form(meeting, s, _reply_rows(meeting, invited, replies, posts, units))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=(PAGE_W, PAGE_H), leftMargin=26 * MM,
                            rightMargin=24 * MM, topMargin=25 * MM, bottomMargin=22 * MM,
                            title=f"会议通知：{subject}", author=host, subject="会议通知")
    doc.build(story)
    return out.getvalue()


def _reply_form(meeting: Mapping[str, Any], s: dict[str, ParagraphStyle],
                rows: list[list[str]]) -> list[Any]:
    head = ["单位", "姓名", "职务", "参加/请假", "联系电话"]
    data = [[_p(h, s["cell_h"]) for h in head]]
    data += [[_p(row[0], s["cell_l"]), *(_p(c, s["cell"]) for c in row[1:])] for row in rows]
    width = PAGE_W - 56 * MM  # the frame less its padding
    table = Table(data, colWidths=[width * w for w in (0.28, 0.14, 0.17, 0.23, 0.18)],
                  repeatRows=1, rowHeights=[None] + [9 * MM] * len(rows))
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.8, Color(0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), Color(0.93, 0.93, 0.93)),
    ]))
    story: list[Any] = [_p("回执表", s["title"]), Spacer(1, 3 * MM),
                        _p(f"会议名称：{meeting.get('subject', '')}", s["item"]),
                        _p(f"会议时间：{_span(meeting)}", s["item"]), Spacer(1, 3 * MM), table]
    if meeting.get("reply_by"):
        story += [Spacer(1, 3 * MM),
                  _p(f"请于{words(parse_time(meeting['reply_by']))}前反馈。", s["note"])]
    if _contact(meeting):
        story.append(_p(f"联系人：{_contact(meeting)}", s["note"]))
    return story


def notice_filename(meeting: Mapping[str, Any]) -> str:
    """``会议通知-<subject>.pdf`` with characters no file system likes removed."""
    subject = re.sub(r'[\\/:*?"<>|\s]+', "", str(meeting.get("subject") or ""))[:60]
    return f"会议通知-{subject or meeting.get('id', '')}.pdf"
