"""Shared fixtures: one seal authority per test session (RSA 3072 keygen is slow)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from modules.seals import rules as R
from modules.seals.crypto import authority as A
from modules.seals.crypto.signer import LocalKeySigner
from modules.seals.pdf import image as I

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
YEAR = dt.timedelta(days=365)


@dataclass
class SealKit:
    seal: R.Seal
    signer: LocalKeySigner


@dataclass
class Env:
    keystore: A.KeyStore
    authority: A.SealAuthority
    gov: SealKit
    finance: SealKit
    person: LocalKeySigner

    @property
    def roots(self):
        return [self.authority.root]


def make_seal(authority: A.SealAuthority, *, seal_id: str, body: str,
              type_: R.SealType = R.SealType.OFFICIAL, text_below: str = "") -> SealKit:
    name = body + ("合同专用章" if type_ == R.SealType.CONTRACT else "公章")
    issued = authority.issue_seal_certificate(
        seal_id=seal_id, seal_name=name, body_name=body, key_id=f"seal-{seal_id}",
        not_before=NOW - dt.timedelta(days=1), not_after=NOW + YEAR)
    seal = R.new_seal(
        seal_id=seal_id, name=name, type=type_, body_id=f"body-{seal_id}", body_name=body,
        custodians={"custodian"}, requesters={"clerk"}, approvers={"leader"},
        valid_from=NOW - dt.timedelta(days=1), valid_to=NOW + YEAR, text_below=text_below,
        key_id=issued.key_id)
    return SealKit(seal, LocalKeySigner(authority.keystore, issued.key_id,
                                        issued.certificate, [authority.root]))


@pytest.fixture(scope="session")
def env() -> Env:
    ks = A.KeyStore(A.MemoryStorage(), bytes(range(32)))
    ca = A.SealAuthority.create("协同办公测试印章根证书", keystore=ks,
                                now=NOW - dt.timedelta(days=2))
    gov = make_seal(ca, seal_id="s-gov", body="某某市人民政府办公室")
    fin = make_seal(ca, seal_id="s-fin", body="某某市财政局")
    p = ca.issue_person_certificate(person_id="p-1", person_name="张三", body_name="某某市财政局",
                                    key_id="person-p-1", not_before=NOW - dt.timedelta(days=1),
                                    not_after=NOW + YEAR)
    return Env(ks, ca, gov, fin, LocalKeySigner(ks, p.key_id, p.certificate, [ca.root]))


def make_pdf(pages: int = 3, *, compress: bool = False) -> bytes:
    """A plain A4 document; the last page has a 署名/date block at x 330..490, y 268..318."""
    I._ensure_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1 if compress else 0)
    for p in range(pages):
        c.setFont(I.FONT_NAME, 16)
        c.drawString(80, 750, f"测试文件 第{p + 1}页")
        c.setFont("Helvetica", 12)
        c.drawString(80, 700, f"Budget line {p + 1}: 1000 yuan")
        if p == pages - 1:
            c.setFont(I.FONT_NAME, 16)
            c.drawRightString(480, 300, "某某市人民政府办公室")
            c.drawRightString(470, 272, "2026年11月22日")
        c.showPage()
    c.save()
    return buf.getvalue()
