"""Blob bytes on disk, content-addressed by SHA-256, with resumable uploads.

Layout under ``blob_dir``: ``ab/cd/<sha256>`` for complete blobs, ``partial/<sha256>``
for uploads in progress. Features call ``add_ref`` when an entity starts using a blob,
which is what lets other users read it (see ``can_read``).
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from modules.common.errors import Conflict, NotFound, TooLarge, ValidationFailed
from server.blobs.models import Blob, BlobRef
from server.changefeed import ChangeAudience
from server.db import utcnow

SHA_RE = re.compile(r"[0-9a-f]{64}")
CHUNK_LIMIT = 4 * 1024 * 1024
_lock = threading.Lock()


def check_sha(sha256: str) -> str:
    if not isinstance(sha256, str) or not SHA_RE.fullmatch(sha256):
        raise ValidationFailed("request.invalid", detail="sha256 must be 64 lower-case hex digits")
    return sha256


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "partial").mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def partial(self, sha256: str) -> Path:
        return self.root / "partial" / sha256

    def received(self, sha256: str) -> int:
        if self.path(sha256).exists():
            return self.path(sha256).stat().st_size
        part = self.partial(sha256)
        return part.stat().st_size if part.exists() else 0

    def append(
        self, session: Session, person_id: str, sha256: str, offset: int, total: int, chunk: bytes,
        max_bytes: int,
    ) -> tuple[int, bool]:
        """Append ``chunk`` at ``offset``; verify and publish when ``total`` is reached."""
        check_sha(sha256)
        if total <= 0 or total > max_bytes:
            raise TooLarge("blob.too_large", limit=max_bytes)
        if len(chunk) > CHUNK_LIMIT:
            raise TooLarge("request.too_large", limit=CHUNK_LIMIT)
        if offset + len(chunk) > total:
            raise ValidationFailed("blob.past_total", end=offset + len(chunk), total=total)
        with _lock:
            blob = session.get(Blob, sha256)
            if blob is not None and blob.complete and self.path(sha256).exists():
                return blob.size, True
            have = self.received(sha256)
            if offset != have:
                raise Conflict("blob.bad_offset", have=have, offset=offset)
            part = self.partial(sha256)
            with part.open("ab") as fh:
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            have += len(chunk)
            if blob is None:
                blob = Blob(
                    sha256=sha256, size=total, complete=False, uploader_id=person_id,
                    created_at=utcnow(),
                )
                session.add(blob)
            if have < total:
                session.flush()
                return have, False
            digest = hashlib.sha256()
            with part.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != sha256:
                part.unlink(missing_ok=True)
                # The transaction rolls back, so the blob row goes too.
                raise ValidationFailed("blob.hash_mismatch")
            final = self.path(sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(part, final)
            blob.complete = True
            blob.size = total
            session.flush()
            return total, True


def add_ref(session: Session, sha256: str, entity: str, entity_id: str) -> None:
    """Record that ``entity``/``entity_id`` uses the blob (idempotent)."""
    if session.get(BlobRef, (sha256, entity, entity_id)) is None:
        session.add(BlobRef(sha256=sha256, entity=entity, entity_id=entity_id))


def can_read(session: Session, sha256: str, person_id: str, keys: frozenset[str]) -> bool:
    blob = session.get(Blob, sha256)
    if blob is None or not blob.complete:
        return False
    if blob.uploader_id == person_id:
        return True
    visible = exists().where(
        and_(
            ChangeAudience.entity == BlobRef.entity,
            ChangeAudience.entity_id == BlobRef.entity_id,
            ChangeAudience.key.in_(sorted(keys)),
            ChangeAudience.visible.is_(True),
        )
    )
    found = session.execute(select(BlobRef.sha256).where(BlobRef.sha256 == sha256, visible)).first()
    return found is not None


def require_readable(session: Session, sha256: str, person_id: str, keys: frozenset[str]) -> Blob:
    check_sha(sha256)
    if not can_read(session, sha256, person_id, keys):
        raise NotFound("blob.not_found")
    blob = session.get(Blob, sha256)
    assert blob is not None
    return blob
