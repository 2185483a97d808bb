"""Regenerate the archive sample and the 办文单 samples in docs/examples/.

    .venv/bin/python scripts/make_archive_sample.py

Writes:

* ``form-incoming.pdf`` — 收文处理笺 of an incoming 通知 with 拟办意见, a leader's 批示
  with handwriting (ink strokes), 承办结果 from two units and 传阅;
* ``form-outgoing.pdf`` — 发文稿纸 of an outgoing 通知 (核稿, 会签, 签发 with ink);
* ``archive-sample.zip`` — the archive package (归档) of that outgoing document
  (docs/examples/multipage.json): docs/examples/sealed-official-document.pdf as the
  stamped 正文, the registered unsealed rendering as another version, an attachment
  (起草说明), the 办文单,
  metadata.json / metadata.xml and manifest.json, verified at archiving time against
  docs/examples/seal-authority-root.pem, and ``manifest.sig`` signed by a throw-away
  sample archive authority (its key is held in memory only);
* ``archive-authority-root.pem`` — that archive authority's root;
* ``archive-trust-roots.pem`` — both roots, the outside trust roots that verify the
  sample (in production one seal-authority root certifies both seals and archive key).

Check it with ``python main.py archive verify docs/examples/archive-sample.zip
--trust-root docs/examples/archive-trust-roots.pem``. Output is byte-identical for the
same inputs and signer (fixed times, invariant PDFs, deterministic signatures).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLES = ROOT / "docs" / "examples"
CST = dt.timezone(dt.timedelta(hours=8))


def signature_ink(seed: int = 0) -> list[list[dict[str, float]]]:
    """A flowing hand-written sign-off (three strokes) in a normalised box."""
    strokes: list[list[dict[str, float]]] = []
    # a looping 草书-like name
    pts = []
    for i in range(90):
        t = i / 89
        x = 0.08 + 0.42 * t
        y = 0.5 - 0.28 * math.sin(2 * math.pi * (1.6 * t + 0.05 * seed)) * (1 - 0.4 * t)
        x += 0.05 * math.cos(6 * math.pi * t)
        p = 0.35 + 0.5 * math.sin(math.pi * t)
        pts.append({"x": round(x, 4), "y": round(y, 4), "pressure": round(p, 3)})
    strokes.append(pts)
    pts = []
    for i in range(60):
        t = i / 59
        x = 0.52 + 0.3 * t
        y = 0.35 + 0.3 * math.sin(3 * math.pi * t) * math.exp(-t)
        pts.append({"x": round(x, 4), "y": round(y, 4), "pressure": round(0.8 - 0.6 * t, 3)})
    strokes.append(pts)
    # the long tail stroke, light at the end
    pts = []
    for i in range(40):
        t = i / 39
        pts.append({"x": round(0.15 + 0.78 * t, 4), "y": round(0.8 - 0.1 * t * t, 4),
                    "pressure": round(0.9 * (1 - t) + 0.05, 3)})
    strokes.append(pts)
    return strokes


def _actor(pid: str, name: str, post: str) -> dict[str, str]:
    return {"id": pid, "name": name, "post": post}


def _z(day: int, hour: int, minute: int) -> str:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


CLERK = _actor("p-clerk", "陈敏", "办公室文书")
DIRECTOR = _actor("p-dir", "李建国", "办公室主任")
LEADER = _actor("p-lead", "王志强", "局长")
DEPUTY = _actor("p-dep", "赵丽", "副局长")
UNIT1 = _actor("p-u1", "周涛", "数据资源处处长")
UNIT2 = _actor("p-u2", "吴芳", "政务服务处处长")
DRAFTER = _actor("p-draft", "张伟", "数据资源处科员")


def sample_incoming() -> dict[str, Any]:
    """A finished incoming 通知 with every kind of opinion (收文)."""
    ops = [
        {"id": "op-1", "step": "screen", "step_name": "初审", "kind": "意见",
         "text": "来文符合行文规则，请拟办。", "person": CLERK, "at": _z(16, 1, 20)},
        {"id": "op-2", "step": "propose", "step_name": "拟办", "kind": "意见",
         "text": "拟请王局长阅示，由数据资源处牵头、政务服务处配合办理，11月30日前报送自查报告。",
         "person": DIRECTOR, "at": _z(16, 2, 5)},
        {"id": "op-3", "step": "instruct", "step_name": "批办", "kind": "批示",
         "text": "同意。请数据资源处牵头抓紧落实，按时报送，并抄送赵丽同志阅。",
         "person": LEADER, "at": _z(16, 7, 42), "ink": signature_ink()},
        {"id": "op-4", "step": "handle", "step_name": "承办", "kind": "意见",
         "text": "已完成自查，自查报告已于11月27日报送省局。", "person": UNIT1, "at": _z(27, 8, 0)},
        {"id": "op-5", "step": "handle", "step_name": "承办", "kind": "意见",
         "text": "已配合完成政务服务事项数据核对。", "person": UNIT2, "at": _z(26, 6, 30)},
        {"id": "op-6", "step": "circulate", "step_name": "传阅", "kind": "意见",
         "text": "已阅。", "person": DEPUTY, "at": _z(17, 0, 50),
         "ink": {"aspect": 2.0, "strokes": signature_ink(3)[:2]}},
        {"id": "op-7", "step": "complete", "step_name": "办结", "kind": "意见",
         "text": "办结。", "person": CLERK, "at": _z(28, 1, 0)},
    ]
    return {
        "id": "d-5a1c0e9b7f20", "kind": "incoming", "body_id": "b-jh-szj",
        "body_name": "江海市政务服务数据管理局",
        "title": "关于开展2026年度全省政务数据共享质量专项检查工作的通知",
        "doc_type": "通知", "urgency": "加急",
        "spec": json.loads((EXAMPLES / "notice.json").read_text(encoding="utf-8")),
        "attachments": [], "doc_number": "粤政数〔2026〕12号",
        "receipt_number": "江数收〔2026〕87号",
        "workflow": {"kind": "incoming", "status": "done", "opinions": ops,
                     "history": [{"seq": 1, "op": "approve", "step": "receive", "actor": CLERK,
                                  "at": "2026-11-16T09:02:00+08:00"}]},
        "opinions": ops, "status": "done", "deadline": "2026-11-30",
        "source": {"document_id": "d-0f0e0d0c0b0a", "body_id": "b-gd-szj",
                   "body_name": "广东省政务服务和数据管理局", "doc_number": "粤政数〔2026〕12号",
                   "dispatched_at": _z(15, 9, 0), "role": "main"},
        "archive": None, "created_by": CLERK, "created_at": _z(16, 1, 2), "updated_at": _z(28, 1, 0),
    }


def sample_outgoing() -> dict[str, Any]:
    """A dispatched outgoing 通知 (发文) with 核稿, 会签 and 签发 (with handwriting): the
    document of docs/examples/multipage.json, which sealed-official-document.pdf stamps."""
    spec = json.loads((EXAMPLES / "multipage.json").read_text(encoding="utf-8"))
    ops = [
        {"id": "op-11", "step": "review", "step_name": "核稿", "kind": "意见",
         "text": "文字已核，格式符合要求，请会签。", "person": DIRECTOR, "at": _z(3, 2, 10)},
        {"id": "op-12", "step": "countersign", "step_name": "会签", "kind": "意见",
         "text": "同意。", "person": UNIT2, "at": _z(3, 6, 0)},
        {"id": "op-13", "step": "countersign", "step_name": "会签", "kind": "意见",
         "text": "同意，共享目录部分已与省政务服务数据管理局沟通。", "person": DEPUTY,
         "at": _z(4, 1, 30)},
        {"id": "op-14", "step": "sign", "step_name": "签发", "kind": "批示",
         "text": "同意印发。", "person": LEADER, "at": _z(5, 1, 15), "ink": signature_ink(1)},
        {"id": "op-15", "step": "recheck", "step_name": "复核", "kind": "意见",
         "text": "已复核。", "person": CLERK, "at": _z(5, 3, 0)},
    ]
    return {
        "id": "d-3f9a0c1b2e4d", "kind": "outgoing", "body_id": "b-gd-bgt",
        "body_name": "广东省人民政府办公厅",
        "title": spec["title"], "doc_type": "通知", "urgency": spec["urgency"], "spec": spec,
        "attachments": [], "doc_number": spec["doc_number"], "receipt_number": "",
        "main_to": [{"id": "b-jh", "name": "江海市人民政府"},
                    {"id": "b-hs", "name": "湖山市人民政府"}],
        "cc_to": [{"id": "b-gd-rd", "name": "省人大常委会办公厅"}],
        "pdf_sha256": "", "revision": 3,
        "workflow": {"kind": "outgoing", "status": "done", "opinions": ops, "history": []},
        "opinions": ops, "status": "done", "step": "", "step_name": "",
        "seal": {"state": "stamped", "stamped_sha256": "", "at": _z(5, 5, 0)},
        "deliveries": [
            {"body_id": "b-jh", "body_name": "江海市人民政府", "state": "done"},
            {"body_id": "b-hs", "body_name": "湖山市人民政府", "state": "signed"},
        ],
        "archive": None, "created_by": DRAFTER, "created_at": _z(2, 8, 30), "updated_at": _z(6, 2, 0),
    }


ATTACHMENT_SPEC = {
    "doc_type": "通知", "issuer_mark": "广东省人民政府办公厅",
    "title": "《广东省政务数据共享管理办法（试行）》起草说明",
    "body": "一、起草背景\n为落实数据安全法和省公共数据管理办法，规范政务数据共享工作。\n"
            "二、主要内容\n办法共七章，明确共享目录、共享方式、安全管理和监督考核等要求。",
}


def sample_package() -> tuple[dict[str, Any], dict[str, bytes]]:
    """The outgoing sample with its files keyed by SHA-256, as the blob store gives them."""
    import hashlib

    from modules.documents.render import render_pdf

    doc = sample_outgoing()
    main = render_pdf(json.loads((EXAMPLES / "multipage.json").read_text(encoding="utf-8")),
                      invariant=True).pdf
    stamped = (EXAMPLES / "sealed-official-document.pdf").read_bytes()
    attachment = render_pdf(ATTACHMENT_SPEC, invariant=True).pdf
    sha = {k: hashlib.sha256(v).hexdigest() for k, v in
           {"main": main, "stamped": stamped, "att": attachment}.items()}
    doc["pdf_sha256"] = sha["stamped"]
    doc["seal"]["stamped_sha256"] = sha["stamped"]
    doc["attachments"] = [{"name": "起草说明", "sha256": sha["att"],
                           "size": len(attachment), "content_type": "application/pdf"}]
    doc["archive"] = {"at": _z(22, 12, 0), "by": CLERK, "retention": "30年",
                      "archive_no": "Z001-WS·2026-D30-BGS-0012"}
    # blobs by hash, plus the registered (unsealed) version by name
    files = {sha["stamped"]: stamped, sha["att"]: attachment, "登记稿（未盖章）.pdf": main}
    return doc, files


def archive_time() -> dt.datetime:
    """One hour after the sealed sample was signed (its certificates are valid then), so
    the package is the same bytes for the same sealed sample."""
    from modules.seals.pdf.verify import verify_pdf

    report = verify_pdf((EXAMPLES / "sealed-official-document.pdf").read_bytes(), [])
    signed = max(dt.datetime.fromisoformat(s.signing_time) for s in report.signatures
                 if s.signing_time)
    return (signed + dt.timedelta(hours=1)).replace(microsecond=0).astimezone(CST)


def sample_signer(moment: dt.datetime | None = None) -> tuple[Any, Any]:
    """A throw-away archive authority: (ArchiveSigner, its root certificate); the
    signing certificate is valid from a day before ``moment`` (default the archive time)."""
    import secrets

    from modules.documents.archive.sign import ArchiveSigner
    from modules.seals.crypto import authority as SA

    start = (moment or archive_time()) - dt.timedelta(days=1)
    keystore = SA.KeyStore(SA.MemoryStorage(), secrets.token_bytes(32))
    ca = SA.SealAuthority.create("协同办公示例归档根证书", keystore=keystore, now=start)
    issued = ca.issue_archive_certificate(body_name="广东省人民政府办公厅", key_id="archive",
                                          not_before=start, not_after=start + dt.timedelta(days=3650))
    return ArchiveSigner(keystore.get("archive"), issued.certificate), ca.root


def main() -> int:
    from cryptography import x509

    from modules.documents.archive.package import build_package
    from modules.documents.archive.verify import verify_package
    from modules.documents.form import render_form
    from modules.seals.crypto.authority import cert_to_pem

    (EXAMPLES / "form-incoming.pdf").write_bytes(render_form(sample_incoming()))
    (EXAMPLES / "form-outgoing.pdf").write_bytes(render_form(sample_outgoing()))
    roots = x509.load_pem_x509_certificates((EXAMPLES / "seal-authority-root.pem").read_bytes())
    doc, files = sample_package()
    signer, archive_root = sample_signer()
    data = build_package(doc, files, archived_by=CLERK, now=archive_time(), trust_roots=roots,
                         signer=signer)
    report = verify_package(data, trust_roots=[*roots, archive_root])
    if not report.ok:
        print("\n".join(report.lines("en")), file=sys.stderr)
        return 1
    (EXAMPLES / "archive-sample.zip").write_bytes(data)
    (EXAMPLES / "archive-authority-root.pem").write_bytes(cert_to_pem(archive_root))
    (EXAMPLES / "archive-trust-roots.pem").write_bytes(
        b"".join(cert_to_pem(c) for c in [*roots, archive_root]))
    print(f"wrote {EXAMPLES / 'archive-sample.zip'} ({len(data)} bytes), "
          f"manifest SHA-256 {report.manifest_sha256}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
