"""One stamping act, rules included: check → stamp → count the copy → register entry.

:func:`apply_seal` is what a server mutation or a batch job calls: it runs
:func:`modules.seals.rules.check_can_stamp` before touching the PDF, stamps with
:func:`modules.seals.pdf.stamp.stamp_pdf`, and returns the stamped bytes with the updated
use request and the usage-register entry (用印登记). Nothing is returned half done: if
stamping fails the request is unchanged and no entry exists.

:func:`apply_batch` stamps several documents and reports a result per item (批量用印).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from modules.common.errors import DomainError
from modules.seals import rules
from modules.seals.crypto.signer import Signer
from modules.seals.pdf.stamp import Rect, stamp_pdf


@dataclass(frozen=True)
class StampResult:
    pdf: bytes
    request: rules.UseRequest
    entry: rules.RegisterEntry


def apply_seal(
    pdf: bytes,
    *,
    seal: rules.Seal,
    request: rules.UseRequest | None,
    signer: Signer,
    actor: str,
    now: dt.datetime,
    entry_id: str | Callable[[], str],
    reason: str | None = None,
    location: str = "",
    anchor: Rect | None = None,
    box: tuple[float, float, float, float] | Rect | None = None,
    page: int | None = None,
    qr_url: str | None = None,
    riding_seal: bool = False,
    timestamper: Any = None,
    look: Any = None,
) -> StampResult:
    """Check the rules, stamp, and produce the register entry. Raises ``DomainError``.

    ``entry_id`` may be a callable, called only once the stamp succeeded (so register
    numbers have no gaps). ``look`` overrides the generated picture (an uploaded one).
    """
    rules.check_can_stamp(seal, request, actor=actor, now=now)
    assert request is not None  # check_can_stamp refuses None
    out = stamp_pdf(
        pdf, signer, seal, page=page, box=box, anchor=anchor,
        reason=reason or request.reason, location=location, signing_time=now,
        timestamper=timestamper, qr_url=qr_url, riding_seal=riding_seal, look=look,
    )
    updated, entry = rules.record_stamp(
        seal, request, actor=actor, now=now,
        entry_id=entry_id() if callable(entry_id) else entry_id,
        document_sha256=hashlib.sha256(pdf).hexdigest(),
        result_sha256=hashlib.sha256(out).hexdigest(),
        extra={"riding_seal": riding_seal, "qr_url": qr_url or ""},
    )
    return StampResult(out, updated, entry)


@dataclass(frozen=True)
class BatchItem:
    key: str
    ok: bool
    result: StampResult | None = None
    error: DomainError | None = None


def apply_batch(
    documents: list[tuple[str, bytes]],
    *,
    seal: rules.Seal,
    request: rules.UseRequest,
    signer: Signer,
    actor: str,
    now: dt.datetime,
    new_entry_id: Callable[[], str],
    placement: Callable[[str, bytes], dict[str, Any]],
    **kwargs: Any,
) -> tuple[rules.UseRequest, list[BatchItem]]:
    """Stamp each ``(key, pdf)`` in turn; one copy of ``request`` per success.

    ``placement(key, pdf)`` returns ``{"anchor": …}`` or ``{"box": …, "page": …}``.
    An item that fails (a rule, a bad PDF) gets its error and the batch goes on.
    """
    items: list[BatchItem] = []
    current = request
    for key, pdf in documents:
        try:
            res = apply_seal(pdf, seal=seal, request=current, signer=signer, actor=actor,
                             now=now, entry_id=new_entry_id, **placement(key, pdf), **kwargs)
        except DomainError as exc:
            items.append(BatchItem(key, False, error=exc))
            continue
        current = res.request
        items.append(BatchItem(key, True, result=res))
    return current, items
