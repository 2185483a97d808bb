"""Devices: registration at sign-in, the list, removal and revocation, the refusal of a
revoked device on every authenticated path (also the SQL-free pull and another
process's view), the throttled last-seen write and the wipe acknowledgement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server.audit.models import AuditEntry
from server.auth.devices import CLAIM, DeviceGate
from server.auth.models import Device, RefreshToken
from server.db import session_scope, utcnow
from tests.server.helpers import PASSWORD, add_body, add_person

API = "/api/v1"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _login(client: TestClient, account: str, device_id: str | None = "dev-laptop-0001",
           name: str = "张伟的笔记本", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"account": account, "password": PASSWORD, **extra}
    if device_id is not None:
        body.update(device_id=device_id, device_name=name, platform="Windows 11",
                    app_version="0.1.0")
    r = client.post(f"{API}/auth/login", json=body)
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    answer["headers"] = {"Authorization": f"Bearer {answer['access_token']}"}
    return answer


def _setup(app: Any, clock: Clock | None = None) -> TestClient:
    add_body(app)
    add_person(app, "p-1", "张伟", login="zhangwei")
    add_person(app, "p-2", "李娜", login="lina")
    if clock is not None:
        app.state.device_gate = DeviceGate(clock=clock)
    return TestClient(app)


def _claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_sign_in_registers_the_device_and_the_token_carries_it(app: Any) -> None:
    client = _setup(app)
    laptop = _login(client, "zhangwei")
    again = _login(client, "zhangwei")
    phone = _login(client, "zhangwei", "dev-phone-00002", "张伟的手机")
    legacy = _login(client, "zhangwei", None, device="old client")
    assert _claims(laptop["access_token"])[CLAIM] == _claims(again["access_token"])[CLAIM]
    listing = client.get(f"{API}/me/devices", headers=phone["headers"]).json()["devices"]
    assert sorted(d["name"] for d in listing) == ["old client", "张伟的手机", "张伟的笔记本"]
    mine = {d["name"]: d for d in listing}
    assert mine["张伟的手机"]["this_device"] and not mine["张伟的笔记本"]["this_device"]
    assert mine["张伟的笔记本"]["platform"] == "Windows 11"
    assert mine["张伟的笔记本"]["state"] == "active" and mine["张伟的笔记本"]["signed_in"]
    assert mine["old client"]["id"] == _claims(legacy["access_token"])[CLAIM]
    with session_scope(app.state.sessions) as s:
        tokens = s.scalars(select(RefreshToken).where(RefreshToken.person_id == "p-1")).all()
        assert {t.device_id for t in tokens} == {d["id"] for d in listing}
    # Another person on the same computer (same client id) gets their own row.
    other = _login(client, "lina")
    assert _claims(other["access_token"])[CLAIM] != mine["张伟的笔记本"]["id"]
    assert len(client.get(f"{API}/me/devices", headers=other["headers"]).json()["devices"]) == 1


def test_a_bad_device_id_is_a_clear_422(app: Any) -> None:
    client = _setup(app)
    r = client.post(f"{API}/auth/login", json={"account": "zhangwei", "password": PASSWORD,
                                                "device_id": "../../etc"})
    assert r.status_code == 422


def test_removing_a_device_refuses_its_tokens_everywhere(app: Any) -> None:
    client = _setup(app)
    laptop = _login(client, "zhangwei")
    phone = _login(client, "zhangwei", "dev-phone-00002", "张伟的手机")
    laptop_id = _claims(laptop["access_token"])[CLAIM]
    first = client.get(f"{API}/sync/pull", headers=laptop["headers"])
    assert first.status_code == 200
    cursor = first.json()["cursor"]

    assert client.delete(f"{API}/me/devices/{laptop_id}", headers=phone["headers"]).status_code == 204
    calls = {
        "me": client.get(f"{API}/me", headers=laptop["headers"]),
        "push": client.post(f"{API}/sync/push", headers=laptop["headers"], json={"mutations": []}),
        "pull": client.get(f"{API}/sync/pull", headers=laptop["headers"], params={"cursor": cursor}),
        "first pull": client.get(f"{API}/sync/pull", headers=laptop["headers"]),
        "events": client.get(f"{API}/sync/events", headers=laptop["headers"]),
        "refresh": client.post(f"{API}/auth/refresh",
                               json={"refresh_token": laptop["refresh_token"]}),
    }
    for name, r in calls.items():
        assert r.status_code == 401, (name, r.text)
        assert r.json()["error"]["code"] == "auth.device_revoked", name
        assert "设备" in r.json()["error"]["message"]
    en = client.get(f"{API}/me", headers={**laptop["headers"], "Accept-Language": "en"})
    assert "device" in en.json()["error"]["message"]
    # The phone is untouched; the laptop shows as removed, waiting for its wipe.
    assert client.get(f"{API}/me", headers=phone["headers"]).status_code == 200
    listing = {d["id"]: d for d in client.get(f"{API}/me/devices", headers=phone["headers"]).json()["devices"]}
    assert listing[laptop_id]["state"] == "revoked" and not listing[laptop_id]["signed_in"]
    with session_scope(app.state.sessions) as s:
        live = s.scalars(select(RefreshToken).where(RefreshToken.device_id == laptop_id,
                                                    RefreshToken.revoked_at.is_(None))).all()
        assert live == []


def test_another_persons_device_is_not_found(app: Any) -> None:
    client = _setup(app)
    mine = _login(client, "zhangwei")
    hers = _login(client, "lina", "dev-lina-000003")
    her_device = _claims(hers["access_token"])[CLAIM]
    r = client.delete(f"{API}/me/devices/{her_device}", headers=mine["headers"])
    assert r.status_code == 404
    assert client.get(f"{API}/me", headers=hers["headers"]).status_code == 200


def test_the_sql_free_pull_honours_revocation(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The quick "nothing new" pull: refused at once for a revocation made in this
    process; for one made elsewhere (written straight to the database, as another
    process would) once this process's view is older than ``refresh_seconds``."""
    clock = Clock()
    client = _setup(app, clock)
    laptop = _login(client, "zhangwei")
    tablet = _login(client, "zhangwei", "dev-tablet-0004")
    cursors = {}
    for name, who in (("laptop", laptop), ("tablet", tablet)):
        r = client.get(f"{API}/sync/pull", headers=who["headers"])
        assert r.status_code == 200
        cursors[name] = r.json()["cursor"]
    hub = app.state.push_hub
    answered: list[str] = []

    def nothing_new(person: str, seq: int, scope: str, limit: int, known: Any = None) -> Any:
        answered.append(person)
        return [], seq, False

    monkeypatch.setattr(hub, "memory_page", nothing_new)
    gate = app.state.device_gate
    reads = gate.reads

    def quick(who: dict[str, Any], cursor: str) -> Any:
        return client.get(f"{API}/sync/pull", headers=who["headers"], params={"cursor": cursor})

    assert quick(laptop, cursors["laptop"]).status_code == 200
    assert gate.reads == reads and answered  # answered without the database

    # Revoked by another process: this one's fresh view still lets it through …
    tablet_id = _claims(tablet["access_token"])[CLAIM]
    with session_scope(app.state.sessions) as s:
        s.execute(update(Device).where(Device.id == tablet_id).values(revoked_at=utcnow()))
    assert quick(tablet, cursors["tablet"]).status_code == 200
    # … until the view is older than refresh_seconds: then the database path answers.
    clock.now += gate.refresh_seconds + 0.1
    stale = quick(tablet, cursors["tablet"])
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "auth.device_revoked"
    assert gate.reads == reads + 1
    assert quick(laptop, cursors["laptop"]).status_code == 200  # fresh again: quick

    # Revoked in this process: refused at once, on the quick path too.
    laptop_id = _claims(laptop["access_token"])[CLAIM]
    other = _login(client, "zhangwei", "dev-phone-00005")
    assert client.delete(f"{API}/me/devices/{laptop_id}", headers=other["headers"]).status_code == 204
    refused = quick(laptop, cursors["laptop"])
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.device_revoked"


