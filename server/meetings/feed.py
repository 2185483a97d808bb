"""Audience keys of the meetings feature: ``meetings:organ:<organ>`` for every organ the
principal holds a post in (rooms and bookings of that organ), ``meetings:admin:<organ>``
for every organ they hold an admin post in (rooms of the organs below it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from modules.meetings.policy import admin_key, key
from server.access_facts import organ_id
from server.scopes import scope_provider

if TYPE_CHECKING:
    from server.auth.principal import Principal


@scope_provider
def meeting_scopes(session: Session, principal: Principal) -> set[str]:
    keys = set()
    for post in principal.posts:
        organ = organ_id(session, post.body_id)
        keys.add(key(organ))
        if "admin" in post.roles:
            keys.add(admin_key(organ))
    return keys
