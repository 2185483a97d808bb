"""Item models of the meeting screens (GUI thread)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from modules.meetings import rules as R
from office_app.kit import FIRST_FREE_ROLE, RowListModel


def when_words(booking: dict[str, Any]) -> str:
    """``12月3日 09:00–11:00`` in China time."""
    start, end = R.parse_time(booking["start"]), R.parse_time(booking["end"])
    return f"{R.words(start)}–{R.words(end, with_date=False)}"


def state_label(state: str) -> str:
    zh, en = R.STATE_WORDS.get(state, (state, state))
    return en if _english() else zh


def _english() -> bool:
    from office_app import i18n

    return i18n.current_lang() == "en"


class BookingListModel(RowListModel[dict[str, Any]]):
    """Bookings (``meetings.booking`` records), one line each: subject, room and time,
    state. ``StateRole``: the booking's state key."""

    StateRole = FIRST_FREE_ROLE

    def value(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{row.get('subject', '')}\n{row.get('room_name', '')} · {when_words(row)}"
                    f" · {state_label(str(row.get('state') or ''))}")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.get('holder_name', '')} {when_words(row)}"
        if role == self.StateRole:
            return str(row.get("state") or "")
        return super().value(row, role)


class RoomListModel(RowListModel[R.FreeRoom]):
    """Free rooms for a chosen time, best first: name, place, seats, what is missing."""

    def value(self, row: R.FreeRoom, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            room = row.room
            place = " ".join(p for p in (room.building, room.floor) if p)
            text = f"{room.name}  {place}  {room.capacity or '-'}" + QCoreApplication.translate(
                "Meetings", " seats")
            if row.missing:
                text += "  " + QCoreApplication.translate("Meetings", "(lacks %1)").replace(
                    "%1", "、".join(equipment_label(k) for k in sorted(row.missing)))
            return text
        return super().value(row, role)


def equipment_label(key: str) -> str:
    return dict(R.EQUIPMENT).get(key, key)
