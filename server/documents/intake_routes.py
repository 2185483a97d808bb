"""Batch intake routes (收文录入, ``server/documents/intake_jobs.py``), under
``/api/v1/documents/intake``:

``POST /documents/intake/jobs``        queue a reading of an uploaded blob for an organ's
                                       registry (its registry clerks only)
``GET  /documents/intake/jobs``        ``scope=mine`` (default) or ``registry``
``GET  /documents/intake/jobs/{id}``   one job: state, page progress, the reading when done
``GET  /documents/intake/jobs/{id}/pages/{n}.png``  a read page's straightened image

A job is seen by its uploader and its organ's registry clerks; others get 404.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from modules.common.classified import FreeText
from modules.common.messages import normalise_lang
from server.auth.deps import CurrentUser
from server.db import DbSession, utcnow
from server.documents import intake_jobs as jobs

router = APIRouter(prefix="/intake", tags=["documents"])


class NewJob(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: FreeText = Field(default="", max_length=200)
    body_id: str = Field(min_length=1, max_length=40)


def _lang(request: Request) -> str:
    return normalise_lang(request.headers.get("accept-language"))


@router.post("/jobs", status_code=201)
def create_job(body: NewJob, request: Request, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    job = jobs.create_job(session, user, sha256=body.sha256, name=body.name, body_id=body.body_id,
                          now=utcnow())
    return jobs.job_data(job, _lang(request))


@router.get("/jobs")
def list_jobs(request: Request, user: CurrentUser, session: DbSession,
              scope: Literal["mine", "registry"] = Query("mine")) -> dict[str, Any]:
    lang = _lang(request)
    return {"jobs": [jobs.job_data(j, lang, result=False) for j in jobs.list_jobs(session, user, scope)]}


@router.get("/jobs/{job_id}")
def get_job(job_id: str, request: Request, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    return jobs.job_data(jobs.load_visible(session, user, job_id), _lang(request))


@router.get("/jobs/{job_id}/pages/{index}.png")
def page_image(job_id: str, request: Request, user: CurrentUser, session: DbSession,
               index: int = Path(ge=0, le=5000)) -> Response:
    """Page ``index`` of a finished reading as PNG, for whoever may see the job."""
    data = jobs.page_image(session, user, job_id, index, request.app.state.blob_store)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})
