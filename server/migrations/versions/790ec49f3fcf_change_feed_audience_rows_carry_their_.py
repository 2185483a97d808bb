"""change feed: audience rows carry their entity's seq

Revision ID: 790ec49f3fcf
Revises: e6d98014868b
Create Date: 2026-12-01 20:02:33.821519
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '790ec49f3fcf'
down_revision = 'e6d98014868b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('change_audience', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
    # Every audience row takes its entity's current seq (NULL while pending).
    op.execute(
        "UPDATE change_audience SET seq = (SELECT l.seq FROM change_log l"
        " WHERE l.entity = change_audience.entity AND l.entity_id = change_audience.entity_id)"
    )
    with op.batch_alter_table('change_audience', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_audience_key'))
        batch_op.create_index('ix_change_audience_key_seq', ['key', 'seq', 'visible'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('change_audience', schema=None) as batch_op:
        batch_op.drop_index('ix_change_audience_key_seq')
        batch_op.create_index(batch_op.f('ix_change_audience_key'), ['key'], unique=False)
        batch_op.drop_column('seq')
