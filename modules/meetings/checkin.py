"""Check-in (签到): signed rotating tokens, personal codes and the attendance list.
Pure: no Qt, no HTTP, no database; the client and the server decide with these.

**Tokens.** When a meeting is published the server creates a per-meeting secret
(:data:`KEY`, feed entity ``meetings.checkin_key``) that reaches only the organisers'
and 工作人员's devices. The organiser's device shows a QR code whose payload is
``OACHK1:m=<meeting>;w=<window>;s=<HMAC>``: ``window`` is the 30-second period
(:data:`PERIOD`) since the Unix epoch, ``s`` the HMAC-SHA256 of the meeting and window
under the secret (128 bits, hex). It rotates with the period and works with no network.
An attendee's app submits the scan (``meetings.check_in``); the server verifies it.

**Personal codes.** Each invited person receives their own code (:data:`PASS`,
``OAPSN1:m=<meeting>;p=<person>;s=<HMAC>``, not time-limited: it checks in only its
owner). The organiser's device scans it (camera, or a USB scanner that types it) and
verifies it offline with the same secret (``meetings.check_in_by_hand``).

**Time.** A scan carries ``scanned_at`` from the scanning device, because a device
offline at the venue sends it later. The server accepts it when:

- the token's window is within :data:`SKEW_WINDOWS` periods of ``scanned_at`` (a photo
  of the code sent elsewhere is dead a minute or so later; this also absorbs the clock
  difference between the two devices);
- ``scanned_at`` lies in the meeting's check-in window (``checkin_before_minutes``
  before the start, default 30, to ``checkin_after_minutes`` after the end, default 0);
- ``scanned_at`` is not ahead of the server's clock by more than :data:`FUTURE_SKEW`, and
  the scan arrives within :data:`OFFLINE_GRACE` of it: a venue without network syncs
  once the device is back on the office network the same day; a claim older than that
  is more likely a replay with a set-back clock, and the attendance list is settled by
  then. The record keeps both times and the device, so a late-synced scan is visible.

The residual risk, as with every QR check-in: an invited person who receives a fresh
photo within the minute checks in remotely. The list shows when and from which device.

One check-in per (meeting, person): the earliest scan wins, however often it is replayed
or re-synced (the server's table has a unique row per pair).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from modules.common import messages
from modules.common.errors import PermissionDenied, ValidationFailed
from modules.meetings import meeting as M
from modules.meetings.rules import parse_time, words

CHECKIN = "meetings.checkin"
KEY = "meetings.checkin_key"
PASS = "meetings.checkin_pass"

TOKEN_PREFIX = "OACHK1"
PASS_PREFIX = "OAPSN1"
PERIOD = 30  # seconds a token is shown before it rotates
SKEW_WINDOWS = 2  # a token is accepted this many periods either side of the scan
FUTURE_SKEW = dt.timedelta(minutes=2)
OFFLINE_GRACE = dt.timedelta(hours=24)
DEFAULT_BEFORE, DEFAULT_AFTER = 30, 0  # minutes: window opens before start, closes after end
LATE_SYNC = dt.timedelta(minutes=2)  # a scan received later than this is marked offline

TOKEN, CODE, HAND = "token", "code", "hand"
METHOD_WORDS = {TOKEN: ("扫码签到", "scanned the code"), CODE: ("核验签到码", "personal code"),
                HAND: ("手工签到", "by hand")}
PRESENT, LATE, ABSENT, EXCUSED = "present", "late", "absent", "excused"
STATUS_WORDS = {PRESENT: ("已签到", "present"), LATE: ("迟到", "late"),
                ABSENT: ("未签到", "absent"), EXCUSED: ("请假", "excused")}

_TOKEN = re.compile(r"^OACHK1:m=(mt-[0-9a-z-]{4,24});w=(\d{1,12});s=([0-9a-f]{32})$")
_PASS = re.compile(r"^OAPSN1:m=(mt-[0-9a-z-]{4,24});p=([0-9A-Za-z_.-]{1,40});s=([0-9a-f]{32})$")

messages.register({
    "meetings.checkin_bad_code": {
        "zh_CN": "这不是本系统的签到码。",
        "en": "This is not a check-in code of this system.",
    },
    "meetings.checkin_other_meeting": {
        "zh_CN": "该签到码属于另一个会议，不能用于“{subject}”。",
        "en": "This code belongs to another meeting; it cannot check in to '{subject}'.",
    },
    "meetings.checkin_forged": {
        "zh_CN": "签到码校验失败（不是组织方生成的签到码）。",
        "en": "The check-in code does not verify (it was not made by the organisers).",
    },
    "meetings.checkin_expired": {
        "zh_CN": "签到码已过期（每{period}秒更新一次），请扫描现场屏幕上的最新二维码。",
        "en": "The check-in code has expired (it changes every {period} s); scan the one on "
              "the screen now.",
    },
    "meetings.checkin_closed": {
        "zh_CN": "不在签到时间内：签到时间为{opens}至{closes}。",
        "en": "Check-in is not open: it runs from {opens} to {closes}.",
    },
    "meetings.checkin_bad_time": {
        "zh_CN": "签到时间无效：{reason}",
        "en": "The check-in time is not valid: {reason_en}",
    },
    "meetings.checkin_no_key": {
        "zh_CN": "本设备尚未收到该会议的签到密钥，请先联网同步一次。",
        "en": "This device has not received the meeting's check-in key yet; sync once online.",
    },
    "meetings.not_checkin_staff": {
        "zh_CN": "只有会议组织者或工作人员可以为他人签到。",
        "en": "Only the organisers or the meeting's staff may check others in.",
    },
    "meetings.checkin_who": {
        "zh_CN": "请只指定一项：签到码、通讯录人员或姓名。",
        "en": "Give exactly one of: a personal code, a person from the directory, or a name.",
    },
})


# --------------------------------------------------------------------------- signing


def window_of(when: dt.datetime) -> int:
    """The index of the :data:`PERIOD` containing ``when``."""
    return int(when.timestamp()) // PERIOD


def _mac(secret: str, message: str) -> str:
    return hmac.new(bytes.fromhex(secret), message.encode(), hashlib.sha256).hexdigest()[:32]


def issue_token(secret: str, meeting_id: str, now: dt.datetime) -> str:
    """The QR payload to show at ``now`` (hex ``secret`` from the ``meetings.checkin_key``)."""
    w = window_of(now)
    return f"{TOKEN_PREFIX}:m={meeting_id};w={w};s={_mac(secret, f'{TOKEN_PREFIX}|{meeting_id}|{w}')}"


def seconds_left(now: dt.datetime) -> float:
    """Seconds until the token shown at ``now`` rotates (the screen redraws then)."""
    return PERIOD - (now.timestamp() % PERIOD)


def issue_pass(secret: str, meeting_id: str, person_id: str) -> str:
    """A person's personal code for one meeting."""
    mac = _mac(secret, f"{PASS_PREFIX}|{meeting_id}|{person_id}")
    return f"{PASS_PREFIX}:m={meeting_id};p={person_id};s={mac}"


