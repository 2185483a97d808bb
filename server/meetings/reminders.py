"""A meeting's reminders, planned again whenever it (or a reply, or a nomination) is
written: called by ``storage.refresh`` (rules in modules/meetings/reminders.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from modules.meetings import meeting as M
from modules.meetings import reminders as MR
from server.reminders.store import config_of, replace


def sync_reminders(session: Session, meeting: Mapping[str, Any], invited: Mapping[str, M.Invitation],
                   replies: list[dict[str, Any]], now: dt.datetime) -> None:
    replace(session, MR.MODULE, str(meeting["id"]),
            MR.plan(meeting, invited, replies, config_of(session)), now)
