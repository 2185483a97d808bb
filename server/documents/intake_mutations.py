"""``documents.intake`` (收文录入) on the server: the organ's incoming document from a
file its registry clerk read and confirmed (the effect: ``modules.documents.intake_rules``).

The server adds what only it can: the organ resolved from ``body_id`` and the policy on
the actor's real posts, the source blob checked (complete and the clerk's own upload or
readable by them), the organ's registry clerks on the registry steps, the row, its audit
and the change feed. A job of the batch queue named by ``job_id`` is marked registered.
"""

from __future__ import annotations

from typing import Any

from modules.documents import intake_rules
from modules.documents import intents as I
from modules.documents.intents import AttachmentIn, IntakeArgs
from server.access_facts import actor_facts
from server.documents import storage as st
from server.documents.models import Document
from server.mutations import MutationContext, mutation


@mutation(I.INTAKE)
def intake(ctx: MutationContext, args: IntakeArgs) -> dict[str, Any]:
    from server.documents.mutations import _fill_defaults, _source

    session, now = ctx.session, ctx.now
    organ = st.organ_of(session, args.body_id)
    me = st.principal_actor(session, ctx.principal, organ.id)
    existing = session.get(Document, args.document_id)
    record = intake_rules.intake(
        None if existing is None else {"id": existing.id}, args.model_dump(), me, now,
        facts=actor_facts(session, ctx.principal), organ=(organ.id, organ.name),
        clerks=st.role_holders(session, organ.id, "registry_clerk"))
    src = args.source
    job = None
    if args.job_id:  # a batch reading: its blob is the registry's, whoever uploaded it
        from server.blobs.models import Blob
        from server.documents import intake_jobs

        job = intake_jobs.job_for_registration(session, ctx.principal, args.job_id, sha256=src.sha256,
                                               body_id=organ.id)
        blob = session.get(Blob, src.sha256)
        row = {"name": src.name.strip(), "sha256": src.sha256, "size": blob.size if blob else job.size,
               "content_type": src.content_type or (blob.content_type if blob else "")
               or "application/octet-stream"}
    else:
        (row,) = st.attachment_rows(session, [AttachmentIn(name=src.name, sha256=src.sha256,
                                                           content_type=src.content_type)],
                                    ctx.principal.person_id)
    spec = record["spec"]
    if args.pdf is not None and src.kind != "pdf":  # the pages as read, the clerk's own upload
        st.attachment_rows(session, [args.pdf], ctx.principal.person_id)
    doc = Document(
        id=args.document_id, kind="incoming", body_id=organ.id, title=record["title"],
        doc_type=record["doc_type"], urgency=record["urgency"], spec=spec,
        attachments=[{**row, "role": "source", "kind": src.kind, "pages": src.pages, "text": src.text}], main_to=[], cc_to=[], workflow=record["workflow"],
        status="active", doc_number=str(spec.get("doc_number") or "")[:60],
        pdf_sha256=record["pdf_sha256"], revision=0, seal={"state": "none"}, source_id=None,
        source_role="in", created_by=me, created_at=now, updated_at=now,
    )
    session.add(doc)
    session.flush()
    _fill_defaults(session, doc)
    st.audit(session, doc.id, me, "intake", step="receive",
             detail={"file": src.name, "sha256": src.sha256, "kind": src.kind, "pages": src.pages,
                     "job_id": args.job_id},
             source=_source(ctx, "documents.intake"), now=now)
    if job is not None:
        from server.documents import intake_jobs

        intake_jobs.mark_registered(session, job, doc.id)
    st.publish(session, doc, now)
    return {"document_id": doc.id}
