"""Migration ``028a4b58079f`` (三员分立): a meeting-side record published before it to
``meetings:admin:<organ>`` loses that key — moved to a new ``seq`` with the key hidden,
so an administrator's next pull brings a tombstone — while rooms keep it and the
secretaries' key stays visible. SQLite and PostgreSQL (pending rows numbered by a pass)."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, insert, select

from server.changefeed import ChangeAudience, ChangeCounter, ChangeLog, number_pending, read_feed
from server.db import make_engine, session_scope
from server.migrate import alembic_config

REVISION = "028a4b58079f"
BEFORE = "e62a2d05bd47"
ADMIN, SECRETARIES = "meetings:admin:b-mg", "meetings:organiser:b-mg"


def _audience(engine: Engine) -> dict[tuple[str, str], tuple[bool, int | None, int | None]]:
    with engine.connect() as conn:
        return {(r.entity_id, r.key): (r.visible, r.seq, r.hidden_seq) for r in conn.execute(
            select(ChangeAudience.entity_id, ChangeAudience.key, ChangeAudience.visible,
                   ChangeAudience.seq, ChangeAudience.hidden_seq))}


def test_meeting_records_lose_the_admin_key_and_rooms_keep_it(database_url: str) -> None:
    engine = make_engine(database_url)
    cfg = alembic_config(engine)
    now = dt.datetime.now(dt.UTC)
    try:
        command.upgrade(cfg, "heads")
        command.downgrade(cfg, BEFORE)
        with engine.begin() as conn:
            conn.execute(insert(ChangeCounter), [{"id": 1, "value": 2, "purged_below": 0}])
            conn.execute(insert(ChangeLog), [
                {"entity": "meetings.meeting", "entity_id": "mt-old", "seq": 1,
                 "data": {"id": "mt-old"}, "deleted": False, "changed_at": now},
                {"entity": "meetings.room", "entity_id": "mr-old", "seq": 2,
                 "data": {"id": "mr-old"}, "deleted": False, "changed_at": now}])
            conn.execute(insert(ChangeAudience), [
                {"entity": "meetings.meeting", "entity_id": "mt-old", "key": ADMIN,
                 "visible": True, "seq": 1},
                {"entity": "meetings.meeting", "entity_id": "mt-old", "key": SECRETARIES,
                 "visible": True, "seq": 1},
                {"entity": "meetings.room", "entity_id": "mr-old", "key": ADMIN,
                 "visible": True, "seq": 2}])
        command.upgrade(cfg, REVISION)
        if engine.dialect.name == "postgresql":
            with session_scope(engine) as s:  # what the server's next pass does
                number_pending(s)
        assert _audience(engine) == {
            ("mt-old", ADMIN): (False, 3, 3),
            ("mt-old", SECRETARIES): (True, 3, None),
            ("mr-old", ADMIN): (True, 2, None),
        }
        with session_scope(engine) as s:
            page = read_feed(s, frozenset({ADMIN}), None, 100)
        changes = {c["id"]: c["data"] for c in page.changes}
        assert changes == {"mt-old": None, "mr-old": {"id": "mr-old"}}
    finally:
        engine.dispose()
