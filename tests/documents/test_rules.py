"""Document rules: types, elements, 发文字号, dates, classification refusal, validation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from modules.common.errors import ClassifiedRefused, ValidationFailed
from modules.documents import rules
from modules.documents.render import render_pdf
from modules.documents.rules import (
    DocNumber,
    Paragraph,
    detect_level,
    format_cn_date,
    format_doc_number,
    parse_date,
    parse_doc_number,
    parse_spec,
    problems,
    validate_spec,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def base_spec(**over: object) -> dict:
    spec = {
        "doc_type": "通知",
        "issuer_mark": "××市人民政府文件",
        "doc_number": "×政发〔2026〕3号",
        "title": "关于做好春季森林防火工作的通知",
        "recipients": "各区人民政府，市政府各部门",
        "body": "一、提高认识\n各单位要高度重视。",
        "signature": "××市人民政府",
        "date": "2026-03-05",
        "sealed": True,
    }
    spec.update(over)
    return spec


def test_fifteen_types_and_eighteen_elements() -> None:
    assert len(rules.DOC_TYPES) == 15 and rules.DOC_TYPES[0] == "决议" and rules.DOC_TYPES[-1] == "纪要"
    assert len(rules.ELEMENTS) == 18
    fields = set(rules.DocumentSpec.__dataclass_fields__)
    assert set(rules.ELEMENTS.values()) <= fields


@pytest.mark.parametrize("alias,canonical", [("令", "命令"), ("会议纪要", "纪要")])
def test_type_aliases(alias: str, canonical: str) -> None:
    assert parse_spec(base_spec(doc_type=alias)).doc_type == canonical


def test_unknown_type_refused_in_words() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_spec(base_spec(doc_type="便函"))
    assert "便函" in exc.value.message() and "决议" in exc.value.message()


# --------------------------------------------------------------------------- 发文字号


def test_doc_number_format_and_parse_round_trip() -> None:
    assert format_doc_number("粤数政", 2026, 12) == "粤数政〔2026〕12号"
    n = parse_doc_number("粤数政〔2026〕12号")
    assert n == DocNumber("粤数政", 2026, 12) and str(n) == "粤数政〔2026〕12号"
    assert parse_doc_number(" 国办发〔2026〕1号 ").sequence == 1


@pytest.mark.parametrize("text,code,fragment", [
    ("粤数政[2026]12号", "document.number_bracket", "[]"),
    ("粤数政（2026）12号", "document.number_bracket", "（）"),
    ("粤数政(2026)12号", "document.number_bracket", "()"),
    ("粤数政【2026】12号", "document.number_bracket", "【】"),
    ("粤数政〔2026〕第12号", "document.number_di", "第"),
    ("粤数政〔2026〕012号", "document.number_leading_zero", "粤数政〔2026〕12号"),
    ("粤数政〔26〕12号", "document.number_year", "4 位"),
    ("粤数政2026年12号", "document.number_invalid", "机关代字"),
    ("〔2026〕12号", "document.number_invalid", "机关代字"),
    ("粤数政〔2026〕0号", "document.number_invalid", "机关代字"),
])
def test_doc_number_errors_are_explained(text: str, code: str, fragment: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_doc_number(text)
    assert exc.value.code == code
    assert fragment in exc.value.message()
    assert exc.value.message("en")  # every code has an English text


def test_format_doc_number_refuses_bad_parts() -> None:
    with pytest.raises(ValidationFailed):
        format_doc_number("", 2026, 1)
    with pytest.raises(ValidationFailed):
        format_doc_number("粤", 26, 1)
    with pytest.raises(ValidationFailed):
        format_doc_number("粤", 2026, 0)


# --------------------------------------------------------------------------- dates


def test_cn_date_has_no_leading_zeros() -> None:
    assert format_cn_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert format_cn_date(dt.date(2026, 11, 20)) == "2026年11月20日"


def test_parse_date_forms() -> None:
    assert parse_date("2026-03-05") == dt.date(2026, 3, 5)
    assert parse_date("2026年3月5日") == dt.date(2026, 3, 5)
    assert parse_date("2026-3-5") == parse_date("2026/3/5") == parse_date("2026.03.05") == dt.date(2026, 3, 5)
    assert parse_date(dt.datetime(2026, 3, 5, 8)) == dt.date(2026, 3, 5)
    with pytest.raises(ValidationFailed) as exc:
        parse_date("2026年2月30日")
    assert "成文日期" in exc.value.message()


# --------------------------------------------------------------------------- 密级


@pytest.mark.parametrize("field,value", [
    ("classification", "秘密"),
    ("classification", "机密"),
    ("classification", "绝密"),
    ("secrecy_period", "1年"),
    ("密级", "秘密"),
])
def test_classified_refused_on_parse(field: str, value: str) -> None:
    with pytest.raises(ClassifiedRefused) as exc:
        parse_spec(base_spec(**{field: value}))
    assert "非涉密" in exc.value.message()
    assert exc.value.code == "document.classified_refused"


def test_classified_star_marking_in_text_is_refused() -> None:
    with pytest.raises(ClassifiedRefused) as exc:
        parse_spec(base_spec(body="机密★1年\n正文"))
    assert exc.value.params["level"] == "机密"
    with pytest.raises(ClassifiedRefused):
        parse_spec(base_spec(attachments=[{"name": "名单", "body": ["秘密★6个月"]}]))


def test_words_about_secrecy_are_not_a_marking() -> None:
    spec = parse_spec(base_spec(title="关于加强保密工作的通知", body="做好保密工作，严防失泄密。"))
    assert spec.title == "关于加强保密工作的通知"


def test_classified_refused_on_every_entry_point() -> None:
    spec = parse_spec(base_spec())
    spec.classification = "秘密"
    with pytest.raises(ClassifiedRefused):
        problems(spec)
    with pytest.raises(ClassifiedRefused):
        validate_spec(spec)
    with pytest.raises(ClassifiedRefused):
        render_pdf(spec)
    with pytest.raises(ClassifiedRefused):
        render_pdf(base_spec(classification="绝密"))


def test_empty_classification_is_fine() -> None:
    assert parse_spec(base_spec(classification="")).classification == ""


# --------------------------------------------------------------------------- headings & body


@pytest.mark.parametrize("text,level", [
    ("一、总体要求", 1), ("十二、其他", 1), ("（一）工作目标", 2), ("(三)保障措施", 2),
    ("1.建立机制", 3), ("12．完善制度", 3), ("（1）按月报送", 4), ("(2)按季报送", 4),
    ("2026年是关键之年", 0), ("1.5倍以上", 0), ("各单位要高度重视", 0),
])
def test_heading_levels_detected_from_numbering(text: str, level: int) -> None:
    assert detect_level(text) == level


def test_body_forms() -> None:
    spec = parse_spec(base_spec(body=["一、要求", {"text": "正文", "level": 0},
                                      {"text": "强调", "level": 2}, "  ", "（一）目标"]))
    assert [(p.text, p.level) for p in spec.body] == [
        ("一、要求", 1), ("正文", 0), ("强调", 2), ("（一）目标", 2)]
    with pytest.raises(ValidationFailed):
        parse_spec(base_spec(body=[{"text": "x", "level": 7}]))
    with pytest.raises(ValidationFailed):
        parse_spec(base_spec(body=42))


# --------------------------------------------------------------------------- validation


def test_valid_spec_passes() -> None:
    spec = validate_spec(base_spec())
    assert spec.is_upward is False and spec.layout == "standard"
    assert problems(spec) == []


def test_layout_follows_type() -> None:
    assert parse_spec(base_spec(doc_type="函")).layout == "letter"
    assert parse_spec(base_spec(doc_type="纪要")).layout == "minutes"
    assert parse_spec(base_spec(doc_type="命令")).layout == "order"
    assert parse_spec(base_spec(doc_type="函", layout="standard")).layout == "standard"
    with pytest.raises(ValidationFailed):
        parse_spec(base_spec(layout="fancy"))


@pytest.mark.parametrize("over,code", [
    ({"urgency": "急"}, "document.bad_urgency"),
    ({"copy_number": "12"}, "document.bad_copy_number"),
    ({"title": ""}, "document.field_required"),
    ({"issuer_mark": ""}, "document.field_required"),
    ({"body": ""}, "document.field_required"),
    ({"doc_number": ""}, "document.field_required"),
    ({"doc_number": "×政发[2026]3号"}, "document.number_bracket"),
    ({"signature": ""}, "document.seal_needs_signature"),
    ({"date": None}, "document.field_required"),
    ({"attachments": ["名单。"]}, "document.attachment_punctuation"),
    ({"doc_type": "请示", "signers": []}, "document.upward_needs_signer"),
    ({"doc_type": "报告", "signers": ["张三"], "body": "工作情况如下。妥否，请批示。"},
     "document.report_contains_request"),
])
def test_validation_messages(over: dict, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        validate_spec(base_spec(**over))
    assert exc.value.code == code
    assert exc.value.message() and exc.value.message("en")
    assert "{" not in exc.value.message() and "{" not in exc.value.message("en")


def test_drafts_may_lack_number_and_date() -> None:
    spec = validate_spec(base_spec(doc_number="", date=None), final=False)
    assert spec.doc_number == ""


def test_unknown_fields_and_bad_shapes_are_reported() -> None:
    with pytest.raises(ValidationFailed) as exc:
        parse_spec(base_spec(titel="x"))
    assert "titel" in exc.value.message()
    with pytest.raises(ValidationFailed):
        parse_spec(["not", "an", "object"])  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        parse_spec(base_spec(signers=[1, 2]))
    with pytest.raises(ValidationFailed):
        parse_spec(base_spec(attachments="附件"))


def test_signers_accept_text_list() -> None:
    assert parse_spec(base_spec(signers="张三、李四")).signers == ["张三", "李四"]


def test_to_dict_round_trip() -> None:
    spec = parse_spec(base_spec(attachments=[{"name": "名单", "body": ["正文"]}]))
    again = parse_spec(json.loads(json.dumps(spec.to_dict())))
    assert again == spec
    assert again.attachments[0].body == [Paragraph("正文", 0)]


@pytest.mark.parametrize("name", ["notice", "request", "letter", "minutes", "multipage", "order", "joint"])
def test_shipped_examples_are_valid(name: str) -> None:
    data = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    assert problems(parse_spec(data)) == []


def test_joint_fields() -> None:
    spec = parse_spec(base_spec(issuer_mark="", joint_issuers=["甲市人民政府", "乙市人民政府"],
                                mark_suffix="文件", signature="",
                                signatures=["甲市人民政府", "乙市人民政府"]))
    assert spec.is_joint and spec.all_signatures == ["甲市人民政府", "乙市人民政府"]
    assert problems(spec) == []
    single = parse_spec(base_spec())
    assert not single.is_joint and single.all_signatures == ["××市人民政府"]
