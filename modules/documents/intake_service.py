"""Client glue of 收文录入 (intake): read a file, register what the clerk confirmed, and
the server's batch jobs. Blocking: call off the GUI thread (``office_app.tasks``).

Reading runs on this device (``modules.documents.intake.read``: offline works); nothing
is registered until :meth:`IntakeService.register` — the clerk's 登记 — which keeps the
original file in the blob store (its upload queued before the intent, as for every
attachment), queues ``documents.intake`` (applied here at once, offline too) and then
``documents.register`` (the server gives the 收文号). Batch jobs read on the server
(``server/documents/intake_jobs.py``); :func:`result_from_json` turns a finished job's
result back into an :class:`IntakeResult` the same intake dialog shows.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from modules.common.errors import Offline, ValidationFailed
from modules.documents import intake_rules
from modules.documents import intents as I
from modules.documents.intake.model import (
    FIELD_NAMES,
    Box,
    IntakeResult,
    Line,
    Page,
    ProposedField,
)
from sync.local import LocalTx, applier

ENTITY = "documents.document"
BODY_ENTITY = "directory.body"

#: File name suffixes the intake screen offers (images, PDF, Word, OFD).
SUFFIXES: tuple[str, ...] = (".pdf", ".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp",
                             ".docx", ".ofd")

#: Below this confidence a proposed field is flagged for the clerk's attention.
LOW_CONFIDENCE = 0.8

_KINDS = {".pdf": "pdf", ".docx": "docx", ".ofd": "ofd"}


def kind_of(name: str) -> str:
    """pdf / docx / ofd / image from a file name (the reader decides for real)."""
    return _KINDS.get(Path(name).suffix.lower(), "image")


@applier(I.INTAKE)
def apply_intake(tx: LocalTx, args: dict[str, Any]) -> None:
    """The intake's incoming document in the cache at once (``intake_rules.intake``)."""
    from modules.documents.service import actor_of, facts_of

    doc_id = str(args.get("document_id") or "")
    body_id = str(args.get("body_id") or "")
    body = tx.get(BODY_ENTITY, body_id) or {}
    new = intake_rules.intake(tx.get(ENTITY, doc_id), args, actor_of(tx.principal), tx.now,
                              facts=facts_of(tx.principal), organ=(body_id, str(body.get("name") or "")))
    tx.put(ENTITY, doc_id, new)


# --------------------------------------------------------------------------- results as JSON


def _box(d: Mapping[str, Any]) -> Box:
    x0, y0, x1, y1 = (float(v) for v in d["box"])
    return Box(int(d.get("page") or 0), x0, y0, x1, y1)


def result_to_json(result: IntakeResult, images: list[str] | None = None) -> dict[str, Any]:
    """Everything of a reading but the page images (``images``: the pages' blob hashes)."""
    out = result.to_dict()
    out["text"] = result.text
    out["pages"] = [{"index": p.index, "width": p.width, "height": p.height,
                     "image_sha256": (images[i] if images and i < len(images) else ""),
                     "lines": [{"text": ln.text, "confidence": round(ln.confidence, 3),
                                **ln.box.to_dict()} for ln in p.lines]}
                    for i, p in enumerate(result.pages)]
    return out


def result_from_json(data: Mapping[str, Any],
                     image: Callable[[int], bytes] | None = None) -> IntakeResult:
    """The inverse of :func:`result_to_json`; ``image(n)`` fetches page n's image."""
    pages = []
    for n, p in enumerate(data.get("pages") or []):
        sha = str(p.get("image_sha256") or "")
        pages.append(Page(int(p["index"]), int(p["width"]), int(p["height"]),
                          tuple(Line(str(ln["text"]), float(ln["confidence"]), _box(ln))
                                for ln in p.get("lines") or []),
                          image(n) if (sha and image) else b""))
    fields = {}
    for name in FIELD_NAMES:
        f = (data.get("fields") or {}).get(name) or {}
        fields[name] = ProposedField(name, str(f.get("value") or ""), float(f.get("confidence") or 0),
                                     tuple(_box(b) for b in f.get("boxes") or []))
    return IntakeResult(str(data.get("kind") or ""), tuple(pages), fields, str(data.get("text") or ""),
                        tuple(str(w) for w in data.get("warnings") or ()))


def pages_pdf(result: IntakeResult) -> bytes:
    """The pages as read (straightened images) in one PDF, each page A4 high; b"" when
    none has an image. CPU-bound: off the GUI thread."""
    import io

    from PIL import Image

    images = [Image.open(io.BytesIO(p.image)).convert("RGB") for p in result.pages if p.image]
    if not images:
        return b""
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:],
                   resolution=max(images[0].height / 11.69, 1.0))  # 297 mm = 11.69 in
    return out.getvalue()


# --------------------------------------------------------------------------- the service


