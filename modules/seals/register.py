"""The usage register (用印登记簿) as data: filtering and CSV export.

Pure; shared by the server's export route and the client's register screen. Entries
are the dicts published as ``seals.register_entry`` (see server/seals/storage.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

COLUMNS: list[tuple[str, str]] = [
    ("stamped_at", "用印时间"), ("seal_name", "印章"), ("document_title", "文件标题"),
    ("reason", "用印事由"), ("requester_name", "申请人"), ("approver_name", "审批人"),
    ("stamped_by_name", "盖章人"), ("copy_no", "份次"), ("result", "结果"),
    ("refusal", "拒绝原因"),
    ("document_sha256", "原文件 SHA-256"), ("result_sha256", "用印后 SHA-256"),
    ("request_id", "申请编号"), ("id", "登记编号"),
]

RESULT_LABELS = {"stamped": "已用印", "refused": "已拒绝"}


def refusal_text(entry: dict[str, Any], lang: str = "zh_CN") -> str:
    """Why a ``refused`` attempt was refused, in ``lang``; "" for a stamp."""
    from modules.common.messages import render

    refusal = entry.get("refusal")
    if not isinstance(refusal, dict) or not refusal.get("code"):
        return ""
    return render(str(refusal["code"]), lang, refusal.get("params") or {})


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def filter_entries(
    entries: Iterable[dict[str, Any]],
    *,
    seal_id: str = "",
    requester: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    text: str = "",
) -> list[dict[str, Any]]:
    """Entries matching every given filter (``until`` inclusive), newest first."""
    needle = text.strip().lower()
    out = []
    for e in entries:
        if seal_id and e.get("seal_id") != seal_id:
            continue
        if requester and e.get("requester") != requester:
            continue
        day = _day(e.get("stamped_at"))
        if since and (day is None or day < since):
            continue
        if until and (day is None or day > until):
            continue
        if needle:
            hay = " ".join(str(e.get(k, "")) for k in (
                "document_title", "reason", "seal_name", "requester_name", "approver_name",
                "stamped_by_name", "result_sha256", "document_sha256")).lower()
            if needle not in hay:
                continue
        out.append(e)
    out.sort(key=lambda e: (e.get("stamped_at") or "", e.get("id") or ""), reverse=True)
    return out


def register_csv(entries: Iterable[dict[str, Any]]) -> str:
    """CSV text with a header row in Chinese; starts with a BOM so spreadsheet programs
    read it as UTF-8."""
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf)
    writer.writerow([label for _, label in COLUMNS])
    for e in entries:
        row = []
        for key, _ in COLUMNS:
            value = e.get(key, "")
            if key == "result":
                value = RESULT_LABELS.get(str(value), value)
            elif key == "refusal":
                value = refusal_text(e)
            row.append("" if value is None else str(value))
        writer.writerow(row)
    return buf.getvalue()
