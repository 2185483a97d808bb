"""meetings: recurring series (series_id on meetings)

Revision ID: fd5dadef7bfe
Revises: a09312c28b95
Create Date: 2026-12-01 16:45:04.394909
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'fd5dadef7bfe'
down_revision = 'a09312c28b95'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meetings_meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('series_id', sa.String(length=40), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_meetings_meeting_series_id'), ['series_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('meetings_meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_meeting_series_id'))
        batch_op.drop_column('series_id')
