"""Intents: registry and the idempotent dispatcher behind ``POST /sync/push``.

A feature defines its intents once, in ``modules/<feature>/intents.py``
(:mod:`modules.common.intents`), and registers the server's handler for each::

    @mutation(intents.UPDATE_CONTACT)
    def update_contact(ctx: MutationContext, args: UpdateContactArgs) -> dict | None: ...

The handler applies the feature's pure intent effect to the server's current state, writes
through its storage functions (which record the change feed) and returns a small JSON
result. It raises ``DomainError`` subclasses for expected failures (rejected / conflict).

Each intent runs in its own transaction together with its ``applied_mutation`` row, so
a retry of the same (person, mutation id) returns the first answer and nothing is
applied twice — also when two retries race (the primary key decides). ``POST /sync/push``
runs a whole batch in one transaction with a savepoint per intent
(:mod:`server.push_batch`) and falls back to :func:`apply_one` where that cannot hold.

Before an intent's arguments are parsed, all of their text (nested too) goes through the
classification-marking detector (``modules.common.classified``): a 涉密 marking rejects
the intent with ``document.classified_refused`` whatever its name.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import JSON, String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from modules.common.classified import refuse_classified_data
from modules.common.errors import DomainError, ValidationFailed
from modules.common.intents import Intent
from modules.common.text import find_unreadable, shown
from server.audit.trail import intent_row, intent_target, record_detached, record_rows
from server.auth.deps import refuse_auditor
from server.auth.principal import Principal, load_principal
from server.db import Base, UTCDateTime, session_scope, utcnow

if TYPE_CHECKING:
    from server.blobs.store import BlobStore
    from server.config import Settings

log = logging.getLogger(__name__)

ArgsT = TypeVar("ArgsT", bound=BaseModel)


class AppliedMutation(Base):
    __tablename__ = "sync_applied_mutation"

    person_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False)
    args_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    response: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


@dataclass(frozen=True)
class MutationContext:
    """What a handler gets: its transaction, who acts, the server's clock and language,
    and the process's settings and blob store (None only in bare unit tests)."""

    session: Session
    principal: Principal
    now: datetime
    lang: str
    mutation_id: str
    settings: Settings | None = None
    blob_store: BlobStore | None = None


@dataclass(frozen=True)
class _Registered:
    intent: Intent[Any]
    handler: Callable[[MutationContext, Any], dict[str, Any] | None]

    @property
    def args_model(self) -> type[BaseModel]:
        return self.intent.args


_registry: dict[str, _Registered] = {}

Handler = Callable[[MutationContext, ArgsT], dict[str, Any] | None]


def mutation(intent: Intent[ArgsT]) -> Callable[[Handler[ArgsT]], Handler[ArgsT]]:
    """Register the server handler of ``intent`` (at import time).

    The intent and its argument model are defined once, in the feature's pure
    ``modules/<feature>/intents.py``; the handler receives the parsed model."""

    def decorate(fn: Handler[ArgsT]) -> Handler[ArgsT]:
        existing = _registry.get(intent.name)
        if existing is not None and existing.handler is not fn:
            raise ValueError(f"mutation {intent.name!r} registered twice")
        _registry[intent.name] = _Registered(intent, fn)
        return fn

    return decorate


def registered_names() -> list[str]:
    return sorted(_registry)


def registered_intents() -> dict[str, Intent[Any]]:
    """Intent name -> its shared definition (``modules.common.intents``), for every
    intent the server handles: what ``POST /sync/push`` accepts (OpenAPI)."""
    return {name: entry.intent for name, entry in _registry.items()}


def args_models() -> dict[str, type[BaseModel]]:
    """Intent name -> its argument model, for every registered intent (OpenAPI, tests)."""
    return {name: entry.args_model for name, entry in _registry.items()}


