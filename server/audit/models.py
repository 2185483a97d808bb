"""The audit trail's tables.

``audit_entry``       one row per audited event. Written *pending* (``seq``, ``prev_hash``
                      and ``hash`` NULL) inside the writer's transaction; the chaining
                      pass (:mod:`server.audit.chain`) numbers committed pending rows in
                      ``id`` order and fills ``seq`` and the hash chain.
``audit_head``        one row (id 1): the last chained ``seq`` and its hash. Chaining
                      passes serialise on this row's lock, writers never touch it.
``audit_checkpoint``  the chain hash at ``upto_seq`` signed (Ed25519) with the server's
                      audit key, every N entries or T minutes.

Append-only: triggers (see :data:`TRIGGERS_SQLITE`, :data:`TRIGGERS_POSTGRESQL`, created
by the migration) refuse DELETE of any entry or checkpoint and any UPDATE except the
chaining pass filling ``seq``/``prev_hash``/``hash`` of a pending entry once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime

#: An autoincrementing 64-bit id (SQLite: its INTEGER PRIMARY KEY rowid).
_ID = BigInteger().with_variant(Integer(), "sqlite")

#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    #: Position in the chain, 1, 2, …; ``None`` while pending (not yet chained).
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    actor_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    actor_name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    actor_login: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    #: Dotted code: ``auth.login``, ``intent.documents.sign``, ``blob.download``, …
    action: Mapped[str] = mapped_column(String(80), nullable=False)
    #: What was acted on (a document, person, seal, … id); may be empty.
    target: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    #: The body whose audit administrator sees this entry: the target's owning body when
    #: known, else the actor's primary body; empty = system-wide.
    scope_body: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    #: ``ok`` / ``refused`` / ``failed``.
    result: Mapped[str] = mapped_column(String(10), nullable=False, default="ok")
    #: The error code when refused or failed.
    code: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    #: Small JSON text (never document contents or passwords); ``""`` when none.
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    device: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    request_id: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        # The chaining pass finds pending rows through this (empty when caught up).
        Index("ix_audit_entry_pending", "id", postgresql_where=text("seq IS NULL"),
              sqlite_where=text("seq IS NULL")),
        # The audit pages' filters (server/audit/routes.py).
        Index("ix_audit_entry_scope_at", "scope_body", "at"),
        Index("ix_audit_entry_actor_at", "actor_id", "at"),
        Index("ix_audit_entry_action_at", "action", "at"),
        Index("ix_audit_entry_target", "target"),
        Index("ix_audit_entry_at", "at"),
    )


class AuditHead(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    hash: Mapped[str] = mapped_column(String(64), nullable=False, default=GENESIS)


class AuditCheckpoint(Base):
    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    upto_seq: Mapped[int] = mapped_column(BigInteger, nullable=False, unique=True)
    chain_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: sha256 of the raw public key, hex (which key signed).
    key_id: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The raw Ed25519 public key, base64 (verify prefers a key file given to it).
    public_key: Mapped[str] = mapped_column(String(64), nullable=False)
    #: Ed25519 signature of :func:`server.audit.chain.checkpoint_message`, base64.
    signature: Mapped[str] = mapped_column(String(128), nullable=False)


_CONTENT = ("id", "at", "actor_id", "actor_name", "actor_login", "action", "target",
            "scope_body", "result", "code", "detail", "device", "address", "request_id")

#: SQLite: refuse deleting anything and updating anything but a pending entry's chain
#: fields (once).
TRIGGERS_SQLITE = [
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry WHEN OLD.seq IS NOT NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _CONTENT)
    + " BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END",
    """CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
    """CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
       BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END""",
]

TRIGGER_NAMES_SQLITE = ["audit_entry_no_delete", "audit_entry_no_update",
                        "audit_checkpoint_no_delete", "audit_checkpoint_no_update"]

TRIGGERS_POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_entry' THEN
        IF OLD.seq IS NULL AND """
    + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _CONTENT)
    + """ THEN
          RETURN NEW;
        END IF;
      END IF;
      RAISE EXCEPTION 'audit trail is append-only' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    """CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
    """CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
    """CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
       FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""",
]

DROP_POSTGRESQL = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry",
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_entry",
    "DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_checkpoint",
    "DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_checkpoint",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]
