"""Database preparation: Alembic migrations, the change counter, demo data.

Runs in one process before workers start (``main.py server``) and in ``create_app``
for tests and the embedded server. On PostgreSQL a transaction-level advisory lock
makes concurrent starts safe.

An empty database (no table at all: the embedded server's first start, a new
deployment) is not taken through every revision: the models' metadata creates the
schema (``create_all``), :func:`fresh_extras` adds what the revisions write beyond it
(the audit trail's append-only triggers and head row, PostgreSQL's booking-overlap
exclusion), and the database is stamped at the head, in one transaction.
``tests/server/test_schema_equality.py`` proves on SQLite and PostgreSQL that this gives
the schema of the migrations (tables, columns, types, nullability, defaults, keys,
indexes, constraints, triggers, the rows they write), so the two cannot drift apart.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, inspect, text

from server.config import Settings
from server.db import session_scope

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 48_151_623


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    cfg.attributes["engine"] = engine
    return cfg


#: PostgreSQL: two bookings that hold one room never overlap (revision ceab4d3ac6b0).
BOOKING_NO_OVERLAP_POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE meetings_booking ADD CONSTRAINT ex_meetings_booking_no_overlap "
    "EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
    "WHERE (state IN ('held', 'confirmed'))",
]


def fresh_extras(dialect: str) -> list[str]:
    """What the revisions write into an empty database beyond the models' tables."""
    from server.audit.models import TRIGGERS_POSTGRESQL, TRIGGERS_SQLITE

    head_row = "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '" + "0" * 64 + "')"
    if dialect == "postgresql":
        return [head_row, *TRIGGERS_POSTGRESQL, *BOOKING_NO_OVERLAP_POSTGRESQL]
    return [head_row, *TRIGGERS_SQLITE]


def _create_fresh(conn: Connection, cfg: Config) -> bool:
    """In an empty database (no table): the schema of the head revision from the models,
    stamped at the head, in ``conn``'s transaction. False (nothing done) otherwise."""
    from server.app import _feature_modules
    from server.db import Base

    if inspect(conn).get_table_names():
        return False
    _feature_modules()  # every feature's models: the metadata is complete
    Base.metadata.create_all(conn)
    for statement in fresh_extras(conn.dialect.name):
        conn.execute(text(statement))
    cfg.attributes["connection"] = conn
    command.stamp(cfg, "heads")
    log.info("empty database: created at the head revision")
    return True


def upgrade(engine: Engine, *, fresh: bool = True) -> None:
    """Bring the database to the head revision; an empty one is created at the head
    directly (``fresh``, see the module), others go through the revisions."""
    cfg = alembic_config(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # A transaction-level lock, released by the commit: one migration transaction,
            # also behind PgBouncer in transaction mode (where a session-level lock and its
            # unlock could land on different server connections and the lock would leak).
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        if not (fresh and _create_fresh(conn, cfg)):
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
        conn.commit()


def prepare_database(engine: Engine, settings: Settings) -> None:
    """Migrate, make sure the change counter exists, seed demo data if asked; then
    PostgreSQL's statistics for every table that holds rows but lacks them (tables a
    migration created or altered, the demo data)."""
    from server.analyze import analyze_unanalysed
    from server.changefeed import ensure_counter

    upgrade(engine)
    with session_scope(engine) as session:
        ensure_counter(session)
        analyze_unanalysed(session)
    from server.meetings.storage import publish_kinds

    with session_scope(engine) as session:  # the deployment's meeting types, to every device
        publish_kinds(session, settings.meeting_kinds)
    if settings.demo:
        from server.demo import seed_demo_if_empty

        with session_scope(engine) as session:
            if seed_demo_if_empty(session, settings):
                analyze_unanalysed(session)
