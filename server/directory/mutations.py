"""Directory intents that users may submit themselves (also offline).

``directory.update_contact`` ``{phone?, email?}`` — change one's own mobile phone and/or
e-mail. A field left out is unchanged; an empty string clears it. The client applies
the same normalisation optimistically (``modules.directory.service``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from server.directory import storage
from server.mutations import MutationContext, mutation


class UpdateContactArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=300)


@mutation("directory.update_contact", UpdateContactArgs)
def update_contact(ctx: MutationContext, args: UpdateContactArgs) -> dict[str, Any]:
    given = args.model_fields_set
    person = storage.update_contact(
        ctx.session,
        ctx.principal.person_id,
        phone=(args.phone or "") if "phone" in given else ...,
        email=(args.email or "") if "email" in given else ...,
    )
    return {"person_id": person.id, "phone": person.phone, "email": person.email}
