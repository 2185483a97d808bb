"""An item's reminders, planned again whenever it is written: called by
``storage.put_item`` (rules in modules/supervision/reminders.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from modules.calendar.rules import HolidayTable
from modules.supervision import reminders as SR
from server.calendar.storage import holiday_table
from server.reminders.store import config_of, replace


def sync_reminders(session: Session, item: Mapping[str, Any], table: HolidayTable | None,
                   now: dt.datetime) -> None:
    table = table if table is not None else holiday_table(session)
    replace(session, SR.MODULE, str(item["id"]), SR.plan(item, table, config_of(session)), now)
