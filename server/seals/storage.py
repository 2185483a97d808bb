"""Server side of electronic seals: the authority and key store in the database, the
seal registry, use requests, stamping and the usage register, each write published to
the change feed.

Every function runs inside the caller's transaction (a route's ``DbSession`` or an
intent's context) and raises ``DomainError`` subclasses for expected refusals, so a
refused act leaves nothing behind.

Entities in the feed (audiences in brackets):

* ``seals.seal`` — custodians, approvers, allowed requesters (``user:``), the owning
  body's leaders and seal custodians (``body:<id>:role:leader|seal_custodian``) and seal
  administrators (``seals:admin``);
* ``seals.request`` / ``seals.register_entry`` — the requester, the seal's custodians and
  approvers, the owning body's leaders, seal administrators;
* ``seals.person_cert`` — the person (``user:``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.common.errors import NotFound, PermissionDenied, ValidationFailed
from modules.seals import intents as SI
from modules.seals import messages as _messages  # noqa: F401  (message codes)
from modules.seals import policy as P
from modules.seals import register as seal_register
from modules.seals import rules as R
from modules.seals.crypto import authority as A
from server.access_facts import actor_facts, body_facts, person_facts
from server.auth.models import ServerSecret
from server.auth.principal import Principal
from server.blobs.models import Blob
from server.blobs.store import CHUNK_LIMIT, BlobStore, add_ref
from server.changefeed import record_change
from server.config import Settings
from server.directory.models import Body, Person
from server.seals.models import (
    PersonCertRow,
    RegisterRow,
    SealKeyRow,
    SealMetaRow,
    SealRow,
    UseRequestRow,
)
from server.workbench.feed import finish_todo, put_todo

if TYPE_CHECKING:  # pyHanko, ReportLab and the stamper load when a seal is first used
    from modules.seals.crypto.approval_sig import ApprovalCheck, ApprovalSignature
    from modules.seals.pdf import image as I

log = logging.getLogger(__name__)

#: Before administrators were scoped to their organ, every admin saw every seal under
#: this key; it is no longer handed out (see ``policy.admin_key`` for the scoped ones).
ADMIN_KEY = "seals:admin"
ROOT_NAME = "协同办公印章根证书"
PERSON_CERT_YEARS = 3

SEAL = "seals.seal"
REQUEST = "seals.request"
ENTRY = "seals.register_entry"
PERSON_CERT = "seals.person_cert"
TRUST_ROOT = "seals.trust_root"

StampedHook = Callable[[Session, UseRequestRow, str], None]
_stamped_hooks: list[StampedHook] = []
#: ``fn(session, document_id, principal) -> DocumentFacts | None`` (None: no such
#: document, or the principal may not see it); set by the documents module.
DocumentLookup = Callable[[Session, str, Principal], "P.DocumentFacts | None"]
_document_lookups: list[DocumentLookup] = []


def add_stamped_hook(fn: StampedHook) -> None:
    if fn not in _stamped_hooks:
        _stamped_hooks.append(fn)


def set_document_lookup(fn: DocumentLookup) -> None:
    _document_lookups[:] = [fn]


def _document(session: Session, document_id: str, principal: Principal) -> P.DocumentFacts:
    """The named document as the requester may see it; ``document.not_found`` otherwise."""
    found = _document_lookups[0](session, document_id, principal) if _document_lookups else None
    if found is None:
        raise NotFound("document.not_found", id=document_id)
    return found


# --------------------------------------------------------------------------- helpers


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if value else None


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def person_name(session: Session, person_id: str) -> str:
    if not person_id:
        return ""
    person = session.get(Person, person_id)
    return person.name if person is not None else person_id


def seal_facts(session: Session, row: SealRow) -> P.SealFacts:
    """The policy's view of a seal: its owning body in the tree, the people named."""
    try:
        body = body_facts(session, row.body_id)
    except ValidationFailed:  # the body was removed: nobody governs it any more
        from modules.common.access import BodyFacts

        body = BodyFacts(row.body_id, row.body_name, row.body_id, (row.body_id,))
    return P.SealFacts(id=row.id, name=row.name, body=body,
                       custodians=frozenset(row.custodians or ()),
                       approvers=frozenset(row.approvers or ()),
                       requesters=frozenset(row.requesters or ()))


