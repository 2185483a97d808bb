"""Dialogs for the steps that need more than an opinion: 登记 (registration), 用印申请
(seal request), 核发 (dispatch), 退回发文机关 (return to sender), 撤回分发 (recall),
归档 (archive) and the revision diff (修订对比).

GUI thread only. Dialogs never touch the disk, the network or the database: the page
gives them what it loaded in the background and submits what they return
(:meth:`args`) in the background too. Every dialog checks its input before closing and
shows the problem in words under the form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIntValidator, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import DomainError
from modules.documents.archive import default_retention, format_archive_no, validate_archive_no
from office_app.widgets import set_touch, text_label

RETENTIONS = ("永久", "30年", "10年")


class NumberField(QLineEdit):
    """A whole number typed in a plain field (styled like the other fields; the spin box
    arrows do not fit the touch style). ``value()`` is ``low`` when empty."""

    def __init__(self, low: int, high: int, value: int) -> None:
        super().__init__(str(value))
        self.low = low
        self.setValidator(QIntValidator(low, high, self))

    def value(self) -> int:
        try:
            return max(self.low, int(self.text()))
        except ValueError:
            return self.low

    def setValue(self, value: int) -> None:
        self.setText(str(value))


class StepDialog(QDialog):
    """Common frame: heading (document title), a form, an error line, OK / 取消."""

    def __init__(self, title: str, ok_text: str, doc: dict[str, Any], *, lang: str = "zh_CN",
                 compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModal(True)
        self.setWindowTitle(title)
        self.doc = doc
        self.lang = lang
        self.compact = compact
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(text_label(str(doc.get("title") or ""), "heading", wrap=True))
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if compact
                                   else QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.addLayout(self.form)
        self.error = text_label("", "error", wrap=True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.ok.setProperty("kind", "primary")
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel.setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        """Call at the end of a subclass's ``__init__`` (error line, buttons, sizes)."""
        self._layout.addWidget(self.error)
        self._layout.addWidget(self.buttons)
        if self.compact:
            fields = [w for w in self.findChildren(QWidget)
                      if isinstance(w, (QLineEdit, QComboBox, QCheckBox))]
            set_touch(True, self.ok, self.cancel, *fields)
        self.resize(360 if self.compact else 480, self.sizeHint().height())

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def check(self) -> str:
        """Problem with the input in words ("" = fine). Subclasses override."""
        return ""

    def args(self) -> dict[str, Any]:
        return {}

    def _accept(self) -> None:
        try:
            problem = self.check()
        except DomainError as exc:
            problem = exc.message(self.lang)
        if problem:
            self.show_error(problem)
            return
        self.accept()


def _bodies(items: Any) -> str:
    return "、".join(str(b.get("name") or b.get("id")) for b in items or []) or "—"


