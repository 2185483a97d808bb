"""Archiving (归档): 档号 rules, the archive package, and its verification (四性检测).

Pure module: no Qt, no HTTP, no database. Thread-safe (no shared state). Building and
verifying read PDFs and check signatures, which is CPU-bound: call off the GUI thread.

* 档号 (archive reference) — ``全宗号-门类代码·年度-保管期限-机构(问题)代码-件号``, e.g.
  ``Z001-WS·2026-Y-BGS-0012`` (DA/T 22-2015): :func:`parse_archive_no`,
  :func:`format_archive_no`, :class:`ArchiveNo`. 保管期限 codes: 永久 = ``Y``, 30年 =
  ``D30``, 10年 = ``D10``. :func:`default_retention` proposes a 保管期限 by document
  type (practice; the user may change it).
* :func:`build_package` — one 件 as a zip: the PDFs (正文, stamped versions, other
  versions), attachments, the 办文单 (:func:`modules.documents.form.render_form`),
  ``metadata.json`` + ``metadata.xml`` (DA/T 46-2009 element names), ``manifest.json``
  (every member with SHA-256 and size, the signature check of each signed PDF at
  archiving time), ``manifest.sha256`` (the manifest hash) and ``manifest.sig`` (the
  archiving body's signature, :mod:`modules.documents.archive_sign`).
* :func:`verify_package` — the 四性 checks of DA/T 70-2018 on a package: 真实性
  (the package signed by the archiving body under a root from outside the package,
  hashes, seals still valid and issued under those roots), 完整性 (nothing missing or added, metadata
  consistent), 可用性 (PDFs readable, fonts embedded), 安全性 (no classified marking,
  safe member names). Never raises for bad input: every problem is in the report.
* :func:`verify_command` — ``python main.py archive verify PKG.zip``.

The package format is described in docs/ARCHIVE.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from modules.common import messages
from modules.common.classified import find_markings
from modules.common.errors import ClassifiedRefused, DomainError, ValidationFailed
from modules.common.messages import normalise_lang, render
from modules.documents.archive_sign import (
    MANIFEST_SIG,
    ArchiveSigner,
    ManifestSignature,
    sign_manifest,
    verify_manifest_signature,
)
from modules.documents.archive_zip import member_name
from modules.documents.rules import CLASSIFICATION_LEVELS, refuse_classified

FORMAT = "office-collab/archive/1"
MANIFEST = "manifest.json"
MANIFEST_HASH = "manifest.sha256"
METADATA_JSON = "metadata.json"
METADATA_XML = "metadata.xml"
CST = dt.timezone(dt.timedelta(hours=8), "CST")

#: 保管期限 (retention) -> code in the 档号.
RETENTION_CODES: dict[str, str] = {"永久": "Y", "30年": "D30", "10年": "D10"}
CODE_RETENTIONS: dict[str, str] = {v: k for k, v in RETENTION_CODES.items()}

#: Largest member read when verifying (a bigger one is reported, not read).
MAX_MEMBER_BYTES = 512 * 1024 * 1024

messages.register({
    # 档号
    "archive.no_required": {
        "zh_CN": "请填写档号（格式：全宗号-门类代码·年度-保管期限-机构(问题)代码-件号，例如 Z001-WS·2026-Y-BGS-0012）。",
        "en": "An archive reference (档号) is required, e.g. Z001-WS·2026-Y-BGS-0012.",
    },
    "archive.no_invalid": {
        "zh_CN": "档号“{value}”格式不对，应为 全宗号-门类代码·年度-保管期限-机构(问题)代码-件号，例如 Z001-WS·2026-Y-BGS-0012。",
        "en": "The archive reference '{value}' should read fonds-category·year-retention-unit-item, e.g. Z001-WS·2026-Y-BGS-0012.",
    },
    "archive.no_separator": {
        "zh_CN": "档号“{value}”中门类代码与年度之间应使用间隔号“·”（例如 WS·2026）。",
        "en": "In the archive reference '{value}' the category and the year are joined by '·' (e.g. WS·2026).",
    },
    "archive.no_fonds": {
        "zh_CN": "全宗号“{value}”不对：应为 1–10 位大写字母或数字，例如 Z001。",
        "en": "The fonds number '{value}' must be 1–10 capital letters or digits, e.g. Z001.",
    },
    "archive.no_category": {
        "zh_CN": "门类代码“{value}”不对：应为 1–4 位大写字母，例如文书档案 WS。",
        "en": "The category code '{value}' must be 1–4 capital letters, e.g. WS for administrative records.",
    },
    "archive.no_year": {
        "zh_CN": "年度“{value}”不对：应为 4 位年份，例如 2026。",
        "en": "The year '{value}' must have 4 digits, e.g. 2026.",
    },
    "archive.no_retention": {
        "zh_CN": "保管期限代码“{value}”不对：永久为 Y，30年为 D30，10年为 D10。",
        "en": "The retention code '{value}' is not valid: Y (permanent), D30 (30 years) or D10 (10 years).",
    },
    "archive.no_org": {
        "zh_CN": "机构(问题)代码“{value}”不对：应为 1–10 位大写字母或数字，例如 BGS。",
        "en": "The unit (subject) code '{value}' must be 1–10 capital letters or digits, e.g. BGS.",
    },
    "archive.no_item": {
        "zh_CN": "件号“{value}”不对：应为 1–9999 的数字，写成 4 位，例如 0012。",
        "en": "The item number '{value}' must be 1–9999, written with 4 digits, e.g. 0012.",
    },
    "archive.bad_retention": {
        "zh_CN": "保管期限只能是永久、30年或10年（现为“{value}”）。",
        "en": "The retention period must be 永久 (permanent), 30年 or 10年 (got '{value}').",
    },
    "archive.retention_mismatch": {
        "zh_CN": "档号中的保管期限代码 {code}（{code_words}）与所选保管期限“{retention}”不一致。",
        "en": "The retention code {code} in the archive reference does not match the retention '{retention}'.",
    },
    # building
    "archive.not_finished": {
        "zh_CN": "公文尚未办结（当前状态：{status}），不能归档。",
        "en": "The document is not finished (status: {status}) and cannot be archived.",
    },
    "archive.bad_archived_by": {
        "zh_CN": "请注明归档人（需要编号和姓名）。",
        "en": "The person archiving (id and name) is required.",
    },
    "archive.file_missing": {
        "zh_CN": "归档材料不全：缺少{what}（SHA-256 {sha256}）。",
        "en": "The record is incomplete: {what_en} is missing (SHA-256 {sha256}).",
    },
    "archive.blob_hash_mismatch": {
        "zh_CN": "文件内容与其 SHA-256 编号不符：{sha256}。",
        "en": "A file does not match its SHA-256 name: {sha256}.",
    },
    "archive.file_unreferenced": {
        "zh_CN": "文件 {sha256} 不属于该公文，不能归入本件。",
        "en": "File {sha256} does not belong to this document and cannot be archived with it.",
    },
    "archive.file_not_pdf": {
        "zh_CN": "{what}不是 PDF 文件，不能作为归档版式文件。",
        "en": "{what_en} is not a PDF file and cannot be archived as the fixed-layout copy.",
    },
    "archive.bad_file_name": {
        "zh_CN": "文件名“{name}”不可用（不能含路径分隔符或以点开头）。",
        "en": "The file name '{name}' cannot be used (no path separators, not starting with a dot).",
    },
    "archive.signature_invalid": {
        "zh_CN": "{path} 的电子签章校验不通过，不能归档：{detail}",
        "en": "The electronic seal of {path} does not verify, so it cannot be archived: {detail}",
    },
    # verifying
    "archive.empty": {
        "zh_CN": "文件是空的（0 字节），不是归档包。",
        "en": "The file is empty (0 bytes); it is not an archive package.",
    },
    "archive.not_zip": {
        "zh_CN": "文件不是有效的归档包（不是 ZIP 格式或已损坏）：{detail}",
        "en": "The file is not a valid archive package (not a ZIP file, or damaged): {detail}",
    },
    "archive.manifest_missing": {
        "zh_CN": "归档包中没有清单文件 manifest.json，无法核对内容。",
        "en": "The package has no manifest.json; its contents cannot be checked.",
    },
    "archive.manifest_invalid": {
        "zh_CN": "清单文件 manifest.json 无法读取或格式不对：{detail}",
        "en": "manifest.json cannot be read or is malformed: {detail}",
    },
    "archive.manifest_hash_missing": {
        "zh_CN": "归档包中没有清单摘要文件 manifest.sha256。",
        "en": "The package has no manifest.sha256 (the manifest hash).",
    },
    "archive.manifest_hash_mismatch": {
        "zh_CN": "清单文件 manifest.json 已被改动：摘要应为 {expected}，实际为 {actual}。",
        "en": "manifest.json was changed: its hash should be {expected} but is {actual}.",
    },
    "archive.manifest_not_registered": {
        "zh_CN": "清单摘要 {actual} 与归档登记的 {expected} 不一致，归档包可能被整体替换。",
        "en": "The manifest hash {actual} differs from the registered {expected}; the package may have been replaced.",
    },
    "archive.member_missing": {
        "zh_CN": "清单中的文件 {path} 在归档包中不存在。",
        "en": "{path} is listed in the manifest but missing from the package.",
    },
    "archive.member_extra": {
        "zh_CN": "归档包中多出清单未列的文件 {path}。",
        "en": "{path} is in the package but not listed in the manifest.",
    },
    "archive.member_duplicate": {
        "zh_CN": "归档包中文件 {path} 出现了不止一次。",
        "en": "{path} appears more than once in the package.",
    },
    "archive.member_unsafe": {
        "zh_CN": "归档包中的文件名 {path} 不安全（绝对路径或含“..”）。",
        "en": "The member name {path} is unsafe (absolute, or contains '..').",
    },
    "archive.member_altered": {
        "zh_CN": "文件 {path} 已被改动：SHA-256 应为 {expected}，实际为 {actual}。",
        "en": "{path} was altered: its SHA-256 should be {expected} but is {actual}.",
    },
    "archive.member_size": {
        "zh_CN": "文件 {path} 的大小应为 {expected} 字节，实际为 {actual} 字节。",
        "en": "{path} should be {expected} bytes but is {actual} bytes.",
    },
    "archive.member_corrupt": {
        "zh_CN": "文件 {path} 已损坏，无法读出：{detail}",
        "en": "{path} is damaged and cannot be read: {detail}",
    },
    "archive.metadata_invalid": {
        "zh_CN": "元数据文件 {path} 无法读取或格式不对：{detail}",
        "en": "The metadata file {path} cannot be read or is malformed: {detail}",
    },
    "archive.metadata_mismatch": {
        "zh_CN": "元数据与清单不一致：{path} 中的“{field}”为“{found}”，应为“{expected}”。",
        "en": "Metadata and manifest disagree: '{field}' in {path} is '{found}', expected '{expected}'.",
    },
    "archive.pdf_unreadable": {
        "zh_CN": "{path} 无法作为 PDF 打开：{detail}",
        "en": "{path} cannot be opened as a PDF: {detail}",
    },
    "archive.pdf_encrypted": {
        "zh_CN": "{path} 已加密，长期保存的文件不得加密。",
        "en": "{path} is encrypted; records kept for the long term must not be.",
    },
    "archive.pages_mismatch": {
        "zh_CN": "{path} 有 {actual} 页，清单记录为 {expected} 页。",
        "en": "{path} has {actual} pages; the manifest records {expected}.",
    },
    "archive.font_not_embedded": {
        "zh_CN": "{path} 第 {page} 页使用的字体 {font} 没有嵌入，换一台电脑可能无法正确显示。",
        "en": "{path} page {page} uses font {font}, which is not embedded; it may not display correctly elsewhere.",
    },
    "archive.classified_marking": {
        "zh_CN": "{path} 中出现密级标志“{marking}”：本系统只能保存非涉密文件。",
        "en": "{path} carries the classification marking '{marking}'; only non-classified records may be kept here.",
    },
    "archive.signature_count": {
        "zh_CN": "{path} 中的电子签章数为 {actual}，归档时为 {expected}。",
        "en": "{path} has {actual} electronic seals; at archiving it had {expected}.",
    },
    "archive.signature_broken": {
        "zh_CN": "{path} 的电子签章“{signer}”已失效：{detail}",
        "en": "The electronic seal '{signer}' of {path} no longer verifies: {detail}",
    },
    "archive.signature_untrusted": {
        "zh_CN": "{path} 的电子签章“{signer}”不是由受信任的印章机构签发的。",
        "en": "The electronic seal '{signer}' of {path} was not issued by a trusted seal authority.",
    },
    "archive.trust_root_invalid": {
        "zh_CN": "归档包中的根证书 {path} 无法读取：{detail}",
        "en": "The root certificate {path} in the package cannot be read: {detail}",
    },
})

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


# =========================================================================== 档号


@dataclass(frozen=True)
class ArchiveNo:
    """A 档号: 全宗号 (fonds), 门类代码 (category), 年度 (year), 保管期限 code, 机构(问题)
    代码 (unit or subject, may be empty) and 件号 (item number)."""

    fonds: str
    category: str
    year: int
    retention_code: str
    org: str
    item: int

    @property
    def retention(self) -> str:
        """The 保管期限 in words: 永久, 30年 or 10年."""
        return CODE_RETENTIONS[self.retention_code]

    def __str__(self) -> str:
        return format_archive_no(self.fonds, self.category, self.year, self.retention_code,
                                 self.org, self.item)

    def to_dict(self) -> dict[str, Any]:
        """The parts under DA/T 46 names."""
        return {"全宗号": self.fonds, "门类代码": self.category, "年度": str(self.year),
                "保管期限": self.retention, "机构或问题": self.org, "件号": f"{self.item:04d}"}


_FONDS = re.compile(r"^[A-Z0-9]{1,10}$")
_CATEGORY = re.compile(r"^[A-Z]{1,4}$")
_ORG = re.compile(r"^[A-Z0-9]{1,10}$")
#: Look-alikes of the 间隔号 · that people type.
_DOTS = "·・•‧∙⋅"


def retention_code(retention: str) -> str:
    """``"永久"`` -> ``"Y"``; also accepts the code itself. ``archive.bad_retention``."""
    value = (retention or "").strip()
    if value in RETENTION_CODES:
        return RETENTION_CODES[value]
    if value.upper() in CODE_RETENTIONS:
        return value.upper()
    raise ValidationFailed("archive.bad_retention", value=value)


def format_archive_no(fonds: str, category: str, year: int, retention: str, org: str,
                      item: int) -> str:
    """Build a 档号; ``retention`` is 永久/30年/10年 or its code; the 件号 gets 4 digits.
    Each part is checked (ValidationFailed with the part's message)."""
    fonds = (fonds or "").strip().upper()
    category = (category or "").strip().upper()
    org = (org or "").strip().upper()
    if not _FONDS.match(fonds):
        raise ValidationFailed("archive.no_fonds", value=fonds)
    if not _CATEGORY.match(category):
        raise ValidationFailed("archive.no_category", value=category)
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValidationFailed("archive.no_year", value=str(year))
    try:
        code = retention_code(retention)
    except ValidationFailed:
        raise ValidationFailed("archive.no_retention", value=str(retention)) from None
    if org and not _ORG.match(org):
        raise ValidationFailed("archive.no_org", value=org)
    if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 9999:
        raise ValidationFailed("archive.no_item", value=str(item))
    parts = [fonds, f"{category}·{year}", code] + ([org] if org else []) + [f"{item:04d}"]
    return "-".join(parts)


def parse_archive_no(text: str) -> ArchiveNo:
    """Parse ``"Z001-WS·2026-Y-BGS-0012"`` (机构(问题)代码 optional:
    ``"Z001-WS·2026-D10-0003"``). Raises ValidationFailed naming the wrong part."""
    value = re.sub(r"\s+", "", text or "")
    if not value:
        raise ValidationFailed("archive.no_required")
    value = value.replace("－", "-").replace("—", "-")
    for dot in _DOTS[1:]:
        value = value.replace(dot, "·")
    parts = value.split("-")
    if len(parts) not in (4, 5) or any(not p for p in parts):
        raise ValidationFailed("archive.no_invalid", value=text)
    fonds, cat_year, code = parts[0], parts[1], parts[2]
    org = parts[3] if len(parts) == 5 else ""
    item_text = parts[-1]
    if "·" not in cat_year:
        if re.fullmatch(r"[A-Za-z]{1,4}[.．]?\d{4}", cat_year):
            raise ValidationFailed("archive.no_separator", value=text)
        raise ValidationFailed("archive.no_invalid", value=text)
    category, _, year_text = cat_year.partition("·")
    if not _FONDS.match(fonds):
        raise ValidationFailed("archive.no_fonds", value=fonds)
    if not _CATEGORY.match(category):
        raise ValidationFailed("archive.no_category", value=category)
    if not re.fullmatch(r"\d{4}", year_text):
        raise ValidationFailed("archive.no_year", value=year_text)
    if code not in CODE_RETENTIONS:
        raise ValidationFailed("archive.no_retention", value=code)
    if org and not _ORG.match(org):
        raise ValidationFailed("archive.no_org", value=org)
    if not re.fullmatch(r"\d{4}", item_text) or int(item_text) == 0:
        raise ValidationFailed("archive.no_item", value=item_text)
    return ArchiveNo(fonds, category, int(year_text), code, org, int(item_text))


def validate_archive_no(text: str, retention: str | None = None) -> ArchiveNo:
    """Parse ``text`` and, when ``retention`` is given, check it matches the code."""
    number = parse_archive_no(text)
    if retention is not None:
        code = retention_code(retention)
        if code != number.retention_code:
            raise ValidationFailed("archive.retention_mismatch", code=number.retention_code,
                                   code_words=number.retention, retention=retention)
    return number


#: Default 保管期限 by document type (practice, after 国家档案局令第8号 (2006)
#: 《机关文件材料归档范围和文书档案保管期限规定》); the user may change it.
OUTGOING_RETENTION: dict[str, str] = {
    "决议": "永久", "决定": "永久", "命令": "永久", "公报": "永久", "公告": "永久",
    "通告": "永久", "议案": "永久", "纪要": "永久",
    "意见": "30年", "通知": "30年", "通报": "30年", "报告": "30年", "请示": "永久",
    "批复": "30年", "函": "10年",
}
INCOMING_RETENTION: dict[str, str] = {
    "批复": "永久",  # the superior's reply to our 请示 is kept with it
    "决议": "30年", "决定": "30年", "命令": "30年", "意见": "30年",
}


def default_retention(doc_type: str, kind: str = "outgoing") -> str:
    """Proposed 保管期限 (永久/30年/10年) for a document of ``doc_type``.

    Outgoing (本机关制发): decisions and other normative types 永久, 请示 永久 (kept with
    its 批复), 通知/意见/报告/通报/批复 30年, 函 10年. Incoming: a 批复 to our 请示 永久;
    决议/决定/命令/意见 30年; everything else 10年. Practice, not a standard.
    """
    if kind == "incoming":
        return INCOMING_RETENTION.get(doc_type, "10年")
    return OUTGOING_RETENTION.get(doc_type, "30年")


# =========================================================================== PDF checks

def _quiet_reader(data: bytes) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data), strict=False)


