"""Seal targets for the access matrix: per relation's body T a seal of T with T's own
people (custodian, leader, requester), pending / approved requests and a stamped entry.

The C1 actors of the matching roles are *also* named on every seal — the
``seal_custodian`` actor as custodian, the ``leader`` actor as approver, the ``staff``
actor as requester — as if a stale list still named them after a move: for another body
the policy must refuse them all the same (naming alone never gives rights outside one's
own organ). Setup writes go through ``server.mutations.apply_one`` (the code behind
``/sync/push``) as T's people, who need no account; seals are made by the province
administrator through ``POST /api/v1/sync/push`` (``seals.create_seal``).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import uuid
from dataclasses import dataclass, field
from typing import Any

from server.db import session_scope
from server.seals import storage
from server.seals.models import SealRow
from server.seals.runtime import configure
from tests.access.world import World, push

NOW = dt.datetime.now(dt.UTC)
BOX = {"mode": "box", "page": 0, "x": 330, "y": 250, "w": 160, "h": 90}


@functools.cache
def _picture(owner: str) -> bytes:
    """A small seal picture, its bytes told apart by ``owner`` (a PNG text chunk): a blob
    is readable by its first uploader, so each creator uploads their own."""
    from PIL import Image, PngImagePlugin

    from modules.seals.pdf import image as I

    info = PngImagePlugin.PngInfo()
    info.add_text("owner", owner)
    out = io.BytesIO()
    with Image.open(io.BytesIO(I.seal_png(I.PersonalSealLook("矩阵"), dpi=40))) as img:
        img.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


@dataclass
class BodyPeople:
    keeper: str
    leader: str
    staff: str


@dataclass
class SealsWorld:
    world: World
    people: dict[str, BodyPeople] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)  # relation -> seal id
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)  # relation -> (entry id, title)

    def __post_init__(self) -> None:
        # Intents sent without HTTP (``World.send``) find the app's blob store as the
        # app's start-up would register it (a bare TestClient skips the lifespan).
        configure(self.world.app.state)

    # ------------------------------------------------------------------ people

    def of(self, relation: str) -> BodyPeople:
        if relation not in self.people:
            w = self.world
            self.people[relation] = BodyPeople(
                keeper=w.person([(relation, ["seal_custodian"])]),
                leader=w.person([(relation, ["leader"])]),
                staff=w.person([(relation, ["staff"])]),
            )
        return self.people[relation]

    def send(self, person_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        return self.world.send(person_id, name, args)

    def ok(self, person_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        return self.world.ok(person_id, name, args)

    # ------------------------------------------------------------------ seals

    def picture(self, person_id: str) -> str:
        """The SHA-256 of a seal picture ``person_id`` uploaded."""
        app = self.world.app
        with session_scope(app.state.sessions) as s:
            return storage.put_blob(s, app.state.blob_store, person_id, _picture(person_id),
                                    app.state.settings.max_blob_bytes)

    def seal_args(self, relation: str, creator: str) -> dict[str, Any]:
        """``seals.create_seal`` arguments for a seal of ``relation``'s body."""
        people = self.of(relation)
        return {
            "name": f"测试印章{uuid.uuid4().hex[:6]}", "type": "official",
            "body_id": self.world.body(relation), "custodians": [people.keeper],
            "approvers": [people.leader], "requesters": [people.staff],
            "valid_from": (NOW - dt.timedelta(days=1)).isoformat(),
            "valid_to": (NOW + dt.timedelta(days=365)).isoformat(),
            # an uploaded picture: drawing one per seal would only slow the matrix down
            "image_sha256": self.picture(creator), "image_width_mm": 40, "image_height_mm": 40,
        }

    def new_seal(self, relation: str) -> str:
        """A fresh seal of ``relation``'s body, made by the province security administrator, with
        the C1 actors added to its lists (see module docstring)."""
        w = self.world
        admin = w.actor("security_admin", "higher")
        res = push(w, admin, "seals.create_seal", self.seal_args(relation, admin.person_id))
        assert res["status"] == "applied", res
        seal_id = str(res["result"]["id"])
        keeper, leader, staff = (w.actor(role).person_id for role in ("seal_custodian", "leader", "staff"))
        with session_scope(w.app.state.sessions) as s:
            row = s.get(SealRow, seal_id)
            assert row is not None
            row.custodians = sorted({*row.custodians, keeper})
            row.approvers = sorted({*row.approvers, leader})
            row.requesters = sorted({*row.requesters, staff})
            storage.publish_seal(s, row)
        return seal_id

    def seal(self, relation: str) -> str:
        """The relation's shared seal (its state never changes)."""
        if relation not in self.shared:
            self.shared[relation] = self.new_seal(relation)
        return self.shared[relation]

    # ------------------------------------------------------------------ requests

    def pdf(self, person_id: str) -> str:
        from tests.seals.conftest import make_pdf

        data = make_pdf(1) + f"\n% {uuid.uuid4().hex}\n".encode()
        app = self.world.app
        with session_scope(app.state.sessions) as s:
            return storage.put_blob(s, app.state.blob_store, person_id, data, app.state.settings.max_blob_bytes)

    def pending(self, relation: str, *, requester: str | None = None, seal_id: str | None = None) -> str:
        """A pending request on the relation's shared seal, filed by T's requester."""
        who = requester or self.of(relation).staff
        rid = f"sr-ax-{uuid.uuid4().hex[:12]}"
        self.ok(who, "seals.request_use", {
            "request_id": rid, "seal_id": seal_id or self.seal(relation), "pdf_sha256": self.pdf(who),
            "document_title": f"矩阵文件{rid}", "reason": "矩阵测试", "copies": 1})
        return rid

    def approved(self, relation: str, **kw: Any) -> str:
        rid = self.pending(relation, **kw)
        self.ok(self.of(relation).keeper, "seals.approve_request", {"request_id": rid, "note": "同意"})
        return rid

    def entry(self, relation: str) -> tuple[str, str]:
        """A stamped register entry of the shared seal: (entry id, document title)."""
        if relation not in self.entries:
            rid = self.approved(relation)
            done = self.ok(self.of(relation).keeper, "seals.stamp", {"request_id": rid, "placement": BOX})
            self.entries[relation] = (str(done["entry_id"]), f"矩阵文件{rid}")
        return self.entries[relation]
