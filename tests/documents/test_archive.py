"""Archiving (modules/documents/archive.py): 档号 rules, packages, 四性 verification."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import importlib.util
import io
import json
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from reportlab.pdfgen import canvas

from modules.common.errors import ClassifiedRefused, ValidationFailed
from modules.documents.archive.numbers import (
    RETENTION_CODES,
    default_retention,
    format_archive_no,
    parse_archive_no,
    retention_code,
    validate_archive_no,
)
from modules.documents.archive.package import (
    MANIFEST,
    MANIFEST_HASH,
    METADATA_JSON,
    METADATA_XML,
    build_package,
)
from modules.documents.archive.pdf import inspect_pdf
from modules.documents.archive.sign import MANIFEST_SIG
from modules.documents.archive.verify import verify_command, verify_package
from modules.documents.render import render_pdf

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
CST = dt.timezone(dt.timedelta(hours=8))


def _samples() -> Any:
    spec = importlib.util.spec_from_file_location("make_archive_sample",
                                                  ROOT / "scripts" / "make_archive_sample.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


S = _samples()
CLERK = {"id": "p-clerk", "name": "陈敏", "post": "办公室文书"}


def _roots() -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates((EXAMPLES / "seal-authority-root.pem").read_bytes())


#: The archiving body's key, certified by a test archive authority's root.
SIGNER, ARCHIVE_ROOT = S.sample_signer()


def _trusted() -> list[x509.Certificate]:
    """The outside trust roots: the seal authority's and the archive authority's."""
    return [*_roots(), ARCHIVE_ROOT]


# =========================================================================== 档号


def test_format_and_parse_archive_no_round_trip() -> None:
    text = format_archive_no("z001", "ws", 2026, "永久", "bgs", 12)
    assert text == "Z001-WS·2026-Y-BGS-0012"
    no = parse_archive_no(text)
    assert (no.fonds, no.category, no.year, no.retention_code, no.org, no.item) == (
        "Z001", "WS", 2026, "Y", "BGS", 12)
    assert no.retention == "永久"
    assert str(no) == text
    assert no.to_dict()["件号"] == "0012"
    # 机构(问题)代码 is optional; codes D30 / D10
    assert str(parse_archive_no("Z001-WS·2025-D10-0003")) == "Z001-WS·2025-D10-0003"
    assert parse_archive_no("Z001-WS·2025-D30-JW-0100").retention == "30年"
    # look-alike dots and spaces are normalised
    assert str(parse_archive_no(" Z001-WS・2026-Y-BGS-0012 ")) == "Z001-WS·2026-Y-BGS-0012"


@pytest.mark.parametrize(("text", "code", "fragment"), [
    ("", "archive.no_required", "请填写档号"),
    ("Z001-WS2026-Y-BGS-0012", "archive.no_separator", "间隔号"),
    ("Z001-WS·2026", "archive.no_invalid", "格式不对"),
    ("Z001-WS.2026-Y-BGS-0012", "archive.no_separator", "间隔号"),
    ("Z_01-WS·2026-Y-0012", "archive.no_fonds", "全宗号"),
    ("Z001-W1·2026-Y-BGS-0012", "archive.no_category", "门类代码"),
    ("Z001-WS·26-Y-BGS-0012", "archive.no_year", "年度"),
    ("Z001-WS·2026-D20-BGS-0012", "archive.no_retention", "D30"),
    ("Z001-WS·2026-Y-办公室-0012", "archive.no_org", "机构(问题)代码"),
    ("Z001-WS·2026-Y-BGS-12", "archive.no_item", "件号"),
    ("Z001-WS·2026-Y-BGS-0000", "archive.no_item", "件号"),
    ("Z001-WS·2026-Y-BGS-X-0012", "archive.no_invalid", "格式不对"),
])
def test_bad_archive_numbers_say_which_part_is_wrong(text: str, code: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_archive_no(text)
    assert exc.value.code == code
    assert fragment in exc.value.message("zh_CN")
    assert exc.value.message("en") and exc.value.message("en") != code


def test_format_archive_no_checks_each_part() -> None:
    with pytest.raises(ValidationFailed) as exc:
        format_archive_no("Z001", "WS", 2026, "5年", "BGS", 1)
    assert exc.value.code == "archive.no_retention"
    with pytest.raises(ValidationFailed) as exc:
        format_archive_no("Z001", "WS", 2026, "Y", "BGS", 10000)
    assert exc.value.code == "archive.no_item"


def test_retention_codes_and_mismatch() -> None:
    assert retention_code("永久") == "Y"
    assert retention_code("30年") == "D30"
    assert retention_code("d10") == "D10"
    with pytest.raises(ValidationFailed) as exc:
        retention_code("长期")
    assert exc.value.code == "archive.bad_retention"
    with pytest.raises(ValidationFailed) as exc:
        validate_archive_no("Z001-WS·2026-Y-BGS-0012", "10年")
    assert exc.value.code == "archive.retention_mismatch"
    assert "不一致" in exc.value.message()


def test_default_retention_by_type() -> None:
    assert default_retention("决定") == "永久"
    assert default_retention("请示") == "永久"
    assert default_retention("通知") == "30年"
    assert default_retention("函") == "10年"
    assert default_retention("批复", "incoming") == "永久"
    assert default_retention("通知", "incoming") == "10年"
    for doc_type in ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报",
                     "报告", "请示", "批复", "议案", "函", "纪要"):
        assert default_retention(doc_type) in RETENTION_CODES
        assert default_retention(doc_type, "incoming") in RETENTION_CODES


# =========================================================================== building


def _archive_time() -> dt.datetime:
    return S.archive_time()


@pytest.fixture(scope="module")
def sample() -> tuple[dict[str, Any], dict[str, bytes]]:
    return S.sample_package()


@pytest.fixture(scope="module")
def package(sample: tuple[dict[str, Any], dict[str, bytes]]) -> bytes:
    doc, files = sample
    return build_package(doc, files, archived_by=CLERK, now=_archive_time(), trust_roots=_roots(),
                           signer=SIGNER)


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _rezip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


def _reseal_manifest(members: dict[str, bytes], edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit manifest.json and recompute manifest.sha256, as a careful forger would."""
    manifest = json.loads(members[MANIFEST])
    edit(manifest)
    members[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
    digest = hashlib.sha256(members[MANIFEST]).hexdigest()
    members[MANIFEST_HASH] = f"{digest}  manifest.json\n".encode()


def test_package_holds_every_file_metadata_and_manifest(package: bytes) -> None:
    members = _members(package)
    assert set(members) == {
        "document/正文.pdf", "attachments/01-起草说明.pdf", "document/其他稿本/登记稿（未盖章）.pdf",
        "form/办文单.pdf", "trust/root-1.pem", "metadata.json", "metadata.xml", "manifest.json",
        "manifest.sha256", "manifest.sig"}
    manifest = json.loads(members["manifest.json"])
    assert manifest["archive_no"] == "Z001-WS·2026-D30-BGS-0012"
    assert manifest["classification"] == "非涉密"
    listed = {e["path"]: e for e in manifest["files"]}
    assert set(listed) == set(members) - {"manifest.json", "manifest.sha256", "manifest.sig"}
    for path, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(members[path]).hexdigest()
        assert entry["size"] == len(members[path])
    assert members["manifest.sha256"].split()[0].decode() == hashlib.sha256(
        members["manifest.json"]).hexdigest()
    # the stamped 正文 was verified at archiving time
    sig = listed["document/正文.pdf"]["signatures"]
    assert sig["count"] == 1 and sig["ok"] and sig["trusted"]
    assert sig["signatures"][0]["organisation"] == "广东省人民政府办公厅"
    assert listed["attachments/01-起草说明.pdf"]["signatures"] is None

    meta = json.loads(members["metadata.json"])
    desc = meta["内容描述"]
    assert desc["题名"].startswith("广东省人民政府办公厅关于印发")
    assert desc["文件编号"] == "粤办发〔2026〕9号"
    assert desc["责任者"] == "广东省人民政府办公厅"
    assert desc["日期"] == "2026-04-08"
    assert desc["密级"] == "非涉密"
    assert desc["保管期限"] == "30年"
    assert meta["档号"] == manifest["archive_no"]
    assert meta["形式特征"]["页数"] == listed["document/正文.pdf"]["pages"] == 5
    assert meta["电子签名"][0]["签名结果"] == "有效"
    assert any(b["业务行为"] == "签发" and b["机构人员名称"] == "王志强" for b in meta["业务实体"])
    assert "<档号>Z001-WS·2026-D30-BGS-0012</档号>" in members["metadata.xml"].decode()
    # the 办文单 is inside and carries the opinions
    assert members["form/办文单.pdf"].startswith(b"%PDF")


def test_package_verifies(package: bytes) -> None:
    report = verify_package(package, _trusted())
    assert report.ok, report.messages()
    assert report.checked and report.trust == "given"
    assert all(report.properties.values())
    main = next(f for f in report.files if f.path == "document/正文.pdf")
    assert main.signatures == 1 and main.signatures_ok
    assert report.signature is not None and report.signature.signer == "广东省人民政府办公厅归档签名"
    fp = ARCHIVE_ROOT.fingerprint(hashes.SHA256()).hex()
    assert report.signature.root_fingerprint == fp
    authentic = next(line for line in report.lines() if line.startswith("真实性"))
    assert authentic.startswith("真实性：通过") and fp in authentic and "协同办公示例归档根证书" in authentic
    assert "vouched for by the outside trust root" in next(
        line for line in report.lines("en") if line.startswith("authenticity"))
    assert verify_package(package, _trusted(), expected_manifest_sha256=report.manifest_sha256).ok


def test_without_outside_roots_authenticity_fails(package: bytes) -> None:
    """The roots inside the package are shown but never trusted."""
    report = verify_package(package)
    assert not report.ok and report.trust == "none"
    assert report.codes == ["archive.no_trust_root"]
    assert report.properties["真实性"] is False and report.properties["完整性"]
    assert report.package_roots == [(_roots()[0].subject.rfc4514_string(),
                                     _roots()[0].fingerprint(hashes.SHA256()).hex())]
    lines = report.lines()
    assert "真实性：不通过（没有提供包外信任根证书，无法确认由谁归档）" in lines
    assert any(line.startswith("包内根证书（仅供参考，不作为信任依据）") for line in lines)
    assert "no trust root from outside the package" in " ".join(report.lines("en"))
    # the seal root alone does not vouch for the archive signer
    seals_only = verify_package(package, _roots())
    assert seals_only.codes == ["archive.package_signer_untrusted"]


def test_unsigned_package_fails_authenticity(sample: tuple[dict[str, Any], dict[str, bytes]]) -> None:
    doc, files = sample
    data = build_package(doc, files, archived_by=CLERK, now=_archive_time(), trust_roots=_roots())
    assert MANIFEST_SIG not in _members(data)
    report = verify_package(data, _trusted())
    assert report.codes == ["archive.package_unsigned"]
    assert "manifest.sig" in report.messages()[0]


def test_same_input_gives_the_same_package(sample: tuple[dict[str, Any], dict[str, bytes]],
                                           package: bytes) -> None:
    doc, files = sample
    again = build_package(doc, files, archived_by=CLERK, now=_archive_time(), trust_roots=_roots(),
                            signer=SIGNER)
    assert again == package


def test_shipped_sample_verifies() -> None:
    data = (EXAMPLES / "archive-sample.zip").read_bytes()
    roots = x509.load_pem_x509_certificates((EXAMPLES / "archive-trust-roots.pem").read_bytes())
    report = verify_package(data, roots)
    assert report.ok, report.messages()
    assert not verify_package(data).ok


def test_joint_document_with_two_seals_is_checked_at_archiving_and_verifying() -> None:
    doc = S.sample_outgoing()
    stamped = (EXAMPLES / "sealed-joint-document.pdf").read_bytes()
    sha = hashlib.sha256(stamped).hexdigest()
    doc["pdf_sha256"] = sha
    doc["seal"]["stamped_sha256"] = sha
    doc["archive"] = {"retention": "永久", "archive_no": "Z001-WS·2026-Y-BGS-0013"}
    from modules.seals.pdf.verify import verify_pdf

    signed = max(dt.datetime.fromisoformat(s.signing_time)
                 for s in verify_pdf(stamped, []).signatures if s.signing_time)
    signer, archive_root = S.sample_signer(signed)
    data = build_package(doc, {sha: stamped}, archived_by=CLERK,
                           now=signed + dt.timedelta(minutes=5), trust_roots=_roots(), signer=signer)
    manifest = json.loads(_members(data)["manifest.json"])
    sig = manifest["files"][0]["signatures"]
    assert sig["count"] == 2 and sig["trusted"]
    report = verify_package(data, [*_roots(), archive_root])
    assert report.ok, report.messages()
    assert report.files[0].signatures == 2

    # a different authority's root: the seals are no longer trusted
    other = _other_root()
    untrusted = verify_package(data, [other, archive_root])
    assert not untrusted.ok
    assert untrusted.codes.count("archive.signature_untrusted") == 2
    assert not untrusted.properties["真实性"]


def _other_root() -> x509.Certificate:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "另一印章机构")])
    now = dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - dt.timedelta(days=1000)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))


