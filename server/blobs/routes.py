"""Routes under /api/v1/blobs: status, resumable chunked upload, ranged download."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from modules.common.errors import NotFound, ValidationFailed
from server.auth.deps import CurrentUser
from server.blobs.models import Blob
from server.blobs.store import BlobStore, check_sha, require_readable
from server.db import DbSession
from server.scopes import scope_keys

router = APIRouter(prefix="/blobs", tags=["blobs"])
RANGE_RE = re.compile(r"^bytes=(\d+)-(\d*)$")
#: A blob id: its SHA-256, 64 lower-case hex digits (stated in the OpenAPI description).
Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]


def _store(request: Request) -> BlobStore:
    store: BlobStore = request.app.state.blob_store
    return store


@router.get("/{sha256}/status")
def status(sha256: Sha256, request: Request, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    check_sha(sha256)
    blob = session.get(Blob, sha256)
    if blob is None:
        raise NotFound("blob.not_found")
    if blob.complete:
        require_readable(session, sha256, user.person_id, scope_keys(session, user))
    return {
        "sha256": sha256,
        "size": blob.size,
        "received": _store(request).received(sha256) if not blob.complete else blob.size,
        "complete": blob.complete,
    }


@router.put("/{sha256}")
async def upload(
    sha256: Sha256,
    request: Request,
    offset: int = Query(ge=0),
    total: int = Query(ge=1),
) -> dict[str, Any]:
    from starlette.concurrency import run_in_threadpool

    from server.auth.deps import current_principal, refuse_auditor
    from server.db import session_scope

    check_sha(sha256)
    chunk = await request.body()
    settings = request.app.state.settings

    user = await run_in_threadpool(current_principal, request)
    refuse_auditor(user)

    def work() -> dict[str, Any]:
        with session_scope(request.app.state.sessions) as session:
            received, complete = _store(request).append(
                session, user.person_id, sha256, offset, total, chunk, settings.max_blob_bytes
            )
            return {"received": received, "complete": complete}

    return await run_in_threadpool(work)


@router.get("/{sha256}")
def download(
    sha256: Sha256, request: Request, user: CurrentUser, session: DbSession
) -> StreamingResponse:
    check_sha(sha256)
    blob = require_readable(session, sha256, user.person_id, scope_keys(session, user))
    path = _store(request).path(sha256)
    if not path.exists():
        raise NotFound("blob.not_found")
    size = blob.size
    start, end = 0, size - 1
    status_code = 200
    header = request.headers.get("range")
    if header:
        match = RANGE_RE.match(header.strip())
        if not match:
            raise ValidationFailed("request.invalid", detail="unsupported Range header")
        start = int(match.group(1))
        if match.group(2):
            end = min(int(match.group(2)), size - 1)
        if start >= size or start > end:
            raise ValidationFailed("request.invalid", detail="range outside the file")
        status_code = 206

    def body() -> Iterator[bytes]:
        with path.open("rb") as fh:
            fh.seek(start)
            left = end - start + 1
            while left > 0:
                block = fh.read(min(1 << 16, left))
                if not block:
                    break
                left -= len(block)
                yield block

    headers = {"Accept-Ranges": "bytes", "Content-Length": str(end - start + 1)}
    if status_code == 206:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return StreamingResponse(
        body(), status_code=status_code, media_type="application/octet-stream", headers=headers
    )
