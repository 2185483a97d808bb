"""Personal calendar subscriptions (日历订阅): pure rules of the secret feed link.

A person subscribes their phone or desktop calendar to
``<server>/api/v1/meetings/calendar/<token>.ics``: every meeting they are involved in,
from 30 days back on (``modules.meetings.ical.feed_ics``). No sign-in: the token is the
secret, so it is made on the person's own device (:func:`new_token`) and the server gets
only its SHA-256 (``meetings.create_feed_token``, online): neither the database, nor the
intent log, nor the change feed ever holds the token itself. One link per person is
live; making a new one ends the old one, and ``meetings.revoke_feed_token`` ends it
(the feed then answers 404). The record ``meetings.feed_token`` (id = the link's id,
to the person only) says which link is live and since when, never the token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import Field

from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import NotFound, PermissionDenied, ValidationFailed
from modules.common.intents import IntentArgs

FEED_TOKEN = "meetings.feed_token"
FEED_ID = r"^mf-[0-9a-f]{12,32}$"
TOKEN_PREFIX = "oacal1-"
PATH = "/api/v1/meetings/calendar/{token}.ics"

messages.register({
    "meetings.feed_not_found": {
        "zh_CN": "该日历订阅链接无效或已撤销。",
        "en": "This calendar subscription link is not valid or has been revoked.",
    },
    "meetings.feed_exists": {
        "zh_CN": "该订阅链接标识（{feed_id}）已被使用。",
        "en": "The subscription link id {feed_id} is taken.",
    },
    "meetings.not_feed_owner": {
        "zh_CN": "只能撤销自己的日历订阅链接。",
        "en": "You can only revoke your own calendar subscription link.",
    },
})


class CreateFeedTokenArgs(IntentArgs):
    feed_id: str = Field(pattern=FEED_ID)
    #: SHA-256 (hex) of the token made on the device; the token never leaves it but in
    #: the link itself.
    token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class RevokeFeedTokenArgs(IntentArgs):
    feed_id: str = Field(pattern=FEED_ID)


def new_feed_id() -> str:
    return f"mf-{uuid.uuid4().hex[:16]}"


def new_token() -> str:
    """A fresh secret for a link (256 bits, URL-safe)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def url(server_url: str, token: str) -> str:
    return server_url.rstrip("/") + PATH.replace("{token}", token)


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def create(existing: Mapping[str, Any] | None, args: CreateFeedTokenArgs, actor: ActorFacts,
           now: dt.datetime) -> dict[str, Any]:
    """The new live link's record (the caller ends the person's earlier live link)."""
    if existing is not None:
        raise ValidationFailed("meetings.feed_exists", feed_id=args.feed_id)
    return {"id": args.feed_id, "person_id": actor.person_id, "created_at": iso(now),
            "revoked_at": None, "active": True}


def revoke(record: Mapping[str, Any] | None, args: RevokeFeedTokenArgs, actor: ActorFacts,
           now: dt.datetime) -> dict[str, Any]:
    """The link ended (ending an ended link again changes nothing)."""
    if record is None:
        raise NotFound("meetings.feed_not_found")
    if record.get("person_id") != actor.person_id:
        raise PermissionDenied("meetings.not_feed_owner")
    if not record.get("active"):
        return dict(record)
    return {**record, "revoked_at": iso(now), "active": False}
