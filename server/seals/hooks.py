"""Hand-off points for other server features (the documents module's 用印 step).

* :func:`register_stamped_hook` — ``fn(session, request, stamped_sha256)`` is called in
  the stamping transaction after every stamp (``request`` is the
  ``server.seals.models.UseRequestRow``; ``request.document_id`` names the document, ""
  for an uploaded PDF). An exception in the hook undoes the stamp.
* :func:`set_document_lookup` — how a request naming a document checks it (policy).
* :func:`create_request_for_document` — file a 用印申请 for a rendered document.
* :func:`verify_approval_signature` — check a handwritten approval signed offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from modules.seals.intents import RequestUseArgs
from server.seals import storage
from server.seals.models import UseRequestRow

if TYPE_CHECKING:  # pyHanko loads when an approval is first checked
    from modules.seals.crypto.approval_sig import ApprovalCheck


def register_stamped_hook(fn: Callable[[Session, UseRequestRow, str], None]) -> None:
    """Call ``fn(session, request, stamped_sha256)`` inside each stamping transaction."""
    storage.add_stamped_hook(fn)


def set_document_lookup(fn: storage.DocumentLookup) -> None:
    """``fn(session, document_id, principal) -> modules.seals.policy.DocumentFacts | None``:
    how a 用印申请 naming a document learns its body, step and PDF (None: no such document
    or the requester may not see it — the request is refused)."""
    storage.set_document_lookup(fn)


def create_request_for_document(
    session: Session,
    *,
    document_id: str,
    pdf_sha256: str,
    seal_id: str,
    requester_id: str,
    reason: str,
    copies: int,
    document_title: str = "",
    seal_anchor: Sequence[float] | None = None,
    now: dt.datetime | None = None,
) -> str:
    """File a use request for a documents-module document; returns the request id.

    ``pdf_sha256`` must be a complete blob on the server. ``seal_anchor`` is the
    renderer's ``RenderResult.seal_anchor`` ``(page 1-based, x, y, w, h)``; with it the
    document can be stamped with automatic GB/T 9704 placement. Raises the same
    refusals as the ``seals.request_use`` intent (requester not allowed, seal suspended…).
    """
    # The documents module checked its own intent's arguments: built, not re-validated.
    args = RequestUseArgs.model_construct(
        request_id=storage.new_id("sr"), seal_id=seal_id, pdf_sha256=pdf_sha256,
        document_id=document_id, document_title=document_title, reason=reason, copies=copies)
    row = storage.create_request(
        session, args, requester_id=requester_id,
        seal_anchor=list(seal_anchor) if seal_anchor else None,
        now=now or dt.datetime.now(dt.UTC),
    )
    return row.id


def verify_approval_signature(session: Session, person_id: str, payload: dict[str, Any],
                              signature: dict[str, Any]) -> ApprovalCheck:
    """Verify an approval signed on ``person_id``'s device.

    ``payload``: ``{"step", "strokes", "opinion", "document_sha256"}`` as the approval
    record shows them; ``signature``: ``ApprovalSignature.to_dict()``. Raises
    ``PermissionDenied`` (a rejected intent, clear words) when forged, altered, made with
    another certificate than the person's enrolled one, or when the person never enrolled.
    """
    return storage.verify_approval_signature(session, person_id, payload, signature)
