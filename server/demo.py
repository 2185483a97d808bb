"""Demo organisation seeding for the embedded server (``OFFICE_DEMO=1``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.directory.models import Body


def seed_demo_if_empty(session: Session) -> bool:
    """Seed the demo organisation into an empty database; True when it seeded."""
    if session.scalars(select(Body.id).limit(1)).first() is not None:
        return False
    from server.directory.seed import seed_demo

    seed_demo(session)
    return True
