"""Pinyin for names and a name matcher for the address book (通讯录).

* :func:`full_pinyin` / :func:`initials` — "张伟" → ``"zhangwei"`` / ``"zw"``; surnames that
  read differently as surnames (多音字: 单 shan, 曾 zeng, 解 xie, 区 ou, 仇 qiu, 朴 piao,
  查 zha …, and compound surnames such as 尉迟 yuchi, 万俟 moqi) use their surname reading.
  ü is written ``v`` (吕 → ``lv``), as on a pinyin keyboard.
* :func:`search_keys` — the strings a typed query is matched against by prefix: the
  initials ("zw"), then full pinyin for the first *k* characters and initials for the
  rest ("zhangw", "zhangwei"). Other readings of 多音字 in the given name add keys.
* :func:`match` / :func:`rank_names` — the ranking used everywhere (client search and
  tests): exact name > name prefix > full-pinyin exact > pinyin prefix > initials >
  contains. The client's SQL search (``modules.directory.service``) implements the same
  order on indexed tables.

All functions are pure and thread-safe; results are memoised per name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from itertools import product
from typing import Any, Generic, TypeVar

#: Compound surnames (复姓) and their readings, checked before single characters.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou", "yang"), "司马": ("si", "ma"), "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"), "东方": ("dong", "fang"), "皇甫": ("huang", "fu"),
    "令狐": ("ling", "hu"), "慕容": ("mu", "rong"), "司徒": ("si", "tu"),
    "夏侯": ("xia", "hou"), "尉迟": ("yu", "chi"), "万俟": ("mo", "qi"),
    "长孙": ("zhang", "sun"), "单于": ("chan", "yu"), "澹台": ("tan", "tai"),
    "公孙": ("gong", "sun"), "宇文": ("yu", "wen"), "端木": ("duan", "mu"),
    "轩辕": ("xuan", "yuan"), "南宫": ("nan", "gong"), "呼延": ("hu", "yan"),
}

#: Single-character surnames whose surname reading differs from the common reading.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan", "曾": "zeng", "解": "xie", "区": "ou", "仇": "qiu", "朴": "piao",
    "查": "zha", "盖": "ge", "尉": "yu", "覃": "qin", "缪": "miao", "翟": "zhai",
    "乐": "yue", "任": "ren", "燕": "yan", "纪": "ji", "冼": "xian", "华": "hua",
    "种": "chong", "秘": "bi", "繁": "po", "员": "yun", "召": "shao", "都": "du",
    "折": "she", "黑": "he", "宓": "mi", "阚": "kan", "臧": "zang", "沈": "shen",
    "洗": "xian", "蔺": "lin", "能": "nai", "应": "ying", "重": "chong", "薄": "bo",
    "隗": "wei", "句": "gou", "过": "guo", "曲": "qu", "莘": "shen", "相": "xiang",
    "长": "chang", "朝": "chao", "万": "wan", "贲": "ben", "卜": "bu", "柏": "bai",
    "石": "shi", "藏": "zang", "难": "ning", "厍": "she", "訾": "zi", "郇": "huan",
}

#: Extra readings accepted for surnames, so a user who types the everyday reading
#: (单 → "dan") still finds the person, ranked after the surname reading.
_SURNAME_ALSO: dict[str, tuple[str, ...]] = {
    "单": ("dan",), "曾": ("ceng",), "解": ("jie",), "区": ("qu",), "朴": ("pu",),
    "查": ("cha",), "盖": ("gai",), "乐": ("le",), "翟": ("di",), "覃": ("tan",),
    "缪": ("mou",), "仇": ("chou",),
}

#: Characters common in given names that have more than one reading in names; other
#: characters use only pypinyin's reading, so unrelated readings add no noise.
GIVEN_NAME_READINGS: dict[str, tuple[str, ...]] = {
    "乐": ("le", "yue"), "长": ("chang", "zhang"), "行": ("xing", "hang"),
    "重": ("zhong", "chong"), "朝": ("zhao", "chao"), "单": ("dan", "shan"),
    "曾": ("zeng", "ceng"), "茜": ("qian", "xi"), "晟": ("sheng", "cheng"),
    "柏": ("bai", "bo"), "蔚": ("wei", "yu"), "传": ("chuan", "zhuan"),
    "和": ("he", "huo"), "参": ("can", "shen"), "率": ("shuai", "lv"),
    "角": ("jiao", "jue"), "奇": ("qi", "ji"), "宿": ("su", "xiu"),
    "藏": ("cang", "zang"), "薄": ("bo", "bao"), "解": ("jie", "xie"),
    "省": ("sheng", "xing"), "调": ("tiao", "diao"), "都": ("du", "dou"),
    "会": ("hui", "kuai"), "枞": ("cong", "zong"), "莎": ("sha", "suo"),
    "蕃": ("fan", "bo"), "颉": ("jie", "xie"), "汤": ("tang", "shang"),
    "尉": ("wei", "yu"), "覃": ("qin", "tan"), "翟": ("zhai", "di"),
    "卜": ("bu", "bo"), "朴": ("pu", "piao"), "仇": ("chou", "qiu"),
    "区": ("qu", "ou"), "查": ("cha", "zha"), "盖": ("gai", "ge"),
    "华": ("hua",), "强": ("qiang",), "音": ("yin",), "给": ("gei", "ji"),
    "弄": ("nong", "long"), "折": ("zhe", "she"), "仆": ("pu",), "思": ("si",),
}

_MAX_KEY_VARIANTS = 8
_NON_ALNUM = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


class Rank(IntEnum):
    """How well a query matches a name; lower is better."""

    EXACT = 0  # the name itself: "张伟"
    NAME_PREFIX = 1  # start of the name: "张"
    PINYIN_EXACT = 2  # the whole full pinyin: "zhangwei", "zhang wei"
    PINYIN_PREFIX = 3  # full pinyin, possibly ending in initials: "zhang", "zhangw"
    INITIALS = 4  # initials or their start: "zw", "z"
    CONTAINS = 5  # inside the name or its pinyin: "伟", "wei"


def _split_surname(name: str) -> tuple[str, str]:
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _syllables_plain(text: str) -> list[str]:
    """Readings of ``text`` with pypinyin; non-Chinese runs become lower-case tokens."""
    from pypinyin import Style, lazy_pinyin  # its dictionaries take ~0.5 s: not at start-up

    out: list[str] = []
    for token in lazy_pinyin(text, style=Style.NORMAL):  # errors="default": kept as is
        token = _NON_ALNUM.sub("", token.lower())
        if token:
            out.append(token)
    return out


@lru_cache(maxsize=200_000)
def syllables(name: str) -> tuple[str, ...]:
    """One syllable per character (surname-aware): "单雄伟" → ("shan", "xiong", "wei")."""
    name = name.strip()
    if not name:
        return ()
    surname, given = _split_surname(name)
    if surname in COMPOUND_SURNAMES:
        head = list(COMPOUND_SURNAMES[surname])
    elif surname in SURNAME_READINGS:
        head = [SURNAME_READINGS[surname]]
    else:
        head = _syllables_plain(surname)
    return tuple(head + _syllables_plain(given))


def full_pinyin(name: str) -> str:
    """Full pinyin, lower case, no spaces or tones: "张伟" → "zhangwei", "吕乐" → "lvle"."""
    return "".join(syllables(name))


def initials(name: str) -> str:
    """First letters of the syllables: "张伟" → "zw", "欧阳娜娜" → "oynn"."""
    return "".join(s[0] for s in syllables(name))


def _char_readings(ch: str) -> tuple[str, ...]:
    return GIVEN_NAME_READINGS.get(ch, ())


@lru_cache(maxsize=200_000)
def _variants(name: str) -> tuple[tuple[str, ...], ...]:
    """Syllable sequences to match: the primary reading first, then other readings."""
    primary = syllables(name)
    surname, given = _split_surname(name.strip())
    if not primary or len(primary) != len(name.strip()) or not all(_HAN.match(c) for c in name):
        return (primary,) if primary else ()
    options: list[list[str]] = []
    if surname in COMPOUND_SURNAMES:
        options.extend([s] for s in COMPOUND_SURNAMES[surname])
    else:
        head = [primary[0], *[r for r in _SURNAME_ALSO.get(surname, ()) if r != primary[0]]]
        options.append(head)
    for i, ch in enumerate(given, start=len(options)):
        readings = _char_readings(ch)
        first = primary[i]
        options.append([first, *[r for r in readings if r != first][:2]])
    out: list[tuple[str, ...]] = []
    for combo in product(*options):
        out.append(tuple(combo))
        if len(out) >= _MAX_KEY_VARIANTS:
            break
    return tuple(out)


@lru_cache(maxsize=200_000)
def search_keys(name: str) -> tuple[str, ...]:
    """Prefix keys for matching a typed query against ``name`` (primary reading first).

    For syllables s1…sn the keys are ``initials`` (s1[0]…sn[0]) and, for k = 1…n, the full
    syllables s1…sk followed by the initials of the rest; so "zw", "zhangw" and "zhangwei"
    for 张伟. A query matches when it is a prefix of a key.
    """
    keys: list[str] = []
    for syl in _variants(name):
        ini = "".join(s[0] for s in syl)
        if ini not in keys:
            keys.append(ini)
        for k in range(1, len(syl) + 1):
            key = "".join(syl[:k]) + "".join(s[0] for s in syl[k:])
            if key not in keys:
                keys.append(key)
    return tuple(keys)


def initials_keys(name: str) -> tuple[str, ...]:
    """The initials-only keys of :func:`search_keys` (one per reading)."""
    return tuple(dict.fromkeys("".join(s[0] for s in syl) for syl in _variants(name)))


def normalize_query(query: str) -> str:
    """Lower case, with spaces, apostrophes and punctuation removed: "Zhang Wei" → "zhangwei"."""
    return _NON_ALNUM.sub("", (query or "").strip().lower())


def is_latin_query(query: str) -> bool:
    """True when the normalised query has no Chinese characters (so it is pinyin)."""
    return _HAN.search(query) is None


def full_keys(name: str) -> tuple[str, ...]:
    """Full pinyin of every reading, the primary (surname-aware) one first."""
    return tuple(dict.fromkeys("".join(syl) for syl in _variants(name)))


def match(query: str, name: str) -> Rank | None:
    """How ``query`` matches ``name`` (see :class:`Rank`), or ``None`` for no match."""
    q = normalize_query(query)
    name = name.strip()
    if not q or not name:
        return None
    compact = _NON_ALNUM.sub("", name.lower())
    if not is_latin_query(q):
        if q == compact:
            return Rank.EXACT
        if compact.startswith(q):
            return Rank.NAME_PREFIX
        if q in compact:
            return Rank.CONTAINS
        return None
    if q in full_keys(name):
        return Rank.PINYIN_EXACT
    ini = set(initials_keys(name))
    best: Rank | None = None
    for key in search_keys(name):
        if key.startswith(q):
            rank = Rank.INITIALS if key in ini else Rank.PINYIN_PREFIX
            if best is None or rank < best:
                best = rank
    if best is not None:
        return best
    if len(q) >= 2 and any(q in full for full in full_keys(name)):
        return Rank.CONTAINS
    if q in compact:
        return Rank.CONTAINS
    return None


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """One search result: the item, its rank and the name it matched."""

    item: T
    rank: Rank
    name: str


def rank_names(
    query: str,
    items: Iterable[T],
    name_of: Callable[[T], str] | None = None,
    limit: int | None = None,
) -> list[Hit[T]]:
    """Items whose name matches ``query``, best first.

    Order: rank; within a rank a query equal to a whole key ("zw" for 张伟) before a
    prefix ("zw" for 张伟民); then shorter names; then by pinyin and characters.

    ``name_of(item)`` gives the name (default: the item itself). Linear in ``items``;
    for the whole address book use the SQL search in ``modules.directory.service``.
    """
    get: Callable[[Any], str] = name_of or str
    hits: list[Hit[T]] = []
    for item in items:
        nm = get(item)
        r = match(query, nm)
        if r is not None:
            hits.append(Hit(item, r, nm))
    q = normalize_query(query)
    hits.sort(key=lambda h: (h.rank, q not in search_keys(h.name), len(h.name), *sort_key(h.name)))
    return hits if limit is None else hits[:limit]


def sort_key(name: str) -> tuple[str, str]:
    """Sort names by pinyin (as Chinese address books do), then by the characters."""
    return (full_pinyin(name), name)


__all__: Sequence[str] = (
    "Hit",
    "Rank",
    "full_keys",
    "full_pinyin",
    "initials",
    "initials_keys",
    "is_latin_query",
    "match",
    "normalize_query",
    "rank_names",
    "search_keys",
    "sort_key",
    "syllables",
)
