"""Table cards (桌签) as a PDF: one A4 landscape sheet per person, folded along the middle
into a tent. The name is printed large on both halves, the upper one upside down, so the
folded card reads from the front and from behind.

Fonts are the documents module's (``modules.common.fonts.register_reportlab_fonts``): the
name in 黑体 (``heiti``), with any character that face lacks (rare name characters) taken
from the wide regular 宋体 (``songti_ext``) or the other faces. Two-character names get
a full-width space between the characters, as offices print them. Pure (no Qt); call it
in the background.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from modules.common.fonts import register_reportlab_fonts

PAGE = landscape(A4)
FALLBACK = ("songti_ext", "songti", "kaiti", "fangsong")
_lock = threading.Lock()
_cmaps: dict[str, set[int]] = {}


def _fonts() -> dict[str, str]:
    fonts = register_reportlab_fonts()
    with _lock:
        for name in fonts.values():
            if name not in _cmaps:
                font = pdfmetrics.getFont(name)
                _cmaps[name] = set(font.face.charToGlyph) if isinstance(font, TTFont) else set()
    return fonts


def shown(name: str) -> str:
    """The name as printed: stripped, two characters spread by a full-width space."""
    text = " ".join(name.split())
    return f"{text[0]}\u3000{text[1]}" if len(text) == 2 and all(ord(c) > 0x2E80 for c in text) \
        else text


def _runs(text: str, fonts: dict[str, str], role: str) -> list[tuple[str, str]]:
    """(font, text) runs: the role's face, another face for characters it lacks."""
    main = fonts[role]
    out: list[tuple[str, str]] = []
    for ch in text:
        font = main
        if ord(ch) not in _cmaps[main] and not ch.isspace():
            font = next((fonts[r] for r in FALLBACK if ord(ch) in _cmaps[fonts[r]]), main)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def _size(runs: list[tuple[str, str]], width: float, height: float) -> float:
    """The font size that fits the name in ``width`` × ``height`` (at most 200 pt)."""
    at_one = sum(pdfmetrics.stringWidth(t, f, 1.0) for f, t in runs) or 1.0
    return min(200.0, width / at_one, height)


def _draw(canvas: Canvas, runs: list[tuple[str, str]], size: float, cx: float, baseline: float
          ) -> None:
    total = sum(pdfmetrics.stringWidth(t, f, size) for f, t in runs)
    x = cx - total / 2
    for font, text in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, baseline, text)
        x += pdfmetrics.stringWidth(text, font, size)


def render_table_cards(names: Sequence[str], *, role: str = "heiti", fold_line: bool = True,
                       title: str = "桌签") -> bytes:
    """The PDF of one folded card per name (empty names skipped), in the given order."""
    fonts = _fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, pageCompression=1)
    canvas.setTitle(title)
    width, height = PAGE
    half = height / 2
    box_w, box_h = width - 30 * mm, half - 30 * mm
    for raw in names:
        text = shown(raw)
        if not text:
            continue
        runs = _runs(text, fonts, role)
        size = _size(runs, box_w, box_h)
        # the baseline sits so the glyphs (about 0.88 em above it) centre in the half
        baseline = (half - size * 0.76) / 2
        _draw(canvas, runs, size, width / 2, baseline)  # front half, upright
        canvas.saveState()
        canvas.translate(width, height)  # the back half, turned 180°
        canvas.rotate(180)
        _draw(canvas, runs, size, width / 2, baseline)
        canvas.restoreState()
        if fold_line:
            canvas.saveState()
            canvas.setStrokeGray(0.75)
            canvas.setLineWidth(0.4)
            canvas.setDash(3, 3)
            canvas.line(8 * mm, half, width - 8 * mm, half)
            canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
