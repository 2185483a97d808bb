"""Directory intents users may submit themselves (also offline): names and schemas.

``directory.update_contact`` ``{person_id?, phone?, email?}`` — change a mobile phone
and/or e-mail: one's own (no ``person_id``, or one's own id) or, for an administrator,
that of a person they administer (``modules.directory.policy``). A field left out is
unchanged; an empty string clears it.
"""

from __future__ import annotations

from pydantic import Field

from modules.common.intents import IntentArgs, define


class UpdateContactArgs(IntentArgs):
    person_id: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=300)


UPDATE_CONTACT = define("directory.update_contact", UpdateContactArgs, offline=True,
                        summary="Change a mobile phone and/or e-mail")
