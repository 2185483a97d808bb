"""Client side of electronic seals: queries over the local cache, intents, stamping.

Everything here blocks on the local database, the blob store, the keyring or the
network: call it from background functions (``office_app.tasks.run_in_background``),
never on the GUI thread.

* Optimistic appliers for ``seals.request_use`` / ``approve_request`` /
  ``refuse_request`` / ``cancel_request`` call the intents' pure effects
  (:mod:`modules.seals.intents`), as the server does, so a request shows at once, also
  offline. Importing that module here makes ``submit_intent`` check every seals
  intent's arguments against the server's schema before anything is queued.
* ``seals.create_seal`` (印章管理) is online only: the picture, when uploaded, goes
  first as a blob, the intent names its SHA-256, and :meth:`SealService.create_seal`
  syncs and reports the server's answer.
* ``seals.stamp`` has no applier: the seal's key lives on the server, so
  :meth:`SealService.stamp` syncs first (push pending intents, pull the latest state —
  a stamp must be decided on current data), sends the intent, syncs again and reports
  the server's answer. The server re-checks everything anyway.
* Personal signing key (个人签名密钥): :meth:`enrol_personal_key` makes an EC P-256 key
  pair on this device, keeps the private key in the OS keyring only (service
  ``office-collab-seals``), and asks the server's authority for a certificate. Approvals
  with a handwritten sign-off are then signed here — offline too — and verified by the
  server when the intent arrives.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modules.common.access import ActorFacts, profile_facts
from modules.common.errors import DomainError, NotFound, Offline, ValidationFailed
from modules.seals import intents as SI
from modules.seals import messages as _messages  # noqa: F401  (message codes)
from modules.seals import policy as P
from modules.seals import register as seal_register
from modules.seals import rules as R
from sync.local import LocalTx, applier

if TYPE_CHECKING:  # cryptography loads when a key or certificate is first used
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec

    from sync.blobs import BlobStore
    from sync.cache import LocalCache
    from sync.engine import SyncEngine

log = logging.getLogger(__name__)

SEAL = "seals.seal"
REQUEST = "seals.request"
ENTRY = "seals.register_entry"
PERSON_CERT = "seals.person_cert"
TRUST_ROOT = "seals.trust_root"
ENTITIES = (SEAL, REQUEST, ENTRY, PERSON_CERT, TRUST_ROOT)

KEYRING_SERVICE = "office-collab-seals"


# --------------------------------------------------------------------------- conversions


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if value else None


def seal_from_dict(d: dict[str, Any]) -> R.Seal:
    """A ``seals.seal`` record as the rules' :class:`~.rules.Seal`."""
    return R.Seal(
        id=d["id"], name=d["name"], type=R.SealType(d["type"]), body_id=d["body_id"],
        body_name=d.get("body_name", ""), custodians=frozenset(d.get("custodians") or ()),
        requesters=frozenset(d.get("requesters") or ()),
        approvers=frozenset(d.get("approvers") or ()),
        valid_from=_when(d["valid_from"]) or dt.datetime.min.replace(tzinfo=dt.UTC),
        valid_to=_when(d["valid_to"]) or dt.datetime.max.replace(tzinfo=dt.UTC),
        state=R.SealState(d.get("state", "active")), text_below=d.get("text_below", ""),
        diameter_mm=float(d.get("diameter_mm", 42.0)),
    )


def request_from_dict(d: dict[str, Any]) -> R.UseRequest:
    return R.UseRequest(
        id=d["id"], seal_id=d["seal_id"], requester=d["requester"], reason=d["reason"],
        copies=int(d["copies"]), document_title=d.get("document_title", ""),
        created_at=_when(d.get("created_at")) or dt.datetime.now(dt.UTC),
        state=R.RequestState(d.get("state", "pending")), decided_by=d.get("decided_by", ""),
        decided_at=_when(d.get("decided_at")), decision_note=d.get("decision_note", ""),
        used=int(d.get("used", 0)),
    )


def _seal_or_fail(tx: LocalTx, seal_id: str) -> dict[str, Any]:
    seal = tx.get(SEAL, seal_id)
    if seal is None:
        raise NotFound("seal.not_found", seal_id=seal_id)
    return seal


def _request_or_fail(tx: LocalTx, request_id: str) -> dict[str, Any]:
    req = tx.get(REQUEST, request_id)
    if req is None:
        raise NotFound("seal.request_not_found", request_id=request_id)
    return req


