"""Working-day calendar intents (工作日历): entering a year's holiday notice.

``calendar.set_year`` ``{year, days: [{date, kind, name}], source}`` — an administrator
of a top-level body enters (or corrects) the holidays (``holiday``) and make-up working
days (``makeup_workday``, 调休上班) of one year from the State Council's notice. The entry
replaces that year of the bundled table (``resources/calendar/cn_holidays.json``) for
everyone: it reaches every device through the change feed, and every deadline in that
year stops being provisional. Online only: the server keeps the version.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field

from modules.calendar import policy
from modules.calendar.rules import DayEntry, HolidayTable
from modules.common.access import ActorFacts
from modules.common.errors import ValidationFailed
from modules.common.intents import IntentArgs, define
from modules.common.text import ONE_LINE

ENTITY = "calendar.year"
FIRST_YEAR, LAST_YEAR = 2004, 2100


class DayIn(IntentArgs):
    date: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    kind: Literal["holiday", "makeup_workday"]
    name: Annotated[str, Field(max_length=20), ONE_LINE] = ""


class SetYearArgs(IntentArgs):
    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    #: A notice names some 30 days (7 breaks and their make-up days); 120 is generous.
    days: list[DayIn] = Field(max_length=120)
    #: Where the entry comes from, e.g. 国办发明电〔2026〕7号.
    source: Annotated[str, Field(max_length=200), ONE_LINE] = ""


SET_YEAR = define("calendar.set_year", SetYearArgs, offline=False,
                  summary="Enter one year's holidays and make-up working days (administrator "
                          "of a top-level body)")


def set_year(previous: Mapping[str, Any] | None, args: SetYearArgs, actor: ActorFacts,
             top_organs: frozenset[str], *, actor_name: str, now_iso: str) -> dict[str, Any]:
    """The new ``calendar.year`` record: the year's days validated, the version one past
    the ``previous`` record's. Raises PermissionDenied (``calendar.not_allowed``) unless
    ``actor`` administers a top-level body, ``calendar.bad_entry`` for a day outside the
    year, given twice, or a make-up working day on a weekday."""
    policy.require_calendar_admin(actor, top_organs)
    entries = [DayEntry(_day(d.date, i), d.kind, d.name) for i, d in enumerate(args.days, 1)]
    table = HolidayTable.build([args.year], entries)
    days = table.to_json()["days"]
    return {
        "year": args.year,
        "days": days,
        "version": int((previous or {}).get("version") or 0) + 1,
        "source": args.source.strip(),
        "updated_by": actor_name,
        "updated_at": now_iso,
    }


def _day(text: str, line: int) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed("calendar.bad_entry", line=line, reason=text, reason_en=text) from exc
