"""Verification of stamped PDFs (验章): integrity, trust, and changes after signing.

:func:`verify_pdf` reads every signature in a PDF (in the order they were applied) and
reports, for each: who signed (seal or person, owning body), the claimed signing time
and the RFC 3161 time-stamp time if any, whether the signed bytes are intact and the
cryptographic signature valid, whether the certificate chains to one of ``trust_roots``
(our seal authority's root), how much of the file the signature covers, and whether the
document was changed after signing in a way the signature does not allow (pyHanko's
difference analysis between revisions: adding later seals is allowed, changing page
content is not).

A report is ``ok`` only when the file has at least one signature and every signature is
intact, valid, trusted and unmodified beyond later signatures; the last signature must
cover the whole file (no bytes appended after it).

Reads untrusted input: any failure to parse a signature is reported on that signature
(``intact = False`` with the reason), never raised. CPU-bound; call off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from modules.common.errors import ValidationFailed
from modules.common.messages import register

register(
    {
        "seal.verify_not_pdf": {
            "zh_CN": "文件不是有效的 PDF，无法读取其结构。",
            "en": "The file is not a valid PDF; its structure cannot be read.",
        },
        "seal.verify_unsigned": {
            "zh_CN": "文件中没有电子印章或数字签名。",
            "en": "The file contains no electronic seal or digital signature.",
        },
        "seal.verify_sig_tampered": {
            "zh_CN": "签名所覆盖的内容已被篡改（完整性校验失败）。",
            "en": "The signed content was altered (integrity check failed).",
        },
        "seal.verify_sig_untrusted": {
            "zh_CN": "签章证书不是由受信任的印章机构签发的。",
            "en": "The signing certificate was not issued by a trusted seal authority.",
        },
        "seal.verify_sig_modified": {
            "zh_CN": "签章后文件被修改（{reason}）。",
            "en": "The document was modified after signing ({reason}).",
        },
        "seal.verify_sig_appended": {
            "zh_CN": "最后一个签章之后文件末尾还有未签名的内容。",
            "en": "Unsigned data follows the last signature.",
        },
        "seal.verify_sig_malformed": {
            "zh_CN": "签名数据无法解析：{reason}。",
            "en": "The signature data cannot be read: {reason}.",
        },
        "seal.verify_timestamp_invalid": {
            "zh_CN": "时间戳无效或不受信任。",
            "en": "The time stamp is invalid or not trusted.",
        },
        # Reasons: catalog phrases for the failure classes the signing library reports.
        "seal.reason_content_changed": {
            "zh_CN": "页面、表单或批注等内容被改动",
            "en": "pages, form fields or annotations were changed",
        },
        "seal.reason_not_permitted": {
            "zh_CN": "改动超出了签章允许的范围",
            "en": "the changes go beyond what the signature permits",
        },
        "seal.reason_partial_coverage": {
            "zh_CN": "签名只覆盖了文件的一部分",
            "en": "the signature covers only part of the file",
        },
        "seal.reason_sig_structure": {
            "zh_CN": "签名字典或文件结构已损坏",
            "en": "the signature dictionary or file structure is damaged",
        },
        "seal.reason_sig_cms": {
            "zh_CN": "签名数据（CMS）格式错误",
            "en": "the signature data (CMS) is malformed",
        },
        "seal.reason_sig_certificate": {
            "zh_CN": "签章证书无法识别或不适用于签章",
            "en": "the signing certificate cannot be read or is not fit for signing",
        },
        "seal.reason_sig_unknown": {
            "zh_CN": "签名格式无法识别",
            "en": "the signature format is not recognised",
        },
        "seal.technical_details": {
            "zh_CN": "技术细节：{details}",
            "en": "Technical details: {details}",
        },
    }
)


# pyHanko logs each untrusted chain as a warning with a traceback; the report already
# says it in words. Without this, Python's last-resort handler would print them.
logging.getLogger("pyhanko").addHandler(logging.NullHandler())
logging.getLogger("pyhanko_certvalidator").addHandler(logging.NullHandler())


@dataclass
class SignatureReport:
    """What one signature says and whether it holds."""

    field_name: str
    signer: str = ""  # certificate CN: the seal's or the person's name
    organisation: str = ""  # certificate O: the owning body
    seal_name: str = ""  # /Name in the signature dictionary
    reason: str = ""
    location: str = ""
    signing_time: str | None = None  # claimed (/M), ISO 8601
    timestamp_time: str | None = None  # RFC 3161 token time, when present
    intact: bool = False  # signed bytes unchanged and signature mathematically valid
    trusted: bool = False  # certificate chains to a trust root
    coverage: str = "unknown"  # entire_file | entire_revision | partial
    modification: str = "unknown"  # none | signatures_added | form_filling | other
    modified_after_signing: bool = True  # changes beyond later signatures
    ok: bool = False
    problems: list[str] = field(default_factory=list)  # message codes
    messages: list[str] = field(default_factory=list)  # rendered, in the report language
    #: The signing library's own (English) text behind a problem, for 技术细节 only.
    details: list[str] = field(default_factory=list)
    sm2: dict[str, Any] | None = None  # GB/T 38540 SES_Signature check, when present


@dataclass
class VerifyReport:
    """All signatures of one file."""

    signatures: list[SignatureReport]
    ok: bool
    sha256: str
    problems: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds") if moment else None


def _name_attr(cert: asn1_x509.Certificate, attr: str) -> str:
    try:
        return str(cert.subject.native.get(attr, "") or "")
    except (ValueError, TypeError):
        return ""


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _coverage_name(level: SignatureCoverageLevel | None) -> str:
    return {
        SignatureCoverageLevel.ENTIRE_FILE: "entire_file",
        SignatureCoverageLevel.ENTIRE_REVISION: "entire_revision",
    }.get(level, "partial")  # type: ignore[arg-type]


def _modification_name(level: ModificationLevel | None) -> str:
    if level is None:
        return "unknown"
    return {
        ModificationLevel.NONE: "none",
        ModificationLevel.LTA_UPDATES: "signatures_added",
        ModificationLevel.FORM_FILLING: "signatures_added",
    }.get(level, "other")


def _problem(report: SignatureReport | VerifyReport, code: str, lang: str,
             reason: str | None = None, detail: str = "") -> None:
    """Record ``code``; ``reason`` is the catalog code of the phrase filling the
    sentence's ``{reason}``; ``detail`` (library text) goes to ``details`` only."""
    from modules.common.messages import render

    report.problems.append(code)
    params = {"reason": render(reason, lang)} if reason else {}
    report.messages.append(render(code, lang, params))
    if detail:
        report.details.append(detail)


