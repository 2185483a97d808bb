"""China time (UTC+8, no daylight saving): the office's one time zone.

Dates, deadlines, working days, meeting times and the words that name them are counted
in it on the server and on every device, and the client shows every time in it, whatever
zone the device itself is set to (a laptop left on UTC must not show a 09:30 meeting as
due at 01:30). Pure: no Qt, no I/O.
"""

from __future__ import annotations

import datetime as dt

CHINA = dt.timezone(dt.timedelta(hours=8), "CST")


def in_china(when: dt.datetime) -> dt.datetime:
    """``when`` in China time; a naive datetime is taken as UTC (as stored)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(CHINA)


def china_stamp(when: dt.datetime, fmt: str = "%m-%d %H:%M") -> str:
    """``when`` written in China time with ``strftime`` format ``fmt``."""
    return in_china(when).strftime(fmt)


def china_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in China time (aware)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=CHINA)


def china_now() -> dt.datetime:
    """Now, in China time (aware)."""
    return dt.datetime.now(CHINA)


def china_today() -> dt.date:
    """Today's date in China."""
    return china_now().date()
