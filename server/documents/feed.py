"""The 用印 hand-off between documents and the e-seal module (server/seals).

* :func:`seal_request_function` — ``server.seals.hooks.create_request_for_document`` when
  the e-seal module is installed, else ``None`` (the document then waits at 用印 with
  "待用印", and a custodian may confirm a paper seal by approving the step).
* :func:`on_stamped` — registered with ``server.seals.hooks.register_stamped_hook`` at
  import: when a document's PDF is stamped, the stamped PDF replaces ``pdf_sha256`` and
  the 用印 step is completed for the custodian, inside the stamping transaction — only
  for a request the document itself filed, or one for the document's own body naming its
  current PDF at 用印 (anything else undoes the stamp).
* :func:`document_facts` — registered with ``server.seals.hooks.set_document_lookup``: what
  the seal policy needs to know of a document a 用印申请 names, if the requester sees it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from modules.documents import workflow as wf_rules

log = logging.getLogger(__name__)


def _hooks() -> Any | None:
    try:
        from server.seals import hooks
    except ImportError:
        return None
    return hooks


def seal_request_function() -> Callable[..., str] | None:
    hooks = _hooks()
    return getattr(hooks, "create_request_for_document", None) if hooks else None


def approval_verifier() -> Callable[..., Any] | None:
    """``server.seals.hooks.verify_approval_signature`` when the e-seal module is there."""
    hooks = _hooks()
    return getattr(hooks, "verify_approval_signature", None) if hooks else None


def document_facts(session: Session, document_id: str, principal: Any) -> Any:
    """``modules.seals.policy.DocumentFacts`` of a document ``principal`` may see, else None."""
    from modules.seals.policy import DocumentFacts
    from server.documents import storage as st
    from server.documents.models import Document

    doc = session.get(Document, document_id)
    if doc is None or not st.can_see(session, principal, doc):
        return None
    wf = doc.workflow or {}
    return DocumentFacts(id=doc.id, organ_id=doc.body_id, kind=doc.kind,
                         workflow_status=str(wf.get("status") or ""),
                         current_step=wf.get("current"), pdf_sha256=doc.pdf_sha256 or "")


def _stamp_applies(session: Session, doc: Any, request: Any) -> bool:
    """The document's own 用印 request, or one of its body's seals naming its current PDF
    while it waits at 用印."""
    from server.access_facts import organ_id
    from server.seals.models import SealRow

    if (doc.seal or {}).get("request_id") == getattr(request, "id", None):
        return True
    seal = session.get(SealRow, getattr(request, "seal_id", ""))
    wf = doc.workflow or {}
    return (seal is not None and organ_id(session, seal.body_id) == doc.body_id
            and wf.get("status") == "active" and wf.get("current") == "seal"
            and getattr(request, "pdf_sha256", None) == doc.pdf_sha256)


def on_stamped(session: Session, request: Any, stamped_sha256: str) -> None:
    """Seal hook: the request's document gets the stamped PDF and leaves 用印. A request
    naming a document it may not stamp (another body's, or not at 用印) undoes the stamp."""
    from modules.common.errors import PermissionDenied
    from server.documents import storage as st
    from server.documents.models import Document

    document_id = getattr(request, "document_id", "") or ""
    if not document_id or session.get(Document, document_id) is None:
        return
    now = dt.datetime.now(dt.UTC)
    doc = st.load_for_update(session, document_id)
    if not _stamp_applies(session, doc, request):
        raise PermissionDenied("seal.document_other_body", body=doc.body_id)
    doc.pdf_sha256 = stamped_sha256
    seal = dict(doc.seal or {})
    seal.update({"state": "stamped", "stamped_sha256": stamped_sha256, "at": st.iso(now),
                 "request_id": str(getattr(request, "id", seal.get("request_id", "")))})
    doc.seal = seal
    wf = doc.workflow
    actor: dict[str, str] | None = None
    if wf.get("current") == "seal" and wf.get("pending"):
        decided = getattr(request, "decided_by", "")
        actor = next((p for p in wf["pending"] if p["id"] == decided), wf["pending"][0])
        doc.workflow = wf_rules.approve(wf, actor, st.china_now(now), step="seal")
    who = actor or {"id": "system:seals", "name": "电子印章系统"}
    st.audit(session, doc.id, who, "stamped", step="seal",
             detail={"stamped_sha256": stamped_sha256, "request_id": seal["request_id"]},
             source="hook:seals", now=now)
    st.publish(session, doc, now)


def _install() -> None:
    hooks = _hooks()
    register = getattr(hooks, "register_stamped_hook", None) if hooks else None
    if register is not None:
        register(on_stamped)
    lookup = getattr(hooks, "set_document_lookup", None) if hooks else None
    if lookup is not None:
        lookup(document_facts)


_install()