class RegisterDialog(StepDialog):
    """登记: shows the 发文字号 (收文号) the server will allocate and, for a sealed outgoing
    document, the seal for the 用印申请. ``info`` is ``DocumentService.register_info``."""

    def __init__(self, info: dict[str, Any], **kw: Any) -> None:
        doc = info["doc"]
        super().__init__("登记", "登记", doc, **kw)
        self.outgoing = doc.get("kind", "outgoing") == "outgoing"
        self.code = QLineEdit(str(info.get("agency_code") or ""))
        self.code.setObjectName("AgencyCode")
        self.code.setPlaceholderText("机关代字，如 粤政数")
        self.year = NumberField(2000, 2999, int(info.get("year") or dt.date.today().year))
        self.preview = text_label("", "muted", wrap=True)
        self.preview.setObjectName("NumberPreview")
        self.code.textChanged.connect(self._preview)
        self.year.textChanged.connect(self._preview)
        if doc.get("doc_number") and self.outgoing:
            self.form.addRow("发文字号", text_label(str(doc["doc_number"]), "heading"))
            self.form.addRow("", text_label("本件已编号，再次登记沿用原文号。", "muted", wrap=True))
            self.code.setEnabled(False)
            self.year.setEnabled(False)
        else:
            self.form.addRow("机关代字" if self.outgoing else "收文字头", self.code)
            self.form.addRow("年度", self.year)
            self.form.addRow("发文字号" if self.outgoing else "收文号", self.preview)
        if self.outgoing:
            self.form.addRow("主送", text_label(_bodies(doc.get("main_to")), wrap=True))
            self.form.addRow("抄送", text_label(_bodies(doc.get("cc_to")), wrap=True))
        else:
            src = doc.get("source") or {}
            self.form.addRow("来文机关", text_label(str(src.get("body_name") or "—"), wrap=True))
            self.form.addRow("来文字号", text_label(str(doc.get("doc_number") or "—")))
        self.seal = QComboBox()
        self.seal.setObjectName("SealChoice")
        self.sealed = bool(info.get("sealed"))
        if self.sealed:
            seals = info.get("seals") or []
            for s in seals:
                self.seal.addItem(str(s["name"]), str(s["id"]))
            self.seal.addItem("线下用印（由印章管理员确认）", "")
            self.form.addRow("用印", self.seal)
            if not seals:
                self.form.addRow("", text_label("本机关尚无可申请的电子印章。", "muted", wrap=True))
        self._preview()
        self.finish_layout()

    def _preview(self) -> None:
        code = self.code.text().strip() or ("收文" if not self.outgoing else "")
        self.preview.setText(f"{code}〔{self.year.value()}〕N号　（序号由系统统一编排）" if code else
                             "（请填写机关代字）")

    def check(self) -> str:
        if self.outgoing and self.code.isEnabled() and not self.code.text().strip():
            return "请填写机关代字。"
        if self.outgoing and not self.doc.get("main_to"):
            return "请先在稿件中选择主送机关。"
        return ""

    def args(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.code.isEnabled():
            out["agency_code"] = self.code.text().strip()
            out["year"] = self.year.value()
        if self.sealed and self.seal.currentData():
            out["seal_id"] = str(self.seal.currentData())
        return out


class SealRequestDialog(StepDialog):
    """用印申请: seal, reason, copies. ``seals`` = ``[{id, name}]``."""

    def __init__(self, doc: dict[str, Any], seals: list[dict[str, str]], **kw: Any) -> None:
        super().__init__("用印申请", "提交申请", doc, **kw)
        self.form.addRow("发文字号", text_label(str(doc.get("doc_number") or "—")))
        self.seal = QComboBox()
        self.seal.setObjectName("SealChoice")
        for s in seals:
            self.seal.addItem(str(s["name"]), str(s["id"]))
        self.form.addRow("印章", self.seal)
        self.reason = QLineEdit(f"{doc.get('doc_number') or ''} {doc.get('title') or ''}".strip())
        self.form.addRow("事由", self.reason)
        self.copies = NumberField(1, 1000, 1)
        self.form.addRow("份数", self.copies)
        if not seals:
            self.form.addRow("", text_label("本机关尚无您可申请的电子印章，请线下用印后由印章管理员确认。",
                                            "muted", wrap=True))
        self.finish_layout()

    def check(self) -> str:
        return "" if self.seal.currentData() else "请选择要使用的印章。"

    def args(self) -> dict[str, Any]:
        return {"seal_id": str(self.seal.currentData() or ""), "reason": self.reason.text().strip(),
                "copies": self.copies.value()}


class DispatchDialog(StepDialog):
    """核发: confirm where the copies go (主送/抄送), the number and the seal."""

    def __init__(self, doc: dict[str, Any], **kw: Any) -> None:
        super().__init__("核发", "确认核发", doc, **kw)
        self.form.addRow("发文字号", text_label(str(doc.get("doc_number") or "—"), "heading"))
        self.form.addRow("主送", text_label(_bodies(doc.get("main_to")), wrap=True))
        self.form.addRow("抄送", text_label(_bodies(doc.get("cc_to")), wrap=True))
        seal = doc.get("seal") or {}
        words = {"stamped": "已加盖电子印章", "requested": "用印申请待办", "waiting": "待用印"}
        self.form.addRow("用印", text_label(words.get(str(seal.get("state")), "无需用印"
                                            if not (doc.get("spec") or {}).get("sealed", True)
                                            else "线下用印已确认")))
        n = len(doc.get("main_to") or []) + len(doc.get("cc_to") or [])
        self.form.addRow("", text_label(f"核发后将向以上 {n} 个机关分发，各机关收发员签收。",
                                        "muted", wrap=True))
        self.finish_layout()

    def check(self) -> str:
        return "" if self.doc.get("main_to") else "请先选择主送机关。"


class ReasonDialog(StepDialog):
    """An action that needs only a reason (退回发文机关)."""

    def __init__(self, title: str, ok_text: str, doc: dict[str, Any], hint: str, **kw: Any) -> None:
        super().__init__(title, ok_text, doc, **kw)
        if hint:
            self.form.addRow(text_label(hint, "muted", wrap=True))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("Reason")
        self.reason.setPlaceholderText("理由（必填）")
        self.reason.setMaximumHeight(110)
        self.form.addRow("理由", self.reason)
        self.finish_layout()

    def check(self) -> str:
        return "" if self.reason.toPlainText().strip() else "请填写理由。"

    def args(self) -> dict[str, Any]:
        return {"reason": self.reason.toPlainText().strip()}


class RecallDialog(ReasonDialog):
    """撤回分发: which bodies (not yet signed for) and why."""

    def __init__(self, doc: dict[str, Any], bodies: tuple[tuple[str, str], ...], **kw: Any) -> None:
        self._bodies = bodies
        self.boxes: list[tuple[str, QCheckBox]] = []
        super().__init__("撤回分发", "撤回", doc,
                         "只能撤回尚未签收的机关；撤回后对方收文中不再显示。", **kw)

    def finish_layout(self) -> None:
        for bid, name in self._bodies:
            box = QCheckBox(name)
            box.setChecked(True)
            self.boxes.append((bid, box))
            self.form.addRow("", box)
        super().finish_layout()

    def check(self) -> str:
        if not any(b.isChecked() for _, b in self.boxes):
            return "请选择要撤回的机关。"
        return super().check()

    def args(self) -> dict[str, Any]:
        return {**super().args(), "body_ids": [bid for bid, b in self.boxes if b.isChecked()]}


class ArchiveDialog(StepDialog):
    """归档: 保管期限 (default by 文种, ``default_retention``) and the 档号 composed from its
    parts (``format_archive_no``) or typed whole (checked with ``validate_archive_no``)."""

    def __init__(self, doc: dict[str, Any], **kw: Any) -> None:
        super().__init__("归档", "归档", doc, **kw)
        kind = str(doc.get("kind") or "outgoing")
        self.retention = QComboBox()
        self.retention.setObjectName("Retention")
        self.retention.addItems(list(RETENTIONS))
        self.retention.setCurrentText(default_retention(str(doc.get("doc_type") or ""), kind))
        self.form.addRow("保管期限", self.retention)
        self.fonds = QLineEdit()
        self.fonds.setObjectName("Fonds")
        self.fonds.setPlaceholderText("全宗号，如 Z001")
        self.category = QLineEdit("WS")
        made = str(doc.get("created_at") or "")[:4]
        self.year = NumberField(1000, 9999, int(made) if made.isdigit() else dt.date.today().year)
        self.org = QLineEdit()
        self.org.setPlaceholderText("机构代码（可不填）")
        self.item = NumberField(1, 9999, 1)
        self.number = QLineEdit()
        self.number.setObjectName("ArchiveNo")
        self.number.setPlaceholderText("档号（可不填，填写全宗号后自动生成）")
        for label, w in (("全宗号", self.fonds), ("门类代码", self.category), ("年度", self.year),
                         ("机构代码", self.org), ("件号", self.item), ("档号", self.number)):
            self.form.addRow(label, w)
        self.form.addRow("", text_label("档号格式：全宗号-门类代码·年度-保管期限代码-机构代码-件号",
                                        "muted", wrap=True))
        for w in (self.fonds, self.category, self.org):
            w.textChanged.connect(self._compose)
        for n in (self.year, self.item):
            n.textChanged.connect(self._compose)
        self.retention.currentTextChanged.connect(self._compose)
        self.finish_layout()

    def _compose(self, *_a: Any) -> None:
        if not self.fonds.text().strip():
            return
        try:
            text = format_archive_no(self.fonds.text(), self.category.text(), self.year.value(),
                                     self.retention.currentText(), self.org.text(), self.item.value())
        except DomainError as exc:
            self.show_error(exc.message(self.lang))
            return
        self.show_error("")
        self.number.setText(text)

    def check(self) -> str:
        text = self.number.text().strip()
        if text:
            validate_archive_no(text, self.retention.currentText())  # raises in words
        return ""

    def args(self) -> dict[str, Any]:
        return {"retention": self.retention.currentText(), "archive_no": self.number.text().strip()}


class DiffDialog(QDialog):
    """修订对比: two drafts (稿) side by side in one text, changed characters marked.

    ``load(from_no, to_no, on_done, on_error)`` fetches the diff in the background (the
    page supplies it); ``on_done`` gets the server's diff dict."""

    def __init__(self, doc: dict[str, Any], revisions: list[dict[str, Any]],
                 load: Callable[[int, int, Callable[[dict[str, Any]], None],
                                 Callable[[str], None]], None],
                 *, compact: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("修订对比")
        self.setObjectName("DiffDialog")
        self._load = load
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(str(doc.get("title") or ""), "heading", wrap=True))
        form = QFormLayout()
        self.old = QComboBox()
        self.new = QComboBox()
        for r in revisions:
            who = (r.get("by") or {}).get("name", "")
            label = f"第{r['no']}稿 {who}" + (f"（{r['note']}）" if r.get("note") else "")
            self.old.addItem(label, int(r["no"]))
            self.new.addItem(label, int(r["no"]))
        if len(revisions) >= 2:
            self.old.setCurrentIndex(len(revisions) - 2)
            self.new.setCurrentIndex(len(revisions) - 1)
        form.addRow("旧稿", self.old)
        form.addRow("新稿", self.new)
        layout.addLayout(form)
        self.stats = text_label("", "muted")
        layout.addWidget(self.stats)
        self.text = QTextEdit()
        self.text.setObjectName("DiffText")
        self.text.setReadOnly(True)
        layout.addWidget(self.text, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        if compact:
            set_touch(True, self.old, self.new, box.button(QDialogButtonBox.StandardButton.Close))
        self.old.currentIndexChanged.connect(self.refresh)
        self.new.currentIndexChanged.connect(self.refresh)
        self.resize(360 if compact else 720, 640 if compact else 560)
        self.refresh()

    def refresh(self, *_a: Any) -> None:
        a, b = self.old.currentData(), self.new.currentData()
        if a is None or b is None or self.old.count() < 2:
            self.stats.setText("只有一稿，无可对比的修订。")
            return
        self.stats.setText("正在比较…")
        self._load(int(a), int(b), self.show_diff, self.stats.setText)

    def show_diff(self, diff: dict[str, Any]) -> None:
        stats = diff.get("stats") or {}
        self.stats.setText(f"第{diff.get('from')}稿 → 第{diff.get('to')}稿：增加 {stats.get('inserted', 0)} 字，"
                           f"删除 {stats.get('deleted', 0)} 字")
        self.text.clear()
        cursor = self.text.textCursor()
        plain = QTextCharFormat()
        added = QTextCharFormat()
        added.setBackground(QColor("#d9f2dd"))
        added.setForeground(QColor("#1b5e20"))
        removed = QTextCharFormat()
        removed.setBackground(QColor("#fde0dc"))
        removed.setForeground(QColor("#b3261e"))
        removed.setFontStrikeOut(True)
        for line in diff.get("lines") or []:
            op = line.get("op")
            if op == "equal":
                cursor.insertText(str(line.get("new") or ""), plain)
            elif op == "insert":
                cursor.insertText(str(line.get("new") or ""), added)
            elif op == "delete":
                cursor.insertText(str(line.get("old") or ""), removed)
            else:
                for seg in line.get("segments") or []:
                    fmt = {"insert": added, "delete": removed}.get(seg.get("op"), plain)
                    cursor.insertText(str(seg.get("text") or ""), fmt)
            cursor.insertText("\n", plain)
        cursor.movePosition(QTextCursor.MoveOperation.Start)
        self.text.setTextCursor(cursor)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft)
