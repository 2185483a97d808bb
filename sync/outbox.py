"""The outbox journal: a copy of the queue of intents that a damaged cache cannot take along.

The cache's ``outbox`` table is the working queue; this file beside it
(``<cache stem>.outbox.jsonl``) is its durable twin, so that a cache that is truncated,
has flipped bytes or a damaged WAL never loses queued work silently. One record per line::

    <crc32 of the JSON, 8 hex digits> <JSON>\\n

Record kinds (``"t"``): ``init`` (first line of every file), ``put`` (an outbox row as it
is now: order, mutation_id, name, args, state, error, created_at), ``del`` (the row left
the outbox) and ``meta`` (a meta value needed to sign in offline after a rebuild).

Contract with :class:`sync.cache.LocalCache`: a new intent is appended and fsynced
*before* the cache transaction that makes its optimistic effect visible commits; later
state changes and removals are appended after the commit (losing one of those at a crash
only re-sends an intent, which the server answers idempotently). A line whose checksum
does not match is reported as damaged, with whatever mutation id and name can still be
read from it, never dropped quietly. The file is rewritten (compacted) atomically.

Encrypted (a :class:`sync.vault.CacheKey` given): each record's JSON becomes
``{"t": kind, "h": header, "x": base64(nonce ‖ AES-256-GCM ciphertext ‖ tag)}`` on the
same one-line, checksummed layout, under the key's ``"outbox"`` HKDF sub-key with a random
96-bit nonce per line and ``{"t", "h"}`` as associated data. The header of a ``put`` keeps
its mutation id, intent name and time in the clear (no arguments, no text) so a damaged
line can still be named to the user; everything else is sealed. A line that fails
authentication counts as damaged, exactly like one that fails its checksum, so a torn
last line is handled as before. Plain lines are accepted only when the caller allows
(the first open of a folder written before encryption).
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import re
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sync.vault import CacheKey

if TYPE_CHECKING:  # cryptography loads on first use, not at client start
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger(__name__)

#: Meta keys mirrored into the journal so a rebuilt cache still allows offline entry.
JOURNALED_META = ("principal", "account", "offline_verifier")
#: Outbox states kept in the journal ("inflight" is journaled as "pending").
JOURNALED_STATES = ("pending", "applied", "rejected")

_ID_RE = re.compile(rb'"mutation_id":"([^"\\]{1,80})"')
_NAME_RE = re.compile(rb'"name":"([A-Za-z0-9_]{1,40}\.[A-Za-z0-9_.]{1,60})"')
_CREATED_RE = re.compile(rb'"created_at":"([0-9T:+.\-]{10,40})"')


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


_HEADER_FIELDS = ("mutation_id", "name", "created_at")


def _aead(key: CacheKey | None) -> AESGCM | None:
    if key is None:
        return None
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key.subkey("outbox"))


def seal(record: dict[str, Any], aead: AESGCM) -> dict[str, Any]:
    """The encrypted form of one journal record."""
    header: dict[str, Any] = {}
    if record.get("t") == "put" and isinstance(record.get("row"), dict):
        header = {k: record["row"].get(k) for k in _HEADER_FIELDS}
    outer: dict[str, Any] = {"t": record.get("t"), "h": header}
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, _dumps(record).encode(), _dumps(outer).encode())
    return {**outer, "x": base64.b64encode(nonce + sealed).decode()}


def unseal(outer: dict[str, Any], aead: AESGCM) -> dict[str, Any] | None:
    """The record inside an encrypted line; None when it fails authentication."""
    from cryptography.exceptions import InvalidTag

    try:
        blob = base64.b64decode(str(outer["x"]), validate=True)
        clear = aead.decrypt(blob[:12], blob[12:],
                             _dumps({"t": outer.get("t"), "h": outer.get("h")}).encode())
        record = json.loads(clear.decode())
    except (KeyError, ValueError, InvalidTag, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) and record.get("t") == outer.get("t") else None


def encode_line(record: dict[str, Any], aead: AESGCM | None = None) -> bytes:
    body = _dumps(record if aead is None else seal(record, aead)).encode()
    return b"%08x " % zlib.crc32(body) + body + b"\n"


@dataclass
class DamagedLine:
    """A journal line that failed its checksum: what could still be read from it."""

    line_no: int
    mutation_id: str | None
    name: str | None
    created_at: str | None


@dataclass
class JournalState:
    """The journal replayed: live rows by mutation id (in journal order), removed ids,
    meta values, damaged lines. ``trusted`` = the file existed, began with ``init`` and
    every line passed its checksum (then it alone says what is queued)."""

    rows: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    meta: dict[str, Any] = field(default_factory=dict)
    damaged: list[DamagedLine] = field(default_factory=list)
    existed: bool = False
    initialised: bool = False
    lines: int = 0

    @property
    def trusted(self) -> bool:
        return self.existed and self.initialised and not self.damaged


def _salvage_line(no: int, raw: bytes) -> DamagedLine:
    def grab(rx: re.Pattern[bytes]) -> str | None:
        m = rx.search(raw)
        if m is None:
            return None
        try:
            return m.group(1).decode()
        except UnicodeDecodeError:
            return None

    created = grab(_CREATED_RE)
    try:
        datetime.fromisoformat(created or "")
    except ValueError:
        created = None
    return DamagedLine(no, grab(_ID_RE), grab(_NAME_RE), created)


def read_journal(path: Path, *, key: CacheKey | None = None,
                 accept_plain: bool = True) -> JournalState:
    """Replay the journal file; never raises for damaged content (only reports it).
    With ``key`` lines are decrypted; plain lines count only when ``accept_plain``."""
    state = JournalState()
    aead = _aead(key)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return state
    except OSError as exc:
        log.warning("outbox journal %s unreadable: %s", path, exc)
        state.existed = True
        state.damaged.append(DamagedLine(0, None, None, None))
        return state
    state.existed = True
    lines = data.split(b"\n")
    torn_tail = lines[-1]  # text after the last newline: an append cut short by a crash
    for no, raw in enumerate(lines[:-1], start=1):
        state.lines += 1
        record = _parse_line(raw, aead, accept_plain)
        if record is None:
            state.damaged.append(_salvage_line(no, raw))
            continue
        _apply(state, record, first=no == 1)
    if torn_tail:
        record = _parse_line(torn_tail, aead, accept_plain)
        if record is not None:
            _apply(state, record, first=not lines[:-1])
        else:
            salvaged = _salvage_line(len(lines), torn_tail)
            if salvaged.mutation_id or salvaged.name:
                state.damaged.append(salvaged)
    return state


def _parse_line(raw: bytes, aead: AESGCM | None = None,
                accept_plain: bool = True) -> dict[str, Any] | None:
    if len(raw) < 10 or raw[8:9] != b" ":
        return None
    body = raw[9:]
    try:
        if int(raw[:8], 16) != zlib.crc32(body):
            return None
        record = json.loads(body.decode())
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(record, dict):
        return None
    if "x" in record:
        return None if aead is None else unseal(record, aead)
    return record if accept_plain or aead is None else None


def _apply(state: JournalState, record: dict[str, Any], *, first: bool) -> None:
    kind = record.get("t")
    if kind == "init":
        state.initialised = state.initialised or first
    elif kind == "put" and isinstance(record.get("row"), dict):
        row = record["row"]
        mid = str(row.get("mutation_id"))
        state.deleted.discard(mid)
        state.rows.pop(mid, None)  # re-insert: keeps first-submission order via "order"
        state.rows[mid] = row
    elif kind == "del":
        mid = str(record.get("id"))
        state.rows.pop(mid, None)
        state.deleted.add(mid)
    elif kind == "meta":
        state.meta[str(record.get("key"))] = record.get("value")


def journal_row(row: Any) -> dict[str, Any]:
    """The journaled form of an outbox row (mapping or SQLAlchemy Row)."""
    m = row._mapping if hasattr(row, "_mapping") else row
    state = m["state"]
    return {
        "order": m["order"], "mutation_id": m["mutation_id"], "name": m["name"],
        "args": m["args"], "state": "pending" if state == "inflight" else state,
        "error": m["error"], "created_at": m["created_at"],
    }


class OutboxJournal:
    """Appends to and compacts one journal file. Thread-safe; all writes are fsynced.

    :attr:`known` is what the file currently says: ``{mutation_id: (state, error)}``
    plus the journaled meta values, so callers append only differences.
    """

    def __init__(self, path: Path, *, key: CacheKey | None = None) -> None:
        self.path = path
        self._aead = _aead(key)
        self._lock = threading.Lock()
        self.known: dict[str, tuple[str, Any]] = {}
        self.meta: dict[str, Any] = {}
        self._lines = 0

    def append(self, records: list[dict[str, Any]]) -> None:
        """Append records and fsync; raises OSError when the disk refuses."""
        if not records:
            return
        payload = b"".join(encode_line(r, self._aead) for r in records)
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, payload)
                os.fsync(fd)
            finally:
                os.close(fd)
            self._lines += len(records)
            for r in records:
                self._note(r)

    def _note(self, record: dict[str, Any]) -> None:
        kind = record["t"]
        if kind == "put":
            row = record["row"]
            self.known[row["mutation_id"]] = (row["state"], row["error"])
        elif kind == "del":
            self.known.pop(record["id"], None)
        elif kind == "meta":
            self.meta[record["key"]] = record["value"]

    def rewrite(self, rows: list[dict[str, Any]], meta: dict[str, Any]) -> None:
        """Replace the file with ``init`` + the given rows and meta (atomic rename)."""
        records: list[dict[str, Any]] = [{"t": "init", "v": 1}]
        records += [{"t": "put", "row": r} for r in rows]
        records += [{"t": "meta", "key": k, "value": v} for k, v in sorted(meta.items())]
        tmp = self.path.with_name(self.path.name + ".tmp")
        with self._lock:
            with open(tmp, "wb") as fh:
                fh.write(b"".join(encode_line(r, self._aead) for r in records))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            _fsync_dir(self.path.parent)
            self.known = {}
            self.meta = {}
            for r in records[1:]:
                self._note(r)
            self._lines = len(records)

    def wants_compaction(self) -> bool:
        return self._lines > 2 * (len(self.known) + len(self.meta)) + 200


def _fsync_dir(folder: Path) -> None:
    # Makes the rename durable on POSIX; Windows cannot open directories (and needs not).
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


__all__ = [
    "JOURNALED_META",
    "DamagedLine",
    "JournalState",
    "OutboxJournal",
    "journal_row",
    "read_journal",
]
