"""Small shared widgets: text roles, cards, empty states, placeholder page, and
:class:`AdaptiveSplit` (side-by-side panes when wide, list → detail stack at phone width).

All widgets here are GUI-thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from modules.common.china_time import china_today
from office_app import icons


def today_qdate() -> QDate:
    """Today's date in China (``modules.common.china_time``) as a QDate, for date edits."""
    today = china_today()
    return QDate(today.year, today.month, today.day)

#: Minimum height of anything tappable at phone width (Apple HIG / Material: 44–48 px).
TOUCH_TARGET = 44
#: Window width at which the layout switches from phone to wide.
WIDE_BREAKPOINT = 900


def set_role(widget: QWidget, role: str) -> QWidget:
    """Tag ``widget`` with a stylesheet role (see resources/styles/base.qss)."""
    widget.setProperty("role", role)
    return widget


def set_touch(touch: bool, *widgets: QWidget) -> None:
    """Give styled buttons, fields and combo boxes touch height (≥ 44 px) or not.

    Uses the ``touch`` stylesheet property: a stylesheet min-height overrides
    ``setMinimumHeight`` on styled widgets, so the size is declared in base.qss.
    """
    for widget in widgets:
        if widget.property("touch") != touch:
            widget.setProperty("touch", touch)
            repolish(widget)


def text_label(text: str = "", role: str | None = None, *, wrap: bool = False,
               selectable: bool = False) -> QLabel:
    """A QLabel with an optional stylesheet role."""
    label = QLabel(text)
    if role:
        set_role(label, role)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def error_label() -> QLabel:
    """A dialog's line for a refusal in words: hidden until it has text (``role="error"``,
    object name ``DialogError``)."""
    label = text_label("", "error", wrap=True)
    label.setObjectName("DialogError")
    label.hide()
    return label


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def card() -> QFrame:
    """A rounded surface frame (property ``card``)."""
    frame = QFrame()
    frame.setProperty("card", True)
    return frame


def icon_button(name: str, tooltip: str, size: int = 20) -> QToolButton:
    """A flat icon-only button with a tooltip and accessible name."""
    button = QToolButton()
    button.setProperty("kind", "icon")
    button.setIcon(icons.icon(name))
    button.setIconSize(QSize(size, size))
    button.setToolTip(tooltip)
    button.setAccessibleName(tooltip)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def primary_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("kind", "primary")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


