"""The 公文 page: inbox tabs with counts, search with filters, list → detail / editor.

Wide: list and detail side by side; phone width (< 900 px): list, then detail with back
navigation (``AdaptiveSplit``). Every database, file and engine call runs through
its :class:`office_app.kit.PageWork`; the page refreshes itself from
``ChangeBus.changed`` (documents entity) and shows rejected intents about the open
document from ``ChangeBus.status_changed`` — in words, with the server's message.

Signals for tests: ``rows_loaded`` (after a tab/search result was applied),
``detail_shown(id)``, ``pdf_shown(id)``, ``action_done(message)``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from modules.common.china_time import china_today
from modules.common.errors import DomainError
from modules.documents import prefetch, rules
from modules.documents.service import ENTITY, TABS, DocumentService, new_document_id
from modules.documents.views import dialogs
from modules.documents.views.detail import DetailView, PersonPicker
from modules.documents.views.editor import DraftEditor
from modules.documents.views.models import InboxModel
from modules.supervision.from_document import InstructionDialog, bodies_of, may_turn_into_item
from office_app import i18n, tasks, theme
from office_app.bus import touches
from office_app.context import AppContext
from office_app.kit import DebouncedSearch, PageWork, error_text, list_view, page_title, search_box
from office_app.widgets import (
    TOUCH_TARGET,
    AdaptiveSplit,
    EmptyState,
    scaled_font,
    set_touch,
    text_label,
)

#: Qt's translation call; every string of the documents screens has the context
#: "Documents" (catalog: resources/translations/office_zh_CN.ts).
translate = QCoreApplication.translate


def status_filters() -> tuple[tuple[str, str], ...]:
    """(status key, label) of the status filter, labels in the interface language."""
    return (("", translate("Documents", "All statuses")), ("draft", translate("Documents", "Draft")), ("active", translate("Documents", "In progress")),
            ("done", translate("Documents", "Completed")), ("voided", translate("Documents", "Voided")))


def date_filters() -> tuple[tuple[str, str], ...]:
    """(days, label) of the date filter, labels in the interface language."""
    return (("", translate("Documents", "Any time")), ("7", translate("Documents", "Last 7 days")), ("30", translate("Documents", "Last 30 days")),
            ("365", translate("Documents", "Last year")))


def tab_labels() -> dict[str, str]:
    """Label of each inbox tab (``service.TABS`` keys) in the interface language."""
    return {"todo": translate("Documents", "To do"), "done": translate("Documents", "Done"), "mine": translate("Documents", "Started by me"),
            "circulate": translate("Documents", "Circulated"), "all": translate("Documents", "All")}


def page_style() -> str:
    """Local styles: underlined tabs, chips and level buttons (theme colours)."""
    c = theme.colors()
    return (
        f"QTabBar::tab {{ background: transparent; border: none; padding: 8px 12px;"
        f" color: {c['muted']}; border-bottom: 2px solid transparent; }}"
        f"QTabBar::tab:selected {{ color: {c['accent']}; border-bottom: 2px solid {c['accent']};"
        f" font-weight: 600; }}"
        f"QTabBar::tab:hover {{ color: {c['text']}; }}"
        f"QTabWidget::pane {{ border: none; border-top: 1px solid {c['border']}; }}"
        f"QToolButton[chip=\"true\"] {{ background: {c['accent_soft']}; color: {c['accent']};"
        f" border: none; border-radius: 10px; padding: 3px 10px; }}"
        f"QToolButton[kind=\"segment\"] {{ background: {c['surface']}; border: 1px solid {c['border']};"
        f" border-radius: 6px; padding: 4px 10px; color: {c['text']}; }}"
        f"QToolButton[kind=\"segment\"]:checked {{ background: {c['accent_soft']};"
        f" color: {c['accent']}; border-color: {c['accent']}; font-weight: 600; }}"
        f"QTextEdit#HeadingEdit {{ background: {c['surface']}; border: 1px solid {c['border']};"
        f" border-radius: 8px; padding: 6px; }}"
    )


def service_for(context: AppContext) -> DocumentService:
    """The document service over the context's cache, engine and blob store."""
    blobs = getattr(context.session, "blobs", None) or getattr(context.engine, "blobs", None)
    return DocumentService(context.cache, context.engine, context.principal, blobs=blobs,
                           lang=context.lang)


