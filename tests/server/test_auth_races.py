"""Sign-in bookkeeping under real concurrency: lockout, refresh rotation, lost answers.

Each test fires many requests at the same moment (threads behind a barrier) through the
real app, on SQLite and PostgreSQL, and repeats the round several times: a race that
only shows now and then still fails the test.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server.auth.models import Account, RefreshToken
from server.db import session_scope, utcnow
from tests.server.helpers import PASSWORD, add_body, add_person

ROUNDS = 3


def _world(app: Any) -> TestClient:
    add_body(app)
    add_person(app, "p-1", "张伟", roles=("staff",), login="zhangwei")
    return TestClient(app)


def _at_once(count: int, call: Any) -> list[Any]:
    start = threading.Barrier(count)

    def run(i: int) -> Any:
        start.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _login(client: TestClient, password: str = PASSWORD) -> Any:
    return client.post("/api/v1/auth/login", json={"account": "zhangwei", "password": password})


def _unlock(app: Any) -> None:
    with session_scope(app.state.sessions) as s:
        s.execute(update(Account).values(locked_until=None, failed_logins=0))


def test_parallel_wrong_passwords_lock_the_account(app: Any) -> None:
    client = _world(app)
    limit = app.state.settings.login_max_failures
    for _ in range(ROUNDS):
        answers = _at_once(20, lambda _i: _login(client, "wrong-password"))
        codes = Counter(a.status_code for a in answers)
        assert set(codes) <= {401, 423}, codes
        # Exactly the allowed number of plain failures; the rest meet the lock.
        assert codes[401] == limit - 1, codes
        assert codes[423] == 20 - (limit - 1), codes
        right = _login(client)
        assert right.status_code == 423, right.text
        assert right.json()["error"]["code"] == "auth.locked"
        _unlock(app)
        assert _login(client).status_code == 200


def test_one_refresh_token_redeemed_in_parallel_rotates_once(app: Any) -> None:
    client = _world(app)
    for _ in range(ROUNDS):
        token = _login(client).json()["refresh_token"]
        answers = _at_once(
            8, lambda _i, t=token: client.post("/api/v1/auth/refresh", json={"refresh_token": t})
        )
        assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
        successors = {a.json()["refresh_token"] for a in answers}
        assert len(successors) == 1, successors  # one rotation, the same answer to all
        with session_scope(app.state.sessions) as s:
            family = s.scalars(
                select(RefreshToken.family_id).where(RefreshToken.used_at.is_not(None))
                .order_by(RefreshToken.used_at.desc())
            ).first()
            rows = s.scalars(select(RefreshToken).where(RefreshToken.family_id == family)).all()
        assert len(rows) == 2  # the redeemed token and exactly one successor
        assert all(r.revoked_at is None for r in rows)
        (successor,) = successors
        again = client.post("/api/v1/auth/refresh", json={"refresh_token": successor})
        assert again.status_code == 200


def test_retry_of_a_rotation_whose_answer_was_lost_gets_the_same_token(app: Any) -> None:
    client = _world(app)
    token = _login(client).json()["refresh_token"]
    first = client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert first.status_code == 200
    # The answer never reached the device: it retries with the token it still holds.
    retry = client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert retry.status_code == 200, retry.text
    assert retry.json()["refresh_token"] == first.json()["refresh_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {retry.json()['access_token']}"})
    assert me.status_code == 200
    # The successor keeps working: the family was not revoked.
    onward = client.post("/api/v1/auth/refresh", json={"refresh_token": retry.json()["refresh_token"]})
    assert onward.status_code == 200


def test_reuse_after_the_successor_was_used_still_revokes_the_family(app: Any) -> None:
    client = _world(app)
    token = _login(client).json()["refresh_token"]
    successor = client.post("/api/v1/auth/refresh", json={"refresh_token": token}).json()["refresh_token"]
    newest = client.post("/api/v1/auth/refresh", json={"refresh_token": successor}).json()["refresh_token"]
    stolen = client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert stolen.status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": newest}).status_code == 401


def test_reuse_after_the_grace_window_revokes_the_family(app: Any) -> None:
    client = _world(app)
    token = _login(client).json()["refresh_token"]
    successor = client.post("/api/v1/auth/refresh", json={"refresh_token": token}).json()["refresh_token"]
    grace = app.state.settings.refresh_grace_seconds
    with session_scope(app.state.sessions) as s:
        s.execute(
            update(RefreshToken)
            .where(RefreshToken.used_at.is_not(None))
            .values(used_at=utcnow() - timedelta(seconds=grace + 5))
        )
    late = client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert late.status_code == 401
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": successor}).status_code == 401


def test_parallel_retries_after_a_lost_answer_all_get_the_same_token(app: Any) -> None:
    client = _world(app)
    for _ in range(ROUNDS):
        token = _login(client).json()["refresh_token"]
        first = client.post("/api/v1/auth/refresh", json={"refresh_token": token}).json()
        answers = _at_once(
            6, lambda _i, t=token: client.post("/api/v1/auth/refresh", json={"refresh_token": t})
        )
        assert {a.status_code for a in answers} == {200}
        assert {a.json()["refresh_token"] for a in answers} == {first["refresh_token"]}


def test_password_change_keeps_the_session_that_made_it(app: Any) -> None:
    client = _world(app)
    here = _login(client).json()
    elsewhere = _login(client).json()
    headers = {"Authorization": f"Bearer {here['access_token']}"}
    ok = client.post("/api/v1/auth/password", headers=headers,
                     json={"old_password": PASSWORD, "new_password": "Better123"})
    assert ok.status_code == 204
    assert client.post("/api/v1/auth/refresh",
                       json={"refresh_token": elsewhere["refresh_token"]}).status_code == 401
    mine = client.post("/api/v1/auth/refresh", json={"refresh_token": here["refresh_token"]})
    assert mine.status_code == 200, mine.text


def test_client_survives_a_refresh_whose_answer_is_lost(app: Any) -> None:
    """The sync client's own path: the rotation happens on the server, the answer is
    lost, the client retries with the token it holds and stays signed in."""
    import httpx

    from modules.common.errors import Offline
    from sync.api import ApiClient, MemoryTokenStore

    server = _world(app)
    lost = {"refresh": 1}

    def handle(request: httpx.Request) -> httpx.Response:
        answer = server.request(
            request.method, request.url.path, params=request.url.params,
            headers=dict(request.headers), content=request.content,
        )
        if request.url.path.endswith("/auth/refresh") and lost["refresh"]:
            lost["refresh"] -= 1
            raise httpx.ReadError("connection reset after the server answered", request=request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    api = ApiClient("http://testserver", token_store=MemoryTokenStore(),
                    transport=httpx.MockTransport(handle))
    api.login("zhangwei", PASSWORD)
    held = api.tokens.get_refresh()
    api.tokens.access_token = "expired-or-forged"
    try:
        api.me()
    except Offline:
        pass
    else:  # pragma: no cover - the lost answer must surface as offline
        raise AssertionError("the lost refresh answer was not reported as offline")
    assert api.tokens.get_refresh() == held  # the client still holds the old token
    assert api.me()["name"] == "张伟"  # retried rotation: same successor, still signed in
    assert api.tokens.get_refresh() != held
    assert server.post("/api/v1/auth/refresh",
                       json={"refresh_token": api.tokens.get_refresh()}).status_code == 200


def test_two_first_sign_ins_share_one_generated_token_key(tmp_path: Any, database_url: str) -> None:
    """Without a configured key, the first sign-ins generate it; racing, one key stands."""
    from server.auth.service import token_secret
    from server.config import Settings
    from server.db import make_engine, make_sessionmaker
    from server.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    settings = Settings(data_dir=tmp_path / "srv", database_url=database_url, secret_key="",
                        log_json=False)
    barrier = threading.Barrier(6)
    keys: list[str] = []
    errors: list[BaseException] = []

    def first_sign_in() -> None:
        try:
            with session_scope(sessions) as s:
                barrier.wait()
                keys.append(token_secret(s, settings))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=first_sign_in) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    engine.dispose()
    assert not errors, errors
    assert len(keys) == 6 and len(set(keys)) == 1
