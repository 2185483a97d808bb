"""Verifying an archive package: the 四性 checks of DA/T 70-2018 (:func:`verify_package`).

真实性 (the package signed by the archiving body under a root from outside the package,
hashes, seals still valid and issued under those roots), 完整性 (nothing missing or added,
metadata consistent), 可用性 (PDFs readable, fonts embedded), 安全性 (no classified
marking, safe member names). Never raises for bad input: every problem is in the report.
:func:`verify_command` is ``python main.py archive verify PKG.zip``.

Pure module: no Qt, no HTTP, no database. CPU-bound: call off the GUI thread.
The package format is described in docs/ARCHIVE.md.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sys
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from modules.common.errors import DomainError, ValidationFailed
from modules.common.messages import normalise_lang, render
from modules.common.shapes import mapping_at
from modules.documents.archive import messages as _messages  # noqa: F401  (registers codes)
from modules.documents.archive.numbers import parse_archive_no
from modules.documents.archive.package import (
    CST,
    FORMAT,
    MANIFEST,
    MANIFEST_HASH,
    METADATA_JSON,
    METADATA_XML,
    _sha,
    _text,
)
from modules.documents.archive.pdf import inspect_pdf, signature_record
from modules.documents.archive.sign import (
    MANIFEST_SIG,
    ManifestSignature,
    fingerprint,
    verify_manifest_signature,
)
from modules.documents.archive.zipnames import member_name

#: Largest member read when verifying (a bigger one is reported, not read).
MAX_MEMBER_BYTES = 512 * 1024 * 1024

#: Which of the four properties (四性) each problem breaks.
PROPERTY_OF: dict[str, str] = {
    "archive.member_altered": "真实性", "archive.member_size": "真实性",
    "archive.member_corrupt": "真实性", "archive.manifest_hash_mismatch": "真实性",
    "archive.manifest_not_registered": "真实性", "archive.signature_count": "真实性",
    "archive.signature_broken": "真实性", "archive.signature_untrusted": "真实性",
    "archive.trust_root_invalid": "真实性",
    "archive.package_unsigned": "真实性", "archive.package_signature_malformed": "真实性",
    "archive.package_signature_mismatch": "真实性", "archive.package_signer_untrusted": "真实性",
    "archive.package_signer_purpose": "真实性", "archive.package_signer_expired": "真实性",
    "archive.no_trust_root": "真实性",
    "archive.member_missing": "完整性", "archive.member_extra": "完整性",
    "archive.member_duplicate": "完整性", "archive.manifest_missing": "完整性",
    "archive.manifest_invalid": "完整性", "archive.manifest_hash_missing": "完整性",
    "archive.metadata_invalid": "完整性", "archive.metadata_mismatch": "完整性",
    "archive.pages_mismatch": "完整性",
    "archive.empty": "可用性", "archive.not_zip": "可用性", "archive.pdf_unreadable": "可用性",
    "archive.pdf_encrypted": "可用性", "archive.font_not_embedded": "可用性",
    "archive.classified_marking": "安全性", "archive.member_unsafe": "安全性",
}
PROPERTIES = ("真实性", "完整性", "可用性", "安全性")
PROPERTY_EN = {"真实性": "authenticity", "完整性": "integrity", "可用性": "usability",
               "安全性": "security"}


@dataclass
class Problem:
    """One thing wrong with a package: a message code, its params and the property
    (四性) it breaks."""

    code: str
    params: dict[str, Any]
    property: str

    def message(self, lang: str = "zh_CN") -> str:
        return render(self.code, lang, self.params)


@dataclass
class FileCheck:
    """The result for one member listed in the manifest."""

    path: str
    role: str
    present: bool = False
    hash_ok: bool = False
    pages: int | None = None
    signatures: int = 0
    signatures_ok: bool | None = None


@dataclass
class ArchiveReport:
    """The outcome of :func:`verify_package`. ``ok`` only when no problem was found."""

    ok: bool = False
    archive_no: str = ""
    document_id: str = ""
    title: str = ""
    archived_at: str = ""
    manifest_sha256: str = ""
    package_sha256: str = ""
    trust: str = "none"  # given (roots from outside the package) | none
    #: The package signature check (who signed, which outside root vouched).
    signature: ManifestSignature | None = None
    #: (subject, SHA-256 fingerprint) of the roots stored in the package: shown, never trusted.
    package_roots: list[tuple[str, str]] = field(default_factory=list)
    files: list[FileCheck] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: False when a fatal problem (not a zip, no manifest …) stopped the checks early.
    checked: bool = False

    @property
    def properties(self) -> dict[str, bool | None]:
        """四性: property -> holds (None: could not be checked, the package was unreadable)."""
        broken = {p.property for p in self.problems}
        return {name: False if name in broken else (True if self.checked else None)
                for name in PROPERTIES}

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def messages(self, lang: str = "zh_CN") -> list[str]:
        return [p.message(lang) for p in self.problems]

    def add(self, code: str, **params: Any) -> None:
        self.problems.append(Problem(code, params, PROPERTY_OF.get(code, "完整性")))

    def lines(self, lang: str = "zh_CN") -> list[str]:
        """Human-readable report, one line each, in ``lang``."""
        zh = normalise_lang(lang) == "zh_CN"
        out = []
        if self.archive_no or self.title:
            out.append(f"档号：{self.archive_no}　题名：{self.title}" if zh
                        else f"Archive reference: {self.archive_no}  Title: {self.title}")
        if self.manifest_sha256:
            out.append(f"清单摘要（SHA-256）：{self.manifest_sha256}" if zh
                        else f"Manifest SHA-256: {self.manifest_sha256}")
        for f in self.files:
            state = ("✓" if f.present and f.hash_ok and f.signatures_ok is not False else "✗")
            extra = ""
            if f.signatures:
                extra = (f"，电子签章 {f.signatures} 个" if zh else f", {f.signatures} seal(s)")
            pages = (f"，{f.pages} 页" if zh else f", {f.pages} page(s)") if f.pages else ""
            out.append(f"  {state} {f.path}{pages}{extra}")
        for subject, fp in self.package_roots:
            out.append(f"包内根证书（仅供参考，不作为信任依据）：{subject}，SHA-256 {fp}" if zh
                       else f"Root stored in the package (shown only, never trusted): {subject}, SHA-256 {fp}")
        for name in PROPERTIES:
            held = self.properties[name]
            word = name if zh else PROPERTY_EN[name]
            if zh:
                line = f"{word}：{ {True: '通过', False: '不通过', None: '未能检测'}[held] }"
            else:
                line = f"{word}: { {True: 'pass', False: 'FAIL', None: 'not checked'}[held] }"
            if name == "真实性" and held is not None:
                line += self._vouched(lang)
            out.append(line)
        for p in self.problems:
            out.append(("问题：" if zh else "Problem: ") + p.message(lang))
        out.append(("结论：归档包完整、未被改动，检测通过。" if self.ok else "结论：检测不通过。") if zh
                   else ("Result: the package is complete and unaltered." if self.ok
                         else "Result: verification FAILED."))
        return out

    def _vouched(self, lang: str) -> str:
        """What the 真实性 line says about who vouched for the package."""
        zh = normalise_lang(lang) == "zh_CN"
        sig = self.signature
        if sig is not None and sig.ok:
            return (f"（归档签名“{sig.signer}”，由包外信任根 {sig.root_subject} 担保，"
                    f"SHA-256 指纹 {sig.root_fingerprint}）" if zh else
                    f" (package signed by '{sig.signer}', vouched for by the outside trust root "
                    f"{sig.root_subject}, SHA-256 fingerprint {sig.root_fingerprint})")
        if self.trust == "none":
            return ("（没有提供包外信任根证书，无法确认由谁归档）" if zh
                    else " (no trust root from outside the package was given; nothing shows who archived it)")
        if sig is not None and sig.problem:
            return (f"（归档签名未获包外信任根担保：{render(sig.problem, lang, sig.params)}）" if zh
                    else f" (the package signature is not vouched for: {render(sig.problem, lang, sig.params)})")
        return ""

    def to_dict(self, lang: str = "zh_CN") -> dict[str, Any]:
        out = asdict(self)
        out["problems"] = [{"code": p.code, "property": p.property, "message": p.message(lang),
                            "params": p.params} for p in self.problems]
        out["properties"] = self.properties
        return out


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _check_manifest_shape(manifest: Any) -> str | None:
    """None when the manifest has the expected shape, else what is wrong."""
    if not isinstance(manifest, dict):
        return "顶层应为对象 / top level must be an object"
    if manifest.get("format") != FORMAT:
        return f"format 应为 {FORMAT} / format must be {FORMAT}"
    files = manifest.get("files")
    if not isinstance(files, list) or not files:
        return "files 应为非空列表 / files must be a non-empty list"
    paths = set()
    for i, entry in enumerate(files):
        if not isinstance(entry, dict):
            return f"files[{i}] 应为对象 / must be an object"
        path, sha, size = entry.get("path"), entry.get("sha256"), entry.get("size")
        if not isinstance(path, str) or not path:
            return f"files[{i}].path"
        if not isinstance(sha, str) or not _HEX64.match(sha):
            return f"files[{i}].sha256"
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            return f"files[{i}].size"
        if path in paths:
            return f"files[{i}].path 重复 / duplicate: {path}"
        paths.add(path)
    for key in ("archive_no", "document_id", "archived_at"):
        if not isinstance(manifest.get(key), str):
            return key
    return None


def _unsafe(path: str) -> bool:
    return (path.startswith(("/", "\\")) or "\\" in path or re.match(r"^[A-Za-z]:", path) is not None
            or any(part == ".." for part in path.split("/")))


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise ValueError(f"{info.file_size} bytes")
    with zf.open(info) as fh:
        return fh.read(MAX_MEMBER_BYTES + 1)


def _load_roots(report: ArchiveReport, manifest: dict[str, Any],
                contents: dict[str, bytes]) -> list[Any]:
    from cryptography import x509

    roots = []
    for item in manifest.get("trust_roots") or []:
        if not isinstance(item, dict):
            continue
        path = str(item.get("path", ""))
        data = contents.get(path)
        if data is None:
            continue  # reported as a missing member already
        try:
            cert = x509.load_pem_x509_certificate(data)
        except ValueError as exc:
            report.add("archive.trust_root_invalid", path=path, detail=str(exc)[:120])
            continue
        if item.get("sha256_fingerprint") and fingerprint(cert) != item["sha256_fingerprint"]:
            report.add("archive.metadata_mismatch", path=MANIFEST, field="trust_roots",
                       found=fingerprint(cert), expected=item["sha256_fingerprint"])
            continue
        roots.append(cert)
    return roots


_META_FIELDS = ("题名", "文件编号", "责任者", "日期", "密级", "保管期限")


def _check_metadata(report: ArchiveReport, manifest: dict[str, Any],
                    contents: dict[str, bytes], pages: dict[str, int]) -> None:
    raw = contents.get(METADATA_JSON)
    if raw is None:
        return  # missing member already reported
    try:
        meta = json.loads(raw.decode("utf-8"))
        if not isinstance(meta, dict) or not isinstance(meta.get("内容描述"), dict):
            raise ValueError("内容描述")
    except (ValueError, UnicodeDecodeError) as exc:
        report.add("archive.metadata_invalid", path=METADATA_JSON, detail=str(exc)[:160])
        return

    def mismatch(fld: str, found: Any, expected: Any, path: str = METADATA_JSON) -> None:
        report.add("archive.metadata_mismatch", path=path, field=fld, found=found, expected=expected)

    desc = meta["内容描述"]
    if meta.get("档号") != manifest.get("archive_no"):
        mismatch("档号", meta.get("档号"), manifest.get("archive_no"))
    if meta.get("电子文件号") != manifest.get("document_id"):
        mismatch("电子文件号", meta.get("电子文件号"), manifest.get("document_id"))
    if desc.get("密级") != "非涉密":
        report.add("archive.classified_marking", path=METADATA_JSON, marking=f"密级：{desc.get('密级')}")
    try:
        number = parse_archive_no(str(meta.get("档号", "")))
        if desc.get("保管期限") != number.retention:
            mismatch("保管期限", desc.get("保管期限"), number.retention)
    except ValidationFailed:
        mismatch("档号", meta.get("档号"), manifest.get("archive_no"))
    if manifest.get("retention") and desc.get("保管期限") != manifest.get("retention"):
        mismatch("保管期限", desc.get("保管期限"), manifest.get("retention"))
    if desc.get("题名") != manifest.get("title", desc.get("题名")):
        mismatch("题名", desc.get("题名"), manifest.get("title"))

    # 文件实体 must describe exactly the manifest's non-metadata files
    listed = {e["path"]: e for e in manifest["files"] if e.get("role") != "metadata"}
    entities = meta.get("文件实体")
    if not isinstance(entities, list):
        report.add("archive.metadata_invalid", path=METADATA_JSON, detail="文件实体")
    else:
        seen = set()
        for ent in entities:
            if not isinstance(ent, dict):
                continue
            path = ent.get("计算机文件名")
            seen.add(path)
            entry = listed.get(path)
            if entry is None:
                mismatch("文件实体", path, "（清单中没有此文件 / not in the manifest）")
                continue
            if ent.get("SHA-256") != entry["sha256"]:
                mismatch(f"{path} SHA-256", ent.get("SHA-256"), entry["sha256"])
            if ent.get("计算机文件大小") != entry["size"]:
                mismatch(f"{path} 计算机文件大小", ent.get("计算机文件大小"), entry["size"])
            if entry.get("pages") is not None and ent.get("页数") != entry.get("pages"):
                mismatch(f"{path} 页数", ent.get("页数"), entry.get("pages"))
        for path in listed:
            if path not in seen:
                mismatch("文件实体", "（缺少 / missing）", path)
    main = next((e for e in manifest["files"] if e.get("role") == "main"), None)
    form = mapping_at(meta, "形式特征")
    if main is not None and main["path"] in pages and form.get("页数") != pages[main["path"]]:
        mismatch("页数", form.get("页数"), pages[main["path"]])

    xml_raw = contents.get(METADATA_XML)
    if xml_raw is None:
        return
    try:
        root = ET.fromstring(xml_raw)
    except ET.ParseError as exc:
        report.add("archive.metadata_invalid", path=METADATA_XML, detail=str(exc)[:160])
        return
    if _text(root.findtext("档号")) != _text(meta.get("档号")):
        mismatch("档号", root.findtext("档号"), meta.get("档号"), METADATA_XML)
    for fld in _META_FIELDS:
        found = _text(root.findtext(f"内容描述/{fld}"))
        if found != _text(desc.get(fld)):
            mismatch(fld, found, desc.get(fld), METADATA_XML)
    found_pages = _text(root.findtext("形式特征/页数"))
    if found_pages != _text(form.get("页数")):
        mismatch("页数", found_pages, form.get("页数"), METADATA_XML)


def verify_package(data: bytes, trust_roots: Iterable[Any] | None = None, *,
                   expected_manifest_sha256: str | None = None,
                   lang: str = "zh_CN") -> ArchiveReport:
    """Check an archive package: the 四性 (see the module docstring).

    ``trust_roots`` (``cryptography`` certificates) must come from outside the package
    (the verifier's own copy of the seal authority root): the package signature
    (``manifest.sig``) and every signed PDF must chain to one of them. Without them
    真实性 fails (``archive.no_trust_root``); the roots stored in the package are shown,
    never trusted. ``expected_manifest_sha256``: the hash recorded in the archive
    register, to detect a package replaced as a whole. Signatures are checked as of the
    archiving time. Member names written without the UTF-8 flag are read as their
    writer meant them (:func:`modules.documents.archive.zipnames.member_name`). Never raises
    for bad input.
    """
    report = ArchiveReport()
    data = bytes(data or b"")
    report.package_sha256 = _sha(data)
    if not data:
        report.add("archive.empty")
        return report
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        report.add("archive.not_zip", detail=str(exc)[:160] or type(exc).__name__)
        return report

    with zf:
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir():
                continue
            name = member_name(info)
            if _unsafe(name):
                report.add("archive.member_unsafe", path=name)
                continue
            if name in by_name:
                report.add("archive.member_duplicate", path=name)
                continue
            by_name[name] = info

        contents: dict[str, bytes] = {}
        corrupt: set[str] = set()
        for name, info in by_name.items():
            try:
                contents[name] = _read_member(zf, info)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError,
                    NotImplementedError, RuntimeError) as exc:
                corrupt.add(name)
                report.add("archive.member_corrupt", path=name, detail=str(exc)[:160])

    if MANIFEST not in contents:
        if MANIFEST not in corrupt:
            report.add("archive.manifest_missing")
        return report
    manifest_bytes = contents[MANIFEST]
    report.manifest_sha256 = _sha(manifest_bytes)
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        report.add("archive.manifest_invalid", detail=str(exc)[:160])
        return report
    problem = _check_manifest_shape(manifest)
    if problem:
        report.add("archive.manifest_invalid", detail=problem)
        return report
    report.archive_no = manifest["archive_no"]
    report.document_id = manifest["document_id"]
    report.title = str(manifest.get("title", ""))
    report.archived_at = manifest["archived_at"]

    recorded = contents.get(MANIFEST_HASH)
    if recorded is None:
        if MANIFEST_HASH not in corrupt:
            report.add("archive.manifest_hash_missing")
    else:
        expected = recorded.decode("ascii", "replace").split()[0] if recorded.strip() else ""
        if expected != report.manifest_sha256:
            report.add("archive.manifest_hash_mismatch", expected=expected or "—",
                       actual=report.manifest_sha256)
    if expected_manifest_sha256 and expected_manifest_sha256.lower() != report.manifest_sha256:
        report.add("archive.manifest_not_registered", expected=expected_manifest_sha256,
                   actual=report.manifest_sha256)

    listed = {e["path"] for e in manifest["files"]}
    for name in sorted(set(by_name) - listed - {MANIFEST, MANIFEST_HASH, MANIFEST_SIG}):
        report.add("archive.member_extra", path=name)

    good: dict[str, bytes] = {}
    for entry in manifest["files"]:
        path = entry["path"]
        check = FileCheck(path=path, role=str(entry.get("role", "")))
        report.files.append(check)
        if path not in contents:
            if path not in corrupt:
                report.add("archive.member_missing", path=path)
            continue
        check.present = True
        body = contents[path]
        actual = _sha(body)
        if actual != entry["sha256"]:
            report.add("archive.member_altered", path=path, expected=entry["sha256"], actual=actual)
        elif len(body) != entry["size"]:
            report.add("archive.member_size", path=path, expected=entry["size"], actual=len(body))
        else:
            check.hash_ok = True
            good[path] = body

    try:
        archived_at = dt.datetime.fromisoformat(manifest["archived_at"].replace("Z", "+00:00"))
        if archived_at.tzinfo is None:
            archived_at = archived_at.replace(tzinfo=CST)
    except ValueError:
        report.add("archive.manifest_invalid", detail="archived_at")
        archived_at = dt.datetime.now(dt.UTC)

    roots = list(trust_roots or [])
    report.trust = "given" if roots else "none"
    report.package_roots = [(c.subject.rfc4514_string(), fingerprint(c))
                            for c in _load_roots(report, manifest, good)]
    if MANIFEST_SIG in corrupt:
        report.signature = ManifestSignature(problem="archive.package_signature_malformed")
    else:
        report.signature = verify_manifest_signature(contents.get(MANIFEST_SIG), manifest_bytes,
                                                     roots, archived_at)
        if report.signature.problem:
            report.add(report.signature.problem, **report.signature.params)
    if not roots and report.signature.problem != "archive.no_trust_root":
        report.add("archive.no_trust_root")

    pages: dict[str, int] = {}
    for entry, check in zip(manifest["files"], report.files, strict=True):
        path = entry["path"]
        pdf = good.get(path)
        if pdf is None or entry.get("media_type") != "application/pdf":
            continue
        facts = inspect_pdf(pdf)
        if facts.encrypted:
            report.add("archive.pdf_encrypted", path=path)
            continue
        if facts.error:
            report.add("archive.pdf_unreadable", path=path, detail=facts.error)
            continue
        check.pages = pages[path] = facts.pages
        if entry.get("pages") is not None and entry["pages"] != facts.pages:
            report.add("archive.pages_mismatch", path=path, actual=facts.pages, expected=entry["pages"])
        for page, font in facts.unembedded:
            report.add("archive.font_not_embedded", path=path, page=page, font=font)
        for marking in facts.markings:
            report.add("archive.classified_marking", path=path, marking=marking)
        _check_signatures(report, check, entry, pdf, roots, archived_at, lang)

    if manifest.get("classification", "非涉密") != "非涉密":
        report.add("archive.classified_marking", path=MANIFEST,
                   marking=str(manifest.get("classification")))
    _check_metadata(report, manifest, good, pages)
    report.checked = True
    report.ok = not report.problems
    return report


def _check_signatures(report: ArchiveReport, check: FileCheck, entry: Mapping[str, Any],
                      body: bytes, roots: list[Any], moment: dt.datetime, lang: str) -> None:
    recorded = entry.get("signatures")
    if not isinstance(recorded, dict) or not recorded.get("count"):
        return
    try:
        now = signature_record(body, roots, moment, lang)
    except DomainError as exc:
        report.add("archive.signature_broken", path=entry["path"], signer="", detail=exc.message(lang))
        check.signatures_ok = False
        return
    found = now["signatures"] if now else []
    check.signatures = len(found)
    check.signatures_ok = True
    if len(found) != recorded["count"]:
        report.add("archive.signature_count", path=entry["path"], actual=len(found),
                   expected=recorded["count"])
        check.signatures_ok = False
    for s in found:
        if not s["intact"] or s["modified_after_signing"]:
            report.add("archive.signature_broken", path=entry["path"], signer=s["signer"],
                       detail="；".join(s["messages"]))
            check.signatures_ok = False
        elif roots and not s["trusted"]:
            report.add("archive.signature_untrusted", path=entry["path"], signer=s["signer"])
            check.signatures_ok = False


# =========================================================================== command line


def _lang() -> str:
    return normalise_lang(os.environ.get("OFFICE_LANG") or os.environ.get("LANG", "zh_CN"))


def verify_command(package_path: str, trust_roots: list[str] | None = None) -> int:
    """``python main.py archive verify PKG.zip``: print the report in the user's language
    (``OFFICE_LANG``/``LANG``; Chinese by default). Exit 0 only when every check holds,
    1 when the package fails verification, 2 when the file or a trust root cannot be
    read. Trust roots (PEM files) come from outside the package, first found wins:
    ``trust_roots`` (``--trust-root``), the ``OFFICE_TRUST_ROOTS`` environment variable
    (paths separated by ``os.pathsep``), then where ``python main.py verify`` looks
    (``OFFICE_SEAL_TRUST_ROOTS``, the server root the client keeps; see
    :mod:`modules.seals.cli`), then the embedded server's root on this computer
    (:func:`modules.documents.archive.sign.embedded_server_roots`). Without any, 真实性
    fails. Never prints a traceback for bad input."""
    lang = _lang()
    zh = lang == "zh_CN"
    path = Path(package_path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        print(f"找不到文件：{path}" if zh else f"File not found: {path}", file=sys.stderr)
        return 2
    except IsADirectoryError:
        print(f"{path} 是目录，不是归档包文件。" if zh else f"{path} is a directory, not a package.",
              file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"无法读取 {path}：{exc.strerror or exc}" if zh else f"Cannot read {path}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2

    root_paths = list(trust_roots or [])
    env = os.environ.get("OFFICE_TRUST_ROOTS", "")
    if not root_paths and env:
        root_paths = [p for p in env.split(os.pathsep) if p]
    if not root_paths:
        from modules.seals.cli import trust_root_paths

        root_paths = [str(p) for p in trust_root_paths(None)]
    from cryptography import x509

    from modules.documents.archive.sign import embedded_server_roots

    roots = [] if root_paths else embedded_server_roots()
    for rp in root_paths:
        try:
            roots.extend(x509.load_pem_x509_certificates(Path(rp).read_bytes()))
        except (OSError, ValueError) as exc:
            print(f"无法读取根证书 {rp}：{exc}" if zh else f"Cannot read the root certificate {rp}: {exc}",
                  file=sys.stderr)
            return 2

    report = verify_package(data, roots, lang=lang)
    stream = sys.stdout if report.ok else sys.stderr
    print(f"归档包：{path}" if zh else f"Package: {path}", file=stream)
    for line in report.lines(lang):
        print(line, file=stream)
    return 0 if report.ok else 1