def _is_embedded(font: Any) -> bool:
    """True when a font dictionary carries its glyphs (Type3, or a FontFile* stream)."""
    font = font.get_object()
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        desc = font.get("/DescendantFonts")
        if not desc:
            return False
        return all(_is_embedded(d) for d in desc.get_object())
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _shows_text(operands: list[Any], op: bytes) -> bool:
    if op in (b"Tj", b"'"):
        return bool(operands) and len(operands[-1]) > 0
    if op == b'"':
        return len(operands) >= 3 and len(operands[2]) > 0
    if op == b"TJ":
        return bool(operands) and any(
            not isinstance(x, int | float) and len(x) > 0 for x in operands[0])
    return False


def _fonts_used(content: Any, resources: Any, reader: Any, seen: set[int],
                depth: int = 0) -> dict[str, Any]:
    """Fonts that actually draw text in ``content`` (and forms it paints): name -> font
    dictionary. A font merely declared, or set without drawing text, does not count."""
    from pypdf.generic import ContentStream

    used: dict[str, Any] = {}
    if content is None or depth > 8:
        return used
    resources = resources.get_object() if resources is not None else {}
    fonts = (resources.get("/Font") or {})
    fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
    xobjects = resources.get("/XObject") or {}
    xobjects = xobjects.get_object() if hasattr(xobjects, "get_object") else xobjects
    stream = ContentStream(content, reader)
    current = None
    for operands, op in stream.operations:
        if op == b"Tf" and operands:
            current = str(operands[0])
        elif current is not None and _shows_text(operands, op):
            font = fonts.get(current)
            if font is not None:
                used[current] = font
            else:
                used[current] = None
        elif op == b"Do" and operands:
            name = str(operands[0])
            ref = xobjects.get(name)
            if ref is None:
                continue
            key = id(ref.get_object())
            xo = ref.get_object()
            if xo.get("/Subtype") != "/Form" or key in seen:
                continue
            seen.add(key)
            used.update(_fonts_used(xo, xo.get("/Resources") or resources, reader, seen, depth + 1))
    return used