def test_a_second_process_sees_the_revocation_within_its_refresh_interval(
        app: Any, settings: Any) -> None:
    from server.app import create_app

    clock = Clock()
    client = _setup(app)
    second = create_app(settings)
    second.state.device_gate = DeviceGate(clock=clock)
    try:
        other_client = TestClient(second)
        laptop = _login(client, "zhangwei")
        phone = _login(client, "zhangwei", "dev-phone-00002")
        assert other_client.get(f"{API}/me", headers=laptop["headers"]).status_code == 200
        laptop_id = _claims(laptop["access_token"])[CLAIM]
        assert client.delete(f"{API}/me/devices/{laptop_id}", headers=phone["headers"]).status_code == 204
        clock.now += second.state.device_gate.refresh_seconds + 0.1
        r = other_client.get(f"{API}/me", headers=laptop["headers"])
        assert r.status_code == 401 and r.json()["error"]["code"] == "auth.device_revoked"
    finally:
        second.state.engine.dispose()


def test_last_seen_is_written_at_most_once_a_minute(app: Any) -> None:
    clock = Clock()
    client = _setup(app, clock)
    laptop = _login(client, "zhangwei")
    device_id = _claims(laptop["access_token"])[CLAIM]
    old = utcnow() - timedelta(hours=3)

    def set_seen() -> None:
        with session_scope(app.state.sessions) as s:
            s.execute(update(Device).where(Device.id == device_id).values(last_seen_at=old))

    def seen() -> Any:
        with session_scope(app.state.sessions) as s:
            row = s.get(Device, device_id)
            assert row is not None
            return row.last_seen_at

    client.get(f"{API}/me", headers=laptop["headers"])  # the first request writes
    set_seen()
    client.get(f"{API}/me", headers=laptop["headers"])
    assert seen() == old  # within the minute: no write
    clock.now += 61
    client.get(f"{API}/me", headers=laptop["headers"])
    assert seen() > old
    set_seen()
    assert client.post(f"{API}/auth/refresh", json={"refresh_token": laptop["refresh_token"]}).status_code == 200
    assert seen() > old  # a refresh always writes


