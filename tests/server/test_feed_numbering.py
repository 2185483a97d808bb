"""PostgreSQL numbers feed rows after commit: writers do not serialise on the counter."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server.changefeed import ChangeLog, read_counter, read_feed, record_change, sequencer_for
from server.db import session_scope

KEYS = frozenset({"all"})


@pytest.fixture
def pg_app(tmp_path: Path, pg_url: str) -> Iterator[Any]:
    from server.app import create_app
    from server.config import Settings

    application = create_app(Settings(
        data_dir=tmp_path / "server", database_url=pg_url,
        secret_key="test-secret-key-with-enough-length-0123456789", log_json=False,
    ))
    yield application
    application.state.engine.dispose()


def ids_after(app: Any, cursor: str | None) -> tuple[list[str], str]:
    with session_scope(app.state.sessions) as s:
        page = read_feed(s, KEYS, cursor, 100)
    return [c["id"] for c in page.changes], page.cursor


@pytest.mark.postgres
def test_a_writer_commits_while_another_holds_its_change_open_postgres(pg_app: Any) -> None:
    _, cursor = ids_after(pg_app, None)
    slow = pg_app.state.sessions()
    try:
        record_change(slow, "test.item", "slow", {"v": 1}, KEYS)  # flushed, not committed
        done = threading.Event()

        def fast() -> None:
            with session_scope(pg_app.state.sessions) as s:
                record_change(s, "test.item", "fast", {"v": 1}, KEYS)
            done.set()

        thread = threading.Thread(target=fast)
        thread.start()
        # With a counter row taken by every writer, this would wait for `slow` to end.
        assert done.wait(10), "the second writer waited for the first"
        thread.join()
        seen, cursor = ids_after(pg_app, cursor)
        assert seen == ["fast"]
        slow.commit()
    finally:
        slow.close()
    # Committed after a later change was read: it still arrives, after the cursor.
    seen, cursor = ids_after(pg_app, cursor)
    assert seen == ["slow"]
    assert ids_after(pg_app, cursor)[0] == []


@pytest.mark.postgres
def test_rows_left_pending_by_a_lost_pass_are_numbered_by_the_hub_tick_postgres(
    pg_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, cursor = ids_after(pg_app, None)

    def lost(self: Any) -> int:
        raise ConnectionError("the process died after its commit")

    monkeypatch.setattr(type(sequencer_for(pg_app.state.engine)), "catch_up", lost)
    with session_scope(pg_app.state.sessions) as s:
        record_change(s, "test.item", "orphan", {"v": 1}, KEYS)
    with session_scope(pg_app.state.sessions) as s:
        pending = s.query(ChangeLog).filter(ChangeLog.entity_id == "orphan").one()
        assert pending.seq is None
    assert ids_after(pg_app, cursor)[0] == []  # committed, not yet in the feed
    with session_scope(pg_app.state.sessions) as s:
        top, _ = read_counter(s)  # the push hub's tick
    seen, cursor = ids_after(pg_app, cursor)
    assert seen == ["orphan"]
    with session_scope(pg_app.state.sessions) as s:
        assert s.query(ChangeLog.seq).filter(ChangeLog.entity_id == "orphan").scalar() == top


@pytest.mark.postgres
def test_many_writers_share_sequencing_passes_postgres(pg_app: Any) -> None:
    sequencer = sequencer_for(pg_app.state.engine)
    before = sequencer.passes
    barrier = threading.Barrier(8)

    def writer(n: int) -> None:
        barrier.wait()
        for i in range(10):
            with session_scope(pg_app.state.sessions) as s:
                record_change(s, "test.item", f"w{n}-{i}", {"v": i}, KEYS)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seen, _ = ids_after(pg_app, None)
    with session_scope(pg_app.state.sessions) as s:
        page = read_feed(s, KEYS, None, 500)
    assert sorted(c["id"] for c in page.changes) == sorted(f"w{n}-{i}" for n in range(8) for i in range(10))
    seqs = [c["seq"] for c in page.changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == 80
    assert sequencer.passes - before <= 80  # at most one per commit, fewer when they overlap
    assert seen


@pytest.mark.postgres
def test_changes_made_inside_savepoints_are_numbered_at_the_real_commit_postgres(pg_app: Any) -> None:
    _, cursor = ids_after(pg_app, None)
    with session_scope(pg_app.state.sessions) as s:
        with s.begin_nested():  # released: SQLAlchemy reports a "commit" here too
            record_change(s, "test.item", "inner", {"v": 1}, KEYS)
        with s.begin_nested():
            record_change(s, "test.item", "undone", {"v": 1}, KEYS)
            s.get_nested_transaction().rollback()  # type: ignore[union-attr]
        record_change(s, "test.item", "outer", {"v": 1}, KEYS)
    assert ids_after(pg_app, cursor)[0] == ["inner", "outer"]


@pytest.mark.postgres
def test_writers_holding_every_pooled_connection_still_get_numbered_postgres(
    pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A pass must not queue for the engine's pool: its writers hold it while they wait."""
    from server.changefeed import ensure_counter
    from server.db import make_engine, make_sessionmaker

    engine = make_engine(pg_url, pool_size=2, max_overflow=0, pool_timeout=5)
    sessions = make_sessionmaker(engine)
    with session_scope(sessions) as s:
        ensure_counter(s)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(5):
                with session_scope(sessions) as s:
                    record_change(s, "test.item", f"p{n}-{i}", {"v": i}, KEYS)
                    if i == 0:
                        barrier.wait(10)  # both pooled connections are in use now
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not errors, errors
        with session_scope(sessions) as s:
            page = read_feed(s, KEYS, None, 100)
        assert len(page.changes) == 10
        # Each commit's own pass numbered it (none waited for a pooled connection).
        assert "numbering the feed after a commit failed" not in caplog.text
    finally:
        engine.dispose()