# --------------------------------------------------------------------------- keys


_warned = False


def master_key(session: Session, settings: Settings) -> bytes:
    """The key-store master key: from settings, else derived from a database secret."""
    if settings.seal_master_key:
        return A.parse_master_key(settings.seal_master_key)
    row = session.get(ServerSecret, "seal_master_seed")
    if row is None:
        import secrets

        try:
            # a savepoint: another process may create it at the same moment
            with session.begin_nested():
                session.add(ServerSecret(name="seal_master_seed", value=secrets.token_urlsafe(48)))
        except IntegrityError:
            pass
        row = session.get(ServerSecret, "seal_master_seed")
        assert row is not None
    global _warned
    if not _warned:
        _warned = True
        log.warning(
            "OFFICE_SEAL_MASTER_KEY is not set: seal keys are encrypted with a key derived "
            "from a secret in the database. Production must set OFFICE_SEAL_MASTER_KEY "
            "and keep it apart from the database backups."
        )
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"office-collab seal master key").derive(row.value.encode())


def keystore(session: Session, settings: Settings) -> A.KeyStore:
    """Seal keys in ``seals_key`` (encrypted blobs, Base64), in this transaction."""

    def save(key_id: str, blob: bytes) -> None:
        row = session.get(SealKeyRow, key_id)
        text = base64.b64encode(blob).decode("ascii")
        if row is None:
            session.add(SealKeyRow(key_id=key_id, blob=text))
        else:
            row.blob = text
        session.flush()

    def load(key_id: str) -> bytes | None:
        row = session.get(SealKeyRow, key_id)
        return base64.b64decode(row.blob) if row is not None else None

    def delete(key_id: str) -> None:
        row = session.get(SealKeyRow, key_id)
        if row is not None:
            session.delete(row)
            session.flush()

    return A.KeyStore(A.CallbackStorage(save, load, delete), master_key(session, settings))


def authority(session: Session, settings: Settings, now: dt.datetime | None = None) -> A.SealAuthority:
    """The internal seal authority; its root is created on first use."""
    store = keystore(session, settings)
    row = session.get(SealMetaRow, "root_pem")
    if row is not None:
        return A.SealAuthority.load(row.value.encode("ascii"), store)
    try:
        # a savepoint: a concurrent first use elsewhere wins, and we load its root
        with session.begin_nested():
            ca = A.SealAuthority.create(ROOT_NAME, keystore=store,
                                        now=now or dt.datetime.now(dt.UTC))
            session.add(SealMetaRow(name="root_pem", value=ca.root_pem.decode("ascii")))
            session.flush()
    except IntegrityError:
        row = session.get(SealMetaRow, "root_pem")
        assert row is not None
        return A.SealAuthority.load(row.value.encode("ascii"), store)
    record_change(session, TRUST_ROOT, "root",
                  {"id": "root", "pem": ca.root_pem.decode("ascii"), "name": ROOT_NAME},
                  {"all"})
    return ca


def ensure_authority(sessions: Any, settings: Settings) -> None:
    """Create the authority (root certificate, master seed) at start-up if missing."""
    from server.db import session_scope

    with session_scope(sessions) as session:
        authority(session, settings)


def root_pem(session: Session, settings: Settings) -> bytes:
    return authority(session, settings).root_pem


# --------------------------------------------------------------------------- conversions


def to_rule_seal(row: SealRow) -> R.Seal:
    return R.Seal(
        id=row.id, name=row.name, type=R.SealType(row.type), body_id=row.body_id,
        body_name=row.body_name, custodians=frozenset(row.custodians or ()),
        requesters=frozenset(row.requesters or ()), approvers=frozenset(row.approvers or ()),
        valid_from=row.valid_from, valid_to=row.valid_to, state=R.SealState(row.state),
        text_below=row.text_below, diameter_mm=row.diameter_mm, key_id=row.key_id,
        cert_serial=row.cert_serial,
    )


def to_rule_request(row: UseRequestRow) -> R.UseRequest:
    return R.UseRequest(
        id=row.id, seal_id=row.seal_id, requester=row.requester, reason=row.reason,
        copies=row.copies, document_title=row.document_title, created_at=row.created_at,
        state=R.RequestState(row.state), decided_by=row.decided_by,
        decided_at=row.decided_at, decision_note=row.decision_note, used=row.used,
    )


