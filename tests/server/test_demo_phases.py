"""The embedded server's demo seed in two phases (server/demo.py) writes the same demo as
the one-transaction seed: the directory and the 局长's first to-do before the server
answers, the rest part by part after, resumable where a stopped start left it."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

import server.demo
from server.auth.models import ServerSecret
from server.changefeed import ChangeLog, ensure_counter
from server.config import Settings
from server.db import make_engine, session_scope
from server.documents.models import Document
from server.meetings.models import Booking, Room
from server.migrate import upgrade
from server.supervision.models import Item
from server.workbench.models import Todo

NOW = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)
JUZHANG, SECRETARY = "p-demo-01", "p-demo-04"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server.demo, "utcnow", lambda: NOW)


def _database(root: Path) -> tuple[Engine, Settings]:
    settings = Settings(data_dir=root, demo=True)
    root.mkdir()
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_counter(session)
    return engine, settings


def _content(engine: Engine) -> dict[str, Any]:
    """What a person sees, without the generated ids and the real clock's stamps."""
    with session_scope(engine) as s:
        return {
            "documents": sorted(
                (d.kind, d.body_id, d.title, d.status, d.doc_number, d.receipt_number, d.urgency,
                 d.created_at, d.updated_at, bool(d.pdf_sha256)) for d in s.scalars(select(Document))),
            "todos": sorted(
                (t.person_id, t.module, t.kind, t.title, t.urgency, t.done, t.due_at, t.from_name)
                for t in s.scalars(select(Todo))),
            "rooms": sorted((r.id, r.name) for r in s.scalars(select(Room))),
            "bookings": sorted((b.room_id, b.starts_at, b.ends_at, b.state, b.holder_id)
                               for b in s.scalars(select(Booking))),
            "items": sorted((i.id, i.state, i.due, i.number) for i in s.scalars(select(Item))),
            "feed": Counter((c.entity, c.deleted) for c in s.scalars(select(ChangeLog))),
            "marks": s.scalars(select(ServerSecret.name).where(
                ServerSecret.name == server.demo.REST_MARK)).all(),
        }


def test_two_phases_write_the_demo_of_one_transaction(tmp_path: Path) -> None:
    whole, whole_settings = _database(tmp_path / "whole")
    with session_scope(whole) as session:
        assert server.demo.seed_demo_if_empty(session, whole_settings)

    phased, settings = _database(tmp_path / "phased")
    with session_scope(phased) as session:
        assert server.demo.seed_demo_first(session, settings)
    first = _content(phased)
    # Before the server answers: the accounts and the 局长's urgent 待签发.
    assert [(t[1], t[2], t[4]) for t in first["todos"] if t[0] == JUZHANG and not t[5]] == [
        ("documents", "待签发", "加急")]
    assert first["marks"] == [server.demo.REST_MARK] and not first["rooms"]
    written = server.demo.seed_demo_rest(phased, settings, pause=0)
    assert written == len(server.demo._rest_parts())
    assert _content(phased) == _content(whole)
    with session_scope(phased) as session:  # nothing more to write at the next start
        assert not server.demo.seed_demo_first(session, settings)
    assert server.demo.seed_demo_rest(phased, settings) == 0


def test_a_stopped_second_phase_goes_on_where_it_stopped(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    whole, whole_settings = _database(tmp_path / "whole")
    with session_scope(whole) as session:
        server.demo.seed_demo_if_empty(session, whole_settings)

    phased, settings = _database(tmp_path / "phased")
    with session_scope(phased) as session:
        server.demo.seed_demo_first(session, settings)
    stop = threading.Event()
    parts = server.demo._rest_parts()
    calls = 0
    original = server.demo._run_part

    def stop_after_three(session: Any, settings: Settings, parts: Any) -> bool:
        nonlocal calls
        calls += 1
        if calls == 3:
            stop.set()
        return original(session, settings, parts)

    monkeypatch.setattr(server.demo, "_run_part", stop_after_three)
    assert server.demo.seed_demo_rest(phased, settings, stop, pause=0) == 3
    monkeypatch.setattr(server.demo, "_run_part", original)
    assert _content(phased)["marks"] == [server.demo.REST_MARK]
    # A server started without phases (main.py server --demo) finishes it in its seed.
    with session_scope(phased) as session:
        assert server.demo.seed_demo_if_empty(session, settings)
    assert len(parts) > 3
    assert _content(phased) == _content(whole)


def test_the_demo_secretary_has_something_to_do(tmp_path: Path) -> None:
    engine, settings = _database(tmp_path / "db")
    with session_scope(engine) as session:
        server.demo.seed_demo_if_empty(session, settings)
    todos = [t for t in _content(engine)["todos"] if t[0] == SECRETARY and not t[5]]
    assert todos, "蔡瑶萍's 我的待办 is empty"
