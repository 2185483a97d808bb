"""Login, lockout, refresh rotation, reuse detection, logout and password change."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.server.helpers import PASSWORD, add_body, add_person


def setup(app: Any) -> TestClient:
    add_body(app)
    add_person(app, "p-1", "张伟", roles=("staff", "leader"), login="zhangwei")
    return TestClient(app)


def test_login_returns_tokens_and_profile(app: Any) -> None:
    client = setup(app)
    body = client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": PASSWORD}).json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    assert body["user"]["name"] == "张伟"
    assert body["user"]["roles"] == ["leader", "staff"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["posts"][0]["body_name"] == "省政务服务数据管理局"


def test_wrong_password_and_unknown_account_look_alike(app: Any) -> None:
    client = setup(app)
    wrong = client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": "nope"})
    unknown = client.post("/api/v1/auth/login", json={"account": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["error"]["message"] == unknown.json()["error"]["message"] == "账号或密码错误。"


def test_repeated_failures_lock_the_account(app: Any) -> None:
    client = setup(app)
    for _ in range(4):
        assert client.post("/api/v1/auth/login",
                           json={"account": "zhangwei", "password": "bad"}).status_code == 401
    fifth = client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": "bad"})
    assert fifth.status_code == 423
    assert "锁定" in fifth.json()["error"]["message"]
    # Even the right password is refused while locked.
    right = client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": PASSWORD})
    assert right.status_code == 423


def test_refresh_rotates_and_reuse_revokes_the_family(app: Any) -> None:
    client = setup(app)
    first = client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": PASSWORD}).json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    new_token = second.json()["refresh_token"]
    assert new_token != first["refresh_token"]
    third = client.post("/api/v1/auth/refresh", json={"refresh_token": new_token})
    assert third.status_code == 200
    # The first token again, after its successor was used: reuse, not a retry.
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401
    # The replay killed the whole family, including the token issued after it.
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": third.json()["refresh_token"]})
    assert after.status_code == 401


def test_logout_revokes_the_refresh_token(app: Any) -> None:
    client = setup(app)
    tokens = client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": PASSWORD}).json()
    assert client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 401


def test_password_change_checks_policy_and_old_password(app: Any) -> None:
    client = setup(app)
    tokens = client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    weak = client.post("/api/v1/auth/password", headers=headers,
                       json={"old_password": PASSWORD, "new_password": "short"})
    assert weak.status_code == 422 and "至少 8 位" in weak.json()["error"]["message"]
    wrong = client.post("/api/v1/auth/password", headers=headers,
                        json={"old_password": "not-it", "new_password": "Better123"})
    assert wrong.status_code == 422
    ok = client.post("/api/v1/auth/password", headers=headers,
                     json={"old_password": PASSWORD, "new_password": "Better123"})
    assert ok.status_code == 204
    # The session that changed the password stays signed in (others are signed out).
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": tokens["refresh_token"]}).status_code == 200
    assert client.post("/api/v1/auth/login",
                       json={"account": "zhangwei", "password": "Better123"}).status_code == 200


def test_missing_and_forged_tokens_are_401(app: Any) -> None:
    client = setup(app)
    assert client.get("/api/v1/me").status_code == 401
    forged = client.get("/api/v1/me", headers={"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"})
    assert forged.status_code == 401
    assert forged.json()["error"]["code"] == "auth.token_invalid"
