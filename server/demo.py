"""Demo organisation seeding for the embedded server (``OFFICE_DEMO=1``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.config import Settings
from server.directory.models import Body


def seed_demo_if_empty(session: Session, settings: Settings) -> bool:
    """Seed the demo organisation and its documents into an empty database.

    Returns True when it seeded. Everything goes in the caller's transaction, so a
    failure leaves the database empty and the next start tries again.
    """
    if session.scalars(select(Body.id).limit(1)).first() is not None:
        return False
    from server.directory.seed import seed_demo
    from server.documents.demo import seed_demo_documents
    from server.meetings.demo import seed_demo_meetings
    from server.supervision.demo import seed_demo_supervision

    seed_demo(session)
    session.flush()
    seed_demo_documents(session, blob_dir=settings.resolved_blob_dir())
    seed_demo_meetings(session)
    seed_demo_supervision(session)
    return True
