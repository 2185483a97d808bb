"""Demo seeding: the organisation of :mod:`modules.directory.demo` with its accounts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from modules.directory.demo import DEFAULT_SEED, demo_directory
from server.directory import storage
from server.directory.models import Body


def seed_demo(session: Session, seed: int = DEFAULT_SEED, *,
              password_hash: str | None = None) -> dict[str, Any]:
    """Write the demo directory and accounts (password ``DEMO_PASSWORD``); idempotent.
    ``password_hash``: that password's hash, when the caller made it already.

    When the demo root body already exists nothing is written and ``{"seeded": False}``
    is returned. Runs in the caller's transaction.
    """
    data = demo_directory(seed)
    if session.get(Body, data.bodies[0].id) is not None:
        return {"seeded": False}
    plan = data.plan()
    counts = storage.apply_import(
        session, plan, default_password=data.password, password_hash=password_hash
    )
    return {"seeded": True, **counts}