def _names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    return {i: person_name(session, i) for i in sorted(set(ids)) if i}


def seal_data(session: Session, row: SealRow) -> dict[str, Any]:
    return {
        "id": row.id, "name": row.name, "type": row.type,
        "type_label": R.SEAL_TYPE_LABELS[R.SealType(row.type)],
        "body_id": row.body_id, "body_name": row.body_name,
        "custodians": sorted(row.custodians or ()), "approvers": sorted(row.approvers or ()),
        "requesters": sorted(row.requesters or ()),
        "names": _names(session, [*row.custodians, *row.approvers, *row.requesters]),
        "valid_from": _iso(row.valid_from), "valid_to": _iso(row.valid_to),
        "state": row.state, "text_below": row.text_below, "diameter_mm": row.diameter_mm,
        "cert_serial": row.cert_serial, "cert_pem": row.cert_pem,
        "image_sha256": row.image_sha256, "image_source": row.image_source,
        "image_width_mm": row.image_width_mm, "image_height_mm": row.image_height_mm,
    }


def request_data(row: UseRequestRow, seal: SealRow) -> dict[str, Any]:
    return {
        "id": row.id, "seal_id": row.seal_id, "seal_name": seal.name,
        "seal_type": seal.type, "body_id": seal.body_id,
        "requester": row.requester, "requester_name": row.requester_name,
        "reason": row.reason, "copies": row.copies, "document_title": row.document_title,
        "document_id": row.document_id, "pdf_sha256": row.pdf_sha256,
        "current_sha256": row.current_sha256, "seal_anchor": row.seal_anchor,
        "state": row.state, "decided_by": row.decided_by,
        "decided_by_name": row.decided_by_name, "decided_at": _iso(row.decided_at),
        "decision_note": row.decision_note, "used": row.used,
        "decision_ink": row.decision_ink, "created_at": _iso(row.created_at),
    }


def entry_data(row: RegisterRow) -> dict[str, Any]:
    return {
        "id": row.id, "seal_id": row.seal_id, "seal_name": row.seal_name,
        "request_id": row.request_id, "requester": row.requester,
        "requester_name": row.requester_name, "approver": row.approver,
        "approver_name": row.approver_name, "stamped_by": row.stamped_by,
        "stamped_by_name": row.stamped_by_name, "stamped_at": _iso(row.stamped_at),
        "reason": row.reason, "document_title": row.document_title,
        "document_id": row.document_id, "document_sha256": row.document_sha256,
        "result_sha256": row.result_sha256, "copy_no": row.copy_no, "result": row.result,
        "riding_seal": bool((row.extra or {}).get("riding_seal")),
        # result "refused": the rules' refusal as {"code", "params"} (server/seals/refusals.py)
        "refusal": (row.extra or {}).get("refusal"),
    }


# --------------------------------------------------------------------------- audiences


def seal_audience(seal: SealRow, admins: set[str] | None = None) -> set[str]:
    """``admins``: the scoped administrator keys (``policy.admin_keys`` of the body)."""
    keys = {f"user:{p}" for p in [*seal.custodians, *seal.approvers, *seal.requesters]}
    keys |= {f"body:{seal.body_id}:role:leader", f"body:{seal.body_id}:role:seal_custodian"}
    return keys | (admins or set())


def request_audience(seal: SealRow, requester: str, admins: set[str] | None = None) -> set[str]:
    keys = {f"user:{p}" for p in [*seal.custodians, *seal.approvers]}
    keys |= {f"user:{requester}", f"body:{seal.body_id}:role:leader"}
    return keys | (admins or set())


def _admins(session: Session, seal: SealRow) -> set[str]:
    return P.admin_keys(seal_facts(session, seal).body)


def publish_seal(session: Session, row: SealRow) -> None:
    session.flush()
    record_change(session, SEAL, row.id, seal_data(session, row),
                  seal_audience(row, _admins(session, row)))


def publish_request(session: Session, row: UseRequestRow, seal: SealRow) -> None:
    session.flush()
    record_change(session, REQUEST, row.id, request_data(row, seal),
                  request_audience(seal, row.requester, _admins(session, seal)))


