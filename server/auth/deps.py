"""FastAPI dependencies: the current principal from the bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from modules.common import messages
from modules.common.errors import AuthenticationFailed, PermissionDenied
from modules.directory.rules import AUDIT_ADMIN
from server.auth import devices
from server.auth.principal import Principal, load_principal
from server.auth.service import access_claims
from server.db import read_scope

messages.register({
    "duty.audit_read_only": {
        "zh_CN": "三员分立：安全审计员只能查阅审计记录，不能进行任何修改操作。",
        "en": "Separated duties: a security auditor reads the audit trail and may not change anything.",
    },
})


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("auth.required")
    return token.strip()


def current_principal(request: Request) -> Principal:
    """Resolve the bearer token in a short session of its own (no transaction on
    PostgreSQL: :func:`server.db.read_scope`).

    It must not share the route's session: on SQLite that would hold the write lock for
    the whole request, and routes such as push open their own transactions. A revoked
    device's token answers 401 ``auth.device_revoked`` (:mod:`server.auth.devices`);
    the device's last-seen time is written at most once a minute from here.
    """
    token = bearer_token(request)
    with read_scope(request.app.state.sessions) as session:
        claims = access_claims(session, request.app.state.settings, token)
        devices.verify(request.app.state, session, claims, client_address(request))
        person_id, login = claims["sub"], str(claims.get("login", ""))
        principal = load_principal(session, person_id, login)
    request.state.person_id = person_id
    device_id = claims.get(devices.CLAIM)
    request.state.device_id = device_id if isinstance(device_id, str) else None
    return principal


def client_address(request: Request) -> str:
    """The caller's address as the server sees it (the proxy's, behind one)."""
    return request.client.host if request.client is not None else ""


def current_device(request: Request) -> str | None:
    """The device id of the request's token (after ``CurrentUser`` resolved it)."""
    value = getattr(request.state, "device_id", None)
    return value if isinstance(value, str) else None


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require_role(principal: Principal, role: str, action: str = "") -> None:
    """Raise ``permission.denied`` unless the principal holds ``role`` somewhere."""
    if not principal.has_role(role):
        raise PermissionDenied("permission.denied", action=action or role)


def refuse_auditor(principal: Principal) -> None:
    """三员分立: the security auditor (安全审计员, ``audit_admin``) reads the audit trail and
    changes nothing — every intent and every write route (except their own password and
    session) raises ``duty.audit_read_only`` (403) for a person holding the role anywhere."""
    if principal.has_role(AUDIT_ADMIN):
        raise PermissionDenied("duty.audit_read_only")
