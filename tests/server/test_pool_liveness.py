"""Pooled PostgreSQL connections are checked on checkout without a round trip each
(server/db.py, ``check_connections_on_checkout``): a backend the server terminated is
replaced before anyone uses it, a long-idle one is pinged, a recently used live one is
handed out as it is."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, text

from server import db

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(pg_url: str) -> Iterator[Engine]:
    engine = db.make_engine(pg_url, pool_size=1, max_overflow=0)
    yield engine
    engine.dispose()


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _pings(engine: Engine) -> list[int]:
    seen: list[int] = []
    original = engine.dialect.do_ping

    def counting(dbapi_conn: Any) -> bool:
        seen.append(1)
        return bool(original(dbapi_conn))

    engine.dialect.do_ping = counting  # type: ignore[method-assign]
    return seen


def test_a_recently_used_live_connection_is_handed_out_without_a_ping(engine: Engine) -> None:
    first = _backend_pid(engine)
    pings = _pings(engine)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: statements.append(statement))
    for _ in range(5):
        assert _backend_pid(engine) == first
    assert pings == []
    assert statements == ["SELECT pg_backend_pid()"] * 5


def test_a_terminated_backend_is_replaced_before_it_is_used(engine: Engine, pg_url: str) -> None:
    doomed = _backend_pid(engine)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:pid)"),
                                {"pid": doomed}).scalar_one()
    finally:
        admin.dispose()
    deadline = time.monotonic() + 5
    while not db._unasked_input(engine.pool._pool.queue[0].dbapi_connection):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "the terminated backend's socket never became readable"
        time.sleep(0.01)
    pings = _pings(engine)
    # No error reaches the caller: the pool discards the dead connection and opens another.
    assert _backend_pid(engine) != doomed
    assert pings == [1]


def test_a_long_idle_connection_is_pinged(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _backend_pid(engine)
    pings = _pings(engine)
    real = time.monotonic
    monkeypatch.setattr(db.time, "monotonic", lambda: real() + db.IDLE_PING_SECONDS + 1)
    assert _backend_pid(engine) == first  # alive: kept after its ping
    assert pings == [1]
