"""A revoked device wipes itself at its next contact — end to end against the REAL server
(create_app + uvicorn on 127.0.0.1), on SQLite and PostgreSQL.

The security administrator revokes the device through the admin route; the client's next
call answers ``auth.device_revoked``; the session stops its engine, deletes the account's
folder, its refresh token and data key from the keyring, acknowledges, and the server
lists the device as wiped. Also the lost computer started again later (offline entry,
then the first contact), and the device identity sent at sign-in.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sync import device
from sync.credentials import SERVICE, key_for
from sync.session import ClientSession
from sync.vault import keyring_user
from tests.server.helpers import PASSWORD, add_body, add_person
from tests.sync.fakes import MemoryKeyring
from tests.sync.live import LiveServer

API = "/api/v1"


@pytest.fixture()
def live(settings: Any) -> Iterator[LiveServer]:
    server = LiveServer(settings)
    server.start()
    add_body(server.app, "b-1", "省政务服务数据管理局")
    add_person(server.app, "p-a", "张伟", "b-1", login="zhangwei")
    add_person(server.app, "p-s", "安全员", "b-1", roles=("security_admin",), login="anquan")
    yield server
    server.close()


class Admin:
    """The security administrator, over plain HTTP."""

    def __init__(self, live: LiveServer) -> None:
        self.http = httpx.Client(base_url=live.url + API, timeout=10)
        token = self.http.post("/auth/login", json={"account": "anquan", "password": PASSWORD})
        assert token.status_code == 200, token.text
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"

    def devices(self, person_id: str = "p-a") -> list[dict[str, Any]]:
        r = self.http.get(f"/admin/people/{person_id}/devices")
        assert r.status_code == 200, r.text
        return list(r.json()["devices"])

    def revoke(self, device_id: str) -> None:
        r = self.http.post(f"/admin/devices/{device_id}/revoke")
        assert r.status_code == 200, r.text


def _wiped(session: ClientSession) -> None:
    """Wait for the session's wipe thread to start and finish."""
    for _ in range(200):
        if session.wipe_thread is not None:
            break
        threading.Event().wait(0.05)
    assert session.wipe_thread is not None, "no wipe started"
    session.wipe_thread.join(30)
    assert not session.wipe_thread.is_alive()


def _closed(session: ClientSession) -> bool:
    """The engine stopped and the cache closed."""
    return session.engine is None and session.cache is None


def _secrets(keyring: MemoryKeyring, url: str) -> set[tuple[str, str]]:
    return {k for k in keyring.secrets
            if k in {(SERVICE, key_for(url, "zhangwei")), (SERVICE, keyring_user(url, "zhangwei"))}}


def test_a_revoked_device_wipes_itself_at_its_next_contact(
        live: LiveServer, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    data = tmp_path / "data"
    session = ClientSession(data, engine_options={"listen": False, "period_seconds": 3600})
    told: list[tuple[str, str]] = []
    session.on_device_revoked = lambda url, account: told.append((url, account))
    session.login(live.url, "zhangwei", PASSWORD)
    assert session.engine is not None and session.engine.wait_idle(60)
    folder = session.folder(live.url, "zhangwei")
    assert (folder / "cache.sqlite").exists()
    assert len(_secrets(memory_keyring, live.url)) == 2  # refresh token and data key

    admin = Admin(live)
    [row] = admin.devices()
    assert row["name"] == socket.gethostname() and row["platform"] == device.platform_name()
    assert row["state"] == "active" and row["signed_in"]
    admin.revoke(row["id"])
    assert folder.exists()  # nothing happens on the client until it makes contact

    session.engine.sync_now()
    _wiped(session)
    assert told == [(live.url, "zhangwei")]
    assert not folder.exists()
    assert _secrets(memory_keyring, live.url) == set()
    assert _closed(session)
    assert (data / device.FILE).exists()  # the computer keeps its name
    [after] = admin.devices()
    assert after["state"] == "wiped" and after["wiped_at"]
    admin.http.close()


def test_a_lost_computer_started_later_wipes_at_the_first_contact(
        live: LiveServer, tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    data = tmp_path / "data"
    first = ClientSession(data, engine_options={"listen": False, "period_seconds": 3600})
    first.login(live.url, "zhangwei", PASSWORD)
    assert first.engine is not None and first.engine.wait_idle(60)
    first.close()  # the program ends; the sign-in is kept for the next start
    folder = first.folder(live.url, "zhangwei")
    client_id = (data / device.FILE).read_text().strip()

    admin = Admin(live)
    [row] = admin.devices()
    admin.revoke(row["id"])

    again = ClientSession(data, engine_options={"listen": False, "period_seconds": 3600})
    again.resume_offline(live.url, "zhangwei", PASSWORD)  # the engine's first sync is the contact
    _wiped(again)
    assert not folder.exists() and _secrets(memory_keyring, live.url) == set()
    assert admin.devices()[0]["state"] == "wiped"

    # Signing in again with the password works: the same computer, a new device entry.
    again.login(live.url, "zhangwei", PASSWORD)
    assert (data / device.FILE).read_text().strip() == client_id
    states = sorted(d["state"] for d in admin.devices())
    assert states == ["active", "wiped"]
    again.close()
    admin.http.close()


def test_the_device_id_is_made_once_and_a_bad_file_is_replaced(tmp_path: Path) -> None:
    made = device.client_id(tmp_path)
    assert device.client_id(tmp_path) == made and len(made) == 32
    (tmp_path / device.FILE).write_text("../../etc/passwd")
    replaced = device.client_id(tmp_path)
    assert replaced != made and device.client_id(tmp_path) == replaced
    fields = device.identity(tmp_path).login_fields()
    assert fields["device_id"] == replaced and fields["device_name"] and fields["platform"]