def _malformed_reason(exc: BaseException) -> str:
    """Catalog phrase for an exception raised while reading a signature."""
    from pyhanko.sign.general import (
        CMSExtractionError,
        CMSStructuralError,
        UnacceptableSignerError,
    )

    if isinstance(exc, UnacceptableSignerError):
        return "seal.reason_sig_certificate"
    if isinstance(exc, CMSExtractionError | CMSStructuralError):
        return "seal.reason_sig_cms"
    if isinstance(exc, PdfError):
        return "seal.reason_sig_structure"
    module = type(exc).__module__ or ""
    if module.startswith(("asn1crypto", "cryptography", "pyhanko_certvalidator")):
        return "seal.reason_sig_cms"
    if isinstance(exc, KeyError | IndexError | AttributeError | TypeError):
        return "seal.reason_sig_structure"
    return "seal.reason_sig_unknown"


def _modified_reason(status: Any) -> str:
    """Catalog phrase for why a signature does not cover the file as it is now."""
    from pyhanko.sign.diff_analysis import SuspiciousModification

    diff = status.diff_result
    if isinstance(diff, SuspiciousModification):
        return "seal.reason_content_changed"
    if diff is not None and not status.docmdp_ok:
        return "seal.reason_not_permitted"
    if diff is not None:
        return "seal.reason_content_changed"
    return "seal.reason_partial_coverage"


def _check_ses(sig: EmbeddedPdfSignature, data: bytes,
               sm2_roots: list[bytes]) -> dict[str, Any] | None:
    from modules.seals.crypto import ses as S
    from modules.seals.pdf.stamp import SES_KEY

    try:
        stream = sig.sig_field.get(SES_KEY)
    except (AttributeError, KeyError):
        return None
    if stream is None:
        return None
    try:
        ses_der = stream.get_object().data
    except (AttributeError, PdfError, ValueError) as exc:
        return {"ok": False, "problems": ["seal.ses_malformed"], "detail": str(exc)[:100]}
    signed_end = int(sig.byte_range[2])  # the PAdES signature starts after this revision

    def prefix(property_info: str) -> bytes | None:
        n = S.pdf_prefix_length(property_info)
        if n is None or n > signed_end or f"field:{sig.field_name}" not in property_info:
            return None
        return data[:n]

    check = S.verify_ses_signature(ses_der, None, sm2_roots=sm2_roots, data_provider=prefix)
    return asdict(check)


