"""Audience keys of the meetings feature, one provider for all of them:

- ``meetings:organ:<organ>`` — every organ the principal holds a post in (rooms and
  bookings of that organ);
- ``meetings:admin:<organ>`` — every organ they hold a sys_admin post in: the rooms and
  bookings of the organs at and below it, nothing else (三员分立: meetings, replies and
  nominations never carry this key; an administrator receives a meeting only when
  involved in person);
- ``meetings:organiser:<organ>`` — every organ they are a secretary (办公室秘书) in: the
  meetings that organ hosts, drafts included, with all their replies;
- ``meetings:nominator:<body>`` — every body they are a registry clerk (收发员) or
  leader in, and that post's organ: meetings inviting that body, its nominations and
  the replies of the people it nominated.

Invitees, 列席, 工作人员, nominees and substitutes receive a meeting personally
(``user:<person>``); see server/meetings/storage.py for each record's audience."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from modules.meetings.policy import NOMINATOR_ROLES, admin_key, key, nominator_key, organiser_key
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
        if "sys_admin" in post.roles:
            keys.add(admin_key(organ))
        if "secretary" in post.roles:
            keys.add(organiser_key(organ))
        if set(post.roles) & NOMINATOR_ROLES:
            keys.update({nominator_key(post.body_id), nominator_key(organ)})
    return keys
