"""Directory intents users may submit themselves (also offline): the one definition.

``directory.update_contact`` ``{person_id?, phone?, email?}`` — change a mobile phone
and/or e-mail: one's own (no ``person_id``, or one's own id) or, for an administrator,
that of a person they administer (``modules.directory.policy``). A field left out is
unchanged; an empty string (or ``null``) clears it.

Everything about the intent lives here — its arguments, who may (:func:`authorise`), its
effect (:func:`contact_changes`, :func:`update_contact`) — and both sides call it: the
client's optimistic applier (``modules.directory.service``) on the cached record, the
server's handler (``server.directory.mutations``) on the stored person, which adds only
the loading of the facts, the 404 and the write with its change feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import Field

from modules.common.intents import IntentArgs, define
from modules.directory import policy, rules


class UpdateContactArgs(IntentArgs):
    person_id: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=300)


UPDATE_CONTACT = define("directory.update_contact", UpdateContactArgs, offline=True,
                        summary="Change a mobile phone and/or e-mail")


def target_of(args: UpdateContactArgs, actor_person_id: str) -> str:
    """The person whose contact changes: ``person_id``, else the actor."""
    return args.person_id or actor_person_id


def authorise(
    actor: policy.Actor, tree: policy.Tree, person_id: str, post_body_ids: Iterable[str]
) -> None:
    """Oneself, or an administrator of the person; raises ``PermissionDenied`` (403)."""
    policy.may_update_contact(actor, tree, person_id, post_body_ids).require(tree)


def contact_args(phone: Any = ..., email: Any = ...) -> dict[str, str]:
    """Validated, normalised contact fields: ``...`` leaves a field unchanged;
    ``""``/``None`` clears it. Raises ``DirectoryInvalid`` (bad phone / e-mail, nothing
    to change)."""
    changes: dict[str, str] = {}
    if phone is not ...:
        changes["phone"] = rules.normalize_phone(phone) or ""
    if email is not ...:
        changes["email"] = rules.normalize_email(email) or ""
    if not changes:
        raise rules.DirectoryInvalid("directory.no_contact_change")
    return changes


def contact_changes(args: UpdateContactArgs) -> dict[str, str]:
    """The fields the intent writes (those given), normalised; see :func:`contact_args`."""
    given = args.model_fields_set
    return contact_args(
        args.phone if "phone" in given else ..., args.email if "email" in given else ...
    )


def update_contact(person: Mapping[str, Any], args: UpdateContactArgs) -> dict[str, Any]:
    """The effect on a person record: the record with the new phone / e-mail."""
    return {**person, **contact_changes(args)}
