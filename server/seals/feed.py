"""Audience keys of the seals feature: an administrator sees the seals of the organs
they govern (``seals:admin:<organ id>`` for their security_admin posts' organs; the seals'
audiences carry one key per organ at and above the seal's body)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from modules.seals.policy import admin_key
from server.access_facts import organ_id
from server.scopes import scope_provider

if TYPE_CHECKING:
    from server.auth.principal import Principal


@scope_provider
def seal_scopes(session: Session, principal: Principal) -> set[str]:
    """``seals:admin:<organ>`` for each organ in which the principal holds a security_admin post."""
    return {admin_key(organ_id(session, p.body_id)) for p in principal.posts if "security_admin" in p.roles}
