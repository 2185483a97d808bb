"""Chaining the audit trail, signing checkpoints, and the server's audit key.

The chain
    Entry ``n`` carries ``prev_hash`` = the hash of entry ``n-1`` (:data:`GENESIS` for
    the first) and ``hash = sha256(prev_hash || "\\n" || canonical JSON of its fields
    with seq n)`` (:func:`entry_hash`). Editing, deleting, inserting or reordering an
    entry therefore breaks a hash or a link that :mod:`server.audit.verify` finds.

Who chains (issue 11's lesson: writers must not serialise on a shared row)
    Writers insert entries *pending* and never touch ``audit_head``. A *chaining pass*
    (:func:`chain_pending`) locks the head row, takes the committed pending entries in
    ``id`` order, numbers and hashes them and raises the head; passes serialise on the
    head lock, so the chain order is the order in which passes saw entries committed.
    Each server process runs an :class:`AuditChainer` thread, woken after every commit
    that wrote entries and every ``audit_chain_seconds`` anyway (entries of a process
    that died before its pass are chained by any other).

Checkpoints
    A pass that finds ``audit_checkpoint_entries`` or more entries unsigned, or the
    oldest unsigned entry ``audit_checkpoint_minutes`` old,
    signs the head (:func:`checkpoint_message`) with the server's Ed25519 audit key.
    The private key lives in a file (``audit_key_file``, default
    ``<data_dir>/audit-signing.key``), never in the database it protects; it is created
    on first start. Each checkpoint names its key (``key_id``) and carries the public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import Engine, create_engine, event, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from server.audit.models import GENESIS, AuditCheckpoint, AuditEntry, AuditHead
from server.audit.trail import PENDING
from server.db import utcnow

if TYPE_CHECKING:
    from server.config import Settings

log = logging.getLogger(__name__)

#: The fields of an entry that its hash covers, in the canonical JSON.
HASHED = ("seq", "at", "actor_id", "actor_name", "actor_login", "action", "target",
          "scope_body", "result", "code", "detail", "device", "address", "request_id")
#: Entries one pass chains at most (a pass repeats until nothing is pending).
PASS_ROWS = 2000


def _at_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(fields: dict[str, Any]) -> bytes:
    """The canonical JSON of an entry's :data:`HASHED` fields (``at`` as ISO-8601 UTC
    with microseconds)."""
    values = {name: fields[name] for name in HASHED}
    values["at"] = _at_text(values["at"])
    return json.dumps(values, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8", "surrogatepass")


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The hash of an entry with ``fields`` (``seq`` included) after ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(fields)).hexdigest()


def checkpoint_message(upto_seq: int, chain_hash: str, at: datetime, key_id: str) -> bytes:
    """What a checkpoint's signature signs."""
    return (f"office-collab audit checkpoint\n{upto_seq}\n{chain_hash}\n{_at_text(at)}\n"
            f"{key_id}").encode("ascii")


# --------------------------------------------------------------------------- the key


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public(key)).hexdigest()


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


@dataclass(frozen=True)
class AuditKey:
    """The server's audit signing key."""

    private: Ed25519PrivateKey

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    @property
    def key_id(self) -> str:
        return key_id_of(self.public)


def key_path(settings: Settings) -> Path:
    """Where the audit signing key lives (``audit_key_file``, else next to the data)."""
    return settings.audit_key_file or (settings.data_dir / "audit-signing.key")


