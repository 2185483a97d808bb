"""督查通知单: the notice handing one supervision item (督办事项) to its units, as an A4 PDF.

One item per form: its number (督字〔2026〕N号), title, source, content, lead unit and
co-units, 办结时限 (a date, or "N个工作日内" with the date it falls on — marked provisional
when the calendar has no holiday data for the year), feedback requirement (签收 within
N working days, the feedback cycle), the supervising leader and the 督查员, and a QR code
holding :func:`item_link` — the item's address, which the app opens (and any phone reads
as text).

Fonts are the documents module's (``modules.common.fonts.register_reportlab_fonts``);
the QR image is made with ``qrcode`` as the meetings check-in does. ``invariant`` (the
default) gives the same bytes for the same item. Pure; any thread.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from modules.calendar.rules import HolidayTable
from modules.common import messages
from modules.common.fonts import register_reportlab_fonts
from modules.supervision import rules as R
from modules.supervision import units

if TYPE_CHECKING:  # ReportLab and qrcode load when a PDF is first made, not at start-up
    from reportlab.lib.colors import Color
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Image, Paragraph

MM = 72.0 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
MARGIN_L, MARGIN_R, MARGIN_T, MARGIN_B = 26 * MM, 24 * MM, 22 * MM, 22 * MM
FRAME_W = PAGE_W - MARGIN_L - MARGIN_R
LABEL_W = 28 * MM
RED_RGB = (0.78, 0.06, 0.06)
GREY_RGB = (0.35, 0.35, 0.35)
QR_SIZE = 30 * MM
#: The address a notice's QR holds: the app opens the item from it.
LINK_PREFIX = "office://supervision/item/"


def item_link(item: Mapping[str, Any]) -> str:
    """The item's address, as its QR code holds it."""
    return f"{LINK_PREFIX}{item['id']}"


def item_id_from_link(text: str) -> str | None:
    """The item id a scanned notice gives ('' prefix / other text → None)."""
    text = text.strip()
    if not text.startswith(LINK_PREFIX):
        return None
    found = text[len(LINK_PREFIX):]
    return found if found.startswith("sv-") and "/" not in found else None


def _cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def deadline_words(item: Mapping[str, Any], table: HolidayTable | None = None) -> str:
    """"5个工作日内（2026年10月10日前）" or "2026年12月31日前", with the provisional note
    when the deadline counts a year without holiday data."""
    if table is not None:
        found = R.deadline(item, table)
        due, missing = found.day, tuple(found.missing_years)
    else:
        due = dt.date.fromisoformat(str(item["due"]))
        missing = tuple(item.get("due_missing_years") or ())
    days = item.get("deadline_days")
    words = (f"{days}个工作日内（{_cn_day(due)}前）"
             if isinstance(days, int) and not isinstance(days, bool) else f"{_cn_day(due)}前")
    if missing:
        note = messages.render("calendar.year_missing", "zh_CN",
                               {"years": "、".join(str(y) for y in missing)})
        words += f"（暂定：{note.rstrip('。')}）"
    return words


def feedback_words(item: Mapping[str, Any], table: HolidayTable | None = None) -> str:
    """签收 within N working days (with the date when a calendar is given) and the cycle."""
    n = item.get("ack_days")
    n = n if isinstance(n, int) and not isinstance(n, bool) else units.DEFAULT_ACK_DAYS
    due = units.ack_due(item, table) if table is not None else None
    ack = f"各单位于交办后{n}个工作日内签收" + (f"（{_cn_day(due.day)}前）" if due else "")
    cycle = str(item.get("cycle") or "none")
    zh = R.CYCLES.get(cycle, R.CYCLES["none"])[0].format(n=item.get("cycle_days") or 5)
    extra = "；牵头单位汇总协办单位情况后报送，办结时报送办结报告"
    return f"{ack}；{zh}{extra}。"


def red() -> Color:
    """The form's red (ReportLab colour)."""
    from reportlab.lib.colors import Color

    return Color(*RED_RGB)


