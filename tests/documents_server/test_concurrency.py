"""Many people at once: 50 clerks numbering at the same moment (no gap, no duplicate)
and two deputies signing one document at the same moment (exactly one applies)."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select

from modules.documents.rules import parse_doc_number
from server.db import session_scope
from server.documents.models import Document, IssuedNumber
from tests.documents_server.conftest import (
    CLERK,
    CLERK_B,
    CZT,
    CZT_CLERK,
    DRAFTER,
    FUJU_A,
    FUJU_B,
    JH,
    JH_CLERK,
    JUZHANG,
    ZHC_HEAD,
    Office,
)

COUNT = 50


def _batch(office: Office, person: str, ids: list[str], step: str) -> None:
    result = office.ok(person, "documents.batch_approve",
                       {"items": [{"document_id": i, "step": step} for i in ids]})["results"]
    assert all(r["ok"] for r in result), result


def test_fifty_concurrent_registrations_get_consecutive_numbers(office: Office) -> None:
    ids = [office.draft(sealed=False, title=f"关于第{i + 1}项工作的通知") for i in range(COUNT)]
    _batch(office, DRAFTER, ids, "draft")
    _batch(office, ZHC_HEAD, ids, "review")
    _batch(office, JUZHANG, ids, "sign")
    _batch(office, CLERK, ids, "recheck")
    start = threading.Barrier(COUNT)

    def register(i: int) -> dict[str, Any]:
        clerk = CLERK if i % 2 else CLERK_B  # two registry clerks of the same body
        start.wait()
        return office.send(clerk, "documents.register", {"document_id": ids[i]})

    with ThreadPoolExecutor(max_workers=COUNT) as pool:
        answers = list(pool.map(register, range(COUNT)))
    assert all(a["status"] == "applied" for a in answers), [a for a in answers if a["status"] != "applied"]
    numbers = [parse_doc_number(a["result"]["doc_number"]) for a in answers]
    assert sorted(n.sequence for n in numbers) == list(range(1, COUNT + 1))  # no gap, no duplicate
    assert {n.agency_code for n in numbers} == {"粤政数"}
    with session_scope(office.sessions) as s:
        stored = dict(s.execute(select(Document.id, Document.doc_number).where(Document.id.in_(ids))).all())
        issued = s.scalars(select(IssuedNumber.seq).order_by(IssuedNumber.seq)).all()
    assert sorted(stored.values()) == sorted(a["result"]["doc_number"] for a in answers)
    assert list(issued) == list(range(1, COUNT + 1))


def test_failed_registration_leaves_no_gap(office: Office) -> None:
    first, second = office.draft(sealed=False), office.draft(sealed=False)
    for doc_id in (first, second):
        office.to_register(doc_id)
    # A bad 印发日期 is found after the number was taken: rejected, the number rolled back.
    bad = office.send(CLERK, "documents.register", {"document_id": first, "print_date": "2026-13-45", "year": 2026})
    assert bad["status"] == "rejected" and bad["error"]["code"] == "document.bad_date"
    assert office.ok(CLERK, "documents.register", {"document_id": second, "year": 2026})["doc_number"] == "粤政数〔2026〕1号"
    assert office.ok(CLERK, "documents.register", {"document_id": first, "year": 2026})["doc_number"] == "粤政数〔2026〕2号"


def test_two_deputies_signing_at_once_exactly_one_applies(office: Office) -> None:
    doc_id = office.draft(sign=(FUJU_A, FUJU_B))
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    start = threading.Barrier(2)

    def sign(person: str) -> dict[str, Any]:
        start.wait()
        return office.send(person, "documents.act", {"document_id": doc_id, "op": "approve", "step": "sign",
                                                     "args": {"opinion": "同意。"}},
                           mutation_id=uuid.uuid4().hex)

    with ThreadPoolExecutor(max_workers=2) as pool:
        a, b = pool.map(sign, (FUJU_A, FUJU_B))
    statuses = sorted([a["status"], b["status"]])
    assert statuses == ["applied", "conflict"], (a, b)
    winner, loser = (a, b) if a["status"] == "applied" else (b, a)
    winner_name = "沈刚源" if winner is a else "陶瑶"
    assert loser["error"]["message"].startswith(f"该公文已由{winner_name}于")
    assert loser["error"]["message"].endswith("签发，您的签批未生效。")
    data = office.doc(doc_id)
    assert [o["step"] for o in data["opinions"]].count("sign") == 1
    assert data["step"] == "recheck"


def test_two_recipients_signing_at_once_both_reach_the_sender(office: Office) -> None:
    out_id = office.dispatched()
    copies = {d["body_id"]: d["incoming_id"] for d in office.doc(out_id)["deliveries"]}
    start = threading.Barrier(2)

    def sign(pair: tuple[str, str]) -> dict[str, Any]:
        clerk, doc_id = pair
        start.wait()
        return office.send(clerk, "documents.sign_for", {"document_id": doc_id})

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(sign, ((JH_CLERK, copies[JH]), (CZT_CLERK, copies[CZT]))))
    assert [a["status"] for a in answers] == ["applied", "applied"], answers
    published = office.doc(out_id, CLERK)  # what the sender's screen shows
    assert {d["body_id"]: d["state"] for d in published["deliveries"]} == {JH: "signed", CZT: "signed"}


def test_recall_racing_a_signature_never_both_apply(office: Office) -> None:
    out_id = office.dispatched()
    copy_id = next(d["incoming_id"] for d in office.doc(out_id)["deliveries"] if d["body_id"] == JH)
    start = threading.Barrier(2)

    def run(which: str) -> dict[str, Any]:
        start.wait()
        if which == "sign":
            return office.send(JH_CLERK, "documents.sign_for", {"document_id": copy_id})
        return office.send(CLERK, "documents.recall", {"document_id": out_id, "body_ids": [JH], "reason": "有误"})

    with ThreadPoolExecutor(max_workers=2) as pool:
        signed, recalled = pool.map(run, ("sign", "recall"))
    assert sorted([signed["status"], recalled["status"]]) == ["applied", "conflict"], (signed, recalled)
    state = next(d["state"] for d in office.doc(out_id)["deliveries"] if d["body_id"] == JH)
    assert state == ("signed" if signed["status"] == "applied" else "recalled")


def test_registering_again_after_a_return_keeps_the_number(office: Office) -> None:
    doc_id = office.draft(sealed=False)
    office.to_register(doc_id)
    first = office.ok(CLERK, "documents.register", {"document_id": doc_id, "year": 2026})["doc_number"]
    office.act_ok(CLERK, doc_id, "return", "dispatch", to_step="register", reason="主送机关有误")
    again = office.ok(CLERK, "documents.register", {"document_id": doc_id, "year": 2026, "main_to": [JH]})
    assert again["doc_number"] == first == "粤政数〔2026〕1号"
    assert office.doc(doc_id)["step"] == "dispatch"