class IntakeService:
    """Intake over one signed-in client: ``documents`` is the ``DocumentService``."""

    def __init__(self, documents: Any) -> None:
        self.documents = documents

    # -- who and where ---------------------------------------------------------------
    def organs(self) -> list[tuple[str, str]]:
        """(id, name) of the organs whose registry clerk the user is, primary post first."""
        posts = sorted((p for p in self.documents.principal.get("posts") or [] if isinstance(p, Mapping)),
                       key=lambda p: not p.get("is_primary"))
        out: list[tuple[str, str]] = []
        for p in posts:
            body_id = str(p.get("organ_id") or p.get("body_id") or "")
            if body_id and "registry_clerk" in (p.get("roles") or ()) and body_id not in [o for o, _ in out]:
                out.append((body_id, str(p.get("body_name") or body_id).split(" · ")[0]))
        return out

    # -- reading on this device -------------------------------------------------------
    def read(self, path: Path, *, progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> IntakeResult:
        """Read ``path`` with the intake reader (CPU-bound; raises its DomainErrors:
        OCR missing, unreadable, unsupported, cancelled, ClassifiedRefused)."""
        from modules.documents.intake.read import read_file

        return read_file(Path(path), progress=progress, cancelled=cancelled)

    # -- 登记 ---------------------------------------------------------------------------
    def register(self, result: IntakeResult, values: Mapping[str, str], *, body_id: str,
                 path: Path | None = None, data: bytes | None = None, name: str = "",
                 deadline_days: int | None = None, job: Mapping[str, Any] | None = None) -> str:
        """The clerk's 登记 of a reading: ``values`` are the confirmed field values.
        Keeps the original (``path`` or ``data``; a server ``job``'s own blob) as the
        document's source, queues ``documents.intake`` then ``documents.register``;
        returns the new document id."""
        from modules.documents.service import new_document_id

        docs = self.documents
        if not values.get("title", "").strip():
            raise ValidationFailed("document.intake.no_title")
        spec = intake_rules.spec_from_fields(values, result.text)  # refuses classified first
        job_id = ""
        if job is not None:  # the file is on the server already
            sha, size = str(job["sha256"]), int(job.get("size") or 0)
            name, job_id = name or str(job.get("name") or ""), str(job["id"])
        elif docs.blobs is None:
            raise ValidationFailed("document.client.no_blob_store")
        elif path is not None:
            path = Path(path)
            sha = docs.blobs.add_file(path)
            size, name = path.stat().st_size, name or path.name
        elif data is not None:
            sha, size = docs.blobs.add_bytes(data), len(data)
        else:
            raise ValidationFailed("request.invalid", detail="source file")
        name = name or "原件"
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        doc_id = new_document_id()
        args: dict[str, Any] = {
            "document_id": doc_id, "body_id": body_id, "spec": spec,
            "source": {"name": name[:200], "sha256": sha, "size": size, "content_type": mime,
                       "kind": result.kind if result.kind in ("pdf", "image", "docx", "ofd") else kind_of(name),
                       "pages": result.page_count, "text": result.text[:intake_rules.MAX_TEXT]},
        }
        if job_id:
            args["job_id"] = job_id
        scan = pages_pdf(result) if args["source"]["kind"] == "image" else b""
        if scan and docs.blobs is not None:
            args["pdf"] = {"name": "扫描件", "sha256": docs.blobs.add_bytes(scan), "size": len(scan),
                           "content_type": "application/pdf"}
        docs._submit(I.INTAKE.name, args)
        docs.register(doc_id, deadline_days=deadline_days)
        return str(doc_id)

    # -- batch jobs on the server ------------------------------------------------------
    def _api(self) -> Any:
        api = getattr(self.documents.engine, "api", None)
        if api is None:
            raise Offline("offline", detail="no server connection")
        return api

    def submit_job(self, path: Path, body_id: str) -> dict[str, Any]:
        """Upload ``path`` and queue a batch reading of it on the server (online)."""
        api = self._api()
        data = Path(path).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        status = api.blob_status(sha)
        have = int((status or {}).get("received") or 0)
        if not (status or {}).get("complete"):
            chunk = 4 * 1024 * 1024
            while have < len(data):
                answer = api.blob_put(sha, have, len(data), data[have:have + chunk])
                have = int(answer.get("received") or have + chunk)
        return dict(api.request_json("POST", "/documents/intake/jobs", json={
            "sha256": sha, "name": Path(path).name[:200], "body_id": body_id}))

    def jobs(self, scope: str = "mine") -> list[dict[str, Any]]:
        """The server's batch jobs: ``mine`` or ``registry`` (my organs')."""
        return list(self._api().request_json("GET", "/documents/intake/jobs", params={"scope": scope})["jobs"])

    def job_result(self, job_id: str) -> tuple[dict[str, Any], IntakeResult | None]:
        """A job and, once done, its reading with the page images fetched."""
        api = self._api()
        job = dict(api.request_json("GET", f"/documents/intake/jobs/{job_id}"))
        if job.get("status") != "done" or not job.get("result"):
            return job, None
        return job, result_from_json(job["result"],
                                     lambda n: api.get_bytes(f"/documents/intake/jobs/{job_id}/pages/{n}.png"))

    def source_bytes(self, job: Mapping[str, Any]) -> bytes:
        """A job's original file (to keep as the registered document's source)."""
        return bytes(self._api().get_bytes(f"/blobs/{job['sha256']}"))
