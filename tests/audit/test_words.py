"""Action codes in words and the filter's categories and query (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from modules.audit import filters, words
from modules.common.errors import ValidationFailed
from server.app import _feature_modules
from tests.intents import product_intents


def test_every_product_intent_has_chinese_words_and_an_english_summary() -> None:
    _feature_modules()  # the server's handlers register every feature's intents
    names = product_intents()
    assert "documents.act" in names
    missing = [n for n in names if n not in words.INTENT_ZH]
    assert missing == [], f"add the Chinese words of {missing} to modules/audit/words.INTENT_ZH"
    for name in names:
        assert words.action_words(f"intent.{name}", "zh_CN") == words.INTENT_ZH[name]
        english = words.action_words(f"intent.{name}", "en")
        assert english and english != f"intent.{name}" and not any("\u4e00" <= c <= "\u9fff" for c in english[:3])


def test_fixed_codes_and_unknown_ones() -> None:
    assert words.action_words("auth.login", "zh_CN") == "登录"
    assert words.action_words("auth.login", "en") == "Signed in"
    assert words.action_words("device.revoke", "en") == "Revoked a device"
    assert words.action_words("something.new", "en") == "something.new"
    assert words.action_words("intent.meetings.unheard_of", "zh_CN") == "会议：meetings.unheard_of"
    assert words.result_words("refused", "zh_CN") == "拒绝"


@pytest.mark.parametrize(("action", "category"), [
    ("auth.login", "signin"), ("auth.login_failed", "signin"),
    ("directory.post_add", "administration"), ("intent.directory.update_contact", "administration"),
    ("intent.calendar.set_year", "administration"),
    ("intent.seals.stamp", "seals"), ("intent.documents.act", "documents"),
    ("blob.download", "downloads"), ("archive.export", "downloads"), ("audit.export", "downloads"),
    ("device.revoke", "devices"), ("intent.meetings.reply", ""),
])
def test_categories(action: str, category: str) -> None:
    assert words.category_of(action) == category
    if category:
        assert any(action.startswith(p) for p in words.category_prefixes([category]))


def test_the_filter_as_a_query_and_its_days() -> None:
    f = filters.Filter(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30), actor=" 张伟 ",
                       categories=("seals", "devices"), result="refused", text="s-1")
    assert f.params() == [("from", "2026-11-01"), ("to", "2026-11-30"), ("actor", "张伟"),
                          ("result", "refused"), ("q", "s-1"), ("category", "seals"),
                          ("category", "devices")]
    start, end = f.bounds()
    assert start == dt.datetime(2026, 10, 31, 16, 0, tzinfo=dt.UTC)  # midnight in Beijing
    assert end == dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC)
    assert filters.check(f) is f
    for bad in (filters.Filter(date_from=dt.date(2026, 2, 2), date_to=dt.date(2026, 2, 1)),
                filters.Filter(categories=("gossip",)), filters.Filter(result="maybe"),
                filters.Filter(text="x" * 101)):
        with pytest.raises(ValidationFailed) as caught:
            filters.check(bad)
        assert caught.value.code == "audit.bad_filter"
