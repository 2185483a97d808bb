"""Drafting editor (拟稿): the heading hierarchy without markup, type, urgency, 主送/抄送,
attachments. GUI thread only; saving and attachment copies run in the background.

Heading levels (GB/T 9704: 一、 /（一）/ 1. /（1）) are set per paragraph with the toolbar
or Ctrl+0 … Ctrl+4 (Tab / Shift+Tab move a heading one level down / up). The numbers are
not typed: :class:`HeadingEdit` draws them in its left margin and numbers each level
automatically (restarting below a higher heading); :meth:`HeadingEdit.paragraphs` returns
the text with its number for the spec (the renderer reads the levels from it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QShortcut,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import ClassifiedRefused
from modules.documents import rules
from office_app.widgets import error_label

#: Qt's translation call; every string of the documents screens has the context
#: "Documents" (catalog: resources/translations/office_zh_CN.ts).
translate = QCoreApplication.translate


def level_names() -> tuple[str, ...]:
    """Names of the paragraph levels (body text, headings 1–4) in the interface language."""
    return (translate("Documents", "Body text"), translate("Documents", "Heading 1"), translate("Documents", "Heading 2"), translate("Documents", "Heading 3"), translate("Documents", "Heading 4"))


_CN_DIGITS = "零一二三四五六七八九"
_NUMBER_PREFIX = re.compile(r"^\s*(?:[一二三四五六七八九十百零〇]+、|[（(][一二三四五六七八九十百零〇]+[）)]"
                            r"|\d+[.．](?!\d)|[（(]\d+[）)])\s*")


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (headings rarely pass 99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def number_for(level: int, n: int) -> str:
    """The GB/T 9704 number of the ``n``-th heading of ``level``."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    return ""


def strip_number(text: str) -> str:
    """Text without a typed heading number."""
    return _NUMBER_PREFIX.sub("", text, count=1)


class HeadingEdit(QTextEdit):
    """Plain-text body editor with per-paragraph levels and automatic numbering."""

    level_changed = Signal(int)
    GUTTER = 56

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)
        self.setObjectName("HeadingEdit")
        self._gutter_numbers: tuple[list[str], int] = ([], 0)
        self._gutter = _Gutter(self)
        self.setViewportMargins(self.GUTTER, 0, 0, 0)
        self.setPlaceholderText(translate("Documents", "Type the text here. Set heading levels with the buttons "
                                  "above or Ctrl+1…4; numbering is automatic."))
        self.cursorPositionChanged.connect(lambda: self.level_changed.emit(self.current_level()))
        self.document().contentsChanged.connect(self.viewport().update)
        for key, level in (("Ctrl+0", 0), ("Ctrl+1", 1), ("Ctrl+2", 2), ("Ctrl+3", 3), ("Ctrl+4", 4)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda level=level: self.set_level(level))

    # -- levels ---------------------------------------------------------------------
    @staticmethod
    def _level_of(block: Any) -> int:
        state = block.userState()
        return state if 0 <= state <= 4 else 0

    def current_level(self) -> int:
        return self._level_of(self.textCursor().block())

    def set_level(self, level: int) -> None:
        """Set the level of every paragraph in the selection (0 = body text)."""
        level = max(0, min(4, int(level)))
        cursor = self.textCursor()
        doc = self.document()
        start = doc.findBlock(cursor.selectionStart())
        end = doc.findBlock(cursor.selectionEnd())
        block = start
        while block.isValid():
            block.setUserState(level)
            c = QTextCursor(block)
            fmt = QTextBlockFormat(block.blockFormat())
            fmt.setTextIndent(0 if level else 32)
            c.setBlockFormat(fmt)
            ch = QTextCharFormat()
            ch.setFontWeight(QFont.Weight.Bold if level == 1 else QFont.Weight.Normal)
            c.select(QTextCursor.SelectionType.BlockUnderCursor)
            c.mergeCharFormat(ch)
            if block == end:
                break
            block = block.next()
        self.viewport().update()
        self.level_changed.emit(level)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        level = self.current_level()
        if event.key() == Qt.Key.Key_Tab and level:
            self.set_level(min(4, level + 1))
            return
        if event.key() == Qt.Key.Key_Backtab and level:
            self.set_level(max(1, level - 1))
            return
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # A new paragraph after a heading is body text.
            block = self.textCursor().block()
            block.setUserState(0)
            c = QTextCursor(block)
            fmt = QTextBlockFormat(block.blockFormat())
            fmt.setTextIndent(32)
            c.setBlockFormat(fmt)
            ch = QTextCharFormat()
            ch.setFontWeight(QFont.Weight.Normal)
            self.setCurrentCharFormat(ch)
            self.viewport().update()

    # -- content --------------------------------------------------------------------
    def numbers(self) -> list[str]:
        """The automatic number of every block ("" for body text)."""
        counters = [0, 0, 0, 0, 0]
        out = []
        block = self.document().begin()
        while block.isValid():
            level = self._level_of(block)
            if level and block.text().strip():
                counters[level] += 1
                for deeper in range(level + 1, 5):
                    counters[deeper] = 0
                out.append(number_for(level, counters[level]))
            else:
                out.append("")
            block = block.next()
        return out

    def paragraphs(self) -> list[dict[str, Any]]:
        """``[{"text", "level"}]`` with the numbers written in (what the spec stores)."""
        out = []
        block = self.document().begin()
        for number in self.numbers():
            text = block.text().strip()
            if text:
                out.append({"text": number + strip_number(text), "level": self._level_of(block)})
            block = block.next()
        return out

    def set_paragraphs(self, paragraphs: list[Any]) -> None:
        """Load a spec body (strings or ``{"text", "level"}``); typed numbers are removed."""
        parsed = rules.parse_paragraphs(paragraphs or [])
        self.clear()
        cursor = QTextCursor(self.document())
        for i, p in enumerate(parsed):
            if i:
                cursor.insertBlock()
            cursor.insertText(strip_number(p.text) if p.level else p.text)
        block = self.document().begin()
        for p in parsed:
            self.setTextCursor(QTextCursor(block))
            self.set_level(p.level)
            block = block.next()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    # -- painting -------------------------------------------------------------------
    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        fw = self.frameWidth()
        self._gutter.setGeometry(fw, fw, self.GUTTER, self.viewport().height())
        self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        self._gutter_numbers = (self.numbers(), self.verticalScrollBar().value())
        self._gutter.update()

    def gutter_items(self) -> list[tuple[float, float, str, int]]:
        """(top, height, number, level) of the visible numbered blocks, viewport coords."""
        numbers, offset = self._gutter_numbers
        layout = self.document().documentLayout()
        out = []
        block = self.document().begin()
        i = 0
        while block.isValid():
            number = numbers[i] if i < len(numbers) else ""
            if number:
                rect = layout.blockBoundingRect(block)
                first = block.layout().lineAt(0) if block.layout().lineCount() else None
                h = first.height() if first is not None else rect.height()
                out.append((rect.top() - offset, h, number, self._level_of(block)))
            i += 1
            block = block.next()
        return out


