"""The classification-marking detector (modules/common/classified.py) over samples."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from pydantic import BaseModel, ValidationError

from modules.common.classified import (
    FreeText,
    check_not_classified,
    find_classified_marking,
    find_markings,
    is_free_text,
    refuse_classified_data,
)
from modules.common.errors import ClassifiedRefused

MARKED = [
    ("秘密★", "秘密"),
    ("机密★5年", "机密"),
    ("绝密★长期 关于某事的通知", "绝密"),
    ("秘密☆", "秘密"),
    ("秘密*", "秘密"),
    ("秘密＊1年", "秘密"),  # full-width asterisk (NFKC)
    ("秘密⭐", "秘密"),
    ("秘密⭐\ufe0f", "秘密"),  # emoji presentation selector after the star
    ("秘 密★", "秘密"),
    ("秘\u3000密\u3000★", "秘密"),  # ideographic spaces
    ("秘\u200b密★", "秘密"),
    ("机\u200d密\u200c★\u20605年", "机密"),  # zero-width joiner, non-joiner, word joiner
    ("\ufeff绝\u00ad密★", "绝密"),  # BOM, soft hyphen
    ("秘\t密\n★", "秘密"),
    ("秘密 ★ 6个月", "秘密"),
    ("秘密✩", "秘密"),
    ("秘密✪", "秘密"),
    ("秘密✭", "秘密"),
    ("秘密✯", "秘密"),
    ("秘密⋆", "秘密"),
    ("秘密✱", "秘密"),
    ("秘密✲", "秘密"),
    ("秘密✳", "秘密"),
    ("秘密∗", "秘密"),  # asterisk operator
    ("秘密🌟", "秘密"),
    ("机密﹡", "机密"),  # small asterisk (NFKC)
    ("本件密级：秘密", "秘密"),
    ("密级: 机密", "机密"),
    ("附件：名单（机密★10年）", "机密"),
]

CLEAN = [
    "",
    "保守秘密是每个公民的义务。",
    "请注意保护商业秘密和个人隐私。",
    "机密性、完整性和可用性",
    "绝密档案馆参观通知",  # a word, not a marking
    "★重点工作★",
    "秘书处：同意。",
    "密级：非涉密",
    "本系统只处理非涉密公文",
    "秘 书★",
    "\u2f8f\u2f8f",  # Kangxi radicals
]


@pytest.mark.parametrize(("text", "level"), MARKED)
def test_markings_are_found_through_every_disguise(text: str, level: str) -> None:
    assert find_classified_marking(text) == level
    with pytest.raises(ClassifiedRefused) as err:
        check_not_classified("opinion", text)
    assert err.value.code == "document.classified_refused"
    assert err.value.params == {"level": level, "field": "opinion"}


@pytest.mark.parametrize("text", CLEAN)
def test_ordinary_text_is_not_a_marking(text: str) -> None:
    assert find_classified_marking(text) is None
    assert check_not_classified("note", text) == text
    refuse_classified_data({"note": text, "items": [text]})


def test_only_the_character_itself_normalises_to_mi() -> None:
    """The detector skips text without 密; no other code point may NFKC-map to it."""
    others = [c for c in range(sys.maxunicode + 1)
              if not 0xD800 <= c <= 0xDFFF and chr(c) != "密" and "密" in unicodedata.normalize("NFKC", chr(c))]
    assert others == []


def test_markings_are_reported_normalised() -> None:
    assert find_markings("秘\u200b密 ☆ 5年，另见 机密＊长期") == ["秘密★5年", "机密★长期"]


def test_structures_are_walked_and_keys_checked() -> None:
    with pytest.raises(ClassifiedRefused) as err:
        refuse_classified_data({"args": {"opinion": "同意", "items": [{"note": "机密★5年"}]}})
    assert err.value.params == {"level": "机密", "field": "args.items[0].note"}
    with pytest.raises(ClassifiedRefused) as err:
        refuse_classified_data({"spec": {"classification": "秘密"}})
    assert err.value.params["level"] == "秘密"
    with pytest.raises(ClassifiedRefused):
        refuse_classified_data({"spec": {"保密期限": "5年"}})
    refuse_classified_data({"spec": {"classification": "", "密级": None}})


def test_deep_nesting_is_walked_without_recursion() -> None:
    deep: object = "秘密★"
    for _ in range(5000):
        deep = {"x": [deep]}
    with pytest.raises(ClassifiedRefused):
        refuse_classified_data(deep)


def test_free_text_type_refuses_with_the_domain_error() -> None:
    class Args(BaseModel):
        title: FreeText
        note: FreeText | None = None
        code: str = ""

    assert Args(title="关于保守秘密的通知").title == "关于保守秘密的通知"
    with pytest.raises(ClassifiedRefused):
        Args(title="秘密★ 通知")
    with pytest.raises(ClassifiedRefused):
        Args(title="通知", note="绝 密 ☆")
    with pytest.raises(ValidationError):
        Args(title=5)  # type: ignore[arg-type]
    fields = Args.model_fields
    assert is_free_text(fields["title"].annotation, fields["title"].metadata)
    assert is_free_text(fields["note"].annotation, fields["note"].metadata)
    assert not is_free_text(fields["code"].annotation, fields["code"].metadata)


@pytest.mark.parametrize(("name", "args"), [
    ("documents.batch_approve", {"items": [{"document_id": "d-0123456789ab"}], "opinion": "机密★5年"}),
    ("documents.return_to_sender", {"document_id": "d-0123456789ab", "reason": "秘 密☆"}),
    ("seals.request_use", {"request_id": "r-1", "seal_id": "s-1", "reason": "用印",
                           "document_title": "秘\u200b密⭐ 关于某事的通知"}),
    ("directory.update_contact", {"phone": "秘密*"}),
])
def test_the_client_queues_no_intent_with_a_marking(name: str, args: dict[str, object]) -> None:
    import datetime as dt

    from sqlalchemy import func, select

    from sync.cache import LocalCache, outbox
    from sync.local import submit_intent

    cache = LocalCache(None)
    with pytest.raises(ClassifiedRefused), cache.write() as s:
        submit_intent(s, name, args, now=dt.datetime.now(dt.UTC),
                      principal={"person_id": "p-1", "name": "张伟", "roles": [], "body_ids": []})
    with cache.read() as s:
        assert s.scalar(select(func.count()).select_from(outbox)) == 0
