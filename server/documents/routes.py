"""Read routes under ``/api/v1/documents`` where the feed is not enough
(docs/DOCUMENTS_PROTOCOL.md §4). Same visibility as the feed: someone who may not see
the document gets ``404 document.not_found``.

``GET /documents/{id}/audit``               every action on the document
``GET /documents/{id}/tracking``            timeline per body and per person
``GET /documents/{id}/revisions``           saved drafts (稿)
``GET /documents/{id}/revisions/{no}``      one draft with its full text
``GET /documents/{id}/diff?from=&to=``      readable difference between two drafts
``GET /documents/{id}/archive-package.zip`` the signed archive package (归档包) once archived
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.common import messages
from modules.common.errors import NotFound
from modules.documents.diff import diff_texts
from server.auth.deps import CurrentUser
from server.db import DbSession, utcnow
from server.documents import storage as st
from server.documents.models import AuditEntry, Delivery, Document, ReadReceipt, Revision


def _configure(request: Request) -> None:
    st.configure(request.app.state)


router = APIRouter(prefix="/documents", tags=["documents"], dependencies=[Depends(_configure)])


def _visible(session: Any, user: Any, document_id: str) -> Document:
    return st.load_visible(session, user, document_id)


@router.get("/{document_id}/audit")
def audit_log(document_id: str, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    _visible(session, user, document_id)
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.document_id == document_id).order_by(AuditEntry.id)
    ).all()
    return {"items": [
        {"at": st.iso(r.at), "person": {"id": r.person_id, "name": r.person_name},
         "action": r.action, "step": r.step, "detail": r.detail, "source": r.source}
        for r in rows
    ]}


def _parse(at: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(at)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def person_timeline(doc: Document, reads: dict[str, ReadReceipt], now: dt.datetime) -> list[dict[str, Any]]:
    """Per person and step: when it reached them, when they opened it, when they acted."""
    wf = doc.workflow
    out: list[dict[str, Any]] = []
    entered = doc.created_at
    withdrawn = {ev.get("withdrawn_seq") for ev in wf["history"] if ev["op"] == "withdraw"}
    for ev in wf["history"]:
        if ev["op"] == "urge":
            continue
        at = _parse(ev["at"])
        if ev["op"] == "approve" and ev["seq"] not in withdrawn:
            person = ev.get("on_behalf_of") or ev["actor"]
            rr = reads.get(person["id"])
            out.append({
                "person_id": person["id"], "name": person["name"], "step": ev["step"],
                "step_name": st.STEP_NAMES.get(ev["step"], ev["step"]),
                "entered_at": st.iso(entered), "opened_at": st.iso(rr.first_opened_at) if rr else None,
                "acted_at": st.iso(at), "wait_seconds": int((at - entered).total_seconds()),
            })
        entered = at
    for p in wf.get("pending", []):
        rr = reads.get(p["id"])
        out.append({
            "person_id": p["id"], "name": p["name"], "step": wf.get("current"),
            "step_name": st.STEP_NAMES.get(wf.get("current") or "", ""),
            "entered_at": st.iso(entered), "opened_at": st.iso(rr.first_opened_at) if rr else None,
            "acted_at": None, "wait_seconds": int((now - entered).total_seconds()),
        })
    return out


@router.get("/{document_id}/tracking")
def tracking(document_id: str, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    doc = _visible(session, user, document_id)
    reads = {
        r.person_id: r
        for r in session.scalars(select(ReadReceipt).where(ReadReceipt.document_id == doc.id))
    }
    bodies = []
    if doc.kind == "outgoing":
        bodies = [
            st.delivery_data(session, d)
            for d in session.scalars(
                select(Delivery).where(Delivery.outgoing_id == doc.id).order_by(Delivery.body_id)
            )
        ]
    return {"document_id": doc.id, "bodies": bodies, "people": person_timeline(doc, reads, utcnow())}


@router.get("/{document_id}/revisions")
def revisions(document_id: str, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    _visible(session, user, document_id)
    rows = session.scalars(
        select(Revision).where(Revision.document_id == document_id).order_by(Revision.no)
    ).all()
    return {"items": [
        {"no": r.no, "by": {"id": r.author_id, "name": r.author_name}, "at": st.iso(r.at), "note": r.note}
        for r in rows
    ]}


def _revision(session: Session, document_id: str, no: int) -> Revision:
    row = session.get(Revision, (document_id, no))
    if row is None:
        raise NotFound("document.revision_not_found", no=no)
    return row


messages.register({
    "document.revision_not_found": {
        "zh_CN": "没有第{no}稿。",
        "en": "There is no draft {no}.",
    },
})


@router.get("/{document_id}/revisions/{no}")
def revision(document_id: str, no: int, user: CurrentUser, session: DbSession) -> dict[str, Any]:
    _visible(session, user, document_id)
    r = _revision(session, document_id, no)
    return {"no": r.no, "spec": r.spec, "text": r.text, "by": {"id": r.author_id, "name": r.author_name},
            "at": st.iso(r.at), "note": r.note}


@router.get("/{document_id}/diff")
def diff(
    document_id: str,
    user: CurrentUser,
    session: DbSession,
    from_no: int = Query(alias="from", ge=1),
    to_no: int = Query(alias="to", ge=1),
) -> dict[str, Any]:
    _visible(session, user, document_id)
    old, new = _revision(session, document_id, from_no), _revision(session, document_id, to_no)
    return {"from": from_no, "to": to_no, **diff_texts(old.text, new.text)}


@router.get("/{document_id}/archive-package.zip")
def archive_package(document_id: str, request: Request, user: CurrentUser,
                    session: DbSession) -> Response:
    """The archive package, signed by the body's archive key (docs/ARCHIVE.md)."""
    from server.documents.archive_package import package_for

    doc = _visible(session, user, document_id)
    data = package_for(session, request.app.state.settings, st.blob_store_for(session), doc)
    return Response(data, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{document_id}-archive.zip"'})


# 收文录入's batch queue: /documents/intake/jobs (server/documents/intake_routes.py).
from server.documents.intake_routes import router as _intake_router  # noqa: E402

router.include_router(_intake_router)
