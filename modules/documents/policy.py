"""Who may act on which body's documents (公文权限): the parts that are not one step's
assignee list. Pure; used by the server's intents (``server/documents/mutations.py``)
and by the client's :func:`modules.documents.service.allowed_actions` alike.

The workflow itself (:mod:`modules.documents.workflow`) decides the step-by-step part:
only the people pending on the current step (or whom they stand in for) act on it, the
drafter may add/remove signers and void, anyone involved may urge. Visibility (who
receives a document at all: its participants, the owning body's registry clerks and
leaders) is the feed audience in ``server/documents/storage.py``; an intent on a
document the actor cannot see is ``document.not_found``, like a read route's 404.

On top of that, decided here from the actor's posts and the document's owning organ:

* **Draft** (拟稿) in an organ's name: a member of that organ (a post in it or in one of
  its departments) — never a sibling's, a higher or a lower body's.
* **Registry acts** of an organ — file the 用印申请 without being on the 用印 step,
  recall a dispatch (撤回分发) without being its drafter, archive an outgoing document
  (归档): a ``registry_clerk`` holding a post in the organ itself.
* **用印申请**: someone pending on the 用印 step, or a registry clerk of the organ.
* **Recall**: the drafter or a registry clerk of the organ.
* **Archive an outgoing document**: a registry clerk of the organ (an incoming one is
  archived on its 归档 step, by the workflow).
* **收文录入** (intake of a paper or file document as the organ's incoming document): a
  registry clerk of the organ.
"""

from __future__ import annotations

from modules.common.access import ActorFacts
from modules.common.errors import PermissionDenied
from modules.documents import messages as _shared_messages  # noqa: F401  (registers codes)

REGISTRY = "registry_clerk"


def is_registry(actor: ActorFacts, organ_id: str) -> bool:
    """A registry clerk (收发员) with a post in the organ itself."""
    return actor.has_role(REGISTRY, body_id=organ_id)


def may_draft(actor: ActorFacts, organ_id: str) -> bool:
    return actor.member_of(organ_id)


def check_draft(actor: ActorFacts, organ_id: str, organ_name: str) -> None:
    if not may_draft(actor, organ_id):
        raise PermissionDenied("document.not_member", body=organ_name)


def may_request_seal(actor: ActorFacts, organ_id: str, *, on_seal_step: bool) -> bool:
    return on_seal_step or is_registry(actor, organ_id)


def may_recall(actor: ActorFacts, organ_id: str, *, owner_id: str) -> bool:
    return actor.person_id == owner_id or is_registry(actor, organ_id)


def may_archive_outgoing(actor: ActorFacts, organ_id: str) -> bool:
    return is_registry(actor, organ_id)


def may_intake(actor: ActorFacts, organ_id: str) -> bool:
    return is_registry(actor, organ_id)


def check_registry(allowed: bool, organ_name: str, action: str, action_en: str) -> None:
    """Raise the registry refusal (``document.not_registry``) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied("document.not_registry", body=organ_name, action=action,
                               action_en=action_en)
