"""A real server in a thread with seals, people and requests, and real clients
(API client, local cache, blob store, sync engine) — for client, view and screenshot
tests. SQLite only: the server flows themselves run on both databases in test_server.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import httpx

from modules.seals.service import SealService
from server.config import Settings
from sync.api import ApiClient, MemoryTokenStore
from sync.blobs import BlobStore
from sync.cache import LocalCache
from sync.engine import SyncEngine
from tests.seals.create import create_seal
from tests.server.helpers import PASSWORD, add_body, add_person
from tests.sync.live import LiveServer

NOW = dt.datetime.now(dt.UTC)


class MemoryKeyring:
    """The two keyring calls the service uses, in memory."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, name: str) -> str | None:
        return self.items.get((service, name))

    def set_password(self, service: str, name: str, value: str) -> None:
        self.items[(service, name)] = value


def server_settings(folder: Path) -> Settings:
    return Settings(data_dir=folder / "server", database_url=f"sqlite:///{folder / 'office.db'}",
                    secret_key="seal-test-secret-key-with-enough-length-0123",
                    push_poll_seconds=0.05, push_keepalive_seconds=1.0, log_json=False)


class Device:
    """One signed-in client; the engine is not started (tests drive ``run_cycle``)."""

    def __init__(self, live: LiveServer, login: str, folder: Path) -> None:
        self.api = ApiClient(live.url, token_store=MemoryTokenStore(), timeout=20)
        self.principal = self.api.login(login, PASSWORD)["user"]
        folder.mkdir(parents=True, exist_ok=True)
        self.cache = LocalCache(folder / f"{login}.sqlite")
        self.blobs = BlobStore(self.cache, folder / f"{login}-blobs")
        self.engine = SyncEngine(self.cache, self.api, principal=self.principal,
                                 blobs=self.blobs, listen=False, period_seconds=3600)
        self.keyring = MemoryKeyring()
        self.service = SealService(self.engine, keyring=self.keyring, sync_timeout=30)

    def sync(self) -> None:
        self.engine.run_cycle()

    def close(self) -> None:
        self.engine.stop()
        self.api.close()
        self.cache.close()


class SealWorld:
    """Server + people + two seals. ``device(login)`` signs a client in."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.live = LiveServer(server_settings(folder))
        self.live.start()
        app = self.live.app
        add_body(app, "b-gov", "临江市人民政府办公室", tier="city")
        add_body(app, "b-fin", "临江市财政局", tier="city")
        add_person(app, "p-admin", "周管理", "b-gov", roles=("security_admin",), login="admin")
        add_person(app, "p-keeper", "王保管", "b-gov", roles=("seal_custodian",), login="keeper")
        add_person(app, "p-lead", "李主任", "b-gov", roles=("leader",), login="lead")
        add_person(app, "p-clerk", "张文书", "b-gov", roles=("staff",), login="clerk")
        # The finance bureau's seal is administered and held by its own people: the same
        # four also hold a post there (兼职).
        add_post(app, "p-admin", "b-fin", ("security_admin",))
        add_post(app, "p-keeper", "b-fin", ("seal_custodian",))
        add_post(app, "p-lead", "b-fin", ("leader",))
        add_post(app, "p-clerk", "b-fin", ("staff",))
        self.devices: list[Device] = []
        self.http = httpx.Client(base_url=self.live.url + "/api/v1", timeout=30)
        token = self.http.post("/auth/login", json={"account": "admin", "password": PASSWORD})
        self.admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
        self.gov_seal = self.create_seal("临江市人民政府办公室公章", "official", "b-gov")
        self.contract_seal = self.create_seal("临江市财政局合同专用章", "contract", "b-fin")

    def create_seal(self, name: str, kind: str, body: str) -> dict[str, Any]:
        return create_seal(self.http, self.admin, {
            "name": name, "type": kind, "body_id": body, "custodians": ["p-keeper"],
            "approvers": ["p-lead"], "requesters": ["p-clerk"],
            "valid_from": (NOW - dt.timedelta(days=1)).isoformat(),
            "valid_to": (NOW + dt.timedelta(days=730)).isoformat()}, api="")

    def device(self, login: str) -> Device:
        d = Device(self.live, login, self.folder / "clients")
        self.devices.append(d)
        return d

    def close(self) -> None:
        for d in self.devices:
            d.close()
        self.http.close()
        self.live.close()


def add_post(app: Any, person_id: str, body_id: str, roles: tuple[str, ...]) -> None:
    """A second post (兼职) for an existing person."""
    from server.db import session_scope
    from server.directory.models import Post

    with session_scope(app.state.sessions) as s:
        s.add(Post(id=f"post-{person_id}-{body_id}", person_id=person_id, body_id=body_id,
                   title="兼职", roles=list(roles), is_primary=False))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