@dataclass
class PdfFacts:
    """What :func:`inspect_pdf` found in one PDF."""

    pages: int = 0
    encrypted: bool = False
    unembedded: list[tuple[int, str]] = field(default_factory=list)  # (page, font name)
    markings: list[str] = field(default_factory=list)  # 密级 markings in the text
    error: str = ""


def inspect_pdf(data: bytes) -> PdfFacts:
    """Open ``data`` as a PDF and report pages, fonts used but not embedded (per page,
    including annotation appearances such as seals) and 密级 markings in its text.
    Never raises for bad input: ``error`` says why it could not be read."""
    facts = PdfFacts()
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        facts.error = "no %PDF header"
        return facts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = _quiet_reader(data)
            if reader.is_encrypted:
                facts.encrypted = True
                return facts
            facts.pages = len(reader.pages)
            if facts.pages == 0:
                facts.error = "no pages"
                return facts
            for number, page in enumerate(reader.pages, start=1):
                seen: set[int] = set()
                used = _fonts_used(page.get_contents(), page.get("/Resources"), reader, seen)
                for annot in page.get("/Annots") or []:
                    annot = annot.get_object()
                    ap = (annot.get("/AP") or {}).get("/N")
                    if ap is None:
                        continue
                    ap = ap.get_object()
                    streams = [ap] if hasattr(ap, "get_data") else [v.get_object() for v in ap.values()]
                    for xo in streams:
                        used.update(_fonts_used(xo, xo.get("/Resources"), reader, seen))
                for name, font in used.items():
                    if font is None or not _is_embedded(font):
                        base = str(font.get_object().get("/BaseFont", name)) if font is not None else name
                        item = (number, base.lstrip("/"))
                        if item not in facts.unembedded:
                            facts.unembedded.append(item)
                text = page.extract_text() or ""
                for marking in find_markings(text):
                    if marking not in facts.markings:
                        facts.markings.append(marking)
        except Exception as exc:  # untrusted input: any parse failure means "unreadable"
            facts.error = f"{type(exc).__name__}: {str(exc)[:160]}"
    return facts