def token_meeting(token: str) -> str:
    """The meeting a token or personal code names (``""`` if it is neither)."""
    found = _TOKEN.match(token.strip()) or _PASS.match(token.strip())
    return found.group(1) if found else ""


def _other(meeting: Mapping[str, Any]) -> ValidationFailed:
    return ValidationFailed("meetings.checkin_other_meeting", subject=str(meeting.get("subject") or ""))


def _check_mac(secret: str | None, message: str, got: str) -> None:
    """Compare in constant time; no secret (an attendee's device) leaves it to the server."""
    if secret is not None and not hmac.compare_digest(_mac(secret, message), got):
        raise ValidationFailed("meetings.checkin_forged")


def verify_token(secret: str | None, meeting: Mapping[str, Any], token: str,
                 scanned_at: dt.datetime) -> int:
    """The token's window, or the refusal in words: not a token, another meeting's,
    forged (checked only with ``secret``), or expired at ``scanned_at``."""
    found = _TOKEN.match(token.strip())
    if found is None:
        raise ValidationFailed("meetings.checkin_bad_code")
    meeting_id, w, mac = found.group(1), int(found.group(2)), found.group(3)
    if meeting_id != meeting["id"]:
        raise _other(meeting)
    _check_mac(secret, f"{TOKEN_PREFIX}|{meeting_id}|{w}", mac)
    if abs(window_of(scanned_at) - w) > SKEW_WINDOWS:
        raise ValidationFailed("meetings.checkin_expired", period=PERIOD)
    return w


def pass_person(code: str) -> str:
    """The person a personal code names (unverified; ``""`` if it is not one)."""
    found = _PASS.match(code.strip())
    return found.group(2) if found else ""


def verify_pass(secret: str | None, meeting: Mapping[str, Any], code: str) -> str:
    """The person a personal code checks in, or the refusal in words."""
    found = _PASS.match(code.strip())
    if found is None:
        raise ValidationFailed("meetings.checkin_bad_code")
    meeting_id, person_id, mac = found.groups()
    if meeting_id != meeting["id"]:
        raise _other(meeting)
    if secret is None:
        raise ValidationFailed("meetings.checkin_no_key")
    _check_mac(secret, f"{PASS_PREFIX}|{meeting_id}|{person_id}", mac)
    return person_id


# --------------------------------------------------------------------------- the window


def window(meeting: Mapping[str, Any]) -> tuple[dt.datetime, dt.datetime]:
    """``[opens, closes]`` of the meeting's check-in."""
    before = int(meeting.get("checkin_before_minutes", DEFAULT_BEFORE) or 0)
    after = int(meeting.get("checkin_after_minutes", DEFAULT_AFTER) or 0)
    return (parse_time(meeting["start"]) - dt.timedelta(minutes=before),
            parse_time(meeting["end"]) + dt.timedelta(minutes=after))


