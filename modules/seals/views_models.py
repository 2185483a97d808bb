"""Item models of the seal screens: seals, use requests, register entries, signatures.

Plain Qt models over lists of dicts (records from the local cache, or a
``VerifyReport``). GUI thread only; data is loaded in the background and handed in with
``set_rows``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from modules.seals.rules import REQUEST_STATE_LABELS, SEAL_STATE_LABELS, RequestState, SealState

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2

STATE_COLORS = {
    "active": "#1f8a4c", "suspended": "#b7791f", "revoked": "#8a8f98",
    "pending": "#1f5fbf", "approved": "#1f8a4c", "refused": "#c0392b", "used": "#8a8f98",
    "cancelled": "#8a8f98",
}


def seal_state_label(state: str) -> str:
    try:
        return SEAL_STATE_LABELS[SealState(state)]
    except ValueError:
        return state


def request_state_label(state: str) -> str:
    try:
        return REQUEST_STATE_LABELS[RequestState(state)]
    except ValueError:
        return state


def short_time(value: str | None) -> str:
    """'2026-11-22T10:00:00Z' → '2026-11-22 10:00' (UTC shown as given)."""
    if not value:
        return ""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return value
    return moment.strftime("%Y-%m-%d %H:%M")


class _RowsMixin:
    _rows: list[dict[str, Any]]

    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def row_of(self, record_id: str) -> int:
        for i, r in enumerate(self._rows):
            if r.get("id") == record_id:
                return i
        return -1


class SealListModel(_RowsMixin, QAbstractListModel):
    """Seals with what the user may do with each (我保管 / 可申请 / 我审批)."""

    def __init__(self, me: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.me = me
        self._rows = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def roles_of(self, seal: dict[str, Any]) -> list[str]:
        out = []
        if self.me in (seal.get("custodians") or ()):
            out.append("我保管")
        if self.me in (seal.get("approvers") or ()):
            out.append("我审批")
        if self.me in (seal.get("requesters") or ()):
            out.append("可申请")
        return out

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        seal = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            roles = " · ".join(self.roles_of(seal))
            second = f"{seal.get('type_label', '')} · {seal_state_label(seal.get('state', ''))}"
            return f"{seal.get('name', '')}\n{second}{'  ' + roles if roles else ''}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return seal.get("body_name", "")
        if role == Qt.ItemDataRole.ForegroundRole and seal.get("state") != "active":
            return QColor(STATE_COLORS.get(seal.get("state", ""), "#8a8f98"))
        if role == ROW_ROLE:
            return seal
        if role == ID_ROLE:
            return seal.get("id")
        return None


class RequestListModel(_RowsMixin, QAbstractListModel):
    """Use requests (用印申请): title, seal, state, requester."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            title = r.get("document_title") or r.get("reason", "")
            state = request_state_label(r.get("state", ""))
            copies = f"{r.get('used', 0)}/{r.get('copies', 0)} 份"
            return (f"{title}\n{r.get('seal_name', '')} · {state} · {copies} · "
                    f"{r.get('requester_name', '')} {short_time(r.get('created_at'))}")
        if role == Qt.ItemDataRole.ForegroundRole and r.get("state") in ("refused", "cancelled"):
            return QColor(STATE_COLORS["refused" if r.get("state") == "refused" else "used"])
        if role == ROW_ROLE:
            return r
        if role == ID_ROLE:
            return r.get("id")
        return None


class RegisterTableModel(_RowsMixin, QAbstractTableModel):
    """The usage register (用印登记簿) as a table."""

    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("stamped_at", "用印时间"), ("seal_name", "印章"), ("document_title", "文件标题"),
        ("reason", "用印事由"), ("requester_name", "申请人"), ("approver_name", "审批人"),
        ("stamped_by_name", "盖章人"), ("copy_no", "份次"), ("result", "结果"),
        ("result_sha256", "用印后文件摘要"),
    ]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.COLUMNS)):
            return self.COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (not index.isValid() or not 0 <= index.row() < len(self._rows)
                or not 0 <= index.column() < len(self.COLUMNS)):
            return None
        e = self._rows[index.row()]
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            value = e.get(key, "")
            if key == "stamped_at":
                return short_time(value)
            if key == "result":
                from modules.seals.register import RESULT_LABELS, refusal_text

                label = RESULT_LABELS.get(str(value or "stamped"), str(value))
                why = refusal_text(e)
                return f"{label}：{why}" if why else label
            if key == "result_sha256" and role == Qt.ItemDataRole.DisplayRole:
                return str(value)[:12] + "…" if value else ""
            return "" if value is None else str(value)
        if role == ROW_ROLE:
            return e
        if role == ID_ROLE:
            return e.get("id")
        return None


class SignatureTableModel(QAbstractTableModel):
    """One row per signature of a ``VerifyReport`` (as its dict)."""

    COLUMNS: ClassVar[list[tuple[str, str]]] = [
        ("ok", "结论"), ("signer", "签章人"), ("organisation", "单位"),
        ("signing_time", "签章时间"), ("coverage", "覆盖范围"), ("problems", "说明"),
    ]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal
                and 0 <= section < len(self.COLUMNS)):
            return self.COLUMNS[section][1]
        return None

    @staticmethod
    def _problems(sig: dict[str, Any]) -> str:
        texts = [str(m) for m in sig.get("messages") or ()]
        return "；".join(t for t in texts if t) or "签名有效，文件未被改动"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (not index.isValid() or not 0 <= index.row() < len(self._rows)
                or not 0 <= index.column() < len(self.COLUMNS)):
            return None
        sig = self._rows[index.row()]
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if key == "ok":
                return "有效" if sig.get("ok") else "无效"
            if key == "problems":
                return self._problems(sig)
            if key == "signing_time":
                return short_time(sig.get("signing_time"))
            if key == "coverage":
                return {"entire_file": "整个文件", "entire_revision": "签章时的版本",
                        "partial": "部分"}.get(str(sig.get("coverage")), str(sig.get("coverage", "")))
            value = sig.get(key, "")
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ForegroundRole and key == "ok":
            return QColor("#1f8a4c" if sig.get("ok") else "#c0392b")
        if role == ROW_ROLE:
            return sig
        return None
