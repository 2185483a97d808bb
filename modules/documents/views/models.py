"""Item models for the documents screens (GUI thread only).

:class:`InboxModel` holds the rows of one inbox tab or a search result. It never loads a
whole tab: the page fills it one page at a time (``PAGE`` rows, keyset paging in SQL,
see ``DocumentService.page``); when the view scrolls near the end, ``fetchMore`` emits
``more_wanted`` with the key of the last row and the page appends the next page from a
background task. Rows are plain dicts (the ``doc_index`` columns).
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal

from modules.documents.service import format_duration
from office_app.kit import RowListModel, RowTableModel

#: Qt's translation call; every string of the documents screens has the context
#: "Documents" (catalog: resources/translations/office_zh_CN.ts).
translate = QCoreApplication.translate

_ROOT = QModelIndex()


class InboxModel(RowListModel[dict[str, Any]]):
    """Rows of one tab; checkable for batch approval (批量签批)."""

    PAGE = 200
    ROLE_NAMES: ClassVar[dict[int, bytes]] = {RowListModel.RowRole: b"row",
                                              RowListModel.IdRole: b"docId"}

    #: (tab, (sort_at, id) of the last row): the view wants the next page.
    more_wanted = Signal(str, object)
    checked_changed = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._tab = ""
        self._more = False
        self._loading = False
        self._checked: set[str] = set()
        self.checkable = False

    # -- filling --------------------------------------------------------------------
    def reset_rows(self, rows: list[dict[str, Any]], tab: str, *, paged: bool = True) -> None:
        """Replace the rows (first page of ``tab``); ``paged``: more may follow."""
        self.beginResetModel()
        self._rows = list(rows)
        self._tab = tab
        self._more = paged and len(rows) >= self.PAGE
        self._loading = False
        self._checked &= {r["id"] for r in rows}
        self.endResetModel()
        self.checked_changed.emit(len(self._checked))

    def append_rows(self, rows: list[dict[str, Any]], tab: str) -> None:
        """Add the next page (ignored when the tab changed meanwhile)."""
        self._loading = False
        if tab != self._tab:
            return
        self._more = len(rows) >= self.PAGE
        known = {r["id"] for r in self._rows}
        rows = [r for r in rows if r["id"] not in known]
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(_ROOT, first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    @property
    def tab(self) -> str:
        return self._tab

    # -- paging ---------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        return not parent.isValid() and self._more and not self._loading

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> None:
        if parent.isValid() or not self._more or self._loading or not self._rows:
            return
        self._loading = True
        last = self._rows[-1]
        self.more_wanted.emit(self._tab, (last["sort_at"], last["id"]))

    # -- checks ---------------------------------------------------------------------
    def checked_ids(self) -> list[str]:
        return [r["id"] for r in self._rows if r["id"] in self._checked]

    def clear_checks(self) -> None:
        if not self._checked:
            return
        self._checked.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0),
                                  [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit(0)

    # -- Qt model API -------------------------------------------------------------------
    def value(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.get("title") or translate("Documents", "(untitled)")
        if role == Qt.ItemDataRole.ToolTipRole:
            return " · ".join(x for x in (row.get("doc_number"), row.get("step_name")) if x)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.get('title', '')}，{row.get('step_name', '')}"
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable:
            return (Qt.CheckState.Checked if row["id"] in self._checked
                    else Qt.CheckState.Unchecked)
        return super().value(row, role)

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self._row_for(index)
        if row is None or role != Qt.ItemDataRole.CheckStateRole or not self.checkable:
            return False
        doc_id = row["id"]
        state = Qt.CheckState(value) if isinstance(value, int) else value
        if state == Qt.CheckState.Checked:
            self._checked.add(doc_id)
        else:
            self._checked.discard(doc_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit(len(self._checked))
        return True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.checkable and index.isValid():
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags


def _time(value: str | None) -> str:
    """"03-05 09:00" from an ISO time (China time), "—" when missing."""
    if not value:
        return "—"
    import datetime as dt

    try:
        at = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if at.tzinfo is not None:
        at = at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    return at.strftime("%m-%d %H:%M")


class TimelineModel(RowTableModel[dict[str, Any]]):
    """Per-person timeline (环节, 办理人, 送达, 打开, 办理, 用时, 说明)."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "step", "person", "delivered", "opened", "acted", "took", "note")

    @staticmethod
    def headers() -> tuple[str, ...]:
        """Column titles in the interface language."""
        return (translate("Documents", "Step"), translate("Documents", "Handled by"), translate("Documents", "Delivered at"), translate("Documents", "Opened at"), translate("Documents", "Acted"), translate("Documents", "Took"),
                translate("Documents", "Note"))

    def header(self, key: str) -> str:
        return self.headers()[self.COLUMNS.index(key)]

    def cell(self, r: dict[str, Any], key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            person = r["person"]["name"]
            if r.get("by") and r["by"].get("id") != r["person"].get("id"):
                person = translate("Documents", "{writer} (for {person})").format(writer=r["by"]["name"], person=person)
            values = (r["step_name"], person, _time(r.get("delivered_at")),
                      _time(r.get("opened_at")),
                      f"{r['action']} {_time(r['acted_at'])}" if r.get("acted_at") else r["action"],
                      format_duration(r.get("seconds")), r.get("text") or "")
            return values[self.COLUMNS.index(key)]
        if role == Qt.ItemDataRole.ToolTipRole and key == "note":
            return r.get("text") or None
        return None