def _signature_record(data: bytes, trust_roots: list[Any], moment: dt.datetime,
                      lang: str = "zh_CN") -> dict[str, Any] | None:
    """The signature check of a PDF as stored in the manifest; None when unsigned."""
    from modules.seals.verify import verify_pdf

    report = verify_pdf(data, trust_roots, lang=lang, moment=moment)
    if not report.signatures:
        return None
    return {
        "count": len(report.signatures),
        "ok": report.ok,
        "trusted": all(s.trusted for s in report.signatures),
        "signatures": [
            {"field": s.field_name, "signer": s.signer, "organisation": s.organisation,
             "seal_name": s.seal_name, "signing_time": s.signing_time,
             "timestamp_time": s.timestamp_time, "intact": s.intact, "trusted": s.trusted,
             "coverage": s.coverage, "modification": s.modification,
             "modified_after_signing": s.modified_after_signing, "ok": s.ok,
             "problems": list(s.problems), "messages": list(s.messages)}
            for s in report.signatures
        ],
    }


def _fingerprint(cert: Any) -> str:
    from cryptography.hazmat.primitives import hashes

    return cert.fingerprint(hashes.SHA256()).hex()


# =========================================================================== building


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
    wf = doc.get("workflow") if isinstance(doc.get("workflow"), Mapping) else {}
    status = _text(doc.get("status") or wf.get("status") or "done")
    current = _text(doc.get("step") or wf.get("current"))
    if status == "done" or (status == "active" and current == "archive"):
        return
    words = {"active": "办理中", "voided": "已作废", "recalled": "已撤回", "returned": "已退回"}
    raise ValidationFailed("archive.not_finished", status=words.get(status, status))