def check_time(meeting: Mapping[str, Any], scanned_at: dt.datetime, now: dt.datetime) -> None:
    """Raise in words unless a scan made at ``scanned_at`` and received at ``now`` counts:
    the meeting is published (or closed since: a queued scan still arrives), the scan is
    inside the check-in window, not ahead of ``now`` and not older than the grace."""
    M.check_state(meeting, (M.PUBLISHED, M.CLOSED), ("签到", "checked in to"))
    if scanned_at > now + FUTURE_SKEW:
        raise ValidationFailed("meetings.checkin_bad_time", reason="扫码时间晚于服务器时间",
                               reason_en="the scan time is ahead of the server's clock")
    if now - scanned_at > OFFLINE_GRACE:
        raise ValidationFailed("meetings.checkin_bad_time", reason="离线签到须在24小时内同步",
                               reason_en="an offline scan must be synced within 24 hours")
    opens, closes = window(meeting)
    if not opens <= scanned_at <= closes:
        raise ValidationFailed("meetings.checkin_closed", opens=words(opens), closes=words(closes))


def guest_key(name: str) -> str:
    """The person key of someone without an account, from their name (NFKC, no spaces)."""
    norm = "".join(unicodedata.normalize("NFKC", name).split())
    return "guest-" + hashlib.sha256(norm.encode()).hexdigest()[:16]


def checkin_id(meeting_id: str, person_key: str) -> str:
    return f"{meeting_id}:{person_key}"


def earliest(previous: Mapping[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """One check-in per (meeting, person): the earlier of the stored and the new one."""
    if previous is not None and parse_time(previous["checked_at"]) <= parse_time(new["checked_at"]):
        return dict(previous)
    return new


def require_staff(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("meetings.not_checkin_staff")


# --------------------------------------------------------------------------- attendance


@dataclass(frozen=True)
class AttendanceRow:
    person_key: str
    name: str
    role: str  # an Invitation role, or "" for someone checked in who was not invited
    status: str  # PRESENT, LATE, ABSENT or EXCUSED
    checked_at: str = ""
    method: str = ""
    device_id: str = ""
    by_name: str = ""  # who checked them in by hand or by code
    reason: str = ""  # the 请假 reason, or whom a substitute replaced
    offline: bool = False  # synced later than it was scanned


@dataclass(frozen=True)
class Attendance:
    rows: tuple[AttendanceRow, ...]
    counts: dict[str, int]


def attendance(meeting: Mapping[str, Any], invited: Mapping[str, M.Invitation],
               replies: Iterable[Mapping[str, Any]],
               checkins: Iterable[Mapping[str, Any]]) -> Attendance:
    """The live list: each invited person present, late (checked in after the start),
    excused (请假, or sent a substitute) or absent (not checked in yet); then people
    checked in who were not invited (by hand, guests). A check-in beats an excuse."""
    start = parse_time(meeting["start"])
    mine = [c for c in checkins if c.get("meeting_id") == meeting["id"]]
    by_key = {str(c.get("person_key") or c.get("person_id")): c for c in mine}
    answers = {str(r.get("person_id")): r for r in replies if r.get("meeting_id") == meeting["id"]}
    rows: list[AttendanceRow] = []

    def present(key: str, name: str, role: str, c: Mapping[str, Any]) -> AttendanceRow:
        at = parse_time(c["checked_at"])
        return AttendanceRow(key, name, role, LATE if at > start else PRESENT,
                             checked_at=str(c["checked_at"]), method=str(c.get("method") or ""),
                             device_id=str(c.get("device_id") or ""),
                             by_name=str(c.get("by_name") or ""), offline=bool(c.get("offline")))

    for inv in invited.values():
        c = by_key.get(inv.person_id)
        if c is not None:
            rows.append(present(inv.person_id, inv.name, inv.role, c))
            continue
        rep = answers.get(inv.person_id) or {}
        if rep.get("answer") == M.DECLINE:
            rows.append(AttendanceRow(inv.person_id, inv.name, inv.role, EXCUSED,
                                      reason=str(rep.get("reason") or "")))
        elif rep.get("answer") == M.SUBSTITUTE:
            rows.append(AttendanceRow(inv.person_id, inv.name, inv.role, EXCUSED,
                                      reason=f"代会：{rep.get('substitute_name') or ''}"))
        else:
            rows.append(AttendanceRow(inv.person_id, inv.name, inv.role, ABSENT))
    for key, c in sorted(by_key.items(), key=lambda kv: str(kv[1]["checked_at"])):
        if key not in invited:
            rows.append(present(key, str(c.get("name") or ""), "", c))
    counts = {s: sum(1 for r in rows if r.status == s) for s in STATUS_WORDS}
    return Attendance(tuple(rows), counts)
