"""Handwritten sign-off (手写签批): an ink pad widget and the stroke format.

Strokes are vector data (JSON), so the same signature is drawn on screen, into the
办文单 and into a PDF at any size, and is what :mod:`modules.seals.crypto.approval_sig` signs::

    {"format": "office-collab/ink/1", "width": 480, "height": 200,
     "strokes": [[[x, y, pressure, t_ms], ...], ...]}

``x``/``y`` are pad pixels (origin top-left), ``pressure`` 0..1 (0.5 for a mouse or a
finger without pressure), ``t_ms`` milliseconds since the stroke began.

:class:`InkPad` takes mouse, pen (pressure from ``QTabletEvent``) and touch input,
with undo and clear. :func:`paint_strokes` draws strokes with a QPainter;
:func:`draw_strokes_reportlab` onto a ReportLab canvas; :func:`strokes_pdf` makes a
one-page PDF. The widget lives on the GUI thread; the drawing functions are pure.
"""

from __future__ import annotations

import io
import itertools
import math
import time
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTabletEvent,
    QTouchEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from modules.common.errors import ValidationFailed
from modules.common.messages import register

register(
    {
        "seal.ink_invalid": {
            "zh_CN": "手写笔迹数据格式不正确：{detail}",
            "en": "The handwriting data is malformed: {detail}",
        },
    }
)

FORMAT = "office-collab/ink/1"
MAX_STROKES = 400
MAX_POINTS = 20_000
#: Pen width at pressure 0.5, as a fraction of the pad's height.
WIDTH_RATIO = 0.018
INK = (0.05, 0.05, 0.18)


def empty_strokes(width: float = 480, height: float = 200) -> dict[str, Any]:
    return {"format": FORMAT, "width": width, "height": height, "strokes": []}


def validate_strokes(data: Any) -> dict[str, Any]:
    """Check the shape and limits of stroke data; returns it. ``seal.ink_invalid``."""
    def bad(detail: str) -> ValidationFailed:
        return ValidationFailed("seal.ink_invalid", detail=detail)

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad("format")
    w, h = data.get("width"), data.get("height")
    if not all(isinstance(v, int | float) and 0 < v <= 10_000 for v in (w, h)):
        raise bad("width/height")
    strokes = data.get("strokes")
    if not isinstance(strokes, list) or len(strokes) > MAX_STROKES:
        raise bad("strokes")
    total = 0
    for stroke in strokes:
        if not isinstance(stroke, list) or not stroke:
            raise bad("stroke")
        for pt in stroke:
            if (not isinstance(pt, list) or len(pt) != 4
                    or not all(isinstance(v, int | float) and math.isfinite(v) for v in pt)):
                raise bad("point")
        total += len(stroke)
    if total > MAX_POINTS:
        raise bad("too many points")
    return data


def _pen_width(scale: float, height: float, pressure: float) -> float:
    return max(0.6, WIDTH_RATIO * height * scale * (0.45 + 1.1 * max(0.0, min(1.0, pressure))))


def _fit(data: dict[str, Any], rect: QRectF) -> tuple[float, float, float]:
    """Scale and offset drawing ``data`` into ``rect`` keeping its aspect ratio."""
    w, h = float(data["width"]), float(data["height"])
    scale = min(rect.width() / w, rect.height() / h)
    ox = rect.x() + (rect.width() - w * scale) / 2
    oy = rect.y() + (rect.height() - h * scale) / 2
    return scale, ox, oy


def paint_strokes(painter: QPainter, data: dict[str, Any], rect: QRectF,
                  color: QColor | None = None) -> None:
    """Draw strokes into ``rect`` (aspect kept), pen width following pressure."""
    scale, ox, oy = _fit(data, rect)
    height = float(data["height"])
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = color or QColor.fromRgbF(*INK)
    for stroke in data.get("strokes", []):
        if len(stroke) == 1:
            x, y, p, _ = stroke[0]
            r = _pen_width(scale, height, p) / 2
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ink)
            painter.drawEllipse(QPointF(ox + x * scale, oy + y * scale), r, r)
            continue
        for a, b in itertools.pairwise(stroke):
            pen = QPen(ink, _pen_width(scale, height, (a[2] + b[2]) / 2))
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawLine(QPointF(ox + a[0] * scale, oy + a[1] * scale),
                             QPointF(ox + b[0] * scale, oy + b[1] * scale))
    painter.restore()


def draw_strokes_reportlab(canvas: Any, data: dict[str, Any], x: float, y: float,
                           w: float, h: float, color: tuple[float, float, float] = INK) -> None:
    """Draw strokes on a ReportLab canvas into the box (x, y, w, h) in points (origin
    bottom-left, as ReportLab); aspect kept, centred."""
    validate_strokes(data)
    sw, sh = float(data["width"]), float(data["height"])
    scale = min(w / sw, h / sh)
    ox = x + (w - sw * scale) / 2
    top = y + h - (h - sh * scale) / 2
    canvas.saveState()
    canvas.setStrokeColorRGB(*color)
    canvas.setFillColorRGB(*color)
    canvas.setLineCap(1)
    canvas.setLineJoin(1)
    for stroke in data["strokes"]:
        if len(stroke) == 1:
            px, py, p, _ = stroke[0]
            canvas.circle(ox + px * scale, top - py * scale, _pen_width(scale, sh, p) / 2,
                          stroke=0, fill=1)
            continue
        for a, b in itertools.pairwise(stroke):
            canvas.setLineWidth(_pen_width(scale, sh, (a[2] + b[2]) / 2))
            canvas.line(ox + a[0] * scale, top - a[1] * scale, ox + b[0] * scale,
                        top - b[1] * scale)
    canvas.restoreState()


