"""Regenerate the signed sample PDFs and seal pictures in docs/examples/.

    .venv/bin/python scripts/make_seal_samples.py

Writes:

* ``sealed-official-document.pdf`` — a two-page 公文 stamped with one official seal
  above its 署名/成文日期, a verification QR code, and a 骑缝章 across both pages;
* ``sealed-joint-document.pdf`` — a joint document (联合行文) with two seals applied as
  two incremental updates (both stay valid);
* ``seal-official.png``, ``seal-contract.png``, ``seal-personal.png`` — seal pictures;
* ``seal-authority-root.pem`` — the sample authority's root certificate, to verify them:
  ``python -m modules.seals.cli docs/examples/sealed-joint-document.pdf
  --trust-root docs/examples/seal-authority-root.pem``.

Each run makes a new throw-away authority and keys (held in memory only). The official
document is docs/examples/multipage.json rendered by the GB/T 9704 renderer
(``modules.documents.render.render_pdf``), stamped in the seal square it reports; without
the renderer, a simple ReportLab document drawn here. The joint document (the renderer
has no 联合行文 layout yet) is always drawn here, with one 署名 anchor per body.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from modules.seals import rules as R  # noqa: E402
from modules.seals.crypto import authority as A  # noqa: E402
from modules.seals.crypto.signer import LocalKeySigner  # noqa: E402
from modules.seals.pdf import image as I  # noqa: E402
from modules.seals.pdf.stamp import Rect, rect_from_render_anchor, stamp_pdf  # noqa: E402
from modules.seals.pdf.verify import verify_pdf  # noqa: E402

OUT = ROOT / "docs" / "examples"
VERIFY_URL = "https://oa.example.gov.cn/verify/"

BODY = (
    "为进一步做好本市政务服务工作，提升办事效率，经研究，现就有关事项通知如下。",
    "一、各单位要高度重视，明确责任分工，确保各项工作按时完成。",
    "二、各单位应于每月月底前报送工作进展情况，遇有重大问题及时报告。",
    "三、本通知自印发之日起施行。",
)


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)]


def simple_document(bodies: list[str], date: str, pages: int = 2) -> tuple[bytes, list[Rect]]:
    """A plain 公文-like PDF; returns it and one anchor per issuing body (署名+日期)."""
    font = I._ensure_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    w, h = A4
    left, right = 28 * mm, w - 26 * mm
    for p in range(pages):
        if p == 0:
            c.setFillColorRGB(0.86, 0.07, 0.09)
            head = "　".join(bodies) + "文件"
            c.setFont(font, min(30, (right - left) / len(head)))
            c.drawCentredString(w / 2, h - 62 * mm, head)
            c.setStrokeColorRGB(0.86, 0.07, 0.09)
            c.setLineWidth(1.2)
            c.line(left, h - 80 * mm, right, h - 80 * mm)
            c.setFillColorRGB(0, 0, 0)
            c.setFont(font, 16)
            c.drawCentredString(w / 2, h - 74 * mm, "某府办发〔2026〕12号")
            c.setFont(font, 22)
            c.drawCentredString(w / 2, h - 96 * mm, "关于进一步做好政务服务工作的通知")
            y = h - 115 * mm
        else:
            y = h - 37 * mm
        c.setFont(font, 16)
        for para in BODY if p == 0 else BODY[1:]:
            for i, line in enumerate(_wrap(para, 27)):
                c.drawString(left + (32 if i == 0 else 0), y, line)
                y -= 28.9
        c.setFont(font, 14)
        c.drawCentredString(w / 2, 16 * mm, f"— {p + 1} —")
        if p == pages - 1:
            anchors = []
            y_sig = y - 70
            if len(bodies) == 1:
                c.setFont(font, 16)
                c.drawRightString(right - 4 * 16, y_sig, bodies[0])
                c.drawRightString(right - 4 * 16 + 8, y_sig - 28, date)
                bw = c.stringWidth(bodies[0], font, 16)
                anchors.append(Rect(p, right - 64 - bw, y_sig - 34, bw + 8, 52))
            else:
                # 联合行文: the bodies side by side, one date centred under them
                col = (right - left) / len(bodies)
                for i, body in enumerate(bodies):
                    cx = left + col * (i + 0.5)
                    c.setFont(font, 16)
                    c.drawCentredString(cx, y_sig, body)
                    bw = c.stringWidth(body, font, 16)
                    anchors.append(Rect(p, cx - bw / 2, y_sig - 34, bw, 52))
                c.drawCentredString(left + (right - left) * 0.75, y_sig - 28, date)
        c.showPage()
    c.save()
    return buf.getvalue(), anchors


def rendered_document() -> tuple[bytes, Rect, str] | None:
    """The multi-page example from the GB/T 9704 renderer, with the seal square it
    reports (``RenderResult.seal_anchor``), when the renderer is available."""
    try:
        from modules.documents.render import render_pdf
    except ImportError:
        return None
    spec_path = OUT / "multipage.json"
    if not spec_path.is_file():
        return None
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    result = render_pdf(spec)
    if result.seal_anchor is None:
        return None
    print(f"using {spec_path.name} rendered by modules.documents.render")
    return result.pdf, rect_from_render_anchor(result.seal_anchor), str(spec["signature"])


def main() -> int:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    year = dt.timedelta(days=365)
    ks = A.KeyStore(A.MemoryStorage(), secrets.token_bytes(32))
    ca = A.SealAuthority.create("协同办公示例印章根证书", keystore=ks, now=now)

    def kit(seal_id: str, body: str, type_: R.SealType = R.SealType.OFFICIAL):
        name = body + ("合同专用章" if type_ == R.SealType.CONTRACT else "公章")
        issued = ca.issue_seal_certificate(seal_id=seal_id, seal_name=name, body_name=body,
                                           key_id=seal_id, not_before=now,
                                           not_after=now + year)
        seal = R.new_seal(seal_id=seal_id, name=name, type=type_, body_id=seal_id,
                          body_name=body, custodians={"custodian"}, requesters={"clerk"},
                          valid_from=now, valid_to=now + year, key_id=seal_id)
        return seal, LocalKeySigner(ks, seal_id, issued.certificate, [ca.root])

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "seal-authority-root.pem").write_bytes(ca.root_pem)
    (OUT / "seal-official.png").write_bytes(
        I.seal_png(I.OfficialSealLook("某某市人民政府办公室"), dpi=200))
    (OUT / "seal-contract.png").write_bytes(
        I.seal_png(I.OfficialSealLook("某某市财政局", "合同专用章", 40.0), dpi=200))
    (OUT / "seal-personal.png").write_bytes(I.seal_png(I.PersonalSealLook("张三"), dpi=200))

    gov, gov_signer = kit("seal-gov", "某某市人民政府办公室")
    fin, fin_signer = kit("seal-fin", "某某市财政局")
    date = "2026年11月22日"

    rendered = rendered_document()
    if rendered is not None:
        doc, square, issuer = rendered
        placement: dict[str, Any] = {"box": square}
        issuer_seal, issuer_signer = kit("seal-issuer", issuer)
    else:
        doc, anchors = simple_document(["某某市人民政府办公室"], date)
        placement = {"anchor": anchors[0]}
        issuer_seal, issuer_signer = gov, gov_signer
    official = stamp_pdf(doc, issuer_signer, issuer_seal, reason="印发公文", location="某某市",
                         signing_time=now, qr_url=VERIFY_URL + "sample-official",
                         riding_seal=True, **placement)
    (OUT / "sealed-official-document.pdf").write_bytes(official)

    doc, anchors = simple_document(["某某市人民政府办公室", "某某市财政局"], date)
    joint = stamp_pdf(doc, gov_signer, gov, anchor=anchors[0], reason="联合印发",
                      location="某某市", signing_time=now)
    joint = stamp_pdf(joint, fin_signer, fin, anchor=anchors[1], reason="联合印发",
                      location="某某市", signing_time=now + dt.timedelta(minutes=5),
                      qr_url=VERIFY_URL + "sample-joint")
    (OUT / "sealed-joint-document.pdf").write_bytes(joint)

    for name, data in (("sealed-official-document.pdf", official),
                       ("sealed-joint-document.pdf", joint)):
        report = verify_pdf(data, [ca.root])
        print(f"{name}: {len(report.signatures)} signature(s), ok={report.ok}")
        if not report.ok:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
