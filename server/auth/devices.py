"""Signed-in devices: registration at sign-in, revocation, the wipe acknowledgement,
and the per-process gate that refuses a revoked device's tokens cheaply.

A device is a row of :class:`server.auth.models.Device`. Access tokens carry its id in
the ``dev`` claim. Revoking a device revokes its refresh-token families at once; its
access tokens (valid up to ``access_token_minutes``) are refused by the gate:

* Every process keeps the ids of revoked devices in memory (:class:`DeviceGate`) and
  reads what was revoked since its last look at most every ``refresh_seconds`` (one
  indexed query per process, whoever asks first). A revocation made by this process
  enters the set at once; one made by another process is seen within
  ``refresh_seconds``.
* Paths that read the database anyway (every ``CurrentUser`` route, the database pull,
  the event stream) refresh the set when it is stale, then check it.
* The SQL-free "nothing new" pull (:mod:`server.sync.quick_pull`) checks the set only
  while it is fresh; when stale it hands the request to the database path, which
  refreshes it. So no path trusts a view older than ``refresh_seconds``.

``last_seen_at`` is written at sign-in and refresh, and at most once per
``touch_seconds`` per device by other authenticated requests (no write per request).
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from modules.common.errors import AuthenticationFailed
from server.auth.models import Device, RefreshToken
from server.db import utcnow

#: The access-token claim with the device row id.
CLAIM = "dev"
#: Revocations written by another process, whose clock may lag, are read this far back.
_OVERLAP = timedelta(minutes=2)


@dataclass(frozen=True)
class DeviceInfo:
    """What a client says about itself at sign-in (all free text, trimmed to the columns)."""

    client_id: str
    name: str = ""
    platform: str = ""
    app_version: str = ""

    @classmethod
    def legacy(cls, device: str) -> DeviceInfo:
        """A client that sends only the old free-text ``device``: one row per text."""
        digest = hashlib.sha256(device.encode()).hexdigest()[:32]
        return cls(client_id=f"legacy-{digest}", name=device)


class DeviceGate:
    """The in-process set of revoked device ids and the last-seen write throttle.

    Thread-safe. ``clock`` is monotonic seconds (tests pass their own).
    """

    def __init__(self, refresh_seconds: float = 5.0, touch_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.refresh_seconds = refresh_seconds
        self.touch_seconds = touch_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._revoked: set[str] = set()
        self._loaded_at: float | None = None
        self._watermark: datetime | None = None
        self._touched: dict[str, float] = {}
        #: Database reads of the revoked set so far (tests and benchmarks).
        self.reads = 0

    def fresh(self) -> bool:
        """Whether the set was read within ``refresh_seconds``."""
        loaded = self._loaded_at
        return loaded is not None and self._clock() - loaded < self.refresh_seconds

    def refresh(self, session: Session) -> None:
        """Read revocations since the last read (all of them the first time)."""
        started = self._clock()
        query = select(Device.id, Device.revoked_at).where(Device.revoked_at.is_not(None))
        watermark = self._watermark
        if watermark is not None:
            query = query.where(Device.revoked_at >= watermark - _OVERLAP)
        rows = session.execute(query).all()
        with self._lock:
            self.reads += 1
            for device_id, revoked_at in rows:
                self._revoked.add(device_id)
                if revoked_at is not None and (self._watermark is None or revoked_at > self._watermark):
                    self._watermark = revoked_at
            if self._watermark is None:
                self._watermark = utcnow()
            self._loaded_at = started

    def check(self, session: Session, claims: dict[str, Any]) -> None:
        """Raise ``auth.device_revoked`` for a revoked device (refreshing a stale view)."""
        device_id = claims.get(CLAIM)
        if not isinstance(device_id, str):
            return  # a token from before devices: nothing to check
        if not self.fresh():
            self.refresh(session)
        if device_id in self._revoked:
            raise AuthenticationFailed("auth.device_revoked")

    def check_cached(self, claims: dict[str, Any]) -> bool:
        """Without the database: False when the view is stale (ask the database path);
        raises ``auth.device_revoked`` for a revoked device; True otherwise."""
        device_id = claims.get(CLAIM)
        if not isinstance(device_id, str):
            return True  # a token from before devices: nothing to check (as check())
        if not self.fresh():
            return False
        if device_id in self._revoked:
            raise AuthenticationFailed("auth.device_revoked")
        return True

    def is_revoked(self, device_id: str | None) -> bool:
        """What the set says now (no database; may lag ``refresh_seconds``)."""
        return device_id is not None and device_id in self._revoked

    def mark_revoked(self, device_id: str) -> None:
        """This process revoked ``device_id``: refuse it from now on."""
        with self._lock:
            self._revoked.add(device_id)

    def touch_due(self, device_id: str) -> bool:
        """Whether ``last_seen_at`` should be written now; notes the write when it is."""
        now = self._clock()
        with self._lock:
            last = self._touched.get(device_id)
            if last is not None and now - last < self.touch_seconds:
                return False
            if len(self._touched) > 100_000:  # bounded: forget all, at worst one write each
                self._touched.clear()
            self._touched[device_id] = now
            return True


_gate_lock = threading.Lock()


def gate_of(state: Any) -> DeviceGate:
    """The application's gate (``app.state.device_gate``), made on first use."""
    gate = getattr(state, "device_gate", None)
    if gate is None:
        with _gate_lock:
            gate = getattr(state, "device_gate", None)
            if gate is None:
                gate = DeviceGate()
                state.device_gate = gate
    assert isinstance(gate, DeviceGate)
    return gate


