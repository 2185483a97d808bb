"""Verifier sentences come from the catalog; the signing library's text is only a detail."""

from __future__ import annotations

import io
import re

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign.general import CMSStructuralError

from modules.common.errors import ValidationFailed
from modules.seals.pdf import stamp as S
from modules.seals.pdf import verify as V
from modules.seals.pdf.verify import SignatureReport, VerifyReport, verify_pdf

from .conftest import NOW, make_pdf

#: ASCII words the catalog itself uses in Chinese sentences (format names).
CATALOG_TERMS = {"PDF", "CMS"}


def _ascii_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text))


def _assert_chinese_only(report: SignatureReport | VerifyReport) -> None:
    assert report.messages
    for message in report.messages:
        assert _ascii_words(message) <= CATALOG_TERMS, message


@pytest.fixture(scope="module")
def stamped(env) -> bytes:
    return S.stamp_pdf(make_pdf(), env.gov.signer, env.gov.seal, anchor=S.Rect(2, 330, 268, 160, 50),
                       reason="发文", location="某某市", signing_time=NOW)


def test_content_changed_after_signing_names_the_reason_in_chinese(env, stamped) -> None:
    w = IncrementalPdfFileWriter(io.BytesIO(stamped))
    w.add_stream_to_page(0, w.add_object(generic.StreamObject(
        stream_data=b"BT /F1 24 Tf 100 600 Td (APPENDED) Tj ET")))
    out = io.BytesIO()
    w.write(out)
    sig = verify_pdf(out.getvalue(), env.roots).signatures[0]
    assert "seal.verify_sig_modified" in sig.problems
    _assert_chinese_only(sig)
    assert any("内容被改动" in m for m in sig.messages)
    assert sig.details and _ascii_words(" ".join(sig.details)) - CATALOG_TERMS
    en = verify_pdf(out.getvalue(), env.roots, lang="en").signatures[0]
    assert any("changed" in m for m in en.messages)


def test_untrusted_and_tampered_messages_have_no_library_text(env, stamped) -> None:
    _assert_chinese_only(verify_pdf(stamped, []).signatures[0])
    i = stamped.index(b"Budget line 1: 1000")
    bad = stamped[: i + 15] + b"9" + stamped[i + 16:]
    _assert_chinese_only(verify_pdf(bad, env.roots).signatures[0])


@pytest.mark.parametrize("error", [
    CMSStructuralError("Signer info has no signed attributes"),
    PdfReadError("Could not read object 12 0 obj"),
    RuntimeError("something unexpected in the signing library"),
])
def test_unreadable_signature_is_a_catalog_sentence_with_details(
        env, stamped, monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def fail(*_a, **_k):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(V, "validate_pdf_signature", fail)
    sig = verify_pdf(stamped, env.roots).signatures[0]
    assert not sig.ok and sig.problems == ["seal.verify_sig_malformed"]
    _assert_chinese_only(sig)
    assert str(error) in sig.details[0]


def test_not_a_pdf_keeps_library_text_out_of_the_sentence(env) -> None:
    with pytest.raises(ValidationFailed) as exc:
        verify_pdf(b"%PDF-1.7\n garbage that is no PDF structure", env.roots)
    message = exc.value.message("zh_CN")
    assert _ascii_words(message) <= CATALOG_TERMS, message
    assert exc.value.params.get("details")