def test_the_wipe_acknowledgement(app: Any) -> None:
    client = _setup(app)
    laptop = _login(client, "zhangwei")
    phone = _login(client, "zhangwei", "dev-phone-00002")
    laptop_id = _claims(laptop["access_token"])[CLAIM]
    # Not revoked: nothing is recorded.
    assert client.post(f"{API}/auth/device-wiped", json={"refresh_token": laptop["refresh_token"]}).status_code == 204
    assert client.delete(f"{API}/me/devices/{laptop_id}", headers=phone["headers"]).status_code == 204
    assert client.post(f"{API}/auth/device-wiped", json={}).status_code == 401
    assert client.post(f"{API}/auth/device-wiped", json={"refresh_token": "x" * 40}).status_code == 401
    assert client.post(f"{API}/auth/device-wiped", json={},
                       headers={"Authorization": "Bearer forged"}).status_code == 401
    assert client.post(f"{API}/auth/device-wiped", json={"refresh_token": laptop["refresh_token"]}).status_code == 204
    listing = {d["id"]: d for d in client.get(f"{API}/me/devices", headers=phone["headers"]).json()["devices"]}
    assert listing[laptop_id]["state"] == "wiped" and listing[laptop_id]["wiped_at"]
    # The access token works as proof too (the phone, revoked by the laptop's owner later).
    phone_id = _claims(phone["access_token"])[CLAIM]
    third = _login(client, "zhangwei", "dev-tablet-0004")
    assert client.delete(f"{API}/me/devices/{phone_id}", headers=third["headers"]).status_code == 204
    assert client.post(f"{API}/auth/device-wiped", json={}, headers=phone["headers"]).status_code == 204
    with session_scope(app.state.sessions) as s:
        row = s.get(Device, phone_id)
        assert row is not None and row.wiped_at is not None
        trail = s.execute(select(AuditEntry.action, AuditEntry.target, AuditEntry.actor_id)
                          .where(AuditEntry.action.like("device.%"))).all()
    assert sorted(trail) == sorted([
        ("device.remove", f"device:{laptop_id}", "p-1"), ("device.wiped", f"device:{laptop_id}", "p-1"),
        ("device.remove", f"device:{phone_id}", "p-1"), ("device.wiped", f"device:{phone_id}", "p-1"),
    ])
    # A repeated acknowledgement records nothing more.
    client.post(f"{API}/auth/device-wiped", json={}, headers=phone["headers"])
    with session_scope(app.state.sessions) as s:
        assert len(s.scalars(select(AuditEntry.id).where(AuditEntry.action == "device.wiped")).all()) == 2


