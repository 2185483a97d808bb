"""Dialogs for the steps that need more than an opinion: 登记 (registration), 用印申请
(seal request), 核发 (dispatch), 退回发文机关 (return to sender), 撤回分发 (recall),
归档 (archive) and the revision diff (修订对比).

GUI thread only. Dialogs never touch the disk, the network or the database: the page
gives them what it loaded in the background and submits what they return
(:meth:`args`) in the background too. Every dialog checks its input before closing and
shows the problem in words under the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
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

from modules.common.china_time import china_today
from modules.common.errors import DomainError
from modules.documents.archive.numbers import (
    default_retention,
    format_archive_no,
    validate_archive_no,
)
from office_app.widgets import set_touch, text_label

#: Qt's translation call; every string of the documents screens has the context
#: "Documents" (catalog: resources/translations/office_zh_CN.ts).
translate = QCoreApplication.translate

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
        self.cancel.setText(translate("Documents", "Cancel"))
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
        super().__init__(translate("Documents", "Register"), translate("Documents", "Register"), doc, **kw)
        self.outgoing = doc.get("kind", "outgoing") == "outgoing"
        self.code = QLineEdit(str(info.get("agency_code") or ""))
        self.code.setObjectName("AgencyCode")
        self.code.setPlaceholderText(translate("Documents", "Agency code, e.g. 粤政数"))
        self.year = NumberField(2000, 2999, int(info.get("year") or china_today().year))
        self.preview = text_label("", "muted", wrap=True)
        self.preview.setObjectName("NumberPreview")
        self.code.textChanged.connect(self._preview)
        self.year.textChanged.connect(self._preview)
        if doc.get("doc_number") and self.outgoing:
            self.form.addRow(translate("Documents", "Document number"), text_label(str(doc["doc_number"]), "heading"))
            self.form.addRow("", text_label(
                translate("Documents", "Already numbered; registering again keeps the number."), "muted", wrap=True))
            self.code.setEnabled(False)
            self.year.setEnabled(False)
        else:
            self.form.addRow(translate("Documents", "Agency code") if self.outgoing else translate("Documents", "Receipt prefix"), self.code)
            self.form.addRow(translate("Documents", "Year"), self.year)
            self.form.addRow(translate("Documents", "Document number") if self.outgoing else translate("Documents", "Receipt number"),
                             self.preview)
        if self.outgoing:
            self.form.addRow(translate("Documents", "Main recipients"), text_label(_bodies(doc.get("main_to")), wrap=True))
            self.form.addRow(translate("Documents", "Copied to"), text_label(_bodies(doc.get("cc_to")), wrap=True))
        else:
            src = doc.get("source") or {}
            self.form.addRow(translate("Documents", "Sending body"),
                             text_label(str(src.get("body_name") or "—"), wrap=True))
            self.form.addRow(translate("Documents", "Sender's number"), text_label(str(doc.get("doc_number") or "—")))
            # 办理时限 "N个工作日内" (empty: none); the server computes the date on its calendar
            self.limit_days = NumberField(0, 365, 0)
            self.limit_days.setText("")
            self.limit_days.setObjectName("LimitDays")
            self.limit_days.setPlaceholderText(translate("Documents", "Working days, e.g. 5 (optional)"))
            self.form.addRow(translate("Documents", "Handling time limit"), self.limit_days)
        self.seal = QComboBox()
        self.seal.setObjectName("SealChoice")
        self.sealed = bool(info.get("sealed"))
        if self.sealed:
            seals = info.get("seals") or []
            for s in seals:
                self.seal.addItem(str(s["name"]), str(s["id"]))
            self.seal.addItem(translate("Documents", "Seal on paper (confirmed by the seal custodian)"), "")
            self.form.addRow(translate("Documents", "Seal"), self.seal)
            if not seals:
                self.form.addRow("", text_label(translate("Documents", "This body has no electronic seal to request."),
                                                "muted", wrap=True))
        self._preview()
        self.finish_layout()

    def _preview(self) -> None:
        code = self.code.text().strip() or ("收文" if not self.outgoing else "")
        self.preview.setText(
            translate("Documents", "{code}〔{year}〕N号 (N is assigned by the system)").format(
                code=code, year=self.year.value()) if code
            else translate("Documents", "(enter the agency code)"))

    def check(self) -> str:
        if self.outgoing and self.code.isEnabled() and not self.code.text().strip():
            return translate("Documents", "Please enter the agency code.")
        if self.outgoing and not self.doc.get("main_to"):
            return translate("Documents", "Please choose the main recipients in the draft first.")
        return ""

    def args(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.code.isEnabled():
            out["agency_code"] = self.code.text().strip()
            out["year"] = self.year.value()
        if self.sealed and self.seal.currentData():
            out["seal_id"] = str(self.seal.currentData())
        if not self.outgoing and self.limit_days.value() > 0:
            out["deadline_days"] = self.limit_days.value()
        return out


class SealRequestDialog(StepDialog):
    """用印申请: seal, reason, copies. ``seals`` = ``[{id, name}]``."""

    def __init__(self, doc: dict[str, Any], seals: list[dict[str, str]], **kw: Any) -> None:
        super().__init__(translate("Documents", "Request a seal"), translate("Documents", "Submit request"), doc, **kw)
        self.form.addRow(translate("Documents", "Document number"), text_label(str(doc.get("doc_number") or "—")))
        self.seal = QComboBox()
        self.seal.setObjectName("SealChoice")
        for s in seals:
            self.seal.addItem(str(s["name"]), str(s["id"]))
        self.form.addRow(translate("Documents", "Seal to use"), self.seal)
        self.reason = QLineEdit(f"{doc.get('doc_number') or ''} {doc.get('title') or ''}".strip())
        self.form.addRow(translate("Documents", "Purpose"), self.reason)
        self.copies = NumberField(1, 1000, 1)
        self.form.addRow(translate("Documents", "Copies"), self.copies)
        if not seals:
            self.form.addRow("", text_label(
                translate("Documents", "This body has no electronic seal you may request; seal on paper and the seal "
                  "custodian confirms it."), "muted", wrap=True))
        self.finish_layout()

    def check(self) -> str:
        return "" if self.seal.currentData() else translate("Documents", "Please choose the seal to use.")

    def args(self) -> dict[str, Any]:
        return {"seal_id": str(self.seal.currentData() or ""), "reason": self.reason.text().strip(),
                "copies": self.copies.value()}


class DispatchDialog(StepDialog):
    """核发: confirm where the copies go (主送/抄送), the number and the seal."""

    def __init__(self, doc: dict[str, Any], **kw: Any) -> None:
        super().__init__(translate("Documents", "Dispatch"), translate("Documents", "Confirm dispatch"), doc, **kw)
        self.form.addRow(translate("Documents", "Document number"),
                         text_label(str(doc.get("doc_number") or "—"), "heading"))
        self.form.addRow(translate("Documents", "Main recipients"), text_label(_bodies(doc.get("main_to")), wrap=True))
        self.form.addRow(translate("Documents", "Copied to"), text_label(_bodies(doc.get("cc_to")), wrap=True))
        seal = doc.get("seal") or {}
        words = {"stamped": translate("Documents", "Electronic seal applied"), "requested": translate("Documents", "Seal request pending"),
                 "waiting": translate("Documents", "Waiting for the seal")}
        self.form.addRow(translate("Documents", "Seal"), text_label(words.get(
            str(seal.get("state")), translate("Documents", "No seal needed")
            if not (doc.get("spec") or {}).get("sealed", True)
            else translate("Documents", "Seal on paper confirmed"))))
        n = len(doc.get("main_to") or []) + len(doc.get("cc_to") or [])
        self.form.addRow("", text_label(
            translate("Documents", "Dispatch sends it to the {n} bodies above; each body's clerk signs for it.").format(
                n=n), "muted", wrap=True))
        self.finish_layout()

    def check(self) -> str:
        return "" if self.doc.get("main_to") else translate("Documents", "Please choose the main recipients first.")


class ReasonDialog(StepDialog):
    """An action that needs only a reason (退回发文机关)."""

    def __init__(self, title: str, ok_text: str, doc: dict[str, Any], hint: str, **kw: Any) -> None:
        super().__init__(title, ok_text, doc, **kw)
        if hint:
            self.form.addRow(text_label(hint, "muted", wrap=True))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("Reason")
        self.reason.setPlaceholderText(translate("Documents", "Reason (required)"))
        self.reason.setMaximumHeight(110)
        self.form.addRow(translate("Documents", "Reason"), self.reason)
        self.finish_layout()

    def check(self) -> str:
        return "" if self.reason.toPlainText().strip() else translate("Documents", "Please give a reason.")

    def args(self) -> dict[str, Any]:
        return {"reason": self.reason.toPlainText().strip()}


class RecallDialog(ReasonDialog):
    """撤回分发: which bodies (not yet signed for) and why."""

    def __init__(self, doc: dict[str, Any], bodies: tuple[tuple[str, str], ...], **kw: Any) -> None:
        self._bodies = bodies
        self.boxes: list[tuple[str, QCheckBox]] = []
        super().__init__(translate("Documents", "Recall distribution"), translate("Documents", "Recall"), doc,
                         translate("Documents", "Only bodies that have not signed for it can be recalled; it then no "
                           "longer shows in their incoming documents."), **kw)

    def finish_layout(self) -> None:
        for bid, name in self._bodies:
            box = QCheckBox(name)
            box.setChecked(True)
            self.boxes.append((bid, box))
            self.form.addRow("", box)
        super().finish_layout()

    def check(self) -> str:
        if not any(b.isChecked() for _, b in self.boxes):
            return translate("Documents", "Please choose the bodies to recall from.")
        return super().check()

    def args(self) -> dict[str, Any]:
        return {**super().args(), "body_ids": [bid for bid, b in self.boxes if b.isChecked()]}


class ArchiveDialog(StepDialog):
    """归档: 保管期限 (default by 文种, ``default_retention``) and the 档号 composed from its
    parts (``format_archive_no``) or typed whole (checked with ``validate_archive_no``)."""

    def __init__(self, doc: dict[str, Any], **kw: Any) -> None:
        super().__init__(translate("Documents", "Archive"), translate("Documents", "Archive"), doc, **kw)
        kind = str(doc.get("kind") or "outgoing")
        self.retention = QComboBox()
        self.retention.setObjectName("Retention")
        self.retention.addItems(list(RETENTIONS))
        self.retention.setCurrentText(default_retention(str(doc.get("doc_type") or ""), kind))
        self.form.addRow(translate("Documents", "Retention period"), self.retention)
        self.fonds = QLineEdit()
        self.fonds.setObjectName("Fonds")
        self.fonds.setPlaceholderText(translate("Documents", "Fonds number, e.g. Z001"))
        self.category = QLineEdit("WS")
        made = str(doc.get("created_at") or "")[:4]
        self.year = NumberField(1000, 9999, int(made) if made.isdigit() else china_today().year)
        self.org = QLineEdit()
        self.org.setPlaceholderText(translate("Documents", "Unit code (optional)"))
        self.item = NumberField(1, 9999, 1)
        self.number = QLineEdit()
        self.number.setObjectName("ArchiveNo")
        self.number.setPlaceholderText(translate("Documents", "Archive number (optional; composed once the fonds "
                                          "number is filled in)"))
        for label, w in ((translate("Documents", "Fonds number"), self.fonds), (translate("Documents", "Category code"), self.category),
                         (translate("Documents", "Year"), self.year), (translate("Documents", "Unit code"), self.org),
                         (translate("Documents", "Item number"), self.item), (translate("Documents", "Archive number"), self.number)):
            self.form.addRow(label, w)
        self.form.addRow("", text_label(translate("Documents", "Archive number format: fonds-category·year-"
                                          "retention code-unit code-item"),
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
        self.setWindowTitle(translate("Documents", "Compare revisions"))
        self.setObjectName("DiffDialog")
        self._load = load
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(str(doc.get("title") or ""), "heading", wrap=True))
        form = QFormLayout()
        self.old = QComboBox()
        self.new = QComboBox()
        for r in revisions:
            who = (r.get("by") or {}).get("name", "")
            label = translate("Documents", "Revision {n} {who}").format(n=r["no"], who=who)
            if r.get("note"):
                label += translate("Documents", " ({note})").format(note=r["note"])
            self.old.addItem(label, int(r["no"]))
            self.new.addItem(label, int(r["no"]))
        if len(revisions) >= 2:
            self.old.setCurrentIndex(len(revisions) - 2)
            self.new.setCurrentIndex(len(revisions) - 1)
        form.addRow(translate("Documents", "Older"), self.old)
        form.addRow(translate("Documents", "Newer"), self.new)
        layout.addLayout(form)
        self.stats = text_label("", "muted")
        layout.addWidget(self.stats)
        self.text = QTextEdit()
        self.text.setObjectName("DiffText")
        self.text.setReadOnly(True)
        layout.addWidget(self.text, 1)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.button(QDialogButtonBox.StandardButton.Close).setText(translate("Documents", "Close"))
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
            self.stats.setText(translate("Documents", "Only one revision: nothing to compare."))
            return
        self.stats.setText(translate("Documents", "Comparing…"))
        self._load(int(a), int(b), self.show_diff, self.stats.setText)

    def show_diff(self, diff: dict[str, Any]) -> None:
        stats = diff.get("stats") or {}
        self.stats.setText(translate("Documents", "Revision {old} → revision {new}: {added} characters added, "
                             "{deleted} deleted").format(
            old=diff.get("from"), new=diff.get("to"), added=stats.get("inserted", 0),
            deleted=stats.get("deleted", 0)))
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
