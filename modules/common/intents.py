"""Intents: the one definition of every write, shared by the client and the server.

An *intent* is a named write (``"documents.act"``, ``"seals.create_seal"``) with JSON
arguments. Each feature declares its intents once, in ``modules/<feature>/intents.py``::

    class UpdateContactArgs(IntentArgs):
        phone: Text(40) | None = None

    UPDATE_CONTACT = define("directory.update_contact", UpdateContactArgs, offline=True,
                            summary="Change one's mobile phone or e-mail")

    def update_contact(record: dict, args: UpdateContactArgs, actor: ..., now: datetime) -> dict:
        ...  # the pure effect: (state, args, actor, clock) -> new state

and beside it the pure effect function(s) and the policy call that decides who may.
Then:

- the **server** registers its handler with ``@mutation(UPDATE_CONTACT)``
  (:mod:`server.mutations`): it parses the arguments with the definition's model, calls
  the pure effect on its current state and adds only what the server alone can do
  (allocating numbers, checking blobs, locking rows, the change feed);
- the **client** registers its optimistic apply with ``@applier(UPDATE_CONTACT)``
  (:mod:`sync.local`), which calls the same pure effect on the cached record; an intent
  declared ``offline=False`` is queued without an optimistic effect (it needs the server);
- ``sync.local.submit_intent`` checks the arguments against the same model before
  anything is queued, so a malformed intent is refused in words on the device, offline
  too, exactly as the server would refuse it;
- the OpenAPI description publishes the models as the body of ``POST /sync/push``.

This module is pure (no Qt, no HTTP, no database) and thread-safe after import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from modules.common.errors import ValidationFailed
from modules.common.text import ERROR_TYPES as TEXT_ERROR_TYPES


class IntentArgs(BaseModel):
    """Base of every intent's argument model: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


A = TypeVar("A", bound=BaseModel)


@dataclass(frozen=True)
class Intent(Generic[A]):
    """One intent's definition. ``offline``: the client shows its effect at once (it has
    an applier); otherwise the intent waits for the server's answer."""

    name: str
    args: type[A]
    offline: bool
    summary: str = ""

    def parse(self, data: Any, lang: str | None = None) -> A:
        """The validated arguments, or ``ValidationFailed("request.invalid")`` in words."""
        if not isinstance(data, Mapping):
            raise ValidationFailed("request.invalid", detail="args")
        try:
            return self.args.model_validate(dict(data))
        except ValidationError as exc:
            detail = describe_validation(list(exc.errors()), lang or "zh_CN")[1]
            raise ValidationFailed("request.invalid", detail=detail) from exc

    def __str__(self) -> str:
        return self.name


_registry: dict[str, Intent[Any]] = {}


def define(name: str, args: type[A], *, offline: bool, summary: str = "") -> Intent[A]:
    """Declare intent ``name`` (at import time, once). Raises ValueError on a second,
    different definition of the same name."""
    if name.count(".") != 1 or not all(name.split(".")):
        raise ValueError(f"intent name {name!r} is not 'feature.verb'")
    found = _registry.get(name)
    new: Intent[A] = Intent(name, args, offline, summary)
    if found is not None:
        if found.args is not args or found.offline != offline:
            raise ValueError(f"intent {name!r} defined twice")
        return found
    _registry[name] = new
    return new


def get(name: str) -> Intent[Any] | None:
    """The definition of ``name``, if its feature's intents module was imported."""
    return _registry.get(name)


def defined() -> dict[str, Intent[Any]]:
    """Every defined intent by name (a copy)."""
    return dict(_registry)


def resolve(intent: Intent[Any] | str) -> Intent[Any]:
    """The definition for a definition or a name; KeyError for an unknown name."""
    if isinstance(intent, Intent):
        return intent
    found = _registry.get(intent)
    if found is None:
        raise KeyError(f"intent {intent!r} is not defined (import its feature's intents module)")
    return found


# --------------------------------------------------------------------------- validation words

#: pydantic error type -> (Chinese, English) description of the field's problem.
FIELD_PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("缺少必填项", "is required"),
    "extra_forbidden": ("不是可接受的字段", "is not an accepted field"),
    "string_type": ("应为文本", "must be text"),
    "int_type": ("应为整数", "must be a whole number"),
    "int_parsing": ("应为整数", "must be a whole number"),
    "int_from_float": ("应为整数", "must be a whole number"),
    "bool_type": ("应为是/否", "must be true or false"),
    "bool_parsing": ("应为是/否", "must be true or false"),
    "float_type": ("应为数字", "must be a number"),
    "float_parsing": ("应为数字", "must be a number"),
    "list_type": ("应为列表", "must be a list"),
    "dict_type": ("应为对象", "must be an object"),
    "model_type": ("应为对象", "must be an object"),
    "model_attributes_type": ("应为对象", "must be an object"),
    "string_too_short": ("过短", "is too short"),
    "string_too_long": ("过长", "is too long"),
    "string_pattern_mismatch": ("格式不正确", "has the wrong format"),
    "greater_than": ("数值过小", "is too small"),
    "greater_than_equal": ("数值过小", "is too small"),
    "less_than": ("数值过大", "is too large"),
    "less_than_equal": ("数值过大", "is too large"),
    "too_long": ("条目过多", "has too many items"),
    "too_short": ("条目过少", "has too few items"),
    "literal_error": ("不是允许的取值", "is not an allowed value"),
    "enum": ("不是允许的取值", "is not an allowed value"),
    "datetime_parsing": ("不是有效的日期时间", "is not a valid date-time"),
    "datetime_from_date_parsing": ("不是有效的日期时间", "is not a valid date-time"),
    "date_parsing": ("不是有效的日期", "is not a valid date"),
    "date_from_datetime_parsing": ("不是有效的日期", "is not a valid date"),
    **TEXT_ERROR_TYPES,
}


def describe_validation(errors: list[Any], lang: str) -> tuple[str, str]:
    """(code, detail) for a validation failure (pydantic's ``errors()``), in the user's
    language: ``request.malformed_json`` for unreadable JSON, else ``request.invalid``
    with one "field: problem" per error."""
    english = lang == "en"
    parts = []
    for err in errors:
        if err.get("type") == "json_invalid":
            return "request.malformed_json", str(err.get("ctx", {}).get("error", ""))
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or (
            "body" if english else "请求体"
        )
        zh, en = FIELD_PROBLEMS.get(err.get("type", ""), ("取值无效", "is not valid"))
        parts.append(f"{loc} {en}" if english else f"{loc}：{zh}")
    return "request.invalid", ("; " if english else "；").join(parts)
