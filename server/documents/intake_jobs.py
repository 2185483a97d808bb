"""Batch intake (收文录入) on the server: a job queue that survives restarts and reads
each file once across server processes.

A registry clerk uploads a file as a blob and queues a job (``POST
/documents/intake/jobs``, :func:`create_job`). Every server process runs an
:class:`IntakeWorker` (a daemon thread started by the app's lifespan, like the reminder
dispatcher). :func:`claim` takes the oldest ``queued`` job — or a ``running`` one whose
lease ran out because the process reading it died — in one transaction: ``FOR UPDATE
SKIP LOCKED`` on PostgreSQL (two workers never take the same row), the IMMEDIATE writer
on SQLite (one writer at a time), the state re-checked under the lock. The claim sets
``running``, ``claimed_by`` and a lease of ``intake_lease_seconds``; page progress
renews it. The worker reads the blob with ``modules.documents.intake.read.read_bytes``
off any transaction, then stores the outcome only if the claim is still its own:
``done`` with the reading as JSON (page images stored as blobs of the uploader),
``refused`` for a classified marking (nothing of the reading is kept, and the uploaded
file itself is deleted unless something else uses it), ``failed`` with
the reader's error code. A job claimed ``MAX_ATTEMPTS`` times without an outcome fails.
Registering from a job (``documents.intake`` with ``job_id``) records the document.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from modules.common import messages
from modules.common.errors import ClassifiedRefused, DomainError, NotFound, ValidationFailed
from server.auth.principal import Principal
from server.blobs.models import Blob
from server.blobs.store import BlobStore
from server.db import session_scope, utcnow
from server.documents import storage as st
from server.documents.intake_models import IntakeJob

log = logging.getLogger(__name__)

STATES = ("queued", "running", "done", "failed", "refused")
#: Claims of one job without an outcome before it is given up (a file that kills readers).
MAX_ATTEMPTS = 3
#: Jobs one list answer holds at most.
LIST_LIMIT = 200

messages.register({
    "document.intake.job_not_found": {
        "zh_CN": "未找到该录入任务。",
        "en": "No such intake job.",
    },
    "document.intake.page_not_found": {
        "zh_CN": "该录入任务没有第{page}页的图像。",
        "en": "This intake job has no image of page {page}.",
    },
    "document.intake.job_gave_up": {
        "zh_CN": "该文件已尝试读取{attempts}次仍未完成，已停止读取。",
        "en": "Reading this file was attempted {attempts} times without finishing; it was stopped.",
    },
    "document.intake.job_not_ready": {
        "zh_CN": "该录入任务尚未读取完成，不能登记。",
        "en": "This intake job has not been read yet; it cannot be registered.",
    },
    "document.intake.job_registered": {
        "zh_CN": "该录入任务已登记为公文。",
        "en": "This intake job was already registered as a document.",
    },
    "document.intake.job_mismatch": {
        "zh_CN": "登记的文件或机关与录入任务不一致。",
        "en": "The file or organ does not match the intake job.",
    },
})


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --------------------------------------------------------------------------- reads


def job_data(job: IntakeJob, lang: str = "zh_CN", *, result: bool = True) -> dict[str, Any]:
    """The JSON a route answers for a job (the error worded in ``lang``)."""
    error = None
    if job.error:
        code, params = str(job.error.get("code") or "internal_error"), dict(job.error.get("params") or {})
        error = {"code": code, "params": params, "message": messages.render(code, lang, params)}
    out: dict[str, Any] = {
        "id": job.id, "body_id": job.body_id, "created_by": job.created_by, "sha256": job.sha256,
        "name": job.name, "size": job.size, "status": job.status,
        "pages_done": job.pages_done, "pages_total": job.pages_total, "attempts": job.attempts,
        "error": error, "document_id": job.document_id or "",
        "created_at": st.iso(job.created_at), "updated_at": st.iso(job.updated_at),
        "finished_at": st.iso(job.finished_at),
    }
    if result:
        out["result"] = job.result if job.status == "done" else None
    return out


def registry_organs(session: Session, principal: Principal) -> list[str]:
    """Organs whose registry clerk the principal is (a post in the organ itself)."""
    from modules.documents import policy
    from server.access_facts import actor_facts

    facts = actor_facts(session, principal)
    return sorted({p.body_id for p in facts.posts if policy.is_registry(facts, p.body_id)})


def may_see(session: Session, principal: Principal, job: IntakeJob) -> bool:
    """The uploader, and the registry clerks of the job's organ."""
    return job.created_by == principal.person_id or job.body_id in registry_organs(session, principal)