def verify_pdf(data: bytes, trust_roots: list[x509.Certificate], *,
               lang: str = "zh_CN", moment: dt.datetime | None = None,
               sm2_roots: list[bytes] | None = None) -> VerifyReport:
    """Verify every signature in ``data`` against ``trust_roots``.

    A signature that also carries a GB/T 38540 ``SES_Signature`` (SM2) gets it checked
    against ``sm2_roots`` (DER SM2 root certificates); its result is in ``sm2`` and
    counts towards ``ok``.

    Raises ``ValidationFailed("seal.verify_not_pdf")`` (library text in its ``details``
    param) only when the bytes are not a readable PDF; everything about the signatures
    is in the report, the library's own text in ``details``. ``moment`` is the
    validation time for certificates (default: now).
    """
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise ValidationFailed("seal.verify_not_pdf", details="no %PDF header")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise ValidationFailed("seal.verify_not_pdf",
                               details=f"{type(exc).__name__}: {str(exc)[:200]}") from exc

    report = VerifyReport(signatures=[], ok=False, sha256=digest)
    if not embedded:
        _problem(report, "seal.verify_unsigned", lang)
        return report

    roots = [_to_asn1(c) for c in trust_roots]
    for index, sig in enumerate(embedded):
        item = SignatureReport(field_name=str(sig.field_name))
        obj = sig.sig_object
        item.seal_name = str(obj.get("/Name", "") or "")
        item.reason = str(obj.get("/Reason", "") or "")
        item.location = str(obj.get("/Location", "") or "")
        try:
            item.signing_time = _iso(sig.self_reported_timestamp)
            cert = sig.signer_cert
            item.signer = _name_attr(cert, "common_name")
            item.organisation = _name_attr(cert, "organization_name")
            vc = ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)
            status = validate_pdf_signature(sig, vc)
        except Exception as exc:  # untrusted input: any parse failure means "not intact"
            _problem(item, "seal.verify_sig_malformed", lang, reason=_malformed_reason(exc),
                     detail=f"{type(exc).__name__}: {str(exc)[:160]}")
            report.signatures.append(item)
            continue

        item.intact = bool(status.intact and status.valid)
        item.trusted = bool(status.trusted)
        item.coverage = _coverage_name(status.coverage)
        level = status.modification_level
        item.modification = _modification_name(level)
        item.modified_after_signing = not (
            status.coverage == SignatureCoverageLevel.ENTIRE_FILE
            or (level is not None and level <= ModificationLevel.FORM_FILLING
                and status.docmdp_ok)
        )
        ts = status.timestamp_validity
        ts_ok = True
        if ts is not None:
            item.timestamp_time = _iso(ts.timestamp)
            ts_ok = bool(ts.intact and ts.valid and ts.trusted)

        if not item.intact:
            _problem(item, "seal.verify_sig_tampered", lang)
        if item.intact and not item.trusted:
            _problem(item, "seal.verify_sig_untrusted", lang)
        if item.modified_after_signing:
            detail = str(status.diff_result) if status.diff_result is not None else item.coverage
            _problem(item, "seal.verify_sig_modified", lang, reason=_modified_reason(status),
                     detail=detail[:200])
        if not ts_ok:
            _problem(item, "seal.verify_timestamp_invalid", lang)
        is_last = index == len(embedded) - 1
        if is_last and status.coverage != SignatureCoverageLevel.ENTIRE_FILE \
                and not item.modified_after_signing:
            # later bytes that are not a signature: still a change after the last seal
            item.modified_after_signing = True
            _problem(item, "seal.verify_sig_appended", lang)
        item.sm2 = _check_ses(sig, data, list(sm2_roots or []))
        sm2_ok = item.sm2 is None or bool(item.sm2["ok"])
        if item.sm2 is not None:
            for code in item.sm2["problems"]:
                _problem(item, code, lang)
        item.ok = (item.intact and item.trusted and ts_ok and sm2_ok
                   and not item.modified_after_signing)
        report.signatures.append(item)

    report.ok = all(s.ok for s in report.signatures)
    return report
