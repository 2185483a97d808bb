"""办理时限 at 登记 of an incoming document, on the real server (SQLite and PostgreSQL): "N
个工作日内" becomes the record's due date on the server's calendar and the next handler's
to-do is due then; an outgoing document cannot be given one; a bad number is refused."""

from __future__ import annotations

import datetime as dt

from modules.calendar.rules import add_working_days
from server.calendar.storage import holiday_table
from server.db import session_scope
from tests.documents_server.conftest import CLERK, JH, JH_CLERK, Office


def _signed_incoming(office: Office) -> str:
    out_id = office.dispatched()
    inc = next(d for d in office.doc(out_id)["deliveries"] if d["body_id"] == JH)["incoming_id"]
    office.ok(JH_CLERK, "documents.sign_for", {"document_id": inc})
    return str(inc)


def test_registering_an_incoming_document_sets_its_time_limit_in_working_days(office: Office) -> None:
    inc = _signed_incoming(office)
    office.ok(JH_CLERK, "documents.register", {"document_id": inc, "deadline_days": 5})
    with session_scope(office.sessions) as s:
        table = holiday_table(s)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    expected = add_working_days(today, 5, table).day.isoformat()
    assert office.doc(inc, JH_CLERK)["deadline"] == expected


def test_only_incoming_documents_get_one_and_the_number_is_checked(office: Office) -> None:
    doc_id = office.draft()
    office.to_register(doc_id)
    outgoing = office.send(CLERK, "documents.register", {"document_id": doc_id, "deadline_days": 5})
    assert outgoing["status"] == "rejected"
    assert outgoing["error"]["code"] == "document.deadline_days_incoming_only"
    inc = _signed_incoming(office)
    bad = office.send(JH_CLERK, "documents.register", {"document_id": inc, "deadline_days": 0})
    assert bad["status"] == "rejected"
    assert office.doc(inc, JH_CLERK)["deadline"] is None
