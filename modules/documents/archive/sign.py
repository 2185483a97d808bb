"""The archiving body's signature over an archive package (``manifest.sig``).

A package proves who archived it only if something outside the package vouches for it:
the manifest (which lists every member's SHA-256) is signed with a detached CMS
signature (RFC 5652, PKCS#7 ``SignedData`` without the content) by the archiving body's
key, whose certificate a seal-authority root issued. :func:`verify_manifest_signature`
accepts the signature only when the signer's certificate chains to one of the roots the
*verifier* supplies; roots carried inside the package are never trusted.

The signer certificate must carry the document-signing extended key usage
(RFC 9336, ``id-kp-documentSigning``) so that a seal or personal certificate of the same
authority cannot sign archive packages. Signing is deterministic (RSA PKCS#1 v1.5 or
RFC 6979 ECDSA) so the same input gives the same package.

Pure module: no Qt, no HTTP, no database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from modules.common import messages
from modules.seals.crypto.authority import DOCUMENT_SIGNING

MANIFEST_SIG = "manifest.sig"

messages.register({
    "archive.package_unsigned": {
        "zh_CN": "归档包没有归档机构的签名（manifest.sig），无法证明由谁归档、归档后未被改写。",
        "en": "The package carries no signature of the archiving body (manifest.sig); nothing proves who archived it or that it was not rewritten.",
    },
    "archive.package_signature_malformed": {
        "zh_CN": "归档包签名 manifest.sig 无法读取：{detail}",
        "en": "The package signature manifest.sig cannot be read: {detail}",
    },
    "archive.package_signature_mismatch": {
        "zh_CN": "归档包签名与清单 manifest.json 不符：清单在归档签名之后被改动过。",
        "en": "The package signature does not match manifest.json: the manifest was changed after it was signed.",
    },
    "archive.package_signer_untrusted": {
        "zh_CN": "归档包签名者“{signer}”的证书不是由受信任的根证书签发的（归档包内自带的根证书不作为信任依据）。",
        "en": "The certificate of the package signer '{signer}' was not issued by a trusted root (roots carried inside the package are never trusted).",
    },
    "archive.package_signer_purpose": {
        "zh_CN": "归档包签名者“{signer}”的证书不是归档签名证书（缺少文档签名用途）。",
        "en": "The certificate of the package signer '{signer}' is not an archive signing certificate (no document-signing usage).",
    },
    "archive.package_signer_expired": {
        "zh_CN": "归档包签名者“{signer}”的证书在归档时间 {time} 不在有效期内。",
        "en": "The certificate of the package signer '{signer}' was not valid at the archiving time {time}.",
    },
    "archive.no_trust_root": {
        "zh_CN": "没有提供归档包以外的信任根证书（--trust-root，或客户端同步的服务器根证书），无法确认归档包及其签章由谁签发；归档包内自带的根证书不能作为信任依据。",
        "en": "No trust root from outside the package was given (--trust-root, or the server root the client keeps), so nothing shows who issued the package and its seals; roots carried inside the package are never trusted.",
    },
})

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


@dataclass(frozen=True)
class ArchiveSigner:
    """The archiving body's signing key and certificate; ``chain`` holds any certificates
    between it and the root (the root itself need not be included)."""

    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


def _sign_bytes(key: Any, data: bytes) -> tuple[bytes, str]:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256()), "sha256_rsa"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)), "sha256_ecdsa"
    raise ValueError(f"unsupported key {type(key).__name__}")


def sign_manifest(manifest: bytes, signer: ArchiveSigner, moment: dt.datetime) -> bytes:
    """Detached CMS ``SignedData`` (DER) over ``manifest``; signingTime = ``moment``.
    Deterministic for the same input."""
    from asn1crypto import algos, cms, core
    from asn1crypto import x509 as ax

    def asn1(cert: x509.Certificate) -> Any:
        return ax.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    leaf = asn1(signer.certificate)
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    attrs = cms.CMSAttributes([
        cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
        cms.CMSAttribute({"type": "signing_time",
                          "values": [cms.Time({"utc_time": core.UTCTime(moment.astimezone(dt.UTC))})]}),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(manifest).digest()]}),
    ])
    signature, algorithm = _sign_bytes(signer.key, attrs.dump())
    info = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber(
            {"issuer": leaf.issuer, "serial_number": leaf.serial_number})}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": algorithm}),
        "signature": signature,
    })
    signed = cms.SignedData({
        "version": "v1",
        "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
        "encap_content_info": {"content_type": "data"},
        "certificates": [leaf, *(asn1(c) for c in signer.chain)],
        "signer_infos": [info],
    })
    der: bytes = cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
    return der


@dataclass
class ManifestSignature:
    """Outcome of :func:`verify_manifest_signature`. ``problem`` is a message code (or
    None when the signature is good and vouched for); ``params`` its parameters."""

    problem: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    signer: str = ""
    signing_time: str = ""
    #: The outside root that vouched: subject (RFC 4514) and SHA-256 fingerprint (hex).
    root_subject: str = ""
    root_fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return self.problem is None


def fingerprint(cert: x509.Certificate) -> str:
    """SHA-256 fingerprint, lower-case hex."""
    return cert.fingerprint(hashes.SHA256()).hex()


def _display(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def _valid_at(cert: x509.Certificate, moment: dt.datetime) -> bool:
    return cert.not_valid_before_utc <= moment <= cert.not_valid_after_utc


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _chain_to_root(leaf: x509.Certificate, extra: Sequence[x509.Certificate],
                   roots: Sequence[x509.Certificate], moment: dt.datetime) -> x509.Certificate | None:
    """The trusted root ``leaf`` chains to (through at most two of ``extra``), each link
    a CA valid at ``moment``; None when there is none."""
    current, depth = leaf, 0
    while depth <= 2:
        for root in roots:
            if _is_ca(root) and _valid_at(root, moment) and _issued_by(current, root):
                return root
        step = next((c for c in extra if c != current and _is_ca(c) and _valid_at(c, moment)
                     and _issued_by(current, c)), None)
        if step is None:
            return None
        current, depth = step, depth + 1
    return None


def verify_manifest_signature(signature: bytes | None, manifest: bytes,
                              roots: Iterable[x509.Certificate], moment: dt.datetime
                              ) -> ManifestSignature:
    """Check ``signature`` (``manifest.sig``) over ``manifest`` as of ``moment`` (the
    archiving time) against ``roots`` — which must come from outside the package.
    Never raises for bad input; the problem codes are ``archive.package_*`` and
    ``archive.no_trust_root``."""
    from asn1crypto import cms

    out = ManifestSignature()
    if signature is None:
        out.problem = "archive.package_unsigned"
        return out

    def malformed(detail: str) -> ManifestSignature:
        out.problem, out.params = "archive.package_signature_malformed", {"detail": detail[:160]}
        return out

    try:
        info = cms.ContentInfo.load(bytes(signature), strict=True)
        if info["content_type"].native != "signed_data":
            return malformed("not CMS SignedData")
        signed = info["content"]
        if signed["encap_content_info"]["content"].native is not None:
            return malformed("not a detached signature")
        signer_infos = list(signed["signer_infos"])
        if len(signer_infos) != 1:
            return malformed(f"{len(signer_infos)} signers")
        si = signer_infos[0]
        certs = []
        for choice in signed["certificates"] or []:
            if choice.name == "certificate":
                certs.append(x509.load_der_x509_certificate(choice.chosen.dump()))
        sid = si["sid"]
        if sid.name == "issuer_and_serial_number":
            issuer = sid.chosen["issuer"].dump()
            serial = sid.chosen["serial_number"].native
            leaf = next((c for c in certs if c.serial_number == serial
                         and c.issuer.public_bytes() == issuer), None)
        else:
            ski = sid.chosen.native
            leaf = None
            for c in certs:
                try:
                    if c.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest == ski:
                        leaf = c
                except x509.ExtensionNotFound:
                    continue
        if leaf is None:
            return malformed("signer certificate not included")
        digest_name = si["digest_algorithm"]["algorithm"].native
        if digest_name not in _HASHES:
            return malformed(f"digest {digest_name}")
        attrs = si["signed_attrs"]
        if not attrs:
            return malformed("no signed attributes")
        values = {a["type"].native: a["values"] for a in attrs}
        if values.get("content_type") is None or values["content_type"][0].native != "data":
            return malformed("content type")
        if values.get("message_digest") is None:
            return malformed("no message digest")
        if values.get("signing_time") is not None:
            out.signing_time = values["signing_time"][0].native.isoformat()
        recorded = values["message_digest"][0].native
        signed_attrs = attrs.untag().dump() if attrs.implicit else attrs.dump()
        if signed_attrs[:1] != b"\x31":
            signed_attrs = b"\x31" + signed_attrs[1:]
        raw_signature = si["signature"].native
    except Exception as exc:  # untrusted input: any parse failure means "malformed"
        return malformed(f"{type(exc).__name__}: {exc}")

    out.signer = _display(leaf)
    hash_cls = _HASHES[digest_name]
    digest = hashes.Hash(hash_cls())
    digest.update(manifest)
    if digest.finalize() != recorded:
        out.problem = "archive.package_signature_mismatch"
        return out
    key = leaf.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(raw_signature, signed_attrs, padding.PKCS1v15(), hash_cls())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(raw_signature, signed_attrs, ec.ECDSA(hash_cls()))
        else:
            return malformed(f"key type {type(key).__name__}")
    except InvalidSignature:
        out.problem = "archive.package_signature_mismatch"
        return out

    moment = moment.astimezone(dt.UTC)
    roots = list(roots)
    if not roots:
        out.problem = "archive.no_trust_root"
        return out
    root = _chain_to_root(leaf, certs, roots, moment)
    if root is None:
        out.problem, out.params = "archive.package_signer_untrusted", {"signer": out.signer}
        return out
    if not _valid_at(leaf, moment):
        out.problem, out.params = "archive.package_signer_expired", {
            "signer": out.signer, "time": moment.isoformat(timespec="seconds")}
        return out
    try:
        usages = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        purpose = DOCUMENT_SIGNING in usages
    except x509.ExtensionNotFound:
        purpose = False
    if not purpose:
        out.problem, out.params = "archive.package_signer_purpose", {"signer": out.signer}
        return out
    out.root_subject = root.subject.rfc4514_string()
    out.root_fingerprint = fingerprint(root)
    return out


def embedded_server_db() -> Path:
    """Where the embedded server (``python main.py`` without ``--server-url``) keeps its
    SQLite database: ``<user data dir>/office-collab/server/office.db`` (the default of
    ``server.config.Settings.data_dir``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("office-collab")) / "server" / "office.db"


def embedded_server_roots(db: Path | None = None) -> list[x509.Certificate]:
    """The seal authority root of the embedded server on this computer, read-only from
    its database; empty when there is none or it cannot be read."""
    import sqlite3

    path = db or embedded_server_db()
    if not path.is_file():
        return []
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            row = conn.execute("SELECT value FROM seals_meta WHERE name = 'root_pem'").fetchone()
    except sqlite3.Error:
        return []
    if not row:
        return []
    try:
        return x509.load_pem_x509_certificates(str(row[0]).encode("ascii"))
    except ValueError:
        return []
