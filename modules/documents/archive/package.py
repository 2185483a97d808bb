"""Building the archive package (:func:`build_package`).

One 件 as a zip: the PDFs (正文, stamped versions, other versions), attachments, the 办文单
(:func:`modules.documents.form.render_form`), ``metadata.json`` + ``metadata.xml``
(DA/T 46-2009 element names), ``manifest.json`` (every member with SHA-256 and size, the
signature check of each signed PDF at archiving time), ``manifest.sha256`` (the manifest
hash) and ``manifest.sig`` (the archiving body's signature,
:mod:`modules.documents.archive.sign`).

Pure module: no Qt, no HTTP, no database. CPU-bound: call off the GUI thread.
The package format is described in docs/ARCHIVE.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

from modules.common.errors import ClassifiedRefused, ValidationFailed
from modules.common.shapes import mapping_at
from modules.documents.archive import messages as _messages  # noqa: F401  (registers codes)
from modules.documents.archive.numbers import ArchiveNo, validate_archive_no
from modules.documents.archive.pdf import inspect_pdf, signature_record
from modules.documents.archive.sign import MANIFEST_SIG, ArchiveSigner, fingerprint, sign_manifest
from modules.documents.rules import CLASSIFICATION_LEVELS, refuse_classified

FORMAT = "office-collab/archive/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
METADATA_JSON = "metadata.json"
METADATA_XML = "metadata.xml"
CST = dt.timezone(dt.timedelta(hours=8), "CST")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CST)
    return moment.astimezone(CST).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def _safe_name(name: str, fallback: str) -> str:
    cleaned = _UNSAFE_NAME.sub("_", _text(name)).strip(" .")
    return cleaned[:80] or fallback


_EXT = {"application/pdf": ".pdf", "application/ofd": ".ofd", "image/png": ".png",
        "image/jpeg": ".jpg", "text/plain": ".txt"}


def _media_type(data: bytes, declared: str = "") -> str:
    if data.lstrip()[:5].startswith(b"%PDF-"):
        return "application/pdf"
    return declared or "application/octet-stream"


@dataclass
class _Member:
    path: str
    data: bytes
    role: str  # main | stamped | version | attachment | form | trust_root | metadata
    label: str  # Chinese role words for the metadata
    media_type: str
    pages: int | None = None
    signatures: dict[str, Any] | None = None


ROLE_WORDS = {"main": "正文", "stamped": "正文（盖章件）", "version": "其他稿本",
              "attachment": "附件", "form": "办文单", "trust_root": "印章机构根证书",
              "metadata": "元数据"}


def _finished(doc: Mapping[str, Any]) -> None:
    wf = mapping_at(doc, "workflow")
    status = _text(doc.get("status") or wf.get("status") or "done")
    current = _text(doc.get("step") or wf.get("current"))
    if status == "done" or (status == "active" and current == "archive"):
        return
    words = {"active": "办理中", "voided": "已作废", "recalled": "已撤回", "returned": "已退回"}
    raise ValidationFailed("archive.not_finished", status=words.get(status, status))


def _collect(doc: Mapping[str, Any], files: Mapping[str, bytes]) -> list[_Member]:
    """Put each supplied file in its place, checking hashes and completeness."""
    main_sha = _text(doc.get("pdf_sha256"))
    seal = mapping_at(doc, "seal")
    stamped_sha = _text(seal.get("stamped_sha256"))
    attachments = [a for a in doc.get("attachments") or [] if isinstance(a, Mapping)]
    by_hash: dict[str, bytes] = {}
    named: dict[str, bytes] = {}
    for key, data in files.items():
        if not isinstance(data, bytes | bytearray):
            raise ValidationFailed("archive.bad_file_name", name=str(key))
        if re.fullmatch(r"[0-9a-f]{64}", key):
            if _sha(bytes(data)) != key:
                raise ValidationFailed("archive.blob_hash_mismatch", sha256=key)
            by_hash[key] = bytes(data)
        else:
            name = _text(key)
            if not name or "/" in name or "\\" in name or name.startswith("."):
                raise ValidationFailed("archive.bad_file_name", name=str(key))
            named[name] = bytes(data)

    members: list[_Member] = []
    if not main_sha:
        raise ValidationFailed("archive.file_missing", what="正文 PDF", what_en="the main PDF",
                               sha256="—")
    if main_sha not in by_hash:
        raise ValidationFailed("archive.file_missing", what="正文 PDF", what_en="the main PDF",
                               sha256=main_sha)
    stamped_main = bool(stamped_sha) and stamped_sha == main_sha
    main = by_hash[main_sha]
    if _media_type(main) != "application/pdf":
        raise ValidationFailed("archive.file_not_pdf", what="正文", what_en="The main document")
    members.append(_Member("document/正文.pdf", main, "main",
                           ROLE_WORDS["stamped" if stamped_main else "main"], "application/pdf"))
    used = {main_sha}
    if stamped_sha and not stamped_main:
        if stamped_sha not in by_hash:
            raise ValidationFailed("archive.file_missing", what="盖章件", what_en="the stamped PDF",
                                   sha256=stamped_sha)
        data = by_hash[stamped_sha]
        if _media_type(data) != "application/pdf":
            raise ValidationFailed("archive.file_not_pdf", what="盖章件", what_en="The stamped copy")
        members.append(_Member("document/正文（盖章件）.pdf", data, "stamped",
                               ROLE_WORDS["stamped"], "application/pdf"))
        used.add(stamped_sha)
    for i, att in enumerate(attachments, start=1):
        sha = _text(att.get("sha256"))
        name = _text(att.get("name")) or f"附件{i}"
        if sha not in by_hash:
            raise ValidationFailed("archive.file_missing", what=f"附件“{name}”",
                                   what_en=f"attachment '{name}'", sha256=sha or "—")
        data = by_hash[sha]
        media = _media_type(data, _text(att.get("content_type")))
        ext = _EXT.get(media, "")
        base = _safe_name(name, f"附件{i}")
        if ext and not base.lower().endswith(ext):
            base += ext
        members.append(_Member(f"attachments/{i:02d}-{base}", data, "attachment", "附件", media))
        used.add(sha)
    for sha in by_hash:
        if sha not in used:
            raise ValidationFailed("archive.file_unreferenced", sha256=sha)
    for name, data in sorted(named.items()):
        members.append(_Member(f"document/其他稿本/{_safe_name(name, 'file')}", data, "version",
                               ROLE_WORDS["version"], _media_type(data)))
    return members


def _responsible(doc: Mapping[str, Any]) -> str:
    spec = mapping_at(doc, "spec")
    if _text(doc.get("kind")) == "incoming":
        source = mapping_at(doc, "source")
        return _text(source.get("body_name")) or _text(spec.get("signature"))
    sigs = spec.get("signatures") or []
    if isinstance(sigs, list) and sigs:
        return "、".join(_text(s) for s in sigs)
    return _text(spec.get("signature")) or _text(doc.get("body_name"))


def _names(items: Any) -> str:
    if isinstance(items, str):
        return items
    return "、".join(_text(i.get("name")) if isinstance(i, Mapping) else _text(i)
                    for i in items or [] if i)


def _doc_date(doc: Mapping[str, Any]) -> str:
    spec = mapping_at(doc, "spec")
    raw = _text(spec.get("date"))
    if raw:
        from modules.documents.rules import parse_date

        try:
            return parse_date(raw).isoformat()
        except ValidationFailed:
            return raw
    return _text(doc.get("created_at"))[:10]


def _business(doc: Mapping[str, Any]) -> list[dict[str, str]]:
    """业务实体: every opinion-bearing action, in order."""
    from modules.documents.form import opinions_of

    out = []
    for o in opinions_of(doc):
        person = mapping_at(o, "person")
        out.append({"业务行为": _text(o.get("step_name")) or _text(o.get("step")),
                    "行为时间": _text(o.get("at")),
                    "机构人员名称": _text(person.get("name")),
                    "个人职位": _text(person.get("post")),
                    "行为描述": _text(o.get("text"))})
    return out


def _metadata(doc: Mapping[str, Any], number: ArchiveNo, members: list[_Member],
              archived_by: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    spec = mapping_at(doc, "spec")
    main = next(m for m in members if m.role == "main")
    content = [m for m in members if m.role in ("main", "stamped", "attachment")]
    signatures = []
    for m in members:
        for s in (m.signatures or {}).get("signatures", []):
            signatures.append({"计算机文件名": m.path, "签名人": s["signer"],
                               "签名机构": s["organisation"], "签名时间": s["signing_time"] or "",
                               "签名结果": "有效" if s["ok"] else "无效",
                               "证书受信任": s["trusted"]})
    return {
        "元数据方案": "DA/T 46-2009 文书类电子文件元数据（参照）",
        "聚合层次": "件",
        "来源": {"立档单位名称": _text(doc.get("body_name")), "全宗号": number.fonds},
        "电子文件号": _text(doc.get("id")),
        "档号": str(number),
        "档号构成": number.to_dict(),
        "内容描述": {
            "题名": _text(doc.get("title")) or _text(spec.get("title")),
            "文件编号": _text(doc.get("doc_number")) or _text(spec.get("doc_number")),
            "收文编号": _text(doc.get("receipt_number")),
            "责任者": _responsible(doc),
            "日期": _doc_date(doc),
            "文种": _text(doc.get("doc_type")) or _text(spec.get("doc_type")),
            "紧急程度": _text(doc.get("urgency")) or _text(spec.get("urgency")),
            "主送": _names(doc.get("main_to")) or _text(spec.get("recipients")),
            "抄送": _names(doc.get("cc_to")) or _text(spec.get("cc")),
            "密级": "非涉密",
            "保管期限": number.retention,
        },
        "形式特征": {
            "文件组合类型": "组合文件" if len(content) > 1 else "单件",
            "件数": len(content),
            "页数": main.pages or 0,
            "语种": "汉语",
            "稿本": "正本",
        },
        "文件实体": [
            {"计算机文件名": m.path, "文件角色": m.label, "格式信息": m.media_type,
             "计算机文件大小": len(m.data), "页数": m.pages, "SHA-256": _sha(m.data)}
            for m in members
        ],
        "电子签名": signatures,
        "业务实体": _business(doc),
        "归档": {"归档时间": _iso(now), "归档人": _text(archived_by.get("name")),
                 "归档人职位": _text(archived_by.get("post")), "归档人编号": _text(archived_by.get("id"))},
    }


def _xml(value: Any, parent: ET.Element, tag: str) -> None:
    el = ET.SubElement(parent, tag)
    if isinstance(value, Mapping):
        for k, v in value.items():
            _xml(v, el, _xml_tag(k))
    elif isinstance(value, list):
        child_tag = {"文件实体": "文件", "电子签名": "签名", "业务实体": "业务行为记录"}.get(tag, "项")
        for item in value:
            _xml(item, el, child_tag)
    elif value is None:
        pass
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    else:
        el.text = str(value)


def _xml_tag(name: str) -> str:
    return "SHA256" if name == "SHA-256" else re.sub(r"[^\w]", "_", name)


def metadata_xml(meta: Mapping[str, Any]) -> bytes:
    """``metadata.json`` content as XML (element names = the DA/T 46 names)."""
    root = ET.Element("电子文件元数据", {"方案": "DA/T 46-2009"})
    for k, v in meta.items():
        _xml(v, root, _xml_tag(k))
    ET.indent(root)
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml + b"\n"


def _dumps(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def build_package(doc: Mapping[str, Any], files: Mapping[str, bytes], *,
                  archived_by: Mapping[str, Any], now: dt.datetime,
                  archive_no: str | None = None, retention: str | None = None,
                  trust_roots: Iterable[Any] | None = None,
                  form_pdf: bytes | None = None,
                  signer: ArchiveSigner | None = None) -> bytes:
    """The archive package (归档包) of one document as zip bytes.

    ``doc`` is the ``documents.document`` entity. ``files`` maps either the SHA-256 of a
    blob the document references (``pdf_sha256`` = 正文, ``seal.stamped_sha256``,
    ``attachments[].sha256``) to its bytes, or a plain file name (e.g. the registered
    unsealed version) to bytes kept as 其他稿本. The 档号 and 保管期限 come from the
    arguments, else from ``doc["archive"]``; the 保管期限 defaults to
    :func:`default_retention`. ``trust_roots`` (``cryptography`` certificates) are the
    seal authority roots: every signed PDF is verified against them as of ``now`` and
    refused when a signature is broken (or untrusted, when roots are given); the roots go
    into the package (for information: verification never trusts them). ``form_pdf``
    overrides the rendered 办文单. ``signer``: the archiving body's key, which signs the
    manifest (``manifest.sig``, :mod:`modules.documents.archive.sign`); a package
    without it fails the 真实性 check.

    Output is deterministic for the same input. Raises ``ClassifiedRefused`` for
    anything carrying a 密级, and ValidationFailed (``archive.*``) saying what is
    missing or wrong; nothing is returned half-built.
    """
    if not isinstance(doc, Mapping):
        raise ValidationFailed("request.invalid", detail="doc")
    refuse_classified(doc)
    if not isinstance(archived_by, Mapping) or not archived_by.get("id") or not archived_by.get("name"):
        raise ValidationFailed("archive.bad_archived_by")
    _finished(doc)
    arch = mapping_at(doc, "archive")
    number_text = archive_no if archive_no is not None else _text(arch.get("archive_no"))
    if not _text(number_text):
        raise ValidationFailed("archive.no_required")
    chosen = retention or _text(arch.get("retention")) or None
    number = validate_archive_no(number_text, chosen)
    if now.tzinfo is None:
        now = now.replace(tzinfo=CST)
    roots = list(trust_roots or [])

    members = _collect(doc, files)
    from modules.documents.form import render_form

    form = form_pdf if form_pdf is not None else render_form(doc, footer=f"档号 {number}")
    members.append(_Member("form/办文单.pdf", form, "form", ROLE_WORDS["form"], "application/pdf"))
    for i, cert in enumerate(roots, start=1):
        from cryptography.hazmat.primitives import serialization

        members.append(_Member(f"trust/root-{i}.pem", cert.public_bytes(serialization.Encoding.PEM),
                               "trust_root", ROLE_WORDS["trust_root"], "application/x-pem-file"))

    for m in members:
        if m.media_type != "application/pdf":
            continue
        facts = inspect_pdf(m.data)
        if facts.error or facts.encrypted:
            raise ValidationFailed("archive.pdf_unreadable", path=m.path,
                                   detail=facts.error or "encrypted")
        if facts.markings:
            level = next((lv for lv in CLASSIFICATION_LEVELS if lv in facts.markings[0]), "")
            raise ClassifiedRefused(level)
        if facts.unembedded:
            page, font = facts.unembedded[0]
            raise ValidationFailed("archive.font_not_embedded", path=m.path, page=page, font=font)
        m.pages = facts.pages
        record = signature_record(m.data, roots, now)
        if record is not None:
            record["checked_at"] = _iso(now)
            for s in record["signatures"]:
                broken = not s["intact"] or s["modified_after_signing"] or (roots and not s["trusted"])
                if broken:
                    raise ValidationFailed("archive.signature_invalid", path=m.path,
                                           detail="；".join(s["messages"]) or s["signer"])
        m.signatures = record

    meta = _metadata(doc, number, members, archived_by, now)
    meta_json = _dumps(meta)
    meta_xml = metadata_xml(meta)
    entries = []
    for m in members:
        entry: dict[str, Any] = {"path": m.path, "role": m.role, "media_type": m.media_type,
                                 "size": len(m.data), "sha256": _sha(m.data)}
        if m.pages is not None:
            entry["pages"] = m.pages
        if m.media_type == "application/pdf":
            entry["signatures"] = m.signatures
        entries.append(entry)
    for path, data in ((METADATA_JSON, meta_json), (METADATA_XML, meta_xml)):
        entries.append({"path": path, "role": "metadata",
                        "media_type": "application/json" if path.endswith("json") else "application/xml",
                        "size": len(data), "sha256": _sha(data)})
    manifest = {
        "format": FORMAT,
        "archive_no": str(number),
        "document_id": _text(doc.get("id")),
        "title": meta["内容描述"]["题名"],
        "retention": number.retention,
        "classification": "非涉密",
        "archived_at": _iso(now),
        "archived_by": {k: _text(archived_by.get(k)) for k in ("id", "name", "post")},
        "hash_algorithm": "SHA-256",
        "trust_roots": [{"path": f"trust/root-{i}.pem", "sha256_fingerprint": fingerprint(c),
                         "subject": c.subject.rfc4514_string()} for i, c in enumerate(roots, start=1)],
        "files": entries,
    }
    manifest_bytes = _dumps(manifest)
    manifest_hash = _sha(manifest_bytes)

    local = now.astimezone(CST)
    stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        def put(path: str, data: bytes) -> None:
            info = zipfile.ZipInfo(path, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, data)

        for m in members:
            put(m.path, m.data)
        put(METADATA_JSON, meta_json)
        put(METADATA_XML, meta_xml)
        put(MANIFEST, manifest_bytes)
        put(MANIFEST_HASH, f"{manifest_hash}  {MANIFEST}\n".encode("ascii"))
        if signer is not None:
            put(MANIFEST_SIG, sign_manifest(manifest_bytes, signer, now))
        zf.comment = f"{FORMAT} {number} manifest-sha256:{manifest_hash}".encode()
    return buf.getvalue()
