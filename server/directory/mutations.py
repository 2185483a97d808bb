"""Directory intents that users may submit themselves (also offline).

``directory.update_contact`` ``{person_id?, phone?, email?}`` — change a mobile phone
and/or e-mail: one's own (no ``person_id``, or one's own id) or, for an administrator,
that of a person they administer (``modules.directory.policy``). A field left out is
unchanged; an empty string clears it. The client applies the same normalisation
optimistically (``modules.directory.service``).
"""

from __future__ import annotations

from typing import Any

from modules.directory import intents as I
from modules.directory.intents import UpdateContactArgs
from server.directory import access, storage
from server.mutations import MutationContext, mutation


@mutation(I.UPDATE_CONTACT)
def update_contact(ctx: MutationContext, args: UpdateContactArgs) -> dict[str, Any]:
    given = args.model_fields_set
    target = args.person_id or ctx.principal.person_id
    storage.get_person(ctx.session, target)
    access.require_contact_editor(ctx.session, ctx.principal, target)
    person = storage.update_contact(
        ctx.session,
        target,
        phone=(args.phone or "") if "phone" in given else ...,
        email=(args.email or "") if "email" in given else ...,
    )
    return {"person_id": person.id, "phone": person.phone, "email": person.email}
