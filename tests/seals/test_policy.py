"""The pure seal and document policies on plain facts (no database): the tree
province P → city C1 → county K1, sibling city C2; a department D of C1."""

from __future__ import annotations

import pytest

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import NotFound, PermissionDenied, ValidationFailed
from modules.documents import policy as docs
from modules.seals import policy as P

PROV = BodyFacts("P", "省政府", "P", ("P",))
C1 = BodyFacts("C1", "一号市", "C1", ("C1", "P"))
C2 = BodyFacts("C2", "二号市", "C2", ("C2", "P"))
K1 = BodyFacts("K1", "甲县", "K1", ("K1", "C1", "P"))
D1 = BodyFacts("D1", "一号市办公室", "C1", ("C1", "P"))  # a department of C1


def person(pid: str, *posts: tuple[str, str, set[str]]) -> ActorFacts:
    return ActorFacts(pid, tuple(PostFacts(b, o, frozenset(r)) for b, o, r in posts))


CITY_ADMIN = person("a", ("D1", "C1", {"security_admin"}))  # an admin post in a department counts for C1
KEEPER = person("k", ("C1", "C1", {"seal_custodian"}))
MOVED = person("m", ("C2", "C2", {"seal_custodian"}))  # still named on C1's seal, now in C2


def seal(body: BodyFacts) -> P.SealFacts:
    return P.SealFacts("s", "公章", body, custodians=frozenset({"k", "m"}),
                       approvers=frozenset(), requesters=frozenset({"k", "m"}))


def test_administration_reaches_the_own_organ_and_below_only() -> None:
    assert [P.may_administer(CITY_ADMIN, b) for b in (C1, D1, K1, C2, PROV)] == [True, True, True, False, False]
    with pytest.raises(PermissionDenied) as err:
        P.check_administer(CITY_ADMIN, PROV, "新建印章", "create a seal")
    assert err.value.code == "seal.admin_not_for_body" and "省政府" in err.value.message("zh_CN")


def test_named_people_must_be_members_and_naming_alone_gives_nothing() -> None:
    with pytest.raises(ValidationFailed):
        P.check_named_people(C1, {"custodians": [KEEPER, MOVED]})
    assert P.may_decide(KEEPER, seal(C1)) and not P.may_decide(MOVED, seal(C1))
    assert P.may_stamp(KEEPER, seal(C1), "x") and not P.may_stamp(MOVED, seal(C1), "x")
    assert not P.may_change_state(MOVED, seal(C1)) and P.may_change_state(CITY_ADMIN, seal(K1))


def test_request_needs_the_bodys_own_document_at_seal_and_its_pdf() -> None:
    doc = P.DocumentFacts("d", "C2", "outgoing", "active", "seal", "a" * 64)
    with pytest.raises(PermissionDenied) as err:
        P.check_request(KEEPER, seal(C1), pdf_sha256="a" * 64, document=doc, pdf_readable=True)
    assert err.value.code == "seal.document_other_body"
    own = P.DocumentFacts("d", "C1", "outgoing", "active", "seal", "a" * 64)
    with pytest.raises(PermissionDenied):
        P.check_request(KEEPER, seal(C1), pdf_sha256="b" * 64, document=own, pdf_readable=True)
    P.check_request(KEEPER, seal(C1), pdf_sha256="a" * 64, document=own, pdf_readable=False)
    with pytest.raises(NotFound):
        P.check_request(KEEPER, seal(C1), pdf_sha256="b" * 64, document=None, pdf_readable=False)


def test_register_entries_and_document_registry_acts() -> None:
    leader = person("l", ("C1", "C1", {"leader"}))
    assert P.may_read_entry(leader, seal(C1), "x") and not P.may_read_entry(MOVED, seal(C1), "x")
    assert P.may_read_entry(MOVED, seal(C1), "m")  # their own request
    clerk = person("c", ("C1", "C1", {"registry_clerk"}))
    assert docs.may_archive_outgoing(clerk, "C1") and not docs.may_archive_outgoing(clerk, "K1")
    assert docs.may_draft(CITY_ADMIN, "C1") and not docs.may_draft(CITY_ADMIN, "K1")
    assert docs.may_recall(KEEPER, "C1", owner_id="k") and not docs.may_recall(KEEPER, "C1", owner_id="z")
