"""The audit access matrix: every audit route × the auditor and the other roles ×
an entry whose scope body is own / other / higher / lower, answered as
``tests/access/table_audit.csv`` says, through the real app on SQLite and PostgreSQL.

For the listing routes "allow" means the entry is in the answer and "deny" that the
route refused (403 ``audit.not_auditor``) or answered without it; a single entry out of
scope is 403 ``audit.outside_scope``. A refusal with any other code fails the case.
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from server.audit import trail
from server.audit.chain import chain_now
from server.db import session_scope
from tests.access.table import HERE, read_table
from tests.access.world import RELATIONS, World

API = "/api/v1/audit"
AUDIT = read_table(HERE / "table_audit.csv")
#: The auditor and the roles a reader might expect to see the trail (三员, leaders, staff).
ROLES = ("audit_admin", "sys_admin", "security_admin", "staff", "leader", "registry_clerk",
         "seal_custodian")
DENY_CODES = {"audit.not_auditor", "audit.outside_scope"}

_entries: dict[tuple[int, str], tuple[int, str]] = {}


def entry(world: World, relation: str) -> tuple[int, str]:
    """(seq, target) of an entry scoped to ``relation``'s body (made once per world)."""
    key = (id(world), relation)
    if key not in _entries:
        target = f"ax-audit-{uuid.uuid4().hex[:10]}"
        with session_scope(world.app.state.sessions) as s:
            trail.record(s, action="intent.documents.act", target=target,
                         scope_body=world.body(relation), actor_name="矩阵")
        chain_now(world.app.state.engine)
        with session_scope(world.app.state.sessions) as s:
            from server.audit.models import AuditEntry

            row = s.query(AuditEntry).filter(AuditEntry.target == target).one()
            assert row.seq is not None
            _entries[key] = (row.seq, target)
    return _entries[key]


def outcome(response: Any, seen: bool | None = None) -> str:
    if response.status_code == 200:
        return "allow" if seen in (None, True) else "deny"
    if response.status_code == 403 and response.json()["error"]["code"] in DENY_CODES:
        return "deny"
    return f"unexpected {response.status_code} {response.text[:300]}"


def ask(world: World, name: str, role: str, relation: str) -> str:
    headers = world.actor(role).headers
    seq, target = entry(world, relation)
    c = world.client
    if name == "GET /api/v1/audit/entries":
        r = c.get(f"{API}/entries", params={"q": target}, headers=headers)
        return outcome(r, r.status_code == 200 and
                       target in {e["target"] for e in r.json()["entries"]})
    if name == "GET /api/v1/audit/entries/{seq}":
        return outcome(c.get(f"{API}/entries/{seq}", headers=headers))
    if name == "GET /api/v1/audit/export":
        r = c.get(f"{API}/export", params={"format": "csv", "q": target}, headers=headers)
        seen = r.status_code == 200 and any(
            target in row for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        return outcome(r, seen)
    if name == "GET /api/v1/audit/status":
        return outcome(c.get(f"{API}/status", headers=headers))
    raise AssertionError(f"no case for {name}")


def test_audit_routes_matrix(world: World) -> None:
    bad = []
    for name in sorted(AUDIT.names("route")):
        for role, relation, expected in AUDIT.cases("route", name, ROLES, RELATIONS):
            got = ask(world, name, role, relation)
            if got != expected:
                bad.append(f"{name} {role}/{relation}: expected {expected}, got {got}")
    assert bad == []
