"""档号 (archive reference) rules.

``全宗号-门类代码·年度-保管期限-机构(问题)代码-件号``, e.g. ``Z001-WS·2026-Y-BGS-0012``
(DA/T 22-2015): :func:`parse_archive_no`, :func:`format_archive_no`, :class:`ArchiveNo`.
保管期限 codes: 永久 = ``Y``, 30年 = ``D30``, 10年 = ``D10``. :func:`default_retention`
proposes a 保管期限 by document type (practice; the user may change it).

Pure module: no Qt, no HTTP, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from modules.common.errors import ValidationFailed
from modules.documents.archive import messages as _messages  # noqa: F401  (registers codes)

#: 保管期限 (retention) -> code in the 档号.
RETENTION_CODES: dict[str, str] = {"永久": "Y", "30年": "D30", "10年": "D10"}
CODE_RETENTIONS: dict[str, str] = {v: k for k, v in RETENTION_CODES.items()}


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
