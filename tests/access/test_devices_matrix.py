"""The device routes × actor × relation, as ``tests/access/table_devices.csv`` says: the
owner, another person, a security administrator in and out of scope, the system
administrator, the security auditor and plain staff (every role of the world). Also: an
anonymous caller is refused, and a security administrator's revocation really ends the
device's session. Runs on SQLite and PostgreSQL (one world per database)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jwt
import pytest

from tests.access.table import HERE, read_table
from tests.access.world import PASSWORD, RELATIONS, ROLES, Actor, World, route_outcome

API = "/api/v1"
DEVICES = read_table(HERE / "table_devices.csv")
ACTORS = tuple(dict.fromkeys((*ROLES, "staff", "sys_admin", "security_admin", "audit_admin")))

Caller = Callable[[World, Actor, str], Any]


def _signed_in_device(world: World, login: str, client_id: str | None = None) -> dict[str, Any]:
    """Sign ``login`` in from a fresh device; its tokens, headers and device id."""
    body = {"account": login, "password": PASSWORD,
            "device_id": client_id or world.new_id("axdevice"), "device_name": "矩阵电脑",
            "platform": "Linux"}
    r = world.client.post(f"{API}/auth/login", json=body)
    assert r.status_code == 200, r.text
    answer: dict[str, Any] = r.json()
    answer["headers"] = {"Authorization": f"Bearer {answer['access_token']}"}
    answer["device"] = jwt.decode(answer["access_token"], options={"verify_signature": False})["dev"]
    return answer


def _target_person(world: World, relation: str) -> tuple[str, dict[str, Any]]:
    """A fresh staff member in ``relation``'s body, signed in on one device."""
    login = world.new_id("axdev")
    person_id = world.person([(relation, ["staff"])], login=login)
    return person_id, _signed_in_device(world, login)


def _own_or_other_device(world: World, actor: Actor, relation: str) -> str:
    if relation == "self":
        return str(_signed_in_device(world, actor.login)["device"])
    return str(_target_person(world, "own")[1]["device"])


def _wiped(world: World, actor: Actor, relation: str) -> Any:
    login = world.new_id("axwipe")
    world.person([("own", [actor.role])], login=login)
    lost = _signed_in_device(world, login)
    kept = _signed_in_device(world, login)
    r = world.client.delete(f"{API}/me/devices/{lost['device']}", headers=kept["headers"])
    assert r.status_code == 204, r.text
    return world.client.post(f"{API}/auth/device-wiped",
                             json={"refresh_token": lost["refresh_token"]})


ROUTES: dict[str, Caller] = {
    "GET /api/v1/me/devices": lambda w, a, rel: w.client.get(f"{API}/me/devices", headers=a.headers),
    "DELETE /api/v1/me/devices/{device_id}": lambda w, a, rel: w.client.delete(
        f"{API}/me/devices/{_own_or_other_device(w, a, rel)}", headers=a.headers),
    "POST /api/v1/auth/device-wiped": _wiped,
    "GET /api/v1/admin/people/{person_id}/devices": lambda w, a, rel: w.client.get(
        f"{API}/admin/people/{_target_person(w, rel)[0]}/devices", headers=a.headers),
    "POST /api/v1/admin/devices/{device_id}/revoke": lambda w, a, rel: w.client.post(
        f"{API}/admin/devices/{_target_person(w, rel)[1]['device']}/revoke", headers=a.headers),
}


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_device_route_matrix(world: World, name: str) -> None:
    relations = tuple(DEVICES.relations("route", name)) or RELATIONS
    bad = []
    for role, relation, expected in DEVICES.cases("route", name, ACTORS, relations):
        got = route_outcome(ROUTES[name](world, world.actor(role), relation),
                            hides=name.startswith("DELETE /api/v1/me/"))
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []


def test_every_device_table_route_is_exercised() -> None:
    assert DEVICES.names("route") == set(ROUTES)
    assert not DEVICES.names("intent")


def test_device_routes_refuse_anonymous_callers(world: World) -> None:
    for name in sorted(ROUTES):
        method, path = name.split(" ", 1)
        path = path.replace("{device_id}", "no-such-device").replace("{person_id}", "ax-c1")
        r = world.client.request(method, path, json={})
        assert r.status_code == 401, (name, r.status_code, r.text[:200])


def test_a_revocation_in_scope_ends_the_session_and_shows_in_the_list(world: World) -> None:
    admin = world.actor("security_admin")
    person_id, device = _target_person(world, "lower")
    r = world.client.post(f"{API}/admin/devices/{device['device']}/revoke", headers=admin.headers)
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    assert r.json()["revoked_by"] == admin.person_id
    refused = world.client.get(f"{API}/me", headers=device["headers"])
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.device_revoked"
    again = world.client.post(f"{API}/admin/devices/{device['device']}/revoke", headers=admin.headers)
    assert again.status_code == 200 and again.json()["revoked_at"] == r.json()["revoked_at"]
    assert world.client.post(f"{API}/auth/device-wiped", json={},
                             headers=device["headers"]).status_code == 204
    listing = world.client.get(f"{API}/admin/people/{person_id}/devices", headers=admin.headers)
    assert [d["state"] for d in listing.json()["devices"]] == ["wiped"]


def test_out_of_scope_refusals_name_the_body(world: World) -> None:
    admin = world.actor("security_admin")
    person_id, _ = _target_person(world, "higher")
    r = world.client.get(f"{API}/admin/people/{person_id}/devices", headers=admin.headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "devices.not_security_admin_of"
    assert "矩阵省人民政府" in r.json()["error"]["message"]
    sys_admin = world.actor("sys_admin")
    r = world.client.get(f"{API}/admin/people/{person_id}/devices", headers=sys_admin.headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "permission.denied"
    unknown = world.client.post(f"{API}/admin/devices/no-such-device/revoke", headers=admin.headers)
    assert unknown.status_code == 404
