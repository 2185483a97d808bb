"""Domain rules for official documents (公文): types, the 18 elements, 发文字号, dates.

Pure module: no Qt, no HTTP, no database. Used by the client (drafting forms, optimistic
apply), the server (authoritative apply) and the PDF renderer. Thread-safe (no state).

Sources: 《党政机关公文处理工作条例》 Arts. 8–9 and GB/T 9704-2012; see
``/docs/DOCUMENT_SPEC.md`` for the JSON shape accepted by :func:`parse_spec`.

This product handles **non-classified (非涉密) documents only**: every entry point that
accepts a document checks for a 密级 first and raises
:class:`~modules.common.errors.ClassifiedRefused`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from modules.common import messages
from modules.common.classified import LEVELS, refuse_classified_data
from modules.common.errors import ValidationFailed

# --------------------------------------------------------------------------- catalog

#: The 15 document types (条例 Art. 8), in the order of the regulation.
DOC_TYPES: tuple[str, ...] = (
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知",
    "通报", "报告", "请示", "批复", "议案", "函", "纪要",
)
#: Accepted alternative spellings -> canonical type.
TYPE_ALIASES = {"令": "命令", "命令（令）": "命令", "会议纪要": "纪要"}

#: Upward documents (上行文): they carry 签发人 in the header.
UPWARD_TYPES = frozenset({"请示", "报告"})

URGENCIES = ("特急", "加急")
CLASSIFICATION_LEVELS = LEVELS

#: Layouts (版式) GB/T 9704 defines; the default follows the type.
LAYOUTS = ("standard", "letter", "minutes", "order")
DEFAULT_LAYOUT = {"函": "letter", "纪要": "minutes", "命令": "order"}

#: The 18 elements (条例 Art. 9) -> DocumentSpec field that carries each.
ELEMENTS: dict[str, str] = {
    "份号": "copy_number",
    "密级和保密期限": "classification",  # always empty: refused when set
    "紧急程度": "urgency",
    "发文机关标志": "issuer_mark",
    "发文字号": "doc_number",
    "签发人": "signers",
    "标题": "title",
    "主送机关": "recipients",
    "正文": "body",
    "附件说明": "attachments",
    "发文机关署名": "signature",
    "成文日期": "date",
    "印章": "sealed",
    "附注": "note",
    "附件": "attachments",
    "抄送机关": "cc",
    "印发机关和印发日期": "printer",  # with print_date
    "页码": "page_numbers",
}

messages.register({
    "document.invalid_spec": {
        "zh_CN": "公文内容格式有误：{detail}",
        "en": "The document description is malformed: {detail}",
    },
    "document.unknown_type": {
        "zh_CN": "不支持的文种“{value}”。文种须为：决议、决定、命令（令）、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要。",
        "en": "Unknown document type '{value}'. Use one of the 15 types of the regulation (决议 … 纪要).",
    },
    "document.unknown_layout": {
        "zh_CN": "不支持的版式“{value}”（可选：standard 通用、letter 信函、minutes 纪要、order 命令）。",
        "en": "Unknown layout '{value}' (standard, letter, minutes or order).",
    },
    "document.field_required": {
        "zh_CN": "请填写{label}。",
        "en": "{label_en} is required.",
    },
    "document.bad_urgency": {
        "zh_CN": "紧急程度只能是“特急”或“加急”，不能是“{value}”。",
        "en": "Urgency must be 特急 or 加急, not '{value}'.",
    },
    "document.bad_copy_number": {
        "zh_CN": "份号应为 6 位阿拉伯数字，例如 000001（现为“{value}”）。",
        "en": "The copy number must be 6 digits, e.g. 000001 (got '{value}').",
    },
    "document.bad_date": {
        "zh_CN": "{label}“{value}”不是有效日期，请写成 2026-03-05 或 2026年3月5日。",
        "en": "{label_en} '{value}' is not a valid date; write 2026-03-05 or 2026年3月5日.",
    },
    "document.number_bracket": {
        "zh_CN": "发文字号“{value}”的年份须用六角括号〔〕括入，不能用“{bracket}”，例如：粤数政〔2026〕12号。",
        "en": "In the document number '{value}' the year goes in 〔〕, not '{bracket}', e.g. 粤数政〔2026〕12号.",
    },
    "document.number_di": {
        "zh_CN": "发文字号“{value}”的序号前不加“第”字，例如：粤数政〔2026〕12号。",
        "en": "The document number '{value}' must not contain 第 before the sequence, e.g. 粤数政〔2026〕12号.",
    },
    "document.number_leading_zero": {
        "zh_CN": "发文字号“{value}”的序号不编虚位，不能以 0 开头（应为“{suggestion}”）。",
        "en": "The sequence in '{value}' must not have leading zeros (use '{suggestion}').",
    },
    "document.number_year": {
        "zh_CN": "发文字号“{value}”的年份须写全 4 位，例如〔2026〕。",
        "en": "The year in '{value}' must have 4 digits, e.g. 〔2026〕.",
    },
    "document.number_invalid": {
        "zh_CN": "发文字号“{value}”格式不对，应为 机关代字〔年份〕序号号，例如：粤数政〔2026〕12号。",
        "en": "The document number '{value}' should read agency code〔year〕sequence号, e.g. 粤数政〔2026〕12号.",
    },
    "document.upward_needs_signer": {
        "zh_CN": "上行文（{doc_type}）须标注签发人。",
        "en": "An upward document ({doc_type}) must name its signer (签发人).",
    },
    "document.seal_needs_signature": {
        "zh_CN": "加盖印章的公文须有发文机关署名，不能出现空白印章。",
        "en": "A sealed document needs the issuing body's signature line; a seal over nothing is not allowed.",
    },
    "document.attachment_punctuation": {
        "zh_CN": "附件名称“{value}”后不加标点符号。",
        "en": "No punctuation after the attachment name '{value}'.",
    },
    "document.report_contains_request": {
        "zh_CN": "报告中不得夹带请示事项（发现“{phrase}”）。请另行请示。",
        "en": "A report must not carry a request ('{phrase}' found); send a separate 请示.",
    },
    "document.bad_heading_level": {
        "zh_CN": "正文段落的层级只能是 0（正文）到 4，不能是“{value}”。",
        "en": "A paragraph level must be 0 (body text) to 4, not '{value}'.",
    },
})

# Field labels for messages: field -> (zh, en)
_LABELS: dict[str, tuple[str, str]] = {
    "doc_type": ("文种", "Document type"),
    "title": ("标题", "Title"),
    "issuer_mark": ("发文机关标志", "Issuing body mark"),
    "doc_number": ("发文字号", "Document number"),
    "signature": ("发文机关署名", "Issuing body signature"),
    "date": ("成文日期", "Date of issue"),
    "print_date": ("印发日期", "Print date"),
    "body": ("正文", "Body text"),
    "recipients": ("主送机关", "Main recipients"),
}


def _required(field_name: str) -> ValidationFailed:
    zh, en = _LABELS.get(field_name, (field_name, field_name))
    return ValidationFailed("document.field_required", label=zh, label_en=en, field=field_name)


# --------------------------------------------------------------------------- 密级

def refuse_classified(data: Any) -> None:
    """Raise :class:`ClassifiedRefused` if ``data`` carries any 密级 or 保密期限.

    ``data`` may be a mapping (spec JSON), a :class:`DocumentSpec`, or any nested
    structure; the detector is :func:`modules.common.classified.refuse_classified_data`
    (a 密级 key with a non-empty value, or a "秘密★…" style marking in any text, however
    spaced or spelled). Call this before storing or rendering anything.
    """
    if isinstance(data, DocumentSpec):
        data = asdict(data)
    refuse_classified_data(data)


# --------------------------------------------------------------------------- 发文字号


@dataclass(frozen=True)
class DocNumber:
    """A 发文字号: 机关代字 + 〔year〕 + sequence + 号, e.g. 粤数政〔2026〕12号."""

    agency_code: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return format_doc_number(self.agency_code, self.year, self.sequence)


def format_doc_number(agency_code: str, year: int, sequence: int) -> str:
    """``("粤数政", 2026, 12)`` -> ``"粤数政〔2026〕12号"`` (no 第, no leading zeros)."""
    code = agency_code.strip()
    if not code:
        raise _required("doc_number")
    if not 1000 <= int(year) <= 9999:
        raise ValidationFailed("document.number_year", value=f"{code}〔{year}〕{sequence}号")
    if int(sequence) < 1:
        raise ValidationFailed("document.number_invalid", value=f"{code}〔{year}〕{sequence}号")
    return f"{code}〔{int(year)}〕{int(sequence)}号"


_NUMBER = re.compile(r"^(?P<code>[^〔〕]+?)〔(?P<year>\d+)〕(?P<seq>\d+)号$")
_WRONG_BRACKETS = (
    ("[", "]"), ("［", "］"), ("(", ")"), ("（", "）"), ("【", "】"), ("〈", "〉"),
    ("<", ">"), ("{", "}"), ("｛", "｝"), ("〖", "〗"), ("《", "》"),
)


def parse_doc_number(text: str) -> DocNumber:
    """Parse ``"粤数政〔2026〕12号"``; raise ValidationFailed saying what is wrong."""
    value = (text or "").strip()
    if not value:
        raise _required("doc_number")
    compact = re.sub(r"\s+", "", value)
    for left, right in _WRONG_BRACKETS:
        if re.search(re.escape(left) + r"\s*\d{2,4}\s*" + re.escape(right), compact):
            raise ValidationFailed("document.number_bracket", value=value, bracket=left + right)
    if "第" in compact:
        raise ValidationFailed("document.number_di", value=value)
    m = _NUMBER.match(compact)
    if not m:
        raise ValidationFailed("document.number_invalid", value=value)
    if len(m.group("year")) != 4:
        raise ValidationFailed("document.number_year", value=value)
    seq = m.group("seq")
    if seq.startswith("0"):
        fixed = f"{m.group('code')}〔{m.group('year')}〕{int(seq)}号" if int(seq) else ""
        if int(seq) == 0:
            raise ValidationFailed("document.number_invalid", value=value)
        raise ValidationFailed("document.number_leading_zero", value=value, suggestion=fixed)
    return DocNumber(m.group("code"), int(m.group("year")), int(seq))


# --------------------------------------------------------------------------- dates


def format_cn_date(day: dt.date) -> str:
    """``date(2026, 3, 5)`` -> ``"2026年3月5日"`` (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


_CN_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_NUM_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


def parse_date(value: Any, field_name: str = "date") -> dt.date:
    """Accept a ``date``, ``"2026-03-05"`` or ``"2026年3月5日"``; else ValidationFailed."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    zh, en = _LABELS.get(field_name, (field_name, field_name))
    try:
        m = _CN_DATE.match(text) or _NUM_DATE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            "document.bad_date", value=text, label=zh, label_en=en, field=field_name
        ) from None


# --------------------------------------------------------------------------- headings

_CN_NUM = "一二三四五六七八九十百零〇"
_HEADING_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{_CN_NUM}]+、")),
    (2, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)


def detect_level(text: str) -> int:
    """Heading level from the numbering a drafter types: 一、=1 （一）=2 1.=3 （1）=4, else 0."""
    stripped = text.lstrip(" \u3000")
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(stripped):
            return level
    return 0


# --------------------------------------------------------------------------- model


@dataclass
class Paragraph:
    """One paragraph of 正文. ``level`` 0 = body text, 1–4 = heading levels."""

    text: str
    level: int = 0


@dataclass
class Attachment:
    """An attachment: ``name`` goes into 附件说明; ``body`` (if any) becomes 附件 pages."""

    name: str
    title: str = ""
    body: list[Paragraph] = field(default_factory=list)


@dataclass
class DocumentSpec:
    """Everything needed to lay out one document; fields follow the 18 elements."""

    doc_type: str
    title: str
    issuer_mark: str
    body: list[Paragraph] = field(default_factory=list)
    layout: str = "standard"
    copy_number: str = ""
    classification: str = ""  # must stay empty (非涉密 only)
    urgency: str = ""
    doc_number: str = ""
    signers: list[str] = field(default_factory=list)
    recipients: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    signature: str = ""
    date: dt.date | None = None
    sealed: bool = False
    note: str = ""
    cc: str = ""
    printer: str = ""
    print_date: dt.date | None = None
    page_numbers: bool = True
    upward: bool = False
    # 纪要格式
    present: list[str] = field(default_factory=list)  # 出席
    absent: list[str] = field(default_factory=list)  # 请假
    attending: list[str] = field(default_factory=list)  # 列席
    # 命令格式
    order_number: str = ""  # 令号, e.g. 第12号
    signer_post: str = ""  # e.g. 省长
    # 联合行文 (joint documents): bodies in order, lead body first
    joint_issuers: list[str] = field(default_factory=list)  # names in the 标志
    mark_suffix: str = ""  # "文件", placed right of the stacked names
    signatures: list[str] = field(default_factory=list)  # one 署名 per body

    @property
    def is_joint(self) -> bool:
        """联合行文: several issuing bodies in the mark or the signature."""
        return len(self.joint_issuers) > 1 or len(self.signatures) > 1

    @property
    def all_signatures(self) -> list[str]:
        """署名 of every issuing body (one for a single body)."""
        return list(self.signatures) if self.signatures else ([self.signature] if self.signature else [])

    @property
    def is_upward(self) -> bool:
        """上行文: 请示/报告, or marked upward explicitly."""
        return self.upward or self.doc_type in UPWARD_TYPES

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict in the shape :func:`parse_spec` reads."""
        out = asdict(self)
        for key in ("date", "print_date"):
            if out[key] is not None:
                out[key] = out[key].isoformat()
        return out


_SPEC_KEYS = {f for f in DocumentSpec.__dataclass_fields__}


def _as_str(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ValidationFailed("document.invalid_spec", detail=f"{key}: 应为文本 / must be text")
    return str(value).strip()


def _as_str_list(data: Mapping[str, Any], key: str) -> list[str]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [v for v in re.split(r"[、,，;；\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed("document.invalid_spec", detail=f"{key}: 应为文本列表 / must be a list of text")
    return [v.strip() for v in value if v.strip()]


def _as_str_list_keep(data: Mapping[str, Any], key: str) -> list[str]:
    """A list of names that may contain 、 or spaces themselves (body names)."""
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed("document.invalid_spec", detail=f"{key}: 应为文本列表 / must be a list of text")
    return [v.strip() for v in value if v.strip()]


def parse_paragraphs(value: Any, key: str = "body") -> list[Paragraph]:
    """Body text as one string (paragraphs split on new lines) or a list of strings or
    ``{"text", "level"}`` objects. Levels not given are detected from the numbering."""
    if value is None:
        return []
    items: list[Any]
    if isinstance(value, str):
        items = value.splitlines()
    elif isinstance(value, list):
        items = value
    else:
        raise ValidationFailed("document.invalid_spec", detail=f"{key}: 应为文本或段落列表 / text or list")
    out: list[Paragraph] = []
    for item in items:
        if isinstance(item, str):
            text = item.strip(" \u3000\t\r")
            if text:
                out.append(Paragraph(text, detect_level(text)))
        elif isinstance(item, Mapping):
            text = str(item.get("text", "")).strip(" \u3000\t\r")
            level = item.get("level")
            if level is None:
                level = detect_level(text)
            if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 4:
                raise ValidationFailed("document.bad_heading_level", value=str(level))
            if text:
                out.append(Paragraph(text, level))
        else:
            raise ValidationFailed("document.invalid_spec", detail=f"{key}: 段落应为文本 / paragraph must be text")
    return out


def parse_spec(data: Mapping[str, Any] | DocumentSpec) -> DocumentSpec:
    """Build a :class:`DocumentSpec` from JSON-like data (see docs/DOCUMENT_SPEC.md).

    Refuses classified documents first, then checks shapes. Does not apply the
    completeness rules of :func:`validate_spec`. Raises ValidationFailed on bad input.
    """
    if isinstance(data, DocumentSpec):
        refuse_classified(data)
        return data
    if not isinstance(data, Mapping):
        raise ValidationFailed("document.invalid_spec", detail="顶层应为对象 / top level must be an object")
    refuse_classified(data)
    unknown = sorted(set(data) - _SPEC_KEYS - {"$schema", "comment", "type"})
    if unknown:
        raise ValidationFailed(
            "document.invalid_spec", detail=f"未知字段 / unknown fields: {', '.join(unknown)}"
        )
    doc_type = _as_str(data, "doc_type") or _as_str(data, "type")
    doc_type = TYPE_ALIASES.get(doc_type, doc_type)
    if not doc_type:
        raise _required("doc_type")
    if doc_type not in DOC_TYPES:
        raise ValidationFailed("document.unknown_type", value=doc_type)
    layout = _as_str(data, "layout") or DEFAULT_LAYOUT.get(doc_type, "standard")
    if layout not in LAYOUTS:
        raise ValidationFailed("document.unknown_layout", value=layout)

    attachments: list[Attachment] = []
    raw_att = data.get("attachments") or []
    if not isinstance(raw_att, list):
        raise ValidationFailed("document.invalid_spec", detail="attachments: 应为列表 / must be a list")
    for item in raw_att:
        if isinstance(item, str):
            attachments.append(Attachment(item.strip()))
        elif isinstance(item, Mapping):
            attachments.append(Attachment(
                name=str(item.get("name", "")).strip(),
                title=str(item.get("title", "") or "").strip(),
                body=parse_paragraphs(item.get("body"), "attachments.body"),
            ))
        else:
            raise ValidationFailed("document.invalid_spec", detail="attachments: 项目应为文本或对象")

    def _date(key: str) -> dt.date | None:
        raw = data.get(key)
        return None if raw in (None, "") else parse_date(raw, key)

    return DocumentSpec(
        doc_type=doc_type,
        title=_as_str(data, "title"),
        issuer_mark=_as_str(data, "issuer_mark"),
        body=parse_paragraphs(data.get("body")),
        layout=layout,
        copy_number=_as_str(data, "copy_number"),
        urgency=_as_str(data, "urgency"),
        doc_number=_as_str(data, "doc_number"),
        signers=_as_str_list(data, "signers"),
        recipients=_as_str(data, "recipients"),
        attachments=attachments,
        signature=_as_str(data, "signature"),
        date=_date("date"),
        sealed=bool(data.get("sealed", False)),
        note=_as_str(data, "note"),
        cc=_as_str(data, "cc"),
        printer=_as_str(data, "printer"),
        print_date=_date("print_date"),
        page_numbers=bool(data.get("page_numbers", True)),
        upward=bool(data.get("upward", False)),
        present=_as_str_list(data, "present"),
        absent=_as_str_list(data, "absent"),
        attending=_as_str_list(data, "attending"),
        order_number=_as_str(data, "order_number"),
        signer_post=_as_str(data, "signer_post"),
        joint_issuers=_as_str_list_keep(data, "joint_issuers"),
        mark_suffix=_as_str(data, "mark_suffix"),
        signatures=_as_str_list_keep(data, "signatures"),
    )


_REQUEST_PHRASES = ("妥否，请批示", "妥否,请批示", "请批示", "请批复", "请予批准", "妥否")
_TRAILING_PUNCT = "。，、；：,.;:！？!?"


def problems(spec: DocumentSpec, *, final: bool = True) -> list[ValidationFailed]:
    """Every rule ``spec`` breaks, in reading order (empty list = fine).

    ``final=False`` is for drafts: 发文字号 and 成文日期 may still be missing (they are
    fixed at 登记 and 签发). Classified documents raise instead of being listed.
    """
    refuse_classified(spec)
    out: list[ValidationFailed] = []
    if spec.doc_type not in DOC_TYPES:
        out.append(ValidationFailed("document.unknown_type", value=spec.doc_type))
    if spec.layout not in LAYOUTS:
        out.append(ValidationFailed("document.unknown_layout", value=spec.layout))
    if spec.copy_number and not re.fullmatch(r"\d{6}", spec.copy_number):
        out.append(ValidationFailed("document.bad_copy_number", value=spec.copy_number))
    if spec.urgency and spec.urgency not in URGENCIES:
        out.append(ValidationFailed("document.bad_urgency", value=spec.urgency))
    if not spec.issuer_mark and not spec.joint_issuers:
        out.append(_required("issuer_mark"))
    minutes = spec.layout == "minutes"  # 纪要: free numbering (第3期, 〔2026〕3号), no seal
    if spec.doc_number and not minutes:
        try:
            parse_doc_number(spec.doc_number)
        except ValidationFailed as exc:
            out.append(exc)
    elif final and not spec.doc_number and not minutes and spec.layout != "order":
        out.append(_required("doc_number"))
    if spec.is_upward and not spec.signers and final:
        out.append(ValidationFailed("document.upward_needs_signer", doc_type=spec.doc_type))
    if not spec.title and spec.layout not in ("minutes", "order"):
        out.append(_required("title"))
    if not spec.body:
        out.append(_required("body"))
    for para in spec.body:
        if not 0 <= para.level <= 4:
            out.append(ValidationFailed("document.bad_heading_level", value=str(para.level)))
    for att in spec.attachments:
        if not att.name:
            out.append(ValidationFailed("document.invalid_spec", detail="附件名称为空 / empty attachment name"))
        elif att.name[-1] in _TRAILING_PUNCT:
            out.append(ValidationFailed("document.attachment_punctuation", value=att.name))
    if spec.sealed and not spec.all_signatures and not (spec.layout == "order" and spec.signers):
        out.append(ValidationFailed("document.seal_needs_signature"))
    if final and spec.date is None and spec.layout not in ("order", "minutes"):
        out.append(_required("date"))
    if spec.doc_type == "报告":
        text = "".join(p.text for p in spec.body)
        phrase = next((p for p in _REQUEST_PHRASES if p in text), None)
        if phrase:
            out.append(ValidationFailed("document.report_contains_request", phrase=phrase))
    return out


def validate_spec(spec: DocumentSpec | Mapping[str, Any], *, final: bool = True) -> DocumentSpec:
    """Parse (if needed) and check ``spec``; raise the first problem, else return it."""
    parsed = parse_spec(spec)
    found = problems(parsed, final=final)
    if found:
        raise found[0]
    return parsed


def signers_line(signers: Iterable[str]) -> str:
    """Names of 签发人 as shown after "签发人：" (two spaces of width between names)."""
    return "\u3000".join(s for s in signers if s)
