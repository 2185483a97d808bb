"""Reading a year's holiday notice from a file or from pasted text (工作日历 import).

Pure, no Qt: the administration dialog calls :func:`read_file` off the GUI thread and
:func:`parse_lines` on pasted text. Accepted forms:

* lines ``date,kind,name`` (CSV or pasted; a comma, a tab or a full-width comma between
  fields; a header line and ``#`` comments are skipped), e.g.
  ``2027-02-06,makeup_workday,春节``; the kind may also be written 放假 / 休 / holiday or
  调休上班 / 上班 / 班 / makeup_workday;
* JSON: a list of ``{"date", "kind", "name"}``, or an object with ``days`` (and
  optionally ``year`` and ``source``) — the ``calendar.set_year`` arguments, or the
  bundled table's own shape.

An unreadable line raises ``calendar.bad_entry`` naming its line; whether the days make a
valid year is for :meth:`modules.calendar.rules.HolidayTable.build` to say.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from modules.calendar.rules import HOLIDAY, MAKEUP_WORKDAY, DayEntry, entries_from_json
from modules.common.errors import ValidationFailed

#: How a kind may be written (lower-cased), to the table's kind.
KIND_WORDS: dict[str, str] = {
    HOLIDAY: HOLIDAY, "放假": HOLIDAY, "休": HOLIDAY, "假": HOLIDAY, "holiday": HOLIDAY,
    MAKEUP_WORKDAY: MAKEUP_WORKDAY, "调休上班": MAKEUP_WORKDAY, "调休": MAKEUP_WORKDAY,
    "上班": MAKEUP_WORKDAY, "班": MAKEUP_WORKDAY, "workday": MAKEUP_WORKDAY,
}
_SPLIT = re.compile(r"\s*[,\t，]\s*")
_HEADERS = {"date", "日期"}
#: Larger files are not a year's notice.
MAX_BYTES = 512 * 1024


@dataclass(frozen=True)
class Imported:
    """What a file held: its days, and the year and source when it said."""

    days: tuple[DayEntry, ...]
    year: int | None = None
    source: str = ""


def parse_lines(text: str) -> list[DayEntry]:
    """Day entries from lines ``date,kind,name``; raises ``calendar.bad_entry`` with the
    line number for a line that is not one."""
    out: list[DayEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        fields = _SPLIT.split(line)
        if not out and fields[0].strip().lower() in _HEADERS:
            continue
        out.append(_entry(fields, number, line))
    return out


def _entry(fields: list[str], number: int, line: str) -> DayEntry:
    if len(fields) < 2:
        raise ValidationFailed("calendar.bad_entry", line=number, reason=f"“{line}”", reason_en=f"“{line}”")
    text = fields[0].strip().replace("/", "-").replace(".", "-")
    try:
        day = date.fromisoformat(_padded(text))
    except ValueError:
        raise ValidationFailed("calendar.bad_entry", line=number, reason=f"“{fields[0]}”", reason_en=f"“{fields[0]}”") from None
    kind = KIND_WORDS.get(fields[1].strip().lower())
    if kind is None:
        raise ValidationFailed("calendar.bad_entry", line=number, reason=f"“{fields[1]}”", reason_en=f"“{fields[1]}”")
    name = ",".join(f.strip() for f in fields[2:]).strip()
    return DayEntry(day, kind, name)


def _padded(text: str) -> str:
    """``2027-2-6`` → ``2027-02-06`` (spreadsheets drop the zeros)."""
    parts = text.split("-")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    return text


def parse_json(data: Any) -> Imported:
    """The days (and year, source) of a JSON document (see the module docstring)."""
    if isinstance(data, list):
        return Imported(tuple(_json_days(data)))
    if not isinstance(data, dict) or not isinstance(data.get("days"), list):
        raise ValidationFailed("calendar.bad_entry", line=0, reason="JSON: days", reason_en="JSON: days")
    year = data.get("year")
    return Imported(tuple(_json_days(data["days"])),
                    int(year) if isinstance(year, int) and not isinstance(year, bool) else None,
                    str(data.get("source") or "").strip())


def _json_days(days: list[Any]) -> list[DayEntry]:
    entries = entries_from_json(d if isinstance(d, dict) else {} for d in days)
    out = []
    for line, entry in enumerate(entries, start=1):
        kind = KIND_WORDS.get(entry.kind.strip().lower())
        if kind is None:
            raise ValidationFailed("calendar.bad_entry", line=line, reason=f"“{entry.kind}”", reason_en=f"“{entry.kind}”")
        out.append(DayEntry(entry.day, kind, entry.name.strip()))
    return out


def read_file(path: Path | str) -> Imported:
    """The days in a ``.json`` file, or in a CSV / text file of lines (UTF-8, or GB18030
    as spreadsheets save it). Blocking: call off the GUI thread."""
    file = Path(path)
    raw = file.read_bytes()[:MAX_BYTES + 1]
    if len(raw) > MAX_BYTES:
        raise ValidationFailed("calendar.bad_entry", line=0, reason=f"{file.name}: > 512 KB", reason_en=f"{file.name}: > 512 KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    if file.suffix.lower() == ".json" or text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValidationFailed("calendar.bad_entry", line=getattr(exc, "lineno", 0),
                                   reason=f"JSON: {exc}", reason_en=f"JSON: {exc}") from exc
        return parse_json(data)
    return Imported(tuple(parse_lines(text)))
