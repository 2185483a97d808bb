"""The batch intake queue (server/documents/intake_jobs.py): a registry clerk's upload is
read once by a server worker through the real reader, the reading stored and shown, the
registry registers from it; a claimed job whose process died is taken again after its
lease; two workers never read the same job; a classified file ends ``refused``."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading
import uuid
from typing import Any

from fastapi.testclient import TestClient

from modules.documents.intake_rules import spec_from_fields
from modules.documents.intake_service import result_from_json
from server.db import make_sessionmaker, session_scope, utcnow
from server.documents import intake_jobs as jobs
from server.documents.intake_models import IntakeJob
from tests.documents_server.conftest import CLERK, CLERK_B, DRAFTER, JH_CLERK, SZJ, Office
from tests.documents_server.test_seal_authorisation import headers

API = "/api/v1/documents/intake/jobs"
LEASE = dt.timedelta(seconds=60)


def notice_docx(*lines: str) -> bytes:
    """A 通知 as Word paragraphs (read from its text layer: no OCR, milliseconds)."""
    from docx import Document

    doc = Document()
    for line in lines or ("江海市人民政府办公室文件", "江府办〔2026〕7号", "关于做好防汛防台风工作的通知",
                          "各区人民政府，市直各单位：", "请加强水库巡查，落实转移避险措施。", "附件：1.值班表",
                          "江海市人民政府办公室", "2026年5月12日"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _upload(office: Office, person_id: str, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    with session_scope(office.sessions) as s:
        office.app.state.blob_store.append(s, person_id, sha, 0, len(data), data, 1 << 24)
    return sha


def _queue(office: Office, client: TestClient, person_id: str, data: bytes, name: str = "通知.docx",
           body_id: str = SZJ) -> Any:
    return client.post(API, headers=headers(office, person_id),
                       json={"sha256": _upload(office, person_id, data), "name": name, "body_id": body_id})


def test_a_queued_file_is_read_by_the_worker_and_registered_from_its_result(office: Office) -> None:
    client = TestClient(office.app)
    made = _queue(office, client, CLERK, notice_docx())
    assert made.status_code == 201, made.text
    job = made.json()
    assert job["status"] == "queued" and job["result"] is None
    worker = jobs.IntakeWorker(office.sessions, office.app.state.blob_store, 1.0, 60)
    assert worker.run_once() == 1 and worker.run_once() == 0  # read once, then nothing waits
    got = client.get(f"{API}/{job['id']}", headers=headers(office, CLERK)).json()
    assert got["status"] == "done" and got["pages_done"] == got["pages_total"] == 1
    result = result_from_json(got["result"])
    assert result.fields["doc_number"].value == "江府办〔2026〕7号"
    assert result.fields["title"].boxes and "转移避险" in result.text
    # The registry sees it (another clerk of the organ); others do not.
    assert [j["id"] for j in client.get(API, params={"scope": "registry"},
                                        headers=headers(office, CLERK_B)).json()["jobs"]] == [job["id"]]
    assert client.get(API, headers=headers(office, CLERK_B)).json()["jobs"] == []
    assert client.get(f"{API}/{job['id']}", headers=headers(office, JH_CLERK)).status_code == 404
    # Another clerk of the organ registers from the result with the job's blob.
    values = {n: f.value for n, f in result.fields.items()} | {"issuer": "江海市人民政府办公室"}
    args = {"document_id": f"d-{uuid.uuid4().hex[:12]}", "body_id": SZJ, "job_id": job["id"],
            "spec": spec_from_fields(values, result.text),
            "source": {"name": "通知.docx", "sha256": job["sha256"], "kind": "docx", "pages": 1}}
    office.ok(CLERK_B, "documents.intake", args)
    again = office.send(CLERK_B, "documents.intake", {**args, "document_id": f"d-{uuid.uuid4().hex[:12]}"})
    assert again["status"] == "rejected" and again["error"]["code"] == "document.intake.job_registered"
    got = client.get(f"{API}/{job['id']}", headers=headers(office, CLERK)).json()
    assert got["document_id"] == args["document_id"]
    assert office.doc(args["document_id"], CLERK_B)["attachments"][0]["sha256"] == job["sha256"]


def test_the_pages_read_are_shown_to_the_registry_and_nobody_else(office: Office) -> None:
    from modules.documents.render import render_pdf
    from tests.documents_server.conftest import spec

    client = TestClient(office.app)
    job = _queue(office, client, CLERK, render_pdf(spec(sealed=False)).pdf, name="通知.pdf").json()
    jobs.IntakeWorker(office.sessions, office.app.state.blob_store, 1.0, 60).run_once()
    got = client.get(f"{API}/{job['id']}", headers=headers(office, CLERK_B)).json()
    assert got["status"] == "done" and got["result"]["pages"][0]["image_sha256"]
    page = client.get(f"{API}/{job['id']}/pages/0.png", headers=headers(office, CLERK_B))  # another clerk
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert page.content.startswith(b"\x89PNG")
    assert client.get(f"{API}/{job['id']}/pages/0.png", headers=headers(office, JH_CLERK)).status_code == 404
    missing = client.get(f"{API}/{job['id']}/pages/7.png", headers=headers(office, CLERK))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "document.intake.page_not_found"


def test_only_the_organs_registry_queues_and_bad_files_fail_in_words(office: Office) -> None:
    client = TestClient(office.app)
    assert _queue(office, client, DRAFTER, notice_docx()).status_code == 403
    assert _queue(office, client, JH_CLERK, notice_docx()).status_code == 403
    bad = client.post(API, headers=headers(office, CLERK),
                      json={"sha256": "0" * 64, "name": "x.pdf", "body_id": SZJ})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "blob.not_found"
    made = _queue(office, client, CLERK, b"not a document at all", name="x.txt").json()
    secret = _queue(office, client, CLERK, notice_docx("机密★1年", "关于某事项的通知", "正文。")).json()
    jobs.IntakeWorker(office.sessions, office.app.state.blob_store, 1.0, 60).run_once()
    got = client.get(f"{API}/{made['id']}", headers=headers(office, CLERK) | {"Accept-Language": "en"}).json()
    assert got["status"] == "failed" and got["error"]["code"] == "intake.unsupported"
    assert "Unsupported file type" in got["error"]["message"] and got["result"] is None
    got = client.get(f"{API}/{secret['id']}", headers=headers(office, CLERK)).json()
    assert got["status"] == "refused" and got["error"]["code"] == "document.classified_refused"
    from server.blobs.models import Blob

    with session_scope(office.sessions) as s:
        row = s.get(IntakeJob, secret["id"])
        assert row is not None and row.result is None  # nothing of the reading is kept …
        assert s.get(Blob, secret["sha256"]) is None  # … nor the file
    assert not office.app.state.blob_store.path(secret["sha256"]).exists()


def _queued_rows(office: Office, n: int) -> list[str]:
    ids = []
    with session_scope(office.sessions) as s:
        for _ in range(n):
            job = IntakeJob(id=f"ij-{uuid.uuid4().hex[:16]}", body_id=SZJ, created_by=CLERK, sha256="0" * 64,
                            name="x", status="queued", created_at=utcnow(), updated_at=utcnow())
            s.add(job)
            ids.append(job.id)
    return ids


def test_a_job_whose_process_died_is_taken_again_after_its_lease(office: Office) -> None:
    (job_id,) = _queued_rows(office, 1)
    first = jobs.claim(office.sessions, "host-a:1", LEASE)
    assert first is not None and first[0] == job_id
    # "host-a" dies without an outcome. Restarted processes leave it while the lease holds …
    assert jobs.claim(office.sessions, "host-b:2", LEASE) is None
    # … and take it once it has run out.
    later = utcnow() + LEASE + dt.timedelta(seconds=1)
    again = jobs.claim(office.sessions, "host-b:2", LEASE, now=later)
    assert again is not None and again[0] == job_id
    # The first process, should it come back, no longer owns it: its outcome is dropped.
    store = office.app.state.blob_store
    assert not jobs.finish(office.sessions, store, job_id, "host-a:1", status="done", result={"page_count": 0})
    assert jobs.finish(office.sessions, store, job_id, "host-b:2", status="done", result={"page_count": 0})
    with session_scope(office.sessions) as s:
        row = s.get(IntakeJob, job_id)
        assert row is not None and row.status == "done" and row.attempts == 2 and row.claimed_by == "host-b:2"


def test_a_job_that_keeps_killing_its_reader_is_given_up(office: Office) -> None:
    (job_id,) = _queued_rows(office, 1)
    now = utcnow()
    for i in range(jobs.MAX_ATTEMPTS):
        now += LEASE + dt.timedelta(seconds=1)
        assert jobs.claim(office.sessions, f"host-{i}:1", LEASE, now=now) is not None
    assert jobs.claim(office.sessions, "host-x:1", LEASE, now=now + LEASE * 2) is None
    with session_scope(office.sessions) as s:
        row = s.get(IntakeJob, job_id)
        assert row is not None and row.status == "failed"
        assert row.error == {"code": "document.intake.job_gave_up", "params": {"attempts": jobs.MAX_ATTEMPTS}}


def test_two_workers_never_take_the_same_job(office: Office) -> None:
    ids = set(_queued_rows(office, 24))
    engine = office.app.state.engine
    taken: dict[str, list[str]] = {"a": [], "b": []}
    start = threading.Barrier(2)

    def work(name: str) -> None:
        sessions = make_sessionmaker(engine)  # each "process" with sessions of its own
        start.wait()
        while (got := jobs.claim(sessions, f"host-{name}:1", LEASE)) is not None:
            taken[name].append(got[0])

    threads = [threading.Thread(target=work, args=(n,)) for n in taken]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    both = taken["a"] + taken["b"]
    assert sorted(both) == sorted(ids)  # every job once, none twice
    with session_scope(office.sessions) as s:
        rows = s.query(IntakeJob).filter(IntakeJob.id.in_(ids)).all()
        assert {r.status for r in rows} == {"running"} and {r.attempts for r in rows} == {1}