# =========================================================================== tamper matrix


def test_byte_flip_in_a_member_is_detected(package: bytes) -> None:
    members = _members(package)
    body = bytearray(members["attachments/01-起草说明.pdf"])
    body[len(body) // 2] ^= 0x01
    members["attachments/01-起草说明.pdf"] = bytes(body)
    report = verify_package(_rezip(members), _trusted())
    assert not report.ok
    assert "archive.member_altered" in report.codes
    assert any("attachments/01-起草说明.pdf 已被改动" in m for m in report.messages())
    assert not report.properties["真实性"]


def test_raw_byte_flip_in_the_zip_is_detected(package: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        info = zf.getinfo("document/其他稿本/登记稿（未盖章）.pdf")
    raw = bytearray(package)
    name_len = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0xFF
    report = verify_package(bytes(raw), _trusted())
    assert not report.ok
    assert report.codes == ["archive.member_corrupt"]
    assert "登记稿（未盖章）.pdf 已损坏" in report.messages()[0]


def test_removed_member_is_detected(package: bytes) -> None:
    members = _members(package)
    del members["form/办文单.pdf"]
    report = verify_package(_rezip(members), _trusted())
    assert report.codes == ["archive.member_missing"]
    assert "form/办文单.pdf" in report.messages()[0]
    assert not report.properties["完整性"] and report.properties["真实性"]


def test_added_member_is_detected(package: bytes) -> None:
    members = _members(package)
    members["attachments/02-补充.pdf"] = members["attachments/01-起草说明.pdf"]
    report = verify_package(_rezip(members), _trusted())
    assert report.codes == ["archive.member_extra"]
    assert "attachments/02-补充.pdf" in report.messages("en")[0]


def test_edited_manifest_is_detected(package: bytes) -> None:
    members = _members(package)
    manifest = json.loads(members[MANIFEST])
    manifest["title"] = "另一个标题"
    members[MANIFEST] = json.dumps(manifest, ensure_ascii=False).encode()
    report = verify_package(_rezip(members), _trusted())
    assert "archive.manifest_hash_mismatch" in report.codes
    assert any("manifest.json 已被改动" in m for m in report.messages())


def test_consistently_forged_manifest_still_fails(package: bytes) -> None:
    """A forger who swaps a file and rewrites the manifest and its hash is caught by the
    metadata and, when the register's manifest hash is given, by that."""
    original = verify_package(package, _trusted()).manifest_sha256
    members = _members(package)
    forged = render_pdf(S.ATTACHMENT_SPEC | {"title": "伪造的起草说明"}, invariant=True).pdf
    members["attachments/01-起草说明.pdf"] = forged

    def swap(manifest: dict[str, Any]) -> None:
        for e in manifest["files"]:
            if e["path"] == "attachments/01-起草说明.pdf":
                e["sha256"] = hashlib.sha256(forged).hexdigest()
                e["size"] = len(forged)

    _reseal_manifest(members, swap)
    report = verify_package(_rezip(members), expected_manifest_sha256=original)
    assert not report.ok
    assert "archive.metadata_mismatch" in report.codes  # metadata.json still lists the old hash
    assert "archive.manifest_not_registered" in report.codes


def _rewrite_title(package: bytes, old: str, new: str) -> dict[str, bytes]:
    """The consistent-rewrite forgery: the title changed in metadata.json, metadata.xml
    and manifest.json, the metadata hashes and sizes in the manifest and manifest.sha256
    recomputed. The members are returned for rezipping."""
    members = _members(package)
    for path in (METADATA_JSON, METADATA_XML):
        text = members[path].decode("utf-8")
        assert old in text
        members[path] = text.replace(old, new).encode("utf-8")

    def edit(manifest: dict[str, Any]) -> None:
        manifest["title"] = manifest["title"].replace(old, new)
        for e in manifest["files"]:
            if e["path"] in (METADATA_JSON, METADATA_XML):
                e["sha256"] = hashlib.sha256(members[e["path"]]).hexdigest()
                e["size"] = len(members[e["path"]])

    _reseal_manifest(members, edit)
    return members


def test_consistent_metadata_rewrite_is_caught_by_the_package_signature(
        package: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    forged = _rezip(_rewrite_title(package, "印发", "废止"))
    report = verify_package(forged, _trusted())
    assert not report.ok
    assert report.codes == ["archive.package_signature_mismatch"]
    assert report.properties["真实性"] is False
    assert report.properties["完整性"]  # everything else agrees: only the signature tells
    assert "清单在归档签名之后被改动过" in report.messages()[0]
    assert "changed after it was signed" in report.messages("en")[0]

    path = tmp_path / "forged.zip"
    path.write_bytes(forged)
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in _trusted()))
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("OFFICE_LANG", raising=False)
    assert verify_command(str(path), [str(bundle)]) == 1
    err = capsys.readouterr().err
    assert "检测通过" not in err and "真实性：不通过" in err


def test_package_resigned_under_a_forgers_own_root_fails(package: bytes) -> None:
    """The forger rewrites the metadata, signs the manifest with an archive key of their
    own authority and puts that authority's root into the package: not trusted."""
    members = _rewrite_title(package, "印发", "废止")
    forger, forger_root = S.sample_signer()
    pem = forger_root.public_bytes(serialization.Encoding.PEM)
    members["trust/root-1.pem"] = pem
    meta = json.loads(members[METADATA_JSON])
    for ent in meta["文件实体"]:
        if ent["计算机文件名"] == "trust/root-1.pem":
            ent["SHA-256"], ent["计算机文件大小"] = hashlib.sha256(pem).hexdigest(), len(pem)
    members[METADATA_JSON] = json.dumps(meta, ensure_ascii=False, indent=2).encode()

    def edit(manifest: dict[str, Any]) -> None:
        manifest["trust_roots"] = [{"path": "trust/root-1.pem",
                                    "sha256_fingerprint": forger_root.fingerprint(hashes.SHA256()).hex(),
                                    "subject": forger_root.subject.rfc4514_string()}]
        for e in manifest["files"]:
            if e["path"] in ("trust/root-1.pem", METADATA_JSON):
                body = members[e["path"]]
                e["sha256"], e["size"] = hashlib.sha256(body).hexdigest(), len(body)

    _reseal_manifest(members, edit)
    from modules.documents.archive.sign import sign_manifest

    members[MANIFEST_SIG] = sign_manifest(members[MANIFEST], forger, _archive_time())
    forged = _rezip(members)
    report = verify_package(forged, _trusted())
    assert report.codes == ["archive.package_signer_untrusted"]
    assert "包内自带的根证书不作为信任依据" in report.messages()[0]
    # the forger's root is shown as the package's own, and trusted nowhere
    assert report.package_roots[0][1] == forger_root.fingerprint(hashes.SHA256()).hex()
    assert verify_package(forged).codes == ["archive.no_trust_root"]
    # the seals inside were issued by the real authority, so the forger's root alone
    # leaves them untrusted too
    theirs = verify_package(forged, [forger_root])
    assert "archive.signature_untrusted" in theirs.codes and not theirs.ok


def test_a_seal_certificate_cannot_sign_an_archive_package(package: bytes) -> None:
    import secrets

    from modules.documents.archive.sign import ArchiveSigner, sign_manifest
    from modules.seals.crypto import authority as SA

    start = _archive_time() - dt.timedelta(days=1)
    keystore = SA.KeyStore(SA.MemoryStorage(), secrets.token_bytes(32))
    ca = SA.SealAuthority.create("另一根", keystore=keystore, now=start)
    seal = ca.issue_seal_certificate(seal_id="s-1", seal_name="某单位公章", body_name="某单位",
                                     key_id="s-1", not_before=start,
                                     not_after=start + dt.timedelta(days=30))
    members = _members(package)
    members[MANIFEST_SIG] = sign_manifest(
        members[MANIFEST], ArchiveSigner(keystore.get("s-1"), seal.certificate), _archive_time())
    report = verify_package(_rezip(members), [*_roots(), ca.root])
    assert report.codes == ["archive.package_signer_purpose"]
    members[MANIFEST_SIG] = b"not a signature"
    assert verify_package(_rezip(members), _trusted()).codes == [
        "archive.package_signature_malformed"]


def test_an_archive_certificate_not_valid_at_the_archiving_time_fails(package: bytes) -> None:
    import secrets

    from modules.documents.archive.sign import ArchiveSigner, sign_manifest
    from modules.seals.crypto import authority as SA

    at = _archive_time()
    keystore = SA.KeyStore(SA.MemoryStorage(), secrets.token_bytes(32))
    ca = SA.SealAuthority.create("归档根", keystore=keystore, now=at - dt.timedelta(days=10))
    late = ca.issue_archive_certificate(body_name="某机关", key_id="a", not_before=at + dt.timedelta(days=1),
                                        not_after=at + dt.timedelta(days=400))
    members = _members(package)
    members[MANIFEST_SIG] = sign_manifest(
        members[MANIFEST], ArchiveSigner(keystore.get("a"), late.certificate), at)
    report = verify_package(_rezip(members), [*_roots(), ca.root])
    assert report.codes == ["archive.package_signer_expired"]
    assert "某机关归档签名" in report.messages()[0]


def _repack_without_utf8_flag(members: dict[str, bytes], encoding: str) -> bytes:
    """Rezip with every name stored in ``encoding`` and flag bit 11 clear, as zip tools
    on Chinese Windows (gbk) or Info-ZIP without its extra field (utf-8) write them."""
    placeholders: dict[bytes, bytes] = {}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (name, body) in enumerate(members.items()):
            raw = name.encode(encoding)
            if raw.isascii():
                zf.writestr(name, body)
                continue
            marker = f"@{i:03d}@".encode()
            stand_in = (marker * (len(raw) // len(marker) + 1))[:len(raw)]
            placeholders[stand_in] = raw
            zf.writestr(stand_in.decode("ascii"), body)
    data = buf.getvalue()
    for stand_in, raw in placeholders.items():
        assert data.count(stand_in) == 2  # local header and central directory
        data = data.replace(stand_in, raw)
    return data


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_names_without_the_utf8_flag_are_read_as_written(package: bytes, encoding: str) -> None:
    repacked = _repack_without_utf8_flag(_members(package), encoding)
    with zipfile.ZipFile(io.BytesIO(repacked)) as zf:
        infos = zf.infolist()
    assert not any(i.flag_bits & 0x800 for i in infos)
    assert "document/正文.pdf" not in {i.filename for i in infos}  # zipfile sees cp437 mojibake
    report = verify_package(repacked, _trusted())
    assert report.ok, report.messages()
    assert "document/其他稿本/登记稿（未盖章）.pdf" in {f.path for f in report.files if f.hash_ok}


def test_names_from_the_info_zip_tool_are_read_as_written(package: bytes, tmp_path: Path) -> None:
    """Info-ZIP ``zip`` keeps the UTF-8 name in its Unicode Path extra field."""
    from modules.documents.archive.zipnames import member_name

    raw = "document/正文.pdf".encode("gbk")
    extra_name = "document/正文.pdf".encode()
    info = zipfile.ZipInfo(raw.decode("cp437"))
    body = b"\x01" + zlib.crc32(raw).to_bytes(4, "little") + extra_name
    info.extra = (0x7075).to_bytes(2, "little") + len(body).to_bytes(2, "little") + body
    assert member_name(info) == "document/正文.pdf"
    # a stale field (the name was changed by a tool that ignored it) is not believed
    info.extra = info.extra[:5] + bytes([info.extra[5] ^ 0xFF]) + info.extra[6:]
    assert member_name(info) == "document/正文.pdf"  # from the GBK bytes instead
    other = zipfile.ZipInfo(bytes([0x81, 0x30, 0x81]).decode("cp437"))  # neither UTF-8 nor GB18030
    assert member_name(other) == other.filename


def test_manifest_missing_or_unreadable(package: bytes) -> None:
    members = _members(package)
    del members[MANIFEST]
    report = verify_package(_rezip(members), _trusted())
    assert report.codes == ["archive.manifest_missing"]
    assert report.properties["真实性"] is None  # could not be checked

    members = _members(package)
    members[MANIFEST] = b"{not json"
    report = verify_package(_rezip(members), _trusted())
    assert report.codes == ["archive.manifest_invalid"]

    members = _members(package)
    _reseal_manifest(members, lambda m: m.update(files="everything"))
    report = verify_package(_rezip(members), _trusted())
    assert report.codes == ["archive.manifest_invalid"]
    assert "files" in report.messages()[0]

    members = _members(package)
    del members[MANIFEST_HASH]
    assert verify_package(_rezip(members), _trusted()).codes == ["archive.manifest_hash_missing"]


def test_edited_metadata_is_detected(package: bytes) -> None:
    members = _members(package)
    meta = json.loads(members[METADATA_JSON])
    meta["内容描述"]["题名"] = "篡改后的题名"
    members[METADATA_JSON] = json.dumps(meta, ensure_ascii=False, indent=2).encode()
    report = verify_package(_rezip(members), _trusted())
    assert "archive.member_altered" in report.codes

    # the same edit with the manifest updated to match: metadata no longer agrees
    def fix(manifest: dict[str, Any]) -> None:
        for e in manifest["files"]:
            if e["path"] == METADATA_JSON:
                e["sha256"] = hashlib.sha256(members[METADATA_JSON]).hexdigest()
                e["size"] = len(members[METADATA_JSON])

    _reseal_manifest(members, fix)
    report = verify_package(_rezip(members), _trusted())
    assert not report.ok
    assert "archive.metadata_mismatch" in report.codes
    assert any("题名" in m for m in report.messages())


def test_metadata_claiming_a_classification_is_a_security_failure(package: bytes) -> None:
    members = _members(package)
    meta = json.loads(members[METADATA_JSON])
    meta["内容描述"]["密级"] = "秘密"
    members[METADATA_JSON] = json.dumps(meta, ensure_ascii=False).encode()

    def fix(manifest: dict[str, Any]) -> None:
        for e in manifest["files"]:
            if e["path"] == METADATA_JSON:
                e["sha256"] = hashlib.sha256(members[METADATA_JSON]).hexdigest()
                e["size"] = len(members[METADATA_JSON])

    _reseal_manifest(members, fix)
    report = verify_package(_rezip(members), _trusted())
    assert "archive.classified_marking" in report.codes
    assert report.properties["安全性"] is False


def test_tampered_signed_pdf_is_caught_by_its_signature(package: bytes) -> None:
    members = _members(package)
    body = bytearray(members["document/正文.pdf"])
    at = body.index(b"stream", 2000) + 40
    body[at] ^= 0x01
    members["document/正文.pdf"] = bytes(body)

    def fix(manifest: dict[str, Any]) -> None:
        for e in manifest["files"]:
            if e["path"] == "document/正文.pdf":
                e["sha256"] = hashlib.sha256(body).hexdigest()

    _reseal_manifest(members, fix)
    report = verify_package(_rezip(members), _trusted())
    assert not report.ok
    assert "archive.signature_broken" in report.codes
    assert any("广东省人民政府办公厅公章" in m for m in report.messages())


def test_not_a_zip_and_empty_file() -> None:
    report = verify_package(b"%PDF-1.7 not a package")
    assert report.codes == ["archive.not_zip"] and not report.ok
    assert "不是 ZIP" in report.messages()[0]
    report = verify_package(b"")
    assert report.codes == ["archive.empty"]
    assert "空的" in report.messages()[0]
    assert "empty" in report.messages("en")[0]


def test_unsafe_member_names_are_reported(package: bytes) -> None:
    members = _members(package)
    members["../evil.txt"] = b"x"
    report = verify_package(_rezip(members), _trusted())
    assert "archive.member_unsafe" in report.codes
    assert report.properties["安全性"] is False


# =========================================================================== refusals


def _fresh(sample: tuple[dict[str, Any], dict[str, bytes]]) -> tuple[dict[str, Any], dict[str, bytes]]:
    doc, files = sample
    return copy.deepcopy(doc), dict(files)


def _build(doc: dict[str, Any], files: dict[str, bytes], **kw: Any) -> bytes:
    return build_package(doc, files, archived_by=kw.pop("archived_by", CLERK),
                           now=_archive_time(), **kw)


def test_classified_documents_are_refused(sample: tuple[dict[str, Any], dict[str, bytes]]) -> None:
    doc, files = _fresh(sample)
    doc["spec"]["classification"] = "秘密"
    with pytest.raises(ClassifiedRefused):
        _build(doc, files)

    # a PDF whose text carries a 密级 marking
    doc, files = _fresh(sample)
    from modules.common.fonts import register_reportlab_fonts

    fonts = register_reportlab_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, initialFontName=fonts["songti"])
    c.setFont(fonts["songti"], 16)
    c.drawString(72, 750, "机密★5年")
    c.showPage()
    c.save()
    files["旧稿.pdf"] = buf.getvalue()
    with pytest.raises(ClassifiedRefused) as exc:
        _build(doc, files)
    assert "机密" in exc.value.message()


def test_unembedded_fonts_are_refused(sample: tuple[dict[str, Any], dict[str, bytes]]) -> None:
    doc, files = _fresh(sample)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("Helvetica", 12)
    c.drawString(72, 750, "Draft")
    c.showPage()
    c.save()
    files["draft.pdf"] = buf.getvalue()
    facts = inspect_pdf(buf.getvalue())
    assert facts.unembedded == [(1, "Helvetica")]
    with pytest.raises(ValidationFailed) as exc:
        _build(doc, files)
    assert exc.value.code == "archive.font_not_embedded"
    assert "Helvetica" in exc.value.message()


def test_a_declared_but_unused_font_does_not_count() -> None:
    # the sealed sample declares Helvetica in its seal appearance but draws no text with it
    facts = inspect_pdf((EXAMPLES / "sealed-official-document.pdf").read_bytes())
    assert facts.error == "" and facts.pages == 5 and facts.unembedded == []


@pytest.mark.parametrize(("mutate", "code"), [
    (lambda d, f: f.pop(d["pdf_sha256"]), "archive.file_missing"),
    (lambda d, f: f.pop(d["attachments"][0]["sha256"]), "archive.file_missing"),
    (lambda d, f: d.update(pdf_sha256=""), "archive.file_missing"),
    (lambda d, f: f.update({"0" * 64: b"x"}), "archive.blob_hash_mismatch"),
    (lambda d, f: f.update({hashlib.sha256(b"x").hexdigest(): b"x"}), "archive.file_unreferenced"),
    (lambda d, f: f.update({"../x.pdf": b"%PDF-"}), "archive.bad_file_name"),
    (lambda d, f: d.update(archive=None), "archive.no_required"),
    (lambda d, f: d["archive"].update(retention="永久"), "archive.retention_mismatch"),
    (lambda d, f: d["archive"].update(archive_no="Z001-WS·2026-D30"), "archive.no_invalid"),
    (lambda d, f: d.update(status="voided"), "archive.not_finished"),
    (lambda d, f: d.update(status="active", step="sign"), "archive.not_finished"),
])
def test_incomplete_or_wrong_input_is_refused(sample: tuple[dict[str, Any], dict[str, bytes]],
                                              mutate: Callable[[dict, dict], Any], code: str) -> None:
    doc, files = _fresh(sample)
    mutate(doc, files)
    with pytest.raises(ValidationFailed) as exc:
        _build(doc, files)
    assert exc.value.code == code
    assert exc.value.message("zh_CN") != code and exc.value.message("en") != code


def test_archived_by_is_required(sample: tuple[dict[str, Any], dict[str, bytes]]) -> None:
    doc, files = _fresh(sample)
    with pytest.raises(ValidationFailed) as exc:
        _build(doc, files, archived_by={"name": "陈敏"})
    assert exc.value.code == "archive.bad_archived_by"


def test_signed_pdf_broken_at_archiving_is_refused(sample: tuple[dict[str, Any], dict[str, bytes]]) -> None:
    doc, files = _fresh(sample)
    body = bytearray(files[doc["pdf_sha256"]])
    body[body.index(b"stream", 2000) + 40] ^= 0x01
    sha = hashlib.sha256(body).hexdigest()
    del files[doc["pdf_sha256"]]
    files[sha] = bytes(body)
    doc["pdf_sha256"] = doc["seal"]["stamped_sha256"] = sha
    with pytest.raises(ValidationFailed) as exc:
        _build(doc, files, trust_roots=_roots())
    assert exc.value.code in ("archive.signature_invalid", "archive.pdf_unreadable")


def test_incoming_document_uses_its_receipt_number_and_source(
        sample: tuple[dict[str, Any], dict[str, bytes]]) -> None:
    doc = S.sample_incoming()
    main = render_pdf(doc["spec"], invariant=True).pdf
    sha = hashlib.sha256(main).hexdigest()
    doc["pdf_sha256"] = sha
    doc["archive"] = {"retention": default_retention("通知", "incoming"),
                      "archive_no": "Z002-WS·2026-D10-0087"}
    data = build_package(doc, {sha: main}, archived_by=CLERK,
                           now=dt.datetime(2026, 11, 28, 10, 0, tzinfo=CST))
    meta = json.loads(_members(data)[METADATA_JSON])
    assert meta["内容描述"]["收文编号"] == "江数收〔2026〕87号"
    assert meta["内容描述"]["责任者"] == "广东省政务服务和数据管理局"
    assert meta["档号构成"]["机构或问题"] == ""
    report = verify_package(data, _trusted())
    assert report.codes == ["archive.package_unsigned"], report.messages()


# =========================================================================== command


def test_verify_command_ok_and_failures(tmp_path: Path, package: bytes,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = _isolated_roots(tmp_path, monkeypatch)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("OFFICE_LANG", raising=False)
    good = tmp_path / "good.zip"
    good.write_bytes(package)
    assert verify_command(str(good)) == 1  # no trust root from outside the package
    err = capsys.readouterr().err
    assert "真实性：不通过（没有提供包外信任根证书" in err and "检测通过" not in err
    assert verify_command(str(good), [str(bundle)]) == 0
    out = capsys.readouterr().out
    assert "检测通过" in out and "真实性：通过" in out and "Z001-WS·2026-D30-BGS-0012" in out
    assert "协同办公示例归档根证书" in out

    assert verify_command(str(tmp_path / "missing.zip")) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert verify_command(str(tmp_path)) == 2
    assert "目录" in capsys.readouterr().err

    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"hello")
    assert verify_command(str(bad)) == 1
    err = capsys.readouterr().err
    assert "不是 ZIP" in err and "Traceback" not in err

    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    assert verify_command(str(empty)) == 1
    assert "空的" in capsys.readouterr().err

    members = _members(package)
    del members["metadata.xml"]
    missing = tmp_path / "missing-member.zip"
    missing.write_bytes(_rezip(members))
    assert verify_command(str(missing)) == 1
    assert "metadata.xml 在归档包中不存在" in capsys.readouterr().err

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert verify_command(str(missing)) == 1
    assert "missing from the package" in capsys.readouterr().err

    monkeypatch.setenv("OFFICE_TRUST_ROOTS", str(bundle))
    assert verify_command(str(good)) == 0
    # the roots the client keeps from the server are the default
    monkeypatch.delenv("OFFICE_TRUST_ROOTS")
    from modules.seals.cli import default_trust_roots_path

    default_trust_roots_path().parent.mkdir(parents=True)
    default_trust_roots_path().write_bytes(bundle.read_bytes())
    assert verify_command(str(good)) == 0
    # else the root of the embedded server on this computer, read from its database
    default_trust_roots_path().unlink()
    assert verify_command(str(good)) == 1
    capsys.readouterr()
    import sqlite3

    from modules.documents.archive.sign import embedded_server_db

    embedded_server_db().parent.mkdir(parents=True)
    with sqlite3.connect(embedded_server_db()) as conn:
        conn.execute("CREATE TABLE seals_meta (name VARCHAR(40) PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT INTO seals_meta VALUES ('root_pem', ?)", (bundle.read_text(),))
    conn.close()
    assert verify_command(str(good)) == 0
    assert "协同办公示例归档根证书" in capsys.readouterr().out
    monkeypatch.setenv("OFFICE_TRUST_ROOTS", str(tmp_path / "nope.pem"))
    assert verify_command(str(good)) == 2
    assert "root certificate" in capsys.readouterr().err


def _isolated_roots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No trust roots from the environment or the user's config; returns a PEM bundle
    of the outside roots."""
    for var in ("OFFICE_TRUST_ROOTS", "OFFICE_SEAL_TRUST_ROOTS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    bundle = tmp_path / "outside-roots.pem"
    bundle.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM) for c in _trusted()))
    return bundle


def test_main_entry_point_runs_the_command(tmp_path: Path, package: bytes,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import main

    bundle = _isolated_roots(tmp_path, monkeypatch)
    path = tmp_path / "pkg.zip"
    path.write_bytes(package)
    assert main.main(["archive", "verify", str(path)]) == 1
    assert main.main(["archive", "verify", str(path), "--trust-root", str(bundle)]) == 0
    assert main.main(["archive", "verify", str(tmp_path / "nothing.zip")]) == 2
    capsys.readouterr()
