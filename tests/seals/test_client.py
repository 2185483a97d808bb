"""The client seal service against a real server: optimistic requests, offline
signed approvals verified on sync, forged ones rejected, stamping that syncs first and
reports the server's refusals, the register and its export, verification offline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from modules.common.errors import DomainError, Offline
from modules.seals.service import KEYRING_SERVICE
from tests.seals.conftest import make_pdf
from tests.seals.world import SealWorld

STROKES = {"format": "office-collab/ink/1", "width": 480, "height": 200,
           "strokes": [[[20, 150, 0.4, 0], [80, 60, 0.6, 40], [140, 140, 0.7, 90]],
                       [[200, 100, 0.5, 0], [300, 110, 0.5, 60]]]}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[SealWorld]:
    w = SealWorld(tmp_path)
    yield w
    w.close()


def _box(page: int = 1) -> dict[str, object]:
    return {"mode": "box", "page": page, "x": 330, "y": 250, "w": 160, "h": 90}


def test_request_signed_offline_approval_stamp_and_register(world: SealWorld,
                                                            tmp_path: Path) -> None:
    clerk, lead = world.device("clerk"), world.device("lead")
    clerk.sync()
    lead.sync()
    seal_id = world.gov_seal["id"]
    assert {s["id"] for s in clerk.service.seals_i_may_request()} == {
        seal_id, world.contract_seal["id"]}
    assert clerk.service.seals_i_hold() == []

    # filed offline-first: visible at once, before any sync
    rid = clerk.service.request_use(seal_id=seal_id, pdf=make_pdf(2), reason="对外发文",
                                    copies=1, document_title="关于做好防汛工作的通知")
    mine = clerk.service.requests("mine")
    assert mine[0]["id"] == rid and mine[0]["state"] == "pending"
    clerk.sync()
    assert clerk.engine.status().pending == 0

    # the leader enrols a personal key (private key only in the keyring)
    lead.service.enrol_personal_key()
    lead.sync()
    assert lead.service.has_personal_key() and lead.service.personal_certificate()
    assert [r["id"] for r in lead.service.requests("to_decide")] == [rid]

    # offline: approve with a handwritten sign-off; signed on the device
    world.live.stop()
    lead.service.approve(rid, "同意", STROKES)
    assert lead.service.request(rid)["state"] == "approved"  # optimistic
    lead.sync()
    assert lead.engine.status().pending == 1 and not lead.engine.status().online
    world.live.start()
    lead.sync()
    status = lead.engine.status()
    assert status.pending == 0 and not status.rejected

    # stamping syncs first, then the server stamps
    outcome = clerk.service.stamp(rid, placement=_box(), qr=True)
    assert outcome.request["state"] == "used" and outcome.pdf is not None
    report = clerk.service.verify(outcome.pdf)
    assert report.ok and report.signatures[0].signer == "临江市人民政府办公室公章"
    assert clerk.service.install_trust_root(tmp_path / "roots.pem").read_bytes().startswith(
        b"-----BEGIN CERTIFICATE")

    # the server's refusal comes back in words
    with pytest.raises(DomainError) as refused:
        clerk.service.stamp(rid, placement=_box())
    assert refused.value.code == "seal.request_used_up"
    assert "已全部用完" in refused.value.message()
    assert clerk.engine.status().rejected == ()

    lead.sync()
    entries = lead.service.register()
    # newest first: the refused second attempt, then the stamp
    assert [e["result"] for e in entries] == ["refused", "stamped"]
    assert entries[0]["refusal"]["code"] == "seal.request_used_up"
    stamped = entries[1]
    assert stamped["approver_name"] == "李主任"
    assert stamped["id"] in [e["id"] for e in lead.service.register(text="防汛")]
    assert lead.service.register(since=dt.date.today() + dt.timedelta(days=1)) == []
    out = lead.service.export_register(entries, tmp_path / "register.csv")
    text = out.read_text(encoding="utf-8-sig")
    assert "关于做好防汛工作的通知" in text and stamped["result_sha256"] in text
    assert "已拒绝" in text and "已全部用完" in text


def test_stamping_needs_the_server_and_forged_signatures_are_rejected(world: SealWorld) -> None:
    clerk, lead = world.device("clerk"), world.device("lead")
    clerk.sync()
    rid = clerk.service.request_use(seal_id=world.gov_seal["id"], pdf=make_pdf(1),
                                    reason="报送材料", document_title="材料")
    clerk.sync()
    lead.sync()
    lead.service.enrol_personal_key()
    lead.sync()

    # a key in the keyring that does not match the certificate: refused on the device
    good = lead.keyring.items[(KEYRING_SERVICE, lead.service._key_name())]
    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    lead.keyring.items[(KEYRING_SERVICE, lead.service._key_name())] = other
    with pytest.raises(DomainError) as err:
        lead.service.approve(rid, "同意", STROKES)
    assert err.value.code == "seal.cert_not_synced"
    lead.keyring.items[(KEYRING_SERVICE, lead.service._key_name())] = good

    # a signature over other strokes, sent as if for these: rejected on sync, undone
    from modules.seals.crypto.approval_sig import sign_approval

    req = lead.service.request(rid)
    sig = sign_approval(lead.service.personal_signer(), person_id="p-lead",
                        step=f"seals.request:{rid}", strokes={"other": True}, opinion="同意",
                        document_sha256=req["pdf_sha256"], signed_at=dt.datetime.now(dt.UTC))
    mid = lead.engine.submit("seals.approve_request", {
        "request_id": rid, "note": "同意", "signature": sig.to_dict(), "strokes": STROKES})
    assert lead.service.request(rid)["state"] == "approved"
    lead.sync()
    rejected = {r.mutation_id: r for r in lead.engine.status().rejected}
    assert rejected[mid].code == "seal.approval_signature_invalid"
    assert lead.service.request(rid)["state"] == "pending"

    lead.service.approve(rid, "同意")
    lead.sync()
    # the server is down: stamping is refused before anything is queued
    clerk.sync()
    world.live.stop()
    with pytest.raises(Offline) as off:
        clerk.service.stamp(rid, placement=_box(0))
    assert off.value.code == "seal.stamp_needs_online"
    assert clerk.engine.status().pending == 0
    world.live.start()
    outcome = clerk.service.stamp(rid, placement=_box(0), qr=False)
    assert outcome.stamped_sha256 != req["pdf_sha256"]


def test_local_rules_refuse_before_queueing(world: SealWorld) -> None:
    keeper = world.device("keeper")
    keeper.sync()
    with pytest.raises(DomainError) as err:
        keeper.service.request_use(seal_id=world.gov_seal["id"], pdf=make_pdf(1),
                                   reason="自用")
    assert err.value.code == "seal.requester_not_allowed"
    with pytest.raises(DomainError) as bad:
        keeper.service.request_use(seal_id=world.gov_seal["id"], pdf=b"hello", reason="x")
    assert bad.value.code == "seal.pdf_invalid"
    assert keeper.engine.status().pending == 0


def test_no_usable_keyring_is_said_in_words() -> None:
    from types import SimpleNamespace

    from modules.seals.service import SealService

    class BrokenKeyring:
        def get_password(self, *_a: str) -> str:
            from keyring.errors import NoKeyringError

            raise NoKeyringError("no backend")

        set_password = get_password

    engine = SimpleNamespace(cache=None, principal={"person_id": "p-1"}, api=None)
    service = SealService(engine, keyring=BrokenKeyring())
    assert service.has_personal_key() is False
    with pytest.raises(DomainError) as err:
        service.enrol_personal_key()
    assert err.value.code == "seal.keyring_unavailable"
    assert "密钥环" in err.value.message()
