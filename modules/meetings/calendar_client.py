"""The client side of calendars (no Qt): the person's subscription link, one meeting's
.ics export, and reading a calendar REPLY file for the organiser. Blocking: call these
in the background (PageWork), never on the GUI thread.

The link's token is made here and kept in the system keyring under the (server,
account, link id); the server gets only its hash (modules.meetings.feed_tokens). Without
a usable keyring the token is kept for this session only: the link then shows until
the app closes, and the person makes a new one on another device or later.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import keyring
from keyring.errors import KeyringError

from modules.common.errors import ValidationFailed
from modules.meetings import feed_tokens as F
from modules.meetings import ical_import as X
from modules.meetings import intents as I
from sync.credentials import SERVICE, key_for

log = logging.getLogger(__name__)
_session_tokens: dict[str, str] = {}


class _Cache(Protocol):
    def list(self, entity: str) -> list[dict[str, Any]]: ...


class _Engine(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


class _Api(Protocol):
    base_url: str

    def get_bytes(self, path: str) -> bytes: ...


@dataclass(frozen=True)
class Link:
    feed_id: str
    created_at: str
    #: The full URL ('' when this device does not hold the token: made elsewhere).
    url: str


def _key(server_url: str, account: str, feed_id: str) -> str:
    return f"{key_for(server_url, account)}|calendar|{feed_id}"


def _remember(key: str, token: str) -> None:
    _session_tokens[key] = token
    try:
        keyring.set_password(SERVICE, key, token)
    except KeyringError:
        log.warning("the system keyring cannot be written; the calendar link lasts this session")


def _recall(key: str) -> str:
    if key in _session_tokens:
        return _session_tokens[key]
    try:
        return keyring.get_password(SERVICE, key) or ""
    except KeyringError:
        return ""


def live_link(cache: _Cache, person_id: str, server_url: str, account: str) -> Link | None:
    """The person's live link as the cache knows it (None: none)."""
    live = [r for r in cache.list(F.FEED_TOKEN)
            if r.get("person_id") == person_id and r.get("active")]
    if not live:
        return None
    newest = max(live, key=lambda r: str(r.get("created_at") or ""))
    token = _recall(_key(server_url, account, str(newest["id"])))
    return Link(str(newest["id"]), str(newest.get("created_at") or ""),
                F.url(server_url, token) if token else "")


def make_link(engine: _Engine, server_url: str, account: str) -> Link:
    """A new link (the old one stops working once the server has it)."""
    token, feed_id = F.new_token(), F.new_feed_id()
    _remember(_key(server_url, account, feed_id), token)
    engine.submit(I.CREATE_FEED_TOKEN.name,
                  {"feed_id": feed_id, "token_sha256": F.token_hash(token)})
    return Link(feed_id, "", F.url(server_url, token))


def revoke_link(engine: _Engine, feed_id: str) -> str:
    return engine.submit(I.REVOKE_FEED_TOKEN.name, {"feed_id": feed_id})


def meeting_file(api: _Api, meeting_id: str) -> bytes:
    """The meeting's .ics as the server writes it for this user."""
    return api.get_bytes(f"/meetings/{meeting_id}.ics")


def reply_text(path: str | Path) -> str:
    """A REPLY file's text as the intent takes it (UTF-8, LF line ends)."""
    raw = Path(path).read_bytes()
    if len(raw) > X.MAX_CHARS * 4:
        raise ValidationFailed("meetings.ical_unreadable", detail="too large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed("meetings.ical_unreadable", detail="UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def import_reply(engine: _Engine, path: str | Path) -> str:
    """Queue ``meetings.import_calendar_reply`` with the file (its rules run on the
    server; the parse here only refuses what is not a REPLY at all, at once)."""
    text = reply_text(path)
    X.parse_reply(text)
    return engine.submit(I.IMPORT_CALENDAR_REPLY.name, {"ics": text})
