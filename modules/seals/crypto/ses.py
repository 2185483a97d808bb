"""GB/T 38540 seal structures with SM2/SM3: ``SESeal`` (印章数据) and ``SES_Signature``
(签章数据), beside the PAdES signature.

No PDF reader verifies SM2, so a stamped PDF keeps its PAdES (ECDSA/RSA) signature for
everyone, and may in addition carry an ``SES_Signature`` made with the seal's SM2 key —
the structure Chinese e-seal verifiers expect. Everything is encoded with our own DER
(:mod:`modules.seals.crypto.der`); keys are SM2 (:mod:`modules.seals.crypto.sm2`).

Structures (version 4 of GB/T 38540-2020 / GM/T 0031)::

    SESeal ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING (maker's cert),
                          signAlgID OBJECT IDENTIFIER, signedValue BIT STRING }
    SES_SealInfo ::= SEQUENCE { header SEQUENCE { ID IA5String "ES", version INTEGER 4,
                                                  Vid IA5String },
                                esID IA5String,
                                property SEQUENCE { type INTEGER (1 org, 2 personal),
                                    name UTF8String, certListType INTEGER 1,
                                    certList SEQUENCE OF OCTET STRING,
                                    createDate, validStart, validEnd GeneralizedTime },
                                picture SEQUENCE { type IA5String "PNG", data OCTET STRING,
                                                   width INTEGER (mm), height INTEGER (mm) } }
    SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING (signer's cert),
                                 signatureAlgID OBJECT IDENTIFIER,
                                 signature BIT STRING }
    TBS_Sign ::= SEQUENCE { version INTEGER 4, eseal SESeal, timeInfo GeneralizedTime,
                            dataHash BIT STRING (SM3), propertyInfo IA5String }

Signed bytes: ``signedValue`` is SM2-with-SM3 over DER ``SEQUENCE{eSealInfo, cert,
signAlgID}``; ``signature`` over DER ``SEQUENCE{toSign, cert, signatureAlgID}``.

In a PDF (see :func:`modules.seals.pdf.stamp.stamp_pdf` ``ses=``): ``dataHash`` is SM3 of
the document bytes *before* this stamp (the previous revision, a prefix of the final
file); ``propertyInfo`` is ``"pdf-prefix:<length>;field:<name>"``; the DER is stored as a
stream under ``/SES_Signature`` in the signature field's dictionary, in the same
revision as the PAdES signature — so the PAdES signature also covers it.

The SM2 certificates are minimal X.509 v3 certificates (SM2 public key, SM2-with-SM3
signature, basicConstraints, keyUsage) issued by an SM2 root of our seal authority.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from modules.common.errors import ValidationFailed
from modules.common.messages import register
from modules.seals.crypto import der, sm2
from modules.seals.crypto.authority import KeyStore
from modules.seals.crypto.signer import SM2Signer

register(
    {
        "seal.ses_malformed": {
            "zh_CN": "国密签章数据（SES_Signature）格式错误：{detail}",
            "en": "The SM2 seal data (SES_Signature) is malformed: {detail}",
        },
        "seal.ses_signature_invalid": {
            "zh_CN": "国密签章签名值验证失败。",
            "en": "The SM2 seal signature does not verify.",
        },
        "seal.ses_seal_invalid": {
            "zh_CN": "国密印章数据（SESeal）的制章签名无效。",
            "en": "The SM2 seal (SESeal) maker's signature is invalid.",
        },
        "seal.ses_data_mismatch": {
            "zh_CN": "国密签章保护的文件内容已被改动（SM3 摘要不符）。",
            "en": "The content protected by the SM2 seal was changed (SM3 digest differs).",
        },
        "seal.ses_untrusted": {
            "zh_CN": "国密证书不是由受信任的 SM2 根证书签发的。",
            "en": "The SM2 certificate was not issued by a trusted SM2 root.",
        },
        "seal.ses_signer_not_listed": {
            "zh_CN": "签章人证书不在该印章允许的证书列表中。",
            "en": "The signer's certificate is not in the seal's list of allowed certificates.",
        },
        "seal.ses_outside_validity": {
            "zh_CN": "签章时间不在印章或证书的有效期内。",
            "en": "The signing time is outside the seal's or certificate's validity.",
        },
    }
)

VENDOR_ID = "OFFICECOLLAB"
SES_VERSION = 4
_OID_CN, _OID_O, _OID_C = "2.5.4.3", "2.5.4.10", "2.5.4.6"
_OID_BASIC_CONSTRAINTS, _OID_KEY_USAGE = "2.5.29.19", "2.5.29.15"


# --------------------------------------------------------------------------- certificates


@dataclass(frozen=True)
class SM2Identity:
    """An SM2 certificate and where its private key is (the key store id)."""

    certificate_der: bytes
    public_key_hex: str
    key_id: str

    def signer(self, keystore: KeyStore) -> SM2Signer:
        return SM2Signer(keystore, self.key_id, self.certificate_der, self.public_key_hex)


@dataclass(frozen=True)
class SM2CertInfo:
    tbs: bytes
    signature: bytes
    issuer: bytes  # DER of the Name
    subject: bytes
    common_name: str
    organisation: str
    not_before: dt.datetime
    not_after: dt.datetime
    public_key_hex: str
    is_ca: bool


def _name(common_name: str, organisation: str = "") -> bytes:
    rdns = [der.set_of(der.sequence(der.oid(_OID_C), der.printable("CN")))]
    if organisation:
        rdns.append(der.set_of(der.sequence(der.oid(_OID_O), der.utf8(organisation))))
    rdns.append(der.set_of(der.sequence(der.oid(_OID_CN), der.utf8(common_name))))
    return der.sequence(*rdns)


def _sm2_spki(public_hex: str) -> bytes:
    return der.sequence(
        der.sequence(der.oid(sm2.OID_EC_PUBLIC_KEY), der.oid(sm2.OID_SM2_CURVE)),
        der.bit_string(sm2.point_from_public_key(public_hex)),
    )


def _extensions(ca: bool) -> bytes:
    true = der.tlv(0x01, b"\xff")
    basic = der.sequence(true) if ca else der.sequence()
    # keyUsage: CA keyCertSign + cRLSign; end entity digitalSignature + nonRepudiation
    ku = der.tlv(der.BIT_STRING, b"\x01\x06") if ca else der.tlv(der.BIT_STRING, b"\x06\xc0")
    return der.explicit(3, der.sequence(
        der.sequence(der.oid(_OID_BASIC_CONSTRAINTS), true, der.octet_string(basic)),
        der.sequence(der.oid(_OID_KEY_USAGE), true, der.octet_string(ku)),
    ))


def _build_cert(*, subject: bytes, issuer: bytes, public_hex: str, not_before: dt.datetime,
                not_after: dt.datetime, ca: bool, issuer_private_hex: str,
                issuer_public_hex: str) -> bytes:
    alg = der.sequence(der.oid(sm2.OID_SM2_SIGN_WITH_SM3))
    tbs = der.sequence(
        der.explicit(0, der.integer(2)),
        der.integer(secrets.randbits(63) | 1),
        alg,
        issuer,
        der.sequence(der.generalized_time(not_before), der.generalized_time(not_after)),
        subject,
        _sm2_spki(public_hex),
        _extensions(ca),
    )
    sig = sm2.sign(issuer_private_hex, issuer_public_hex, tbs)
    return der.sequence(tbs, alg, der.bit_string(sig))


def _name_attr(name: der.Node, attr_oid: str) -> str:
    for rdn in name.children():
        for atv in rdn.children():
            parts = atv.children()
            if parts[0].as_oid() == attr_oid:
                return parts[1].as_str()
    return ""


def parse_sm2_certificate(data: bytes) -> SM2CertInfo:
    """Read an SM2 certificate made by :func:`create_sm2_root`/:func:`issue_sm2_certificate`
    (or any X.509 v3 certificate with an SM2 key); ``der.DerError`` when malformed."""
    cert = der.read_one(data)
    tbs, _alg, sig = cert.children()
    items = tbs.children()
    if items[0].tag == 0xA0:
        items = items[1:]
    _serial, _sigalg, issuer, validity, subject, spki = items[:6]
    nb, na = (n.as_time() for n in validity.children())
    alg, point = spki.children()
    if [n.as_oid() for n in alg.children()] != [sm2.OID_EC_PUBLIC_KEY, sm2.OID_SM2_CURVE]:
        raise der.DerError("not an SM2 public key")
    is_ca = False
    for extra in items[6:]:
        if extra.tag == 0xA3:
            for ext in extra.children()[0].children():
                parts = ext.children()
                if parts[0].as_oid() == _OID_BASIC_CONSTRAINTS:
                    inner = der.read_one(parts[-1].as_bytes()).children()
                    is_ca = bool(inner) and inner[0].content == b"\xff"
    return SM2CertInfo(
        tbs=tbs.raw, signature=sig.as_bits(), issuer=issuer.raw, subject=subject.raw,
        common_name=_name_attr(subject, _OID_CN), organisation=_name_attr(subject, _OID_O),
        not_before=nb, not_after=na, public_key_hex=sm2.public_key_from_point(point.as_bits()),
        is_ca=is_ca,
    )


def is_sm2_certificate(data: bytes) -> bool:
    try:
        parse_sm2_certificate(data)
        return True
    except (der.DerError, ValueError, IndexError):
        return False


def create_sm2_root(name: str, *, keystore: KeyStore, key_id: str, now: dt.datetime,
                    years: int = 20, organisation: str = "协同办公") -> SM2Identity:
    """A self-signed SM2 root for the seal authority (also the seal maker, 制章者)."""
    d, q = sm2.generate_keypair()
    subject = _name(name, organisation)
    cert = _build_cert(subject=subject, issuer=subject, public_hex=q,
                       not_before=now - dt.timedelta(minutes=5),
                       not_after=now + dt.timedelta(days=365 * years), ca=True,
                       issuer_private_hex=d, issuer_public_hex=q)
    keystore.put_secret(key_id, bytes.fromhex(d))
    return SM2Identity(cert, q, key_id)


def issue_sm2_certificate(root: SM2Identity, *, keystore: KeyStore, key_id: str,
                          common_name: str, organisation: str, not_before: dt.datetime,
                          not_after: dt.datetime) -> SM2Identity:
    """An SM2 end-entity certificate (a seal's or a person's) signed by ``root``."""
    if not_after <= not_before:
        raise ValidationFailed("seal.cert_bad_validity")
    root_info = parse_sm2_certificate(root.certificate_der)
    d, q = sm2.generate_keypair()
    cert = _build_cert(subject=_name(common_name, organisation), issuer=root_info.subject,
                       public_hex=q, not_before=not_before, not_after=not_after, ca=False,
                       issuer_private_hex=keystore.get_secret(root.key_id).hex(),
                       issuer_public_hex=root.public_key_hex)
    keystore.put_secret(key_id, bytes.fromhex(d))
    return SM2Identity(cert, q, key_id)


def _issued_by(info: SM2CertInfo, roots: list[bytes]) -> bool:
    for root_der in roots:
        try:
            root = parse_sm2_certificate(root_der)
        except (der.DerError, ValueError, IndexError):
            continue
        if root.subject == info.issuer and root.is_ca and sm2.verify(
                root.public_key_hex, info.signature, info.tbs):
            return True
    return False


# --------------------------------------------------------------------------- SESeal


def make_seseal(*, seal_id: str, name: str, personal: bool, allowed_certs: list[bytes],
                picture_png: bytes, width_mm: int, height_mm: int, created: dt.datetime,
                valid_start: dt.datetime, valid_end: dt.datetime,
                maker: SM2Signer) -> bytes:
    """The seal itself (印章数据), signed by the maker (our SM2 root)."""
    info = der.sequence(
        der.sequence(der.ia5("ES"), der.integer(SES_VERSION), der.ia5(VENDOR_ID)),
        der.ia5(seal_id),
        der.sequence(
            der.integer(2 if personal else 1),
            der.utf8(name),
            der.integer(1),
            der.sequence(*(der.octet_string(c) for c in allowed_certs)),
            der.generalized_time(created),
            der.generalized_time(valid_start),
            der.generalized_time(valid_end),
        ),
        der.sequence(der.ia5("PNG"), der.octet_string(picture_png), der.integer(width_mm),
                     der.integer(height_mm)),
    )
    cert = der.octet_string(maker.certificate_der)
    alg = der.oid(sm2.OID_SM2_SIGN_WITH_SM3)
    sig = maker.sign(der.sequence(info, cert, alg), "sm3")
    return der.sequence(info, cert, alg, der.bit_string(sig))


@dataclass
class SESealInfo:
    seal_id: str
    name: str
    type: int
    allowed_certs: list[bytes]
    valid_start: dt.datetime
    valid_end: dt.datetime
    maker_cert: bytes
    picture_type: str
    picture: bytes
    signed_ok: bool


def parse_seseal(data: bytes) -> SESealInfo:
    seseal = der.read_one(data)
    info, cert, alg, value = seseal.children()
    _header, es_id, prop, picture = info.children()[:4]
    p = prop.children()
    pic = picture.children()
    maker_cert = cert.as_bytes()
    maker = parse_sm2_certificate(maker_cert)
    ok = alg.as_oid() == sm2.OID_SM2_SIGN_WITH_SM3 and sm2.verify(
        maker.public_key_hex, value.as_bits(), der.sequence(info.raw, cert.raw, alg.raw))
    return SESealInfo(
        seal_id=es_id.as_str(), name=p[1].as_str(), type=p[0].as_int(),
        allowed_certs=[c.as_bytes() for c in p[3].children()],
        valid_start=p[5].as_time(), valid_end=p[6].as_time(), maker_cert=maker_cert,
        picture_type=pic[0].as_str(), picture=pic[1].as_bytes(), signed_ok=ok,
    )


# --------------------------------------------------------------------------- SES_Signature


def make_ses_signature(*, seseal: bytes, signer: SM2Signer, data: bytes,
                       time: dt.datetime, property_info: str) -> bytes:
    """One stamping act (签章数据) over ``data``'s SM3 digest."""
    tbs = der.sequence(
        der.integer(SES_VERSION),
        seseal,
        der.generalized_time(time),
        der.bit_string(sm2.sm3(data)),
        der.ia5(property_info),
    )
    cert = der.octet_string(signer.certificate_der)
    alg = der.oid(sm2.OID_SM2_SIGN_WITH_SM3)
    sig = signer.sign(der.sequence(tbs, cert, alg), "sm3")
    return der.sequence(tbs, cert, alg, der.bit_string(sig))


