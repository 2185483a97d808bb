"""The audit trail's search filter as plain data, and its query string — pure.

The client builds a :class:`Filter` from the filter bar and sends :meth:`Filter.params`;
the server reads the same names (``server/audit/routes.py``) and checks them with
:func:`check`. Dates are calendar days in China Standard Time (UTC+8): ``date_to`` is
inclusive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from modules.audit import words
from modules.common import messages
from modules.common.china_time import CHINA as CHINA  # also named from here
from modules.common.errors import ValidationFailed

#: Largest page of ``GET /audit/entries``.
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
#: Longest free-text filter.
MAX_TEXT = 100

messages.register({
    "audit.bad_filter": {
        "zh_CN": "审计日志筛选条件无效：{detail}",
        "en": "Invalid audit filter: {detail}",
    },
})


@dataclass(frozen=True)
class Filter:
    """What an auditor searches for; empty fields filter nothing."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    #: A person id or login (exact), or part of a name.
    actor: str = ""
    #: Category keys of :data:`modules.audit.words.CATEGORIES` (any of them).
    categories: tuple[str, ...] = ()
    #: An action code or the start of one (``intent.seals.``).
    action: str = ""
    #: ``ok`` / ``refused`` / ``failed`` or empty.
    result: str = ""
    #: Part of the target, the detail or the error code.
    text: str = ""
    #: Part of the device name, or the start of the address.
    device: str = ""

    def params(self) -> list[tuple[str, str]]:
        """The query string pairs (``category`` repeated), without empty fields."""
        out: list[tuple[str, str]] = []
        if self.date_from:
            out.append(("from", self.date_from.isoformat()))
        if self.date_to:
            out.append(("to", self.date_to.isoformat()))
        for name, value in (("actor", self.actor), ("action", self.action),
                            ("result", self.result), ("q", self.text),
                            ("device", self.device)):
            if value.strip():
                out.append((name, value.strip()))
        out.extend(("category", c) for c in self.categories)
        return out

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The half-open UTC interval ``[start, end)`` the dates stand for."""
        start = (dt.datetime.combine(self.date_from, dt.time(), CHINA).astimezone(dt.UTC)
                 if self.date_from else None)
        end = (dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time(), CHINA)
               .astimezone(dt.UTC) if self.date_to else None)
        return start, end

    def prefixes(self) -> tuple[str, ...]:
        """The action prefixes the categories stand for."""
        return words.category_prefixes(self.categories)


def parse_day(value: str, name: str) -> dt.date | None:
    """``YYYY-MM-DD`` (empty: none); ``ValidationFailed`` (``audit.bad_filter``) else."""
    value = value.strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed("audit.bad_filter", detail=f"{name}: YYYY-MM-DD") from exc


def check(f: Filter) -> Filter:
    """``f`` when it makes sense; ``ValidationFailed`` (``audit.bad_filter``) naming the
    first problem otherwise."""
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise ValidationFailed("audit.bad_filter", detail="from > to")
    unknown = words.unknown_categories(f.categories)
    if unknown:
        raise ValidationFailed("audit.bad_filter",
                               detail="category: " + ", ".join(unknown[:5]))
    if f.result and f.result not in words.RESULTS:
        raise ValidationFailed("audit.bad_filter", detail="result: ok, refused, failed")
    for name, value in (("actor", f.actor), ("action", f.action), ("q", f.text),
                        ("device", f.device)):
        if len(value) > MAX_TEXT:
            raise ValidationFailed("audit.bad_filter", detail=f"{name}: ≤ {MAX_TEXT}")
    return f
