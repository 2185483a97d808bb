"""The working-day calendar section of the settings page (工作日历).

Everyone sees which years the holiday table covers — bundled with the application, or
entered by an administrator (who, when, version, source) — and a small "N working days
after a date" calculator that shows the provisional note when a year is missing. An
administrator of a top-level body (``modules.calendar.policy.may_set_calendar``) enters
or corrects a year in :class:`YearDialog`: a table of days, import from a CSV / JSON file
or pasted lines, checked by the rules before ``calendar.set_year`` is queued (online
only: the year takes effect when the server confirms it).

Threading: the table and the facts are read in the background (:class:`PageWork`), files
too; the calculator is pure and runs on the GUI thread over the loaded table.
"""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from modules.calendar import importer
from modules.calendar import intents as I
from modules.calendar.policy import may_set_calendar
from modules.calendar.rules import (
    HOLIDAY,
    MAKEUP_WORKDAY,
    SEED_PATH,
    DayEntry,
    Deadline,
    HolidayTable,
    add_working_days,
)
from modules.calendar.service import CalendarService
from modules.common.access import profile_facts
from modules.common.china_time import china_stamp, china_today
from modules.common.errors import DomainError
from office_app import bus as change_bus
from office_app.context import AppContext
from office_app.kit import PageWork, RowTableModel, error_text
from office_app.widgets import TOUCH_TARGET, set_touch, text_label

BODY = "directory.body"
Index = QModelIndex | QPersistentModelIndex


def kind_words(kind: str) -> str:
    """放假 / 调休上班 in the interface language."""
    if kind == HOLIDAY:
        return QCoreApplication.translate("CalendarSection", "Holiday")
    return QCoreApplication.translate("CalendarSection", "Make-up working day")


def weekday_words(day: date) -> str:
    names = (QCoreApplication.translate("CalendarSection", "Mon"),
             QCoreApplication.translate("CalendarSection", "Tue"),
             QCoreApplication.translate("CalendarSection", "Wed"),
             QCoreApplication.translate("CalendarSection", "Thu"),
             QCoreApplication.translate("CalendarSection", "Fri"),
             QCoreApplication.translate("CalendarSection", "Sat"),
             QCoreApplication.translate("CalendarSection", "Sun"))
    return names[day.weekday()]


# --------------------------------------------------------------------------- loading

@dataclass(frozen=True)
class YearRow:
    """One covered year: its counts and where it comes from."""

    year: int
    holidays: int
    makeup: int
    entered: bool
    version: int = 0
    source: str = ""
    updated_by: str = ""
    updated_at: str = ""

    @property
    def id(self) -> int:
        return self.year


@dataclass(frozen=True)
class Snapshot:
    """What the section shows, read in the background."""

    table: HolidayTable
    rows: tuple[YearRow, ...]
    may_edit: bool
    bundled_source: str


class _NoCache:
    def list(self, entity: str) -> list[dict[str, Any]]:
        return []

    def get(self, entity: str, entity_id: str) -> dict[str, Any] | None:
        return None


@functools.cache
def _bundled_source() -> str:
    data = json.loads(SEED_PATH.read_text(encoding="utf-8"))
    return str(data.get("source") or "")