def load_visible(session: Session, principal: Principal, job_id: str, *, lock: bool = False) -> IntakeJob:
    stmt = select(IntakeJob).where(IntakeJob.id == job_id)
    if lock:
        stmt = stmt.with_for_update()
    job = session.scalars(stmt).first()
    if job is None or not may_see(session, principal, job):
        raise NotFound("document.intake.job_not_found", id=job_id)
    return job


def page_image(session: Session, principal: Principal, job_id: str, index: int, store: BlobStore) -> bytes:
    """The PNG of page ``index`` of a job's reading (the job visible to the principal)."""
    job = load_visible(session, principal, job_id)
    pages = (job.result or {}).get("pages") or [] if job.status == "done" else []
    sha = str(pages[index].get("image_sha256") or "") if 0 <= index < len(pages) else ""
    path = store.path(sha) if sha else None
    if path is None or not path.exists():
        raise NotFound("document.intake.page_not_found", id=job_id, page=index + 1)
    return path.read_bytes()


def list_jobs(session: Session, principal: Principal, scope: str) -> list[IntakeJob]:
    """``mine``: the principal's uploads; ``registry``: every job of their registries."""
    stmt = select(IntakeJob)
    if scope == "registry":
        organs = registry_organs(session, principal)
        if not organs:
            return []
        stmt = stmt.where(IntakeJob.body_id.in_(organs))
    else:
        stmt = stmt.where(IntakeJob.created_by == principal.person_id)
    return list(session.scalars(stmt.order_by(IntakeJob.created_at.desc(), IntakeJob.id.desc())
                                .limit(LIST_LIMIT)))


# --------------------------------------------------------------------------- writes


def create_job(session: Session, principal: Principal, *, sha256: str, name: str, body_id: str,
               now: dt.datetime) -> IntakeJob:
    """Queue a reading of the principal's uploaded blob for ``body_id``'s registry.
    Only a registry clerk of that organ (``policy.may_intake``); the blob must be
    complete and the principal's own upload or readable by them."""
    from modules.documents import policy
    from server.access_facts import actor_facts
    from server.blobs.store import can_read, check_sha
    from server.scopes import scope_keys

    organ = st.organ_of(session, body_id)
    policy.check_registry(policy.may_intake(actor_facts(session, principal), organ.id), organ.name,
                          "收文录入", "take in incoming documents")
    sha = check_sha(sha256)
    blob = session.get(Blob, sha)
    if blob is None or not blob.complete or not (
            blob.uploader_id == principal.person_id
            or can_read(session, sha, principal.person_id, scope_keys(session, principal))):
        raise ValidationFailed("blob.not_found", sha256=sha)
    job = IntakeJob(id=f"ij-{uuid.uuid4().hex[:16]}", body_id=organ.id, created_by=principal.person_id,
                    sha256=sha, name=name.strip()[:200] or sha[:12], size=blob.size, status="queued",
                    created_at=now, updated_at=now)
    session.add(job)
    session.flush()
    return job


