"""Recurring meetings (例会) in the meeting form: the repeat section (none / weekly /
monthly, interval, weekdays, day of month or "the 2nd Tuesday", until or a number of
times, holidays skipped or moved, the room for every occurrence) with a live preview of
the occurrences and their conflicts (computed in the background from the local cache by
``modules.meetings.series_service.preview``), and the "this one / this and the
following / all" question when an occurrence of a series is changed or cancelled.

GUI thread; the preview and every submit go through hooks the form's opener provides
(:class:`SeriesHooks`), which run in the page's background work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import DomainError, ValidationFailed
from modules.meetings import intents as I
from modules.meetings import recurrence as RC
from modules.meetings import rules as R
from modules.meetings import series as S
from modules.meetings.series_service import (
    CONFLICT,
    MOVED,
    SKIPPED,
    Preview,
    PreviewRow,
    create_args,
)
from office_app.kit import RowListModel, error_text, list_view
from office_app.widgets import primary_button, set_touch, text_label

if TYPE_CHECKING:
    from modules.meetings.views.form import MeetingForm
    from office_app.context import AppContext
    from office_app.kit import PageWork

ShowPreview = Callable[[Preview], None]


@dataclass
class SeriesHooks:
    """What the form's opener provides: ``preview(rule, start, end, room_id, show)``
    computes a :class:`Preview` in the background and calls ``show`` with it;
    ``create(args)`` queues ``meetings.create_series``; ``change(args)`` queues
    ``meetings.update_series`` (``args`` carry the scope)."""

    preview: Callable[[dict[str, Any], dt.datetime, dt.datetime, str, ShowPreview], None]
    create: Callable[[dict[str, Any]], None]
    change: Callable[[dict[str, Any]], None]


def _t(text: str) -> str:
    return QCoreApplication.translate("RepeatSection", text)


def _english() -> bool:
    from office_app import i18n

    return i18n.current_lang() == "en"


def day_words(day: dt.date) -> str:
    """``10月8日 周四`` (``2026-10-08 Thu`` in English)."""
    if _english():
        return f"{day.isoformat()} {RC.WEEKDAY_EN[day.weekday()]}"
    return f"{day.month}月{day.day}日 周{RC.WEEKDAY_WORDS[day.weekday()]}"


def preview_line(row: PreviewRow) -> str:
    """One line of the preview, in the interface language."""
    note = row.note_en if _english() else row.note
    if row.kind == SKIPPED:
        if row.day != row.original:  # it would have moved onto a day the series meets
            return _t("%1 · no meeting (%2): the next working day, %3, has one already").replace(
                "%1", day_words(row.original)).replace("%2", note).replace("%3", day_words(row.day))
        return _t("%1 · no meeting (%2)").replace("%1", day_words(row.original)).replace("%2", note)
    assert row.start is not None and row.end is not None
    text = f"{day_words(row.day)} {R.words(row.start, with_date=False)}–" \
           f"{R.words(row.end, with_date=False)}"
    if row.kind == MOVED:
        text += " · " + _t("moved from %1").replace("%1", day_words(row.original))
    if row.provisional:
        text += " · " + _t("provisional: that year's holidays are not entered yet")
    if row.kind == CONFLICT:
        text += " · " + _t("room taken: %1").replace("%1", note)
    return text


class PreviewModel(RowListModel[PreviewRow]):
    """The occurrences of the rule being edited, with the dates it leaves out. ``KindRole``:
    ``ok`` / ``moved`` / ``skipped`` / ``conflict``."""

    KindRole = int(Qt.ItemDataRole.UserRole) + 40

    def value(self, row: PreviewRow, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return preview_line(row)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.kind == CONFLICT:
                return QColor("#c62828")
            if row.kind == SKIPPED:
                return QColor("#8a8a8a")
            return None
        if role == self.KindRole:
            return row.kind
        return super().value(row, role)


NTH = (1, 2, 3, 4, -1)


class RepeatSection(QWidget):
    """The repeat rule of a new meeting and its preview. ``changed``: the rule moved."""

    changed = Signal()

    def __init__(self, form: MeetingForm, hooks: SeriesHooks, *, compact: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("RepeatSection")
        self.form, self.hooks = form, hooks
        self.last_preview = Preview()
        first = form.interval()[0].astimezone(R.CHINA)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.frequency = QComboBox()
        self.frequency.setObjectName("RepeatFrequency")
        for text, key in ((self.tr("Does not repeat"), ""), (self.tr("Weekly"), RC.WEEKLY),
                          (self.tr("Monthly"), RC.MONTHLY)):
            self.frequency.addItem(text, key)
        outer.addWidget(self.frequency)

        self.details = QWidget()
        rows = self.rows = QFormLayout(self.details)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if compact
                              else QFormLayout.RowWrapPolicy.DontWrapRows)
        self.interval = QSpinBox()
        self.interval.setRange(1, RC.MAX_INTERVAL)
        self.unit = QLabel()
        every = QHBoxLayout()
        every.addWidget(self.interval)
        every.addWidget(self.unit, 1)
        rows.addRow(self.tr("Every"), every)

        self.weekday_row = QWidget()
        grid = QGridLayout(self.weekday_row)
        grid.setContentsMargins(0, 0, 0, 0)
        self.weekdays: list[QCheckBox] = []
        labels = (self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"),
                  self.tr("Sat"), self.tr("Sun"))
        for i, text in enumerate(labels):
            box = QCheckBox(text)
            box.setChecked(i == first.weekday())
            self.weekdays.append(box)
            per_row = 4 if compact else 7
            grid.addWidget(box, i // per_row, i % per_row)
        rows.addRow(self.tr("On"), self.weekday_row)

        self.monthly_row = QWidget()
        monthly = QHBoxLayout(self.monthly_row) if not compact else QVBoxLayout(self.monthly_row)
        monthly.setContentsMargins(0, 0, 0, 0)
        self.monthly_mode = QComboBox()
        self.monthly_mode.addItem(self.tr("On day"), "day")
        self.monthly_mode.addItem(self.tr("On the"), "nth")
        self.month_day = QSpinBox()
        self.month_day.setRange(1, 31)
        self.month_day.setValue(first.day)
        self.nth = QComboBox()
        nth_words = (self.tr("1st"), self.tr("2nd"), self.tr("3rd"), self.tr("4th"), self.tr("last"))
        for value, text in zip(NTH, nth_words, strict=True):
            self.nth.addItem(text, value)
        self.nth.setCurrentIndex(min((first.day - 1) // 7, 3))
        self.weekday = QComboBox()
        for text in (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"),
                     self.tr("Thursday"), self.tr("Friday"), self.tr("Saturday"),
                     self.tr("Sunday")):
            self.weekday.addItem(text)
        self.weekday.setCurrentIndex(first.weekday())
        for w in (self.monthly_mode, self.month_day, self.nth, self.weekday):
            monthly.addWidget(w)
        rows.addRow(self.tr("Day"), self.monthly_row)

        self.end_mode = QComboBox()
        self.end_mode.addItem(self.tr("Until"), "until")
        self.end_mode.addItem(self.tr("Number of times"), "count")
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        last = first.date() + dt.timedelta(days=90)
        self.until.setDate(QDate(last.year, last.month, last.day))
        self.count = QSpinBox()
        self.count.setRange(1, RC.MAX_OCCURRENCES)
        self.count.setValue(10)
        ends = QHBoxLayout()
        ends.addWidget(self.end_mode)
        ends.addWidget(self.until, 1)
        ends.addWidget(self.count, 1)
        rows.addRow(self.tr("Ends"), ends)

        self.holidays = QComboBox()
        self.holidays.setObjectName("RepeatHolidays")
        self.holidays.addItem(self.tr("Skip official holidays and weekends"), RC.SKIP)
        self.holidays.addItem(self.tr("Move to the next working day"), RC.MOVE)
        rows.addRow(self.tr("Holidays"), self.holidays)

        self.room = QComboBox()
        self.room.setObjectName("RepeatRoom")
        self.room.addItem(self.tr("No room (outside place or video link)"), "")
        rows.addRow(self.tr("Room"), self.room)
        self.skip_conflicts = QCheckBox(self.tr("Create it without the dates whose room is taken"))
        rows.addRow("", self.skip_conflicts)
        self.publish = QCheckBox(self.tr("Publish every meeting at once (the notices go out)"))
        self.publish.setObjectName("RepeatPublish")
        rows.addRow("", self.publish)

        self.summary = text_label("", "muted", wrap=True)
        self.summary.setObjectName("RepeatSummary")
        rows.addRow(self.summary)
        self.model = PreviewModel(self)
        self.list = list_view(self.model, name="SeriesPreview")
        self.list.setMinimumHeight(120)
        self.list.setMaximumHeight(240)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows.addRow(self.list)
        outer.addWidget(self.details)
        for part in (self.weekday_row, self.monthly_row, self.details, self):
            part.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh_preview)
        #: Until the organiser picks days, the rule follows the first meeting's date.
        self._days_touched = False
        form.start.dateTimeChanged.connect(self._follow_first)
        for signal in (self.frequency.currentIndexChanged, self.interval.valueChanged,
                       self.monthly_mode.currentIndexChanged, self.month_day.valueChanged,
                       self.nth.currentIndexChanged, self.weekday.currentIndexChanged,
                       self.end_mode.currentIndexChanged, self.until.dateChanged,
                       self.count.valueChanged, self.holidays.currentIndexChanged,
                       self.room.currentIndexChanged, form.start.dateTimeChanged,
                       form.end.dateTimeChanged):
            signal.connect(self._rule_moved)
        for box in self.weekdays:
            box.toggled.connect(self._rule_moved)
            box.clicked.connect(self._days_chosen)
        set_touch(compact, self.frequency, self.interval, self.monthly_mode, self.month_day,
                  self.nth, self.weekday, self.end_mode, self.until, self.count, self.holidays,
                  self.room)
        self._shape()

    # -- state ------------------------------------------------------------------------
    def repeating(self) -> bool:
        return bool(self.frequency.currentData())

    def set_rooms(self, rooms: Iterable[R.Room]) -> None:
        current = self.room.currentData()
        self.room.blockSignals(True)
        while self.room.count() > 1:
            self.room.removeItem(1)
        for room in rooms:
            place = " ".join(p for p in (room.building, room.floor) if p)
            self.room.addItem(f"{room.name} {place}".strip(), room.id)
        self.room.setCurrentIndex(max(0, self.room.findData(current)))
        self.room.blockSignals(False)

    def rule(self) -> dict[str, Any]:
        """The rule as ``meetings.create_series`` takes it (``RuleArgs``)."""
        frequency = str(self.frequency.currentData() or RC.WEEKLY)
        out: dict[str, Any] = {"frequency": frequency, "interval": self.interval.value(),
                               "holidays": str(self.holidays.currentData())}
        if frequency == RC.WEEKLY:
            out["weekdays"] = [i for i, box in enumerate(self.weekdays) if box.isChecked()]
        elif self.monthly_mode.currentData() == "day":
            out["month_day"] = self.month_day.value()
        else:
            out.update(nth=int(self.nth.currentData()), weekday=self.weekday.currentIndex())
        if self.end_mode.currentData() == "until":
            d = self.until.date()
            out["until"] = dt.date(d.year(), d.month(), d.day()).isoformat()
        else:
            out["count"] = self.count.value()
        return out

    def _shape(self) -> None:
        frequency = self.frequency.currentData()
        self.details.setVisible(bool(frequency))
        weekly = frequency == RC.WEEKLY
        self.unit.setText(self.tr("week(s)") if weekly else self.tr("month(s)"))
        self.weekday_row.setVisible(weekly)
        self.rows.setRowVisible(self.weekday_row, weekly)
        self.rows.setRowVisible(self.monthly_row, not weekly)
        by_day = self.monthly_mode.currentData() == "day"
        self.month_day.setVisible(by_day)
        self.nth.setVisible(not by_day)
        self.weekday.setVisible(not by_day)
        until = self.end_mode.currentData() == "until"
        self.until.setVisible(until)
        self.count.setVisible(not until)
        # a series books its room per occurrence: the form's single booking does not apply
        self.form.set_single_booking_visible(not frequency)

    def _days_chosen(self, *_args: Any) -> None:
        self._days_touched = True

    def _follow_first(self, *_args: Any) -> None:
        """The first meeting moved: the weekday and day of month follow it (until the
        organiser chose days themselves)."""
        if self._days_touched:
            return
        first = self.form.interval()[0].astimezone(R.CHINA)
        for i, box in enumerate(self.weekdays):
            box.blockSignals(True)
            box.setChecked(i == first.weekday())
            box.blockSignals(False)
        for w in (self.month_day, self.nth, self.weekday):
            w.blockSignals(True)
        self.month_day.setValue(first.day)
        self.nth.setCurrentIndex(min((first.day - 1) // 7, 3))
        self.weekday.setCurrentIndex(first.weekday())
        for w in (self.month_day, self.nth, self.weekday):
            w.blockSignals(False)

    def _rule_moved(self, *_args: Any) -> None:
        self._shape()
        self.changed.emit()
        if self.repeating():
            self._timer.start()

    # -- preview ----------------------------------------------------------------------
    def refresh_preview(self) -> None:
        """Ask for the preview now (the answer arrives through :meth:`set_preview`)."""
        if not self.repeating():
            return
        start, end = self.form.interval()
        self.summary.setText(self.tr("Working out the dates…"))
        self.hooks.preview(self.rule(), start, end, str(self.room.currentData() or ""),
                           self.set_preview)

    def set_preview(self, found: Preview) -> None:
        self.last_preview = found
        self.model.set_rows(found.rows)
        if found.error:
            self.summary.setText(found.error_en if _english() else found.error)
            return
        text = self.tr("%1 meetings").replace("%1", str(found.occurrences))
        skipped = sum(1 for r in found.rows if r.kind == SKIPPED)
        if skipped:
            text += self.tr(", %1 dates left out for holidays").replace("%1", str(skipped))
        if found.conflicts:
            text += self.tr(", %1 with the room taken").replace("%1", str(found.conflicts))
        if found.missing_years:
            text += self.tr(" — holidays of %1 not entered yet: those dates are provisional"
                            ).replace("%1", "、".join(str(y) for y in found.missing_years))
        self.summary.setText(text)

    # -- submitting -------------------------------------------------------------------
    def create_args(self) -> dict[str, Any]:
        args = create_args(self.form.args(), self.rule(),
                           room_id=str(self.room.currentData() or ""),
                           skip_conflicts=self.skip_conflicts.isChecked())
        if self.publish.isChecked():
            args["publish"] = True
        return args

    def check(self) -> str:
        """Words for what the rules refuse in the series, or ``""``."""
        args = self.create_args()
        try:
            parsed = I.CREATE_SERIES.parse(args)
            RC.rule_dates(RC.Rule.from_args(parsed.rule),
                          R.parse_time(parsed.start).astimezone(R.CHINA).date())
        except DomainError as exc:
            return error_text(exc)
        found = self.last_preview
        if found.conflicts and not self.skip_conflicts.isChecked() and found.problems:
            return error_text(S.refusal(list(found.problems), found.occurrences))
        return ""


class ScopeDialog(QDialog):
    """"This one / this and the following / all" for an occurrence of a series, three
    explicit buttons (never a guess). ``chosen(scope)`` on a click."""

    chosen = Signal(str)

    def __init__(self, title: str, question: str, parent: QWidget | None = None, *,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("ScopeDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(question, wrap=True))
        self.buttons: dict[str, QPushButton] = {}
        for scope, text, name in (
                (S.THIS, self.tr("This meeting only"), "ScopeThis"),
                (S.FOLLOWING, self.tr("This and the following meetings"), "ScopeFollowing"),
                (S.ALL, self.tr("All meetings of the series not yet held"), "ScopeAll")):
            button = primary_button(text) if scope == S.THIS else QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, s=scope: self._choose(s))
            layout.addWidget(button)
            self.buttons[scope] = button
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        layout.addWidget(cancel)
        set_touch(compact, cancel, *self.buttons.values())

    def _choose(self, scope: str) -> None:
        self.chosen.emit(scope)
        self.accept()


def series_note(meeting: Mapping[str, Any]) -> str:
    """``例会 · 每周的周二，共6次（遇节假日跳过） · 第3次`` for an occurrence."""
    index = int(meeting.get("occurrence") or 0) + 1
    text = _t("Series: %1 · meeting %2").replace("%1", str(meeting.get("series_words") or "")
                                                ).replace("%2", str(index))
    if meeting.get("provisional"):
        text += " · " + _t("provisional: that year's holidays are not entered yet")
    if meeting.get("day_off"):
        text += " · " + _t("falls on %1 (entered after it was planned): change or cancel it"
                           ).replace("%1", str(meeting["day_off"]))
    return text


def attach(form: MeetingForm, layout: QFormLayout, hooks: SeriesHooks | None, *,
           compact: bool = False) -> RepeatSection | None:
    """Add the repeat section to a new meeting's form (or, for an occurrence of a
    series, the line that says which); the section, or None."""
    if form.meeting.get("series_id"):
        layout.addRow(QCoreApplication.translate("RepeatSection", "Repeat"),
                      text_label(series_note(form.meeting), "muted", wrap=True))
        return None
    if form.meeting or hooks is None:
        return None
    section = RepeatSection(form, hooks, compact=compact)
    layout.addRow(section.tr("Repeat"), section)
    return section


def accept(form: MeetingForm, hooks: SeriesHooks | None) -> bool:
    """Handle Save for a series (True: handled here): a new series is checked and
    created; a change to an occurrence first asks how far it reaches."""
    if hooks is None:
        return False
    section = getattr(form, "repeat", None)
    if isinstance(section, RepeatSection) and section.repeating():
        words = form.check() or section.check()
        form.show_error(words)
        if not words:
            hooks.create(section.create_args())
        return True
    if not form.meeting.get("series_id"):
        return False
    words = form.check()
    form.show_error(words)
    if words:
        return True
    dialog = ScopeDialog(_t("Change a meeting of a series"),
                         _t("Which meetings does this change apply to?"), form)

    def chosen(scope: str) -> None:
        args = {**form.args(), "scope": scope}
        try:
            S.check_scope_change(I.UPDATE_SERIES.parse(args), form.meeting)
        except DomainError as exc:
            form.show_error(error_text(exc))
            return
        hooks.change(args)

    dialog.chosen.connect(chosen)
    form.scope_dialog = dialog
    dialog.open()
    return True


def publish_occurrence(owner: QWidget, meeting: Mapping[str, Any],
                       send: Callable[[dict[str, Any]], None], *,
                       compact: bool = False) -> ScopeDialog:
    """Publishing a draft occurrence: which ones (this / the following drafts / all
    drafts); ``send(args)`` queues ``meetings.publish_series``."""
    dialog = ScopeDialog(_t("Publish a meeting of a series"),
                         _t("Which meetings are published? Everyone invited is told."),
                         owner, compact=compact)
    dialog.chosen.connect(lambda scope: send({"meeting_id": meeting["id"], "scope": scope}))
    dialog.open()
    return dialog


def cancel_occurrence(owner: QWidget, meeting: Mapping[str, Any],
                      send: Callable[[dict[str, Any]], None], report: Callable[[str], None],
                      *, compact: bool = False) -> ScopeDialog:
    """Cancelling an occurrence: which ones (this / following / all), then the reason;
    ``send(args)`` queues ``meetings.cancel_series``."""
    dialog = ScopeDialog(_t("Cancel a meeting of a series"),
                         _t("Which meetings are cancelled? Everyone invited is told."), owner,
                         compact=compact)

    def chosen(scope: str) -> None:
        reason, ok = QInputDialog.getText(owner, _t("Cancel meeting"),
                                          _t("Reason (everyone invited is told)"))
        if not ok:
            return
        if not reason.strip():
            report(error_text(ValidationFailed("meetings.reason_required", what="取消原因",
                                               what_en="a reason")))
            return
        send({"meeting_id": meeting["id"], "scope": scope, "reason": reason.strip()})

    dialog.chosen.connect(chosen)
    dialog.open()
    return dialog


def hooks_for(context: AppContext, work: PageWork, report: Callable[[str], None],
              form: Callable[[], MeetingForm]) -> SeriesHooks:
    """The hooks of a form opened by ``open_meeting_form``: the preview in ``work``'s
    background from the local cache, the series intents through ``context.submit``."""
    from modules.meetings.series_service import preview as series_preview

    def preview(rule: dict[str, Any], start: dt.datetime, end: dt.datetime, room_id: str,
                show: ShowPreview) -> None:
        def compute() -> Preview:
            if context.cache is None:
                return Preview()
            return series_preview(context.cache, context.engine, context.principal, rule,
                                  start, end, room_id=room_id)

        work.run(compute, show, latest="form-series-preview")

    def sender(name: str, words: str) -> Callable[[dict[str, Any]], None]:
        def send(args: dict[str, Any]) -> None:
            def sent(_mutation_id: str) -> None:
                report(words.replace("%1", str(args.get("subject") or "")))
                form().accept()

            context.submit(name, args, sent, lambda exc: form().show_error(error_text(exc)))

        return send

    created = _t("Sent: the series %1. It takes effect when the server confirms it.")
    return SeriesHooks(
        preview,
        sender(I.CREATE_SERIES.name, created),
        sender(I.UPDATE_SERIES.name, _t("Sent: %1. It takes effect when the server confirms it.")))