class EmptyState(QWidget):
    """A centred icon + sentence shown when a list has nothing to show."""

    def __init__(self, icon_name: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        pic = QLabel()
        pic.setPixmap(icons.pixmap(icon_name, 48, _muted(), self.devicePixelRatioF()))
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(pic)
        self.label = text_label(text, "muted", wrap=True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        layout.addStretch(2)

    def set_text(self, text: str) -> None:
        self.label.setText(text)


def _muted() -> str:
    from office_app import theme

    return theme.colors()["muted"]


class PlaceholderPage(QWidget):
    """Clearly marked page for a module that has not been plugged in yet."""

    def __init__(self, title: str, icon_name: str, parent: QWidget | None = None, *,
                 broken: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        heading = text_label(title, "title")
        heading.setObjectName("PageTitle")
        layout.addWidget(heading)
        layout.addStretch(1)
        pic = QLabel()
        pic.setPixmap(icons.pixmap(icon_name, 64, _muted(), self.devicePixelRatioF()))
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(pic)
        if broken:
            notice = self.tr("This module could not be loaded.")
            detail = self.tr("The error has been logged; please contact the administrator.")
        else:
            notice = self.tr("This module is under construction.")
            detail = self.tr("It will appear here once it is installed.")
        self.notice = text_label(notice, "placeholder", wrap=True)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.notice)
        sub = text_label(detail, "muted", wrap=True)
        sub.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(sub)
        layout.addStretch(2)


class AdaptiveSplit(QWidget):
    """Panes side by side (QSplitter) when wide; one pane at a time when compact.

    In compact mode ``show_pane(i)`` moves forward (list → detail) and ``go_back()``
    returns; ``navigation_changed`` fires whenever ``can_go_back()`` may have changed.
    """

    navigation_changed = Signal()

    def __init__(self, panes: list[QWidget], stretch: list[int] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._panes = list(panes)
        self._stretch = stretch or [1] * len(panes)
        self._compact = False
        self._index = 0
        self._outer = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._outer)
        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.setHandleWidth(1)
        self._stack = QStackedWidget()
        self._outer.addWidget(self._splitter)
        self._outer.addWidget(self._stack)
        self._fill_splitter()

    def _fill_splitter(self) -> None:
        for i, pane in enumerate(self._panes):
            self._splitter.addWidget(pane)
            self._splitter.setStretchFactor(i, self._stretch[i])
            pane.show()
        self._outer.setCurrentWidget(self._splitter)

    def _fill_stack(self) -> None:
        for pane in self._panes:
            self._stack.addWidget(pane)
            pane.show()
        self._stack.setCurrentIndex(self._index)
        self._outer.setCurrentWidget(self._stack)

    @property
    def compact(self) -> bool:
        return self._compact

    def set_compact(self, compact: bool) -> None:
        """Switch between side-by-side and one-at-a-time."""
        if compact == self._compact:
            return
        self._compact = compact
        if compact:
            self._fill_stack()
        else:
            self._fill_splitter()
        self.navigation_changed.emit()

    def set_sizes(self, sizes: list[int]) -> None:
        """Initial pane widths when wide (pixels)."""
        self._splitter.setSizes(sizes)

    def current_pane(self) -> int:
        return self._index

    def show_pane(self, index: int) -> None:
        """Bring pane ``index`` forward (no visible effect when wide: all are shown)."""
        self._index = max(0, min(index, len(self._panes) - 1))
        if self._compact:
            self._stack.setCurrentIndex(self._index)
        self.navigation_changed.emit()

    def can_go_back(self) -> bool:
        return self._compact and self._index > 0

    def go_back(self) -> None:
        if self.can_go_back():
            self.show_pane(self._index - 1)


def scaled_font(font: QFont, factor: float, *, bold: bool = False) -> QFont:
    """``font`` scaled by ``factor`` whether it is sized in points or pixels."""
    result = QFont(font)
    if font.pixelSize() > 0:
        result.setPixelSize(max(9, round(font.pixelSize() * factor)))
    elif font.pointSizeF() > 0:
        result.setPointSizeF(max(7.0, font.pointSizeF() * factor))
    if bold:
        result.setWeight(QFont.Weight.DemiBold)
    return result


def expanding(widget: QWidget) -> QWidget:
    widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return widget


def hbox(*widgets: QWidget, spacing: int = 8, margins: tuple[int, int, int, int] = (0, 0, 0, 0)
         ) -> QHBoxLayout:
    layout = QHBoxLayout()
    layout.setSpacing(spacing)
    layout.setContentsMargins(*margins)
    for w in widgets:
        layout.addWidget(w)
    return layout


def scrolled_body(owner: QWidget, name: str) -> QWidget:
    """Fill ``owner`` with a frameless scroll area; returns the widget inside it (object
    name ``name``, resized with the area) for the caller to lay out."""
    scroll = QScrollArea(owner)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    body = QWidget()
    body.setObjectName(name)
    scroll.setWidget(body)
    outer = QVBoxLayout(owner)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return body


class FlowLayout(QLayout):
    """Lays its items out left to right and wraps onto further rows when the width runs
    out (a row of buttons that must fit a phone). ``align_right`` packs each row to the
    right edge, as dialog buttons are. GUI thread."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 8,
                 align_right: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._right = align_right
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        width = height = 0
        for item in self._visible():
            hint = item.sizeHint()
            width += hint.width() + (self._spacing if width else 0)
            height = max(height, hint.height())
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        out = []
        for item in self._items:
            widget = item.widget()
            if widget is None or not widget.isHidden():
                out.append(item)
        return out

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        rows: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        used = 0
        for item in self._visible():
            hint = item.sizeHint()
            extra = hint.width() + (self._spacing if rows[-1] else 0)
            if rows[-1] and used + extra > area.width():
                rows.append([])
                used, extra = 0, hint.width()
            rows[-1].append((item, hint))
            used += extra
        y = area.y()
        for row in rows:
            if not row:
                continue
            row_width = sum(h.width() for _, h in row) + self._spacing * (len(row) - 1)
            x = area.x() + (max(0, area.width() - row_width) if self._right else 0)
            tallest = max(h.height() for _, h in row)
            for item, hint in row:
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), hint))
                x += hint.width() + self._spacing
            y += tallest + self._spacing
        return max(0, y - self._spacing - area.y()) + m.top() + m.bottom()