def _styles() -> dict[str, ParagraphStyle]:
    from reportlab.lib.colors import Color
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    f = register_reportlab_fonts()
    RED, GREY = Color(*RED_RGB), Color(*GREY_RGB)
    return {
        "title": ParagraphStyle("title", fontName=f["xiaobiaosong"], fontSize=26, leading=34,
                                alignment=TA_CENTER, textColor=RED, wordWrap="CJK"),
        "number": ParagraphStyle("number", fontName=f["fangsong"], fontSize=14, leading=20,
                                 alignment=TA_RIGHT, wordWrap="CJK"),
        "label": ParagraphStyle("label", fontName=f["heiti"], fontSize=12.5, leading=18,
                                alignment=TA_CENTER, wordWrap="CJK"),
        "value": ParagraphStyle("value", fontName=f["fangsong"], fontSize=14, leading=21,
                                alignment=TA_LEFT, wordWrap="CJK"),
        "small": ParagraphStyle("small", fontName=f["fangsong"], fontSize=10.5, leading=14,
                                alignment=TA_CENTER, textColor=GREY, wordWrap="CJK"),
        "sign": ParagraphStyle("sign", fontName=f["fangsong"], fontSize=14, leading=22,
                               alignment=TA_RIGHT, wordWrap="CJK"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _qr(payload: str) -> Image:
    import qrcode
    from reportlab.platypus import Image

    buffer = io.BytesIO()
    qrcode.make(payload, border=1).save(buffer)  # PNG (Pillow's image factory)
    buffer.seek(0)
    return Image(buffer, width=QR_SIZE, height=QR_SIZE)


def rows(item: Mapping[str, Any], table: HolidayTable | None = None) -> list[tuple[str, str]]:
    """The form's (label, value) rows, in order (also what tests read)."""
    source = str(item.get("source_words") or R.SOURCES.get(str(item.get("source")), ("", ""))[0])
    if item.get("source_ref"):
        source += f"（{item['source_ref']}）"
    grade = R.GRADES.get(str(item.get("grade") or "normal"), ("一般", ""))[0]
    return [
        ("督办事项", str(item.get("title") or "")),
        ("督办来源", source or "—"),
        ("督办等级", grade),
        ("督办内容", str(item.get("content") or "") or "—"),
        ("牵头单位", str(item.get("lead_unit_name") or "")),
        ("协办单位", "、".join(str(n) for n in item.get("co_unit_names") or ()) or "—"),
        ("办结时限", deadline_words(item, table)),
        ("反馈要求", feedback_words(item, table)),
        ("督办领导", str(item.get("leader_name") or "") or "—"),
        ("督查员", str(item.get("registered_by_name") or "") or "—"),
    ]


def render_notice(item: Mapping[str, Any], table: HolidayTable | None = None, *,
                  invariant: bool = True) -> bytes:
    """The 督查通知单 of ``item`` (a ``supervision.item`` record) as A4 PDF bytes."""
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    RED = red()
    fonts = register_reportlab_fonts()
    st = _styles()
    number = str(item.get("number") or "（交办时编号）")
    story: list[Any] = [_p("督查通知单", st["title"]), Spacer(1, 4 * MM),
                        _p(number, st["number"]), Spacer(1, 3 * MM)]
    body = [[_p(label, st["label"]), _p(value, st["value"])] for label, value in rows(item, table)]
    grid = Table(body, colWidths=[LABEL_W, FRAME_W - LABEL_W])
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.8, RED),
        ("BOX", (0, 0), (-1, -1), 1.4, RED),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]))
    story += [grid, Spacer(1, 8 * MM)]
    assigned = item.get("assigned_on")
    day = _cn_day(dt.date.fromisoformat(str(assigned))) if assigned else "　　年　月　日"
    sign = _p(f"{item.get('body_name') or ''}督查室\n{day}", st["sign"])
    qr = Table([[_qr(item_link(item))], [_p("扫码查看督办事项", st["small"])]],
               colWidths=[QR_SIZE + 4 * MM])
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    foot = Table([[qr, sign]], colWidths=[QR_SIZE + 8 * MM, FRAME_W - QR_SIZE - 8 * MM])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story.append(foot)
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf, pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_L, rightMargin=MARGIN_R,
        topMargin=MARGIN_T, bottomMargin=MARGIN_B,
        title=f"督查通知单：{item.get('title') or ''}", author=str(item.get("body_name") or ""),
        subject=number, creator="协同办公", invariant=int(invariant),
        initialFontName=fonts["fangsong"], initialFontSize=14, pageCompression=1)
    template.build(story)
    return buf.getvalue()


__all__ = ["deadline_words", "feedback_words", "item_id_from_link", "item_link",
           "render_notice", "rows"]