def _collect(doc: Mapping[str, Any], files: Mapping[str, bytes]) -> list[_Member]:
    """Put each supplied file in its place, checking hashes and completeness."""
    main_sha = _text(doc.get("pdf_sha256"))
    seal = doc.get("seal") if isinstance(doc.get("seal"), Mapping) else {}
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
    spec = doc.get("spec") if isinstance(doc.get("spec"), Mapping) else {}
    if _text(doc.get("kind")) == "incoming":
        source = doc.get("source") if isinstance(doc.get("source"), Mapping) else {}
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
    spec = doc.get("spec") if isinstance(doc.get("spec"), Mapping) else {}
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
        person = o.get("person") if isinstance(o.get("person"), Mapping) else {}
        out.append({"业务行为": _text(o.get("step_name")) or _text(o.get("step")),
                    "行为时间": _text(o.get("at")),
                    "机构人员名称": _text(person.get("name")),
                    "个人职位": _text(person.get("post")),
                    "行为描述": _text(o.get("text"))})
    return out


def _metadata(doc: Mapping[str, Any], number: ArchiveNo, members: list[_Member],
              archived_by: Mapping[str, Any], now: dt.datetime) -> dict[str, Any]:
    spec = doc.get("spec") if isinstance(doc.get("spec"), Mapping) else {}
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
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


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
    manifest (``manifest.sig``, :mod:`modules.documents.archive_sign`); a package
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
    arch = doc.get("archive") if isinstance(doc.get("archive"), Mapping) else {}
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
        record = _signature_record(m.data, roots, now)
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
        "trust_roots": [{"path": f"trust/root-{i}.pem", "sha256_fingerprint": _fingerprint(c),
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


# =========================================================================== verifying


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
        if item.get("sha256_fingerprint") and _fingerprint(cert) != item["sha256_fingerprint"]:
            report.add("archive.metadata_mismatch", path=MANIFEST, field="trust_roots",
                       found=_fingerprint(cert), expected=item["sha256_fingerprint"])
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
    form = meta.get("形式特征") if isinstance(meta.get("形式特征"), dict) else {}
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
    writer meant them (:func:`modules.documents.archive_zip.member_name`). Never raises
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
    report.package_roots = [(c.subject.rfc4514_string(), _fingerprint(c))
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
        body = good.get(path)
        if body is None or entry.get("media_type") != "application/pdf":
            continue
        facts = inspect_pdf(body)
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
        _check_signatures(report, check, entry, body, roots, archived_at, lang)

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
        now = _signature_record(body, roots, moment, lang)
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
    (:func:`modules.documents.archive_sign.embedded_server_roots`). Without any, 真实性
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

    from modules.documents.archive_sign import embedded_server_roots

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
