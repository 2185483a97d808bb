"""Item models of the seal screens: seals, use requests, register entries, signatures.

Kit models (:mod:`office_app.kit`) over lists of dicts (records from the local cache,
or a ``VerifyReport``). GUI thread only; data is loaded in the background and handed in
with ``set_rows``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor

from modules.common.china_time import china_stamp
from office_app.kit import RowListModel, RowTableModel

STATE_COLORS = {
    "active": "#1f8a4c", "suspended": "#b7791f", "revoked": "#8a8f98",
    "pending": "#1f5fbf", "approved": "#1f8a4c", "refused": "#c0392b", "used": "#8a8f98",
    "cancelled": "#8a8f98",
}


def seal_state_label(state: str) -> str:
    """启用 / 暂停使用 / 已注销 in the interface language."""
    labels = {"active": QCoreApplication.translate("SealLabels", "Active"), "suspended": QCoreApplication.translate("SealLabels", "Suspended"), "revoked": QCoreApplication.translate("SealLabels", "Revoked")}
    return labels.get(state, state)


def request_state_label(state: str) -> str:
    """待审批 / 已批准 / 已拒绝 / 已用完 / 已撤销 in the interface language."""
    labels = {"pending": QCoreApplication.translate("SealLabels", "Pending"), "approved": QCoreApplication.translate("SealLabels", "Approved"), "refused": QCoreApplication.translate("SealLabels", "Refused"),
              "used": QCoreApplication.translate("SealLabels", "Used up"), "cancelled": QCoreApplication.translate("SealLabels", "Withdrawn")}
    return labels.get(state, state)


def seal_type_label(kind: str, fallback: str = "") -> str:
    """单位公章 / 部门章 / 合同章 / 个人名章 in the interface language."""
    labels = {"official": QCoreApplication.translate("SealLabels", "Official seal"), "department": QCoreApplication.translate("SealLabels", "Department seal"),
              "contract": QCoreApplication.translate("SealLabels", "Contract seal"), "personal": QCoreApplication.translate("SealLabels", "Personal seal")}
    return labels.get(kind, fallback or kind)


def register_result_label(entry: dict[str, Any], lang: str = "zh_CN") -> str:
    """已用印, or 已拒绝 with the refusal's reason in ``lang``."""
    from modules.seals.register import refusal_text

    if entry.get("result", "stamped") == "refused":
        why = refusal_text(entry, lang)
        return QCoreApplication.translate("SealLabels", "Refused: {reason}").format(reason=why) if why else QCoreApplication.translate("SealLabels", "Refused")
    return QCoreApplication.translate("SealLabels", "Stamped")


def last_day(valid_to: str | None) -> str:
    """The last day a seal is valid, 'YYYY-MM-DD' in local time: ``valid_to`` is the
    exclusive end, so one second before it."""
    if not valid_to:
        return ""
    from datetime import datetime, timedelta

    try:
        end = datetime.fromisoformat(valid_to.replace("Z", "+00:00")) - timedelta(seconds=1)
    except ValueError:
        return valid_to[:10]
    return china_stamp(end, "%Y-%m-%d")


def short_time(value: str | None) -> str:
    """'2026-11-22T10:00:00Z' → '2026-11-22 18:00' (in China time)."""
    if not value:
        return ""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return china_stamp(moment, "%Y-%m-%d %H:%M")


