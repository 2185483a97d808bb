"""meetings: administrators no longer receive meetings, replies, nominations

三员分立: ``meetings:admin:<organ>`` now carries rooms and bookings only. Records
published before this revision (meetings, replies, nominations and what follows their
organisers: check-in keys, seating, agenda topics …) still list the key in
``change_audience``; each such record is moved to a new ``seq`` with the key hidden, so
an administrator's device receives a tombstone on its next pull and drops its copy.
Rooms (``meetings.room``) and bookings (``meetings.booking``) keep the key.

Numbering: on SQLite from ``change_counter`` here; on PostgreSQL the rows are left
pending (``seq IS NULL``) for the next sequencing pass (server.changefeed). The stored
``audience`` of meeting rows is left as is: the next write of a meeting re-publishes it
with the new audience anyway.

Downgrade: nothing (a hidden key is not handed back; the old code would re-add it on
the next write of each meeting).

Revision ID: 028a4b58079f
Revises: e62a2d05bd47
Create Date: 2026-12-01 23:56:23.910033
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from server.db import UTCDateTime

revision = '028a4b58079f'
down_revision = 'e62a2d05bd47'
branch_labels = None
depends_on = None

def upgrade() -> None:
    bind = op.get_bind()
    affected = bind.execute(sa.text(
        "SELECT DISTINCT entity, entity_id FROM change_audience"
        " WHERE key LIKE 'meetings:admin:%' AND visible = :yes"
        " AND entity NOT IN ('meetings.room', 'meetings.booking')"
        " ORDER BY entity, entity_id"), {"yes": True}).all()
    if not affected:
        return
    now = dt.datetime.now(dt.UTC)
    stamp = sa.bindparam("t", type_=UTCDateTime())
    pending = bind.dialect.name == "postgresql"
    if not pending:
        bind.execute(sa.text(
            "INSERT OR IGNORE INTO change_counter (id, value, purged_below) VALUES (1, 0, 0)"))
    for entity, entity_id in affected:
        seq = None
        if not pending:
            bind.execute(sa.text("UPDATE change_counter SET value = value + 1 WHERE id = 1"))
            seq = bind.execute(sa.text("SELECT value FROM change_counter WHERE id = 1")).scalar_one()
        # Pending rows are numbered in changed_at order: a microsecond apart keeps them
        # in this order.
        now += dt.timedelta(microseconds=1)
        where = {"e": entity, "i": entity_id}
        bind.execute(sa.text(
            "UPDATE change_log SET seq = :s, changed_at = :t WHERE entity = :e AND entity_id = :i"
        ).bindparams(stamp),
            {**where, "s": seq, "t": now})
        bind.execute(sa.text(
            "UPDATE change_audience SET visible = :no, hidden_at = :t, hidden_seq = :s"
            " WHERE entity = :e AND entity_id = :i AND key LIKE 'meetings:admin:%'"
            " AND visible = :yes").bindparams(stamp), {**where, "s": seq, "t": now, "no": False, "yes": True})
        bind.execute(sa.text(
            "UPDATE change_audience SET seq = :s WHERE entity = :e AND entity_id = :i"),
            {**where, "s": seq})


def downgrade() -> None:
    pass
