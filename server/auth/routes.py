"""Routes under /api/v1/auth and /api/v1/me."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import Field

from server.auth import service
from server.auth.deps import CurrentUser, bearer_token
from server.db import DbSession
from server.schemas import StrictModel

router = APIRouter(tags=["auth"])


class LoginBody(StrictModel):
    account: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)
    device: str = Field(default="", max_length=120)


class RefreshBody(StrictModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class PasswordBody(StrictModel):
    old_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


@router.post("/auth/login")
def login(body: LoginBody, request: Request, session: DbSession) -> dict[str, Any]:
    try:
        pair = service.login(
            session, request.app.state.settings, body.account, body.password, body.device
        )
    except service.LoginFailed as failed:
        session.commit()  # keep the failure count / lock even though the login fails
        raise failed.error from None
    return pair.to_dict()


@router.post("/auth/refresh")
def refresh(body: RefreshBody, request: Request, session: DbSession) -> dict[str, Any]:
    try:
        pair = service.refresh(session, request.app.state.settings, body.refresh_token)
    except service.LoginFailed as failed:
        session.commit()  # keep the family revocation
        raise failed.error from None
    return pair.to_dict()


@router.post("/auth/logout", status_code=204)
def logout(body: RefreshBody, session: DbSession) -> Response:
    service.logout(session, body.refresh_token)
    return Response(status_code=204)


@router.post("/auth/password", status_code=204)
def change_password(
    body: PasswordBody, user: CurrentUser, request: Request, session: DbSession
) -> Response:
    """Change the caller's password; every other session of the account is signed out."""
    claims = service.access_claims(session, request.app.state.settings, bearer_token(request))
    family = claims.get("fam")
    service.change_password(
        session,
        user.person_id,
        body.old_password,
        body.new_password,
        keep_family=family if isinstance(family, str) else None,
    )
    return Response(status_code=204)


@router.get("/me")
def me(user: CurrentUser) -> dict[str, Any]:
    return user.to_dict()