class _Gutter(QWidget):
    """Left margin of :class:`HeadingEdit` where the automatic numbers are drawn."""

    def __init__(self, editor: HeadingEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        font = QFont(self.editor.font())
        for top, height, number, level in self.editor.gutter_items():
            font.setBold(level == 1)
            painter.setFont(font)
            painter.setPen(self.palette().color(self.palette().ColorRole.Highlight))
            rect = QRectF(0, top, self.width() - 8, height)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), number)
        painter.end()

    def sizeHint(self) -> QSize:
        return QSize(HeadingEdit.GUTTER, 100)


class Chips(QWidget):
    """A row of removable name chips plus an add button (主送/抄送 bodies)."""

    changed = Signal()

    def __init__(self, add_text: str, on_add: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[dict[str, str]] = []
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._add = QPushButton(add_text)
        self._add.setProperty("kind", "link")
        self._add.clicked.connect(on_add)
        self._layout.addWidget(self._add)
        self._layout.addStretch(1)

    def items(self) -> list[dict[str, str]]:
        return list(self._items)

    def set_items(self, items: list[dict[str, str]]) -> None:
        self._items = [dict(i) for i in items]
        self._rebuild()

    def add(self, item: dict[str, str]) -> None:
        if any(i["id"] == item["id"] for i in self._items):
            return
        self._items.append(dict(item))
        self._rebuild()

    def _rebuild(self) -> None:
        while self._layout.count() > 2:
            gone = self._layout.takeAt(0)
            w = gone.widget() if gone is not None else None
            if w is not None:
                w.deleteLater()
        for item in reversed(self._items):
            chip = QToolButton()
            chip.setText(f"{item['name']}  ×")
            chip.setProperty("chip", True)
            chip.setToolTip(translate("Documents", "Remove"))
            chip.clicked.connect(lambda _c=False, bid=item["id"]: self._remove(bid))
            self._layout.insertWidget(0, chip)
        self.changed.emit()

    def _remove(self, body_id: str) -> None:
        self._items = [i for i in self._items if i["id"] != body_id]
        self._rebuild()


class DraftEditor(QWidget):
    """The 拟稿 form. ``save_requested(payload, submit)``: the page saves it (background).

    ``payload``: ``{document_id|None, spec, main_to: [id], cc_to: [id], attachments,
    base_revision}``. ``pick_bodies(callback)`` is provided by the page (directory search).
    """

    save_requested = Signal(object, bool)
    attach_requested = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.document_id: str | None = None
        self.base_revision: int | None = None
        self.pick_bodies: Callable[[Callable[[dict[str, str]], None]], None] | None = None
        self._attachments: list[dict[str, Any]] = []

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        inner = QWidget()
        inner.setObjectName("Page")
        scroll.setWidget(inner)
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)

        self.heading = QLabel(translate("Documents", "New draft"))
        self.heading.setProperty("role", "title")
        layout.addWidget(self.heading)
        self.error = error_label()
        layout.addWidget(self.error)

        form = QFormLayout()
        self.form = form
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.doc_type = QComboBox()
        self.doc_type.addItems(list(rules.DOC_TYPES))
        self.doc_type.setCurrentText("通知")
        self.urgency = QComboBox()
        self.urgency.addItems([translate("Documents", "None"), *rules.URGENCIES])  # item 0: no urgency
        form.addRow(translate("Documents", "Document type"), self.doc_type)
        form.addRow(translate("Documents", "Urgency"), self.urgency)
        self.title = QLineEdit()
        self.title.setPlaceholderText(translate("Documents", "e.g. 关于……的通知"))
        form.addRow(translate("Documents", "Title"), self.title)
        self.issuer = QLineEdit()
        self.issuer.setPlaceholderText(translate("Documents", "e.g. ××市人民政府办公室文件"))
        form.addRow(translate("Documents", "Issuer mark"), self.issuer)
        self.main_to = Chips(translate("Documents", "＋ Choose main recipients"), lambda: self._pick(self.main_to))
        form.addRow(translate("Documents", "Main recipients"), self.main_to)
        self.cc_to = Chips(translate("Documents", "＋ Choose copy recipients"), lambda: self._pick(self.cc_to))
        form.addRow(translate("Documents", "Copied to"), self.cc_to)
        self.signature = QLineEdit()
        self.signature.setPlaceholderText(translate("Documents", "Issuing body signature"))
        form.addRow(translate("Documents", "Signature"), self.signature)
        layout.addLayout(form)

        bar = QHBoxLayout()
        bar.setSpacing(4)
        self._margins = layout
        self.level_buttons: list[QToolButton] = []
        for level, name in enumerate(level_names()):
            b = QToolButton()
            b.setText(name if level == 0 else f"{name} {number_for(level, 1)}")
            b.setCheckable(True)
            b.setToolTip(translate("Documents", "{name} (Ctrl+{n})").format(name=name, n=level))
            b.setProperty("kind", "segment")
            b.clicked.connect(lambda _c=False, lv=level: self.body.set_level(lv))
            bar.addWidget(b)
            self.level_buttons.append(b)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.body: HeadingEdit = HeadingEdit()
        self.body.setMinimumHeight(260)
        self.body.level_changed.connect(self._level_shown)
        layout.addWidget(self.body, 1)
        self._level_shown(0)

        att_row = QHBoxLayout()
        att_row.addWidget(QLabel(translate("Documents", "Attachments")))
        att_row.addStretch(1)
        self.add_attachment = QPushButton(translate("Documents", "＋ Add attachment"))
        self.add_attachment.setProperty("kind", "link")
        self.add_attachment.clicked.connect(self._choose_file)
        att_row.addWidget(self.add_attachment)
        layout.addLayout(att_row)
        self.attachments = QListWidget()
        self.attachments.setMaximumHeight(96)
        layout.addWidget(self.attachments)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(translate("Documents", "Cancel"))
        self.cancel_button.clicked.connect(self.cancelled)
        self.save_button = QPushButton(translate("Documents", "Save draft"))
        self.save_button.clicked.connect(lambda: self._save(False))
        self.submit_button = QPushButton(translate("Documents", "Submit for review"))
        self.submit_button.setProperty("kind", "primary")
        self.submit_button.clicked.connect(lambda: self._save(True))
        for button in (self.cancel_button, self.save_button, self.submit_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def set_compact(self, compact: bool) -> None:
        """Phone width: labels above fields, short level buttons, touch-sized targets."""
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if compact
                                   else QFormLayout.RowWrapPolicy.DontWrapRows)
        names = level_names()
        for level, b in enumerate(self.level_buttons):
            name = names[level]
            b.setText((name if level == 0 else number_for(level, 1)) if compact
                      else (name if level == 0 else f"{name} {number_for(level, 1)}"))
            b.setMinimumHeight(40 if compact else 0)
            b.setMinimumWidth(48 if compact else 0)
        for w in (self.doc_type, self.urgency, self.title, self.issuer, self.signature,
                  self.cancel_button, self.save_button, self.submit_button):
            w.setMinimumHeight(44 if compact else 0)
        self._margins.setContentsMargins(*((12, 10, 12, 10) if compact else (20, 16, 20, 16)))

    # -- filling --------------------------------------------------------------------
    def new_draft(self, body_name: str = "") -> None:
        self.document_id = None
        self.base_revision = None
        self.heading.setText(translate("Documents", "New draft"))
        self.doc_type.setCurrentText("通知")
        self.urgency.setCurrentIndex(0)
        self.title.clear()
        self.issuer.setText(f"{body_name}文件" if body_name else "")
        self.signature.setText(body_name)
        self.main_to.set_items([])
        self.cc_to.set_items([])
        self.body.clear()
        self._attachments = []
        self._show_attachments()
        self.show_error("")

    def load(self, doc: dict[str, Any]) -> None:
        spec = doc.get("spec") or {}
        self.document_id = doc["id"]
        self.base_revision = doc.get("revision")
        self.heading.setText(translate("Documents", "Edit draft (revision {n})").format(n=doc.get("revision") or 1))
        self.doc_type.setCurrentText(spec.get("doc_type") or doc.get("doc_type") or "通知")
        if spec.get("urgency"):
            self.urgency.setCurrentText(spec["urgency"])
        else:
            self.urgency.setCurrentIndex(0)
        self.title.setText(spec.get("title") or doc.get("title") or "")
        self.issuer.setText(spec.get("issuer_mark") or "")
        self.signature.setText(spec.get("signature") or "")
        self.main_to.set_items(doc.get("main_to") or [])
        self.cc_to.set_items(doc.get("cc_to") or [])
        self.body.set_paragraphs(spec.get("body") or [])
        self._attachments = [dict(a) for a in doc.get("attachments") or []]
        self._show_attachments()
        self.show_error("")

    def spec(self) -> dict[str, Any]:
        urgency = self.urgency.currentText() if self.urgency.currentIndex() > 0 else ""
        spec: dict[str, Any] = {
            "doc_type": self.doc_type.currentText(),
            "title": self.title.text().strip(),
            "issuer_mark": self.issuer.text().strip(),
            "urgency": urgency,
            "body": self.body.paragraphs(),
            "signature": self.signature.text().strip(),
            "attachments": [a["name"] for a in self._attachments],
        }
        if self.main_to.items():
            spec["recipients"] = "、".join(i["name"] for i in self.main_to.items())
        if self.cc_to.items():
            spec["cc"] = "、".join(i["name"] for i in self.cc_to.items())
        return spec

    def payload(self) -> dict[str, Any]:
        return {
            "document_id": self.document_id, "spec": self.spec(),
            "main_to": [i["id"] for i in self.main_to.items()],
            "cc_to": [i["id"] for i in self.cc_to.items()],
            "attachments": list(self._attachments), "base_revision": self.base_revision,
        }

    def add_attachment_entry(self, entry: dict[str, Any]) -> None:
        self._attachments.append(entry)
        self._show_attachments()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- internals ------------------------------------------------------------------
    def _show_attachments(self) -> None:
        self.attachments.clear()
        for i, a in enumerate(self._attachments, 1):
            size = int(a.get("size") or 0)
            item = QListWidgetItem(f"{i}. {a['name']}" + (f"（{size // 1024} KB）" if size else ""))
            self.attachments.addItem(item)
        self.attachments.setVisible(bool(self._attachments))

    def _level_shown(self, level: int) -> None:
        for i, b in enumerate(self.level_buttons):
            b.setChecked(i == level)

    def _pick(self, chips: Chips) -> None:
        if self.pick_bodies is not None:
            self.pick_bodies(chips.add)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("Documents", "Add attachment"), "", translate("Documents", "PDF files (*.pdf);;All files (*)"))
        if path:
            self.attach_requested.emit(path)

    def _save(self, submit: bool) -> None:
        payload = self.payload()
        try:
            rules.refuse_classified(payload["spec"])
        except ClassifiedRefused as exc:
            self.show_error(exc.message("zh_CN"))
            return
        self.show_error("")
        self.save_requested.emit(payload, submit)
