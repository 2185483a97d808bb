"""The audit trail as data: one entry's JSON shape, and exports as CSV and Excel.

- CSV: UTF-8 with a byte-order mark (so Excel opens Chinese correctly), CRLF rows,
  produced row by row (the route streams it).
- Excel (``.xlsx``): openpyxl's write-only workbook, built in memory before it is sent.

At most :data:`EXPORT_LIMITS` entries per format (the route refuses a larger export
before reading any): openpyxl writes about 2,000–5,000 rows a second, so a workbook is
kept to what is built within the client's 20 s read timeout even on a loaded server;
CSV streams as it is read and may be larger.

Both have the same columns (:data:`COLUMNS`) with headers in the reader's language,
times in China Standard Time, the action in words beside its code, and the chain hashes.
A cell that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@`` first) is
written as text: in CSV with a leading apostrophe, in Excel as a string cell.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from modules.audit import words
from modules.audit.filters import CHINA
from modules.common.messages import normalise_lang
from server.audit.models import AuditEntry

#: Largest export per format (entries); a larger one is refused (``audit.export_too_large``).
EXPORT_LIMITS: dict[str, int] = {"csv": 100_000, "xlsx": 20_000}

#: (key, English header, Chinese header)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("seq", "No.", "序号"),
    ("time", "Time (UTC+8)", "时间（北京时间）"),
    ("actor_name", "Person", "人员"),
    ("actor_login", "Account", "账号"),
    ("actor_id", "Person ID", "人员编号"),
    ("action_words", "Action", "操作"),
    ("action", "Action code", "操作代码"),
    ("target", "Target", "对象"),
    ("scope_body_name", "Body", "所属单位"),
    ("result_words", "Result", "结果"),
    ("code", "Reason code", "原因代码"),
    ("detail", "Detail", "详情"),
    ("device", "Device", "设备"),
    ("address", "Address", "地址"),
    ("request_id", "Request ID", "请求编号"),
    ("prev_hash", "Previous hash", "前一条哈希"),
    ("hash", "Hash", "哈希"),
)


def entry_data(entry: AuditEntry, names: Mapping[str, str], lang: str) -> dict[str, Any]:
    """One entry as the routes answer it (``detail`` parsed back into an object when it
    is JSON), with its action and result in words and its body's name."""
    detail: Any = entry.detail
    if entry.detail:
        try:
            detail = json.loads(entry.detail)
        except ValueError:
            detail = entry.detail
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "actor_login": entry.actor_login,
        "action": entry.action,
        "action_words": words.action_words(entry.action, lang),
        "category": words.category_of(entry.action),
        "target": entry.target,
        "scope_body": entry.scope_body,
        "scope_body_name": names.get(entry.scope_body, entry.scope_body),
        "result": entry.result,
        "result_words": words.result_words(entry.result, lang),
        "code": entry.code,
        "detail": detail or None,
        "device": entry.device,
        "address": entry.address,
        "request_id": entry.request_id,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def headers(lang: str) -> list[str]:
    """The column headers in ``lang``."""
    en = normalise_lang(lang) == "en"
    return [h_en if en else h_zh for _, h_en, h_zh in COLUMNS]


def row_values(entry: AuditEntry, names: Mapping[str, str], lang: str) -> list[Any]:
    """One entry's cells in :data:`COLUMNS` order."""
    values: dict[str, Any] = {
        "seq": entry.seq,
        "time": entry.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S"),
        "actor_name": entry.actor_name, "actor_login": entry.actor_login,
        "actor_id": entry.actor_id,
        "action_words": words.action_words(entry.action, lang), "action": entry.action,
        "target": entry.target,
        "scope_body_name": names.get(entry.scope_body, entry.scope_body),
        "result_words": words.result_words(entry.result, lang), "code": entry.code,
        "detail": entry.detail, "device": entry.device, "address": entry.address,
        "request_id": entry.request_id, "prev_hash": entry.prev_hash or "",
        "hash": entry.hash or "",
    }
    return [values[key] for key, _, _ in COLUMNS]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_chunks(rows: Iterable[list[Any]], lang: str) -> Iterator[bytes]:
    """The CSV file in pieces: BOM + header, then about 64 KiB of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(lang))
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([_csv_safe(v) for v in row])
        if buffer.tell() > 65536:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: Iterable[list[Any]], lang: str, *, title: str = "") -> bytes:
    """The Excel workbook: one sheet, a bold header row frozen, text cells as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title or ("Audit trail" if normalise_lang(lang) == "en" else "审计日志"))
    sheet.freeze_panes = "A2"
    widths = {"time": 20, "actor_name": 12, "action_words": 28, "target": 24,
              "scope_body_name": 20, "detail": 40, "prev_hash": 20, "hash": 20}
    for n, (key, _, _) in enumerate(COLUMNS):
        letter = chr(ord("A") + n)
        sheet.column_dimensions[letter].width = widths.get(key, 14)
    bold = Font(bold=True)
    header_cells = []
    for text in headers(lang):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells: list[Any] = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"  # never a formula
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