def verify(state: Any, session: Session, claims: dict[str, Any], address: str = "",
           touch: bool = True) -> None:
    """The device check of an authenticated request, and the throttled last-seen write."""
    gate = gate_of(state)
    gate.check(session, claims)
    device_id = claims.get(CLAIM)
    if touch and isinstance(device_id, str) and gate.touch_due(device_id):
        session.execute(
            update(Device).where(Device.id == device_id)
            .values(last_seen_at=utcnow(), last_address=address[:64])
        )


def register(session: Session, person_id: str, info: DeviceInfo, address: str) -> Device:
    """The person's device row for ``info.client_id`` (a new one when there is none or
    the last one was revoked), with its description and last-seen updated."""
    now = utcnow()
    row = session.scalars(
        select(Device)
        .where(Device.person_id == person_id, Device.client_id == info.client_id[:64])
        .order_by(Device.first_seen_at.desc())
        .limit(1)
    ).first()
    if row is None or row.revoked_at is not None:
        row = Device(id=uuid.uuid4().hex, person_id=person_id, client_id=info.client_id[:64],
                     first_seen_at=now)
        session.add(row)
    if info.name or row.name == "":
        row.name = info.name[:120]
    if info.platform:
        row.platform = info.platform[:60]
    if info.app_version:
        row.app_version = info.app_version[:40]
    row.last_seen_at = now
    row.last_address = address[:64]
    session.flush()
    return row


def seen(session: Session, device_id: str | None, address: str) -> Device | None:
    """Note a refresh from the device; returns the row (None: unknown or no device)."""
    if device_id is None:
        return None
    row = session.get(Device, device_id)
    if row is not None and row.revoked_at is None:
        row.last_seen_at = utcnow()
        row.last_address = address[:64]
    return row


def revoke(session: Session, state: Any, device: Device, by_person_id: str) -> bool:
    """Revoke ``device`` and every refresh token it holds; False when it already was.

    The revocation is this process's at once; others see it within their gate's
    ``refresh_seconds``.
    """
    if device.revoked_at is not None:
        return False
    now = utcnow()
    device.revoked_at = now
    device.revoked_by = by_person_id
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.device_id == device.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.flush()
    gate_of(state).mark_revoked(device.id)
    return True


def acknowledge_wipe(session: Session, device_id: str) -> Device | None:
    """The client of a revoked device says it wiped its data: the row when this call
    recorded it; None for a device that is not revoked or whose wipe is already known
    (the first time stands)."""
    row = session.get(Device, device_id)
    if row is None or row.revoked_at is None or row.wiped_at is not None:
        return None
    row.wiped_at = utcnow()
    return row


def for_person(session: Session, person_id: str) -> list[Device]:
    """Every device of the person, the most recently seen first."""
    return list(session.scalars(
        select(Device).where(Device.person_id == person_id)
        .order_by(Device.last_seen_at.desc(), Device.id)
    ))


def signed_in_ids(session: Session, device_ids: list[str]) -> set[str]:
    """Which of ``device_ids`` hold a live refresh token (still signed in)."""
    if not device_ids:
        return set()
    now = utcnow()
    return set(session.scalars(
        select(RefreshToken.device_id).where(
            RefreshToken.device_id.in_(device_ids), RefreshToken.revoked_at.is_(None),
            RefreshToken.used_at.is_(None), RefreshToken.expires_at > now,
        ).distinct()
    ))


def state_of(device: Device) -> str:
    """``active`` / ``revoked`` (waiting for the client's next contact) / ``wiped``."""
    if device.wiped_at is not None:
        return "wiped"
    return "revoked" if device.revoked_at is not None else "active"


def to_dict(device: Device, *, current: str | None = None, signed_in: bool = False) -> dict[str, Any]:
    """The wire form of a device (``this_device``: the caller's own token's device)."""
    def iso(value: datetime | None) -> str | None:
        return value.isoformat().replace("+00:00", "Z") if value is not None else None

    return {
        "id": device.id,
        "person_id": device.person_id,
        "name": device.name,
        "platform": device.platform,
        "app_version": device.app_version,
        "first_seen_at": iso(device.first_seen_at),
        "last_seen_at": iso(device.last_seen_at),
        "last_address": device.last_address,
        "revoked_at": iso(device.revoked_at),
        "revoked_by": device.revoked_by,
        "wiped_at": iso(device.wiped_at),
        "state": state_of(device),
        "signed_in": signed_in,
        "this_device": current is not None and device.id == current,
    }
