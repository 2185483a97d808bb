"""The seat plan (座次) of one meeting (GUI thread).

The room is drawn as seen from the hall (the 主席台 or head table on top), one box per
seat with its number in the row and the name in it. Drag a name onto another seat to
swap the two (or to move it to an empty seat); pick someone in "Not seated" and click a
seat to put them there. "Fill by rank" seats everyone by the conventional rules of
:mod:`modules.meetings.seating` (the order arranged and saved before comes first when
"Keep my order" is ticked). "Save" queues ``meetings.save_seating`` (online: it takes
effect when the server confirms it); "Table cards (PDF)" writes one folded card per
seated person, in the background.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QMouseEvent, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import DomainError
from modules.meetings import seating as S
from modules.meetings.seating_service import SeatingData, SeatingReads
from modules.meetings.table_cards import render_table_cards
from office_app import i18n
from office_app.bus import touches
from office_app.kit import PageWork, RowListModel, list_view
from office_app.widgets import primary_button, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext

SEAT_W, SEAT_H, GAP = 104.0, 56.0, 12.0


def _words(pair: tuple[str, str]) -> str:
    return pair[1] if i18n.current_lang() == "en" else pair[0]


class UnseatedModel(RowListModel[dict[str, str]]):
    """People not seated yet: rows ``{"id", "name"}``, in rank order."""

    def value(self, row: dict[str, str], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row["name"]
        return super().value(row, role)


class SeatItem(QGraphicsRectItem):
    """One seat: its box, its number and the name sitting there."""

    def __init__(self, seat: S.Seat, x: float, y: float) -> None:
        super().__init__(0, 0, SEAT_W, SEAT_H)
        self.seat = seat
        self.setPos(x, y)
        self.setData(0, seat.id)
        self.number = QGraphicsSimpleTextItem(str(seat.number), self)
        self.number.setBrush(QColor("#8a8f98"))
        small = QFont()
        small.setPointSizeF(7.5)
        self.number.setFont(small)
        self.number.setPos(4, 2)
        self.label = QGraphicsSimpleTextItem("", self)
        big = QFont()
        big.setPointSizeF(11)
        self.label.setFont(big)
        self.set_name("", selected=False)

    def set_name(self, name: str, *, selected: bool) -> None:
        self.label.setText(name)
        box = self.label.boundingRect()
        if box.width() > SEAT_W - 8:  # long names shrink to fit
            self.label.setScale((SEAT_W - 8) / box.width())
        else:
            self.label.setScale(1.0)
        w, h = box.width() * self.label.scale(), box.height() * self.label.scale()
        self.label.setPos((SEAT_W - w) / 2, (SEAT_H - h) / 2 + 4)
        filled = QColor("#e8f0fe") if name else QColor("#ffffff")
        self.setBrush(QBrush(QColor("#ffe8a3") if selected else filled))
        self.setPen(QPen(QColor("#1a73e8") if name else QColor("#c0c4cc"), 1.4))


class SeatPlanView(QGraphicsView):
    """The drawing. ``dropped(source, target)`` when a name is dragged from one seat to
    another; ``clicked(seat)`` for a click without a drag."""

    dropped = Signal(str, str)
    clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SeatPlan")
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.items_by_id: dict[str, SeatItem] = {}
        self._drag_from = ""
        self._ghost: QGraphicsSimpleTextItem | None = None
        self._press = QPointF()
        #: the smallest zoom (phone width: names stay readable, the view scrolls)
        self.min_scale = 0.0

    # -- drawing
    def draw(self, layout: S.Layout, names: dict[str, str], selected: str = "") -> None:
        scene = self.scene()
        scene.clear()
        self._ghost = None
        self.items_by_id = {}
        step_x, step_y = SEAT_W + GAP, SEAT_H + GAP
        for seat in layout.seats:
            item = SeatItem(seat, seat.x * step_x, seat.y * step_y)
            item.set_name(names.get(seat.id, ""), selected=seat.id == selected)
            scene.addItem(item)
            self.items_by_id[seat.id] = item
        table = QBrush(QColor("#d7ccc8"))
        none = QPen(Qt.PenStyle.NoPen)
        kind = layout.spec.kind
        width = layout.width * step_x - GAP
        if kind == S.ROSTRUM:
            rostrum_rows = {s.row for s in layout.seats if s.zone == "rostrum"}
            if rostrum_rows:  # the 主席台's table in front of its first row
                y = SEAT_H + 2
                scene.addRect(QRectF(0, y, width, GAP - 4), none, table)
        elif kind == S.FACING:
            scene.addRect(QRectF(0, step_y + 4, width, SEAT_H - 8), none, table)
        else:
            depth = layout.height * step_y
            scene.addRect(QRectF(SEAT_W + 4, SEAT_H + 2, width - 2 * SEAT_W - 8, GAP - 4),
                          none, table)
            for x in (SEAT_W + 2, width - SEAT_W - GAP + 2):
                scene.addRect(QRectF(x, SEAT_H + 2, GAP - 4, depth - SEAT_H - GAP), none, table)
        for zone, row_y in self._zone_labels(layout):
            label = scene.addSimpleText(_words(S.ZONE_WORDS[zone]))
            label.setBrush(QColor("#5f6368"))
            label.setPos(-label.boundingRect().width() - 12, row_y * step_y + SEAT_H / 2 - 8)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-12, -12, 12, 12))
        self.fit()

    @staticmethod
    def _zone_labels(layout: S.Layout) -> list[tuple[str, float]]:
        seen: dict[str, float] = {}
        for seat in layout.seats:
            if seat.zone not in ("arm_l", "arm_r"):
                seen.setdefault(seat.zone, seat.y)
        return list(seen.items())

    def fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.resetTransform()
        scale = max(min(self.viewport().width() / rect.width(),
                        self.viewport().height() / rect.height(), 2.0), self.min_scale)
        self.scale(scale, scale)
        self.centerOn(rect.center())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    # -- dragging
    def seat_at(self, pos: QPointF) -> str:
        for item in self.scene().items(pos):
            while item is not None and not isinstance(item, SeatItem):
                item = item.parentItem()
            if isinstance(item, SeatItem):
                return item.seat.id
        return ""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = self.mapToScene(event.position().toPoint())
        self._drag_from = self.seat_at(self._press)
        if self._drag_from and self.items_by_id[self._drag_from].label.text():
            self._ghost = self.scene().addSimpleText(self.items_by_id[self._drag_from].label.text())
            self._ghost.setBrush(QColor("#1a73e8"))
            self._ghost.setZValue(10)
            self._ghost.setPos(self._press)
            self._ghost.setVisible(False)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._ghost is not None:
            here = self.mapToScene(event.position().toPoint())
            self._ghost.setVisible((here - self._press).manhattanLength() > 6)
            self._ghost.setPos(here)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        here = self.mapToScene(event.position().toPoint())
        dragged = self._ghost is not None and self._ghost.isVisible()
        if self._ghost is not None:
            self.scene().removeItem(self._ghost)
            self._ghost = None
        source, self._drag_from = self._drag_from, ""
        target = self.seat_at(here)
        if dragged and source and target and source != target:
            self.dropped.emit(source, target)
        elif target and not dragged:
            self.clicked.emit(target)
        event.accept()

    def drag(self, source: str, target: str) -> None:
        """What a drag from seat ``source`` onto seat ``target`` does (tests, keyboard)."""
        if source in self.items_by_id and target in self.items_by_id and source != target:
            self.dropped.emit(source, target)


class SeatPlanDialog(QDialog):
    """Signals ``refreshed`` after a read was applied, ``cards_written(path)`` after the
    PDF was written (tests wait on them)."""

    refreshed = Signal()
    cards_written = Signal(str)

    def __init__(self, context: AppContext, meeting: dict[str, Any], parent: Any = None, *,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("SeatPlanDialog")
        self.setWindowTitle(self.tr("Seat plan: %1").replace("%1", str(meeting.get("subject") or "")))
        self.context, self.meeting_id = context, str(meeting["id"])
        self.data: SeatingData | None = None
        self.layout_ = S.build_layout(S.LayoutArgs())
        self.seats: dict[str, dict[str, str]] = {}
        self.order: list[str] = []
        self.version = 0
        self.selected_seat = ""
        self.dirty = False
        self._loading = False
        root = QVBoxLayout(self)
        self.heading = text_label("", "heading", wrap=True)
        root.addWidget(self.heading)
        self.controls = QWidget()
        self.controls_box = QHBoxLayout(self.controls)
        self.controls_box.setContentsMargins(0, 0, 0, 0)
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Rostrum and hall"), S.ROSTRUM)
        self.kind.addItem(self.tr("Facing table"), S.FACING)
        self.kind.addItem(self.tr("U shape"), S.U_SHAPE)
        self.rostrum_rows = QLineEdit()
        self.rostrum_rows.setPlaceholderText(self.tr("Rostrum rows, e.g. 7,9"))
        self.hall_rows = QLineEdit()
        self.hall_rows.setPlaceholderText(self.tr("Hall rows, e.g. 12,12,12"))
        self.per_side = QSpinBox()
        self.per_side.setRange(1, S.MAX_ROW_SEATS)
        self.per_side.setPrefix(self.tr("Per side: "))
        self.head = QSpinBox()
        self.head.setRange(1, S.MAX_ROW_SEATS)
        self.head.setPrefix(self.tr("Head: "))
        self.arms = QSpinBox()
        self.arms.setRange(0, S.MAX_ROW_SEATS)
        self.arms.setPrefix(self.tr("Each arm: "))
        self.honour = QComboBox()
        self.honour.addItem(self.tr("No. 2 on No. 1's left"), S.LEFT)
        self.honour.addItem(self.tr("No. 2 on No. 1's right"), S.RIGHT)
        self.honour.setToolTip(self.tr("Sides as seen by the people in the chair's row, "
                                       "facing the room"))
        self.rostrum_label = text_label(self.tr("Rostrum rows"), "muted")
        self.hall_label = text_label(self.tr("Hall rows"), "muted")
        self.rostrum_rows.setToolTip(self.tr("Seats per row of the rostrum, front row first"))
        self.hall_rows.setToolTip(self.tr("Seats per row of the hall, front row first"))
        first, second = QHBoxLayout(), QHBoxLayout()
        for combo in (self.kind, self.honour):
            first.addWidget(combo, 1)
        w: QWidget
        for w in (self.rostrum_label, self.rostrum_rows, self.hall_label, self.hall_rows,
                  self.per_side, self.head, self.arms):
            second.addWidget(w)
        self.controls_box.addLayout(first)
        self.controls_box.addLayout(second)
        self.controls_box.addStretch(1)
        root.addWidget(self.controls)
        self.body = QWidget()
        self.body_box = QHBoxLayout(self.body)
        self.body_box.setContentsMargins(0, 0, 0, 0)
        self.view = SeatPlanView()
        self.view.setMinimumHeight(240)
        self.body_box.addWidget(self.view, 3)
        side = QWidget()
        side_box = QVBoxLayout(side)
        side_box.setContentsMargins(0, 0, 0, 0)
        side_box.addWidget(text_label(self.tr("Not seated"), "muted"))
        self.unseated = UnseatedModel(self)
        self.unseated_list = list_view(self.unseated, name="Unseated")
        side_box.addWidget(self.unseated_list, 1)
        self.unseat = QPushButton(self.tr("Take off the seat"))
        self.unseat.clicked.connect(self.unseat_selected)
        side_box.addWidget(self.unseat)
        self.side = side
        self.body_box.addWidget(side, 1)
        root.addWidget(self.body, 1)
        self.keep_order = QCheckBox(self.tr("Keep my order"))
        self.keep_order.setToolTip(self.tr("Fill by rank puts the order saved last first"))
        self.message = text_label("", "muted", wrap=True)
        root.addWidget(self.message)
        buttons = QHBoxLayout()
        self.fill_button = QPushButton(self.tr("Fill by rank"))
        self.fill_button.clicked.connect(self.fill_by_rank)
        self.cards_button = QPushButton(self.tr("Table cards (PDF)"))
        self.cards_button.clicked.connect(lambda: self.save_cards())
        self.save_button = primary_button(self.tr("Save"))
        self.save_button.clicked.connect(self.save)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.accept)
        buttons.addWidget(self.keep_order)
        buttons.addStretch(1)
        for b in (self.fill_button, self.cards_button, self.close_button, self.save_button):
            buttons.addWidget(b)
        root.addLayout(buttons)
        self.buttons = buttons
        self.work = PageWork(self, self.message.setText)
        self.view.dropped.connect(self.swap_seats)
        self.view.clicked.connect(self.seat_clicked)
        self.kind.currentIndexChanged.connect(self._layout_changed)
        self.honour.currentIndexChanged.connect(self._layout_changed)
        for edit in (self.rostrum_rows, self.hall_rows):
            edit.editingFinished.connect(self._layout_changed)
        for spin in (self.per_side, self.head, self.arms):
            spin.valueChanged.connect(self._layout_changed)
        context.bus.changed.connect(self._on_changes)
        self.set_compact(compact)
        room = self.screen().availableGeometry()
        self.resize(min(1100, room.width()), min(760, room.height()))
        self.refresh()

    # -- phone width
    def set_compact(self, compact: bool) -> None:
        self.compact = compact
        direction = QBoxLayout.Direction.TopToBottom if compact else QBoxLayout.Direction.LeftToRight
        self.controls_box.setDirection(direction)
        self.body_box.setDirection(direction)
        self.view.min_scale = 0.6 if compact else 0.0  # phone: readable names, pan sideways
        self.side.setMaximumHeight(150 if compact else 16_777_215)
        self.rostrum_label.setText(self.tr("Rostrum") if compact else self.tr("Rostrum rows"))
        self.hall_label.setText(self.tr("Hall") if compact else self.tr("Hall rows"))
        for edit in (self.rostrum_rows, self.hall_rows):
            edit.setMaximumWidth(16_777_215 if compact else 150)
        set_touch(compact, self.kind, self.rostrum_rows, self.hall_rows, self.per_side,
                  self.head, self.arms, self.honour, self.fill_button, self.cards_button,
                  self.save_button, self.close_button, self.unseat)
        self.cards_button.setText(self.tr("Cards") if compact else self.tr("Table cards (PDF)"))

    # -- reading
    def refresh(self) -> None:
        context, meeting_id = self.context, self.meeting_id

        def read() -> SeatingData | None:
            if context.cache is None:
                return None
            return SeatingReads(context.cache, context.engine, context.principal).load(meeting_id)

        self.work.run(read, self._apply, latest="seating")

    def _on_changes(self, changes: Any) -> None:
        if touches(changes, S.SEATING) and not self.dirty:
            self.refresh()

    def _apply(self, data: SeatingData | None) -> None:
        if data is None:
            self.message.setText(self.tr("This meeting is not on this device."))
            self.refreshed.emit()
            return
        self.data = data
        plan = data.plan or {}
        self.version = int(plan.get("version") or 0)
        self.order = [str(p) for p in plan.get("order") or ()]
        self.keep_order.setChecked(bool(self.order))
        self.keep_order.setVisible(bool(self.order))
        self._show_layout_spec(data.layout)
        self.layout_ = S.build_layout(data.layout)
        self.seats = dict(data.seats)
        self.dirty = False
        if not self.seats and data.attendees:
            self.fill_by_rank(mark=False)
        for w in (self.save_button, self.fill_button, self.controls, self.unseat):
            w.setEnabled(data.organises)
        self.heading.setText(self.tr("%1 people to seat; drag a name onto another seat to swap.")
                             .replace("%1", str(len(data.attendees))))
        self._redraw()
        self.refreshed.emit()

    def _show_layout_spec(self, spec: S.LayoutArgs) -> None:
        self._loading = True
        self.kind.setCurrentIndex(max(self.kind.findData(spec.kind), 0))
        self.honour.setCurrentIndex(max(self.honour.findData(spec.honour), 0))
        self.rostrum_rows.setText(",".join(str(n) for n in spec.rostrum))
        self.hall_rows.setText(",".join(str(n) for n in spec.hall))
        self.per_side.setValue(max(spec.per_side, 1))
        self.head.setValue(max(spec.head, 1))
        self.arms.setValue(spec.arms)
        self._loading = False
        self._kind_fields()

    def _kind_fields(self) -> None:
        kind = self.kind.currentData()
        for w in (self.rostrum_label, self.rostrum_rows, self.hall_label, self.hall_rows):
            w.setVisible(kind == S.ROSTRUM)
        self.per_side.setVisible(kind == S.FACING)
        self.head.setVisible(kind == S.U_SHAPE)
        self.arms.setVisible(kind == S.U_SHAPE)

    @staticmethod
    def _numbers(text: str) -> list[int]:
        out = []
        for part in text.replace("，", ",").replace(" ", ",").split(","):
            if part.strip().isdigit():
                out.append(min(int(part), S.MAX_ROW_SEATS))
        return out

    def layout_spec(self) -> S.LayoutArgs:
        """The layout the controls describe."""
        return S.LayoutArgs(kind=self.kind.currentData(), honour=self.honour.currentData(),
                            rostrum=self._numbers(self.rostrum_rows.text())[:5],
                            hall=self._numbers(self.hall_rows.text())[:S.MAX_ROWS],
                            per_side=self.per_side.value(), head=self.head.value(),
                            arms=self.arms.value())

    def _layout_changed(self, *_: Any) -> None:
        if self._loading:
            return
        self._kind_fields()
        try:
            layout = S.build_layout(self.layout_spec())
        except (DomainError, ValueError) as exc:  # refused in words
            self.work.fail(exc)
            return
        self.layout_ = layout
        self.fill_by_rank()

    # -- editing
    def _by_id(self) -> dict[str, S.Attendee]:
        return {a.person_id: a for a in (self.data.attendees if self.data else [])}

    def fill_by_rank(self, *, mark: bool = True) -> None:
        """Seat everyone by rank in the current layout (people by name only are kept
        out: they are placed by hand)."""
        people = list(self.data.attendees) if self.data else []
        saved_guests = (self.data.plan or {}).get("guests") if self.data else None
        if saved_guests:  # the guest side as the organiser saved it
            people = [dataclasses.replace(a, guest=a.person_id in set(saved_guests))
                      for a in people]
        explicit = self.order if self.keep_order.isChecked() else []
        ranked = S.rank_order(people, explicit)
        result = S.fill(self.layout_, ranked)
        names = {a.person_id: a.name for a in people}
        self.seats = {seat: {"person_id": pid, "name": names[pid]}
                      for seat, pid in result.seats.items()}
        self.selected_seat = ""
        self.dirty = mark or self.dirty
        self._redraw()

    def swap_seats(self, a: str, b: str) -> None:
        """Exchange the people of seats ``a`` and ``b`` (what dragging does)."""
        out = dict(self.seats)
        pa, pb = out.pop(a, None), out.pop(b, None)
        if pb is not None:
            out[a] = pb
        if pa is not None:
            out[b] = pa
        self.seats = out
        self.selected_seat = ""
        self.dirty = True
        self._redraw()

    def seat_clicked(self, seat_id: str) -> None:
        """With someone picked in "Not seated": put them there (whoever sat there goes
        back to the list). Otherwise: select the seat (for "Take off the seat")."""
        index = self.unseated_list.currentIndex()
        row = self.unseated.row_at(index.row()) if index.isValid() else None
        if row is not None:
            self.place(row["id"], seat_id)
            return
        self.selected_seat = "" if self.selected_seat == seat_id else seat_id
        self._redraw()

    def place(self, person_id: str, seat_id: str) -> None:
        name = self._by_id().get(person_id)
        out = {k: v for k, v in self.seats.items() if v.get("person_id") != person_id}
        out[seat_id] = {"person_id": person_id, "name": name.name if name else person_id}
        self.seats = out
        self.dirty = True
        self.unseated_list.clearSelection()
        self.unseated_list.setCurrentIndex(QModelIndex())
        self._redraw()

    def unseat_selected(self) -> None:
        if self.selected_seat:
            self.seats.pop(self.selected_seat, None)
            self.selected_seat = ""
            self.dirty = True
            self._redraw()

    def _redraw(self) -> None:
        ids = self.layout_.ids()
        self.seats = {k: v for k, v in self.seats.items() if k in ids}
        self.view.draw(self.layout_, {k: v["name"] for k, v in self.seats.items()},
                       self.selected_seat)
        seated = {v["person_id"] for v in self.seats.values() if v.get("person_id")}
        people = self.data.attendees if self.data else []
        explicit = self.order if self.keep_order.isChecked() else []
        rest = [a for a in S.rank_order(people, explicit) if a.person_id not in seated]
        self.unseated.set_rows([{"id": a.person_id, "name": a.name} for a in rest])

    def names_in_order(self) -> list[str]:
        """Names on the table cards: seated people, most senior seat first."""
        return S.cards_in_order(self.layout_, self.seats)

    # -- saving
    def save(self) -> None:
        layout, version = self.layout_spec(), self.version
        by_order = [s.id for s in self.layout_.by_order()]
        seats = {k: self.seats[k] for k in by_order if k in self.seats}
        order = [v["person_id"] for v in seats.values() if v.get("person_id")]
        guests = [v["person_id"] for k, v in seats.items()
                  if k.startswith("guest-") and v.get("person_id")]
        context, meeting_id = self.context, self.meeting_id

        def submit() -> str:
            reads = SeatingReads(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
            return reads.save(meeting_id, layout, seats, order, guests, version)

        def done(_mutation: str) -> None:
            # the version the server gives this save (a second save before the plan comes
            # back builds on it; if this one is refused, the next save is a conflict)
            self.version = version + 1
            self.dirty = False
            self.message.setText(self.tr("Saving: the seat plan is kept when the server "
                                         "confirms it."))

        self.work.run(submit, done)

    def _cards_to(self, path: str) -> None:
        if path:
            self.save_cards(path)

    def save_cards(self, path: str = "", on_written: Callable[[str], None] | None = None) -> None:
        """Ask where (unless ``path``), then render and write the PDF in the background."""
        if not path:
            subject = str((self.data.meeting if self.data else {}).get("subject") or "")
            dialog = QFileDialog(self, self.tr("Save table cards"),
                                 self.tr("Table cards-%1.pdf").replace("%1", subject[:40]),
                                 self.tr("PDF files (*.pdf)"))
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("pdf")
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.fileSelected.connect(self._cards_to)
            self.file_dialog = dialog
            dialog.open()
            return
        names = self.names_in_order()
        if not names:
            self.message.setText(self.tr("Nobody is seated yet."))
            return

        def write() -> str:
            Path(path).write_bytes(render_table_cards(names))
            return path

        def done(written: str) -> None:
            self.message.setText(self.tr("%1 table cards saved: %2")
                                 .replace("%1", str(len(names))).replace("%2", written))
            self.cards_written.emit(written)
            if on_written is not None:
                on_written(written)

        self.work.run(write, done)
