"""Readable differences between drafts (modules/documents/diff.py, pure)."""

from __future__ import annotations

import pytest

from modules.common.errors import ClassifiedRefused
from modules.documents.diff import diff_specs, diff_texts, spec_text, unified

BASE = {"doc_type": "通知", "title": "关于开展数据检查的通知", "issuer_mark": "某局文件",
        "recipients": "各市：", "body": ["现将有关事项通知如下。", "一、检查范围"],
        "attachments": ["检查表"]}


def test_spec_text_has_labelled_lines() -> None:
    text = spec_text(BASE)
    assert text.splitlines()[:4] == ["文种：通知", "发文机关标志：某局文件", "标题：关于开展数据检查的通知",
                                     "主送机关：各市："]
    assert "正文：" in text and "一、检查范围" in text and "附件1：检查表" in text


def test_character_level_changes_inside_a_line() -> None:
    new = BASE | {"title": "关于开展政务数据质量检查的通知", "body": BASE["body"] + ["二、时间安排"]}
    d = diff_specs(BASE, new)
    title = next(line for line in d["lines"] if line["op"] == "replace")
    assert title["old"] == "标题：关于开展数据检查的通知"
    assert [s for s in title["segments"] if s["op"] != "equal"] == [
        {"op": "insert", "text": "政务"}, {"op": "insert", "text": "质量"}]
    assert {"op": "insert", "old": None, "new": "二、时间安排",
            "segments": [{"op": "insert", "text": "二、时间安排"}]} in d["lines"]
    assert d["stats"] == {"inserted": 4 + len("二、时间安排"), "deleted": 0}


def test_deletions_identical_texts_and_unified() -> None:
    assert diff_texts("甲\n乙", "甲\n乙")["stats"] == {"inserted": 0, "deleted": 0}
    d = diff_texts("甲\n乙\n丙", "甲\n丙")
    assert [line["op"] for line in d["lines"]] == ["equal", "delete", "equal"]
    assert d["stats"]["deleted"] == 1
    assert "-乙" in unified("甲\n乙\n丙", "甲\n丙")


def test_classified_spec_is_refused() -> None:
    with pytest.raises(ClassifiedRefused):
        spec_text(BASE | {"classification": "秘密"})
