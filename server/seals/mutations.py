"""Seal intents applied on the server (definitions and effects: ``modules.seals.intents``).

Each handler runs the intent through ``server.seals.storage``, which checks the policy
on the server's current directory, calls the intent's pure effect on the server's state
and clock, and adds what only the server does. ``seals.create_seal`` and ``seals.stamp``
can only run online: the seal's key is made and kept on the server.
"""

from __future__ import annotations

from typing import Any

from modules.common.errors import DomainError
from modules.seals import intents as I
from modules.seals.intents import (
    CreateSealArgs,
    DecideArgs,
    EnrolArgs,
    RequestIdArgs,
    RequestUseArgs,
    SealStateArgs,
    StampArgs,
)
from server.mutations import Handler, MutationContext, mutation
from server.seals import refusals, storage
from server.seals.runtime import for_session


@mutation(I.CREATE_SEAL)
def create_seal(ctx: MutationContext, args: CreateSealArgs) -> dict[str, Any]:
    runtime = for_session(ctx.session, ctx)
    row = storage.create_seal(ctx.session, runtime.settings, runtime.blob_store,
                              actor=ctx.principal, args=args, now=ctx.now)
    return storage.seal_data(ctx.session, row)


@mutation(I.REQUEST_USE)
def request_use(ctx: MutationContext, args: RequestUseArgs) -> dict[str, Any]:
    row = storage.create_request(ctx.session, args, requester_id=ctx.principal.person_id,
                                 now=ctx.now)
    return {"request_id": row.id}


def _decider(effect: I.DecideEffect) -> Handler[DecideArgs]:
    """The handler of approve / refuse: the same steps, the intent's own effect."""

    def decide(ctx: MutationContext, args: DecideArgs) -> dict[str, Any]:
        row = storage.decide_request(ctx.session, for_session(ctx.session, ctx).settings,
                                     actor=ctx.principal, args=args, effect=effect,
                                     now=ctx.now)
        return {"request_id": row.id, "state": row.state}

    return decide


approve_request = mutation(I.APPROVE_REQUEST)(_decider(I.approve_request))
refuse_request = mutation(I.REFUSE_REQUEST)(_decider(I.refuse_request))


@mutation(I.CANCEL_REQUEST)
def cancel_request(ctx: MutationContext, args: RequestIdArgs) -> dict[str, Any]:
    row = storage.cancel_request(ctx.session, actor=ctx.principal, args=args, now=ctx.now)
    return {"request_id": row.id, "state": row.state}


@mutation(I.STAMP)
def stamp(ctx: MutationContext, args: StampArgs) -> dict[str, Any]:
    runtime = for_session(ctx.session, ctx)
    try:
        row, entry = storage.stamp_request(
            ctx.session, runtime.settings, runtime.blob_store, actor=ctx.principal,
            request_id=args.request_id, now=ctx.now, placement=args.placement.model_dump(),
            riding_seal=args.riding_seal, qr_base_url=args.qr_base_url,
        )
    except DomainError as error:
        # Refused: the register shows it too, written once this transaction is rolled
        # back (see server/seals/refusals.py).
        attempt = refusals.snapshot(ctx.session, actor=ctx.principal,
                                    request_id=args.request_id, mutation_id=ctx.mutation_id,
                                    now=ctx.now, error=error)
        if attempt is not None:
            refusals.record_after_rollback(ctx.session, attempt)
        raise
    return {"request_id": row.id, "entry_id": entry.id, "stamped_sha256": entry.result_sha256,
            "copy_no": entry.copy_no, "state": row.state}


@mutation(I.ENROL_PERSON_KEY)
def enrol_person_key(ctx: MutationContext, args: EnrolArgs) -> dict[str, Any]:
    row = storage.enrol_person_key(ctx.session, for_session(ctx.session, ctx).settings,
                                   actor=ctx.principal, public_key_pem=args.public_key_pem,
                                   now=ctx.now)
    return {"serial": row.serial, "cert_pem": row.cert_pem}


@mutation(I.SET_SEAL_STATE)
def set_seal_state(ctx: MutationContext, args: SealStateArgs) -> dict[str, Any]:
    row = storage.change_seal_state(ctx.session, actor=ctx.principal, args=args, now=ctx.now)
    return {"seal_id": row.id, "state": row.state}
