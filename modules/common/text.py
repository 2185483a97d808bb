"""The one rule for text entering the server (pure: no HTTP, no database).

Valid text is well-formed Unicode (no lone surrogates), holds no C0/C1 control
characters except newline, carriage return and tab in multi-line fields, and is no
longer than the column it lands in. The same rule holds on SQLite and PostgreSQL, so a
value one database would store and the other refuse is refused by both, in words.

* :func:`text_problem` checks one string and names what is wrong with it.
* :func:`find_unreadable` walks a decoded JSON value for strings no database can hold
  (lone surrogates, NUL) — the request-level guard, run before anything reads a body.
* :func:`Text` / :func:`MultilineText` are pydantic field types applying the rule.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

SURROGATE = "surrogate"
CONTROL = "control"
NUL = "nul"
TOO_LONG = "too_long"

_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

#: Error types pydantic reports for the field types below (see server.app messages).
ERROR_TYPES = {
    "text_surrogate": ("含有无效的 Unicode 字符", "contains invalid Unicode"),
    "text_control": ("含有不允许的控制字符", "contains a control character"),
}


def text_problem(value: str, *, multiline: bool = False, max_len: int | None = None) -> str | None:
    """What is wrong with ``value`` (``surrogate``, ``nul``, ``control``, ``too_long``) or None."""
    if _SURROGATES.search(value):
        return SURROGATE
    if "\x00" in value:
        return NUL
    if (_CONTROLS_MULTILINE if multiline else _CONTROLS).search(value):
        return CONTROL
    if max_len is not None and len(value) > max_len:
        return TOO_LONG
    return None


def unstorable(value: str) -> str | None:
    """``surrogate`` or ``nul`` when no database can store ``value`` as text, else None."""
    if _SURROGATES.search(value):
        return SURROGATE
    if "\x00" in value:
        return NUL
    return None


def find_unreadable(value: Any, path: str = "") -> tuple[str, str] | None:
    """First ``(location, problem)`` of a string (key or value) in decoded JSON that no
    database can store, or None. ``location`` is dotted (``mutations.0.args.title``)."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            problem = unstorable(item)
            if problem:
                return where or "body", problem
        elif isinstance(item, dict):
            for key, sub in reversed(list(item.items())):
                sub_where = f"{where}.{key}" if where else str(key)
                problem = unstorable(str(key))
                if problem:
                    return sub_where, problem
                stack.append((sub_where, sub))
        elif isinstance(item, list):
            for index in range(len(item) - 1, -1, -1):
                stack.append((f"{where}.{index}" if where else str(index), item[index]))
    return None


def shown(value: str) -> str:
    """``value`` safe to echo back in a message: bad characters become U+FFFD."""
    return _CONTROLS.sub("\ufffd", _SURROGATES.sub("\ufffd", value))


def _checker(multiline: bool) -> Any:
    def check(value: str) -> str:
        problem = text_problem(value, multiline=multiline)
        if problem == SURROGATE:
            raise PydanticCustomError("text_surrogate", "contains invalid Unicode")
        if problem in (NUL, CONTROL):
            raise PydanticCustomError("text_control", "contains a control character")
        return value

    return check


_single_line = _checker(False)
_multi_line = _checker(True)


#: Validators for ``Annotated[str, Field(max_length=n), ONE_LINE]`` — the spelling type
#: checkers accept (``Text(n)`` builds the same at run time).
ONE_LINE = AfterValidator(_single_line)
MANY_LINES = AfterValidator(_multi_line)


def Text(max_len: int, *, min_len: int = 0) -> Any:
    """A one-line text field of at most ``max_len`` characters (match the column)."""
    return Annotated[str, Field(min_length=min_len, max_length=max_len), AfterValidator(_single_line)]


def MultilineText(max_len: int, *, min_len: int = 0) -> Any:
    """A text field that may hold newlines and tabs, at most ``max_len`` characters."""
    return Annotated[str, Field(min_length=min_len, max_length=max_len), AfterValidator(_multi_line)]
