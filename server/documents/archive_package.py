"""Archive packages (归档包) built and signed by the server.

The server is the archiving body's agent: it holds, per issuing body, an archive signing
key (in the seal key store, encrypted at rest) whose certificate the server's seal
authority root issued with the document-signing usage only. Every package it builds
carries ``manifest.sig`` by that key, so ``python main.py archive verify`` proves the
package against the seal authority root the verifier already trusts (from
``/api/v1/seals/trust-root.pem``), never against anything inside the package.

The package is built from the document as archived (``doc.archive``), as of the
archiving time, with the handwriting of each opinion (its ink blob) drawn on the 办文单:
the same document gives the same bytes on every download.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.common import messages
from modules.common.errors import ValidationFailed
from modules.documents.archive.package import build_package
from modules.documents.archive.sign import ArchiveSigner
from modules.seals.crypto import authority as A
from server.blobs.store import BlobStore
from server.config import Settings
from server.directory.models import Body
from server.documents import storage as st
from server.documents.models import Document
from server.seals import storage as seals
from server.seals.models import SealMetaRow

messages.register({
    "archive.not_archived": {
        "zh_CN": "该公文尚未归档，没有归档包。",
        "en": "This document has not been archived, so it has no archive package.",
    },
})


def _ids(body_id: str) -> tuple[str, str]:
    """(meta row name, key-store id) of a body's archive signer."""
    short = hashlib.sha256(body_id.encode("utf-8")).hexdigest()[:24]
    return f"archive_signer:{short}", f"archive-signer-{short}"


def archive_signer(session: Session, settings: Settings, body_id: str) -> ArchiveSigner:
    """The archive signing key of ``body_id``, made on first use.

    Its certificate is valid from the authority root's own start (so it covers documents
    archived before the key was made: the server records their archiving time itself)
    until the root expires."""
    ca = seals.authority(session, settings)
    name, key_id = _ids(body_id)
    row = session.get(SealMetaRow, name)
    if row is None:
        body = session.get(Body, body_id)
        body_name = body.name if body is not None else body_id
        try:
            with session.begin_nested():  # a concurrent first use elsewhere wins
                issued = ca.issue_archive_certificate(
                    body_name=body_name, key_id=key_id, not_before=ca.root.not_valid_before_utc,
                    not_after=ca.root.not_valid_after_utc)
                session.add(SealMetaRow(name=name, value=issued.pem.decode("ascii")))
                session.flush()
        except IntegrityError:
            pass
        row = session.get(SealMetaRow, name)
        assert row is not None
    return ArchiveSigner(ca.keystore.get(key_id), A.cert_from_bytes(row.value.encode("ascii")))


def _read(store: BlobStore, sha: str) -> bytes | None:
    path = store.path(sha)
    return path.read_bytes() if path.is_file() else None


def package_for(session: Session, settings: Settings, store: BlobStore, doc: Document) -> bytes:
    """The signed archive package of an archived document (``archive.*`` errors from
    :func:`modules.documents.archive.package.build_package` when it cannot be built)."""
    if not doc.archive:
        raise ValidationFailed("archive.not_archived")
    data = st.document_data(session, doc)
    wanted = [data.get("pdf_sha256"), (data.get("seal") or {}).get("stamped_sha256"),
              *(a.get("sha256") for a in data.get("attachments") or [])]
    files: dict[str, bytes] = {}
    for sha in wanted:
        if sha and sha not in files:
            body = _read(store, sha)
            if body is not None:
                files[sha] = body
    for opinion in data.get("opinions") or []:
        ink = _read(store, opinion["ink_sha256"]) if opinion.get("ink_sha256") else None
        if ink is None:
            continue
        if ink.startswith(b"\x89PNG"):
            opinion["ink_png"] = ink
        else:
            try:
                opinion["ink"] = json.loads(ink.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                continue  # not ink the 办文单 can draw; the opinion's text stays
    at = dt.datetime.fromisoformat(str(doc.archive["at"]).replace("Z", "+00:00"))
    archived_by: dict[str, Any] = dict(doc.archive.get("by") or {})
    ca = seals.authority(session, settings)
    return build_package(data, files, archived_by=archived_by, now=at,
                         trust_roots=[ca.root], signer=archive_signer(session, settings, doc.body_id))