def strokes_pdf(data: dict[str, Any], width_mm: float = 60.0, height_mm: float = 25.0) -> bytes:
    """A one-page PDF of the signature, ``width_mm`` × ``height_mm``, transparent."""
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas

    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(width_mm * mm, height_mm * mm), pageCompression=1)
    c.setTitle("signature")
    draw_strokes_reportlab(c, data, 0, 0, width_mm * mm, height_mm * mm)
    c.showPage()
    c.save()
    return buf.getvalue()


class InkPad(QWidget):
    """A signing pad. Emits ``changed`` after each finished stroke, undo or clear.

    Input: mouse (pressure 0.5), pen/tablet (its pressure) and touch (first finger).
    A pen's events are taken as tablet events, so Qt does not also synthesise mouse
    strokes from them.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, hint: str | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 100)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAccessibleName(self.tr("Signature pad"))
        self.hint = hint if hint is not None else self.tr("Sign here by hand")
        self._strokes: list[list[list[float]]] = []
        self._current: list[list[float]] | None = None
        self._started = 0.0
        self._size = (480.0, 200.0)

    def sizeHint(self) -> QSize:
        return QSize(480, 200)

    # -- data --------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self._strokes

    def strokes(self) -> dict[str, Any]:
        """The strokes as JSON-ready data (see module docstring)."""
        w, h = self._size
        return {"format": FORMAT, "width": w, "height": h,
                "strokes": [[list(p) for p in s] for s in self._strokes]}

    def set_strokes(self, data: dict[str, Any]) -> None:
        validate_strokes(data)
        self._size = (float(data["width"]), float(data["height"]))
        self._strokes = [[list(map(float, p)) for p in s] for s in data["strokes"]]
        self._current = None
        self.update()
        self.changed.emit()

    def undo(self) -> None:
        if self._strokes:
            self._strokes.pop()
            self.update()
            self.changed.emit()

    def clear(self) -> None:
        if self._strokes or self._current:
            self._strokes.clear()
            self._current = None
            self.update()
            self.changed.emit()

    # -- input -------------------------------------------------------------------------
    def _begin(self, pos: QPointF, pressure: float) -> None:
        if not self._strokes:
            self._size = (float(max(1, self.width())), float(max(1, self.height())))
        self._started = time.monotonic()
        self._current = []
        self._strokes.append(self._current)
        self._add(pos, pressure)

    def _add(self, pos: QPointF, pressure: float) -> None:
        if self._current is None:
            return
        sx = self._size[0] / max(1, self.width())
        sy = self._size[1] / max(1, self.height())
        point = [round(pos.x() * sx, 1), round(pos.y() * sy, 1), round(pressure, 3),
                 round((time.monotonic() - self._started) * 1000)]
        if self._current and self._current[-1][:2] == point[:2]:
            return
        if sum(len(s) for s in self._strokes) >= MAX_POINTS:
            return
        self._current.append(point)
        self.update()

    def _end(self) -> None:
        if self._current is not None:
            self._current = None
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and len(self._strokes) < MAX_STROKES:
            self._begin(event.position(), 0.5)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._add(event.position(), 0.5)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._end()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        pressure = float(event.pressure()) if event.pressure() > 0 else 0.5
        if kind == QEvent.Type.TabletPress and len(self._strokes) < MAX_STROKES:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove and self._current is not None:
            self._add(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd):
            assert isinstance(event, QTouchEvent)
            points = event.points()
            if points:
                pt = points[0]
                pressure = float(pt.pressure()) if 0 < pt.pressure() < 1 else 0.5
                if kind == QEvent.Type.TouchBegin and len(self._strokes) < MAX_STROKES:
                    self._begin(pt.position(), pressure)
                elif kind == QEvent.Type.TouchUpdate:
                    self._add(pt.position(), pressure)
                else:
                    self._add(pt.position(), pressure)
                    self._end()
            event.accept()
            return True
        return super().event(event)

    # -- drawing -----------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(self.palette().mid().color(), 1))
        painter.setBrush(QColor("#fffdf7"))
        painter.drawRoundedRect(rect, 8, 8)
        base_y = rect.bottom() - rect.height() * 0.25
        painter.setPen(QPen(QColor("#d8d2c0"), 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(rect.left() + 16, base_y), QPointF(rect.right() - 16, base_y))
        if not self._strokes:
            painter.setPen(QColor("#9a9486"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self.hint)
        else:
            w, h = self._size
            target = QRectF(0, 0, self.width(), self.height())
            data = {"width": w, "height": h, "strokes": self._strokes}
            scale_x, scale_y = self.width() / w, self.height() / h
            if abs(scale_x - scale_y) < 1e-6:
                paint_strokes(painter, data, target)
            else:
                # the pad was resized since the first stroke: draw in its own space
                painter.save()
                painter.scale(scale_x, scale_y)
                paint_strokes(painter, data, QRectF(0, 0, w, h))
                painter.restore()
        painter.end()


class InkView(QWidget):
    """Shows stored strokes (read-only), e.g. a signed approval in a detail view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: dict[str, Any] | None = None
        self.setMinimumSize(160, 64)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(240, 96)

    def set_strokes(self, data: dict[str, Any] | None) -> None:
        """Show ``data`` (validated); None or malformed data shows nothing."""
        try:
            self._data = validate_strokes(data) if data is not None else None
        except ValidationFailed:
            self._data = None
        self.update()

    def has_strokes(self) -> bool:
        return bool(self._data and self._data.get("strokes"))

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self._data:
            return
        painter = QPainter(self)
        paint_strokes(painter, self._data, QRectF(self.rect()).adjusted(4, 4, -4, -4))
        painter.end()
