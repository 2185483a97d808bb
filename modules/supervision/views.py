"""The 督办 page: supervision items with their traffic light (亮灯) and why, one item's
details and history, and the steps the user may take on it now.

GUI thread. Items come from :class:`modules.supervision.service.SupervisionService` in
the page's background work (``office_app.kit.PageWork``); each step is an intent
(``context.submit``); the offline ones show at once. Importing this module registers the
navigation page "supervision".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modules.calendar.rules import HolidayTable
from modules.common.china_time import china_today
from modules.supervision import intents as I
from modules.supervision import policy, subtasks, units
from modules.supervision import rules as R
from modules.supervision import views_lifecycle as L
from modules.supervision import views_units as U
from modules.supervision.service import SupervisionService
from modules.supervision.sources import source_target
from modules.supervision.views_dashboard import DashboardToggle
from office_app import i18n, theme
from office_app.bus import touches
from office_app.kit import PageWork, RowListModel, list_view
from office_app.navigation import register_page
from office_app.widgets import (
    AdaptiveSplit,
    EmptyState,
    card,
    error_label,
    set_touch,
    text_label,
    today_qdate,
)

if TYPE_CHECKING:
    from office_app.context import AppContext

LIGHT_COLOURS = {R.RED: "danger", R.YELLOW: "warn", R.GREEN: "ok"}


@dataclass
class Row:
    """One item as the list shows it: the record, its light and what the user may do."""

    item: dict[str, Any]
    light: R.Light
    actions: list[str] = field(default_factory=list)
    #: the calendar and the day of the load: each unit's 签收 and the sub-tasks are worked
    #: out from them when the details show the row (pure; only for the row shown)
    table: HolidayTable | None = None
    today: dt.date | None = None

    @property
    def id(self) -> str:
        return str(self.item["id"])

    @property
    def acks(self) -> list[units.UnitAck]:
        if self.table is None or self.today is None:
            return []
        return units.ack_rows(self.item, self.today, self.table)

    @property
    def subs(self) -> list[subtasks.SubtaskRow]:
        if self.table is None or self.today is None:
            return []
        return subtasks.rows(self.item, self.today, self.table)


def load(context: AppContext, mine_only: bool) -> list[Row]:
    """Blocking (background only): the items with lights, reddest and soonest first."""
    if context.cache is None:
        return []
    svc = SupervisionService(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    me = svc.facts()
    today = R.china_day(dt.datetime.now(dt.UTC))
    table = svc.table()
    items = svc.my_items() if mine_only else svc.items()
    rows = [Row(i, R.light(i, today, table), policy.allowed_actions(me, i), table, today)
            for i in items]
    order = {R.RED: 0, R.YELLOW: 1, R.GREEN: 2}
    open_first = [r for r in rows if r.item.get("state") not in R.FINAL]
    closed = [r for r in rows if r.item.get("state") in R.FINAL]
    open_first.sort(key=lambda r: (order.get(r.light.colour, 3), str(r.item.get("due") or "")))
    return open_first + closed


def _dot(colour: str) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(theme.colors()[LIGHT_COLOURS.get(colour, "muted")]))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pix)


class ItemListModel(RowListModel[Row]):
    """Items: number and title, lead unit, deadline and state; the light as a dot."""

    def value(self, row: Row, role: int) -> Any:
        item = row.item
        if role == Qt.ItemDataRole.DisplayRole:
            lang = i18n.current_lang()
            due = str(item.get("due") or "")
            return (f"{item.get('number') or ''} {item.get('title', '')}".strip() + "\n"
                    + " · ".join(x for x in (str(item.get("lead_unit_name") or ""), due,
                                             R.state_words(str(item.get("state") or ""), lang)) if x))
        if role == Qt.ItemDataRole.DecorationRole:
            if item.get("state") in R.FINAL:
                return None
            return _dot(row.light.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.light.words(i18n.current_lang())
        return super().value(row, role)


class StepDialog(QDialog):
    """What one step asks for: a text (feedback, reason, report), a progress, a date."""

    def __init__(self, title: str, *, text_label_: str = "", needs_text: bool = False,
                 progress: bool = False, date: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("StepDialog")
        self._needs_text = needs_text
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(120)
        if text_label_:
            form.addRow(text_label_, self.text)
        else:
            self.text.hide()
        self.progress = QComboBox()
        for p in (None, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100):
            self.progress.addItem("—" if p is None else f"{p}%", p)
        if progress:
            form.addRow(self.tr("Progress"), self.progress)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        if date is not None:
            self.date.setDate(QDate(date.year, date.month, date.day))
            form.addRow(self.tr("New deadline"), self.date)
        layout.addLayout(form)
        self.error = error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        if self._needs_text and not self.text.toPlainText().strip():
            self.error.setText(self.tr("Please write a few words."))
            self.error.show()
            return
        self.accept()


class SupervisionPage(QWidget):
    """The 督办 page. ``loaded`` fires after a background load was applied."""

    loaded = Signal()
    navigation_changed = Signal()
    open_requested = Signal(str, str)  # (page, record id): the item's source, opened

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.context = context
        self._current = ""
        self.opener: Callable[[QUrl], object] = QDesktopServices.openUrl  # opens attachments

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(16, 8, 8, 12)
        title = text_label(self.tr("Supervision"), "title")
        title.setObjectName("PageTitle")
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Items that ask something of me"), True)
        self.scope.addItem(self.tr("All items I can see"), False)
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        left_layout.addWidget(self.scope)
        self.summary = text_label("", "muted", wrap=True)
        left_layout.addWidget(self.summary)
        self.model = ItemListModel(self)
        self.list = list_view(self.model, name="SupervisionItems", on_pick=self._picked)
        self.empty = EmptyState("supervision", self.tr("Nothing to follow up."))
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(self.empty, 1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 8, 16, 12)
        self.detail = card()
        detail_layout = QVBoxLayout(self.detail)
        self.item_title = text_label("", "heading", wrap=True)
        self.light_words = QLabel()
        self.light_words.setWordWrap(True)
        self.light_words.setObjectName("LightWords")
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.units_info = QLabel()  # 签收 per unit, 分解 sub-tasks
        self.units_info.setWordWrap(True)
        self.units_info.setObjectName("UnitsInfo")
        self.units_info.setTextFormat(Qt.TextFormat.PlainText)
        self.history = text_label("", "muted", wrap=True)
        for w in (self.item_title, self.light_words, self.info, self.units_info, self.history):
            detail_layout.addWidget(w)
        self.source = QPushButton()  # the item's source (a meeting, a document) when cached
        self.source.setObjectName("ItemSource")
        self.source.setFlat(True)
        self.source.clicked.connect(self.open_source)
        self.source.hide()
        self._source: tuple[str, str] | None = None
        detail_layout.insertWidget(detail_layout.indexOf(self.info) + 1, self.source)
        self.buttons_row = QGridLayout()  # one row on a desktop, two a row at phone width
        self.buttons_row.setSpacing(6)
        self._button_columns = 0
        detail_layout.addLayout(self.buttons_row)
        self.step_buttons: dict[str, QPushButton] = {}
        for action in ("notice", "urge_pdf", "attachments", "draft_report", "strike_off",
                       "terminate", "urge", "cancel", "verify_return", "verify", "decide_refuse",
                       "decide_extension", "request_extension", "request_completion",
                       "cancel_subtask", "split", "report_subtask", "report", "acknowledge"):
            button = QPushButton(self._button_text(action))
            button.setObjectName(f"step-{action}")
            button.clicked.connect(lambda _c=False, a=action: self.step(a))
            button.hide()
            self.step_buttons[action] = button
        right_layout.addWidget(self.detail)
        right_layout.addStretch(1)
        self.status = text_label("", "muted", wrap=True)
        right_layout.addWidget(self.status)

        self.split = AdaptiveSplit([left, right], [4, 5])
        self.split.set_sizes([520, 680])
        self.split.navigation_changed.connect(self.navigation_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        header = QHBoxLayout()  # the page's title above its two modes, as on other pages
        header.setContentsMargins(16, 16, 16, 0)
        header.addWidget(title)
        layout.addLayout(header)
        self.modes = DashboardToggle(self)  # the list, and 看数 for leaders and staff
        layout.addWidget(self.modes)
        self.work = PageWork(self, self.status.setText)
        context.bus.changed.connect(self._on_changes)
        self._show(None)
        self.reload()

    # -- hooks ----------------------------------------------------------------------
    def _lay_buttons(self) -> None:
        """The shown step buttons in rows of ``_button_columns`` (0 = one row, right-aligned)."""
        for button in self.step_buttons.values():
            self.buttons_row.removeWidget(button)
        shown = [b for b in self.step_buttons.values() if not b.isHidden()]
        columns = self._button_columns or min(max(len(shown), 1), 6)
        offset = 0 if self._button_columns else 1  # a stretch column first on a desktop
        self.buttons_row.setColumnStretch(0, 0 if self._button_columns else 1)
        for n, button in enumerate(shown):
            self.buttons_row.addWidget(button, n // columns, offset + n % columns)

    def set_compact(self, compact: bool) -> None:
        self._button_columns = 2 if compact else 0
        self._lay_buttons()
        self.split.set_compact(compact)
        self.modes.set_compact(compact)
        set_touch(compact, *self.step_buttons.values())

    def can_go_back(self) -> bool:
        return self.split.can_go_back()

    def screenshot_states(self) -> list[tuple[str, Callable[[], QWidget | None]]]:
        """Further screens for ``python main.py screenshot`` (office_app/screenshot.py):
        the first item's detail (the pane of its own at phone width) and 看数."""
        def detail() -> QWidget | None:
            self.modes.setCurrentIndex(0)
            index = self.model.index(0, 0)
            self.list.setCurrentIndex(index)
            self._picked(index)
            return None

        def dashboard() -> QWidget | None:
            self.modes.show_dashboard()
            return None

        states: list[tuple[str, Callable[[], QWidget | None]]] = []
        if self.model.rowCount():
            states.append(("detail", detail))
        if self.modes.dashboard is not None:
            states.append(("dashboard", dashboard))
        return states

    def go_back(self) -> None:
        self.split.go_back()

    def open_ref(self, ref_id: str) -> None:
        self._current = ref_id
        self.reload()

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        context, mine = self.context, bool(self.scope.currentData())
        self.work.run(lambda: load(context, mine), self._apply, latest="load")

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, I.ITEM, "calendar.year"):
            self.reload()

    def _apply(self, rows: list[Row]) -> None:
        self.model.set_rows(rows)
        self.list.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        lang = i18n.current_lang()
        live = [r for r in rows if r.item.get("state") not in R.FINAL]
        counts = {c: sum(1 for r in live if r.light.colour == c) for c in (R.RED, R.YELLOW, R.GREEN)}
        self.summary.setText(" · ".join(
            f"{R.LIGHT_WORDS[c][1 if lang == 'en' else 0]} {n}" for c, n in counts.items()))
        index = self.model.row_of(self._current)
        if index < 0 and rows:
            index = 0
        if index >= 0:
            self.list.setCurrentIndex(self.model.index(index, 0))
        self._show(self.model.row_at(index) if index >= 0 else None)
        self.loaded.emit()

    def _picked(self, index: Any) -> None:
        self._show(self.model.row_at(index.row()))
        self.split.show_pane(1)

    def current(self) -> Row | None:
        index = self.model.row_of(self._current)
        return self.model.row_at(index) if index >= 0 else None

    def _show(self, row: Row | None) -> None:
        self.detail.setVisible(row is not None)
        if row is None:
            self._current = ""
            return
        self._current = row.id
        item, lang = row.item, i18n.current_lang()
        self.item_title.setText(f"{item.get('number') or ''} {item.get('title', '')}".strip())
        closed = item.get("state") in R.FINAL
        self.light_words.setText(L.closed_words(item, lang) if closed else row.light.words(lang))
        colour = "muted" if closed else LIGHT_COLOURS.get(row.light.colour, "muted")
        self.light_words.setStyleSheet(f"color: {theme.colors()[colour]}; font-weight: 600;")
        labels = {"source": self.tr("Source"), "leader": self.tr("Supervising leader"),
                  "lead": self.tr("Lead unit"), "co": self.tr("Co-units"),
                  "due": self.tr("Deadline"), "state": self.tr("State"),
                  "content": self.tr("What is asked")}
        colon = ": " if lang == "en" else "："
        labels = {k: v + colon for k, v in labels.items()}
        lines = [
            f"{labels['source']}{item.get('source_words') or item.get('source') or ''} "
            f"{item.get('source_ref') or ''}".rstrip(),
            f"{labels['leader']}{item.get('leader_name') or '—'}",
            f"{labels['lead']}{item.get('lead_unit_name') or ''}",
        ]
        if item.get("co_unit_names"):
            lines.append(f"{labels['co']}{'、'.join(item['co_unit_names'])}")
        lines.append(f"{labels['due']}{item.get('due') or '—'}")
        lines.append(f"{labels['state']}{R.state_words(str(item.get('state')), lang)}")
        if item.get("content"):
            lines.append(f"{labels['content']}{item['content']}")
        self.info.setText("\n".join(lines))
        self._show_source(item)
        self.units_info.setText(U.unit_lines(row.acks, row.subs, item, lang))
        self.units_info.setVisible(item.get("state") != R.DRAFT)
        history = item.get("history") or []
        def done_words(action: str) -> str:
            zh = R.ACTION_WORDS.get(action, (action, action))[0]
            return action.replace("_", " ") if lang == "en" else zh

        def local(at: Any) -> str:
            try:
                when = dt.datetime.fromisoformat(str(at).replace("Z", "+00:00"))
            except ValueError:
                return str(at)[:16]
            when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
            return when.astimezone(R.CHINA).strftime("%Y-%m-%d %H:%M")

        self.history.setText("\n".join(
            f"{local(h.get('at', ''))} {h.get('by_name', '')} "
            f"{done_words(str(h.get('action') or ''))} {h.get('note') or ''}".rstrip()
            for h in history[-6:]))
        allowed = set(row.actions) | ({"notice"} if item.get("number") else set()) \
            | ({"urge_pdf"} if item.get("urges") else set()) \
            | ({"attachments"} if L.attachments_of(item) else set())
        shown = {"verify_return": "verify" in allowed, "decide_refuse": "decide_extension" in allowed,
                 **{a: a in allowed for a in self.step_buttons if a in allowed}}
        for action, button in self.step_buttons.items():
            button.setHidden(not shown.get(action))
        self._lay_buttons()

    # -- source ---------------------------------------------------------------------
    def _show_source(self, item: dict[str, Any]) -> None:
        """A "Source" line that opens the meeting or document the item came from, shown
        when this device has that record (looked up in the background)."""
        self.source.hide()
        self._source = None
        target = source_target(item)
        if target is None:
            return
        entity, record_id, page = target
        title = str((item.get("source_link") or {}).get("title") or record_id)
        context, item_id = self.context, str(item["id"])

        def found(present: bool) -> None:
            if present and self._current == item_id:
                self._source = (page, record_id)
                self.source.setText(self.tr("Source: %1").replace("%1", title))
                self.source.show()

        self.work.run(lambda: context.get_entity(entity, record_id) is not None, found,
                      latest="source")

    def open_source(self) -> None:
        if self._source is not None:
            self.open_requested.emit(*self._source)

    # -- steps ----------------------------------------------------------------------
    def _button_text(self, action: str) -> str:
        return {
            "acknowledge": self.tr("Acknowledge"), "report": self.tr("Report progress"),
            "request_extension": self.tr("Ask for more time"),
            "request_completion": self.tr("Report it done"),
            "decide_extension": self.tr("Grant more time"), "decide_refuse": self.tr("Refuse more time"),
            "verify": self.tr("Accept as done"), "verify_return": self.tr("Return"),
            "urge": self.tr("Urge"), "cancel": self.tr("Cancel item"),
            "split": self.tr("Split off a sub-task"), "report_subtask": self.tr("Report on a sub-task"),
            "cancel_subtask": self.tr("Withdraw a sub-task"), "notice": self.tr("Notice PDF"),
            "urge_pdf": self.tr("Urge slip PDF"), "attachments": self.tr("Attachments"),
            "terminate": self.tr("Terminate"), "strike_off": self.tr("Strike off"),
            "draft_report": self.tr("Draft a report"),
        }[action]

    def step(self, action: str, dialog: StepDialog | None = None) -> StepDialog | None:
        """Take ``action`` on the current item; the steps that need words open a small
        dialog first (returned, so tests can fill it; ``dialog.accepted`` submits)."""
        row = self.current()
        if row is None:
            return None
        item_id = row.id
        due = dt.date.fromisoformat(str(row.item["due"])) if row.item.get("due") else None
        asks: dict[str, dict[str, Any]] = {
            "report": {"text_label_": self.tr("Progress so far"), "needs_text": True, "progress": True},
            "request_extension": {"text_label_": self.tr("Why more time is needed"),
                                  "needs_text": True,
                                  "date": (due or china_today()) + dt.timedelta(days=7)},
            "request_completion": {"text_label_": self.tr("What was done"), "needs_text": True},
            "verify_return": {"text_label_": self.tr("What is still missing"), "needs_text": True},
            "decide_refuse": {"text_label_": self.tr("Note")},
            "cancel": {"text_label_": self.tr("Reason"), "needs_text": True},
            "urge": {"text_label_": self.tr("Note")},
            "terminate": {"text_label_": self.tr("Why it is stopped"), "needs_text": True},
            "strike_off": {"text_label_": self.tr("Note")},
        }
        if action in ("split", "report_subtask", "cancel_subtask", "notice"):
            self._unit_step(action, row)
            return None
        if action in ("urge_pdf", "attachments", "draft_report"):
            L.lifecycle_step(self, action, row)
            return None
        if action not in asks:
            self._submit(action, item_id, None)
            return None
        step = dialog or StepDialog(self._button_text(action), parent=self, **asks[action])
        if dialog is None:
            L.extend_step(step, action, row.item)
        step.accepted.connect(lambda: self._submit(action, item_id, step))
        step.open()
        return step

    def _submit(self, action: str, item_id: str, step: StepDialog | None) -> None:
        text = step.text.toPlainText().strip() if step else ""
        args: dict[str, Any] = {"item_id": item_id}
        name = {"verify_return": I.VERIFY.name, "decide_refuse": I.DECIDE_EXTENSION.name}.get(
            action, f"supervision.{action}")
        one_line = " ".join(text.split())  # notes and reasons of one line
        if action == "report":
            args |= {"text": text, "progress": step.progress.currentData() if step else None}
        elif action == "request_extension":
            picked = step.date.date() if step else today_qdate()
            args |= {"new_due": picked.toString("yyyy-MM-dd"),
                     "reason": text}
        elif action == "request_completion":
            args |= {"report": text}
        elif action in ("verify", "verify_return"):
            args |= {"accept": action == "verify", "reason": text}
        elif action in ("decide_extension", "decide_refuse"):
            args |= {"approve": action == "decide_extension", "note": one_line}
        elif action in ("cancel", "terminate"):
            args |= {"reason": one_line}
        elif action == "urge":
            unit = getattr(step, "unit", None)
            args |= {"note": one_line, "unit_id": str(unit.currentData() or "") if unit else ""}
        elif action == "strike_off":
            args |= {"note": one_line}
        if action == "report":
            attach = getattr(step, "attach", None)
            L.submit_report(self, args, list(attach.files) if attach is not None else [])
            return

        def done(_mutation_id: str) -> None:
            self.status.setText(self.tr("Sent."))

        self.context.submit(name, args, done, self.work.fail)


    def _unit_step(self, action: str, row: Row, path: str = "") -> None:
        """分解, a sub-task's report or withdrawal, and the 督查通知单 (asks where to save
        it unless ``path`` is given; rendered in the background). The dialog opened is
        ``self.dialog``."""
        item = row.item
        if action == "notice":
            if not path:
                dialog = QFileDialog(self, self.tr("Save the supervision notice"),
                                     f"督查通知单-{item.get('number') or item['id']}.pdf",
                                     self.tr("PDF files (*.pdf)"))
                dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
                dialog.setDefaultSuffix("pdf")
                def chosen(picked: str) -> None:
                    if picked:
                        self._unit_step(action, row, picked)

                dialog.fileSelected.connect(chosen)
                self.dialog: QDialog = dialog
                dialog.open()
                return
            context, target = self.context, Path(path)
            self.work.run(lambda: U.write_notice(context, item, target),
                          lambda written: self.status.setText(
                              self.tr("Notice saved: {path}").format(path=str(written))))
            return
        if action == "split":
            context = self.context
            due = dt.date.fromisoformat(str(item["due"])) if item.get("due") else None

            def ask(choices: list[tuple[str, str]]) -> None:
                dialog = U.SplitDialog(choices, due, parent=self)
                dialog.accepted.connect(lambda: self.context.submit(
                    I.SPLIT.name, dialog.args(row.id, f"st-{uuid.uuid4().hex[:16]}"),
                    lambda _m: self.status.setText(self.tr("Sent.")), self.work.fail))
                self.dialog = dialog
                dialog.open()

            self.work.run(lambda: U.split_choices(context, item), ask)
            return
        svc = SupervisionService(self.context.cache, self.context.engine, self.context.principal)  # type: ignore[arg-type]
        withdraw = action == "cancel_subtask"
        subs = subtasks.open_subtasks(item) if withdraw else U.mine_to_report(svc.facts(), item)
        step = U.SubtaskDialog(subs, withdraw=withdraw, parent=self)
        name = I.CANCEL_SUBTASK.name if withdraw else I.REPORT_SUBTASK.name
        step.accepted.connect(lambda: self.context.submit(
            name, step.args(row.id), lambda _m: self.status.setText(self.tr("Sent.")), self.work.fail))
        self.dialog = step
        step.open()


def make_page(context: AppContext) -> QWidget:
    """Navigation factory for key ``supervision`` (cheap; data loads in the background)."""
    return SupervisionPage(context)


register_page("supervision", "督办", "supervision", make_page)