def publish_entry(session: Session, row: RegisterRow, seal: SealRow) -> None:
    session.flush()
    record_change(session, ENTRY, row.id, entry_data(row),
                  request_audience(seal, row.requester, _admins(session, seal)))


# --------------------------------------------------------------------------- blobs


def _blob_complete(session: Session, store: BlobStore, sha: str) -> bool:
    blob = session.get(Blob, sha)
    return blob is not None and blob.complete and store.path(sha).exists()


def read_blob(session: Session, store: BlobStore, sha: str) -> bytes:
    if not _blob_complete(session, store, sha):
        raise NotFound("seal.pdf_missing", sha=sha[:12])
    return store.path(sha).read_bytes()


def put_blob(session: Session, store: BlobStore, person_id: str, data: bytes,
             max_bytes: int) -> str:
    """Store ``data`` as a complete blob (chunked through the normal path); its SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    if _blob_complete(session, store, sha):
        return sha
    offset = store.received(sha)
    if offset > len(data):
        store.partial(sha).unlink(missing_ok=True)
        offset = 0
    while True:
        chunk = data[offset: offset + CHUNK_LIMIT]
        received, complete = store.append(session, person_id, sha, offset, len(data), chunk,
                                          max_bytes)
        if complete:
            return sha
        offset = received


# --------------------------------------------------------------------------- seals


def get_seal(session: Session, seal_id: str) -> SealRow:
    row = session.get(SealRow, seal_id)
    if row is None:
        raise NotFound("seal.not_found", seal_id=seal_id)
    return row


def _check_people(session: Session, ids: Iterable[str]) -> list[str]:
    out = []
    for pid in ids:
        if session.get(Person, pid) is None:
            raise ValidationFailed("seal.person_not_found", person_id=pid)
        out.append(pid)
    return sorted(set(out))


def create_seal(
    session: Session,
    settings: Settings,
    store: BlobStore,
    *,
    actor: Principal,
    args: SI.CreateSealArgs,
    now: dt.datetime,
) -> SealRow:
    """``seals.create_seal``: the intent's effect (:func:`modules.seals.intents.create_seal`)
    plus what only the server does — key pair and certificate from the authority, the
    picture (drawn, or the uploaded blob the creator may read) kept as a blob, the row,
    the feed entry. Only an administrator governing ``body_id``
    (``policy.check_administer``); everyone named must hold a post in the body's organ."""
    who = actor_facts(session, actor)
    if not who.role_organs("security_admin"):
        raise PermissionDenied("seal.admin_required", action="新建印章")
    body = session.get(Body, args.body_id)
    if body is None:
        raise ValidationFailed("seal.body_not_found", body_id=args.body_id)
    target = body_facts(session, args.body_id)
    P.check_administer(who, target, "为其新建印章", "create a seal for it")
    seal_id = args.seal_id or new_id("seal")
    if session.get(SealRow, seal_id) is not None:
        raise ValidationFailed("seal.exists", seal_id=seal_id)
    custodians = _check_people(session, args.custodians)
    approvers = _check_people(session, args.approvers)
    requesters = _check_people(session, args.requesters)
    P.check_named_people(
        target, {duty: [person_facts(session, p) for p in people]
                 for duty, people in (("custodians", custodians), ("approvers", approvers),
                                      ("requesters", requesters))},
        names=_names(session, [*custodians, *approvers, *requesters]))
    rule = SI.create_seal(args, seal_id=seal_id, body_name=body.name)
    if args.image_sha256 is not None:
        from server.blobs.store import can_read
        from server.scopes import scope_keys

        image_sha = args.image_sha256
        if (not can_read(session, image_sha, actor.person_id, scope_keys(session, actor))
                or not store.path(image_sha).exists()):
            raise ValidationFailed("blob.not_found", sha256=image_sha)
        w, h = SI.picture_size_mm(args)
        from modules.seals.pdf import image as I

        look: I.SealLook = I.PictureSealLook(store.path(image_sha).read_bytes(), w, h)
        I.validate_look(look)
        source = "uploaded"
    else:
        from modules.seals.pdf import image as I
        from modules.seals.pdf.stamp import look_for

        look = look_for(rule)
        w, h = I.size_mm(look)
        image_sha = put_blob(session, store, actor.person_id, I.seal_png(look, dpi=200),
                             settings.max_blob_bytes)
        source = "generated"
    ca = authority(session, settings, now)
    issued = ca.issue_seal_certificate(
        seal_id=seal_id, seal_name=rule.name, body_name=body.name, key_id=rule.key_id,
        not_before=rule.valid_from, not_after=rule.valid_to,
    )
    row = SealRow(
        id=seal_id, name=rule.name, type=rule.type.value, body_id=rule.body_id,
        body_name=body.name, custodians=custodians, approvers=approvers,
        requesters=requesters, valid_from=rule.valid_from, valid_to=rule.valid_to,
        state=rule.state.value, text_below=rule.text_below, diameter_mm=rule.diameter_mm,
        key_id=rule.key_id, cert_pem=issued.pem.decode("ascii"),
        cert_serial=format(issued.certificate.serial_number, "x"),
        image_sha256=image_sha, image_source=source, image_width_mm=w, image_height_mm=h,
        created_by=actor.person_id, created_at=now, updated_at=now,
    )
    session.add(row)
    add_ref(session, image_sha, SEAL, seal_id)
    publish_seal(session, row)
    return row