def load_snapshot(cache: Any, principal: dict[str, Any]) -> Snapshot:
    """The table, one row per covered year (newest first) and whether the signed-in
    person may enter a year. Blocking: call off the GUI thread."""
    cache = cache if cache is not None else _NoCache()
    service = CalendarService(cache)
    table = service.table()
    entered = {int(r["year"]): r for r in service.entered_years() if r.get("year")}
    counts: dict[int, list[int]] = {y: [0, 0] for y in table.years}
    for entry in table.entries.values():
        if entry.day.year in counts:
            counts[entry.day.year][0 if entry.kind == HOLIDAY else 1] += 1
    rows = []
    for year in sorted(table.years, reverse=True):
        record = entered.get(year) or {}
        rows.append(YearRow(year, counts[year][0], counts[year][1], bool(record),
                            int(record.get("version") or 0), str(record.get("source") or ""),
                            str(record.get("updated_by") or ""),
                            str(record.get("updated_at") or "")))

    def body(body_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = cache.get(BODY, body_id)
        return found

    facts = profile_facts(principal, body)
    top = frozenset(o for o in facts.role_organs("sys_admin")
                    if (b := body(o)) is not None and not b.get("parent_id")
                    and b.get("active", True) is not False)
    return Snapshot(table, tuple(rows), may_set_calendar(facts, top), _bundled_source())


def _when(iso: str) -> str:
    try:
        return china_stamp(datetime.fromisoformat(iso), "%Y-%m-%d %H:%M")
    except ValueError:
        return iso


# --------------------------------------------------------------------------- models

class YearsModel(RowTableModel[YearRow]):
    """The covered years: year, days, origin (bundled / entered by whom, when, version),
    source."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("year", "days", "origin", "source")

    def header(self, key: str) -> str:
        return {"year": QCoreApplication.translate("YearsModel", "Year"),
                "days": QCoreApplication.translate("YearsModel", "Days"),
                "origin": QCoreApplication.translate("YearsModel", "Origin"),
                "source": QCoreApplication.translate("YearsModel", "Source")}[key]

    def cell(self, row: YearRow, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "year":
                return str(row.year)
            if key == "days":
                return QCoreApplication.translate("YearsModel", "%1 off · %2 make-up").replace(
                    "%1", str(row.holidays)).replace(
                    "%2", str(row.makeup))
            if key == "origin":
                if not row.entered:
                    return QCoreApplication.translate("YearsModel", "Bundled")
                return " · ".join(p for p in (row.updated_by, _when(row.updated_at),
                                              f"v{row.version}") if p)
            return row.source
        if role == Qt.ItemDataRole.ToolTipRole and key in ("origin", "source"):
            return row.source or None
        return None


class DaysModel(RowTableModel[DayEntry]):
    """The days of the year being entered: date, kind, name — editable in place."""

    COLUMNS: ClassVar[tuple[str, ...]] = ("date", "kind", "name")
    edited = Signal()

    def header(self, key: str) -> str:
        return {"date": QCoreApplication.translate("DaysModel", "Date"),
                "kind": QCoreApplication.translate("DaysModel", "Kind"),
                "name": QCoreApplication.translate("DaysModel", "Name")}[key]

    def cell(self, row: DayEntry, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "date":
                return f"{row.day.isoformat()} {weekday_words(row.day)}"
            return kind_words(row.kind) if key == "kind" else row.name
        if role == Qt.ItemDataRole.EditRole:
            if key == "date":
                return QDate(row.day.year, row.day.month, row.day.day)
            return row.kind if key == "kind" else row.name
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self._row_for(index)
        if row is None or role != Qt.ItemDataRole.EditRole:
            return False
        key = self.COLUMNS[index.column()]
        if key == "date":
            day = value.toPython() if isinstance(value, QDate) else value
            if not isinstance(day, date):
                return False
            fresh = dataclasses.replace(row, day=day)
        elif key == "kind":
            if value not in (HOLIDAY, MAKEUP_WORKDAY):
                return False
            fresh = dataclasses.replace(row, kind=str(value))
        else:
            fresh = dataclasses.replace(row, name=str(value).strip())
        self._rows[index.row()] = fresh
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole,
                                             Qt.ItemDataRole.EditRole])
        self.edited.emit()
        return True

    def append(self, entries: list[DayEntry]) -> None:
        if not entries:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(entries) - 1)
        self._rows.extend(entries)
        self.endInsertRows()
        self.edited.emit()

    def remove(self, rows: list[int]) -> None:
        for r in sorted(set(rows), reverse=True):
            if 0 <= r < len(self._rows):
                self.beginRemoveRows(QModelIndex(), r, r)
                del self._rows[r]
                self.endRemoveRows()
        self.edited.emit()


class _DayDelegate(QStyledItemDelegate):
    """A date editor (yyyy-MM-dd) for the date column, a kind picker for the kind."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        if index.column() == 0:
            edit = QDateEdit(parent)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            return edit
        if index.column() == 1:
            box = QComboBox(parent)
            for kind in (HOLIDAY, MAKEUP_WORKDAY):
                box.addItem(kind_words(kind), kind)
            return box
        line = QLineEdit(parent)
        line.setMaxLength(20)
        return line

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class NumberField(QLineEdit):
    """A whole number from ``low`` to ``high`` in a themed line edit (the theme's spin
    boxes draw no usable arrows); ``valueChanged(int)`` while the text is a number."""

    valueChanged = Signal(int)

    def __init__(self, low: int, high: int, value: int, parent: QWidget | None = None) -> None:
        super().__init__(str(value), parent)
        self._low, self._high = low, high
        self.setValidator(QIntValidator(low, high, self))
        self.setMaxLength(len(str(high)))
        self.textChanged.connect(self._typed)

    def value(self) -> int:
        try:
            return min(max(int(self.text()), self._low), self._high)
        except ValueError:
            return self._low

    def setValue(self, value: int) -> None:
        self.setText(str(value))

    def _typed(self, text: str) -> None:
        if text.isdigit() and self._low <= int(text) <= self._high:
            self.valueChanged.emit(int(text))


def _field_label(text: str, field: QWidget) -> QLabel:
    """A form label vertically centred on its (taller) field."""
    label = QLabel(text)
    label.setBuddy(field)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    label.setMinimumHeight(field.sizeHint().height())
    return label


# --------------------------------------------------------------------------- dialog

class YearDialog(QDialog):
    """Enter or correct one year's holidays and make-up working days.

    ``table`` is the current holiday table (the year's entries prefill the days until
    the user edits them); ``submit(args)`` queues ``calendar.set_year`` and reports a
    refusal back to :meth:`show_error`. GUI thread; files are read in the background.
    """

    def __init__(self, table: HolidayTable, year: int, *,
                 submit: Callable[[dict[str, Any]], None], parent: QWidget | None = None,
                 source: str = "", compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("CalendarYearDialog")
        self.setWindowTitle(self.tr("Enter a year's holidays"))
        self._table, self._submit = table, submit
        self._touched = False
        self.work = PageWork(self, self.show_error)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.year = NumberField(I.FIRST_YEAR, I.LAST_YEAR, year)
        self.year.setAccessibleName(self.tr("Year"))
        self.source = QLineEdit(source)
        self.source.setMaxLength(200)
        self.source.setPlaceholderText(self.tr("e.g. 国办发明电〔2026〕7号"))
        form.addRow(_field_label(self.tr("Year"), self.year), self.year)
        form.addRow(_field_label(self.tr("Source"), self.source), self.source)
        layout.addLayout(form)

        self.model = DaysModel(self)
        self.view = QTableView()
        self.view.setObjectName("CalendarDays")
        self.view.setModel(self.model)
        self.view.setItemDelegate(_DayDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.setMinimumHeight(200)
        layout.addWidget(self.view, 1)

        self.add_button = QPushButton(self.tr("Add a day"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.import_button = QPushButton(self.tr("Import a file…"))
        self.paste_button = QPushButton(self.tr("Paste lines…"))
        self.paste_button.setCheckable(True)
        row = QGridLayout()
        for i, button in enumerate((self.add_button, self.remove_button, self.import_button,
                                    self.paste_button)):
            # Two by two at phone width, in one line otherwise.
            row.addWidget(button, *((i // 2, i % 2) if compact else (0, i)))
        row.setColumnStretch(2 if compact else 4, 1)
        layout.addLayout(row)
        self.add_button.clicked.connect(self.add_day)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self._choose_file)

        self.paste_box = QPlainTextEdit()
        self.paste_box.setPlaceholderText("2027-02-06,makeup_workday,春节\n2027-02-11,放假,春节")
        self.paste_box.setFixedHeight(84)
        self.paste_add = QPushButton(self.tr("Add these lines"))
        self.paste_add.clicked.connect(self._paste)
        self.paste_box.hide()
        self.paste_add.hide()
        self.paste_button.toggled.connect(self.paste_box.setVisible)
        self.paste_button.toggled.connect(self.paste_add.setVisible)
        layout.addWidget(self.paste_box)
        layout.addWidget(self.paste_add, 0, Qt.AlignmentFlag.AlignLeft)

        self.hint = text_label(self.tr(
            "Lines or CSV columns: date, kind (holiday / makeup_workday, or 放假 / 调休上班), "
            "name. The year takes effect for everyone when the server confirms it."),
            "small", wrap=True)
        layout.addWidget(self.hint)
        self.error = text_label("", "error", wrap=True)
        self.error.setObjectName("DialogError")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Submit"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._prefill()
        self.model.edited.connect(self._edited)
        self.year.valueChanged.connect(self._year_changed)
        self.resize(620, 720)
        set_touch(compact, self.add_button, self.remove_button, self.import_button,
                  self.paste_button, self.paste_add, self.year, self.source)

    # -- the days -------------------------------------------------------------------
    def days(self) -> list[DayEntry]:
        return self.model.rows()

    def _prefill(self) -> None:
        year = self.year.value()
        entries = sorted((e for d, e in self._table.entries.items() if d.year == year),
                         key=lambda e: e.day)
        self.model.set_rows(entries)

    def _edited(self) -> None:
        self._touched = True

    def _year_changed(self, _year: int) -> None:
        if not self._touched:
            self._prefill()

    def set_days(self, entries: list[DayEntry]) -> None:
        self.model.set_rows(entries)
        self._touched = True

    def add_day(self) -> None:
        rows = self.model.rows()
        day = rows[-1].day + timedelta(days=1) if rows else date(self.year.value(), 1, 1)
        self.model.append([DayEntry(day, HOLIDAY, rows[-1].name if rows else "")])
        index = self.model.index(self.model.rowCount() - 1, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def remove_selected(self) -> None:
        self.model.remove([i.row() for i in self.view.selectionModel().selectedRows()]
                          or ([self.view.currentIndex().row()]
                              if self.view.currentIndex().isValid() else []))

    # -- import ---------------------------------------------------------------------
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import holidays"), "",
            self.tr("Holiday tables (*.csv *.json *.txt);;All files (*)"))
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Read ``path`` in the background; its days replace the table's."""
        self.show_error("")
        self.import_button.setEnabled(False)
        self.work.run(lambda: importer.read_file(path), self._imported, self._import_failed,
                      latest="import")

    def _imported(self, found: importer.Imported) -> None:
        self.import_button.setEnabled(True)
        if found.year is not None and I.FIRST_YEAR <= found.year <= I.LAST_YEAR:
            self._touched = True
            self.year.setValue(found.year)
        if found.source:
            self.source.setText(found.source)
        self.set_days(list(found.days))
        if found.year is None and found.days:
            years = {e.day.year for e in found.days}
            if len(years) == 1:
                self.year.setValue(years.pop())

    def _import_failed(self, exc: BaseException) -> None:
        self.import_button.setEnabled(True)
        self.show_error(error_text(exc))

    def _paste(self) -> None:
        self.import_text(self.paste_box.toPlainText())

    def import_text(self, text: str) -> None:
        """Add the days of pasted lines ``date,kind,name`` after the table's."""
        try:
            entries = importer.parse_lines(text)
        except DomainError as exc:
            self.show_error(error_text(exc))
            return
        self.show_error("")
        self.model.append(entries)
        self.paste_box.clear()

    # -- submit ---------------------------------------------------------------------
    def args(self) -> dict[str, Any]:
        return {"year": self.year.value(), "source": self.source.text().strip(),
                "days": [{"date": e.day.isoformat(), "kind": e.kind, "name": e.name}
                         for e in self.days()]}

    def check(self) -> dict[str, Any] | None:
        """The intent's arguments, or None after saying in the dialog what is wrong (the
        rules' own words; the bad row is selected)."""
        if not self.days():
            self.show_error(self.tr("Enter at least one day of the notice."))
            return None
        try:
            HolidayTable.build([self.year.value()], self.days())
            args = self.args()
            I.SET_YEAR.parse(args)
        except DomainError as exc:
            self.show_error(error_text(exc))
            line = exc.params.get("line")
            if isinstance(line, int) and 0 < line <= self.model.rowCount():
                self.view.selectRow(line - 1)
            return None
        return args

    def _accept(self) -> None:
        args = self.check()
        if args is None:
            return
        self.show_error("")
        self.set_busy(True)
        self._submit(args)

    def set_busy(self, busy: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def show_error(self, text: str) -> None:
        if text:
            self.set_busy(False)
        self.error.setText(text)
        self.error.setVisible(bool(text))


# --------------------------------------------------------------------------- section

class CalendarSection(QGroupBox):
    """The 工作日历 section of the settings page (see the module docstring)."""

    #: The table and the facts arrived (tests wait for it).
    loaded = Signal()
    #: ``calendar.set_year`` was queued (its arguments).
    queued = Signal(dict)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Working-day calendar"))
        self.setObjectName("CalendarSection")
        self.context = context
        self.snapshot: Snapshot | None = None
        self.dialog: YearDialog | None = None
        self._compact = False
        self.work = PageWork(self, self._report)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.summary = text_label(self.tr("Loading…"), wrap=True)
        layout.addWidget(self.summary)
        self.missing = text_label("", "notice", wrap=True)
        self.missing.hide()
        layout.addWidget(self.missing)

        self.model = YearsModel(self)
        self.view = QTableView()
        self.view.setObjectName("CalendarYears")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.view.setFixedHeight(230)
        self.view.doubleClicked.connect(lambda _i: self.open_year_dialog(self.selected_year()))
        layout.addWidget(self.view)

        self.enter_button = QPushButton(self.tr("Enter a year…"))
        self.correct_button = QPushButton(self.tr("Correct the selected year…"))
        self.enter_button.clicked.connect(lambda: self.open_year_dialog())
        self.correct_button.clicked.connect(lambda: self.open_year_dialog(self.selected_year()))
        admin = QHBoxLayout()
        admin.addWidget(self.enter_button)
        admin.addWidget(self.correct_button)
        admin.addStretch(1)
        self.admin_row = QWidget()
        self.admin_row.setLayout(admin)
        admin.setContentsMargins(0, 0, 0, 0)
        self.admin_row.hide()
        layout.addWidget(self.admin_row)
        self.read_only_note = text_label(self.tr(
            "Only an administrator of a top-level body enters a new year's schedule, "
            "when the State Council's notice appears."), "small", wrap=True)
        self.read_only_note.hide()
        layout.addWidget(self.read_only_note)
        self.status = text_label("", "small", wrap=True)
        self.status.hide()
        layout.addWidget(self.status)

        layout.addWidget(text_label(self.tr("Working days after a date"), "heading"))
        calc = QFormLayout()
        calc.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        calc.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        calc.setHorizontalSpacing(16)
        today = china_today()
        self.start = QDateEdit(QDate(today.year, today.month, today.day))
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setCalendarPopup(True)
        self.start.setMinimumWidth(160)
        self.start.setMinimumHeight(36)
        self.count = NumberField(0, 365, 5)
        self.count.setMinimumWidth(160)
        self.count.setAccessibleName(self.tr("Working days"))
        self.result = text_label("", "heading", selectable=True)
        self.note = text_label("", "small", wrap=True)
        self.note.hide()
        calc.addRow(_field_label(self.tr("From"), self.start), self.start)
        calc.addRow(_field_label(self.tr("Working days"), self.count), self.count)
        calc.addRow(self.tr("Deadline"), self.result)
        layout.addLayout(calc)
        layout.addWidget(self.note)
        self.start.dateChanged.connect(self.compute)
        self.count.valueChanged.connect(self.compute)

        self.context.bus.changed.connect(self._changed)
        self.reload()

    # -- loading --------------------------------------------------------------------
    def reload(self) -> None:
        cache, principal = self.context.cache, dict(self.context.principal)
        self.work.run(lambda: load_snapshot(cache, principal), self._show, latest="load")

    def _changed(self, changes: Any) -> None:
        if change_bus.touches(changes, I.ENTITY, BODY):
            self.reload()

    def _show(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self.model.set_rows(snap.rows)
        years = sorted(snap.table.years)
        entered = sum(1 for r in snap.rows if r.entered)
        span = f"{years[0]}–{years[-1]}" if years else "—"
        text = self.tr("Covers %1 · table version %2 · %3 year(s) entered by administrators."
                       ).replace("%1", span).replace("%2", str(snap.table.version)).replace(
                           "%3", str(entered))
        if snap.bundled_source:
            text += " " + self.tr("Bundled years: %1.").replace("%1", snap.bundled_source)
        self.summary.setText(text)
        wanted = [y for y in (china_today().year, china_today().year + 1)
                  if not snap.table.covers(y)]
        # The rules' own sentence for a deadline that runs into those years.
        self.missing.setText(Deadline(china_today(), tuple(wanted)).note(self.context.lang))
        self.missing.setVisible(bool(wanted))
        editable = snap.may_edit and self.context.engine is not None
        self.admin_row.setVisible(editable)
        self.read_only_note.setVisible(not editable)
        self.compute()
        self.loaded.emit()

    def _report(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # -- calculator -----------------------------------------------------------------
    def compute(self) -> None:
        if self.snapshot is None:
            return
        start = self.start.date().toPython()
        if not isinstance(start, date):
            return
        deadline = add_working_days(start, self.count.value(), self.snapshot.table)
        self.result.setText(f"{deadline.day.isoformat()} {weekday_words(deadline.day)}")
        note = deadline.note(self.context.lang)
        self.note.setText(note)
        self.note.setVisible(bool(note))

    # -- entering a year --------------------------------------------------------------
    def selected_year(self) -> int | None:
        row = self.model.row_at(self.view.currentIndex().row())
        return row.year if row is not None else None

    def open_year_dialog(self, year: int | None = None) -> YearDialog | None:
        """The dialog for ``year`` (prefilled with its current days), or for the first
        year after the covered ones; None unless the person may enter a year."""
        snap = self.snapshot
        if snap is None or not snap.may_edit or self.context.engine is None:
            return None
        if year is None:
            year = max(snap.table.years, default=china_today().year - 1) + 1
        source = next((r.source for r in snap.rows if r.year == year), "")
        dialog = YearDialog(snap.table, year, source=source, parent=self, compact=self._compact,
                            submit=lambda args: self._submit(dialog, args))
        if self._compact:  # the whole phone screen
            dialog.resize(self.window().size())
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _submit(self, dialog: YearDialog, args: dict[str, Any]) -> None:
        def done(_mutation_id: str) -> None:
            if not shiboken6.isValid(self):
                return
            self._report(self.tr("The %1 schedule was sent; it takes effect when the "
                                 "server confirms it.").replace("%1", str(args["year"])))
            self.queued.emit(args)
            if shiboken6.isValid(dialog):
                dialog.accept()

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(dialog):
                dialog.show_error(error_text(exc))
            elif shiboken6.isValid(self):
                self._report(error_text(exc))

        self.context.submit(I.SET_YEAR.name, args, done, failed)

    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        self.view.setColumnHidden(1, compact)
        self.view.setColumnHidden(3, compact)
        set_touch(compact, self.enter_button, self.correct_button, self.count)
        # The theme does not style date edits: their height is set here (its inner
        # field must reach the touch height too).
        self.start.setMinimumHeight(TOUCH_TARGET + 4 if compact else 36)