def job_for_registration(session: Session, principal: Principal, job_id: str, *, sha256: str,
                         body_id: str) -> IntakeJob:
    """The job a ``documents.intake`` registers (locked): visible, read, not registered
    yet, of that organ and that file."""
    job = load_visible(session, principal, job_id, lock=True)
    if job.document_id:
        raise ValidationFailed("document.intake.job_registered", id=job_id)
    if job.status != "done":
        raise ValidationFailed("document.intake.job_not_ready", id=job_id)
    if job.sha256 != sha256 or job.body_id != body_id:
        raise ValidationFailed("document.intake.job_mismatch", id=job_id)
    return job


# --------------------------------------------------------------------------- the queue


def claim(sessions: sessionmaker[Session], worker: str, lease: dt.timedelta,
          now: dt.datetime | None = None) -> tuple[str, str, str] | None:
    """Take one job for ``worker``: the oldest queued, or a running one whose lease
    expired. Returns (job id, blob sha256, file name) or None. One transaction."""
    now = now or utcnow()
    with session_scope(sessions) as session:
        candidates = session.scalars(
            select(IntakeJob)
            .where(or_(IntakeJob.status == "queued",
                       (IntakeJob.status == "running") & (IntakeJob.lease_until < now)))
            .order_by(IntakeJob.created_at, IntakeJob.id).limit(5)
            .with_for_update(skip_locked=True)
            .execution_options(populate_existing=True)).all()
        for job in candidates:
            expired = job.status == "running" and job.lease_until is not None and job.lease_until < now
            if job.status != "queued" and not expired:  # (re-checked under the lock)
                continue
            if job.attempts >= MAX_ATTEMPTS:
                job.status, job.finished_at, job.updated_at = "failed", now, now
                job.error = {"code": "document.intake.job_gave_up", "params": {"attempts": job.attempts}}
                job.lease_until = None
                continue
            job.status, job.claimed_by = "running", worker[:80]
            job.lease_until, job.attempts, job.updated_at = now + lease, job.attempts + 1, now
            return job.id, job.sha256, job.name
    return None


def _mine(session: Session, job_id: str, worker: str) -> IntakeJob | None:
    job = session.scalars(select(IntakeJob).where(IntakeJob.id == job_id).with_for_update()
                          .execution_options(populate_existing=True)).first()
    if job is None or job.status != "running" or job.claimed_by != worker[:80]:
        return None  # the lease ran out and another process took it: its outcome counts
    return job


def progress(sessions: sessionmaker[Session], job_id: str, worker: str, done: int, total: int,
             lease: dt.timedelta) -> bool:
    """Record page progress and renew the lease; False when the claim is lost."""
    now = utcnow()
    with session_scope(sessions) as session:
        job = _mine(session, job_id, worker)
        if job is None:
            return False
        job.pages_done, job.pages_total = done, total
        job.lease_until, job.updated_at = now + lease, now
        return True


def finish(sessions: sessionmaker[Session], store: BlobStore, job_id: str, worker: str, *, status: str,
           result: dict[str, Any] | None = None, error: DomainError | None = None,
           images: list[bytes] | None = None) -> bool:
    """Store a job's outcome if ``worker`` still holds it; page ``images`` become blobs of
    the uploader, referenced by the result. False when the claim was lost."""
    now = utcnow()
    with session_scope(sessions) as session:
        job = _mine(session, job_id, worker)
        if job is None:
            return False
        if result is not None and images:
            shas = [_put_image(session, store, png, job) if png else "" for png in images]
            for page, sha in zip(result.get("pages") or [], shas, strict=False):
                page["image_sha256"] = sha
        job.status, job.result = status, result
        if status == "refused":
            _purge_source(session, store, job)
        job.error = None if error is None else {"code": error.code, "params": dict(error.params)}
        job.lease_until, job.finished_at, job.updated_at = None, now, now
        if result is not None:
            job.pages_done = job.pages_total = int(result.get("page_count") or 0)
        return True