def change_seal_state(session: Session, *, actor: Principal, args: SI.SealStateArgs,
                      now: dt.datetime) -> SealRow:
    """``seals.set_seal_state``: the seal's custodians and approvers (holding a post in
    its organ) or administrators governing its body (``policy.check_change_state``),
    then the intent's effect."""
    row = get_seal(session, args.seal_id)
    who = actor_facts(session, actor)
    P.check_change_state(who, seal_facts(session, row))
    changed = SI.set_seal_state(to_rule_seal(row), args, who, now)
    row.state = changed.state.value
    row.updated_at = now
    publish_seal(session, row)
    return row


# --------------------------------------------------------------------------- requests


def _decider_todo_id(request_id: str, person_id: str) -> str:
    return f"seals-approve-{request_id}-{person_id}"[:80]


def _stamp_todo_id(request_id: str) -> str:
    return f"seals-stamp-{request_id}"[:80]


def create_request(
    session: Session,
    args: SI.RequestUseArgs,
    *,
    requester_id: str,
    seal_anchor: list[float] | None = None,
    now: dt.datetime,
) -> UseRequestRow:
    """``seals.request_use``: the intent's effect, ``policy.check_request``, the row, a
    to-do for each decider, the feed. A named document must be the seal's body's own,
    waiting at 用印, with ``pdf_sha256`` its current PDF; otherwise the requester must be
    able to read the PDF."""
    from server.auth.principal import load_principal
    from server.blobs.store import can_read
    from server.scopes import scope_keys

    if session.get(UseRequestRow, args.request_id) is not None:
        raise ValidationFailed("seal.request_exists", request_id=args.request_id)
    seal = get_seal(session, args.seal_id)
    principal = load_principal(session, requester_id)
    who = actor_facts(session, principal)
    rule = SI.request_use(to_rule_seal(seal), args, who, now)
    document_id, pdf_sha256 = args.document_id, args.pdf_sha256
    document = _document(session, document_id, principal) if document_id else None
    readable = document is not None or can_read(
        session, pdf_sha256, requester_id, scope_keys(session, principal))
    P.check_request(who, seal_facts(session, seal), pdf_sha256=pdf_sha256,
                    document=document, pdf_readable=readable)
    blob = session.get(Blob, pdf_sha256)
    if blob is None or not blob.complete:  # the row is marked complete once verified
        raise ValidationFailed("seal.pdf_not_uploaded")
    requester_name = person_name(session, requester_id)
    row = UseRequestRow(
        id=rule.id, seal_id=seal.id, requester=requester_id,
        requester_name=requester_name, reason=rule.reason, copies=rule.copies,
        document_title=rule.document_title, document_id=document_id,
        pdf_sha256=pdf_sha256, current_sha256=pdf_sha256, state=rule.state.value,
        seal_anchor=list(seal_anchor) if seal_anchor else None, created_at=now,
    )
    session.add(row)
    add_ref(session, pdf_sha256, REQUEST, rule.id)
    publish_request(session, row, seal)
    for person in sorted(set(seal.custodians) | set(seal.approvers)):
        if person == requester_id:
            continue
        put_todo(session, todo_id=_decider_todo_id(rule.id, person), person_id=person,
                 title=f"用印审批：{rule.document_title or rule.reason}（{seal.name}）",
                 module="seals", kind="待审批", ref_id=rule.id, from_name=requester_name)
    return row