def test_signing_in_again_on_a_removed_computer_makes_a_new_device(app: Any) -> None:
    client = _setup(app)
    laptop = _login(client, "zhangwei")
    phone = _login(client, "zhangwei", "dev-phone-00002")
    laptop_id = _claims(laptop["access_token"])[CLAIM]
    client.delete(f"{API}/me/devices/{laptop_id}", headers=phone["headers"])
    again = _login(client, "zhangwei")
    assert _claims(again["access_token"])[CLAIM] != laptop_id
    assert client.get(f"{API}/me", headers=again["headers"]).status_code == 200


def test_an_open_event_stream_of_a_revoked_device_ends(app: Any) -> None:
    """The stream ends at its next keepalive (``push_keepalive_seconds``, 1 s here); the
    reconnect is refused."""
    import threading

    client = _setup(app)
    laptop = _login(client, "zhangwei")
    phone = _login(client, "zhangwei", "dev-phone-00002")
    laptop_id = _claims(laptop["access_token"])[CLAIM]
    lines: list[str] = []
    ended = threading.Event()

    def listen() -> None:
        with client.stream("GET", f"{API}/sync/events", headers=laptop["headers"]) as r:
            assert r.status_code == 200
            for line in r.iter_lines():
                lines.append(line)
        ended.set()

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    for _ in range(100):
        if lines:
            break
        threading.Event().wait(0.05)
    assert lines and lines[0].startswith("event: hello")
    assert client.delete(f"{API}/me/devices/{laptop_id}", headers=phone["headers"]).status_code == 204
    assert ended.wait(10), "the stream of a revoked device stayed open"
    again = client.get(f"{API}/sync/events", headers=laptop["headers"])
    assert again.status_code == 401 and again.json()["error"]["code"] == "auth.device_revoked"


def test_the_cached_check_of_a_token_without_a_device_needs_no_fresh_view() -> None:
    """A token from before devices has nothing to check (as ``DeviceGate.check``): the
    SQL-free pull must not send it to the database for a view that only the database
    path of a device's token refreshes; a device's token still needs a fresh view."""
    now = [0.0]
    gate = DeviceGate(refresh_seconds=5.0, clock=lambda: now[0])
    assert gate.check_cached({"sub": "p1"}) is True
    assert gate.check_cached({"sub": "p1", CLAIM: "d1"}) is False  # never read: ask SQL
    gate._loaded_at = 0.0
    assert gate.check_cached({"sub": "p1", CLAIM: "d1"}) is True
    now[0] = 6.0
    assert gate.check_cached({"sub": "p1", CLAIM: "d1"}) is False
    assert gate.check_cached({"sub": "p1"}) is True
