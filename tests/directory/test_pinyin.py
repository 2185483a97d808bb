"""Pinyin of names (多音字 surnames included) and the name matcher's ranking."""

from __future__ import annotations

import pytest

from modules.directory.pinyin import (
    Rank,
    full_pinyin,
    initials,
    match,
    normalize_query,
    rank_names,
    search_keys,
)


@pytest.mark.parametrize(
    ("name", "full", "ini"),
    [
        ("张伟", "zhangwei", "zw"),
        ("单雄伟", "shanxiongwei", "sxw"),
        ("曾国强", "zengguoqiang", "zgq"),
        ("解晓东", "xiexiaodong", "xxd"),
        ("区家明", "oujiaming", "ojm"),
        ("仇伟", "qiuwei", "qw"),
        ("朴正", "piaozheng", "pz"),
        ("查文", "zhawen", "zw"),
        ("覃华", "qinhua", "qh"),
        ("翟丽", "zhaili", "zl"),
        ("吕乐", "lvle", "ll"),
        ("欧阳娜娜", "ouyangnana", "oynn"),
        ("尉迟恭", "yuchigong", "ycg"),
        ("万俟明", "moqiming", "mqm"),
    ],
)
def test_full_pinyin_and_initials_use_surname_readings(name: str, full: str, ini: str) -> None:
    assert full_pinyin(name) == full
    assert initials(name) == ini


@pytest.mark.parametrize(
    ("query", "rank"),
    [
        ("张伟", Rank.EXACT),
        ("张", Rank.NAME_PREFIX),
        ("zhangwei", Rank.PINYIN_EXACT),
        ("zhang wei", Rank.PINYIN_EXACT),
        ("Zhang Wei", Rank.PINYIN_EXACT),
        ("zhang'wei", Rank.PINYIN_EXACT),
        ("zhangw", Rank.PINYIN_PREFIX),
        ("zhang w", Rank.PINYIN_PREFIX),
        ("zhang", Rank.PINYIN_PREFIX),
        ("zw", Rank.INITIALS),
        ("ZW", Rank.INITIALS),
        ("伟", Rank.CONTAINS),
        ("wei", Rank.CONTAINS),
    ],
)
def test_every_way_of_typing_finds_zhang_wei(query: str, rank: Rank) -> None:
    assert match(query, "张伟") == rank


@pytest.mark.parametrize("query", ["zx", "wang", "李", "zhangweimin", "x", ""])
def test_non_matches(query: str) -> None:
    assert match(query, "张伟") is None


def test_heteronym_surname_found_by_surname_reading_and_everyday_reading() -> None:
    assert match("shanxiongwei", "单雄伟") == Rank.PINYIN_EXACT
    assert match("sxw", "单雄伟") == Rank.INITIALS
    # A user who types the everyday reading still finds the person.
    assert match("danxiongwei", "单雄伟") == Rank.PINYIN_EXACT
    assert match("zengg", "曾国强") == Rank.PINYIN_PREFIX
    assert match("xiexd", "解晓东") == Rank.PINYIN_PREFIX
    assert match("oujm", "区家明") == Rank.PINYIN_PREFIX


def test_given_name_heteronyms_from_the_curated_list_only() -> None:
    keys = search_keys("吕乐")
    assert "lvle" in keys and "lvyue" in keys
    # 家 has rare readings (jie, gu) that must not add noise.
    assert not any("jie" in k for k in search_keys("区家明"))
    assert keys[0] == "ll"  # the primary reading's initials come first


def test_ranking_exact_before_prefix_before_initials_before_contains() -> None:
    names = ["王张伟", "章伟民", "张伟", "张", "周文", "赵无极", "张伟民"]
    ordered = [h.name for h in rank_names("zhangwei", names)]
    assert ordered[0] == "张伟"
    assert ordered.index("张伟民") < ordered.index("王张伟")  # prefix before contains
    by_initials = [h.name for h in rank_names("zw", names)]
    # Whole-key matches (zw) before longer ones (zwm, zwj); shorter names first.
    assert by_initials[:2] == ["张伟", "周文"]
    assert set(by_initials) == {"张伟", "周文", "章伟民", "张伟民", "赵无极"}
    chinese = [h.name for h in rank_names("张伟", names)]
    assert chinese == ["张伟", "张伟民", "王张伟"]


def test_normalize_query() -> None:
    assert normalize_query("  Zhang  Wei ") == "zhangwei"
    assert normalize_query("zhang'wei") == "zhangwei"
    assert normalize_query("张 伟") == "张伟"