def get_request(session: Session, request_id: str) -> UseRequestRow:
    row = session.get(UseRequestRow, request_id)
    if row is None:
        raise NotFound("seal.request_not_found", request_id=request_id)
    return row


def _close_decider_todos(session: Session, row: UseRequestRow, seal: SealRow) -> None:
    for person in sorted(set(seal.custodians) | set(seal.approvers)):
        finish_todo(session, _decider_todo_id(row.id, person))


def _store_request(row: UseRequestRow, rule: R.UseRequest, session: Session) -> None:
    row.state = rule.state.value
    row.decided_by = rule.decided_by
    row.decided_by_name = person_name(session, rule.decided_by)
    row.decided_at = rule.decided_at
    row.decision_note = rule.decision_note
    row.used = rule.used


def approval_step(request_id: str) -> str:
    """The step id a handwritten approval of a use request is signed for."""
    return f"seals.request:{request_id}"


def decide_request(
    session: Session,
    settings: Settings,
    *,
    actor: Principal,
    args: SI.DecideArgs,
    effect: SI.DecideEffect,
    now: dt.datetime,
) -> UseRequestRow:
    """Approve or refuse: ``policy.check_decide``, then the intent's ``effect``
    (:func:`~modules.seals.intents.approve_request` or ``refuse_request``). A handwritten
    sign-off signed on the approver's device is verified here."""
    row = get_request(session, args.request_id)
    seal = get_seal(session, row.seal_id)
    who = actor_facts(session, actor)
    P.check_decide(who, seal_facts(session, seal))
    decision = effect(to_rule_seal(seal), to_rule_request(row), args, who, now)
    if decision.ink is not None:
        verify_approval_signature(
            session, actor.person_id,
            {"step": approval_step(row.id), "strokes": decision.ink["strokes"],
             "opinion": args.note, "document_sha256": row.pdf_sha256},
            decision.ink["signature"], settings=settings,
        )
    _store_request(row, decision.request, session)
    row.decision_ink = decision.ink
    publish_request(session, row, seal)
    _close_decider_todos(session, row, seal)
    if decision.request.state == R.RequestState.APPROVED:
        put_todo(session, todo_id=_stamp_todo_id(row.id), person_id=row.requester,
                 title=f"待用印：{row.document_title or row.reason}（{seal.name}）",
                 module="seals", kind="待用印", ref_id=row.id,
                 from_name=person_name(session, actor.person_id))
    return row


def cancel_request(session: Session, *, actor: Principal, args: SI.RequestIdArgs,
                   now: dt.datetime) -> UseRequestRow:
    """``seals.cancel_request``: ``policy.check_cancel``, then the intent's effect."""
    row = get_request(session, args.request_id)
    seal = get_seal(session, row.seal_id)
    who = actor_facts(session, actor)
    P.check_cancel(who, row.requester)
    cancelled = SI.cancel_request(to_rule_request(row), args, who, now)
    row.state = cancelled.state.value
    row.decided_at = cancelled.decided_at
    publish_request(session, row, seal)
    _close_decider_todos(session, row, seal)
    finish_todo(session, _stamp_todo_id(row.id), remove=True)
    return row


# --------------------------------------------------------------------------- stamping


def seal_look(session: Session, store: BlobStore, seal: SealRow) -> I.SealLook | None:
    """The uploaded picture of a seal, or None for the generated one."""
    from modules.seals.pdf import image as I

    if seal.image_source != "uploaded":
        return None
    png = store.path(seal.image_sha256).read_bytes()
    return I.PictureSealLook(png, seal.image_width_mm, seal.image_height_mm)


