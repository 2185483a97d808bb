"""Seal pictures (印章图像) drawn as vector graphics.

Official seals (公章、部门章、合同章) follow the look of Chinese administrative seals: a red
ring, a five-pointed star in the centre, the owning body's name along the upper arc
(left to right, each character upright towards the rim), and an optional line below the
star (e.g. 合同专用章). Diameters 42, 40 or 38 mm. Personal seals (个人名章) are squares
with the name in two columns read right to left (two-character names become ``X X 之印``,
three-character names get ``印``).

Output: :func:`seal_pdf` — a one-page PDF exactly the seal's size with a transparent
background (the stamp background for pyHanko, see :mod:`modules.seals.pdf.stamp`);
:func:`seal_png` — the same picture as PNG for the UI. Text uses the bundled TrueType
font ``resources/fonts/gbsn00lp.ttf`` (AR PL SungtiL GB), embedded as a subset.

Pure functions; thread-safe (ReportLab's font registry is filled once under a lock).
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from modules.common.errors import ValidationFailed
from modules.common.messages import register

register(
    {
        "seal.image_bad_diameter": {
            "zh_CN": "印章直径须为 38、40 或 42 毫米（收到 {diameter}）。",
            "en": "The seal diameter must be 38, 40 or 42 mm (got {diameter}).",
        },
        "seal.image_name_required": {
            "zh_CN": "印章图像需要单位名称或姓名。",
            "en": "A seal picture needs the body's or person's name.",
        },
        "seal.image_not_png": {
            "zh_CN": "上传的印章图像不是有效的 PNG 图片。",
            "en": "The uploaded seal picture is not a valid PNG image.",
        },
        "seal.image_bad_size": {
            "zh_CN": "印章图像尺寸须在 10 到 60 毫米之间。",
            "en": "The seal picture must be between 10 and 60 mm in size.",
        },
        "seal.image_name_too_long": {
            "zh_CN": "印章文字过长（最多 {limit} 个字）。",
            "en": "The seal text is too long (at most {limit} characters).",
        },
    }
)

FONT_NAME = "SealSung"
FONT_PATH = Path(__file__).resolve().parents[3] / "resources" / "fonts" / "gbsn00lp.ttf"

#: Seal red (印泥红), RGB 0..1.
SEAL_RED = (0.86, 0.07, 0.09)
OFFICIAL_DIAMETERS_MM = (42.0, 40.0, 38.0)
MAX_ARC_CHARS = 24

_font_lock = threading.Lock()


def _ensure_font() -> str:
    with _font_lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH)))
    return FONT_NAME


@dataclass(frozen=True)
class OfficialSealLook:
    """What an official (round) seal shows."""

    body_name: str
    text_below: str = ""
    diameter_mm: float = 42.0


@dataclass(frozen=True)
class PersonalSealLook:
    """What a personal (square) seal shows."""

    name: str
    side_mm: float = 18.0


@dataclass(frozen=True)
class PictureSealLook:
    """An uploaded seal picture (PNG, ideally with a transparent background) drawn at
    ``width_mm`` × ``height_mm`` — for seals whose look is given by the body rather
    than generated."""

    png: bytes
    width_mm: float = 42.0
    height_mm: float = 42.0


SealLook = OfficialSealLook | PersonalSealLook | PictureSealLook

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def size_mm(look: SealLook) -> tuple[float, float]:
    """Width and height of the picture in millimetres."""
    if isinstance(look, OfficialSealLook):
        return look.diameter_mm, look.diameter_mm
    if isinstance(look, PictureSealLook):
        return look.width_mm, look.height_mm
    return look.side_mm, look.side_mm


def _draw_picture(c: canvas.Canvas, look: PictureSealLook) -> None:
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(io.BytesIO(look.png)), 0, 0, look.width_mm * mm,
                look.height_mm * mm, mask="auto", preserveAspectRatio=True, anchor="c")


def draw_look(c: canvas.Canvas, look: SealLook) -> None:
    """Draw ``look`` with its lower-left corner at the canvas origin."""
    if isinstance(look, OfficialSealLook):
        _draw_official(c, look)
    elif isinstance(look, PictureSealLook):
        _draw_picture(c, look)
    else:
        _draw_personal(c, look)


def _star_path(c: canvas.Canvas, cx: float, cy: float, r_out: float) -> None:
    r_in = r_out * math.sin(math.radians(18)) / math.sin(math.radians(126))
    p = c.beginPath()
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(90 + 36 * i)
        x, y = cx + r * math.cos(a), cy + r * math.sin(a)
        if i == 0:
            p.moveTo(x, y)
        else:
            p.lineTo(x, y)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def _glyph(c: canvas.Canvas, text: str, size: float, x_scale: float = 1.0,
           weight: float = 0.0) -> None:
    """Draw ``text`` centred on the origin (horizontally centred, vertically mid-glyph)."""
    font = _ensure_font()
    width = pdfmetrics.stringWidth(text, font, size)
    t = c.beginText()
    t.setFont(font, size)
    if weight > 0:
        t.setTextRenderMode(2)  # fill + stroke: heavier strokes, like a pressed seal
        c.setLineWidth(weight)
    t.setHorizScale(x_scale * 100)
    t.setTextOrigin(-width * x_scale / 2, -size * 0.36)
    t.textOut(text)
    c.drawText(t)


def _draw_official(c: canvas.Canvas, look: OfficialSealLook) -> None:
    d = look.diameter_mm * mm
    k = look.diameter_mm / 42.0
    cx = cy = d / 2
    ring = 1.2 * mm * k
    r_outer = d / 2 - ring / 2 - 0.2 * mm
    c.setStrokeColorRGB(*SEAL_RED)
    c.setFillColorRGB(*SEAL_RED)
    c.setLineWidth(ring)
    c.circle(cx, cy, r_outer, stroke=1, fill=0)

    _star_path(c, cx, cy, 7.0 * mm * k)

    name = look.body_name.strip()
    n = len(name)
    if n:
        x_scale = 0.8
        span = min(260.0, max(120.0, 21.0 * n))
        step = span / (n - 1) if n > 1 else 0.0
        font_size = 7.0 * mm * k
        for _ in range(3):  # shrink until neighbouring characters do not touch
            r_text = r_outer - ring / 2 - 0.9 * mm * k - font_size * 0.5
            if n < 2:
                break
            arc = r_text * math.radians(step)
            font_size = min(font_size, arc / (x_scale * 1.08))
        r_text = r_outer - ring / 2 - 0.9 * mm * k - font_size * 0.5
        start = 90 + span / 2
        for i, ch in enumerate(name):
            angle = start - i * step
            a = math.radians(angle)
            c.saveState()
            c.translate(cx + r_text * math.cos(a), cy + r_text * math.sin(a))
            c.rotate(angle - 90)
            _glyph(c, ch, font_size, x_scale=x_scale, weight=0.35 * k)
            c.restoreState()

    below = look.text_below.strip()
    if below:
        size = min(4.6 * mm * k, (d * 0.55) / max(len(below), 1))
        c.saveState()
        c.translate(cx, cy - 12.0 * mm * k)
        _glyph(c, below, size, x_scale=0.9, weight=0.2 * k)
        c.restoreState()


def personal_seal_chars(name: str) -> str:
    """The four (or more) characters a square personal seal shows."""
    name = name.strip()
    if len(name) == 2:
        return name + "之印"
    if len(name) == 3:
        return name + "印"
    return name


def _draw_personal(c: canvas.Canvas, look: PersonalSealLook) -> None:
    s = look.side_mm * mm
    k = look.side_mm / 18.0
    border = 1.1 * mm * k
    c.setStrokeColorRGB(*SEAL_RED)
    c.setFillColorRGB(*SEAL_RED)
    c.setLineWidth(border)
    inset = border / 2 + 0.2 * mm
    c.roundRect(inset, inset, s - 2 * inset, s - 2 * inset, radius=0.8 * mm * k,
                stroke=1, fill=0)
    chars = personal_seal_chars(look.name)
    inner = s - 2 * (border + 0.9 * mm * k)
    origin = border + 0.9 * mm * k
    if len(chars) == 1:
        c.saveState()
        c.translate(s / 2, s / 2)
        _glyph(c, chars, inner * 0.8, weight=0.3 * k)
        c.restoreState()
        return
    rows = 2
    cols = math.ceil(len(chars) / rows)
    cell_w, cell_h = inner / cols, inner / rows
    for i, ch in enumerate(chars):
        col = cols - 1 - i // rows  # columns read right to left
        row = i % rows  # top to bottom
        x = origin + cell_w * (col + 0.5)
        y = origin + inner - cell_h * (row + 0.5)
        c.saveState()
        c.translate(x, y)
        size = min(cell_h * 0.98, cell_w / 0.9 * 0.98)
        _glyph(c, ch, size, x_scale=min(1.0, cell_w / cell_h * 0.98), weight=0.35 * k)
        c.restoreState()


def validate_look(look: SealLook) -> None:
    """Raise ``ValidationFailed`` for a picture that cannot be drawn right."""
    if isinstance(look, PictureSealLook):
        if not look.png.startswith(PNG_MAGIC):
            raise ValidationFailed("seal.image_not_png")
        if not (10 <= look.width_mm <= 60 and 10 <= look.height_mm <= 60):
            raise ValidationFailed("seal.image_bad_size")
        try:
            from PIL import Image

            with Image.open(io.BytesIO(look.png)) as img:
                img.verify()
        except Exception as exc:
            raise ValidationFailed("seal.image_not_png") from exc
        return
    if isinstance(look, OfficialSealLook):
        if look.diameter_mm not in OFFICIAL_DIAMETERS_MM:
            raise ValidationFailed("seal.image_bad_diameter", diameter=look.diameter_mm)
        if not look.body_name.strip():
            raise ValidationFailed("seal.image_name_required")
        if len(look.body_name.strip()) > MAX_ARC_CHARS:
            raise ValidationFailed("seal.image_name_too_long", limit=MAX_ARC_CHARS)
    else:
        if not look.name.strip():
            raise ValidationFailed("seal.image_name_required")
        if len(look.name.strip()) > 6:
            raise ValidationFailed("seal.image_name_too_long", limit=6)


def seal_pdf(look: SealLook) -> bytes:
    """A one-page PDF, page size = the seal (mm → pt), transparent background."""
    validate_look(look)
    w, h = size_mm(look)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w * mm, h * mm), pageCompression=1)
    c.setTitle("seal")
    draw_look(c, look)
    c.showPage()
    c.save()
    return buf.getvalue()


def seal_png(look: SealLook, *, dpi: int = 300) -> bytes:
    """The seal as PNG (RGBA, transparent background) at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(seal_pdf(look))
    try:
        page = doc[0]
        bitmap = page.render(scale=dpi / 72.0, fill_color=(255, 255, 255, 0))
        image = bitmap.to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        doc.close()


