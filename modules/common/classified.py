"""The one detector of classification markings (密级标志) in text and in structures.

This product stores non-classified (非涉密) material only. Every entry point — intent
arguments on the client (``sync.local.submit_intent``) and on the server
(``server.mutations.apply_one``), route bodies through :data:`FreeText`, document specs
(``modules.documents.rules.refuse_classified``) and archived PDFs — asks this module.

What counts as a marking, after :func:`normalise` (NFKC, all whitespace and invisible
characters removed, every star-like character read as ★):

* a level 绝密 / 机密 / 秘密 directly followed by ★, with or without a 保密期限
  (``秘密★``, ``机密★5年``, ``绝密★长期``);
* the phrase 密级 + level (``密级：秘密``);
* in a structure: a 密级 key (``classification``, ``密级``, ``保密期限`` …) with a
  non-empty value.

A level word alone is ordinary language (``保守秘密``, ``商业秘密``) and is not refused.
Pure and thread-safe; no Qt, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Annotated, Any, get_args

from pydantic import AfterValidator

from modules.common.errors import ClassifiedRefused

LEVELS = ("绝密", "机密", "秘密")

#: Keys whose non-empty value is a 密级 or 保密期限 wherever they appear in a structure.
CLASSIFIED_KEYS = frozenset({
    "classification", "密级", "secrecy_period", "保密期限", "secret_level",
    "classification_period", "密级和保密期限",
})

#: Characters that render as nothing (or as blank) but are not Unicode whitespace.
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")

_MARK = re.compile(r"(绝密|机密|秘密)★(\d+(?:年|个月|月|天|日)|长期)?|密级:?(绝密|机密|秘密)")


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """One NFKC-normalised character: '' when invisible, '★' when star-like."""
    if ch.isspace() or ch in _INVISIBLE_EXTRA:
        return ""
    category = unicodedata.category(ch)
    # Cf: zero-width space/joiners, word joiner, BOM, soft hyphen; Mn/Me: variation
    # selectors and combining marks; Cc: control characters.
    if category in ("Cf", "Mn", "Me", "Cc", "Co", "Cn"):
        return ""
    words = set(unicodedata.name(ch, "").replace("-", " ").split())
    if words & {"STAR", "STARS", "ASTERISK", "ASTERISKS"}:
        return "★"
    return ch


def _translate(nfkc: str) -> str:
    table = {ord(ch): _fold(ch) for ch in set(nfkc)}
    return nfkc.translate({k: v for k, v in table.items() if v != chr(k)})


def normalise(text: str) -> str:
    """``text`` as the detector reads it (not for storage or display)."""
    return _translate(unicodedata.normalize("NFKC", text))


def _search(text: str) -> Iterator[re.Match[str]]:
    # Every marking holds 密, and no other character NFKC-normalises to one (pinned by
    # tests/common/test_classified.py): text without it needs no normalising.
    if "密" not in text:
        return iter(())
    return _MARK.finditer(normalise(text))


def find_markings(text: str) -> list[str]:
    """Every marking in ``text``, normalised (``机密★5年``, ``密级:秘密``), in order."""
    return [m.group(0) for m in _search(text)]


def find_classified_marking(text: str) -> str | None:
    """The level (绝密/机密/秘密) of the first marking in ``text``, or None."""
    m = next(_search(text), None)
    if m is None:
        return None
    return m.group(1) or m.group(3)


def check_not_classified(field: str, text: str) -> str:
    """Return ``text`` unchanged, or raise :class:`ClassifiedRefused` naming ``field``."""
    level = find_classified_marking(text)
    if level is not None:
        raise ClassifiedRefused(level, field=field)
    return text


def refuse_classified_data(data: Any, field: str = "") -> None:
    """Raise :class:`ClassifiedRefused` if any text in the nested ``data`` (mappings,
    lists, tuples, strings) carries a marking, or a :data:`CLASSIFIED_KEYS` key has a
    non-empty value. ``field`` is the dotted path reported for the offending text.
    Iterative, so no nesting depth makes it fail otherwise."""
    stack: list[tuple[str, Any]] = [(field, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            check_not_classified(path, value)
        elif isinstance(value, Mapping):
            items = []
            for key, item in value.items():
                sub = f"{path}.{key}" if path else str(key)
                if str(key) in CLASSIFIED_KEYS and item not in (None, "", False, [], {}):
                    text = item if isinstance(item, str) else str(item)
                    level = find_classified_marking(text) or next(
                        (lv for lv in LEVELS if lv in normalise(text)), text)
                    raise ClassifiedRefused(level, field=sub)
                if isinstance(key, str):
                    check_not_classified(sub, key)
                items.append((sub, item))
            stack.extend(reversed(items))
        elif isinstance(value, list | tuple):
            stack.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))


def _refuse(text: str) -> str:
    return check_not_classified("", text)


#: The validator that makes a ``str`` field free text (see :data:`FreeText`).
FREE_TEXT_CHECK = AfterValidator(_refuse)

#: Free text a person writes (titles, opinions, reasons, notes, names): refused with
#: ``document.classified_refused`` when it carries a marking. Pydantic lets the
#: DomainError through, so routes answer 422 with that code and intents are rejected.
FreeText = Annotated[str, FREE_TEXT_CHECK]


def is_free_text(annotation: Any, metadata: Iterable[Any] = ()) -> bool:
    """True when a field is FreeText: its pydantic ``metadata`` (``FieldInfo.metadata``)
    holds the check, or its ``annotation`` contains it (e.g. ``FreeText | None``)."""
    if any(meta is FREE_TEXT_CHECK for meta in (*metadata, *getattr(annotation, "__metadata__", ()))):
        return True
    return any(is_free_text(arg) for arg in get_args(annotation))
