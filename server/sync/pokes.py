"""Which connected devices a batch of changes is worth a poke to, and how soon.

The push hub reads, once per tick, the ``(entity, key)`` pairs of the entities that
changed; this module splits their keys in two:

* **urgent** keys: a device holding one is poked at once (then at most once per
  coalescing window);
* **quiet** keys: directory entities published to a whole region (``dir:<region>``) or to
  everyone (``all``). A phone number edited in a city must not make every device of the
  city pull at once, for every edit: such a key only marks the device as "has something
  quiet to fetch", delivered with its next urgent poke or, at the latest, at the end of
  the quiet window — spread over the second half of that window so a region does not
  pull in one burst. The periodic pull stays the safety net either way.

A directory person's change stays urgent for the person themselves (``user:<id>``: their
posts and roles are their scope, and a scope change forces a resync) and for the holders
of the bodies where the person has a post (``body:<body id>``): colleagues see an edited
phone number at once, as the push-latency benchmark measures.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from server.changefeed import entity_keys_changed_between, rows_changed_between
from server.scopes import ScopeBasis, published_basis
from server.sync.tail import TailEntry, read_tail_rows

PERSON_ENTITY = "directory.person"
BODY_ENTITY = "directory.body"
#: Entities whose region-wide / public keys are quiet.
QUIET_ENTITIES = frozenset({PERSON_ENTITY, BODY_ENTITY})
#: Key prefixes that are quiet for the entities above.
QUIET_PREFIXES: tuple[str, ...] = ("dir:",)
QUIET_KEYS = frozenset({"all"})
#: Above this many people changed in one tick (an import), no person's data is read: only
#: the people themselves are poked at once.
MAX_PEOPLE_READ = 200


@dataclass
class TickChanges:
    """What one tick of the hub found in ``(after, upto]``."""

    after: int
    upto: int
    #: Every audience key of every changed entity (for the cheap pull's view).
    keys: frozenset[str] = frozenset()
    urgent: frozenset[str] = frozenset()
    quiet: frozenset[str] = frozenset()
    #: People whose directory record changed: their scope may have changed.
    people: frozenset[str] = field(default_factory=frozenset)
    #: The scope basis of each of ``people`` as now published (None: not read, inactive);
    #: a cached scope of the same basis stays right (:data:`server.scopes.ScopeBasis`).
    bases: dict[str, ScopeBasis | None] = field(default_factory=dict)
    #: A directory body changed (moved, renamed, re-typed): anyone's scope may have.
    bodies: bool = False
    #: The changed rows whole, for the hub's tail (:mod:`server.sync.tail`); None when
    #: there were too many to read whole.
    rows: list[TailEntry] | None = None


def _is_quiet_key(key: str) -> bool:
    return key in QUIET_KEYS or key.startswith(QUIET_PREFIXES)


def classify(
    pairs: Iterable[tuple[str, str]], people: dict[str, dict[str, Any] | None]
) -> tuple[set[str], set[str], set[str]]:
    """``(all keys, urgent keys, quiet keys)`` from ``(entity, key)`` pairs.

    ``people`` maps each changed directory person to their published data (or None when
    it was not read, or the person is inactive); the bodies of their posts become urgent.
    """
    keys: set[str] = set()
    urgent: set[str] = set()
    quiet: set[str] = set()
    for entity, key in pairs:
        keys.add(key)
        if entity in QUIET_ENTITIES and _is_quiet_key(key):
            quiet.add(key)
        else:
            urgent.add(key)
    for person_id, data in people.items():
        urgent.add(f"user:{person_id}")
        for post in (data or {}).get("posts") or ():
            if isinstance(post, dict) and post.get("body_id"):
                urgent.add(f"body:{post['body_id']}")
    return keys, urgent, quiet - urgent


def read_tick(session: Session, after: int, upto: int) -> TickChanges:
    """Read what changed in ``(after, upto]``: the rows whole, with their audience, in one
    statement (:func:`server.sync.tail.read_tail_rows`); for a tick too large for that,
    the ``(entity, key)`` pairs and the people changed (two or three statements)."""
    rows = read_tail_rows(session, after, upto)
    people: dict[str, dict[str, Any] | None] = {}
    if rows is not None:
        pairs = {(entry.entity, key) for entry in rows for key in entry.audience}
        changed = [entry for entry in rows if entry.entity == PERSON_ENTITY]
        if len(changed) <= MAX_PEOPLE_READ:
            people = {entry.entity_id: None if entry.data is None else json.loads(entry.data)
                      for entry in changed}
        else:
            people = {entry.entity_id: None for entry in changed}
    else:
        pairs = entity_keys_changed_between(session, after, upto)
        if any(entity == PERSON_ENTITY for entity, _ in pairs):
            ids = rows_changed_between(session, PERSON_ENTITY, after, upto, with_data=False)
            if len(ids) <= MAX_PEOPLE_READ:
                people = dict(rows_changed_between(session, PERSON_ENTITY, after, upto,
                                                   with_data=True))
            else:
                people = {pid: None for pid, _ in ids}
    keys, urgent, quiet = classify(pairs, people)
    return TickChanges(
        after=after,
        upto=upto,
        keys=frozenset(keys),
        urgent=frozenset(urgent),
        quiet=frozenset(quiet),
        people=frozenset(people),
        bases={person_id: published_basis(data) for person_id, data in people.items()},
        bodies=any(entity == BODY_ENTITY for entity, _ in pairs),
        rows=rows,
    )