class InboxDelegate(QStyledItemDelegate):
    """Two-line row: [urgency] title / 文号 · 文种 · 拟稿人 · date, state on the right."""

    CHECK_W = 36

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.compact = False

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(200, max(TOUCH_TARGET + 16, fm.height() * 2 + 28))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        row = index.data(InboxModel.RowRole) or {}
        colors = theme.colors()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(4, 2, -4, -2)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hover = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected or hover:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors["accent_soft"] if selected else colors["hover"]))
            painter.drawRoundedRect(rect, 8, 8)
        x = rect.left() + 12
        check = index.data(Qt.ItemDataRole.CheckStateRole)
        if check is not None:
            box = QRect(x, rect.center().y() - 9, 18, 18)
            painter.setPen(QPen(QColor(colors["accent"] if check == Qt.CheckState.Checked
                                       else colors["muted"]), 1.5))
            painter.setBrush(QColor(colors["accent"]) if check == Qt.CheckState.Checked
                             else Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box, 4, 4)
            if check == Qt.CheckState.Checked:
                painter.setPen(QPen(QColor("#ffffff"), 2))
                x0, y0 = box.left(), box.top()
                painter.drawLine(x0 + 4, y0 + 9, x0 + 8, y0 + 13)
                painter.drawLine(x0 + 8, y0 + 13, x0 + 14, y0 + 5)
            x += self.CHECK_W - 6
        base = option.font
        title_font = scaled_font(base, 1.05, bold=True)
        small = scaled_font(base, 0.88)
        fm_title = QFontMetrics(title_font)
        fm_small = QFontMetrics(small)
        top = rect.top() + 10
        # state chip on the right
        state = str(row.get("step_name") or "")
        state_w = fm_small.horizontalAdvance(state) + 16 if state else 0
        right = rect.right() - 10
        if state:
            chip = QRect(right - state_w, top, state_w, fm_small.height() + 4)
            tone = {"draft": "muted", "done": "ok", "voided": "muted"}.get(str(row.get("status")), "accent")
            if state.startswith("待"):
                tone = "warn" if row.get("urgency") else "accent"
            painter.setPen(Qt.PenStyle.NoPen)
            c = QColor(colors[tone])
            c.setAlpha(28)
            painter.setBrush(c)
            painter.drawRoundedRect(chip, 6, 6)
            painter.setPen(QColor(colors[tone]))
            painter.setFont(small)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, state)
        # urgency badge + title
        tx = x
        if row.get("urgency"):
            badge_text = str(row["urgency"])
            bw = fm_small.horizontalAdvance(badge_text) + 10
            badge = QRect(tx, top + 1, bw, fm_small.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colors["danger"] if row["urgency"] == "特急" else colors["warn"]))
            painter.drawRoundedRect(badge, 4, 4)
            painter.setPen(QColor("#ffffff"))
            painter.setFont(small)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, badge_text)
            tx += bw + 6
        painter.setFont(title_font)
        painter.setPen(QColor(colors["text"]))
        avail = right - state_w - 8 - tx
        title = fm_title.elidedText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
                                    Qt.TextElideMode.ElideRight, max(20, avail))
        painter.drawText(QRect(tx, top, avail, fm_title.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
        # second line
        date = str(row.get("date") or "")
        parts = [row.get("doc_number") or "", row.get("doc_type") or "",
                 row.get("owner_name") or "", date]
        if row.get("pending_names") and str(row.get("status")) == "active":
            parts.insert(3, translate("Documents", "Waiting for {names}").format(names=row["pending_names"]))
        meta = " · ".join(str(p) for p in parts if p)
        painter.setFont(small)
        y2 = top + fm_title.height() + 6
        limit = str(row.get("limit_en" if i18n.current_lang() == "en" else "limit_zh") or "")
        limit_w = 0
        if limit:  # 办理时限, red when overdue (time_limit_index.with_limits)
            limit = fm_small.elidedText(limit, Qt.TextElideMode.ElideRight, (right - x) // 2)
            limit_w = fm_small.horizontalAdvance(limit) + 12
            painter.setPen(QColor(colors["danger" if row.get("limit_overdue") else "muted"]))
            painter.drawText(QRect(right - limit_w, y2, limit_w, fm_small.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), limit)
        painter.setPen(QColor(colors["muted"]))
        painter.drawText(QRect(x, y2, right - x - limit_w, fm_small.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fm_small.elidedText(meta, Qt.TextElideMode.ElideRight, right - x - limit_w))
        painter.restore()

    def editorEvent(self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: Any) -> bool:
        if (event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent)
                and index.data(Qt.ItemDataRole.CheckStateRole) is not None
                and event.position().x() < option.rect.left() + 4 + self.CHECK_W + 8):
            current = index.data(Qt.ItemDataRole.CheckStateRole)
            model.setData(index, Qt.CheckState.Unchecked if current == Qt.CheckState.Checked
                          else Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
            return True
        return super().editorEvent(event, model, option, index)


class DocumentsPage(QWidget):
    """The documents module page (registered as navigation key "documents")."""

    navigation_changed = Signal()
    rows_loaded = Signal()
    detail_shown = Signal(str)
    pdf_shown = Signal(str)
    action_done = Signal(str)

    def __init__(self, context: AppContext, service: DocumentService | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.context = context
        self.service = service or service_for(context)
        self._tab = "todo"
        self._doc_id = ""
        self.work = PageWork(self, lambda text: self.detail.show_notice(text))
        self._counts: dict[str, int] = {}
        self._compact = False
        self._submit_after = ""
        self.dialog: Any = None  # the step dialog last opened (tests, screenshots)

        # ---- list pane
        left = QWidget()
        left.setObjectName("Page")
        ll = QVBoxLayout(left)
        ll.setContentsMargins(16, 16, 8, 12)
        ll.setSpacing(8)
        self.head_widget = QWidget()
        head = QHBoxLayout(self.head_widget)
        head.setContentsMargins(0, 0, 0, 0)
        self.heading = page_title(translate("Documents", "Documents"))
        head.addWidget(self.heading)
        head.addStretch(1)
        self.new_button = QPushButton(translate("Documents", "＋ New draft"))
        self.new_button.setProperty("kind", "primary")
        self.new_button.clicked.connect(self.new_draft)
        self._head = head
        self.intake_button = QPushButton(translate("Documents", "Paper intake"))
        self.intake_button.setObjectName("IntakeButton")
        self.intake_button.setToolTip(translate("Documents", "Take in a paper or file document (收文录入)"))
        self.intake_button.clicked.connect(lambda: self.open_intake())
        self.intake_button.setVisible(bool(self.intake_organs()))
        self.setAcceptDrops(bool(self.intake_organs()))  # a scan dropped anywhere: 收文录入
        head.addWidget(self.intake_button)
        head.addWidget(self.new_button)
        ll.addWidget(self.head_widget)
        self._search_row = QHBoxLayout()
        self._search_row.setSpacing(8)
        self.search_box = search_box(
            translate("Documents", "Search titles, numbers, text, opinions, attachments"),
            translate("Documents", "Search documents"))
        self._search_row.addWidget(self.search_box, 1)
        ll.addLayout(self._search_row)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        self.type_filter = QComboBox()
        self.type_filter.addItem(translate("Documents", "All types"), "")
        for t in rules.DOC_TYPES:
            self.type_filter.addItem(t, t)
        self.status_filter = QComboBox()
        for key, label in status_filters():
            self.status_filter.addItem(label, key)
        self.date_filter = QComboBox()
        for key, label in date_filters():
            self.date_filter.addItem(label, key)
        for combo in (self.type_filter, self.status_filter, self.date_filter):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
            filters.addWidget(combo, 1)
        ll.addLayout(filters)
        self.tab_bar = QTabBar()
        self.tab_bar.setExpanding(False)
        self.tab_bar.setDrawBase(False)
        labels = tab_labels()
        for key, _label in TABS:
            i = self.tab_bar.addTab(labels.get(key, _label))
            self.tab_bar.setTabData(i, key)
        self.tab_bar.currentChanged.connect(self._tab_changed)
        ll.addWidget(self.tab_bar)
        self.result_label = text_label("", "small")
        self.result_label.hide()
        ll.addWidget(self.result_label)
        self.model = InboxModel(self)
        self.model.more_wanted.connect(self._load_more)
        self.model.checked_changed.connect(self._checked_changed)
        self.list = list_view(self.model, InboxDelegate, name="DocumentList",
                              on_pick=self._row_clicked, uniform=True, per_pixel=True)
        self.delegate = cast(InboxDelegate, self.list.itemDelegate())
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.list)
        self.empty = EmptyState("inbox", translate("Documents", "No documents here."))
        self.list_stack.addWidget(self.empty)
        ll.addWidget(self.list_stack, 1)
        batch = QHBoxLayout()
        self.batch_toggle = QPushButton(translate("Documents", "Batch approval"))
        self.batch_toggle.setCheckable(True)
        self.batch_toggle.toggled.connect(self._batch_mode)
        self.batch_button = QPushButton(translate("Documents", "Approve selected"))
        self.batch_button.setProperty("kind", "primary")
        self.batch_button.clicked.connect(self._batch_approve)
        self.batch_button.hide()
        batch.addWidget(self.batch_toggle)
        self._batch_row = batch
        batch.addStretch(1)
        batch.addWidget(self.batch_button)
        ll.addLayout(batch)

        # ---- detail pane
        self.detail = DetailView(self.search_people)
        self.detail.action_requested.connect(self.run_action)
        self.detail.command_requested.connect(self.run_command)
        self.detail.may_supervise = lambda doc: may_turn_into_item(self.context.principal, doc)
        self.detail.edit_requested.connect(self.edit_draft)
        self.detail.attachment_requested.connect(self.open_attachment)
        self.editor = DraftEditor()
        self.editor.pick_bodies = self.pick_body
        self.editor.save_requested.connect(self.save_draft)
        self.editor.attach_requested.connect(self.attach_file)
        self.editor.cancelled.connect(self._editor_cancelled)
        self.right = QStackedWidget()
        self.right.setObjectName("Page")
        self.nothing = EmptyState("documents", translate("Documents", "Choose a document on the left to see it."))
        self.right.addWidget(self.nothing)
        self.right.addWidget(self.detail)
        self.right.addWidget(self.editor)

        self.split = AdaptiveSplit([left, self.right], [4, 6])
        self.split.set_sizes([460, 820])
        self.split.navigation_changed.connect(self.navigation_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.split)

        self.searcher = DebouncedSearch(self.search_box, 200, on_return=False)
        self.searcher.query.connect(lambda _query: self.reload())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)
        self._refresh_timer.timeout.connect(self._refresh_all)
        self._pdf_waiting = ""  # SHA-256 of the open document's PDF while it downloads
        self.setStyleSheet(page_style())
        context.bus.changed.connect(self._on_changes)
        context.bus.status_changed.connect(self._on_status)
        context.bus.blob_ready.connect(self._blob_ready)
        self.reload()
        self._index_attachments()

    # -- navigation hooks -------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        self.split.set_compact(compact)
        self.detail.set_compact(compact)
        self.editor.set_compact(compact)
        self.delegate.compact = compact
        # A stylesheet min-height overrides setMinimumHeight: use the shared property.
        set_touch(compact, self.search_box, self.type_filter, self.status_filter,
                  self.date_filter, self.new_button, self.batch_toggle, self.batch_button,
                  self.intake_button)
        self.tab_bar.setExpanding(compact)
        # Phone width: the shell's top bar shows the title; 拟稿 sits beside the search.
        # 收文录入 sits beside 批量签批 at the foot (the search row has no room for it).
        if compact:
            self._search_row.addWidget(self.new_button)
            self._batch_row.insertWidget(1, self.intake_button)
        else:
            self._head.insertWidget(self._head.count() - 1, self.intake_button)
            self._head.addWidget(self.new_button)
        self.head_widget.setVisible(not compact)
        self.list.doItemsLayout()

    def can_go_back(self) -> bool:
        return self.split.can_go_back()

    def go_back(self) -> None:
        self.split.go_back()

    def open_ref(self, doc_id: str) -> None:
        self.show_document(doc_id)

    # -- helpers ----------------------------------------------------------------------
    def filters(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.type_filter.currentData():
            out["doc_type"] = self.type_filter.currentData()
        if self.status_filter.currentData():
            out["status"] = self.status_filter.currentData()
        days = self.date_filter.currentData()
        if days:
            out["date_from"] = (china_today() - dt.timedelta(days=int(days))).isoformat()
        return out

    # -- list ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Counts and the first page of the current tab (or the search), in background."""
        svc, tab, query, filters = self.service, self._tab, self.search_box.text().strip(), self.filters()
        if not hasattr(svc.cache, "read"):  # no local database (e.g. a bare shell context)
            self.list_stack.setCurrentWidget(self.empty)
            return

        def work() -> tuple[dict[str, int], list[dict[str, Any]], bool]:
            counts = svc.counts()
            if query:
                return counts, svc.search(query, filters=filters, limit=200), False
            return counts, svc.page(tab, filters=filters, limit=InboxModel.PAGE), True

        self.work.run(work, self._rows_loaded, latest="list")

    def _rows_loaded(self, result: tuple[dict[str, int], list[dict[str, Any]], bool]) -> None:
        counts, rows, paged = result
        self._counts = counts
        for i in range(self.tab_bar.count()):
            key = self.tab_bar.tabData(i)
            label = tab_labels().get(key) or dict(TABS)[key]
            n = counts.get(key, 0)
            self.tab_bar.setTabText(i, f"{label} {n}" if n and key != "all" else label)
        self.model.reset_rows(rows, self._tab, paged=paged)
        query = self.search_box.text().strip()
        found = translate("Documents", "{n} found").format(n=len(rows))
        if len(rows) >= 200:
            found += translate("Documents", " (only the first 200 shown)")
        self.result_label.setText(found if query else "")
        self.result_label.setVisible(bool(query))
        self.empty.set_text(translate("Documents", "No matching documents.") if query else translate("Documents", "No documents here."))
        self.list_stack.setCurrentWidget(self.list if rows else self.empty)
        if self._doc_id:
            row = self.model.row_of(self._doc_id)
            if row >= 0:
                self.list.setCurrentIndex(self.model.index(row, 0))
        self.rows_loaded.emit()

    def _load_more(self, tab: str, after: tuple[str, str]) -> None:
        svc, filters = self.service, self.filters()
        self.work.run(lambda: svc.page(tab, after=(after[0], after[1]), filters=filters,
                                          limit=InboxModel.PAGE),
                      lambda rows: self.model.append_rows(rows, tab))

    def _tab_changed(self, index: int) -> None:
        self._tab = str(self.tab_bar.tabData(index) or "todo")
        self.batch_toggle.setVisible(self._tab == "todo")
        if self._tab != "todo":
            self.batch_toggle.setChecked(False)
        self.reload()

    def select_tab(self, key: str) -> None:
        for i in range(self.tab_bar.count()):
            if self.tab_bar.tabData(i) == key:
                self.tab_bar.setCurrentIndex(i)

    def _row_clicked(self, index: QModelIndex) -> None:
        if self.model.checkable:
            return
        self.show_document(str(index.data(InboxModel.IdRole)))

    # -- detail -------------------------------------------------------------------------
    def show_document(self, doc_id: str) -> None:
        """Open ``doc_id`` (read receipt queued once); detail and PDF load in background."""
        changed = doc_id != self._doc_id
        self._doc_id = doc_id
        svc = self.service

        def work() -> dict[str, Any]:
            detail = svc.detail(doc_id)
            if changed and svc.engine is not None:
                with contextlib.suppress(DomainError):
                    svc.mark_opened(doc_id)
            detail["rejected"] = [i.message for i in svc.rejected_for(doc_id)]
            return detail

        self.work.run(work, self._detail_loaded, latest="detail")
        if changed:
            self._pdf_waiting = ""
            self.detail.reset_pdf(doc_id)
            cached = prefetch.cached_by_id(doc_id)
            if cached is not None:  # prepared ahead of time: the first page at once
                self.detail.show_first_page(cached)
            self._load_pdf()
        self.right.setCurrentWidget(self.detail)
        self.split.show_pane(1)

    def _detail_loaded(self, detail: dict[str, Any]) -> None:
        if detail["doc"].get("id") != self._doc_id:
            return
        self.detail.show_detail(detail)
        if self._submit_after == self._doc_id:  # 提交 from the editor: ask for the next people
            self._submit_after = ""
            self.detail.ask("approve")
        rejected = detail.get("rejected") or []
        self.detail.show_notice(
            translate("Documents", "Not applied: {reasons}").format(reasons="；".join(rejected)) if rejected else "")
        self.detail_shown.emit(self._doc_id)

    def _load_pdf(self) -> None:
        """The open document's PDF and first page (cached ones first) in the background;
        a PDF still downloading is loaded again when its blob arrives (``blob_ready``)."""
        doc_id, svc = self._doc_id, self.service

        def work() -> tuple[str, bytes | None, str, Any, str]:
            doc = svc.get(doc_id)
            if doc is None:
                return doc_id, None, "missing", None, ""
            data, state, first = prefetch.open_pdf(svc, doc)
            return doc_id, data, state, first, str(doc.get("pdf_sha256") or "")

        self.work.run(work, self._pdf_loaded, self._pdf_failed)

    def _pdf_loaded(self, result: tuple[str, bytes | None, str, Any, str]) -> None:
        doc_id, data, state, first, sha = result
        if doc_id != self._doc_id:
            return
        self._pdf_waiting = sha if data is None and state == "downloading" else ""
        self.detail.show_pdf(data, state, first)
        if data is not None:
            self.pdf_shown.emit(doc_id)

    def _blob_ready(self, sha: str) -> None:
        if sha and sha == self._pdf_waiting:
            self._pdf_waiting = ""
            self._load_pdf()

    def _pdf_failed(self, exc: BaseException) -> None:
        self.detail.show_pdf(None, "error")
        self.detail.show_notice(error_text(exc))

    # -- actions ------------------------------------------------------------------------
    def run_action(self, doc_id: str, op: str, args: dict[str, Any]) -> None:
        """Submit one workflow action (background); a refusal is shown in words at once."""
        svc = self.service
        self.work.run(lambda: svc.act(doc_id, op, **args),
                      lambda _mid: self.action_done.emit(""),
                      self._action_failed)

    def run_command(self, doc_id: str, cmd: str) -> None:
        """Open the dialog of a step command (登记, 用印申请, 核发, 退回发文机关, 撤回分发,
        归档, 修订对比, 导出办文单 PDF): what it needs is loaded in the background, the
        dialog opens on the GUI thread, and what it returns is submitted in the
        background. The dialog is kept in ``self.dialog`` (tests, screenshots)."""
        svc = self.service
        kw = {"lang": self.context.lang, "compact": self._compact, "parent": self}

        def submit(call: Callable[[], Any]) -> None:
            self.work.run(call, lambda _mid: self.action_done.emit(""), self._action_failed)

        def opened(dialog: Any, on_ok: Callable[[dict[str, Any]], None]) -> None:
            dialog.setObjectName(f"StepDialog_{cmd}")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.accepted.connect(lambda: on_ok(dialog.args()))
            self.dialog = dialog
            dialog.open()

        if cmd == "register":
            self.work.run(lambda: svc.register_info(doc_id), lambda info: opened(
                dialogs.RegisterDialog(info, **kw),
                lambda a: submit(lambda: svc.register(doc_id, **a))))
        elif cmd == "request_seal":
            def got(found: tuple[dict[str, Any], list[dict[str, str]]]) -> None:
                doc, seals = found
                opened(dialogs.SealRequestDialog(doc, seals, **kw),
                       lambda a: submit(lambda: svc.request_seal(doc_id, a["seal_id"], reason=a["reason"],
                                                                 copies=a["copies"])))
            self.work.run(lambda: (svc.get(doc_id) or {}, svc.seals_for(svc.get(doc_id) or {})), got)
        elif cmd in ("dispatch", "return_to_sender", "recall", "archive"):
            def got_doc(doc: dict[str, Any] | None) -> None:
                if doc is None:
                    return
                if cmd == "dispatch":
                    opened(dialogs.DispatchDialog(doc, **kw), lambda _a: submit(lambda: svc.dispatch(doc_id)))
                elif cmd == "return_to_sender":
                    opened(dialogs.ReasonDialog(
                        translate("Documents", "Return to the sending body"), translate("Documents", "Return"), doc,
                        translate("Documents", "Return a document that does not meet the requirements to its "
                          "sender; it is then completed here."), **kw),
                        lambda a: submit(lambda: svc.return_to_sender(doc_id, a["reason"])))
                elif cmd == "recall":
                    opened(dialogs.RecallDialog(doc, svc.allowed(doc).recall, **kw),
                           lambda a: submit(lambda: svc.recall(doc_id, a["reason"], a["body_ids"])))
                else:
                    opened(dialogs.ArchiveDialog(doc, **kw),
                           lambda a: submit(lambda: svc.archive(doc_id, a["retention"], a["archive_no"])))
            self.work.run(lambda: svc.get(doc_id), got_doc)
        elif cmd == "to_supervision":  # 转督办: a 批示 becomes a 督办 item (supervision.from_document)
            context = self.context

            def send(a: dict[str, Any]) -> None:
                engine = context.engine
                if engine is not None:
                    submit(lambda: engine.submit("supervision.from_instruction", a))

            def got_both(found: tuple[dict[str, Any] | None, list[tuple[str, str]]]) -> None:
                if found[0] is not None:
                    opened(InstructionDialog(found[0], found[1], compact=self._compact,
                                             parent=self), send)
            self.work.run(lambda: (svc.get(doc_id), bodies_of(context.list_entities("directory.body"))),
                          got_both)
        elif cmd == "diff":
            def load(a: int, b: int, done: Callable[[dict[str, Any]], None],
                     failed: Callable[[str], None]) -> None:
                self.work.run(lambda: svc.diff(doc_id, a, b), done, lambda e: failed(error_text(e)))

            def got_revisions(found: tuple[dict[str, Any], list[dict[str, Any]]]) -> None:
                doc, revisions = found
                dialog = dialogs.DiffDialog(doc, revisions, load, compact=self._compact, parent=self)
                dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                self.dialog = dialog
                dialog.open()
            self.work.run(lambda: (svc.get(doc_id) or {}, svc.revisions(doc_id)), got_revisions)
        elif cmd == "export_form":
            self.export_form(doc_id)

    def export_form(self, doc_id: str, path: str = "") -> None:
        """导出办文单 PDF: ask where (file dialog) unless ``path`` is given, then render and
        write in the background; ``action_done`` carries the outcome in words."""
        svc = self.service
        if not path:
            from PySide6.QtWidgets import QFileDialog

            title = str((self.detail.doc or {}).get("title") or doc_id)
            dialog = QFileDialog(self, translate("Documents", "Export processing form PDF"),
                                 translate("Documents", "Processing form-{title}.pdf").format(title=title[:40]),
                                 translate("Documents", "PDF files (*.pdf)"))
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("pdf")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            def chosen(path: str) -> None:
                if path:
                    self.export_form(doc_id, path)

            dialog.fileSelected.connect(chosen)
            self.dialog = dialog
            dialog.open()
            return
        from pathlib import Path

        def done(written: Any) -> None:
            text = translate("Documents", "Processing form exported: {path}").format(path=written)
            self.detail.show_notice("")
            self.action_done.emit(text)

        self.work.run(lambda: svc.export_form(doc_id, Path(path)), done, self._action_failed)

    def _action_failed(self, exc: BaseException) -> None:
        text = error_text(exc)
        self.detail.show_notice(text)
        self.action_done.emit(text)

    def _batch_mode(self, on: bool) -> None:
        self.model.checkable = on
        if not on:
            self.model.clear_checks()
        self.batch_button.setVisible(on)
        self.list.viewport().update()
        self._checked_changed(len(self.model.checked_ids()))

    def _checked_changed(self, n: int) -> None:
        self.batch_button.setText(
            translate("Documents", "Approve selected ({n})").format(n=n) if n else translate("Documents", "Approve selected"))
        self.batch_button.setEnabled(n > 0)

    def _batch_approve(self) -> None:
        ids = self.model.checked_ids()
        if not ids:
            return
        svc = self.service
        self.work.run(lambda: svc.batch_approve(ids, "同意。"), self._batch_done)

    def _batch_done(self, results: list[Any]) -> None:
        ok = [r for r in results if r.ok]
        bad = [r for r in results if not r.ok]
        lines = [translate("Documents", "Approved: {n}").format(n=len(ok))
                 + (translate("Documents", " (sent once online when offline)") if ok else "")]
        lines += [f"✗ {r.title}：{r.message}" for r in bad]
        self.batch_toggle.setChecked(False)
        self.last_batch = results
        box = QMessageBox(QMessageBox.Icon.Information, translate("Documents", "Batch approval result"), "\n".join(lines),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("BatchResult")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.action_done.emit("\n".join(lines))

    # -- 收文录入 (intake) -----------------------------------------------------------------
    def intake_organs(self) -> list[tuple[str, str]]:
        """Organs whose registry clerk the user is (who may take documents in)."""
        from modules.documents.intake_service import IntakeService

        return IntakeService(self.service).organs()

    def intake_actions(self) -> Any:
        """The intake dialog's background work over this page's service."""
        from pathlib import Path

        from modules.documents.intake_service import IntakeService
        from modules.documents.views.intake import IntakeActions

        intake = IntakeService(self.service)

        def register(result: Any, values: dict[str, str], body_id: str, days: int | None,
                     source: dict[str, Any]) -> str:
            job = source.get("job")
            if job:
                return intake.register(result, values, body_id=body_id, job=job, deadline_days=days)
            return intake.register(result, values, body_id=body_id, path=Path(source["path"]),
                                   deadline_days=days)

        online = getattr(self.service.engine, "api", None) is not None
        return IntakeActions(
            read=lambda path, progress, cancelled: intake.read(path, progress=progress, cancelled=cancelled),
            register=register,
            jobs=(lambda: intake.jobs("registry")) if online else None,
            open_job=intake.job_result if online else None,
            queue=(lambda paths, body: [intake.submit_job(p, body) for p in paths]) if online else None)

    def open_intake(self, path: str = "") -> Any:
        """Open the 收文录入 dialog (reading ``path`` at once when given); after 登记 the
        new document is shown. The dialog is kept in ``self.dialog``."""
        from modules.documents.views.intake import IntakeDialog

        dialog = IntakeDialog(self.intake_actions(), self.intake_organs(), compact=self._compact,
                              lang=i18n.current_lang(), parent=self)
        dialog.registered.connect(self._intake_registered)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        dialog.refresh_jobs()
        if path:
            dialog.open_path(path)
        return dialog

    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """The 收文录入 dialog for ``python main.py screenshot`` (a registry clerk only):
        choosing a file, and a 通知 rendered by the product read and under review with
        its 主送 highlighted."""
        if not self.intake_organs():
            return []

        def choose() -> QWidget | None:
            dialog = self.open_intake()
            dialog.wait()
            return cast(QWidget, dialog)

        def review() -> QWidget | None:
            path = tasks.call_and_wait(_sample_notice)
            dialog = self.open_intake(str(path))
            dialog.wait()
            dialog.select_field("addressees")
            return cast(QWidget, dialog)

        return [("intake", choose), ("intake-review", review)]

    def dragEnterEvent(self, event: Any) -> None:
        """A registry clerk may drop a paper's scan anywhere on the page (收文录入)."""
        from modules.documents.views.intake import DropZone

        if DropZone.dropped_path(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:
        from modules.documents.views.intake import DropZone

        path = DropZone.dropped_path(event)
        if path:
            event.acceptProposedAction()
            self.open_intake(path)

    def _intake_registered(self, doc_id: str) -> None:
        self.reload()
        self.show_document(doc_id)

    # -- drafting -----------------------------------------------------------------------
    def new_draft(self) -> None:
        post = self.context.primary_post()
        self.editor.new_draft(str(post.get("body_name") or "").split(" · ")[0])
        self.right.setCurrentWidget(self.editor)
        self.split.show_pane(1)

    def edit_draft(self, doc_id: str) -> None:
        svc = self.service

        def loaded(doc: dict[str, Any] | None) -> None:
            if doc is not None:
                self.editor.load(doc)
                self.right.setCurrentWidget(self.editor)
                self.split.show_pane(1)

        self.work.run(lambda: svc.get(doc_id), loaded)

    def _editor_cancelled(self) -> None:
        if self._doc_id:
            self.right.setCurrentWidget(self.detail)
        else:
            self.right.setCurrentWidget(self.nothing)
            self.split.go_back()

    def save_draft(self, payload: dict[str, Any], submit: bool) -> None:
        """Create or save the draft (background); ``submit`` then opens the 提交 dialog."""
        svc = self.service
        doc_id = payload.get("document_id")

        def work() -> str:
            if doc_id:
                svc.save_draft(doc_id, payload["spec"], attachments=payload["attachments"],
                               main_to=payload["main_to"], cc_to=payload["cc_to"],
                               base_revision=payload.get("base_revision"))
                return str(doc_id)
            new_id = new_document_id()
            body_id = next((p.get("body_id") for p in self.context.principal.get("posts") or []
                            if p.get("is_primary")), "")
            svc.create_draft(new_id, payload["spec"], attachments=payload["attachments"],
                             main_to=payload["main_to"], cc_to=payload["cc_to"],
                             body_id=str(body_id or ""))
            return new_id

        def done(saved_id: str) -> None:
            self.editor.document_id = saved_id
            self._submit_after = saved_id if submit else ""
            self.show_document(saved_id)

        self.work.run(work, done, lambda exc: self.editor.show_error(error_text(exc)))

    def attach_file(self, path: str) -> None:
        from pathlib import Path

        svc = self.service
        self.work.run(lambda: svc.add_attachment(Path(path)), self.editor.add_attachment_entry,
                      lambda exc: self.editor.show_error(error_text(exc)))

    def open_attachment(self, sha: str, name: str) -> None:
        svc = self.service

        def work() -> bytes | None:
            return svc.blob_bytes(sha, name)

        def done(data: bytes | None) -> None:
            if data is None:
                self.detail.show_notice(
                    translate("Documents", "Attachment “{name}” is downloading; it opens once online.").format(name=name))
            elif data[:5] == b"%PDF-":
                self.detail.show_pdf(data, "blob")
                self.detail.tabs.setCurrentIndex(0)
            else:
                self.detail.show_notice(translate("Documents", "Attachment “{name}” downloaded ({kb} KB).").format(
                    name=name, kb=len(data) // 1024))

        self.work.run(work, done)

    # -- directory ---------------------------------------------------------------------
    def search_people(self, text: str, callback: Callable[[list[dict[str, Any]]], None]) -> None:
        directory = self.context.directory()
        self.work.run(lambda: directory.search(text, 30), callback, lambda _e: callback([]))

    def pick_body(self, add: Callable[[dict[str, str]], None]) -> None:
        """A small dialog searching bodies in the local address book."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox

        dialog = QDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(translate("Documents", "Choose bodies"))
        layout = QVBoxLayout(dialog)

        def search(text: str, callback: Callable[[list[dict[str, Any]]], None]) -> None:
            directory = self.context.directory()
            finder = getattr(directory, "search_bodies", None)
            if finder is None:
                def fallback() -> list[dict[str, Any]]:
                    return [b for b in directory.bodies() if text in b.get("name", "")][:30]
                self.work.run(fallback, callback, lambda _e: callback([]))
            else:
                self.work.run(lambda: finder(text, 30), callback, lambda _e: callback([]))

        picker = PersonPicker(search, translate("Documents", "Search by body name"))
        layout.addWidget(picker)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(box)
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        def accepted() -> None:
            if picker.selected:
                add({"id": picker.selected["id"], "name": picker.selected["name"]})

        dialog.accepted.connect(accepted)
        dialog.resize(420, 320)
        dialog.open()

    # -- refresh -----------------------------------------------------------------------
    def _on_changes(self, changes: Any) -> None:
        if touches(changes, ENTITY):
            self._refresh_timer.start()

    def _refresh_all(self) -> None:
        self.reload()
        if self._doc_id and self.right.currentWidget() is self.detail:
            self.show_document(self._doc_id)
        self._index_attachments()

    def _on_status(self, status: Any) -> None:
        if not self._doc_id or status is None:
            return
        messages = [i.message for i in getattr(status, "rejected", ())
                    if (i.args or {}).get("document_id") == self._doc_id]
        if messages:
            self.detail.show_notice(translate("Documents", "Not applied: {reasons}").format(reasons="；".join(messages)))

    def _index_attachments(self) -> None:
        svc = self.service
        if svc.blobs is not None:
            self.work.run(svc.index_attachments, lambda _n: None, lambda _e: None)

    def sizeHint(self) -> QSize:
        return QSize(1200, 800)


def _sample_notice() -> Any:
    """A 通知 rendered by the product as a PDF in the temporary folder (screenshots)."""
    import tempfile
    from pathlib import Path

    from modules.documents.render import render_pdf

    path = Path(tempfile.gettempdir()) / "office-intake-sample.pdf"
    path.write_bytes(render_pdf({
        "doc_type": "通知", "issuer_mark": "江海市人民政府办公室文件", "doc_number": "江府办〔2026〕7号",
        "title": "关于做好防汛防台风工作的通知", "urgency": "加急", "recipients": "各区人民政府，市直各单位",
        "body": ["为切实做好今年防汛防台风工作，现就有关事项通知如下。", "一、加强水库巡查",
                 "各区要落实水库巡查和转移避险措施。"],
        "attachments": ["值班表"], "signature": "江海市人民政府办公室", "date": "2026-05-12",
    }).pdf)
    return path