# --------------------------------------------------------------------------- composite


QR_SIZE_MM = 16.0
QR_GAP_MM = 3.0
QR_CAPTION = "扫码验证"


@dataclass(frozen=True)
class Appearance:
    """A stamp picture: PDF page bytes, its size in points, where the seal sits in it."""

    pdf: bytes
    width: float
    height: float
    seal_x: float  # lower-left corner of the seal inside the picture, points
    seal_y: float
    seal_w: float
    seal_h: float


def _draw_qr(c: canvas.Canvas, x: float, y: float, size: float, data: str,
             caption: str) -> None:
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(border=0, error_correction=ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    cap_h = 3.0 * mm
    cell = size / n
    top = y + cap_h + size
    c.setFillColorRGB(1, 1, 1)
    c.rect(x - 0.8 * mm, y + cap_h - 0.8 * mm, size + 1.6 * mm, size + 1.6 * mm,
           stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x + col * cell, top - (r + 1) * cell, cell * 1.01, cell * 1.01,
                       stroke=0, fill=1)
    if caption:
        font = _ensure_font()
        c.setFont(font, 2.3 * mm)
        c.drawCentredString(x + size / 2, y + 0.5 * mm, caption)


def stamp_appearance(look: SealLook, *, qr_data: str | None = None,
                     qr_caption: str = QR_CAPTION, qr_left: bool = False) -> Appearance:
    """The seal alone, or the seal with a verification QR code beside it (top-aligned).

    ``qr_left`` puts the code on the seal's left (when the right side has no room).
    """
    validate_look(look)
    sw, sh = (v * mm for v in size_mm(look))
    if not qr_data:
        return Appearance(seal_pdf(look), sw, sh, 0.0, 0.0, sw, sh)
    qs, gap, cap_h = QR_SIZE_MM * mm, QR_GAP_MM * mm, 3.0 * mm
    width = sw + gap + qs + 1.0 * mm
    height = max(sh, qs + cap_h + 1.0 * mm)
    seal_x = width - sw if qr_left else 0.0
    qr_x = 0.8 * mm if qr_left else sw + gap
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), pageCompression=1)
    c.setTitle("seal")
    # top-aligned with the seal: the 署名/date lines sit below the seal's centre, so the
    # code beside the upper half never covers them
    _draw_qr(c, qr_x, height - qs - cap_h, qs - 1.6 * mm, qr_data, qr_caption)
    c.saveState()
    c.translate(seal_x, 0)
    draw_look(c, look)
    c.restoreState()
    c.showPage()
    c.save()
    return Appearance(buf.getvalue(), width, height, seal_x, 0.0, sw, sh)
