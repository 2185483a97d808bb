"""The calendar access matrix: ``calendar.set_year`` × every role × a post in the
top-level body (``own``) or below it (``higher``)."""

from __future__ import annotations

from tests.access.table import HERE, read_table
from tests.access.world import ROLES, World, intent_outcome, push

CALENDAR = read_table(HERE / "table_calendar.csv")
DENY_CODES = {"calendar.not_allowed"}
#: table relation -> where the actor's post is
POST_AT = {"own": "higher", "higher": "own"}


def test_set_year_matrix(world: World) -> None:
    bad = []
    for n, (role, relation, expected) in enumerate(
        CALENDAR.cases("intent", "calendar.set_year", ROLES, tuple(POST_AT))
    ):
        actor = world.actor(role, POST_AT[relation])
        args = {"year": 2040 + n % 50, "days": [{"date": f"{2040 + n % 50}-01-01",
                                                  "kind": "holiday", "name": "元旦"}]}
        got = intent_outcome(push(world, actor, "calendar.set_year", args), DENY_CODES)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []
