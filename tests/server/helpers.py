"""Small builders for server tests: a body, people with posts and accounts, a client."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from server.auth.service import create_account
from server.db import session_scope
from server.directory.models import Body, Person, Post

PASSWORD = "Passw0rd!"


def add_body(app: Any, body_id: str = "b-prov", name: str = "省政务服务数据管理局",
             tier: str = "province", region_id: str | None = None) -> None:
    with session_scope(app.state.sessions) as s:
        s.add(Body(id=body_id, name=name, short_name=name[:4], code="粤政数", tier=tier,
                   kind="body", region_id=region_id or body_id))


def add_person(app: Any, person_id: str, name: str, body_id: str = "b-prov",
               roles: tuple[str, ...] = ("staff",), login: str | None = None) -> str:
    with session_scope(app.state.sessions) as s:
        s.add(Person(id=person_id, name=name, pinyin=person_id, initials=person_id[:2]))
        s.flush()
        s.add(Post(id=f"post-{person_id}", person_id=person_id, body_id=body_id, title="科员",
                   roles=list(roles), is_primary=True))
        create_account(s, person_id, login or person_id, PASSWORD)
    return login or person_id


def login(client: TestClient, account: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/auth/login", json={"account": account, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