def _put_image(session: Session, store: BlobStore, png: bytes, job: IntakeJob) -> str:
    """A page image as a complete blob of the job's uploader (who may then read it)."""
    import hashlib

    from server.blobs.store import add_ref

    sha = hashlib.sha256(png).hexdigest()
    path = store.path(sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{sha}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_bytes(png)
        os.replace(tmp, path)
    if session.get(Blob, sha) is None:
        session.add(Blob(sha256=sha, size=len(png), complete=True, uploader_id=job.created_by,
                         content_type="image/png", created_at=utcnow()))
        session.flush()
    add_ref(session, sha, "documents.intake_job", job.id)
    return sha


def _purge_source(session: Session, store: BlobStore, job: IntakeJob) -> None:
    """A classified file is not kept: its blob goes unless something else uses it (the
    same file in another entity — then it was there before this job)."""
    from sqlalchemy import delete

    from server.blobs.models import BlobRef

    if session.scalars(select(BlobRef).where(BlobRef.sha256 == job.sha256).limit(1)).first() is not None:
        return
    others = session.scalars(select(IntakeJob.id).where(IntakeJob.sha256 == job.sha256,
                                                        IntakeJob.id != job.id).limit(1)).first()
    if others is not None:
        return
    session.execute(delete(Blob).where(Blob.sha256 == job.sha256))
    store.path(job.sha256).unlink(missing_ok=True)


def mark_registered(session: Session, job: IntakeJob, document_id: str) -> None:
    job.document_id = document_id
    job.updated_at = utcnow()


Reader = Callable[..., Any]


def _reader() -> Reader:
    from modules.documents.intake.read import read_bytes

    return read_bytes


def run_job(sessions: sessionmaker[Session], store: BlobStore, worker: str, lease: dt.timedelta,
            stop: threading.Event | None = None, reader: Reader | None = None) -> str | None:
    """Claim one job and read it to its outcome; the job id, or None when none waits."""
    from modules.documents.intake_service import result_to_json

    claimed = claim(sessions, worker, lease)
    if claimed is None:
        return None
    job_id, sha, name = claimed
    lost = threading.Event()

    def on_progress(done: int, total: int) -> None:
        if not progress(sessions, job_id, worker, done, total, lease):
            lost.set()

    def cancelled() -> bool:
        return lost.is_set() or (stop is not None and stop.is_set())

    try:
        data = store.path(sha).read_bytes()
        result = (reader or _reader())(data, name, progress=on_progress, cancelled=cancelled)
    except ClassifiedRefused as exc:
        finish(sessions, store, job_id, worker, status="refused", error=exc)
    except DomainError as exc:
        if cancelled():  # stopping, or lost: the lease brings it back to a live process
            return job_id
        finish(sessions, store, job_id, worker, status="failed", error=exc)
    except OSError:
        log.exception("intake job %s: the blob file cannot be read", job_id)
        finish(sessions, store, job_id, worker, status="failed",
               error=ValidationFailed("blob.not_found", sha256=sha))
    except Exception:
        log.exception("intake job %s failed", job_id)
        finish(sessions, store, job_id, worker, status="failed", error=DomainError("internal_error"))
    else:
        finish(sessions, store, job_id, worker, status="done", result=result_to_json(result),
               images=[p.image for p in result.pages])
    return job_id


class IntakeWorker:
    """Runs queued intake jobs in this process (``intake_poll_seconds``; 0 = none)."""

    def __init__(self, sessions: sessionmaker[Session], store: BlobStore, poll_seconds: float,
                 lease_seconds: float) -> None:
        self._sessions = sessions
        self._store = store
        self._poll = poll_seconds
        self.lease = dt.timedelta(seconds=max(lease_seconds, 1.0))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.worker = worker_name()

    def run_once(self) -> int:
        """Read every waiting job now; how many were taken."""
        n = 0
        while not self._stop.is_set() and run_job(self._sessions, self._store, self.worker, self.lease, self._stop):
            n += 1
        return n

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("intake worker failed; retrying")
            self._stop.wait(max(self._poll, 0.05))

    def start(self) -> None:
        if self._poll <= 0 or self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="intake", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
            self._thread = None
