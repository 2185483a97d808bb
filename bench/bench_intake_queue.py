"""Benchmark: the batch intake queue (server/documents/intake_jobs.py) and the client's 登记.

1. *Claims*: ``jobs`` queued rows are claimed by ``workers`` threads, each with its own
   sessions (as separate server processes would be), until none is left: claims per
   second in all, the median and 95th percentile of one claim, and that every job was
   taken exactly once. On SQLite (a temporary file) and, with ``--pg ADMIN_URL``, on a
   scratch PostgreSQL database.
2. *A job end to end* with the real reader: a .docx 通知 (text layer, no OCR) queued,
   claimed, read, its reading and page images stored — the queue's share of the time
   (claim, progress, finish) beside the reader's.
3. *登记 on the client*: ``IntakeService.register`` of a reading (the original into the
   blob store, ``documents.intake`` applied to the cache and queued, ``documents.register``
   queued) — what the clerk waits for after pressing 登记, before the server answers.

Run:  .venv/bin/python bench/bench_intake_queue.py [--jobs 400] [--workers 2] [--pg URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402

LEASE = dt.timedelta(seconds=600)


def _app(url: str, folder: Path) -> Any:
    from server.app import create_app
    from server.config import Settings

    return create_app(Settings(data_dir=folder / "server", database_url=url or f"sqlite:///{folder / 'q.db'}",
                               secret_key="bench-intake-queue-secret-key-0123456789abcdef",
                               log_json=False, intake_poll_seconds=0))


def claims(app: Any, jobs: int, workers: int) -> dict[str, Any]:
    from server.db import make_sessionmaker, session_scope, utcnow
    from server.documents import intake_jobs
    from server.documents.intake_models import IntakeJob

    with session_scope(app.state.sessions) as s:
        for _ in range(jobs):
            s.add(IntakeJob(id=f"ij-{uuid.uuid4().hex[:16]}", body_id="b-x", created_by="p-x", sha256="0" * 64,
                            name="x", status="queued", created_at=utcnow(), updated_at=utcnow()))
    taken: list[str] = []
    times: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(workers + 1)

    def work(n: int) -> None:
        sessions = make_sessionmaker(app.state.engine)
        start.wait()
        while True:
            t0 = time.perf_counter()
            got = intake_jobs.claim(sessions, f"bench-{n}:1", LEASE)
            took = time.perf_counter() - t0
            if got is None:
                return
            with lock:
                taken.append(got[0])
                times.append(took)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    times.sort()
    return {"claims": len(taken), "once": len(taken) == len(set(taken)) == jobs, "per_s": len(taken) / wall,
            "median_ms": statistics.median(times) * 1000, "p95_ms": times[int(len(times) * 0.95) - 1] * 1000}


def one_job(app: Any, data: bytes) -> dict[str, float]:
    import hashlib

    from server.db import session_scope, utcnow
    from server.documents import intake_jobs
    from server.documents.intake_models import IntakeJob

    store = app.state.blob_store
    sha = hashlib.sha256(data).hexdigest()
    with session_scope(app.state.sessions) as s:
        store.append(s, "p-x", sha, 0, len(data), data, 1 << 24)
        s.add(IntakeJob(id=f"ij-{uuid.uuid4().hex[:16]}", body_id="b-x", created_by="p-x", sha256=sha,
                        name="notice.docx", status="queued", created_at=utcnow(), updated_at=utcnow()))
    from modules.documents.intake.read import read_bytes

    spent = {"read": 0.0}

    def reader(*args: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return read_bytes(*args, **kw)
        finally:
            spent["read"] += time.perf_counter() - t0

    t0 = time.perf_counter()
    assert intake_jobs.run_job(app.state.sessions, store, "bench:1", LEASE, reader=reader)
    total = time.perf_counter() - t0
    return {"total_ms": total * 1000, "read_ms": spent["read"] * 1000, "queue_ms": (total - spent["read"]) * 1000}


def register(folder: Path, data: bytes, n: int = 20) -> dict[str, float]:
    from modules.documents.intake.read import read_bytes
    from modules.documents.intake_service import IntakeService
    from modules.documents.service import DocumentService
    from sync.blobs import BlobStore
    from sync.cache import LocalCache
    from tests.documents_client import support

    clerk = {"person_id": "p-5", "name": "陈静", "posts": [{"body_id": "b-jh-gov", "title": "收发员",
                                                            "body_name": "江海市人民政府办公室",
                                                            "roles": ["registry_clerk"], "is_primary": True}]}
    cache = LocalCache(None)
    try:
        engine = support.LocalEngine(cache, clerk)
        docs = DocumentService(cache, engine, clerk, blobs=BlobStore(cache, folder / "blobs"))
        intake = IntakeService(docs)
        result = read_bytes(data, "notice.docx")
        values = {k: f.value for k, f in result.fields.items()}
        path = folder / "notice.docx"
        times = []
        for i in range(n):
            path.write_bytes(data + str(i).encode())  # a new original each time
            t0 = time.perf_counter()
            intake.register(result, values, body_id="b-jh-gov", path=path)
            times.append(time.perf_counter() - t0)
        return {"median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000}
    finally:
        cache.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg", default="", help="PostgreSQL admin URL (a scratch database is made)")
    args = parser.parse_args()
    from tests.documents_server.test_intake_jobs import notice_docx

    docx = notice_docx()
    backends = [("SQLite", "")] + ([("PostgreSQL", args.pg)] if args.pg else [])
    print(f"| database | {args.workers} workers, {args.jobs} jobs: claims/s | one claim median / p95 | "
          "each once | one .docx job: total / reader / queue |")
    print("|---|---|---|---|---|")
    for name, admin in backends:
        with tempfile.TemporaryDirectory() as tmp, scratch_database(admin) as url:
            app = _app(url, Path(tmp))
            try:
                c = claims(app, args.jobs, args.workers)
                j = one_job(app, docx)
            finally:
                app.state.engine.dispose()
        print(f"| {name} | {c['per_s']:.0f} | {c['median_ms']:.1f} / {c['p95_ms']:.1f} ms | "
              f"{'yes' if c['once'] else 'NO'} | {j['total_ms']:.0f} / {j['read_ms']:.0f} / {j['queue_ms']:.0f} ms |")
    with tempfile.TemporaryDirectory() as tmp:
        r = register(Path(tmp), docx)
    print(f"\n登记 on the client (IntakeService.register, 20 runs): median {r['median_ms']:.1f} ms, "
          f"max {r['max_ms']:.1f} ms")


if __name__ == "__main__":
    main()