class SealListModel(RowListModel[dict[str, Any]]):
    """Seals with what the user may do with each (我保管 / 可申请 / 我审批)."""

    def __init__(self, me: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.me = me

    def roles_of(self, seal: dict[str, Any]) -> list[str]:
        out = []
        if self.me in (seal.get("custodians") or ()):
            out.append(QCoreApplication.translate("SealLabels", "I keep it"))
        if self.me in (seal.get("approvers") or ()):
            out.append(QCoreApplication.translate("SealLabels", "I approve"))
        if self.me in (seal.get("requesters") or ()):
            out.append(QCoreApplication.translate("SealLabels", "I may request"))
        return out

    def value(self, seal: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            roles = " · ".join(self.roles_of(seal))
            kind = seal_type_label(seal.get("type", ""), seal.get("type_label", ""))
            second = f"{kind} · {seal_state_label(seal.get('state', ''))}"
            return f"{seal.get('name', '')}\n{second}{'  ' + roles if roles else ''}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return seal.get("body_name", "")
        if role == Qt.ItemDataRole.ForegroundRole and seal.get("state") != "active":
            return QColor(STATE_COLORS.get(seal.get("state", ""), "#8a8f98"))
        return super().value(seal, role)


class RequestListModel(RowListModel[dict[str, Any]]):
    """Use requests (用印申请): title, seal, state, requester."""

    def value(self, r: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            title = r.get("document_title") or r.get("reason", "")
            state = request_state_label(r.get("state", ""))
            copies = QCoreApplication.translate("SealLabels", "{used}/{copies} copies").format(used=r.get("used", 0),
                                                          copies=r.get("copies", 0))
            return (f"{title}\n{r.get('seal_name', '')} · {state} · {copies} · "
                    f"{r.get('requester_name', '')} {short_time(r.get('created_at'))}")
        if role == Qt.ItemDataRole.ForegroundRole and r.get("state") in ("refused", "cancelled"):
            return QColor(STATE_COLORS["refused" if r.get("state") == "refused" else "used"])
        return super().value(r, role)


_SHOWN = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


class RegisterTableModel(RowTableModel[dict[str, Any]]):
    """The usage register (用印登记簿) as a table."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "stamped_at", "seal_name", "document_title", "reason", "requester_name",
        "approver_name", "stamped_by_name", "copy_no", "result", "result_sha256",
    )

    def __init__(self, parent: QObject | None = None, lang: str = "zh_CN") -> None:
        super().__init__(parent)
        #: language of the refusal reasons (the server's message catalog)
        self.lang = lang

    def header(self, key: str) -> str:
        return {
            "stamped_at": QCoreApplication.translate("SealLabels", "Stamped at"), "seal_name": QCoreApplication.translate("SealLabels", "Seal"),
            "document_title": QCoreApplication.translate("SealLabels", "Document title"), "reason": QCoreApplication.translate("SealLabels", "Reason"),
            "requester_name": QCoreApplication.translate("SealLabels", "Requester"), "approver_name": QCoreApplication.translate("SealLabels", "Approver"),
            "stamped_by_name": QCoreApplication.translate("SealLabels", "Stamped by"), "copy_no": QCoreApplication.translate("SealLabels", "Copy"),
            "result": QCoreApplication.translate("SealLabels", "Result"), "result_sha256": QCoreApplication.translate("SealLabels", "Digest after stamping"),
        }.get(key, key)

    def cell(self, e: dict[str, Any], key: str, role: int) -> Any:
        if role not in _SHOWN:
            return None
        value = e.get(key, "")
        if key == "stamped_at":
            return short_time(value)
        if key == "result":
            return register_result_label(e, self.lang)
        if key == "result_sha256" and role == Qt.ItemDataRole.DisplayRole:
            return str(value)[:12] + "…" if value else ""
        return "" if value is None else str(value)


class SignatureTableModel(RowTableModel[dict[str, Any]]):
    """One row per signature of a ``VerifyReport`` (as its dict)."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "ok", "signer", "organisation", "signing_time", "coverage", "problems")

    def header(self, key: str) -> str:
        return {
            "ok": QCoreApplication.translate("SealLabels", "Verdict"), "signer": QCoreApplication.translate("SealLabels", "Signer"), "organisation": QCoreApplication.translate("SealLabels", "Organisation"),
            "signing_time": QCoreApplication.translate("SealLabels", "Signed at"), "coverage": QCoreApplication.translate("SealLabels", "Covers"), "problems": QCoreApplication.translate("SealLabels", "Notes"),
        }.get(key, key)

    @staticmethod
    def _problems(sig: dict[str, Any]) -> str:
        texts = [str(m) for m in sig.get("messages") or ()]
        return (QCoreApplication.translate("SealLabels", "; ").join(t for t in texts if t)
                or QCoreApplication.translate("SealLabels", "Signature valid; the file was not changed"))

    def cell(self, sig: dict[str, Any], key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and key == "ok":
            return QColor("#1f8a4c" if sig.get("ok") else "#c0392b")
        if role not in _SHOWN:
            return None
        if key == "ok":
            return QCoreApplication.translate("SealLabels", "Valid") if sig.get("ok") else QCoreApplication.translate("SealLabels", "Invalid")
        if key == "problems":
            return self._problems(sig)
        if key == "signing_time":
            return short_time(sig.get("signing_time"))
        if key == "coverage":
            return {"entire_file": QCoreApplication.translate("SealLabels", "Entire file"),
                    "entire_revision": QCoreApplication.translate("SealLabels", "The version signed"),
                    "partial": QCoreApplication.translate("SealLabels", "Part")}.get(str(sig.get("coverage")),
                                               str(sig.get("coverage", "")))
        value = sig.get(key, "")
        return "" if value is None else str(value)