# --------------------------------------------------------------------------- appliers


def _actor(tx: LocalTx) -> ActorFacts:
    return profile_facts(tx.principal)


@applier(SI.REQUEST_USE)
def _apply_request_use(tx: LocalTx, raw: dict[str, Any]) -> None:
    args = SI.REQUEST_USE.parse(raw)
    seal = _seal_or_fail(tx, args.seal_id)
    rule = SI.request_use(seal_from_dict(seal), args, _actor(tx), tx.now)
    tx.put(REQUEST, rule.id, {
        "id": rule.id, "seal_id": seal["id"], "seal_name": seal["name"],
        "seal_type": seal["type"], "body_id": seal["body_id"],
        "requester": rule.requester, "requester_name": tx.principal.get("name", ""),
        "reason": rule.reason, "copies": rule.copies, "document_title": rule.document_title,
        "document_id": args.document_id, "pdf_sha256": args.pdf_sha256,
        "current_sha256": args.pdf_sha256, "seal_anchor": None, "state": "pending",
        "decided_by": "", "decided_by_name": "", "decided_at": None, "decision_note": "",
        "decision_ink": None, "used": 0, "created_at": _iso(tx.now),
    })


def leads_body(principal: dict[str, Any], body_id: str) -> bool:
    """Whether the principal holds a leader post (领导) in ``body_id``."""
    return P.leads_body(profile_facts(principal), body_id)


def _apply_decision(tx: LocalTx, args: SI.DecideArgs, effect: SI.DecideEffect) -> None:
    req = _request_or_fail(tx, args.request_id)
    seal = seal_from_dict(_seal_or_fail(tx, req["seal_id"]))
    decision = effect(seal, request_from_dict(req), args, _actor(tx), tx.now)
    tx.put(REQUEST, req["id"], req | {
        "state": decision.request.state.value, "decided_by": decision.request.decided_by,
        "decided_by_name": tx.principal.get("name", ""), "decided_at": _iso(tx.now),
        "decision_note": decision.request.decision_note, "decision_ink": decision.ink,
    })


@applier(SI.APPROVE_REQUEST)
def _apply_approve(tx: LocalTx, raw: dict[str, Any]) -> None:
    _apply_decision(tx, SI.APPROVE_REQUEST.parse(raw), SI.approve_request)


@applier(SI.REFUSE_REQUEST)
def _apply_refuse(tx: LocalTx, raw: dict[str, Any]) -> None:
    _apply_decision(tx, SI.REFUSE_REQUEST.parse(raw), SI.refuse_request)


@applier(SI.CANCEL_REQUEST)
def _apply_cancel(tx: LocalTx, raw: dict[str, Any]) -> None:
    args = SI.CANCEL_REQUEST.parse(raw)
    req = _request_or_fail(tx, args.request_id)
    done = SI.cancel_request(request_from_dict(req), args, _actor(tx), tx.now)
    tx.put(REQUEST, req["id"], req | {"state": done.state.value, "decided_at": _iso(tx.now)})


# --------------------------------------------------------------------------- service


@dataclass(frozen=True)
class StampOutcome:
    request: dict[str, Any]
    stamped_sha256: str
    #: the stamped PDF's bytes (decrypted in memory from the blob store), None if not here
    pdf: bytes | None