def load_key(path: Path, *, create: bool = False) -> AuditKey:
    """Read the PEM private key at ``path``; ``create``: make it first if missing (the
    file is written owner-only, atomically, so parallel first starts agree on one key)."""
    if not path.exists():
        if not create:
            raise FileNotFoundError(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
        try:
            os.link(tmp, path)  # fails if another process created it meanwhile
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return AuditKey(loaded)


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file (a private key file gives its public half)."""
    data = path.read_bytes()
    if b"PRIVATE KEY" in data:
        private = serialization.load_pem_private_key(data, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return private.public_key()
    loaded = serialization.load_pem_public_key(data)
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return loaded


# --------------------------------------------------------------------------- the pass


@dataclass(frozen=True)
class Policy:
    """When a pass signs a checkpoint."""

    every: int = 1000
    minutes: float = 10.0

    @staticmethod
    def of(settings: Settings) -> Policy:
        return Policy(settings.audit_checkpoint_entries, settings.audit_checkpoint_minutes)


def _head(session: Session) -> AuditHead:
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).first()
    if head is None:  # a database created without the migration's row
        session.add(AuditHead(id=1, seq=0, hash=GENESIS))
        session.flush()
        head = session.scalars(select(AuditHead).where(AuditHead.id == 1)
                               .with_for_update()).one()
    return head


_COLUMNS = [getattr(AuditEntry, name) for name in ("id", *HASHED[1:])]


def chain_pending(session: Session, key: AuditKey | None = None,
                  policy: Policy | None = None) -> int:
    """Chain every committed pending entry in ``session``'s transaction (the caller
    commits, which releases the head lock); sign a checkpoint when due and ``key`` is
    given. Returns how many entries were chained."""
    head = _head(session)
    chained = 0
    while True:
        rows = session.execute(
            select(*_COLUMNS).where(AuditEntry.seq.is_(None)).order_by(AuditEntry.id)
            .limit(PASS_ROWS)).mappings().all()
        if not rows:
            break
        seq, prev = head.seq, head.hash
        values = []
        for row in rows:
            seq += 1
            fields = dict(row)
            fields["seq"] = seq
            digest = entry_hash(prev, fields)
            values.append({"id": row["id"], "seq": seq, "prev_hash": prev, "hash": digest})
            prev = digest
        session.execute(update(AuditEntry), values)
        head.seq, head.hash = seq, prev
        chained += len(rows)
        if len(rows) < PASS_ROWS:
            break
    if key is not None:
        maybe_checkpoint(session, head, key, policy or Policy())
    session.flush()
    return chained


def maybe_checkpoint(session: Session, head: AuditHead, key: AuditKey, policy: Policy,
                     *, force: bool = False) -> AuditCheckpoint | None:
    """Sign the head when ``policy.every`` entries are unsigned or the oldest unsigned
    one is ``policy.minutes`` old (``force``: whenever it is past the last checkpoint)."""
    last_seq = int(session.scalar(select(func.max(AuditCheckpoint.upto_seq))) or 0)
    if head.seq <= last_seq:
        return None
    now = utcnow()
    due = force or head.seq - last_seq >= policy.every
    if not due:  # the oldest unsigned entry waited long enough
        oldest = session.scalar(select(AuditEntry.at).where(AuditEntry.seq == last_seq + 1))
        due = oldest is None or now - oldest >= timedelta(minutes=policy.minutes)
    if not due:
        return None
    signature = key.private.sign(checkpoint_message(head.seq, head.hash, now, key.key_id))
    checkpoint = AuditCheckpoint(
        upto_seq=head.seq, chain_hash=head.hash, at=now, key_id=key.key_id,
        public_key=base64.b64encode(raw_public(key.public)).decode(),
        signature=base64.b64encode(signature).decode())
    session.add(checkpoint)
    session.flush()
    return checkpoint


# --------------------------------------------------------------------------- per process


class AuditChainer:
    """The chaining thread of one server process (started and stopped by the app's
    lifespan). :meth:`kick` wakes it (after a commit that wrote entries); it also runs
    every ``interval`` seconds. :meth:`catch_up` chains synchronously (tests, CLI).

    It uses a pool of its own, like the change feed's sequencer, so it never waits for a
    connection held by a writer that is waiting for it."""

    def __init__(self, engine: Engine, key: AuditKey | None, policy: Policy,
                 interval: float) -> None:
        self._engine = weakref.ref(engine)
        self.key = key
        self.policy = policy
        self.interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._own: Engine | None = None
        #: Passes run (tests and benchmarks).
        self.passes = 0

    def kick(self) -> None:
        self._wake.set()

    def catch_up(self) -> int:
        """Chain everything committed before this call; returns entries chained."""
        with self._lock:
            engine = self._engine()
            if engine is None:
                return 0
            if self._own is None:
                self._own = _own_engine(engine)
            self.passes += 1
            with Session(bind=self._own) as session:
                count = chain_pending(session, self.key, self.policy)
                session.commit()
            return count

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.catch_up()
            except Exception:  # the entries stay pending for the next pass
                log.warning("chaining the audit trail failed; retrying", exc_info=True)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="audit-chain", daemon=True)
        self._thread.start()
        self.kick()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
        with self._lock:
            if self._own is not None and self._own is not self._engine():
                self._own.dispose()
            self._own = None


def _own_engine(engine: Engine) -> Engine:
    """An engine of the same database with a pool of its own (its statements are not
    the writers' and it never waits for their connections). SQLite gets the product's
    connection settings (IMMEDIATE transactions, busy timeout); an in-memory SQLite
    database can only be reached through ``engine`` itself."""
    if engine.dialect.name != "sqlite":
        return create_engine(engine.url, pool=engine.pool.recreate())
    if engine.url.database in (None, "", ":memory:"):
        return engine
    from server.db import make_engine

    return make_engine(engine.url.render_as_string(hide_password=False))


_chainers: weakref.WeakKeyDictionary[Engine, AuditChainer] = weakref.WeakKeyDictionary()
_chainers_lock = threading.Lock()


def install(engine: Engine, settings: Settings) -> AuditChainer:
    """The chainer of ``engine`` in this process, with the server's key (created on
    first start). Call once per app; :func:`chainer_for` finds it."""
    key = load_key(key_path(settings), create=True)
    chainer = AuditChainer(engine, key, Policy.of(settings), settings.audit_chain_seconds)
    with _chainers_lock:
        _chainers[engine] = chainer
    return chainer


def chainer_for(engine: Engine) -> AuditChainer | None:
    with _chainers_lock:
        return _chainers.get(engine)


def chain_now(engine: Engine, key: AuditKey | None = None,
              policy: Policy | None = None) -> int:
    """Chain (and checkpoint when due) now, in a transaction of its own: the installed
    chainer's key and policy unless given."""
    chainer = chainer_for(engine)
    if chainer is not None and key is None and policy is None:
        return chainer.catch_up()
    if chainer is not None:
        key = key or chainer.key
    with Session(bind=engine) as session:
        count = chain_pending(session, key, policy)
        session.commit()
    return count


@event.listens_for(Session, "after_commit")
def _kick_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the entries commit with the outer transaction
    if not session.info.pop(PENDING, False):
        return
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    chainer = chainer_for(engine)
    if chainer is not None:
        chainer.kick()


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the outer transaction: nothing was written
        session.info.pop(PENDING, None)