def stamp_request(
    session: Session,
    settings: Settings,
    store: BlobStore,
    *,
    actor: Principal,
    request_id: str,
    now: dt.datetime,
    placement: dict[str, Any],
    riding_seal: bool = False,
    qr_base_url: str = "",
) -> tuple[UseRequestRow, RegisterRow]:
    """Apply the seal to the request's current PDF on the server (the key never leaves
    it): rules re-checked on the server's state and clock, stamped PDF stored as a blob,
    register entry written, hooks called — all in this transaction."""
    from modules.seals.crypto.signer import LocalKeySigner
    from modules.seals.operations import apply_seal
    from modules.seals.pdf.stamp import Rect, rect_from_render_anchor

    row = get_request(session, request_id)
    seal = get_seal(session, row.seal_id)
    rule_seal, rule_req = to_rule_seal(seal), to_rule_request(row)
    P.check_stamp(actor_facts(session, actor), seal_facts(session, seal), row.requester)
    R.check_can_stamp(rule_seal, rule_req, actor=actor.person_id, now=now)
    pdf = read_blob(session, store, row.current_sha256)
    place: dict[str, Any]
    if placement.get("mode", "auto") == "auto":
        if not row.seal_anchor:
            raise ValidationFailed("seal.auto_placement_unavailable")
        page, x, y, w, h = row.seal_anchor
        place = {"box": rect_from_render_anchor((int(page), x, y, w, h))}
    else:
        try:
            place = {"box": Rect(int(placement["page"]), float(placement["x"]),
                                 float(placement["y"]), float(placement["w"]),
                                 float(placement["h"]))}
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed("seal.placement_required") from exc
    entry_id = new_id("reg")
    qr_url = f"{qr_base_url.rstrip('/')}/api/v1/seals/check/{entry_id}" if qr_base_url else None
    ca = authority(session, settings, now)
    signer = LocalKeySigner(ca.keystore, seal.key_id,
                            A.cert_from_bytes(seal.cert_pem.encode("ascii")), [ca.root])
    result = apply_seal(
        pdf, seal=rule_seal, request=rule_req, signer=signer, actor=actor.person_id,
        now=now, entry_id=entry_id, location=seal.body_name, qr_url=qr_url,
        riding_seal=riding_seal, look=seal_look(session, store, seal),
        timestamper=settings.tsa_url or None, **place,
    )
    out_sha = put_blob(session, store, actor.person_id, result.pdf, settings.max_blob_bytes)
    _store_request(row, result.request, session)
    row.current_sha256 = out_sha
    e = result.entry
    entry = RegisterRow(
        id=e.id, seal_id=seal.id, seal_name=seal.name, request_id=row.id,
        requester=row.requester, requester_name=row.requester_name, approver=e.approver,
        approver_name=person_name(session, e.approver), stamped_by=actor.person_id,
        stamped_by_name=actor.name, stamped_at=now, reason=row.reason,
        document_title=row.document_title, document_id=row.document_id,
        document_sha256=e.document_sha256, result_sha256=out_sha, copy_no=e.copy_no,
        result="stamped", extra=dict(e.extra),
    )
    session.add(entry)
    add_ref(session, out_sha, REQUEST, row.id)
    add_ref(session, out_sha, ENTRY, entry.id)
    publish_request(session, row, seal)
    publish_entry(session, entry, seal)
    if row.state != R.RequestState.APPROVED.value:
        finish_todo(session, _stamp_todo_id(row.id))
    for hook in list(_stamped_hooks):
        hook(session, row, out_sha)
    return row, entry


# --------------------------------------------------------------------------- register


def query_register(
    session: Session,
    *,
    keys: frozenset[str],
    seal_id: str = "",
    requester: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    text: str = "",
    actor: Principal | None = None,
) -> list[RegisterRow]:
    """Register entries the caller may see (same audience as in the feed), filtered;
    with ``actor``, each entry is also decided by ``policy.may_read_entry``."""
    from server.changefeed import ChangeAudience

    visible = select(ChangeAudience.entity_id).where(
        ChangeAudience.entity == ENTRY, ChangeAudience.key.in_(sorted(keys)),
        ChangeAudience.visible.is_(True),
    )
    q = select(RegisterRow).where(RegisterRow.id.in_(visible))
    if seal_id:
        q = q.where(RegisterRow.seal_id == seal_id)
    if requester:
        q = q.where(RegisterRow.requester == requester)
    if since is not None:
        q = q.where(RegisterRow.stamped_at >= since)
    if until is not None:
        q = q.where(RegisterRow.stamped_at < until)
    rows = list(session.scalars(q.order_by(RegisterRow.stamped_at, RegisterRow.id)))
    if actor is not None:
        who = actor_facts(session, actor)
        facts: dict[str, P.SealFacts] = {}
        for sid in {r.seal_id for r in rows}:
            facts[sid] = seal_facts(session, get_seal(session, sid))
        rows = [r for r in rows if P.may_read_entry(who, facts[r.seal_id], r.requester)]
    if text:
        needle = text.strip().lower()
        rows = [r for r in rows if needle in (r.document_title + r.reason + r.seal_name
                                              + r.requester_name).lower()]
    return rows


