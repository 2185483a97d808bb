"""Checking the audit trail: ``python main.py audit verify``.

:func:`verify` reads the whole chain (in ``seq`` order, in pages) and the checkpoints and
reports every break it can explain:

* ``edited``     an entry's fields no longer give its hash;
* ``deleted``    a ``seq`` is missing (a gap), an entry's predecessor is gone, or the head
                 or a checkpoint names an entry that no longer exists (a truncated trail);
* ``inserted``   an entry no successor links to (a fork in the chain), or one beyond the
                 head;
* ``reordered``  an entry whose hash holds at another ``seq`` (two swapped, or a run of
                 entries renumbered to hide an insertion or deletion);
* ``checkpoint`` a signature that fails, an unknown key, or a chain hash that differs
                 from the entry's at that ``seq``.

Pending entries (written, not yet chained) are counted, not judged. An attacker who
rewrites the whole chain after the last checkpoint and the head is caught by the
checkpoint's signature only up to that checkpoint: docs/AUDIT.md says why checkpoints
are frequent.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.audit.chain import HASHED, checkpoint_message, entry_hash, key_id_of
from server.audit.models import GENESIS, AuditCheckpoint, AuditEntry, AuditHead

_PAGE = 5000


@dataclass(frozen=True)
class Problem:
    kind: str  #: edited / deleted / inserted / reordered / checkpoint
    seq: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "seq": self.seq, "message": self.message}


@dataclass
class Report:
    entries: int = 0
    pending: int = 0
    head_seq: int = 0
    checkpoints: int = 0
    last_signed_seq: int = 0
    #: "file" (the key given), "stored" (the checkpoints' own keys: weaker) or "none".
    key_source: str = "none"
    #: ``seq:hash`` of the last entry (keep it outside: ``--anchor`` next time).
    anchor: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"intact": self.intact, "entries": self.entries, "pending": self.pending,
                "head_seq": self.head_seq, "checkpoints": self.checkpoints,
                "last_signed_seq": self.last_signed_seq, "key_source": self.key_source,
                "anchor": self.anchor,
                "problems": [p.to_dict() for p in self.problems]}


@dataclass(frozen=True)
class _Row:
    """One chained entry as verify keeps it: its fields only when its hash fails at its
    own seq (then needed to find where it belongs), so a long trail stays small."""

    seq: int
    prev_hash: str
    hash: str
    intact: bool
    fields: dict[str, Any] | None

    def holds_at(self, seq: int) -> bool:
        if seq == self.seq:
            return self.intact
        assert self.fields is not None
        return entry_hash(self.prev_hash, {**self.fields, "seq": seq}) == self.hash


def _rows(session: Session) -> Iterator[_Row]:
    columns = [getattr(AuditEntry, n) for n in (*HASHED, "prev_hash", "hash")]
    after: int | None = None
    while True:
        query = select(*columns).where(AuditEntry.seq.is_not(None))
        if after is not None:
            query = query.where(AuditEntry.seq > after)
        page = session.execute(query.order_by(AuditEntry.seq).limit(_PAGE)).mappings().all()
        for row in page:
            fields = {n: row[n] for n in HASHED}
            prev, digest = str(row["prev_hash"] or ""), str(row["hash"] or "")
            intact = entry_hash(prev, fields) == digest
            yield _Row(int(row["seq"]), prev, digest, intact, None if intact else fields)
        if len(page) < _PAGE:
            return
        after = int(page[-1]["seq"])


def verify(session: Session, public_key: Ed25519PublicKey | None = None,
           anchors: Sequence[tuple[int, str]] = ()) -> Report:
    """Check the trail in ``session`` (read only). ``public_key``: the server's audit
    key (``main.py audit public-key``); without it each checkpoint's stored key is used,
    which proves the chain consistent with its checkpoints but not who signed them.
    ``anchors``: ``(seq, hash)`` pairs kept outside the database from an earlier run
    (its :attr:`Report.anchor`), each of which must still be in the chain — this finds
    a trail cut back together with its head and checkpoints."""
    report = Report()
    rows = list(_rows(session))  # seq and two hashes per entry (fields only when broken)
    report.entries = len(rows)
    report.pending = int(session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None))) or 0)
    head = session.get(AuditHead, 1)
    report.head_seq = head.seq if head is not None else 0
    problems = report.problems
    by_hash: dict[str, _Row] = {r.hash: r for r in rows}
    by_seq: dict[int, _Row] = {r.seq: r for r in rows}
    pointed = {r.prev_hash for r in rows}

    # Where was each entry that does not hold at its own seq originally?
    moved: dict[int, int] = {}
    edited: set[int] = set()
    for index, row in enumerate(rows):
        if row.holds_at(row.seq):
            continue
        candidates: list[int] = []
        pred = by_hash.get(row.prev_hash)
        if row.prev_hash == GENESIS:
            candidates.append(1)
        elif pred is not None:
            candidates.append(moved.get(pred.seq, pred.seq) + 1)
        if index > 0:
            before = rows[index - 1]
            candidates.append(moved.get(before.seq, before.seq) + 1)
        candidates += [row.seq + d for d in (1, -1, 2, -2)]
        original = next((c for c in candidates if c != row.seq and c > 0 and row.holds_at(c)),
                        None)
        if original is None:
            edited.add(row.seq)
        else:
            moved[row.seq] = original

    for seq in sorted(edited):
        problems.append(Problem("edited", seq, f"entry {seq} was edited: its content does "
                                               "not match its hash"))
    reported_moves: set[int] = set()
    for seq, original in sorted(moved.items()):
        if seq in reported_moves:
            continue
        if moved.get(original) == seq:
            problems.append(Problem("reordered", min(seq, original),
                                    f"entries {min(seq, original)} and {max(seq, original)} "
                                    "were swapped"))
            reported_moves |= {seq, original}
            continue
        # A run of entries renumbered by the same amount: one message.
        delta = original - seq
        end = seq
        while moved.get(end + 1) == end + 1 + delta and (end + 1) not in reported_moves:
            end += 1
        run = range(seq, end + 1)
        reported_moves |= set(run)
        where = f"entry {seq}" if end == seq else f"entries {seq}..{end}"
        problems.append(Problem("reordered", seq, f"{where} renumbered: each belongs "
                                f"{abs(delta)} place(s) {'later' if delta > 0 else 'earlier'}"))

    # Gaps, broken links and forks.
    expected = 1
    for index, row in enumerate(rows):
        if row.seq > expected:
            missing = (f"entry {expected}" if row.seq == expected + 1
                       else f"entries {expected}..{row.seq - 1}")
            problems.append(Problem("deleted", expected, f"{missing} deleted (the chain "
                                    f"jumps from {expected - 1} to {row.seq})"))
        expected = row.seq + 1
        if row.prev_hash != GENESIS and row.prev_hash not in by_hash and row.seq not in edited:
            if index == 0 or rows[index - 1].seq == row.seq - 1:
                problems.append(Problem("deleted", row.seq, f"the entry before {row.seq} was "
                                        "deleted (its hash is no longer in the trail)"))
        elif row.prev_hash == GENESIS and row.seq != 1 and row.seq not in moved:
            problems.append(Problem("inserted", row.seq, f"entry {row.seq} claims to be the "
                                    "first of the chain"))
        is_last = index == len(rows) - 1
        if not is_last and row.hash not in pointed and row.seq not in edited:
            follower = rows[index + 1]
            if by_hash.get(follower.prev_hash) is not None or follower.prev_hash == GENESIS:
                problems.append(Problem("inserted", row.seq, f"entry {row.seq} was inserted: "
                                        "no later entry follows it"))
    if rows and rows[-1].seq > report.head_seq:
        beyond = [r.seq for r in rows if r.seq > report.head_seq]
        problems.append(Problem("inserted", beyond[0], f"{len(beyond)} entr"
                                f"{'y' if len(beyond) == 1 else 'ies'} beyond the chain head "
                                f"({report.head_seq}) inserted from seq {beyond[0]}"))
    last = rows[-1].seq if rows else 0
    if report.head_seq > last:
        problems.append(Problem("deleted", last + 1, f"entries {last + 1}..{report.head_seq} "
                                "deleted: the chain head is at "
                                f"{report.head_seq}, the last entry at {last}"))
    elif head is not None and rows and head.seq == last and head.hash != rows[-1].hash \
            and last not in edited:
        problems.append(Problem("edited", last, f"entry {last} does not match the chain head"))

    _check_checkpoints(session, report, by_seq, public_key)
    for seq, digest in anchors:
        anchored = by_seq.get(seq)
        if anchored is None:
            problems.append(Problem("deleted", seq, f"the anchor kept from an earlier check "
                                    f"names entry {seq}, which no longer exists"))
        elif anchored.hash != digest:
            problems.append(Problem("edited", seq, f"entry {seq} no longer has the hash of "
                                    "the anchor kept from an earlier check"))
    if rows:
        report.anchor = f"{rows[-1].seq}:{rows[-1].hash}"
    problems.sort(key=lambda p: (p.seq, p.kind))
    return report


def _check_checkpoints(session: Session, report: Report, by_seq: dict[int, _Row],
                       public_key: Ed25519PublicKey | None) -> None:
    report.key_source = "file" if public_key is not None else "stored"
    wanted = key_id_of(public_key) if public_key is not None else None
    checkpoints = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.upto_seq))
    for point in checkpoints:
        report.checkpoints += 1
        seq = point.upto_seq
        key = public_key
        if key is None:
            try:
                key = Ed25519PublicKey.from_public_bytes(base64.b64decode(point.public_key))
            except ValueError:
                report.problems.append(Problem("checkpoint", seq, f"checkpoint at {seq}: its "
                                               "public key is unreadable"))
                continue
            if key_id_of(key) != point.key_id:
                report.problems.append(Problem("checkpoint", seq, f"checkpoint at {seq}: its "
                                               "public key does not match its key id"))
                continue
        elif point.key_id != wanted:
            report.problems.append(Problem("checkpoint", seq, f"checkpoint at {seq} was signed "
                                           f"by another key ({point.key_id[:16]}…)"))
            continue
        try:
            key.verify(base64.b64decode(point.signature),
                       checkpoint_message(seq, point.chain_hash, point.at, point.key_id))
        except (InvalidSignature, ValueError):
            report.problems.append(Problem("checkpoint", seq, f"checkpoint at {seq}: the "
                                           "signature does not verify"))
            continue
        report.last_signed_seq = max(report.last_signed_seq, seq)
        row = by_seq.get(seq)
        if row is None:
            report.problems.append(Problem("deleted", seq, f"the signed checkpoint at {seq} "
                                           "names an entry that no longer exists (the trail "
                                           "was truncated or renumbered)"))
        elif row.hash != point.chain_hash:
            report.problems.append(Problem("checkpoint", seq, f"the chain hash at {seq} "
                                           "differs from the signed checkpoint's (entries up "
                                           "to it were rewritten)"))


def render_text(report: Report) -> str:
    """The report for a terminal (English; an operator's tool)."""
    lines = [f"audit trail: {report.entries} chained entries (head {report.head_seq}), "
             f"{report.pending} pending, {report.checkpoints} checkpoints "
             f"(signed up to {report.last_signed_seq}; key: {report.key_source})"]
    if report.intact:
        lines.append("intact")
        if report.anchor:
            lines.append(f"anchor (keep it for --anchor next time): {report.anchor}")
    else:
        lines.append(f"NOT intact: {len(report.problems)} problem(s)")
        lines += [f"  {p.kind:10} seq {p.seq}: {p.message}" for p in report.problems]
    return "\n".join(lines)


def parse_anchor(text: str) -> tuple[int, str]:
    """``"seq:hash"`` as given to ``--anchor``; ValueError when malformed."""
    seq, _, digest = text.strip().partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef"
                                                     for c in digest):
        raise ValueError(f"an anchor is SEQ:SHA256 (64 hex digits), not {text!r}")
    return int(seq), digest
