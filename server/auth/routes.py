"""Routes under /api/v1/auth and /api/v1/me."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from modules.common.errors import DomainError
from server.audit import trail as audit
from server.auth import service
from server.auth.deps import CurrentUser, bearer_token, client_address
from server.auth.device_routes import router as device_router
from server.auth.devices import DeviceInfo
from server.db import DbSession
from server.schemas import StrictModel

router = APIRouter(tags=["auth"])
router.include_router(device_router)


class LoginBody(StrictModel):
    account: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    #: Free text from clients that predate device ids (still accepted).
    device: str = Field(default="", max_length=120)
    #: The id the client generated once for its data directory (letters, digits, - _).
    device_id: str | None = Field(default=None, min_length=8, max_length=64,
                                  pattern=r"^[A-Za-z0-9_-]+$")
    device_name: str = Field(default="", max_length=120)
    platform: str = Field(default="", max_length=60)
    app_version: str = Field(default="", max_length=40)


class RefreshBody(StrictModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class PasswordBody(StrictModel):
    old_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


@router.post("/auth/login")
def login(body: LoginBody, request: Request, session: DbSession) -> dict[str, Any]:
    try:
        info = (DeviceInfo(body.device_id, body.device_name, body.platform, body.app_version)
                if body.device_id else None)
        pair = service.login(
            session, request.app.state.settings, body.account, body.password, body.device,
            info=info, address=client_address(request),
        )
    except service.LoginFailed as failed:
        audit.record(session, action=failed.action, result="refused", code=failed.error.code,
                     actor_id=failed.person_id, actor_login=body.account, target=failed.person_id)
        session.commit()  # keep the failure count / lock even though the login fails
        raise failed.error from None
    audit.record(session, action="auth.login", actor=pair.principal,
                 target=pair.principal.person_id,
                 device=_token_device(session, request, pair.access_token))
    return pair.to_dict()


def _token_device(session: DbSession, request: Request, access: str) -> str:
    """The device id a freshly issued access token carries (for the audit trail)."""
    value = service.access_claims(session, request.app.state.settings, access).get("dev")
    return value if isinstance(value, str) else ""


@router.post("/auth/refresh")
def refresh(body: RefreshBody, request: Request, session: DbSession) -> dict[str, Any]:
    try:
        pair = service.refresh(session, request.app.state.settings, body.refresh_token,
                               address=client_address(request))
    except service.LoginFailed as failed:
        audit.record(session, action=failed.action, result="refused", code=failed.error.code,
                     actor_id=failed.person_id, target=failed.person_id)
        session.commit()  # keep the family revocation
        raise failed.error from None
    return pair.to_dict()


@router.post("/auth/logout", status_code=204)
def logout(body: RefreshBody, session: DbSession) -> Response:
    row = service.logout(session, body.refresh_token)
    if row is not None:
        audit.record(session, action="auth.logout", actor_id=row.person_id,
                     target=row.person_id, device=row.device_id or "")
    return Response(status_code=204)


@router.post("/auth/password", status_code=204)
def change_password(
    body: PasswordBody, user: CurrentUser, request: Request, session: DbSession
) -> Response:
    """Change the caller's password; every other session of the account is signed out."""
    claims = service.access_claims(session, request.app.state.settings, bearer_token(request))
    family = claims.get("fam")
    try:
        service.change_password(
            session,
            user.person_id,
            body.old_password,
            body.new_password,
            keep_family=family if isinstance(family, str) else None,
        )
    except DomainError as error:
        session.rollback()
        audit.record_detached(request.app.state.sessions, action="auth.password_change",
                              result="refused", actor=user, target=user.person_id,
                              code=error.code)
        raise
    audit.record(session, action="auth.password_change", actor=user, target=user.person_id)
    return Response(status_code=204)


@router.get("/me")
def me(user: CurrentUser) -> dict[str, Any]:
    return user.to_dict()