def register_csv(entries: Iterable[dict[str, Any]]) -> str:
    """CSV of register entries (see :mod:`modules.seals.register`)."""
    return seal_register.register_csv(entries)


# --------------------------------------------------------------------------- personal keys


def enrol_person_key(session: Session, settings: Settings, *, actor: Principal,
                     public_key_pem: str, now: dt.datetime) -> PersonCertRow:
    """Issue the person's signing certificate for a public key made on their device."""
    try:
        public_key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValidationFailed("seal.bad_public_key") from exc
    if not isinstance(public_key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise ValidationFailed("seal.bad_public_key")
    body = next((p.body_name for p in actor.posts), "")
    ca = authority(session, settings, now)
    issued = ca.issue_person_certificate(
        person_id=actor.person_id, person_name=actor.name, body_name=body or "协同办公",
        key_id=f"person-{actor.person_id}", not_before=now - dt.timedelta(minutes=5),
        not_after=now + dt.timedelta(days=365 * PERSON_CERT_YEARS), public_key=public_key,
    )
    row = session.get(PersonCertRow, actor.person_id)
    if row is None:
        row = PersonCertRow(person_id=actor.person_id, cert_pem="", serial="", issued_at=now)
        session.add(row)
    row.cert_pem = issued.pem.decode("ascii")
    row.serial = format(issued.certificate.serial_number, "x")
    row.issued_at = now
    row.revoked = False
    session.flush()
    record_change(session, PERSON_CERT, actor.person_id,
                  {"id": actor.person_id, "person_id": actor.person_id,
                   "cert_pem": row.cert_pem, "serial": row.serial,
                   "issued_at": _iso(now)},
                  {f"user:{actor.person_id}"})
    return row


def verify_approval_signature(session: Session, person_id: str, payload: dict[str, Any],
                              signature: dict[str, Any] | ApprovalSignature, *,
                              settings: Settings | None = None) -> ApprovalCheck:
    """Check a handwritten approval signed on a device (possibly offline).

    ``payload``: ``step``, ``strokes``, ``opinion``, ``document_sha256`` as the approval
    record shows them; ``signature``: ``ApprovalSignature.to_dict()``. The certificate
    must be the person's enrolled one, issued by our authority. Returns the check when
    valid; raises ``PermissionDenied`` with the first problem's code otherwise.
    """
    from modules.seals.crypto.approval_sig import ApprovalSignature, verify_approval

    if settings is None:
        from server.seals.runtime import for_session

        settings = for_session(session).settings
    sig = signature if isinstance(signature, ApprovalSignature) else ApprovalSignature.from_dict(signature)
    enrolled = session.get(PersonCertRow, person_id)
    name = person_name(session, person_id)
    if enrolled is None or enrolled.revoked:
        raise PermissionDenied("seal.not_enrolled", person=name)
    try:
        check = verify_approval(
            sig, person_id=person_id, step=str(payload.get("step", "")),
            strokes=payload.get("strokes"), opinion=str(payload.get("opinion", "")),
            document_sha256=str(payload.get("document_sha256", "")),
            trust_roots=[authority(session, settings).root],
        )
    except (KeyError, TypeError) as exc:
        raise PermissionDenied("seal.approval_signature_invalid") from exc
    if not check.ok:
        raise PermissionDenied(check.problems[0], person=name)
    if A.cert_from_bytes(sig.certificate_pem.encode("ascii")) != A.cert_from_bytes(
            enrolled.cert_pem.encode("ascii")):
        raise PermissionDenied("seal.approval_cert_not_enrolled", person=name)
    return check


def seals_by_body(session: Session, body_id: str) -> list[SealRow]:
    return list(session.scalars(select(SealRow).where(SealRow.body_id == body_id)))
