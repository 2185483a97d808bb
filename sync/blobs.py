"""Content-addressed blob store (attachments, PDFs) with a size-bounded local cache.

Files live at ``<directory>/<sha[:2]>/<sha>``; records carry only the SHA-256 (lower-case
hex). A blob becomes visible (``path()`` returns it) only after its hash was verified.

* Uploads: :meth:`BlobStore.add_file` / :meth:`add_bytes` copy the file in, *pin* it
  (pinned blobs are never evicted) and queue an upload. The engine's worker calls
  :meth:`process_uploads`: ask the server's status, continue from ``received`` in chunks
  of at most 4 MiB, unpin when complete.
* Downloads: :meth:`request_download` queues one; :meth:`process_downloads` fetches into
  ``<sha>.part`` with ``Range: bytes=<part size>-`` so an interrupted download resumes,
  verifies the hash, then renames into place. A mismatch discards the part file and
  marks the download failed (``blob.hash_mismatch``).
* Prefetch: after a pull the engine's worker calls :meth:`prefetch` with the blobs that
  registered sources (:func:`register_prefetch`, e.g. the documents on the person's
  to-do list) want local before anyone asks, most wanted first. A prefetch fetches a blob
  only while it fits under ``max_bytes`` (it never evicts anything to make room), yields
  between chunks when other sync work is asked for (the ``.part`` file resumes later) and
  records its blob as *not used yet*, so it is the first to go when an explicitly
  requested download needs the room.
* Eviction: unpinned blobs go, prefetched-and-never-opened first, then least recently
  used, when the total exceeds ``max_bytes``.

Encryption at rest: when the cache has a data key (:attr:`LocalCache.key`, see
:mod:`sync.vault`) every file here — finished, ``.part`` and the copies being added — is
sealed with AES-256-GCM (:mod:`sync.blobcrypt`); the plaintext exists only in memory
(:meth:`BlobStore.read_bytes`). The size bound counts the bytes on disk. Old plain files
found in the folder are sealed on open. For a program that needs a real file (the
system viewer of an attachment) :meth:`BlobStore.open_copy` writes a plaintext copy in a
private temporary folder that :meth:`BlobStore.close` (and the next start) removes.

Threading: ``process_*`` run on the sync worker only; the other methods may be called
from any non-GUI thread (the ones touching files check that, see :mod:`sync.guithread`;
the rest go through the cache, which checks).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from modules.common.errors import Conflict, DomainError, NotFound, Offline, ValidationFailed
from sync import blobcrypt, guithread
from sync.api import CHUNK_BYTES, ApiClient, RangeIgnored
from sync.cache import LocalCache, blob_queue, blobs_table, iso, utcnow

log = logging.getLogger(__name__)

_SHA_RE = re.compile(r"[0-9a-f]{64}")
DEFAULT_MAX_BYTES = 2 * 1024 * 1024 * 1024
#: ``last_used`` of a blob fetched ahead of time and not opened since starts with this:
#: it sorts before every real timestamp, so such blobs are evicted first (oldest first).
UNUSED_MARK = "0"
#: Seconds before a prefetch that failed (or found the blob missing on the server) is
#: tried again.
PREFETCH_RETRY_SECONDS = 300.0

#: ``source(session, principal) -> sha256s``: blobs a feature wants local ahead of need,
#: most wanted first (read from the local cache in ``session``).
PrefetchSource = Callable[[Session, Mapping[str, Any]], Iterable[str]]
_prefetch_sources: list[PrefetchSource] = []


def register_prefetch(source: PrefetchSource) -> None:
    """Register a prefetch source (at import, like cache projections; once per source)."""
    if source not in _prefetch_sources:
        _prefetch_sources.append(source)


def prefetch_wanted(cache: LocalCache, principal: Mapping[str, Any]) -> list[str]:
    """What every registered source wants, in source order then each source's own order,
    without repeats or malformed ids. A failing source is logged and skipped."""
    wanted: list[str] = []
    seen: set[str] = set()
    with cache.read() as s:
        for source in list(_prefetch_sources):
            try:
                found = list(source(s, principal))
            except Exception:
                log.exception("prefetch source %s failed", getattr(source, "__name__", source))
                continue
            for sha in found:
                if isinstance(sha, str) and _SHA_RE.fullmatch(sha) and sha not in seen:
                    seen.add(sha)
                    wanted.append(sha)
    return wanted


class _Yield(Exception):
    """Raised from a prefetch's write callback: stop now, keep the part file."""


