"""SM2/SM3 and the GB/T 38540 structures, standalone and inside a stamped PDF."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass

import pytest

from modules.seals import cli
from modules.seals.crypto import der, sm2
from modules.seals.crypto import ses as SES
from modules.seals.pdf import image as I
from modules.seals.pdf import stamp as S
from modules.seals.pdf.verify import verify_pdf

from .conftest import NOW, make_pdf

ANCHOR = S.Rect(2, 330, 268, 160, 50)
DAY = dt.timedelta(days=1)


@dataclass
class SM2Kit:
    root: SES.SM2Identity
    seal_id: SES.SM2Identity
    seseal: bytes
    stamp: SES.SesStamp


@pytest.fixture(scope="module")
def kit(env) -> SM2Kit:
    ks = env.keystore
    root = SES.create_sm2_root("协同办公SM2根证书", keystore=ks, key_id="sm2-root",
                               now=NOW - 2 * DAY)
    ident = SES.issue_sm2_certificate(
        root, keystore=ks, key_id="sm2-gov", common_name="某某市人民政府办公室公章",
        organisation="某某市人民政府办公室", not_before=NOW - DAY, not_after=NOW + 300 * DAY)
    seseal = SES.make_seseal(
        seal_id="s-gov", name="某某市人民政府办公室公章", personal=False,
        allowed_certs=[ident.certificate_der],
        picture_png=I.seal_png(I.OfficialSealLook("某某市人民政府办公室"), dpi=72),
        width_mm=42, height_mm=42, created=NOW - DAY, valid_start=NOW - DAY,
        valid_end=NOW + 300 * DAY, maker=root.signer(ks))
    return SM2Kit(root, ident, seseal, SES.SesStamp(seseal, ident.signer(ks)))


def test_sm3_known_answer():
    assert sm2.sm3(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")


def test_der_roundtrip():
    data = der.sequence(der.integer(0), der.integer(2**70), der.oid("1.2.156.10197.1.501"),
                        der.utf8("印章"), der.bit_string(b"\x01\x02"),
                        der.generalized_time(dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)),
                        der.octet_string(b"x" * 300))
    items = der.read_one(data).children()
    assert items[0].as_int() == 0 and items[1].as_int() == 2**70
    assert items[2].as_oid() == "1.2.156.10197.1.501" and items[3].as_str() == "印章"
    assert items[4].as_bits() == b"\x01\x02" and items[6].as_bytes() == b"x" * 300
    assert items[5].as_time() == dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
    for bad in (data[:-1], data + b"\x00", b"\x30"):
        with pytest.raises(der.DerError):
            der.read_one(bad).children()


def test_sm2_sign_verify_and_tamper():
    d, q = sm2.generate_keypair()
    sig = sm2.sign(d, q, b"message")
    assert sm2.verify(q, sig, b"message")
    assert not sm2.verify(q, sig, b"messagE")
    assert not sm2.verify(sm2.generate_keypair()[1], sig, b"message")
    assert not sm2.verify(q, b"\x30\x00", b"message")


def test_sm2_interoperates_with_openssl(tmp_path):
    openssl = shutil.which("openssl")
    assert openssl, "openssl is part of the base system"
    d, q = sm2.generate_keypair()
    spki = der.sequence(der.sequence(der.oid(sm2.OID_EC_PUBLIC_KEY), der.oid(sm2.OID_SM2_CURVE)),
                        der.bit_string(sm2.point_from_public_key(q)))
    (tmp_path / "pub.pem").write_text(
        "-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki).decode()
        + "-----END PUBLIC KEY-----\n")
    (tmp_path / "msg").write_bytes("国密签章互通".encode())
    (tmp_path / "sig").write_bytes(sm2.sign(d, q, "国密签章互通".encode()))
    res = subprocess.run(
        [openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-in", "msg",
         "-sigfile", "sig", "-rawin", "-digest", "sm3",
         "-pkeyopt", "distid:1234567812345678"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert "Signature Verified Successfully" in res.stdout, res.stdout + res.stderr


def test_sm2_certificates(kit):
    root = SES.parse_sm2_certificate(kit.root.certificate_der)
    leaf = SES.parse_sm2_certificate(kit.seal_id.certificate_der)
    assert root.is_ca and not leaf.is_ca
    assert leaf.common_name == "某某市人民政府办公室公章" and leaf.organisation == "某某市人民政府办公室"
    assert leaf.issuer == root.subject
    assert sm2.verify(root.public_key_hex, leaf.signature, leaf.tbs)
    assert SES.is_sm2_certificate(kit.root.certificate_der)
    assert not SES.is_sm2_certificate(b"junk")


def test_seseal_parses_and_is_signed(kit):
    info = SES.parse_seseal(kit.seseal)
    assert info.signed_ok and info.name == "某某市人民政府办公室公章" and info.type == 1
    assert info.picture_type == "PNG" and info.picture.startswith(b"\x89PNG")
    assert info.allowed_certs == [kit.seal_id.certificate_der]


def test_ses_signature_checks(env, kit):
    data = b"%PDF-1.7 document bytes"
    ses = SES.make_ses_signature(seseal=kit.seseal, signer=kit.stamp.signer, data=data,
                                 time=NOW, property_info="test")
    roots = [kit.root.certificate_der]
    assert SES.verify_ses_signature(ses, data, sm2_roots=roots).ok
    assert SES.verify_ses_signature(ses, data + b"x", sm2_roots=roots).problems == [
        "seal.ses_data_mismatch"]
    assert "seal.ses_untrusted" in SES.verify_ses_signature(ses, data, sm2_roots=[]).problems
    flipped = bytearray(ses)
    flipped[len(flipped) // 2] ^= 0x01
    assert not SES.verify_ses_signature(bytes(flipped), data, sm2_roots=roots).ok
    assert SES.verify_ses_signature(b"junk", data, sm2_roots=roots).problems == [
        "seal.ses_malformed"]
    # a key that is not in the seal's list, and a time outside the seal's validity
    other = SES.issue_sm2_certificate(
        kit.root, keystore=env.keystore, key_id="sm2-other", common_name="别的印章",
        organisation="别的单位", not_before=NOW - DAY, not_after=NOW + DAY)
    ses2 = SES.make_ses_signature(seseal=kit.seseal, signer=other.signer(env.keystore),
                                  data=data, time=NOW + 400 * DAY, property_info="t")
    problems = SES.verify_ses_signature(ses2, data, sm2_roots=roots).problems
    assert "seal.ses_signer_not_listed" in problems
    assert "seal.ses_outside_validity" in problems


def test_pdf_with_ses_beside_pades(env, kit, tmp_path):
    out = S.stamp_pdf(make_pdf(), env.gov.signer, env.gov.seal, anchor=ANCHOR, reason="发文",
                      location="某某市", signing_time=NOW, ses=kit.stamp)
    roots = [kit.root.certificate_der]
    report = verify_pdf(out, env.roots, sm2_roots=roots)
    assert report.ok
    sm = report.signatures[0].sm2
    assert sm is not None and sm["ok"] and sm["seal_name"] == "某某市人民政府办公室公章"
    # without the SM2 root the SM2 part (and so the signature) is not trusted
    assert "seal.ses_untrusted" in verify_pdf(out, env.roots).signatures[0].problems
    # a second (PAdES-only) seal keeps both parts of the first valid
    joint = S.stamp_pdf(out, env.finance.signer, env.finance.seal, box=(80, 380, 130, 130),
                        page=2, reason="会签", location="某某市", signing_time=NOW)
    assert verify_pdf(joint, env.roots, sm2_roots=roots).ok
    # poppler still sees a valid PAdES signature
    path = tmp_path / "ses.pdf"
    path.write_bytes(joint)
    res = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60,
                         check=False)
    assert res.stdout.count("Signature is Valid.") == 2
    # the CLI reads the SM2 root from the same PEM bundle as the X.509 root
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(env.authority.root_pem + SES.certificate_pem(kit.root.certificate_der))
    assert cli.verify_command(str(path), False, [str(bundle)]) == 0


def test_pdf_ses_detects_prefix_tamper(env, kit):
    out = S.stamp_pdf(make_pdf(), env.gov.signer, env.gov.seal, anchor=ANCHOR, reason="发文",
                      location="某某市", signing_time=NOW, ses=kit.stamp)
    i = out.index(b"Budget line 1: 1000")
    bad = out[: i + 15] + b"9" + out[i + 16:]
    report = verify_pdf(bad, env.roots, sm2_roots=[kit.root.certificate_der])
    sig = report.signatures[0]
    assert not sig.ok and not sig.intact
    assert sig.sm2 is not None and "seal.ses_data_mismatch" in sig.sm2["problems"]
