"""The pure directory access policy: scope roots, ancestry, people, contacts."""

from __future__ import annotations

import pytest

from modules.common.errors import PermissionDenied
from modules.directory import policy
from modules.directory.policy import Actor, ActorPost, Node

TREE = {
    "p": Node("p", None, "body", "省政府"),
    "p-dept": Node("p-dept", "p", "department", "省政府办公厅"),
    "p-bureau": Node("p-bureau", "p", "body", "省数据局"),
    "p-bureau-office": Node("p-bureau-office", "p-bureau", "department", "办公室"),
    "c1": Node("c1", "p", "body", "一号市"),
    "c1-office": Node("c1-office", "c1", "department", "市府办"),
    "k1": Node("k1", "c1", "body", "甲县"),
    "c2": Node("c2", "p", "body", "二号市"),
}


def admin(*bodies: str, person: str = "me") -> Actor:
    return Actor(person, tuple(ActorPost(b, frozenset({"sys_admin"})) for b in bodies))


def test_an_admin_post_in_a_department_administers_its_organ_and_below() -> None:
    actor = admin("c1-office")
    assert policy.scope_roots(actor, TREE) == {"c1"}
    assert all(policy.administers_body(actor, TREE, b).allowed for b in ("c1", "c1-office", "k1"))
    for body in ("p", "c2", "p-dept"):
        decision = policy.administers_body(actor, TREE, body)
        assert (decision.allowed, decision.reason, decision.body) == (False, "outside_scope", body)


def test_a_lower_or_sibling_admin_never_reaches_up() -> None:
    assert not policy.administers_body(admin("k1"), TREE, "c1").allowed
    assert not policy.administers_body(admin("p-bureau-office"), TREE, "c1").allowed
    assert policy.administers_bodies(admin("k1", "c2"), TREE, ["k1", "c2"]).allowed


def test_people_need_every_body_and_postless_people_need_a_top_admin() -> None:
    city, top = admin("c1"), admin("p")
    assert policy.administers_person(city, TREE, {"c1-office", "k1"}).allowed
    assert policy.administers_person(city, TREE, {"c1", "p-dept"}).reason == "outside_scope"
    assert policy.administers_person(city, TREE, set()).reason == "needs_top_admin"
    assert policy.administers_person(top, TREE, set()).allowed
    assert policy.administers_body(city, TREE, None).reason == "needs_top_admin"
    assert policy.administers_body(top, TREE, None).allowed


def test_non_admins_and_contacts() -> None:
    clerk = Actor("me", (ActorPost("c1", frozenset({"registry_clerk"})),))
    assert policy.administers_body(clerk, TREE, "c1").reason == "not_admin"
    assert policy.may_update_contact(clerk, TREE, "me", {"c1"}) == policy.Decision(True, "self")
    assert policy.may_update_contact(clerk, TREE, "other", {"c1"}).reason == "not_admin"
    assert policy.may_update_contact(admin("c1"), TREE, "other", {"k1"}).allowed
    assert not policy.may_update_contact(admin("c1"), TREE, "other", {"c2"}).allowed


def test_a_broken_tree_cannot_loop() -> None:
    loop = {"a": Node("a", "b"), "b": Node("b", "a")}
    assert policy.ancestry(loop, "a") == ["a", "b"]
    assert not policy.administers_body(admin("x"), loop, "a").allowed


def test_refusals_raise_403_with_the_body_name() -> None:
    with pytest.raises(PermissionDenied) as caught:
        policy.administers_body(admin("c1"), TREE, "c2").require(TREE)
    assert caught.value.code == "directory.not_admin_of" and caught.value.http_status == 403
    assert "二号市" in caught.value.message() and "outside your scope" in caught.value.message("en")
    with pytest.raises(PermissionDenied) as caught:
        policy.administers_person(admin("c1"), TREE, set()).require(TREE)
    assert caught.value.code == "directory.needs_top_admin"
