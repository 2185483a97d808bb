"""催办单: one manual 催办 of a supervision item as an A4 PDF — the item's number and
title, the unit urged, what was overdue or missing when it was urged (kept on the urge,
``modules.supervision.lifecycle.missing_lines``), the 办结时限, the note, who urged and
when, and the item's QR (as the 督查通知单).

Same fonts and form as :mod:`modules.supervision.notice_pdf` (the documents module's
ReportLab fonts). ``invariant`` (the default) gives the same bytes for the same urge.
Pure; any thread.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from modules.calendar.rules import HolidayTable
from modules.common.fonts import register_reportlab_fonts
from modules.supervision import notice_pdf as N
from modules.supervision import rules as R


def _local(stamp: object) -> dt.datetime | None:
    if not stamp:
        return None
    return dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).astimezone(R.CHINA)


def find_urge(item: Mapping[str, Any], n: int | None = None) -> dict[str, Any] | None:
    """The item's ``n``-th urge (1-based), the latest when ``n`` is None."""
    urges = [dict(u) for u in item.get("urges") or ()]
    if not urges:
        return None
    if n is None:
        return urges[-1]
    return next((u for u in urges if u.get("n") == n), None)


def rows(item: Mapping[str, Any], urge: Mapping[str, Any],
         table: HolidayTable | None = None) -> list[tuple[str, str]]:
    """The form's (label, value) rows, in order (also what tests read)."""
    when = _local(urge.get("at"))
    missing = [str(m) for m in urge.get("missing") or ()]
    return [
        ("督办事项", str(item.get("title") or "")),
        ("被催办单位", str(urge.get("unit_name") or item.get("lead_unit_name") or "")),
        ("催办事由", "\n".join(f"{i}. {m}" for i, m in enumerate(missing, start=1)) or "—"),
        ("办结时限", N.deadline_words(item, table)),
        ("催办意见", str(urge.get("note") or "") or "请抓紧办理，按时反馈办理情况。"),
        ("催办人", str(urge.get("by_name") or "")),
        ("催办时间", f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}" if when else "—"),
    ]


def render_urge(item: Mapping[str, Any], urge: Mapping[str, Any],
                table: HolidayTable | None = None, *, invariant: bool = True) -> bytes:
    """The 催办单 of one ``urge`` of ``item`` as A4 PDF bytes."""
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    fonts = register_reportlab_fonts()
    st = N._styles()
    number = str(item.get("number") or "")
    seq = f"第{urge.get('n') or 1}次催办"
    story: list[Any] = [N._p("督办事项催办单", st["title"]), Spacer(1, 4 * N.MM),
                        N._p(f"{number}　{seq}".strip(), st["number"]), Spacer(1, 3 * N.MM)]
    body = [[N._p(label, st["label"]), N._p(value, st["value"])]
            for label, value in rows(item, urge, table)]
    grid = Table(body, colWidths=[N.LABEL_W + 4 * N.MM, N.FRAME_W - N.LABEL_W - 4 * N.MM])
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.8, N.red()),
        ("BOX", (0, 0), (-1, -1), 1.4, N.red()),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]))
    story += [grid, Spacer(1, 8 * N.MM)]
    when = _local(urge.get("at"))
    day = f"{when.year}年{when.month}月{when.day}日" if when else "　　年　月　日"
    sign = N._p(f"{item.get('body_name') or ''}督查室\n{day}", st["sign"])
    qr = Table([[N._qr(N.item_link(item))], [N._p("扫码查看督办事项", st["small"])]],
               colWidths=[N.QR_SIZE + 4 * N.MM])
    qr.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    foot = Table([[qr, sign]], colWidths=[N.QR_SIZE + 8 * N.MM, N.FRAME_W - N.QR_SIZE - 8 * N.MM])
    foot.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story.append(foot)
    buf = io.BytesIO()
    template = SimpleDocTemplate(
        buf, pagesize=(N.PAGE_W, N.PAGE_H), leftMargin=N.MARGIN_L, rightMargin=N.MARGIN_R,
        topMargin=N.MARGIN_T, bottomMargin=N.MARGIN_B,
        title=f"催办单：{item.get('title') or ''}", author=str(item.get("body_name") or ""),
        subject=f"{number} {seq}", creator="协同办公", invariant=int(invariant),
        initialFontName=fonts["fangsong"], initialFontSize=14, pageCompression=1)
    template.build(story)
    return buf.getvalue()


__all__ = ["find_urge", "render_urge", "rows"]