def _args_hash(name: str, args: dict[str, Any]) -> str:
    """Digest of an intent; defined for any decoded JSON, lone surrogates included
    (so an unreadable intent can still be answered and remembered)."""
    canonical = json.dumps([name, args], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


class BugDuringMutation(Exception):
    """An unexpected error inside a handler; the batch stops here (see push route)."""

    def __init__(self, mutation_id: str, original: BaseException) -> None:
        super().__init__(f"mutation {mutation_id} failed: {original!r}")
        self.mutation_id = mutation_id
        self.original = original


def apply_one(
    sessions: sessionmaker[Session],
    person_id: str,
    login: str,
    item: dict[str, Any],
    lang: str,
    *,
    settings: Settings | None = None,
    blob_store: BlobStore | None = None,
) -> dict[str, Any]:
    """Apply one intent idempotently and return its result entry.

    Raises ``BugDuringMutation`` for unexpected errors (nothing of it is committed).
    """
    mutation_id = str(item["id"])
    name = str(item["name"])
    args = item.get("args") or {}
    digest = _args_hash(name, args)

    def stored(session: Session) -> dict[str, Any] | None:
        row = session.get(AppliedMutation, (person_id, mutation_id))
        if row is None:
            return None
        if row.args_hash != digest:
            err = ValidationFailed("sync.mutation_id_reused", id=mutation_id)
            return {"id": mutation_id, "status": "rejected", "error": err.to_dict(lang)}
        return dict(row.response)

    def remember(session: Session, response: dict[str, Any],
                 principal: Principal | None = None) -> None:
        record_rows(session, [intent_row(name, args, response, actor=principal,
                                         person_id=person_id, login=login)])
        session.add(
            AppliedMutation(
                person_id=person_id,
                mutation_id=mutation_id,
                name=name,
                args_hash=digest,
                status=response["status"],
                response=response,
                applied_at=utcnow(),
            )
        )
        session.flush()

    try:
        with session_scope(sessions) as session:
            previous = stored(session)
            if previous is not None:
                return previous
            registered = _registry.get(name)
            if registered is None:
                raise ValidationFailed("sync.unknown_mutation", name=name)
            if not isinstance(args, dict):
                raise ValidationFailed("request.invalid", detail="args")
            unreadable = find_unreadable(args, "args")
            if unreadable:
                raise ValidationFailed("request.invalid_text", field=shown(unreadable[0]),
                                       problem=unreadable[1])
            refuse_classified_data(args)  # every text of every intent, before its rules
            parsed = registered.intent.parse(args, lang)
            ctx = MutationContext(
                session=session,
                principal=load_principal(session, person_id, login),
                now=utcnow(),
                lang=lang,
                mutation_id=mutation_id,
                settings=settings,
                blob_store=blob_store,
            )
            refuse_auditor(ctx.principal)  # 三员分立: the auditor changes nothing
            result = registered.handler(ctx, parsed)
            response = {"id": mutation_id, "status": "applied", "result": result or {}}
            remember(session, response, ctx.principal)
            return response
    except DomainError as error:
        response = {"id": mutation_id, "status": error.outcome, "error": error.to_dict(lang)}
        try:
            with session_scope(sessions) as session:
                previous = stored(session)
                if previous is not None:
                    return previous
                remember(session, response)
        except IntegrityError:
            with session_scope(sessions) as session:
                return stored(session) or response
        return response
    except IntegrityError:
        # A concurrent retry of the same intent committed first: answer with its result.
        with session_scope(sessions) as session:
            previous = stored(session)
        if previous is not None:
            return previous
        raise
    except Exception as exc:
        log.exception("mutation %s (%s) failed", name, mutation_id)
        try:
            record_detached(sessions, action=f"intent.{name}"[:80], result="failed",
                            actor_id=person_id, actor_login=login, code="internal_error",
                            target=intent_target(args),
                            detail={"mutation": mutation_id})
        except Exception:
            log.exception("recording the failed mutation %s in the audit trail", mutation_id)
        raise BugDuringMutation(mutation_id, exc) from exc
