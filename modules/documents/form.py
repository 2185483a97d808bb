"""办文单 (processing form) as a PDF: the ruled table an office files with a document.

Pure module (ReportLab only; no Qt, no HTTP, no database). Thread-safe: each call builds
its own document; fonts are registered once (``modules.common.fonts``) under a lock.

:func:`render_form` takes the ``documents.document`` entity (docs/DOCUMENTS_PROTOCOL.md)
and draws an A4 form headed 收文处理笺 (incoming) or 发文稿纸 (outgoing) with the
document's particulars (标题, 发文字号/来文字号, 收文号, 来文机关, 紧急程度, dates) and
every opinion (意见) and instruction (批示) in the row of its step — person, post, time,
text and, when present, the handwritten ink (手写签批) drawn as smooth vector strokes.

Ink on an opinion (``opinion["ink"]``) is accepted in two shapes:

* a list of strokes, each a list of points ``{"x", "y", "pressure"?}`` (or
  ``[x, y, pressure?]``) in a normalised box (0 … 1, origin top-left), optionally
  wrapped as ``{"aspect": width / height, "strokes": [...]}`` (default aspect 2.4);
* the ink pad's format ``{"format": "office-collab/ink/1", "width", "height",
  "strokes": [[[x, y, pressure, t_ms], …], …]}`` (pad pixels).

The server keeps ink as a blob (``ink_sha256``); the caller resolves it into ``ink``
before rendering (a PNG picture may be passed as ``ink_png`` bytes instead).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Flowable,
    LayoutError,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from modules.common import messages
from modules.common.errors import ValidationFailed
from modules.common.fonts import register_reportlab_fonts
from modules.common.shapes import mapping_at
from modules.documents.rules import refuse_classified

MM = 72.0 / 25.4
PAGE_W = 210 * MM
PAGE_H = 297 * MM
MARGIN_L = 22 * MM
MARGIN_R = 20 * MM
MARGIN_T = 18 * MM
MARGIN_B = 20 * MM
FRAME_W = PAGE_W - MARGIN_L - MARGIN_R
LABEL_W = 21 * MM
VALUE_W = (FRAME_W - 2 * LABEL_W) / 2

RED = Color(0.78, 0.06, 0.06)
INK_COLOR = Color(0.05, 0.05, 0.22)
GREY = Color(0.35, 0.35, 0.35)

#: China Standard Time: every time on the form is shown in it.
CST = dt.timezone(dt.timedelta(hours=8), "CST")

INK_FORMAT = "office-collab/ink/1"
MAX_STROKES = 400
MAX_POINTS = 20_000
DEFAULT_ASPECT = 2.4

messages.register({
    "document.form_bad_ink": {
        "zh_CN": "{person}的手写签批笔迹数据格式不正确：{detail}",
        "en": "The handwriting of {person}'s opinion is malformed: {detail}",
    },
    "document.form_bad_document": {
        "zh_CN": "无法生成办文单：{detail}",
        "en": "Cannot make the processing form: {detail}",
    },
})

#: Rows of the form per kind: (label, step keys whose opinions go there, min height mm).
INCOMING_ROWS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("初审意见", ("receive", "register", "screen"), 0),
    ("拟办意见", ("propose",), 26),
    ("领导批示", ("instruct",), 44),
    ("承办结果", ("handle",), 32),
    ("传阅", ("circulate",), 22),
    ("办结", ("complete", "archive"), 0),
)
OUTGOING_ROWS_TOP: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("签发", ("sign",), 48),
    ("会签", ("countersign",), 48),
)
OUTGOING_ROWS: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("核稿意见", ("review",), 26),
    ("拟稿说明", ("draft",), 0),
)
OUTGOING_ROWS_BOTTOM: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("复核", ("recheck",), 14),
    ("登记", ("register",), 0),
    ("用印", ("seal",), 0),
    ("核发", ("dispatch",), 0),
)


# --------------------------------------------------------------------------- helpers


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _parse_time(value: Any) -> dt.datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(CST) if moment.tzinfo else moment


def format_time(value: Any) -> str:
    """``"2026-11-22T02:42:00Z"`` -> ``"2026年11月22日 10:42"`` (China time); "" if none."""
    moment = _parse_time(value)
    if moment is None:
        return _text(value)
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}"


def format_day(value: Any) -> str:
    """A date or time as ``2026年11月22日`` (China time); "" when missing."""
    text = _text(value)
    if not text:
        return ""
    if len(text) == 10:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return text
        return f"{day.year}年{day.month}月{day.day}日"
    moment = _parse_time(text)
    return f"{moment.year}年{moment.month}月{moment.day}日" if moment else text


def _names(items: Any) -> str:
    if isinstance(items, str):
        return items.strip()
    out = []
    for item in items or []:
        if isinstance(item, Mapping):
            out.append(_text(item.get("name") or item.get("body_name")))
        else:
            out.append(_text(item))
    return "、".join(n for n in out if n)


def opinions_of(doc: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """Every opinion of ``doc`` (the entity's list, else the workflow's), in order."""
    found = doc.get("opinions")
    if found is None:
        found = (doc.get("workflow") or {}).get("opinions") or []
    return [o for o in found if isinstance(o, Mapping)]


# --------------------------------------------------------------------------- ink


Stroke = list[tuple[float, float, float]]


def normalise_ink(value: Any, person: str = "") -> tuple[float, list[Stroke]]:
    """Ink data in either accepted shape -> ``(aspect, strokes)`` with points
    ``(x, y, pressure)`` in 0 … 1 (origin top-left). ``document.form_bad_ink`` if
    malformed."""

    def bad(detail: str) -> ValidationFailed:
        return ValidationFailed("document.form_bad_ink", person=person, detail=detail)

    def num(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise bad("坐标应为数字 / coordinates must be numbers")
        return float(v)

    width = height = 1.0
    aspect = DEFAULT_ASPECT
    raw: Any = value
    if isinstance(value, Mapping):
        raw = value.get("strokes")
        if value.get("format") == INK_FORMAT or ("width" in value and "height" in value):
            width, height = num(value.get("width")), num(value.get("height"))
            if width <= 0 or height <= 0:
                raise bad("width/height")
            aspect = width / height
        elif "aspect" in value:
            aspect = num(value["aspect"])
            if not 0.05 <= aspect <= 20:
                raise bad("aspect")
    if not isinstance(raw, list):
        raise bad("strokes 应为列表 / strokes must be a list")
    if len(raw) > MAX_STROKES:
        raise bad(f"笔画过多（上限 {MAX_STROKES}）/ too many strokes")
    strokes: list[Stroke] = []
    total = 0
    for stroke in raw:
        if not isinstance(stroke, list) or not stroke:
            raise bad("每一笔应为点的列表 / a stroke must be a list of points")
        points: Stroke = []
        for pt in stroke:
            if isinstance(pt, Mapping):
                x, y = num(pt.get("x")), num(pt.get("y"))
                p = pt.get("pressure", 0.5)
                p = 0.5 if p is None else num(p)
            elif isinstance(pt, list | tuple) and len(pt) >= 2:
                x, y = num(pt[0]), num(pt[1])
                p = num(pt[2]) if len(pt) >= 3 else 0.5
            else:
                raise bad("点应为 {x, y, pressure} / a point is {x, y, pressure}")
            points.append((x / width, y / height, max(0.0, min(1.0, p))))
        total += len(points)
        strokes.append(points)
    if total > MAX_POINTS:
        raise bad(f"点数过多（上限 {MAX_POINTS}）/ too many points")
    return aspect, strokes


def pen_width(box_h: float, pressure: float) -> float:
    """Line width in points for a stroke drawn in a box ``box_h`` points high."""
    return max(0.45, box_h * 0.022 * (0.35 + 1.3 * pressure))


def draw_ink(c: Any, strokes: Sequence[Stroke], x: float, y: float, w: float, h: float,
             color: Color = INK_COLOR) -> None:
    """Draw normalised strokes into the box (x, y, w, h) — points, origin bottom-left —
    as smooth curves (quadratic through the midpoints, drawn as Béziers) whose width
    follows the pen pressure."""
    c.saveState()
    c.setStrokeColor(color)
    c.setFillColor(color)
    c.setLineCap(1)
    c.setLineJoin(1)

    def at(pt: tuple[float, float, float]) -> tuple[float, float]:
        return x + pt[0] * w, y + h - pt[1] * h

    for stroke in strokes:
        if len(stroke) == 1:
            px, py = at(stroke[0])
            c.circle(px, py, pen_width(h, stroke[0][2]) / 2, stroke=0, fill=1)
            continue
        pts = [at(p) for p in stroke]
        press = [p[2] for p in stroke]
        if len(pts) == 2:
            c.setLineWidth(pen_width(h, (press[0] + press[1]) / 2))
            c.line(*pts[0], *pts[1])
            continue
        mids = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in itertools.pairwise(pts)]
        # first half-segment straight, then a curve through each interior point
        c.setLineWidth(pen_width(h, (press[0] + press[1]) / 2))
        c.line(*pts[0], *mids[0])
        for i in range(1, len(pts) - 1):
            q0, q1, q2 = mids[i - 1], pts[i], mids[i]
            c1 = (q0[0] + 2 / 3 * (q1[0] - q0[0]), q0[1] + 2 / 3 * (q1[1] - q0[1]))
            c2 = (q2[0] + 2 / 3 * (q1[0] - q2[0]), q2[1] + 2 / 3 * (q1[1] - q2[1]))
            c.setLineWidth(pen_width(h, press[i]))
            c.bezier(q0[0], q0[1], c1[0], c1[1], c2[0], c2[1], q2[0], q2[1])
        c.setLineWidth(pen_width(h, (press[-2] + press[-1]) / 2))
        c.line(*mids[-1], *pts[-1])
    c.restoreState()


class InkFlowable(Flowable):
    """Handwritten strokes at a fixed height, right of centre in its cell."""

    def __init__(self, aspect: float, strokes: list[Stroke], height: float = 16 * MM) -> None:
        super().__init__()
        self.aspect = aspect
        self.strokes = strokes
        self.box_h = height

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.box_w = min(avail_w, self.box_h * self.aspect)
        self.avail_w = avail_w
        self.draw_h = self.box_w / self.aspect
        return avail_w, self.draw_h

    def draw(self) -> None:
        x = max(0.0, self.avail_w - self.box_w - 6 * MM)
        draw_ink(self.canv, self.strokes, x, 0, self.box_w, self.draw_h)


class PictureFlowable(Flowable):
    """A handwriting picture (PNG bytes) at a fixed height, keeping its aspect."""

    def __init__(self, data: bytes, height: float = 16 * MM) -> None:
        from reportlab.lib.utils import ImageReader

        super().__init__()
        self.image = ImageReader(io.BytesIO(data))
        iw, ih = self.image.getSize()
        self.aspect = iw / ih if ih else DEFAULT_ASPECT
        self.box_h = height

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.box_w = min(avail_w, self.box_h * self.aspect)
        self.avail_w = avail_w
        return avail_w, self.box_w / self.aspect

    def draw(self) -> None:
        x = max(0.0, self.avail_w - self.box_w - 6 * MM)
        self.canv.drawImage(self.image, x, 0, self.box_w, self.box_w / self.aspect, mask="auto")


# --------------------------------------------------------------------------- canvas


class _NumberedCanvas(rl_canvas.Canvas):
    """Canvas that knows the page count when finishing, for "第 n 页 共 m 页"."""

    footer_left = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._saved: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab internal, not in the stubs

    def save(self) -> None:
        total = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self._footer(total)
            super().showPage()
        super().save()

    def _footer(self, total: int) -> None:
        fonts = register_reportlab_fonts()
        self.saveState()
        self.setFillColor(GREY)
        self.setFont(fonts["songti"], 9)
        self.drawCentredString(PAGE_W / 2, MARGIN_B - 9 * MM,
                               f"第 {self.getPageNumber()} 页　共 {total} 页")
        if self.footer_left:
            self.drawString(MARGIN_L, MARGIN_B - 9 * MM, self.footer_left)
        self.restoreState()


# --------------------------------------------------------------------------- styles


def _styles() -> dict[str, ParagraphStyle]:
    f = register_reportlab_fonts()
    return {
        "title": ParagraphStyle("title", fontName=f["xiaobiaosong"], fontSize=24, leading=30,
                                alignment=TA_CENTER, textColor=RED, wordWrap="CJK"),
        "sub": ParagraphStyle("sub", fontName=f["fangsong"], fontSize=12, leading=16,
                              alignment=TA_LEFT, wordWrap="CJK"),
        "sub_r": ParagraphStyle("sub_r", fontName=f["fangsong"], fontSize=12, leading=16,
                                alignment=TA_RIGHT, wordWrap="CJK"),
        "label": ParagraphStyle("label", fontName=f["heiti"], fontSize=12, leading=16,
                                alignment=TA_CENTER, textColor=RED, wordWrap="CJK"),
        "value": ParagraphStyle("value", fontName=f["fangsong"], fontSize=12.5, leading=18,
                                wordWrap="CJK"),
        "title_value": ParagraphStyle("title_value", fontName=f["fangsong"], fontSize=14,
                                      leading=20, wordWrap="CJK"),
        "opinion": ParagraphStyle("opinion", fontName=f["kaiti"], fontSize=14, leading=20,
                                  firstLineIndent=28, wordWrap="CJK"),
        "opinion_cont": ParagraphStyle("opinion_cont", fontName=f["kaiti"], fontSize=14,
                                       leading=20, wordWrap="CJK"),
        "who": ParagraphStyle("who", fontName=f["fangsong"], fontSize=11, leading=15,
                              alignment=TA_RIGHT, wordWrap="CJK"),
        "empty": ParagraphStyle("empty", fontName=f["fangsong"], fontSize=11, leading=15,
                                textColor=GREY, wordWrap="CJK"),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


# --------------------------------------------------------------------------- content


def _chunks(text: str, size: int = 240) -> list[str]:
    """Split a long opinion at sentence ends into pieces of about ``size`` characters,
    so no single paragraph is taller than a page."""
    if len(text) <= size:
        return [text] if text else []
    out, cur = [], ""
    for piece in re.split(r"(?<=[。；！？\n])", text):
        while len(piece) > size:
            if cur:
                out.append(cur)
                cur = ""
            out.append(piece[:size])
            piece = piece[size:]
        if len(cur) + len(piece) > size and cur:
            out.append(cur)
            cur = ""
        cur += piece
    if cur.strip():
        out.append(cur)
    return [c.strip("\n") for c in out if c.strip()]


def _batches(flowables: list[Any], width: float, limit: float = 150 * MM) -> list[list[Any]]:
    """Cut a cell's flowables into runs at most ``limit`` points high (one table row
    each), so a block never outgrows a page."""
    inner = width - 2 * CELL_PAD_X
    out: list[list[Any]] = [[]]
    used = 0.0
    for f in flowables:
        h = f.wrap(inner, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        if out[-1] and used + h > limit:
            out.append([])
            used = 0.0
        out[-1].append(f)
        used += h
    return [b for b in out if b]


def _opinion_flowables(opinion: Mapping[str, Any], st: dict[str, ParagraphStyle],
                       narrow: bool = False) -> list[Any]:
    person = opinion.get("person") or {}
    name = _text(person.get("name")) if isinstance(person, Mapping) else _text(person)
    post = _text(person.get("post")) if isinstance(person, Mapping) else ""
    out: list[Any] = []
    kind = _text(opinion.get("kind"))
    text = _text(opinion.get("text"))
    for i, part in enumerate(_chunks(text)):
        out.append(_p(part, st["opinion"] if i == 0 else st["opinion_cont"]))
    ink = opinion.get("ink")
    if ink:
        aspect, strokes = normalise_ink(ink, name)
        if strokes:
            out.append(InkFlowable(aspect, strokes))
    elif isinstance(opinion.get("ink_png"), bytes | bytearray):
        out.append(PictureFlowable(bytes(opinion["ink_png"])))
    who = "　".join(v for v in (post, name) if v)
    written = opinion.get("written_by")
    if isinstance(written, Mapping) and written.get("name"):
        who = (f"{post}　" if post else "") + f"{_text(written.get('name'))}（代{name}）"
    if kind == "批示" and not text and not ink:
        out.append(_p("（圈阅）", st["opinion"]))
    when = format_time(opinion.get("at"))
    if narrow:  # half-width cells (签发/会签): name and time on their own lines
        out.append(_p(who, st["who"]))
        if when:
            out.append(_p(when, st["who"]))
    else:
        out.append(_p(f"{who}　{when}".strip(), st["who"]))
    return out


def _cell_opinions(items: Iterable[Mapping[str, Any]], st: dict[str, ParagraphStyle],
                   narrow: bool = False) -> list[Any]:
    out: list[Any] = []
    for i, o in enumerate(items):
        if i:
            out.append(Spacer(1, 3 * MM))
        out.extend(_opinion_flowables(o, st, narrow))
    return out


CELL_PAD_X = 5
CELL_PAD_TOP = 5
CELL_PAD_BOTTOM = 6


def _at_least(content: Any, width: float, min_h: float) -> Any:
    """``content`` (a flowable list) padded with a spacer so the cell is at least
    ``min_h`` points high (ReportLab row heights are exact, not minimums)."""
    items = list(content) if isinstance(content, list) else ([content] if content else [])
    if not min_h:
        return items or ""
    inner_w = width - 2 * CELL_PAD_X
    used = sum(f.wrap(inner_w, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in items)
    need = min_h - CELL_PAD_TOP - CELL_PAD_BOTTOM - used
    if need > 0:
        items.append(Spacer(1, need))
    return items


def _deliveries(doc: Mapping[str, Any]) -> str:
    words = {"delivered": "已送达", "signed": "已签收", "registered": "已登记", "returned": "已退回",
             "recalled": "已撤回", "done": "已办结", "archived": "已归档"}
    parts = []
    for d in doc.get("deliveries") or []:
        if isinstance(d, Mapping):
            parts.append(f"{_text(d.get('body_name'))}（{words.get(_text(d.get('state')), _text(d.get('state')))}）")
    return "、".join(parts)


def _archive_words(doc: Mapping[str, Any]) -> str:
    arch = doc.get("archive")
    if not isinstance(arch, Mapping):
        return ""
    by = arch.get("by") or {}
    parts = ["已归档"]
    if arch.get("archive_no"):
        parts.append(f"档号 {arch['archive_no']}")
    if arch.get("retention"):
        parts.append(f"保管期限 {arch['retention']}")
    if isinstance(by, Mapping) and by.get("name"):
        parts.append(f"{by['name']} {format_time(arch.get('at'))}")
    return "，".join(parts)


def _build_story(doc: Mapping[str, Any], st: dict[str, ParagraphStyle]) -> list[Any]:
    outgoing = _text(doc.get("kind") or "outgoing") != "incoming"
    spec = mapping_at(doc, "spec")
    wf = mapping_at(doc, "workflow")
    source = mapping_at(doc, "source")
    all_ops = opinions_of(doc)
    heading = "发文稿纸" if outgoing else "收文处理笺"
    body_name = _text(doc.get("body_name"))
    story: list[Any] = [_p(f"{body_name}{heading}", st["title"]), Spacer(1, 4 * MM)]

    title = _text(doc.get("title")) or _text(spec.get("title"))
    doc_number = _text(doc.get("doc_number")) or _text(spec.get("doc_number"))
    urgency = _text(doc.get("urgency")) or _text(spec.get("urgency")) or "—"
    attachments = _names(doc.get("attachments")) or _names(
        [a if isinstance(a, str) else (a or {}).get("name", "") for a in spec.get("attachments") or []])

    # line above the table: number on the left, date on the right (as printed forms do)
    if outgoing:
        left = f"发文字号：{doc_number or '（登记时编号）'}"
        right = f"拟稿日期：{format_day(doc.get('created_at')) or '　　年　月　日'}"
    else:
        left = f"收文号：{_text(doc.get('receipt_number')) or '（登记时编号）'}"
        received = next((ev.get("at") for ev in wf.get("history", [])
                         if isinstance(ev, Mapping) and ev.get("step") == "receive"
                         and ev.get("op") == "approve"), None)
        right = f"收文日期：{format_day(received or doc.get('created_at')) or '　　年　月　日'}"
    head = Table([[_p(left, st["sub"]), _p(right, st["sub_r"])]],
                 colWidths=[FRAME_W / 2, FRAME_W / 2])
    head.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_reportlab_fonts()["fangsong"]),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    story.append(head)

    rows: list[list[Any]] = []
    spans: list[tuple[int, int, int, int]] = []
    centred: list[int] = []
    pairs: list[int] = []  # rows with two label/value couples
    group_end: list[int] = []  # rows that close a labelled group (ruled below)

    def full(label: str, value: Any, min_h: float = 0, *, last: bool = True) -> None:
        r = len(rows)
        if isinstance(value, Paragraph):
            centred.append(r)
        rows.append([_p(label, st["label"]) if label else "",
                     _at_least(value, VALUE_W * 2 + LABEL_W, min_h * MM), "", ""])
        spans.append((1, r, 3, r))
        if last:
            group_end.append(r)

    def pair(l1: str, v1: Any, l2: str, v2: Any, min_h: float = 0) -> None:
        r = len(rows)
        if isinstance(v1, Paragraph):
            centred.append(r)
        rows.append([_p(l1, st["label"]), _at_least(v1, VALUE_W, min_h * MM),
                     _p(l2, st["label"]), _at_least(v2, VALUE_W, min_h * MM)])
        pairs.append(r)
        group_end.append(r)

    def ops(keys: tuple[str, ...]) -> list[Mapping[str, Any]]:
        return [o for o in all_ops if _text(o.get("step")) in keys]

    def value(text: str) -> Paragraph:
        return _p(text or "—", st["value"])

    def group(label: str, found: list[Mapping[str, Any]], min_h: float) -> None:
        """One labelled block; each opinion is its own table row (rules between them
        hidden) so a long block breaks across pages between opinions."""
        batches: list[list[Any]] = []
        for o in found:
            batches.extend(_batches(_cell_opinions([o], st), VALUE_W * 2 + LABEL_W))
        if len(batches) <= 1:
            full(label, batches[0] if batches else [], min_h)
            return
        for i, batch in enumerate(batches):
            full(label if i == 0 else "", batch, 0, last=i == len(batches) - 1)

    def opinion_rows(defs: Sequence[tuple[str, tuple[str, ...], float]]) -> None:
        for label, keys, min_h in defs:
            found = ops(keys)
            if not found and not min_h:
                continue
            group(label, found, min_h)

    used_steps: set[str] = set()
    if outgoing:
        sign, counter = ops(("sign",)), ops(("countersign",))
        if len(sign) <= 2 and len(counter) <= 4:
            pair("签发", _cell_opinions(sign, st, True), "会签", _cell_opinions(counter, st, True),
                 OUTGOING_ROWS_TOP[0][2])
        else:  # many signers: full-width blocks that may break across pages
            group("签发", sign, OUTGOING_ROWS_TOP[0][2])
            group("会签", counter, 0)
        used_steps.update(("sign", "countersign"))
        opinion_rows(OUTGOING_ROWS)
        owner = mapping_at(wf, "owner")
        created_by = doc.get("created_by")
        drafter = created_by if isinstance(created_by, Mapping) else owner
        reviewers = "、".join(_text((o.get("person") or {}).get("name")) for o in ops(("review",)))
        pair("拟稿单位", value(body_name), "拟稿人", value(_text((drafter or {}).get("name"))))
        pair("核稿人", value(reviewers), "紧急程度", value(urgency))
        full("标　　题", _p(title or "—", st["title_value"]))
        full("主　　送", value(_names(doc.get("main_to")) or _text(spec.get("recipients"))))
        full("抄　　送", value(_names(doc.get("cc_to")) or _text(spec.get("cc"))))
        full("附　　件", value(attachments))
        seal = mapping_at(doc, "seal")
        seal_words = {"none": "不用印", "waiting": "待用印", "requested": "已申请用印",
                      "stamped": "已加盖电子印章"}.get(_text(seal.get("state")), "—")
        pair("印发日期", value(format_day(spec.get("print_date"))), "用　　印", value(seal_words))
        for key in ("review", "draft"):
            used_steps.add(key)
        opinion_rows(OUTGOING_ROWS_BOTTOM)
        used_steps.update(k for _, keys, _ in OUTGOING_ROWS_BOTTOM for k in keys)
        if doc.get("deliveries"):
            full("分　　发", value(_deliveries(doc)))
    else:
        pair("来文机关", value(_text(source.get("body_name")) or _text(spec.get("signature"))),
             "来文字号", value(doc_number or _text(source.get("doc_number"))))
        deadline = format_day(doc.get("deadline"))
        pair("紧急程度", value(urgency), "办理时限", value(deadline))
        full("标　　题", _p(title or "—", st["title_value"]))
        full("附　　件", value(attachments))
        opinion_rows(INCOMING_ROWS)
        used_steps.update(k for _, keys, _ in INCOMING_ROWS for k in keys)

    other = [o for o in all_ops if _text(o.get("step")) not in used_steps]
    if other:
        group("其他意见", other, 0)
    note = _archive_words(doc)
    full("备　　注", value(note) if note else "", 12)

    table = Table(rows, colWidths=[LABEL_W, VALUE_W, LABEL_W, VALUE_W], splitByRow=1, splitInRow=1)
    style: list[tuple[Any, ...]] = [
        ("BOX", (0, 0), (-1, -1), 1.4, RED),
        ("LINEAFTER", (0, 0), (0, -1), 0.6, RED),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (1, 0), (1, -1), "TOP"),
        ("VALIGN", (3, 0), (3, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), register_reportlab_fonts()["fangsong"]),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_BOTTOM),
    ]
    for c0, r0, c1, r1 in spans:
        style.append(("SPAN", (c0, r0), (c1, r1)))
    for r in group_end:
        style.append(("LINEBELOW", (0, r), (-1, r), 0.6, RED))
    for r in pairs:
        style.append(("LINEAFTER", (1, r), (2, r), 0.6, RED))
    # value cells of one-line particulars are centred vertically
    for r in centred:
        style.append(("VALIGN", (1, r), (3, r), "MIDDLE"))
    table.setStyle(TableStyle(style))
    story.append(table)
    return story


def render_form(doc: Mapping[str, Any], *, invariant: bool = True,
                footer: str | None = None) -> bytes:
    """The 办文单 of ``doc`` (a ``documents.document`` entity) as A4 PDF bytes.

    Fonts are embedded (TrueType subsets). ``invariant`` (default) gives the same bytes
    for the same input (no creation time in the file). ``footer`` is printed bottom-left
    (default: the document id). Raises ``document.classified_refused`` for a classified
    document and ``document.form_bad_ink`` for malformed handwriting. Any thread.
    """
    if not isinstance(doc, Mapping):
        raise ValidationFailed("document.form_bad_document", detail="应为对象 / must be an object")
    refuse_classified({k: v for k, v in doc.items() if k != "workflow"})
    fonts = register_reportlab_fonts()
    st = _styles()
    story = _build_story(doc, st)
    buf = io.BytesIO()
    outgoing = _text(doc.get("kind") or "outgoing") != "incoming"
    title = f"{'发文稿纸' if outgoing else '收文处理笺'}：{_text(doc.get('title'))}"
    template = SimpleDocTemplate(
        buf, pagesize=(PAGE_W, PAGE_H), leftMargin=MARGIN_L, rightMargin=MARGIN_R,
        topMargin=MARGIN_T, bottomMargin=MARGIN_B, title=title, author=_text(doc.get("body_name")),
        subject="办文单", creator="协同办公", invariant=int(invariant),
        initialFontName=fonts["fangsong"], initialFontSize=12, pageCompression=1,
    )
    footer_text = _text(doc.get("id")) if footer is None else footer

    class _Canvas(_NumberedCanvas):
        footer_left = footer_text

    try:
        template.build(story, canvasmaker=_Canvas)
    except LayoutError as exc:  # a single line or picture larger than a page
        raise ValidationFailed("document.form_bad_document", detail=str(exc)[:120]) from None
    return buf.getvalue()


__all__ = ["draw_ink", "format_day", "format_time", "normalise_ink", "opinions_of", "render_form"]
