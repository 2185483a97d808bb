"""Audience keys of the seals feature: seal administrators see every seal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from server.scopes import scope_provider
from server.seals.storage import ADMIN_KEY

if TYPE_CHECKING:
    from server.auth.principal import Principal


@scope_provider
def seal_scopes(_session: Session, principal: Principal) -> set[str]:
    """``seals:admin`` for holders of the admin role."""
    return {ADMIN_KEY} if principal.has_role("admin") else set()
