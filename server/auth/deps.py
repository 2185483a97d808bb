"""FastAPI dependencies: the current principal from the bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from modules.common.errors import AuthenticationFailed, PermissionDenied
from server.auth.principal import Principal, load_principal
from server.auth.service import decode_access_token
from server.db import session_scope


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("auth.required")
    return token.strip()


def current_principal(request: Request) -> Principal:
    """Resolve the bearer token in a short transaction of its own.

    It must not share the route's session: on SQLite that would hold the write lock for
    the whole request, and routes such as push open their own transactions.
    """
    token = bearer_token(request)
    with session_scope(request.app.state.sessions) as session:
        person_id, login = decode_access_token(session, request.app.state.settings, token)
        principal = load_principal(session, person_id, login)
    request.state.person_id = person_id
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require_role(principal: Principal, role: str, action: str = "") -> None:
    """Raise ``permission.denied`` unless the principal holds ``role`` somewhere."""
    if not principal.has_role(role):
        raise PermissionDenied("permission.denied", action=action or role)
