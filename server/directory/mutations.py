"""Directory intents that users may submit themselves (also offline).

``directory.update_contact`` — its arguments, policy call and effect are defined once in
``modules.directory.intents``; the handler loads the facts the policy needs (404 for an
unknown person first) and writes the change through storage (change feed included).
"""

from __future__ import annotations

from typing import Any

from modules.directory import intents as I
from modules.directory.intents import UpdateContactArgs
from server.directory import access, storage
from server.mutations import MutationContext, mutation


@mutation(I.UPDATE_CONTACT)
def update_contact(ctx: MutationContext, args: UpdateContactArgs) -> dict[str, Any]:
    target = I.target_of(args, ctx.principal.person_id)
    storage.get_person(ctx.session, target)
    bodies, tree = access.person_facts(ctx.session, ctx.principal, target)
    I.authorise(access.actor_of(ctx.principal), tree, target, bodies)
    person = storage.update_person(ctx.session, target, I.contact_changes(args))
    return {"person_id": person.id, "phone": person.phone, "email": person.email}
