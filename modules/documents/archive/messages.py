"""Message catalog of archiving: 档号, building and verifying a package (``archive.*``).

The codes of the package signature live beside it, in :mod:`modules.documents.archive.sign`.
"""

from __future__ import annotations

from modules.common import messages

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