def check_sha(sha256: str) -> str:
    """Validate a blob id; returns it (lower-case hex SHA-256)."""
    if not isinstance(sha256, str) or not _SHA_RE.fullmatch(sha256):
        raise ValidationFailed("request.invalid", detail=f"sha256 {sha256!r}")
    return sha256


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            h.update(block)
    return h.hexdigest()


class BlobStore:
    """Local blob cache plus the upload/download queue (rows in the local cache)."""

    def __init__(
        self,
        cache: LocalCache,
        directory: Path,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        chunk_bytes: int = CHUNK_BYTES,
    ) -> None:
        self.cache = cache
        self.key = cache.key
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        #: Where :meth:`open_copy` puts plaintext copies (private; removed on close).
        self.copies = self.directory.parent / "open-copies"
        if self.key is not None:
            self._seal_plain_leftovers()
        self.max_bytes = max_bytes
        self.chunk_bytes = min(chunk_bytes, CHUNK_BYTES)
        self.on_ready: Callable[[str], None] | None = None  # called after a download lands
        #: Called on the sync worker as a download receives bytes: (sha256, bytes so far,
        #: resumed part included). Screens show a progress bar from it (the record
        #: naming the blob knows its size).
        self.on_progress: Callable[[str, int], None] | None = None
        #: Called after a transfer was queued (the engine sets it to wake its worker).
        self.on_queued: Callable[[], None] | None = None
        self._lock = threading.Lock()
        #: Prefetch memory (sync worker only): sizes the server told, and when a blob
        #: whose prefetch failed may be tried again (``time.monotonic()``).
        self._sizes: dict[str, int] = {}
        self._retry_at: dict[str, float] = {}
        self.prefetch_retry_seconds = PREFETCH_RETRY_SECONDS

    # -- paths ----------------------------------------------------------------------

    def _final(self, sha: str) -> Path:
        return self.directory / sha[:2] / sha

    def _part(self, sha: str) -> Path:
        return self.directory / sha[:2] / f"{sha}.part"

    def path(self, sha256: str, *, touch: bool = True) -> Path | None:
        """The verified local file, or None if it is not here (then request a download).
        With a data key the file is sealed: read it with :meth:`read_bytes`, never
        directly.

        ``touch``: this is a use (a person opening it), which makes the blob recently
        used; work done ahead of time (rendering a prefetched PDF's first page) passes
        False so a prefetched blob stays first in line for eviction."""
        guithread.check("BlobStore.path")
        sha = check_sha(sha256)
        p = self._final(sha)
        if not p.exists():
            return None
        if not touch:
            return p
        with self.cache.write() as s:
            s.execute(update(blobs_table).where(blobs_table.c.sha256 == sha)
                      .values(last_used=iso(utcnow())))
        return p

    def has(self, sha256: str) -> bool:
        """True when the blob is here (verified); not a use."""
        guithread.check("BlobStore.has")
        return self._final(check_sha(sha256)).exists()

    def read_bytes(self, sha256: str, *, touch: bool = True) -> bytes | None:
        """The blob's verified plaintext in memory, or None if it is not here (then
        request a download). ``touch`` as for :meth:`path`. A local copy that fails its
        authentication or hash is removed (download it again) and None returned."""
        p = self.path(sha256, touch=touch)
        if p is None:
            return None
        try:
            data = self._read_plain(p)
        except (blobcrypt.BlobDamaged, OSError) as exc:
            log.warning("local blob %s unreadable (%s); removed", sha256[:12], exc)
            data = None
        if data is None or hashlib.sha256(data).hexdigest() != sha256:
            with contextlib.suppress(OSError):
                p.unlink()
            with self.cache.write() as s:
                s.execute(delete(blobs_table).where(blobs_table.c.sha256 == sha256))
            return None
        return data

    def open_copy(self, sha256: str, name: str) -> Path | None:
        """A plaintext copy named ``name`` for a program that needs a file (the system
        viewer), in a private folder beside the blobs; None if the blob is not here.
        The copies are removed by :meth:`close` and on the next start."""
        data = self.read_bytes(sha256)
        if data is None:
            return None
        folder = self.copies / sha256[:12]
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(OSError):
            os.chmod(self.copies, 0o700)
        target = folder / (Path(name).name or sha256[:12])
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
        return target

    def close(self) -> None:
        """Remove the plaintext copies made by :meth:`open_copy`."""
        shutil.rmtree(self.copies, ignore_errors=True)

    def _read_plain(self, p: Path) -> bytes:
        if self.key is None:
            return p.read_bytes()
        return blobcrypt.read_all(p, self.key)

    def _plain_size(self, p: Path) -> int:
        return p.stat().st_size if self.key is None else blobcrypt.plain_size(p)

    def _read_range(self, p: Path, offset: int, length: int) -> bytes:
        if self.key is None:
            with open(p, "rb") as f:
                f.seek(offset)
                return f.read(length)
        return blobcrypt.read_range(p, self.key, offset, length)

    def _plain_sha(self, p: Path) -> str:
        if self.key is None:
            return sha256_file(p)
        h = hashlib.sha256()
        try:
            for seg in blobcrypt.segments(p, self.key):
                h.update(seg)
        except blobcrypt.BlobDamaged:
            return ""
        return h.hexdigest()

    def _seal_plain_leftovers(self) -> None:
        """Files written before encryption (plain blobs, ``.part`` and ``.tmp`` files):
        seal the finished ones in place, drop the rest; also remove open copies left
        by a run that did not close."""
        assert self.key is not None
        shutil.rmtree(self.copies, ignore_errors=True)
        for p in self.directory.glob("*/*"):
            if blobcrypt.is_sealed(p):
                continue
            if _SHA_RE.fullmatch(p.name):
                fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
                with os.fdopen(fd, "wb") as out, open(p, "rb") as src:
                    w = blobcrypt.create(out, self.key)
                    for block in iter(lambda: src.read(1024 * 1024), b""):
                        w.write(block)
                    w.finish()
                    os.fsync(out.fileno())
                os.replace(tmp, p)
                with self.cache.write() as s:
                    s.execute(update(blobs_table).where(blobs_table.c.sha256 == p.name)
                              .values(size=p.stat().st_size))
            else:
                with contextlib.suppress(OSError):
                    p.unlink()
        for p in self.directory.glob("*.tmp"):
            with contextlib.suppress(OSError):
                p.unlink()

    # -- adding -----------------------------------------------------------------------

    def add_bytes(self, data: bytes) -> str:
        """Store ``data``, queue its upload; returns its SHA-256."""
        guithread.check("BlobStore.add_bytes")
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            if self.key is None:
                f.write(data)
            else:
                w = blobcrypt.create(f, self.key)
                w.write(data)
                w.finish()
        return self._adopt(Path(tmp), hashlib.sha256(data).hexdigest())

    def add_file(self, path: Path) -> str:
        """Copy a file in (hashing while copying), queue its upload; returns its SHA-256."""
        guithread.check("BlobStore.add_file")
        h = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            sink: Any = out if self.key is None else blobcrypt.create(out, self.key)
            for block in iter(lambda: src.read(1024 * 1024), b""):
                h.update(block)
                sink.write(block)
            if self.key is not None:
                sink.finish()
        return self._adopt(Path(tmp), h.hexdigest())

    def _adopt(self, tmp: Path, sha: str) -> str:
        final = self._final(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        size = final.stat().st_size
        with self.cache.write() as s:
            s.execute(delete(blobs_table).where(blobs_table.c.sha256 == sha))
            s.execute(insert(blobs_table).values(sha256=sha, size=size,
                                                 last_used=iso(utcnow()), pinned=True))
            self._enqueue(s, sha, "up")
        self._notify_queued()
        return sha

    def _notify_queued(self) -> None:
        if self.on_queued is not None:
            self.on_queued()

    def request_download(self, sha256: str) -> bool:
        """Queue a download unless the blob is already here. Returns True if queued."""
        sha = check_sha(sha256)
        if self._final(sha).exists():
            return False
        with self.cache.write() as s:
            self._enqueue(s, sha, "down")
        self._notify_queued()
        return True

    def _enqueue(self, s: Any, sha: str, direction: str) -> None:
        s.execute(delete(blob_queue).where(blob_queue.c.sha256 == sha,
                                           blob_queue.c.direction == direction))
        s.execute(insert(blob_queue).values(sha256=sha, direction=direction, state="queued",
                                            attempts=0, created_at=iso(utcnow())))

    def queue(self) -> list[dict[str, Any]]:
        """The transfer queue: ``[{sha256, direction, state, attempts, error}]``."""
        with self.cache.read() as s:
            rows = s.execute(select(blob_queue).order_by(blob_queue.c.created_at)).mappings()
            return [dict(r) for r in rows]

    def retry_failed(self) -> int:
        """Queue failed transfers again (the user asked to retry); returns how many."""
        with self.cache.write() as s:
            done = cast("CursorResult[Any]", s.execute(
                update(blob_queue).where(blob_queue.c.state == "failed")
                .values(state="queued", error=None)))
            count = int(done.rowcount or 0)
        if count:
            self._notify_queued()
        return count

    def has_work(self) -> bool:
        with self.cache.read() as s:
            return bool(s.execute(select(func.count()).select_from(blob_queue)
                                  .where(blob_queue.c.state == "queued")).scalar_one())

    def _queued(self, direction: str) -> list[str]:
        with self.cache.read() as s:
            return list(s.execute(
                select(blob_queue.c.sha256).where(blob_queue.c.direction == direction,
                                                  blob_queue.c.state == "queued")
                .order_by(blob_queue.c.created_at)).scalars())

    def _done(self, sha: str, direction: str) -> None:
        with self.cache.write() as s:
            s.execute(delete(blob_queue).where(blob_queue.c.sha256 == sha,
                                               blob_queue.c.direction == direction))
            if direction == "up":
                s.execute(update(blobs_table).where(blobs_table.c.sha256 == sha)
                          .values(pinned=False))

    def _failed(self, sha: str, direction: str, err: DomainError, lang: str) -> None:
        log.warning("blob %s %s failed: %s", direction, sha[:12], err.code)
        with self.cache.write() as s:
            s.execute(update(blob_queue).where(blob_queue.c.sha256 == sha,
                                               blob_queue.c.direction == direction)
                      .values(state="failed", attempts=blob_queue.c.attempts + 1,
                              error=err.to_dict(lang)))

    # -- uploads ----------------------------------------------------------------------

    def process_uploads(self, api: ApiClient, stop: threading.Event) -> None:
        """Upload every queued blob, resuming where the server stopped. Raises Offline."""
        for sha in self._queued("up"):
            if stop.is_set():
                return
            path = self._final(sha)
            if not path.exists():
                self._failed(sha, "up", NotFound("blob.not_found"), api.lang)
                continue
            try:
                self._upload(api, sha, path, stop)
            except Offline:
                raise
            except DomainError as exc:
                self._failed(sha, "up", exc, api.lang)

    def _upload(self, api: ApiClient, sha: str, path: Path, stop: threading.Event) -> None:
        size = self._plain_size(path)
        status = api.blob_status(sha)
        if status and status.get("complete"):
            self._done(sha, "up")
            return
        offset = int(status.get("received", 0)) if status else 0
        restarts = 0
        while True:
            if stop.is_set():
                return
            chunk = self._read_range(path, offset, self.chunk_bytes)
            try:
                answer = api.blob_put(sha, offset, size, chunk)
            except Conflict as exc:
                have = exc.params.get("have")
                restarts += 1
                if exc.code != "blob.bad_offset" or not isinstance(have, int) or restarts > 3:
                    raise
                offset = have
                continue
            offset = int(answer.get("received", offset + len(chunk)))
            if answer.get("complete"):
                self._done(sha, "up")
                return
            if offset >= size:
                raise Offline("sync.bad_response", detail="blob upload incomplete")

    # -- downloads --------------------------------------------------------------------

    def process_downloads(self, api: ApiClient, stop: threading.Event) -> None:
        """Download every queued blob, resuming ``.part`` files. Raises Offline."""
        for sha in self._queued("down"):
            if stop.is_set():
                return
            if self._final(sha).exists():
                self._done(sha, "down")
                continue
            try:
                self._download(api, sha)
            except Offline:
                raise
            except DomainError as exc:
                self._failed(sha, "down", exc, api.lang)

    def _download(self, api: ApiClient, sha: str, *, prefetched: bool = False,
                  interrupted: Callable[[], bool] | None = None) -> None:
        """Fetch ``sha`` into place. ``prefetched``: fetched ahead of need (marked unused,
        evicts nothing); ``interrupted`` is asked between chunks (True raises ``_Yield``,
        the part file stays for a resume)."""
        part = self._part(sha)
        part.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._fetch_into(api, sha, part, interrupted, resume=True)
        except RangeIgnored:
            part.unlink()
            self._fetch_into(api, sha, part, interrupted, resume=False)
        if self._plain_sha(part) != sha:
            part.unlink()
            raise ValidationFailed("blob.hash_mismatch")
        final = self._final(sha)
        os.replace(part, final)
        size = final.stat().st_size
        used = (UNUSED_MARK if prefetched else "") + iso(utcnow())
        with self.cache.write() as s:
            s.execute(delete(blobs_table).where(blobs_table.c.sha256 == sha))
            s.execute(insert(blobs_table).values(sha256=sha, size=size,
                                                 last_used=used, pinned=False))
            s.execute(delete(blob_queue).where(blob_queue.c.sha256 == sha,
                                               blob_queue.c.direction == "down"))
        if not prefetched:
            self.evict()
        if self.on_ready is not None:
            self.on_ready(sha)

    def _fetch_into(self, api: ApiClient, sha: str, part: Path,
                    interrupted: Callable[[], bool] | None, *, resume: bool) -> None:
        """Stream the blob into ``part`` from what it holds (sealing as it arrives when
        there is a key: only whole segments are on disk until the end)."""
        if self.key is None:
            start = part.stat().st_size if resume and part.exists() else 0
            with open(part, "ab") as f:
                api.blob_get(sha, start, self._counting(sha, start, f.write, interrupted))
            return
        with open(part, "r+b" if resume and part.exists() else "w+b") as f:
            if resume and part.stat().st_size:
                writer, start = blobcrypt.resume(part, f, self.key)
            else:
                writer, start = blobcrypt.create(f, self.key), 0
            api.blob_get(sha, start, self._counting(sha, start, writer.write, interrupted))
            writer.finish()

    def _counting(self, sha: str, start: int, write: Callable[[bytes], object],
                  interrupted: Callable[[], bool] | None = None
                  ) -> Callable[[bytes], object]:
        """``write`` that also reports the bytes received so far to :attr:`on_progress`
        (and raises ``_Yield`` before writing when ``interrupted()`` says so)."""
        received = start

        def counted(chunk: bytes) -> object:
            nonlocal received
            if interrupted is not None and interrupted():
                raise _Yield()
            out = write(chunk)
            received += len(chunk)
            report = self.on_progress
            if report is not None:
                try:
                    report(sha, received)
                except Exception:  # a screen's listener must never break the download
                    log.exception("blob progress listener failed")
            return out

        return counted

    # -- prefetch ---------------------------------------------------------------------

    def prefetch(self, api: ApiClient, wanted: Iterable[str], stop: threading.Event,
                 interrupted: Callable[[], bool] | None = None) -> bool:
        """Fetch the ``wanted`` blobs that are not local yet, in order, while each fits
        under ``max_bytes`` with what is already cached (one that does not is skipped;
        nothing is evicted for it). Sync worker only.

        Returns True when the list was gone through, False when ``stop`` or
        ``interrupted()`` ended it early (a blob half fetched resumes next time).
        Raises Offline; any other expected error skips that blob for
        :attr:`prefetch_retry_seconds` (logged)."""
        def should_yield() -> bool:
            return stop.is_set() or (interrupted is not None and interrupted())

        explicit = {q["sha256"] for q in self.queue() if q["direction"] == "down"}
        for sha in wanted:
            if should_yield():
                return False
            if not isinstance(sha, str) or not _SHA_RE.fullmatch(sha):
                continue
            if sha in explicit or self._final(sha).exists():
                continue  # here already, or a person asked for it: the download queue has it
            if time.monotonic() < self._retry_at.get(sha, 0.0):
                continue
            try:
                size = self._sizes.get(sha)
                if size is None:
                    status = api.blob_status(sha)
                    if not status or not status.get("complete"):
                        raise NotFound("blob.not_found")
                    size = self._sizes[sha] = int(status.get("size") or 0)
                on_disk = size if self.key is None else blobcrypt.sealed_size(size)
                if self.total_bytes() + on_disk > self.max_bytes:
                    continue  # would need room: prefetching never evicts
                self._download(api, sha, prefetched=True, interrupted=should_yield)
            except _Yield:
                return False
            except Offline:
                raise
            except (DomainError, OSError) as exc:
                log.info("prefetch of blob %s failed (%s); trying again later", sha[:12],
                         getattr(exc, "code", type(exc).__name__))
                self._retry_at[sha] = time.monotonic() + self.prefetch_retry_seconds
            else:
                self._retry_at.pop(sha, None)
        return True

    # -- eviction ---------------------------------------------------------------------

    def total_bytes(self) -> int:
        with self.cache.read() as s:
            return int(s.execute(select(func.coalesce(func.sum(blobs_table.c.size), 0)))
                       .scalar_one())

    def evict(self) -> int:
        """Delete unpinned blobs until within ``max_bytes``: prefetched ones never opened
        first (oldest first), then least recently used. Returns the bytes freed."""
        freed = 0
        with self._lock, self.cache.write() as s:
            total = int(s.execute(select(func.coalesce(func.sum(blobs_table.c.size), 0)))
                        .scalar_one())
            if total <= self.max_bytes:
                return 0
            rows = s.execute(select(blobs_table.c.sha256, blobs_table.c.size)
                             .where(blobs_table.c.pinned.is_(False))
                             .order_by(blobs_table.c.last_used)).all()
            for sha, size in rows:
                if total <= self.max_bytes:
                    break
                with contextlib.suppress(FileNotFoundError):
                    self._final(sha).unlink()
                s.execute(delete(blobs_table).where(blobs_table.c.sha256 == sha))
                total -= size
                freed += size
        return freed

    def discard(self, sha256: str) -> bool:
        """Remove one unpinned local copy (a benchmark's cold open); True if it was here."""
        sha = check_sha(sha256)
        guithread.check("BlobStore.discard")
        with self._lock, self.cache.write() as s:
            pinned = s.execute(select(blobs_table.c.pinned)
                               .where(blobs_table.c.sha256 == sha)).scalar_one_or_none()
            if pinned:
                return False
            s.execute(delete(blobs_table).where(blobs_table.c.sha256 == sha))
            try:
                self._final(sha).unlink()
            except FileNotFoundError:
                return False
        return True

    def clear(self) -> None:
        """Remove every local blob file (used when a cache is discarded)."""
        guithread.check("BlobStore.clear")
        shutil.rmtree(self.directory, ignore_errors=True)
