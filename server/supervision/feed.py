"""Audience keys of supervision: ``supervision:unit:<body>`` for the body and the organ of
every post the principal holds (items their unit leads or co-handles), and
``supervision:staff:<organ>`` for every organ in which they are a secretary or
administrator (the items its 督查室 follows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from modules.supervision.policy import STAFF_ROLES, staff_key, unit_key
from server.access_facts import organ_id
from server.scopes import scope_provider

if TYPE_CHECKING:
    from server.auth.principal import Principal


@scope_provider
def supervision_scopes(session: Session, principal: Principal) -> set[str]:
    keys: set[str] = set()
    for post in principal.posts:
        organ = organ_id(session, post.body_id)
        keys.update((unit_key(post.body_id), unit_key(organ)))
        if post.roles & STAFF_ROLES:
            keys.add(staff_key(organ))
    return keys