@dataclass
class SESCheck:
    """Result of :func:`verify_ses_signature`; ``problems`` are message codes."""

    ok: bool = False
    seal_name: str = ""
    seal_id: str = ""
    signer: str = ""
    time: str | None = None
    property_info: str = ""
    problems: list[str] = field(default_factory=list)


def verify_ses_signature(ses: bytes, data: bytes | None, *, sm2_roots: list[bytes],
                         data_provider: Callable[[str], bytes | None] | None = None) -> SESCheck:
    """Check an ``SES_Signature`` against the protected ``data`` and the SM2 roots.

    ``data_provider(property_info) -> bytes | None`` may supply the data instead (the
    PDF verifier uses it to cut the protected prefix). Never raises for bad input.
    """
    check = SESCheck()
    try:
        top = der.read_one(ses)
        tbs, cert, alg, value = top.children()[:4]
        version, seseal, time_info, data_hash, prop = tbs.children()[:5]
        check.time = time_info.as_time().isoformat()
        check.property_info = prop.as_str()
        signer_der = cert.as_bytes()
        signer = parse_sm2_certificate(signer_der)
        seal = parse_seseal(seseal.raw)
        when = time_info.as_time()
        if version.as_int() != SES_VERSION or alg.as_oid() != sm2.OID_SM2_SIGN_WITH_SM3:
            raise der.DerError("unsupported version or algorithm")
    except (der.DerError, ValueError, IndexError, UnicodeDecodeError) as exc:
        check.problems.append("seal.ses_malformed")
        check.property_info = check.property_info or str(exc)[:100]
        return check
    check.seal_name, check.seal_id, check.signer = seal.name, seal.seal_id, signer.common_name

    if not sm2.verify(signer.public_key_hex, value.as_bits(),
                      der.sequence(tbs.raw, cert.raw, alg.raw)):
        check.problems.append("seal.ses_signature_invalid")
    if not seal.signed_ok:
        check.problems.append("seal.ses_seal_invalid")
    if data is None and data_provider is not None:
        data = data_provider(check.property_info)
    if data is None or sm2.sm3(data) != data_hash.as_bits():
        check.problems.append("seal.ses_data_mismatch")
    maker = parse_sm2_certificate(seal.maker_cert)
    if not (_issued_by(signer, sm2_roots) and (
            _issued_by(maker, sm2_roots) or seal.maker_cert in sm2_roots)):
        check.problems.append("seal.ses_untrusted")
    if signer_der not in seal.allowed_certs:
        check.problems.append("seal.ses_signer_not_listed")
    if not (seal.valid_start <= when < seal.valid_end
            and signer.not_before <= when <= signer.not_after):
        check.problems.append("seal.ses_outside_validity")
    check.ok = not check.problems
    return check


# --------------------------------------------------------------------------- PDF glue


@dataclass(frozen=True)
class SesStamp:
    """What :func:`modules.seals.pdf.stamp.stamp_pdf` needs to add an SES_Signature."""

    seseal: bytes
    signer: SM2Signer


def pdf_property_info(prefix_length: int, field_name: str) -> str:
    return f"pdf-prefix:{prefix_length};field:{field_name}"


def pdf_prefix_length(property_info: str) -> int | None:
    for part in property_info.split(";"):
        key, _, value = part.partition(":")
        if key == "pdf-prefix" and value.isdigit():
            return int(value)
    return None


def certificate_pem(certificate_der: bytes) -> bytes:
    """PEM text of an SM2 certificate (for trust-root files beside the X.509 roots)."""
    import base64

    body = base64.encodebytes(certificate_der).replace(b"\n", b"")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"
