"""Demo documents: a living office at first start, idempotent, every state represented."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from server.db import session_scope
from server.documents.demo import seed_demo_documents
from server.documents.models import Document
from tests.documents_server.conftest import CLERK, DRAFTER, JH_MAYOR, JUZHANG, Office


def test_demo_documents_cover_the_states_and_reach_the_right_people(office: Office, tmp_path) -> None:
    with session_scope(office.sessions) as s:
        first = seed_demo_documents(s, blob_dir=tmp_path / "blobs")
    with session_scope(office.sessions) as s:
        assert seed_demo_documents(s) == {"seeded": False}
        docs = list(s.scalars(select(Document)))
    assert first["seeded"] and first["documents"] == len(docs) >= 14
    words = Counter(office.doc(d.id)["state_words"] for d in docs)
    for expected in ("草稿", "待核稿", "待会签", "待签发", "待修改", "待登记", "待用印", "已核发",
                     "待签收", "待批办", "待阅"):
        assert words[expected] >= 1, (expected, words)
    assert {t.kind for t in office.todos(JUZHANG)} >= {"待签发", "待批办"}
    assert {t.urgency for t in office.todos(JUZHANG) if t.kind == "待签发"} == {"加急"}
    assert {t.kind for t in office.todos(CLERK)} >= {"待登记"}
    assert [t.kind for t in office.todos(JH_MAYOR)] == ["待批办"]
    registered = [d for d in docs if d.doc_number and d.kind == "outgoing"]
    assert registered and all((tmp_path / "blobs" / d.pdf_sha256[:2] / d.pdf_sha256[2:4] / d.pdf_sha256).exists()
                              for d in registered)
    drafter_sees = {k[1] for k, v in office.feed(DRAFTER).items() if k[0] == "documents.document" and v}
    assert len(drafter_sees) >= 4
