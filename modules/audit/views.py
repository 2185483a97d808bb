"""The 安全审计 page (Security audit): the security auditor searches the audit trail,
reads one entry with its hashes and exports what they found as CSV or Excel.

Offered only to people holding ``audit_admin`` (``register_page(visible=...)``); the
server decides anyway. The trail lives on the server only: every read and export goes
through :class:`modules.audit.service.AuditService` on the task runner, and without a
connection the page says that it needs one (需要联网) instead of showing stale data.

Layout: the filter bar (dates, person, category, result, text, device) and the export
buttons wrap onto further rows at phone width (``FlowLayout``); below, the table of
entries beside the detail pane (one pane at a time at phone width, with Back).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from modules.audit import words
from modules.audit.filters import CHINA, Filter
from modules.audit.service import AuditService, Page, holds_audit_role
from modules.common.errors import DomainError, Offline
from office_app import i18n
from office_app.context import AppContext
from office_app.kit import PageWork, RowTableModel, page_title, search_box
from office_app.navigation import register_page
from office_app.widgets import (
    AdaptiveSplit,
    EmptyState,
    FlowLayout,
    primary_button,
    scrolled_body,
    set_touch,
    text_label,
    today_qdate,
)

#: Entries asked for per page.
PAGE_SIZE = 100


def local_time(at: str) -> str:
    """An ISO time from the server as ``YYYY-MM-DD HH:MM:SS`` in China Standard Time."""
    try:
        moment = dt.datetime.fromisoformat(at)
    except (TypeError, ValueError):
        return str(at or "")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


def person_words(entry: dict[str, Any]) -> str:
    name = str(entry.get("actor_name") or "")
    login = str(entry.get("actor_login") or "")
    if name and login:
        return f"{name} ({login})"
    return name or login or str(entry.get("actor_id") or "—")


def device_words(entry: dict[str, Any]) -> str:
    return " · ".join(str(v) for v in (entry.get("device"), entry.get("address")) if v)


class EntriesModel(RowTableModel[dict[str, Any]]):
    """The table of entries: time, person, action in words, target, result, device."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("time", "person", "action", "target", "result", "device")
    #: Phone width: shorter time (month-day hour:minute) and the name without the account.
    compact = False

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.beginResetModel()
            self.compact = compact
            self.endResetModel()

    def header(self, key: str) -> str:
        return {
            "time": self.tr("Time"), "person": self.tr("Person"), "action": self.tr("Action"),
            "target": self.tr("Target"), "result": self.tr("Result"),
            "device": self.tr("Device / address"),
        }.get(key, key)

    def cell(self, row: dict[str, Any], key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            lang = i18n.current_lang()
            if key == "time":
                full = local_time(str(row.get("at") or ""))
                return full[5:16] if self.compact and len(full) == 19 else full
            if key == "person":
                if self.compact:
                    return str(row.get("actor_name") or row.get("actor_login") or "—")
                return person_words(row)
            if key == "action":
                return words.action_words(str(row.get("action") or ""), lang)
            if key == "target":
                return str(row.get("target") or "")
            if key == "result":
                return words.result_words(str(row.get("result") or ""), lang)
            if key == "device":
                return device_words(row)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("time", "person"):
            return (local_time(str(row.get("at") or "")) if key == "time" else person_words(row))
        if role == Qt.ItemDataRole.ToolTipRole and key == "action":
            return str(row.get("action") or "")
        if role == Qt.ItemDataRole.ToolTipRole and key == "result" and row.get("code"):
            return str(row.get("code"))
        return None

    def append_rows(self, rows: list[dict[str, Any]]) -> None:
        """Add a further page at the end (one insert)."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(self.index(0, 0).parent(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()


class EntryDetail(QWidget):
    """One entry in full: who, what, where from, the result, the detail, and its place
    in the chain (sequence number, hash, previous hash). Text is selectable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        body = scrolled_body(self, "AuditDetail")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(6)
        self.heading = text_label(self.tr("Choose an entry to see it in full."), "heading", wrap=True)
        layout.addWidget(self.heading)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(6)
        layout.addLayout(self.form)
        self.fields: dict[str, QLabel | QLineEdit] = {}
        self.titles: list[QLabel] = []
        names = {
            "seq": self.tr("No."), "time": self.tr("Time"), "person": self.tr("Person"),
            "actor_id": self.tr("Person ID"), "action": self.tr("Action code"),
            "target": self.tr("Target"), "body": self.tr("Body"), "result": self.tr("Result"),
            "device": self.tr("Device"), "address": self.tr("Address"),
            "request_id": self.tr("Request ID"), "detail": self.tr("Detail"),
            "hash": self.tr("Hash"), "prev_hash": self.tr("Previous hash"),
        }
        for key, title in names.items():
            caption = text_label(title, "muted")
            self.titles.append(caption)
            value: QLabel | QLineEdit
            if key in ("hash", "prev_hash"):  # 64 hex digits: scrolls inside, copies whole
                value = QLineEdit()
                value.setReadOnly(True)
                value.setFrame(False)
            else:
                value = text_label("", None, wrap=True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setObjectName(f"AuditField-{key}")
            self.fields[key] = value
            self.form.addRow(caption, value)
        self.note = text_label(self.tr(
            "Each entry's hash covers its contents and the previous entry's hash, so a "
            "changed, removed or inserted entry breaks the chain; `main.py audit verify` "
            "checks it on the server."), "small", wrap=True)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.entry: dict[str, Any] | None = None
        self.show_entry(None)

    def set_compact(self, compact: bool) -> None:
        """Phone width: each caption above its value."""
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if compact
                                   else QFormLayout.RowWrapPolicy.WrapLongRows)

    def show_entry(self, entry: dict[str, Any] | None) -> None:
        self.entry = entry
        for row in range(self.form.rowCount()):
            self.form.setRowVisible(row, entry is not None)
        self.note.setVisible(entry is not None)
        for value in self.fields.values():
            value.setText("")
        if entry is None:
            self.heading.setText(self.tr("Choose an entry to see it in full."))
            return
        lang = i18n.current_lang()
        self.heading.setText(words.action_words(str(entry.get("action") or ""), lang))
        result = words.result_words(str(entry.get("result") or ""), lang)
        if entry.get("code"):
            result = f"{result} · {entry['code']}"
        detail = entry.get("detail")
        detail_text = (json.dumps(detail, ensure_ascii=False, indent=2, sort_keys=True)
                       if isinstance(detail, dict | list) else str(detail or "—"))
        values = {
            "seq": str(entry.get("seq") or ""), "time": local_time(str(entry.get("at") or "")),
            "person": person_words(entry), "actor_id": str(entry.get("actor_id") or "—"),
            "action": str(entry.get("action") or ""), "target": str(entry.get("target") or "—"),
            "body": str(entry.get("scope_body_name") or entry.get("scope_body") or "—"),
            "result": result, "device": str(entry.get("device") or "—"),
            "address": str(entry.get("address") or "—"),
            "request_id": str(entry.get("request_id") or "—"), "detail": detail_text,
            "hash": str(entry.get("hash") or "—"), "prev_hash": str(entry.get("prev_hash") or "—"),
        }
        for key, text in values.items():
            field = self.fields[key]
            field.setText(text)
            if isinstance(field, QLineEdit):
                field.setCursorPosition(0)


class AuditPage(QWidget):
    """The 安全审计 page. ``loaded`` fires after each answer has been applied (tests,
    screenshots); ``exported(path)`` after an export was written."""

    loaded = Signal()
    exported = Signal(str)
    navigation_changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 service: AuditService | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AuditPage")
        self.context = context
        self.service = service or AuditService.of(context)
        #: Asks where to save an export: (suggested file name, file filter) -> path or None.
        self.ask_path: Callable[[str, str], Path | None] = self._ask_path
        self._filter = Filter()
        self._next: int | None = None
        self._compact = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 12, 16, 8)
        outer.setSpacing(8)
        outer.addWidget(page_title(self.tr("Security audit")))
        self.summary = text_label("", "muted", wrap=True)
        self.summary.setObjectName("AuditSummary")
        outer.addWidget(self.summary)

        self.states = QStackedWidget()
        outer.addWidget(self.states, 1)
        self.content = QWidget()
        self.states.addWidget(self.content)
        self.offline_state = EmptyState("offline", self.tr(
            "Needs a connection: the audit trail is kept on the server only. "
            "The search runs again once you are connected."))
        self.offline_state.setObjectName("AuditOffline")
        self.states.addWidget(self.offline_state)
        retry_row = QHBoxLayout()
        self.retry = QPushButton(self.tr("Try again"))
        self.retry.clicked.connect(self.search)
        retry_row.addStretch(1)
        retry_row.addWidget(self.retry)
        retry_row.addStretch(1)
        self.offline_state.layout().addItem(retry_row)  # type: ignore[union-attr]

        column = QVBoxLayout(self.content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        self.filter_bar = self._filter_bar()
        column.addWidget(self.filter_bar)

        self.model = EntriesModel(self)
        self.table = QTableView()
        self.table.setObjectName("AuditTable")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column_no, width in enumerate((140, 110, 170, 110, 60, 140)):
            self.table.setColumnWidth(column_no, width)
        self.table.clicked.connect(self._picked)
        self.table.activated.connect(self._picked)
        # keyboard: the detail follows the current row when both panes are shown
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: None if self._compact else self._picked(current))
        self.empty = text_label("", "muted", wrap=True)
        self.empty.setObjectName("AuditEmpty")
        self.more = QPushButton(self.tr("Load more"))
        self.more.setObjectName("AuditMore")
        self.more.clicked.connect(self.load_more)
        self.more.hide()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.more)
        self.detail = EntryDetail()
        frame = QFrame()
        frame.setProperty("card", True)
        frame_layout = QVBoxLayout(frame)
        frame_layout.setContentsMargins(0, 0, 0, 0)
        frame_layout.addWidget(self.detail)
        self.split = AdaptiveSplit([left, frame], [5, 3])
        self.split.navigation_changed.connect(self.navigation_changed)
        self.split.navigation_changed.connect(self._pane_changed)
        column.addWidget(self.split, 1)
        self.status = text_label("", "muted", wrap=True)
        self.status.setObjectName("AuditStatus")
        outer.addWidget(self.status)

        self.work = PageWork(self, self.status.setText)
        context.bus.status_changed.connect(self._sync_status)
        self.search()

    def _sync_status(self, status: Any) -> None:
        """Back online while the page says it needs a connection: search again."""
        if getattr(status, "online", False) and self.states.currentWidget() is self.offline_state:
            self.search()

    # -- the filter bar -------------------------------------------------------------
    def _filter_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("AuditFilters")
        flow = FlowLayout(bar)
        today = _today()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit, name in ((self.date_from, self.tr("From")), (self.date_to, self.tr("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setToolTip(name)
        self.dates = QWidget()
        dates = QHBoxLayout(self.dates)
        dates.setContentsMargins(0, 0, 0, 0)
        dates.setSpacing(4)
        dates.addWidget(text_label(self.tr("Dates"), "muted"))
        dates.addWidget(self.date_from)
        dates.addWidget(text_label("–", "muted"))
        dates.addWidget(self.date_to)
        for edit in (self.date_from, self.date_to):  # as tall as the other fields of the row
            edit.setMinimumHeight(QLineEdit().sizeHint().height())
        self.person = QLineEdit()
        self.person.setPlaceholderText(self.tr("Person: name, account or ID"))
        self.person.setClearButtonEnabled(True)
        self.category = QComboBox()
        self.category.setAccessibleName(self.tr("Category"))
        self.category.addItem(self.tr("All categories"), "")
        for key, en, _zh in ((k, v[0], v[1]) for k, v in words.CATEGORIES.items()):
            self.category.addItem(_category_title(key, en), key)
        self.result = QComboBox()
        self.result.setAccessibleName(self.tr("Result"))
        self.result.addItem(self.tr("All results"), "")
        self.result.addItem(self.tr("Succeeded"), "ok")
        self.result.addItem(self.tr("Refused"), "refused")
        self.result.addItem(self.tr("Failed"), "failed")
        self.text = search_box(self.tr("Target, detail or code"), self.tr("Text"))
        self.device = QLineEdit()
        self.device.setPlaceholderText(self.tr("Device or address"))
        self.device.setClearButtonEnabled(True)
        self.search_button = primary_button(self.tr("Search"))
        self.search_button.setObjectName("AuditSearch")
        self.search_button.clicked.connect(self.search)
        self.reset_button = QPushButton(self.tr("Reset"))
        self.reset_button.clicked.connect(self.reset)
        self.csv_button = QPushButton(self.tr("Export CSV"))
        self.csv_button.setObjectName("AuditExportCsv")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button = QPushButton(self.tr("Export Excel"))
        self.xlsx_button.setObjectName("AuditExportXlsx")
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        for box in (self.person, self.text, self.device):
            box.setMinimumWidth(160)
            box.returnPressed.connect(self.search)
        #: At phone width the filters beyond the text wait behind this toggle.
        self.more_filters = QPushButton(self.tr("Filters"))
        self.more_filters.setObjectName("AuditFiltersToggle")
        self.more_filters.setCheckable(True)
        self.more_filters.toggled.connect(lambda _on: self._show_filters())
        self.more_filters.hide()
        self.inputs: list[QWidget] = [self.date_from, self.date_to, self.person, self.category,
                                      self.result, self.text, self.device]
        #: Filters folded away at phone width (unless ``more_filters`` is on).
        self.foldable: list[QWidget] = [self.dates, self.person, self.category, self.result,
                                        self.device, self.reset_button]
        self.buttons = [self.search_button, self.more_filters, self.reset_button,
                        self.csv_button, self.xlsx_button]
        for widget in (self.dates, self.person, self.category, self.result, self.text,
                       self.device, self.search_button, self.more_filters, self.reset_button,
                       self.csv_button, self.xlsx_button):
            flow.addWidget(widget)
        return bar

    def _show_filters(self) -> None:
        shown = not self._compact or self.more_filters.isChecked()
        for widget in self.foldable:
            widget.setVisible(shown)

    def current_filter(self) -> Filter:
        """The filter the bar shows (dates are whole days, UTC+8)."""
        key = str(self.category.currentData() or "")
        return Filter(
            date_from=self.date_from.date().toPython(),  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython(),  # type: ignore[arg-type]
            actor=self.person.text().strip(), categories=(key,) if key else (),
            result=str(self.result.currentData() or ""), text=self.text.text().strip(),
            device=self.device.text().strip())

    def reset(self) -> None:
        today = _today()
        self.date_from.setDate(today.addDays(-30))
        self.date_to.setDate(today)
        for box in (self.person, self.text, self.device):
            box.clear()
        self.category.setCurrentIndex(0)
        self.result.setCurrentIndex(0)
        self.search()

    # -- hooks ----------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """Phone width: one pane at a time; person, target and device columns give way."""
        self._compact = compact
        self.more_filters.setVisible(compact)
        self._show_filters()
        self.split.set_compact(compact)
        self.model.set_compact(compact)
        self.detail.set_compact(compact)
        for column_no in (3, 5):  # target, device: in the detail pane
            self.table.setColumnHidden(column_no, compact)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(not compact)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch if compact
                                    else QHeaderView.ResizeMode.Interactive)
        for column_no, width in enumerate((92, 64, 170, 110, 48, 140) if compact
                                          else (140, 110, 170, 110, 60, 140)):
            if column_no != 2 or not compact:
                self.table.setColumnWidth(column_no, width)
        set_touch(compact, *self.inputs, *self.buttons, self.more, self.retry)

    def _pane_changed(self) -> None:
        """At phone width the entry in full has the screen: the filter bar steps aside."""
        self.filter_bar.setVisible(not (self._compact and self.split.current_pane() == 1))

    def can_go_back(self) -> bool:
        return self.split.can_go_back()

    def go_back(self) -> None:
        self.split.go_back()

    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """Further screens for ``python main.py screenshot``: an entry in full."""
        def detail() -> QWidget | None:
            index = self.model.index(0, 0)
            self.table.setCurrentIndex(index)
            self._picked(index)
            return None

        return [("detail", detail)] if self.model.rowCount() else []

    # -- loading --------------------------------------------------------------------
    def search(self) -> None:
        """Ask the server for the first page of what the filter bar says."""
        self._filter = self.current_filter()
        f, service = self._filter, self.service
        self.status.setText(self.tr("Searching…"))
        self.work.run(lambda: (service.search(f, limit=PAGE_SIZE), _status_or_none(service)),
                      self._apply_first, self._failed, latest="load")

    def load_more(self) -> None:
        if self._next is None:
            return
        f, service, before = self._filter, self.service, self._next
        self.more.setEnabled(False)
        self.work.run(lambda: service.search(f, before=before, limit=PAGE_SIZE),
                      self._apply_more, self._failed, latest="load")

    def _apply_first(self, answer: tuple[Page, dict[str, Any] | None]) -> None:
        page, status = answer
        self.states.setCurrentWidget(self.content)
        self.model.set_rows([_with_id(e) for e in page.entries])
        self.detail.show_entry(None)
        self.split.show_pane(0)
        self._after_page(page)
        if status is not None:
            self.summary.setText(_summary(status))

    def _apply_more(self, page: Page) -> None:
        self.model.append_rows([_with_id(e) for e in page.entries])
        self._after_page(page)

    def _after_page(self, page: Page) -> None:
        self._next = page.next_before
        self.more.setVisible(page.next_before is not None)
        self.more.setEnabled(True)
        count = self.model.rowCount()
        self.empty.setVisible(count == 0)
        self.empty.setText(self.tr("No entries match the filter."))
        self.status.setText(self.tr("%1 entries shown").replace("%1", str(count))
                            + (self.tr(" · more below") if page.next_before is not None else ""))
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.more.setEnabled(True)
        if isinstance(exc, Offline) and exc.code in ("offline", "audit.needs_online"):
            self.states.setCurrentWidget(self.offline_state)
            self.summary.setText(self.tr("Offline: needs a connection."))
            self.status.setText(PageWork.words(exc))
        else:
            self.status.setText(PageWork.words(exc))
            if isinstance(exc, DomainError) and exc.code == "audit.not_auditor":
                self.model.set_rows([])
                self.summary.setText(PageWork.words(exc))
        self.loaded.emit()

    def _picked(self, index: Any) -> None:
        row = self.model.row_at(index.row()) if index is not None and index.isValid() else None
        if row is None:
            return
        self.detail.show_entry(row)
        self.split.show_pane(1)
        seq = row.get("seq")
        if isinstance(seq, int):  # the full entry (hashes as the server has them now)
            service = self.service
            self.work.run(lambda: service.entry(seq), self._detail_loaded, latest="entry")

    def _detail_loaded(self, entry: dict[str, Any]) -> None:
        current = self.detail.entry
        if current is not None and current.get("seq") == entry.get("seq"):
            self.detail.show_entry(_with_id(entry))

    # -- export ---------------------------------------------------------------------
    def _ask_path(self, suggested: str, file_filter: str) -> Path | None:
        start = str(Path.home() / suggested)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the audit trail"),
                                              start, file_filter)
        return Path(path) if path else None

    def export(self, fmt: str) -> None:
        """Ask where, then download the export of the current filter and write it there
        (off the GUI thread); the server records the export in the trail."""
        f = self.current_filter()
        stamp = dt.datetime.now(CHINA).strftime("%Y%m%d-%H%M")
        file_filter = (self.tr("Excel workbook (*.xlsx)") if fmt == "xlsx"
                       else self.tr("CSV file (*.csv)"))
        path = self.ask_path(f"audit-{stamp}.{fmt}", file_filter)
        if path is None:
            return
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        service = self.service
        self.status.setText(self.tr("Exporting…"))
        for button in (self.csv_button, self.xlsx_button):
            button.setEnabled(False)
        self.work.run(lambda: service.export(f, fmt, path), self._exported, self._export_failed,
                      latest="export")

    def _exported(self, path: Path) -> None:
        for button in (self.csv_button, self.xlsx_button):
            button.setEnabled(True)
        self.status.setText(self.tr("Exported to %1").replace("%1", str(path)))
        self.exported.emit(str(path))

    def _export_failed(self, exc: BaseException) -> None:
        for button in (self.csv_button, self.xlsx_button):
            button.setEnabled(True)
        self.status.setText(PageWork.words(exc))


def _today() -> QDate:
    """Today in China Standard Time (the days the filter counts in)."""
    return today_qdate()


def _category_title(key: str, fallback: str) -> str:
    from PySide6.QtCore import QCoreApplication

    titles = {
        "signin": QCoreApplication.translate("AuditPage", "Sign-in"),
        "administration": QCoreApplication.translate("AuditPage", "Administration"),
        "seals": QCoreApplication.translate("AuditPage", "Seals"),
        "documents": QCoreApplication.translate("AuditPage", "Documents"),
        "downloads": QCoreApplication.translate("AuditPage", "Downloads and exports"),
        "devices": QCoreApplication.translate("AuditPage", "Devices"),
    }
    return titles.get(key, fallback)


def _with_id(entry: dict[str, Any]) -> dict[str, Any]:
    return {**entry, "id": entry.get("seq")}


def _status_or_none(service: AuditService) -> dict[str, Any] | None:
    try:
        return service.status()
    except DomainError:
        return None


def _summary(status: dict[str, Any]) -> str:
    from PySide6.QtCore import QCoreApplication

    text = (QCoreApplication.translate("AuditPage", "%1 entries in your scope · chain at No. %2")
            .replace("%1", str(status.get("entries", 0))).replace("%2", str(status.get("last_seq", 0))))
    pending = int(status.get("pending") or 0)
    if pending:
        text += QCoreApplication.translate("AuditPage", " · %1 not yet chained").replace(
            "%1", str(pending))
    at = status.get("last_checkpoint_at")
    if at:
        text += QCoreApplication.translate("AuditPage", " · last signed checkpoint %1").replace(
            "%1", local_time(str(at)))
    else:
        text += QCoreApplication.translate("AuditPage", " · no signed checkpoint yet")
    return text


def make_page(context: AppContext) -> QWidget:
    """Navigation factory for key ``audit`` (cheap; the first search runs in the background)."""
    return AuditPage(context)


def offered_to(context: AppContext) -> bool:
    """The page is offered to people holding ``audit_admin`` only."""
    return holds_audit_role(context.principal)


register_page("audit", "安全审计", "audit", make_page, visible=offered_to)
