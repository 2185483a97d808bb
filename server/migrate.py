"""Database preparation: Alembic migrations, the change counter, demo data.

Runs in one process before workers start (``main.py server``) and in ``create_app``
for tests and the embedded server. On PostgreSQL a transaction-level advisory lock
makes concurrent starts safe.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

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


def upgrade(engine: Engine) -> None:
    cfg = alembic_config(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            # A transaction-level lock, released by the commit: one migration transaction,
            # also behind PgBouncer in transaction mode (where a session-level lock and its
            # unlock could land on different server connections and the lock would leak).
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "heads")
            conn.commit()
    else:
        command.upgrade(cfg, "heads")


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
