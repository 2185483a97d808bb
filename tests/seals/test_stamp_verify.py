"""Stamping and verification end to end, the tamper matrix, and poppler's pdfsig."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from modules.common.errors import ValidationFailed
from modules.seals.pdf import stamp as S
from modules.seals.pdf.verify import verify_pdf

from .conftest import NOW, make_pdf

ANCHOR = S.Rect(2, 330, 268, 160, 50)  # 署名 + 成文日期 block on page 3


def _stamp(env, pdf: bytes, kit=None, **kw) -> bytes:
    kit = kit or env.gov
    args = {"anchor": ANCHOR, "reason": "发文", "location": "某某市", "signing_time": NOW} | kw
    if "box" in kw:
        args.pop("anchor")
    return S.stamp_pdf(pdf, kit.signer, kit.seal, **args)


@pytest.fixture(scope="module")
def stamped(env) -> bytes:
    return _stamp(env, make_pdf(), qr_url="https://oa.example.gov.cn/verify/abc")


@pytest.fixture(scope="module")
def joint(env, stamped) -> bytes:
    return _stamp(env, stamped, env.finance, box=(80, 380, 130, 130), page=2,
                  signing_time=NOW + dt.timedelta(minutes=2))


def _pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    res = subprocess.run([shutil.which("pdfsig") or "/usr/bin/pdfsig", str(path)],
                         capture_output=True, text=True, timeout=60, check=False)
    return res.stdout + res.stderr


def _widget_rect(data: bytes, name: str) -> list[float]:
    r = PdfFileReader(io.BytesIO(data))
    for fname, _, ref in fields.enumerate_sig_fields(r):
        if fname == name:
            return [float(v) for v in ref.get_object()["/Rect"]]
    raise AssertionError(name)


def _update(data: bytes, mutate) -> bytes:
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    mutate(w)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


# ------------------------------------------------------------------ good output


def test_stamped_document_verifies(env, stamped):
    report = verify_pdf(stamped, env.roots)
    assert report.ok
    (sig,) = report.signatures
    assert sig.signer == "某某市人民政府办公室公章" and sig.organisation == "某某市人民政府办公室"
    assert sig.intact and sig.trusted and not sig.modified_after_signing
    assert sig.coverage == "entire_file" and sig.signing_time == NOW.isoformat()
    assert sig.reason == "发文" and sig.location == "某某市"


def test_pdfsig_says_valid(stamped, tmp_path):
    out = _pdfsig(stamped, tmp_path)
    assert "Signature #1:" in out
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out
    assert "Signer Certificate Common Name: 某某市人民政府办公室公章" in out
    assert "Signature Type: ETSI.CAdES.detached" in out


def test_untrusted_root_is_reported(stamped):
    report = verify_pdf(stamped, [])
    assert not report.ok
    assert report.signatures[0].intact and not report.signatures[0].trusted
    assert "seal.verify_sig_untrusted" in report.signatures[0].problems


def test_anchor_placement_centres_seal_above_signature_block(stamped):
    x1, _y1, x2, y2 = _widget_rect(stamped, "Seal1")
    seal_d = 42 / 25.4 * 72
    # QR beside the seal (right) — the seal is the left part of the widget
    seal_cx = x1 + seal_d / 2
    seal_cy = y2 - seal_d / 2
    assert seal_cx == pytest.approx(ANCHOR.x + ANCHOR.w / 2, abs=0.05)
    assert seal_cy == pytest.approx(ANCHOR.y + ANCHOR.h + S.ANCHOR_CENTRE_LIFT, abs=0.05)
    assert x2 - x1 > seal_d + 40  # room for the QR code


def test_box_placement_centres_at_real_size_and_shrinks_to_fit(env):
    d = 42 / 25.4 * 72
    out = _stamp(env, make_pdf(1), box=(100, 100, 200, 150), page=0)
    x1, y1, x2, y2 = _widget_rect(out, "Seal1")
    assert (x2 - x1) == pytest.approx(d, abs=0.05) and (y2 - y1) == pytest.approx(d, abs=0.05)
    assert (x1 + x2) / 2 == pytest.approx(200, abs=0.05)
    assert (y1 + y2) / 2 == pytest.approx(175, abs=0.05)
    small = _stamp(env, make_pdf(1), box=(100, 100, 80, 60), page=0)
    x1, y1, x2, y2 = _widget_rect(small, "Seal1")
    assert (x2 - x1) == pytest.approx(60, abs=0.05) and (x1 + x2) / 2 == pytest.approx(140, abs=0.05)


def test_renderer_seal_square_as_box(env):
    import json
    from pathlib import Path

    from modules.documents import render

    spec = json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples"
                       / "notice.json").read_text(encoding="utf-8"))
    result = render.render_pdf(spec)
    _page, x, y, w, h = result.seal_anchor
    out = _stamp(env, result.pdf, box=S.rect_from_render_anchor(result.seal_anchor))
    x1, y1, x2, y2 = _widget_rect(out, "Seal1")
    assert ((x1 + x2) / 2, (y1 + y2) / 2) == pytest.approx((x + w / 2, y + h / 2), abs=0.05)
    assert verify_pdf(out, env.roots).ok


def test_several_seals_stay_valid(env, joint, tmp_path):
    report = verify_pdf(joint, env.roots)
    assert report.ok, report.to_dict()
    first, second = report.signatures
    assert first.modification == "signatures_added" and not first.modified_after_signing
    assert second.signer == "某某市财政局公章" and second.coverage == "entire_file"
    out = _pdfsig(joint, tmp_path)
    assert out.count("Signature Validation: Signature is Valid.") == 2


def test_third_seal_gets_a_new_field_name(env, joint):
    out = _stamp(env, joint, env.gov, box=(300, 500, 120, 120), page=0)
    report = verify_pdf(out, env.roots)
    assert [s.field_name for s in report.signatures] == ["Seal1", "Seal2", "Seal3"]
    assert report.ok


def test_riding_seal_on_every_page(env, tmp_path):
    out = _stamp(env, make_pdf(3), riding_seal=True)
    assert verify_pdf(out, env.roots).ok
    assert "Signature is Valid." in _pdfsig(out, tmp_path)
    r = PdfFileReader(io.BytesIO(out))
    for i in range(3):
        page = r.root["/Pages"]["/Kids"][i].get_object()
        assert "/RidingSeal" in page["/Resources"]["/XObject"]
    # a second seal afterwards keeps the first (riding) one valid
    joint = _stamp(env, out, env.finance, box=(80, 380, 130, 130), page=2)
    assert verify_pdf(joint, env.roots).ok


def test_riding_seal_refusals(env, stamped):
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, stamped, env.finance, riding_seal=True)
    assert exc.value.code == "seal.riding_must_be_first"
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, make_pdf(1), box=(100, 100, 150, 150), page=0, riding_seal=True)
    assert exc.value.code == "seal.riding_needs_pages"


def test_timestamp_in_process_tsa(env):
    tsa = env.authority.issue_tsa_certificate(
        key_id="tsa", not_before=NOW - dt.timedelta(days=1), not_after=NOW + dt.timedelta(days=30))
    from asn1crypto import keys
    from asn1crypto import x509 as ax
    from cryptography.hazmat.primitives import serialization

    key = env.keystore.get("tsa").private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    ts = DummyTimeStamper(
        tsa_cert=ax.Certificate.load(tsa.certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(key),
        certs_to_embed=SimpleCertificateStore.from_certs(
            [ax.Certificate.load(env.authority.root.public_bytes(serialization.Encoding.DER))]),
    )
    out = _stamp(env, make_pdf(1), box=(100, 100, 150, 150), page=0, timestamper=ts)
    report = verify_pdf(out, env.roots)
    assert report.ok
    assert report.signatures[0].timestamp_time is not None


def test_timestamp_server_unreachable_is_clear_error(env):
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, make_pdf(1), box=(100, 100, 150, 150), page=0,
               timestamper="http://127.0.0.1:9/tsa")
    assert exc.value.code == "seal.timestamp_failed"


# ------------------------------------------------------------------ bad input


def test_bad_input_refused(env):
    for data, code in ((b"hello", "seal.pdf_invalid"),
                       (b"%PDF-1.7\n garbage", "seal.pdf_invalid")):
        with pytest.raises(ValidationFailed) as exc:
            _stamp(env, data)
        assert exc.value.code == code
    pdf = make_pdf(1)
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, pdf)  # anchor on page 3 of a 1-page file
    assert exc.value.code == "seal.page_out_of_range"
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, pdf, box=(560, 800, 150, 150), page=0)
    assert exc.value.code == "seal.box_outside_page"
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, pdf, box=(100, 100, 10, 10), page=0)
    assert exc.value.code == "seal.box_too_small"
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, pdf, box=(100, 100, 150, 150), page=0,
               signing_time=dt.datetime(2026, 1, 1))
    assert exc.value.code == "seal.signing_time_naive"


def test_locked_document_refused(env):
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm

    from modules.seals.crypto.signer import PyHankoSignerAdapter

    w = IncrementalPdfFileWriter(io.BytesIO(make_pdf(1)))
    meta = signers.PdfSignatureMetadata(field_name="Author", certify=True,
                                        docmdp_permissions=MDPPerm.NO_CHANGES)
    locked = signers.PdfSigner(meta, PyHankoSignerAdapter(env.gov.signer)).sign_pdf(w)
    with pytest.raises(ValidationFailed) as exc:
        _stamp(env, locked.getvalue(), box=(100, 100, 150, 150), page=0)
    assert exc.value.code == "seal.pdf_locked"


def test_verify_refuses_non_pdf_and_reports_unsigned(env):
    with pytest.raises(ValidationFailed):
        verify_pdf(b"not a pdf", env.roots)
    report = verify_pdf(make_pdf(1), env.roots)
    assert not report.ok and report.problems == ["seal.verify_unsigned"]


# ------------------------------------------------------------------ tamper matrix


def test_tamper_byte_flip_inside_signed_range(env, stamped, tmp_path):
    i = stamped.index(b"Budget line 1: 1000")
    bad = stamped[: i + 15] + b"9" + stamped[i + 16:]
    report = verify_pdf(bad, env.roots)
    assert not report.ok and not report.signatures[0].intact
    assert "seal.verify_sig_tampered" in report.signatures[0].problems
    out = _pdfsig(bad, tmp_path)
    assert "Signature is Valid." not in out
    assert "Digest Mismatch" in out


def test_tamper_content_appended_after_signature(env, stamped):
    def add_text(w):
        stream = w.add_object(generic.StreamObject(
            stream_data=b"BT /F1 24 Tf 100 600 Td (APPENDED) Tj ET"))
        w.add_stream_to_page(0, stream)

    report = verify_pdf(_update(stamped, add_text), env.roots)
    assert not report.ok
    assert report.signatures[0].intact and report.signatures[0].modified_after_signing
    assert report.signatures[0].modification == "other"
    raw = verify_pdf(stamped + b"\n%%junk after the signature\n", env.roots)
    assert not raw.ok and "seal.verify_sig_appended" in raw.signatures[0].problems


def test_tamper_page_replaced(env, stamped):
    def replace_page(w):
        page_ref, _ = w.find_page_for_modification(1)
        page = page_ref.get_object()
        page[pdf_name("/Contents")] = w.add_object(generic.StreamObject(
            stream_data=b"BT /F1 24 Tf 100 700 Td (FORGED PAGE) Tj ET"))
        w.mark_update(page_ref)

    report = verify_pdf(_update(stamped, replace_page), env.roots)
    assert not report.ok and report.signatures[0].modified_after_signing


def test_tamper_earlier_signature_field_moved(env, joint):
    def move(w):
        for name, _, ref in fields.enumerate_sig_fields(w.prev):
            if name == "Seal1":
                widget = ref.get_object()
                x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
                widget[pdf_name("/Rect")] = generic.ArrayObject(
                    [generic.FloatObject(v) for v in (x1 - 200, y1 + 300, x2 - 200, y2 + 300)])
                w.mark_update(ref)

    report = verify_pdf(_update(joint, move), env.roots)
    assert not report.ok
    assert all(s.intact for s in report.signatures)
    assert report.signatures[0].modified_after_signing
    assert report.signatures[1].modified_after_signing


def test_personal_seal_with_personal_key(env):
    from dataclasses import replace

    from modules.seals import rules as R
    from modules.seals.crypto.signer import LocalKeySigner

    seal = replace(env.gov.seal, id="s-zhang", name="张三名章", type=R.SealType.PERSONAL)
    assert S.look_for(seal).name == "张三"  # type: ignore[union-attr]
    person = LocalKeySigner(env.keystore, "person-p-1", env.person.certificate,
                            [env.authority.root])
    out = S.stamp_pdf(make_pdf(1), person, seal, box=(400, 100, 60, 60), page=0,
                      reason="签发", location="某某市", signing_time=NOW)
    x1, _y1, x2, _y2 = _widget_rect(out, "Seal1")
    assert (x2 - x1) == pytest.approx(18 / 25.4 * 72, abs=0.05)
    report = verify_pdf(out, env.roots)
    assert report.ok and report.signatures[0].signer == "张三"


def test_contract_seal_gets_its_text_below(env):
    from dataclasses import replace

    from modules.seals import rules as R

    look = S.look_for(replace(env.finance.seal, type=R.SealType.CONTRACT))
    assert look.text_below == "合同专用章"  # type: ignore[union-attr]