class _DeviceKeySigner:
    """The person's device key (from the keyring) as a :class:`~modules.seals.crypto.signer.Signer`."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, certificate: x509.Certificate) -> None:
        self._key = key
        self.certificate = certificate
        self.chain: list[x509.Certificate] = []
        self.signature_size = 72

    def sign(self, data: bytes, digest_algorithm: str) -> bytes:
        if digest_algorithm != "sha256":
            raise ValueError("device keys sign with SHA-256")
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        return self._key.sign(data, ec.ECDSA(hashes.SHA256()))


class SealService:
    """Seal queries and actions for the signed-in user. Blocking; call off the GUI thread.

    ``engine`` is a ``sync.engine.SyncEngine`` (its ``cache``, ``blobs``, ``api`` and
    ``principal`` are used unless ``cache``/``principal`` are given); ``keyring``
    defaults to the ``keyring`` module.
    """

    def __init__(self, engine: SyncEngine, *, cache: LocalCache | None = None,
                 principal: dict[str, Any] | None = None, keyring: Any = None,
                 sync_timeout: float = 60.0) -> None:
        self.engine = engine
        self.cache: LocalCache = cache if cache is not None else engine.cache
        self.principal = dict(principal if principal is not None else engine.principal)
        self.me = str(self.principal.get("person_id", ""))
        self.sync_timeout = sync_timeout
        if keyring is None:
            import keyring as keyring_module

            keyring = keyring_module
        self._keyring = keyring

    # -- queries -------------------------------------------------------------------

    def seals(self) -> list[dict[str, Any]]:
        order = {"active": 0, "suspended": 1, "revoked": 2}
        return sorted(self.cache.list(SEAL),
                      key=lambda s: (order.get(s.get("state", ""), 3), s.get("name", "")))

    def seal(self, seal_id: str) -> dict[str, Any] | None:
        return self.cache.get(SEAL, seal_id)

    def seals_i_may_request(self) -> list[dict[str, Any]]:
        return [s for s in self.seals()
                if self.me in (s.get("requesters") or ()) and s.get("state") == "active"]

    def seals_i_hold(self) -> list[dict[str, Any]]:
        return [s for s in self.seals() if self.me in (s.get("custodians") or ())]

    def seals_i_approve(self) -> list[dict[str, Any]]:
        return [s for s in self.seals() if self.me in (s.get("approvers") or ())]

    def may_decide(self, request: dict[str, Any]) -> bool:
        seal = self.seal(request.get("seal_id", ""))
        if seal is None or request.get("requester") == self.me:
            return False
        return (self.me in (seal.get("custodians") or ()) or self.me in (seal.get("approvers") or ())
                or leads_body(self.principal, seal.get("body_id", "")))

    def may_stamp(self, request: dict[str, Any]) -> bool:
        if request.get("state") != "approved" or int(request.get("used", 0)) >= int(
                request.get("copies", 0)):
            return False
        seal = self.seal(request.get("seal_id", "")) or {}
        return request.get("requester") == self.me or self.me in (seal.get("custodians") or ())

    def requests(self, which: str = "all") -> list[dict[str, Any]]:
        """``which``: ``all``, ``to_decide`` (pending, I may decide), ``mine`` (I asked),
        ``to_stamp`` (approved with copies left, I may stamp)."""
        rows = self.cache.list(REQUEST)
        if which == "to_decide":
            rows = [r for r in rows if r.get("state") == "pending" and self.may_decide(r)]
        elif which == "mine":
            rows = [r for r in rows if r.get("requester") == self.me]
        elif which == "to_stamp":
            rows = [r for r in rows if self.may_stamp(r)]
        return sorted(rows, key=lambda r: r.get("created_at") or "", reverse=True)

    def request(self, request_id: str) -> dict[str, Any] | None:
        return self.cache.get(REQUEST, request_id)

    def register(self, *, seal_id: str = "", requester: str = "",
                 since: dt.date | None = None, until: dt.date | None = None,
                 text: str = "") -> list[dict[str, Any]]:
        return seal_register.filter_entries(self.cache.list(ENTRY), seal_id=seal_id,
                                            requester=requester, since=since, until=until,
                                            text=text)

    def export_register(self, entries: list[dict[str, Any]], path: Path) -> Path:
        """Write entries as CSV (UTF-8 with BOM) to ``path``, atomically."""
        path = Path(path)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_text(seal_register.register_csv(entries), encoding="utf-8")
        tmp.replace(path)
        return path

    # -- files -----------------------------------------------------------------------

    def local_bytes(self, sha256: str, *, fetch: bool = True) -> bytes | None:
        """The blob's bytes (decrypted in memory, never to a file); with ``fetch`` a
        missing one is downloaded (one sync)."""
        blobs = self.engine.blobs
        if blobs is None:
            return None
        data: bytes | None = blobs.read_bytes(sha256)
        if data is None and fetch:
            blobs.request_download(sha256)
            self.engine.catch_up(self.sync_timeout)
            data = blobs.read_bytes(sha256)
        return data

    def read_file(self, sha256: str) -> bytes:
        data = self.local_bytes(sha256)
        if data is None:
            raise NotFound("seal.pdf_unavailable")
        return data

    def _blob_store(self) -> BlobStore:
        blobs = self.engine.blobs
        assert blobs is not None, "sending files needs the engine's blob store"
        return blobs

    # -- intents -----------------------------------------------------------------------

    def request_use(self, *, seal_id: str, pdf: Path | bytes, reason: str, copies: int = 1,
                    document_title: str = "", document_id: str = "") -> str:
        """File a 用印申请 for a PDF (queued for upload with the intent); its id."""
        data = Path(pdf).read_bytes() if isinstance(pdf, Path) else pdf
        if not data.startswith(b"%PDF"):
            raise ValidationFailed("seal.pdf_invalid", detail="%PDF")
        sha = self._blob_store().add_bytes(data)
        request_id = f"sr-{uuid.uuid4().hex[:16]}"
        self.engine.submit(SI.REQUEST_USE.name, {
            "request_id": request_id, "seal_id": seal_id, "pdf_sha256": sha,
            "document_title": document_title, "document_id": document_id, "reason": reason,
            "copies": copies})
        return request_id

    def approve(self, request_id: str, note: str = "", strokes: Any = None) -> str:
        """Approve; with ``strokes`` (handwriting) the approval is signed with this
        device's personal key — offline too."""
        args: dict[str, Any] = {"request_id": request_id, "note": note}
        if strokes is not None:
            req = self.request(request_id)
            if req is None:
                raise NotFound("seal.request_not_found", request_id=request_id)
            from modules.seals.crypto.approval_sig import sign_approval  # pyHanko: when used

            sig = sign_approval(self.personal_signer(), person_id=self.me,
                                step=f"seals.request:{request_id}", strokes=strokes,
                                opinion=note, document_sha256=req["pdf_sha256"],
                                signed_at=dt.datetime.now(dt.UTC))
            args |= {"signature": sig.to_dict(), "strokes": strokes}
        return self.engine.submit(SI.APPROVE_REQUEST.name, args)

    def refuse(self, request_id: str, reason: str) -> str:
        return self.engine.submit(SI.REFUSE_REQUEST.name,
                                  {"request_id": request_id, "note": reason})

    def cancel(self, request_id: str) -> str:
        return self.engine.submit(SI.CANCEL_REQUEST.name, {"request_id": request_id})

    def set_seal_state(self, seal_id: str, action: str) -> str:
        return self.engine.submit(SI.SET_SEAL_STATE.name, {"seal_id": seal_id, "action": action})

    # -- administration (印章管理) ---------------------------------------------------------

    def _roles(self) -> set[str]:
        return {str(r) for p in self.principal.get("posts") or () for r in p.get("roles") or ()}

    def is_seal_admin(self) -> bool:
        """Whether the user may create seals (the server's rule: role ``security_admin``,
        安全保密管理员)."""
        return "security_admin" in self._roles()

    def may_administer(self, seal: dict[str, Any]) -> bool:
        """Whether the user may suspend / reactivate / revoke ``seal`` (custodian,
        approver or admin — the server re-checks)."""
        return (self.is_seal_admin() or self.me in (seal.get("custodians") or ())
                or self.me in (seal.get("approvers") or ()))

    def shows_admin(self) -> bool:
        """Whether the administration tab is shown: admins and seal custodians."""
        return (self.is_seal_admin() or "seal_custodian" in self._roles()
                or any(self.me in (s.get("custodians") or ()) for s in self.seals()))

    def directory_bodies(self) -> list[dict[str, Any]]:
        """Bodies (单位) to own a seal: the local directory, plus the user's own bodies
        and those of known seals (so the list is never empty before the directory
        synced). Sorted by sort order, then name."""
        from modules.directory.service import BODY

        found: dict[str, dict[str, Any]] = {}
        for b in self.cache.list(BODY):
            if b.get("active", True) and b.get("id"):
                found[str(b["id"])] = b
        extra = [(p.get("body_id"), p.get("body_name")) for p in self.principal.get("posts") or ()]
        extra += [(s.get("body_id"), s.get("body_name")) for s in self.seals()]
        for bid, name in extra:
            if bid and str(bid) not in found:
                found[str(bid)] = {"id": str(bid), "name": name or str(bid), "sort_order": 0}
        return sorted(found.values(), key=lambda b: (b.get("sort_order") or 0, b.get("name", "")))

    def directory_people(self) -> list[dict[str, Any]]:
        """People to pick as custodians, approvers, requesters: the local directory plus
        the people named on known seals, by name."""
        from modules.directory.service import PERSON

        found = {str(p["id"]): p for p in self.cache.list(PERSON) if p.get("id")}
        for s in self.seals():
            for pid, name in (s.get("names") or {}).items():
                found.setdefault(str(pid), {"id": str(pid), "name": name})
        if self.me and self.me not in found:
            found[self.me] = {"id": self.me, "name": self.principal.get("name", self.me)}
        return sorted(found.values(), key=lambda p: str(p.get("name", "")))

    @staticmethod
    def preview_picture(*, type: str, name: str, body_name: str, text_below: str = "",
                        diameter_mm: float = 42.0, dpi: int = 150) -> bytes:
        """PNG of the picture the server will draw for a new seal (the same effect as the
        server's ``seals.create_seal``). Pure computation; raises ``ValidationFailed``."""
        from modules.seals.pdf import image as I
        from modules.seals.pdf.stamp import look_for

        now = dt.datetime.now(dt.UTC)
        args = SI.CREATE_SEAL.parse({
            "name": name.strip() or body_name, "type": type, "body_id": "preview",
            "custodians": ["preview"], "valid_from": _iso(now),
            "valid_to": _iso(now + dt.timedelta(days=1)), "text_below": text_below.strip(),
            "diameter_mm": diameter_mm})
        return I.seal_png(look_for(SI.create_seal(args, seal_id="preview",
                                                  body_name=body_name)), dpi=dpi)

    def create_seal(self, *, name: str, type: str, body_id: str, custodians: list[str],
                    approvers: list[str], requesters: list[str], valid_from: dt.datetime,
                    valid_to: dt.datetime, text_below: str = "", diameter_mm: float = 42.0,
                    picture_png: bytes | None = None,
                    picture_size_mm: tuple[float, float] | None = None) -> dict[str, Any]:
        """Create a seal: an uploaded picture is queued as a blob, then the
        ``seals.create_seal`` intent (online only — the key is made on the server) is
        sent and the cache synced. Returns the new seal's record; raises the server's
        refusal as a ``DomainError``, ``Offline`` while it is not yet confirmed (it
        completes once online)."""
        seal_id = f"seal-{uuid.uuid4().hex[:16]}"
        args: dict[str, Any] = {
            "seal_id": seal_id, "name": name.strip(), "type": type, "body_id": body_id,
            "custodians": list(custodians), "approvers": list(approvers),
            "requesters": list(requesters), "valid_from": _iso(valid_from),
            "valid_to": _iso(valid_to), "text_below": text_below.strip(),
            "diameter_mm": diameter_mm,
        }
        if picture_png is not None:
            args["image_sha256"] = self._blob_store().add_bytes(picture_png)
            if picture_size_mm is not None:
                args["image_width_mm"], args["image_height_mm"] = picture_size_mm
        self._submit_online(SI.CREATE_SEAL.name, args)
        created = self.seal(seal_id)
        if created is None:
            raise Offline("seal.create_pending")
        return created

    # -- stamping (online) -----------------------------------------------------------

    def _rejection(self, mutation_id: str) -> Any:
        for item in self.engine.status().rejected:
            if item.mutation_id == mutation_id:
                return item
        return None

    def _submit_online(self, name: str, args: dict[str, Any]) -> str:
        """Send an online-only intent and sync; its mutation id. Raises the server's
        refusal as a ``DomainError`` (and clears it from the rejected list)."""
        mutation_id = self.engine.submit(name, args)
        self.engine.catch_up(self.sync_timeout)
        rejected = self._rejection(mutation_id)
        if rejected is not None:
            self.engine.dismiss_rejected(mutation_id)
            raise _remote_error(rejected)
        return mutation_id

    def stamp(self, request_id: str, *, placement: dict[str, Any] | None = None,
              riding_seal: bool = False, qr: bool = True) -> StampOutcome:
        """Stamp on the server: sync first, send ``seals.stamp``, sync, report.

        ``placement``: ``{"mode": "auto"}`` (GB/T 9704 position of a rendered document)
        or ``{"mode": "box", "page": 0-based, "x", "y", "w", "h"}`` in PDF points.
        Raises the server's refusal as a ``DomainError``; ``Offline`` when the server
        cannot be reached before sending.
        """
        if not self.engine.catch_up(self.sync_timeout):
            detail = self.engine.status().last_error or ""
            raise Offline("seal.stamp_needs_online", detail=detail)
        req = self.request(request_id)
        if req is None:
            raise NotFound("seal.request_not_found", request_id=request_id)
        before = req.get("current_sha256")
        base_url = getattr(getattr(self.engine, "api", None), "base_url", "") if qr else ""
        self._submit_online(SI.STAMP.name, {
            "request_id": request_id, "placement": placement or {"mode": "auto"},
            "riding_seal": riding_seal, "qr_base_url": base_url or ""})
        req = self.request(request_id) or req
        after = req.get("current_sha256")
        if not after or after == before:
            raise Offline("seal.stamp_pending")
        return StampOutcome(req, after, self.local_bytes(after))

    # -- verification ------------------------------------------------------------------

    def trust_roots(self) -> list[x509.Certificate]:
        from modules.seals.crypto.authority import cert_from_bytes

        rows = self.cache.list(TRUST_ROOT)
        return [cert_from_bytes(r["pem"].encode("ascii")) for r in rows if r.get("pem")]

    def verify(self, pdf: Path | bytes) -> Any:
        """``VerifyReport`` of a PDF against the server's seal authority (from the feed)."""
        from modules.seals.pdf.verify import verify_pdf

        if isinstance(pdf, Path):
            try:
                data = pdf.read_bytes()
            except OSError as exc:
                raise ValidationFailed("seal.file_unreadable", path=str(pdf),
                                       detail=exc.strerror or str(exc)) from exc
        else:
            data = pdf
        lang = str(self.principal.get("lang", "zh_CN"))
        return verify_pdf(data, self.trust_roots(), lang=lang if lang == "en" else "zh_CN")

    def install_trust_root(self, path: Path | None = None) -> Path | None:
        """Write the authority's root where ``python main.py verify`` looks by default."""
        roots = self.trust_roots()
        if not roots:
            return None
        if path is None:
            from modules.seals.cli import default_trust_roots_path

            path = default_trust_roots_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        from modules.seals.crypto.authority import cert_to_pem

        text = b"".join(cert_to_pem(c) for c in roots)
        if not path.exists() or path.read_bytes() != text:
            tmp = path.with_suffix(".part")
            tmp.write_bytes(text)
            tmp.replace(path)
        return path

    # -- personal key (个人签名密钥) --------------------------------------------------------

    def _key_name(self) -> str:
        base = getattr(getattr(self.engine, "api", None), "base_url", "") or "local"
        return f"{base.rstrip('/')}|{self.me}"

    def _read_key(self) -> str | None:
        try:
            found: str | None = self._keyring.get_password(KEYRING_SERVICE, self._key_name())
            return found
        except Exception as exc:  # keyring.errors.KeyringError: no usable keyring here
            log.warning("the system keyring cannot be read: %s", exc)
            return None

    def has_personal_key(self) -> bool:
        return bool(self._read_key())

    def personal_certificate(self) -> dict[str, Any] | None:
        return self.cache.get(PERSON_CERT, self.me)

    def enrol_personal_key(self) -> str:
        """Make a key pair here, keep the private key in the keyring, ask for a
        certificate (``seals.enrol_person_key``). Returns the mutation id."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
        try:
            self._keyring.set_password(KEYRING_SERVICE, self._key_name(), pem)
        except Exception as exc:  # keyring.errors.KeyringError
            raise ValidationFailed("seal.keyring_unavailable") from exc
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        return self.engine.submit(SI.ENROL_PERSON_KEY.name,
                                  {"public_key_pem": public.decode("ascii")})

    def personal_signer(self) -> _DeviceKeySigner:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        from modules.seals.crypto.authority import cert_from_bytes

        pem = self._read_key()
        if not pem:
            raise ValidationFailed("seal.no_personal_key")
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValidationFailed("seal.no_personal_key")
        cert_row = self.personal_certificate()
        if not cert_row:
            raise ValidationFailed("seal.cert_not_synced")
        cert = cert_from_bytes(cert_row["cert_pem"].encode("ascii"))
        if cert.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ) != key.public_key().public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo):
            raise ValidationFailed("seal.cert_not_synced")
        return _DeviceKeySigner(key, cert)


def _remote_error(item: Any) -> DomainError:
    """The server's refusal (a rejected-list item) as a DomainError with its sentence."""
    from modules.common.errors import Conflict, PermissionDenied
    from sync.api import error_from_dict

    cls = Conflict if item.status == "conflict" else PermissionDenied
    return error_from_dict({"code": item.code, "message": item.message, "params": {}}, cls,
                           "zh_CN")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
