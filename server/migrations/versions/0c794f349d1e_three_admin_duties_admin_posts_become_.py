"""three admin duties (三员分立): every post holding the retired ``admin`` role holds
``sys_admin`` (系统管理员) instead.

Nothing else is granted: no post becomes ``security_admin`` or ``audit_admin``; the
server operator appoints the first security administrator at the console
(``python main.py admin appoint``, docs/SECURITY.md). Downgrade turns ``sys_admin`` back
into ``admin`` and leaves ``security_admin`` / ``audit_admin`` in place (the old code
ignores them, so they grant nothing there).

Revision ID: 0c794f349d1e
Revises: 1421c89c123a
Create Date: 2026-12-01 22:52:40.733253
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0c794f349d1e'
down_revision = '1421c89c123a'
branch_labels = None
depends_on = None

_posts = sa.table("directory_post", sa.column("id", sa.String), sa.column("roles", sa.JSON))


def _rename(old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in every post's role list (order kept, no repeats)."""
    conn = op.get_bind()
    changed: list[dict[str, object]] = []
    for post_id, roles in conn.execute(sa.select(_posts.c.id, _posts.c.roles)):
        if not roles or old not in roles:
            continue
        out: list[str] = []
        for role in roles:
            code = new if role == old else role
            if code not in out:
                out.append(code)
        changed.append({"pid": post_id, "roles": out})
    if changed:
        conn.execute(
            _posts.update().where(_posts.c.id == sa.bindparam("pid")).values(roles=sa.bindparam("roles")),
            changed,
        )


def upgrade() -> None:
    _rename("admin", "sys_admin")


def downgrade() -> None:
    _rename("sys_admin", "admin")
