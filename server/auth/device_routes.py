"""Devices: ``/me/devices`` (one's own), ``/admin/.../devices`` (the security
administrator, :mod:`modules.directory.devices`) and ``/auth/device-wiped``.

Removing or revoking a device revokes its sign-ins at once; the client wipes its local
data at its next contact (it is answered ``auth.device_revoked``) and acknowledges with
``POST /auth/device-wiped``, after which the device shows as wiped (已清除).
"""

from __future__ import annotations

from typing import Any

import jwt
from fastapi import APIRouter, Request, Response
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.common.errors import AuthenticationFailed, NotFound
from modules.directory import devices as rule
from server.auth import devices
from server.auth.deps import CurrentUser, current_device
from server.auth.models import Device, RefreshToken
from server.auth.principal import Principal
from server.auth.service import ALGORITHM, _hash_token, token_secret
from server.db import DbSession
from server.directory import access
from server.directory.models import Person
from server.schemas import StrictModel

router = APIRouter(tags=["auth"])


def _record(session: Session, action: str, device: Device, actor: Principal | None = None,
            result: str = "ok") -> None:
    """Put a device event on the security audit trail (in the route's transaction).
    Without ``actor`` (the wipe acknowledgement) the device's owner is named."""
    from server.audit import trail

    trail.record(session, action=action, result=result, actor=actor, target=f"device:{device.id}",
                 actor_id="" if actor is not None else device.person_id,
                 detail={"person_id": device.person_id, "name": device.name,
                         "platform": device.platform})


def _listing(session: Session, person_id: str, current: str | None) -> dict[str, Any]:
    rows = devices.for_person(session, person_id)
    live = devices.signed_in_ids(session, [d.id for d in rows])
    return {"devices": [devices.to_dict(d, current=current, signed_in=d.id in live) for d in rows]}


@router.get("/me/devices")
def my_devices(user: CurrentUser, request: Request, session: DbSession) -> dict[str, Any]:
    """The caller's devices, the most recently seen first; ``this_device`` marks the
    one the request came from."""
    return _listing(session, user.person_id, current_device(request))


@router.delete("/me/devices/{device_id}", status_code=204)
def remove_my_device(device_id: str, user: CurrentUser, request: Request,
                     session: DbSession) -> Response:
    """Remove one of the caller's devices: signed out at once, wiped at its next contact.
    Another person's device answers 404 (its existence is not revealed)."""
    device = session.get(Device, device_id)
    if device is None or device.person_id != user.person_id:
        raise NotFound("devices.not_found")
    if devices.revoke(session, request.app.state, device, user.person_id):
        _record(session, "device.remove", device, user)
    return Response(status_code=204)


def _require_security_admin_of(session: Session, user: Principal, person_id: str) -> None:
    held = access.post_bodies(session, [person_id])[person_id]
    own = {p.body_id for p in user.posts if rule.SECURITY_ADMIN in p.roles}
    if not own:
        rule.require(rule.may_manage_devices(access.actor_of(user), {}, held), {})
    tree = access.load_tree(session, held | own)
    rule.require(rule.may_manage_devices(access.actor_of(user), tree, held), tree)


@router.get("/admin/people/{person_id}/devices")
def person_devices(person_id: str, user: CurrentUser, request: Request,
                   session: DbSession) -> dict[str, Any]:
    """A person's devices, for the security administrator of the person."""
    if session.get(Person, person_id) is None:
        raise NotFound("directory.person_not_found", person_id=person_id)
    _require_security_admin_of(session, user, person_id)
    return _listing(session, person_id, current_device(request))


@router.post("/admin/devices/{device_id}/revoke")
def revoke_device(device_id: str, user: CurrentUser, request: Request,
                  session: DbSession) -> dict[str, Any]:
    """Revoke a (lost) device of a person the caller administers as security
    administrator; repeating it changes nothing. Answers the device."""
    device = session.get(Device, device_id)
    if device is None:
        raise NotFound("devices.not_found")
    _require_security_admin_of(session, user, device.person_id)
    if devices.revoke(session, request.app.state, device, user.person_id):
        _record(session, "device.revoke", device, user)
    return devices.to_dict(device, current=current_device(request))


class WipedBody(StrictModel):
    refresh_token: str | None = Field(default=None, min_length=10, max_length=200)


def _device_of_credentials(session: Session, request: Request, body: WipedBody) -> str | None:
    """The device the presented credentials belong to, even revoked or expired ones
    (only a genuine token names a device): the body's refresh token, else the bearer."""
    if body.refresh_token:
        row = session.scalars(select(RefreshToken).where(
            RefreshToken.token_hash == _hash_token(body.refresh_token))).first()
        if row is None:
            raise AuthenticationFailed("auth.token_invalid")
        return row.device_id
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("auth.required")
    secret = token_secret(session, request.app.state.settings)
    try:
        claims = jwt.decode(token.strip(), secret, algorithms=[ALGORITHM],
                            options={"verify_exp": False})
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed("auth.token_invalid") from exc
    if claims.get("typ") != "access":
        raise AuthenticationFailed("auth.token_invalid")
    device = claims.get(devices.CLAIM)
    return device if isinstance(device, str) else None


@router.post("/auth/device-wiped", status_code=204)
def device_wiped(body: WipedBody, request: Request, session: DbSession) -> Response:
    """The client of a revoked device wiped its data (best effort, idempotent).

    Authenticated by the revoked credentials themselves — a refresh token in the body or
    the access token as bearer, expired or not — since no others are left. For a device
    that is not revoked nothing is recorded.
    """
    device_id = _device_of_credentials(session, request, body)
    if device_id is not None:
        row = devices.acknowledge_wipe(session, device_id)
        if row is not None:
            _record(session, "device.wiped", row)
    return Response(status_code=204)
