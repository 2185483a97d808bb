"""Document targets for the access matrix: documents owned by each relation's body T, at
the step an intent needs, moved there by T's own people through
``server.mutations.apply_one`` (the code behind ``/sync/push``).

Another body's document is hidden from every C1 actor whatever its step, so for other,
higher and lower one draft of T is the target of every intent and route; for the own
body (C1) each intent gets a document really at its step, so an allowed case applies.
The C1 actors are created before any document: the registry and seal steps go to the
body's current registry clerks and seal custodians, the C1 actors among them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from server.db import session_scope
from server.documents.models import Delivery
from tests.access.world import ROLES, World
from tests.documents_server.conftest import spec


@dataclass
class DocPeople:
    drafter: str
    reviewer: str
    signer: str
    clerk: str


@dataclass
class DocumentsWorld:
    world: World
    people: dict[str, DocPeople] = field(default_factory=dict)
    cache: dict[tuple[str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from server.documents import storage

        storage.configure(self.world.app.state)  # intents sent below write the app's blob store
        for role in ROLES:
            self.world.actor(role)

    def of(self, relation: str) -> DocPeople:
        if relation not in self.people:
            w = self.world
            self.people[relation] = DocPeople(
                drafter=w.person([(relation, ["staff"])]),
                reviewer=w.person([(relation, ["division_head"])]),
                signer=w.person([(relation, ["leader"])]),
                clerk=w.person([(relation, ["registry_clerk"])]),
            )
        return self.people[relation]

    def send(self, person_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        return self.world.send(person_id, name, args)

    def ok(self, person_id: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        return self.world.ok(person_id, name, args)

    def act(self, person_id: str, doc_id: str, step: str) -> None:
        self.ok(person_id, "documents.act", {"document_id": doc_id, "op": "approve", "step": step, "args": {}})

    # ------------------------------------------------------------------ documents

    def draft(self, relation: str, *, drafter: str | None = None, sealed: bool = False,
              to: str | None = None) -> str:
        people = self.of(relation)
        doc_id = f"d-ax-{uuid.uuid4().hex[:12]}"
        self.ok(drafter or people.drafter, "documents.create_draft", {
            "document_id": doc_id, "spec": spec(sealed=sealed),
            "main_to": [self.world.body(to or ("other" if relation != "other" else "own"))],
            "assignments": {"review": [{"id": people.reviewer, "name": "?"}],
                            "sign": [{"id": people.signer, "name": "?"}]}})
        return doc_id

    def at_register(self, relation: str, *, sealed: bool = False, to: str | None = None) -> str:
        people = self.of(relation)
        doc_id = self.draft(relation, sealed=sealed, to=to)
        self.act(people.drafter, doc_id, "draft")
        self.act(people.reviewer, doc_id, "review")
        self.act(people.signer, doc_id, "sign")
        self.act(people.clerk, doc_id, "recheck")
        return doc_id

    def registered(self, relation: str, *, sealed: bool = False, to: str | None = None) -> str:
        doc_id = self.at_register(relation, sealed=sealed, to=to)
        self.ok(self.of(relation).clerk, "documents.register", {"document_id": doc_id, "agency_code": "矩"})
        return doc_id

    def dispatched(self, relation: str, *, to: str | None = None) -> str:
        doc_id = self.registered(relation, to=to)
        self.ok(self.of(relation).clerk, "documents.dispatch", {"document_id": doc_id})
        return doc_id

    def incoming(self, relation: str) -> str:
        """An incoming copy in ``relation``'s body waiting to be signed for."""
        sender = "higher" if relation != "higher" else "own"
        out = self.dispatched(sender, to=relation)
        with session_scope(self.world.app.state.sessions) as s:
            row = s.scalars(select(Delivery).where(Delivery.outgoing_id == out)).one()
            return str(row.incoming_id)

    def target(self, intent: str, relation: str) -> str:
        """The document ``intent`` acts on for ``relation`` (fresh per (intent, relation))."""
        key = (intent, relation)
        if key in self.cache:
            return self.cache[key]
        if relation != "own":
            doc_id = self.cache.setdefault(("*", relation), self.draft(relation))
            return doc_id
        make = {
            "register": lambda: self.at_register("own"),
            "request_seal": lambda: self.registered("own", sealed=True),
            "dispatch": lambda: self.registered("own"),
            "recall": lambda: self.dispatched("own"),
            "archive": lambda: self.dispatched("own"),
            "archive_package": lambda: self._archived(),
            "sign_for": lambda: self.incoming("own"),
            "return_to_sender": lambda: self.incoming("own"),
        }.get(intent, lambda: self.draft("own"))
        self.cache[key] = make()
        return self.cache[key]

    def _archived(self) -> str:
        doc_id = self.dispatched("own")
        year = dt.datetime.now(dt.UTC).year
        self.ok(self.of("own").clerk, "documents.archive",
                {"document_id": doc_id, "archive_no": f"Z001-WS·{year}-Y-BGS-0012"})
        return doc_id

    def own_draft(self, person_id: str) -> str:
        """A draft the actor wrote in C1 ("self" cases). The security auditor writes nothing
        (every intent of theirs is refused), so theirs is a draft of C1's drafter: the duty
        gate refuses them before any document rule."""
        from server.directory.models import Post

        with session_scope(self.world.app.state.sessions) as s:
            roles = {r for rs in s.scalars(select(Post.roles).where(Post.person_id == person_id)) for r in rs}
        if "audit_admin" in roles:
            return self.draft("own")
        return self.draft("own", drafter=person_id)
