"""Who may change the working-day calendar (工作日历): pure, from access facts alone.

The holiday table is one for the whole province, so only an administrator (``sys_admin``
post) of a top-level body — an organ with no parent — may enter or correct a year.
Everyone reads it.
"""

from __future__ import annotations

from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import PermissionDenied

messages.register({
    "calendar.not_allowed": {
        "zh_CN": "只有省级机关的系统管理员可以录入节假日安排。",
        "en": "Only an administrator of a top-level body may enter the holiday schedule.",
    },
})


def may_set_calendar(actor: ActorFacts, top_organs: frozenset[str]) -> bool:
    """Whether ``actor`` holds an admin post in one of ``top_organs``."""
    return bool(actor.role_organs("sys_admin") & top_organs)


def require_calendar_admin(actor: ActorFacts, top_organs: frozenset[str]) -> None:
    """Raise ``calendar.not_allowed`` unless :func:`may_set_calendar`."""
    if not may_set_calendar(actor, top_organs):
        raise PermissionDenied("calendar.not_allowed")
