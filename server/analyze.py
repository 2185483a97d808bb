"""Planner statistics (PostgreSQL ``ANALYZE``) after migrations and bulk writes.

A table filled or altered a moment ago has no statistics until autovacuum comes round
(a minute or more, and after a bulk import the old ones describe a different table).
The feed's queries do not depend on statistics, but everything else the server runs
benefits from them at once. Both helpers are no-ops on SQLite and cost one sampling
pass (at most 30,000 rows at the default target) per table they name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: What a directory import writes (``server.directory.storage.apply_import``).
IMPORTED_TABLES = ("directory_body", "directory_person", "directory_post", "auth_account",
                   "change_log", "change_audience")

#: Tables whose columns lack statistics although they hold data (created or altered
#: since the last ANALYZE) in the current schema.
_UNANALYSED = text("""
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind = 'r' AND pg_relation_size(c.oid) > 0
  AND EXISTS (
    SELECT 1 FROM pg_attribute a
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      AND NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = n.nspname
                      AND s.tablename = c.relname AND s.attname = a.attname))
ORDER BY c.relname
""")


def _postgres(bind: Connection | Session) -> bool:
    return bind.get_bind().dialect.name == "postgresql" if isinstance(bind, Session) \
        else bind.dialect.name == "postgresql"


def analyze_tables(bind: Connection | Session, tables: Iterable[str]) -> None:
    """``ANALYZE`` the named tables in ``bind``'s transaction (PostgreSQL; rows the
    transaction wrote count as live). Names are the server's own table names."""
    if not _postgres(bind):
        return
    for table in sorted(set(tables)):
        if not table.replace("_", "").isalnum():
            raise ValueError(f"not a table name: {table!r}")
        bind.execute(text(f'ANALYZE "{table}"'))


def analyze_unanalysed(bind: Connection | Session) -> list[str]:
    """``ANALYZE`` every non-empty table with a column that has no statistics (new
    tables filled since, new columns); returns their names. PostgreSQL only."""
    if not _postgres(bind):
        return []
    tables = [str(name) for name in bind.execute(_UNANALYSED).scalars()]
    analyze_tables(bind, tables)
    if tables:
        log.info("analysed %s", ", ".join(tables))
    return tables
