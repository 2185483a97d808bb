"""The audit trail's read routes (``server/audit/routes.py``) on SQLite and PostgreSQL:
filters, keyset paging, the auditor's scope, the exports read back (csv, openpyxl), the
export recorded in the trail, and that nothing but GET exists under /api/v1/audit."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from typing import Any

import pytest
from openpyxl import load_workbook

from server.audit import trail
from server.audit.chain import chain_now
from server.audit.models import AuditEntry
from server.db import session_scope
from tests.access.world import World

API = "/api/v1/audit"
MARK = "ZQX"  # in every target written here, so the filters can single these entries out
_n = itertools.count(1)


def put(world: World, **fields: Any) -> str:
    """Write one entry (chained at once); its target."""
    target = str(fields.pop("target", f"{MARK}-{next(_n):04d}"))
    at = fields.pop("at", dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC))
    row = trail.entry_row(action=fields.pop("action", "auth.login"), target=target, at=at,
                          **fields)
    with session_scope(world.app.state.sessions) as s:
        trail.record_rows(s, [row])
    chain_now(world.app.state.engine)
    return target


@pytest.fixture(scope="module")
def seeded(world: World) -> dict[str, str]:
    """A handful of entries across bodies, categories, results, days and devices."""
    t: dict[str, str] = {}
    t["own_login"] = put(world, action="auth.login", scope_body="b-ax-c1", actor_id="p-zhang",
                         actor_name="张伟", actor_login="zhangwei")
    t["own_refused"] = put(world, action="intent.seals.stamp", scope_body="b-ax-c1",
                           result="refused", code="seal.not_custodian", actor_name="李娜",
                           detail={"seal": "s-1"})
    t["lower_doc"] = put(world, action="intent.documents.act", scope_body="b-ax-k1",
                         actor_name="王芳", at=dt.datetime(2026, 11, 21, 17, 0, tzinfo=dt.UTC))
    t["other_dl"] = put(world, action="blob.download", scope_body="b-ax-c2", actor_name="赵敏")
    t["higher_dev"] = put(world, action="device.revoke", scope_body="b-ax-p", actor_name="钱进")
    t["system"] = put(world, action="auth.login_failed", scope_body="", result="refused",
                      actor_login="nobody")
    t["formula"] = put(world, action="intent.directory.update_contact", scope_body="b-ax-c1",
                       actor_name="=HYPERLINK(\"x\")", detail={"phone": "+86 138"})
    return t


def get(world: World, role: str, path: str, relation: str = "own", **params: Any) -> Any:
    return world.client.get(f"{API}{path}", params=params, headers=world.actor(role, relation).headers)


def targets(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {e["target"] for e in response.json()["entries"] if e["target"].startswith(MARK)}


def test_an_auditor_reads_their_organ_and_below_only(world: World, seeded: dict[str, str]) -> None:
    seen = targets(get(world, "audit_admin", "/entries", q=MARK))
    assert seen == {seeded["own_login"], seeded["own_refused"], seeded["lower_doc"], seeded["formula"]}
    top = targets(get(world, "audit_admin", "/entries", "higher", q=MARK))
    assert top == set(seeded.values())  # a top-level auditor also reads system-wide entries


@pytest.mark.parametrize("role", ["sys_admin", "security_admin", "staff", "leader"])
def test_everyone_else_is_refused_in_words(world: World, seeded: dict[str, str], role: str) -> None:
    for path in ("/entries", "/status", "/export", "/entries/1"):
        r = get(world, role, path)
        assert r.status_code == 403, (path, r.text)
        assert r.json()["error"]["code"] == "audit.not_auditor"
        assert "安全审计员" in r.json()["error"]["message"]


def test_refused_reads_are_themselves_recorded(world: World, seeded: dict[str, str]) -> None:
    staff = world.actor("staff")
    get(world, "staff", "/entries")
    chain_now(world.app.state.engine)
    with session_scope(world.app.state.sessions) as s:
        rows = s.query(AuditEntry).filter(AuditEntry.action == "audit.read",
                                          AuditEntry.actor_id == staff.person_id).all()
        assert rows and all(r.result == "refused" and r.code == "audit.not_auditor" for r in rows)


def test_filters(world: World, seeded: dict[str, str]) -> None:
    def only(**params: Any) -> set[str]:
        return targets(get(world, "audit_admin", "/entries", "higher", q=params.pop("q", MARK), **params))

    assert only(category="signin") == {seeded["own_login"], seeded["system"]}
    assert only(category=["seals", "devices"]) == {seeded["own_refused"], seeded["higher_dev"]}
    assert only(category="downloads") == {seeded["other_dl"]}
    assert only(category="administration") == {seeded["formula"]}
    assert only(category="documents") == {seeded["lower_doc"]}
    assert only(action="intent.") == {seeded["own_refused"], seeded["lower_doc"], seeded["formula"]}
    assert only(result="refused") == {seeded["own_refused"], seeded["system"]}
    assert only(actor="张") == {seeded["own_login"]}
    assert only(actor="ZhangWei") == {seeded["own_login"]}  # a login, any case
    assert only(actor="p-zhang") == {seeded["own_login"]}
    assert only(q="seal.not_custodian") == {seeded["own_refused"]}  # the code
    assert only(q='"seal":"s-1"') == {seeded["own_refused"]}  # the detail
    assert only(q=seeded["other_dl"]) == {seeded["other_dl"]}  # the target
    # 2026-11-21 17:00 UTC is 2026-11-22 01:00 in China: days are counted there
    assert only(**{"from": "2026-11-22"}) == {seeded["lower_doc"]}
    assert seeded["lower_doc"] not in only(to="2026-11-21")
    assert only(**{"from": "2026-11-20", "to": "2026-11-20"}) == set(seeded.values()) - {seeded["lower_doc"]}
    assert only(q="%") == set()  # LIKE wildcards are literal


def test_device_and_address(world: World) -> None:
    with trail.acting_from(device="Surface-王", address="10.8.0.7"):
        mine = put(world, action="auth.login", scope_body="b-ax-c1")
    assert targets(get(world, "audit_admin", "/entries", device="surface")) == {mine}
    assert targets(get(world, "audit_admin", "/entries", device="10.8.")) == {mine}


def test_bad_filters_are_refused_in_words(world: World, seeded: dict[str, str]) -> None:
    for params, code in (({"category": "gossip"}, "request.invalid"),
                         ({"result": "maybe"}, "audit.bad_filter"),
                         ({"from": "2026-11-05", "to": "2026-11-01"}, "audit.bad_filter"),
                         ({"from": "2026-13-01"}, "request.invalid"),
                         ({"limit": 501}, "request.invalid")):
        r = get(world, "audit_admin", "/entries", **params)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["error"]["code"] == code, params


def test_keyset_paging_newest_first(world: World, seeded: dict[str, str]) -> None:
    seen: list[int] = []
    before = None
    for _ in range(20):
        params: dict[str, Any] = {"limit": 2, "q": MARK}
        if before is not None:
            params["before"] = before
        body = get(world, "audit_admin", "/entries", "higher", **params).json()
        seen += [e["seq"] for e in body["entries"]]
        before = body["next_before"]
        if before is None:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))
    assert len(seen) >= len(seeded)


def test_one_entry_with_its_hashes(world: World, seeded: dict[str, str]) -> None:
    listed = get(world, "audit_admin", "/entries", q=seeded["own_refused"]).json()["entries"][0]
    one = get(world, "audit_admin", f"/entries/{listed['seq']}").json()
    assert one["target"] == seeded["own_refused"] and one["detail"] == {"seal": "s-1"}
    assert len(one["hash"]) == 64 and len(one["prev_hash"]) == 64
    previous = get(world, "audit_admin", f"/entries/{listed['seq'] - 1}", "higher").json()
    assert previous["hash"] == one["prev_hash"]
    assert one["result_words"] in ("拒绝", "Refused") and one["scope_body_name"] == "一号市人民政府"
    other = get(world, "audit_admin", "/entries", "higher", q=seeded["other_dl"]).json()["entries"][0]
    r = get(world, "audit_admin", f"/entries/{other['seq']}")
    assert r.status_code == 403 and r.json()["error"]["code"] == "audit.outside_scope"
    assert get(world, "audit_admin", "/entries/999999999").status_code == 404


def test_status(world: World, seeded: dict[str, str]) -> None:
    body = get(world, "audit_admin", "/status", "higher").json()
    assert body["entries"] >= len(seeded) and body["last_seq"] >= body["entries"]
    assert body["pending"] == 0
    mine = get(world, "audit_admin", "/status").json()
    assert mine["entries"] < body["entries"]


def test_csv_export(world: World, seeded: dict[str, str]) -> None:
    r = world.client.get(f"{API}/export", params={"format": "csv", "q": MARK},
                         headers={**world.actor("audit_admin").headers, "Accept-Language": "zh-CN"})
    assert r.status_code == 200, r.text
    assert r.content.startswith(b"\xef\xbb\xbf") and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "时间（北京时间）", "人员"]
    by_target = {row[7]: row for row in rows[1:]}
    assert set(by_target) & set(seeded.values()) == {seeded["own_login"], seeded["own_refused"], seeded["lower_doc"],
                              seeded["formula"]}
    stamp = by_target[seeded["own_refused"]]
    assert stamp[5] == "盖章" and stamp[6] == "intent.seals.stamp" and stamp[9] == "拒绝"
    assert by_target[seeded["own_login"]][1] == "2026-11-20 11:00:00"  # UTC+8
    assert by_target[seeded["formula"]][2].startswith("'=")  # never a formula in Excel
    seqs = [int(row[0]) for row in rows[1:]]
    assert seqs == sorted(seqs, reverse=True)


def test_xlsx_export_in_english(world: World, seeded: dict[str, str]) -> None:
    r = world.client.get(f"{API}/export", params={"format": "xlsx", "q": MARK, "category": "seals"},
                         headers={**world.actor("audit_admin").headers, "Accept-Language": "en"})
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("No.", "Time (UTC+8)", "Person")
    assert len(rows) == 2 and rows[1][7] == seeded["own_refused"]
    assert rows[1][9] == "Refused" and rows[1][6] == "intent.seals.stamp"
    assert len(str(rows[1][16])) == 64  # the hash


def test_exports_are_recorded(world: World, seeded: dict[str, str]) -> None:
    auditor = world.actor("audit_admin")
    r = world.client.get(f"{API}/export", params={"format": "csv", "result": "refused"},
                         headers=auditor.headers)
    assert r.status_code == 200
    chain_now(world.app.state.engine)
    with session_scope(world.app.state.sessions) as s:
        rows = s.query(AuditEntry).filter(AuditEntry.action == "audit.export",
                                          AuditEntry.actor_id == auditor.person_id).all()
        assert rows and '"result":"refused"' in rows[-1].detail and rows[-1].seq is not None


def test_too_large_an_export_is_refused(world: World, seeded: dict[str, str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from server.audit import export

    monkeypatch.setitem(export.EXPORT_LIMITS, "xlsx", 1)
    r = get(world, "audit_admin", "/export", q=MARK, format="xlsx")
    assert r.status_code == 422 and r.json()["error"]["code"] == "audit.export_too_large"
    assert "Excel" in r.json()["error"]["message"]
    assert get(world, "audit_admin", "/export", q=MARK, format="csv").status_code == 200


def test_nothing_but_get_exists(world: World, seeded: dict[str, str]) -> None:
    auditor = world.actor("audit_admin", "higher")
    listed = get(world, "audit_admin", "/entries", "higher", limit=1).json()["entries"][0]
    for path in ("/entries", f"/entries/{listed['seq']}", "/export", "/status", ""):
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = world.client.request(method, f"{API}{path}", headers=auditor.headers, json={})
            assert r.status_code in (404, 405), (method, path, r.status_code)
    after = get(world, "audit_admin", f"/entries/{listed['seq']}", "higher").json()
    assert after == listed | {"detail": after["detail"]} or after["hash"] == listed["hash"]
    spec = world.client.get("/openapi.json").json()
    methods = {m for p, ops in spec["paths"].items() if p.startswith(API) for m in ops}
    assert methods == {"get"}


def test_the_route_names_every_category() -> None:
    from typing import get_args

    from modules.audit import words
    from server.audit.routes import Category

    assert set(get_args(Category)) == set(words.CATEGORIES)


def test_an_export_read_in_many_pages_joins_up(world: World, seeded: dict[str, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from server.audit import queries

    monkeypatch.setattr(queries, "EXPORT_PAGE", 2)
    r = get(world, "audit_admin", "/export", "higher", q=MARK)
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))[1:]
    seqs = [int(row[0]) for row in rows]
    assert seqs == sorted(set(seqs), reverse=True) and set(seeded.values()) <= {row[7] for row in rows}
    listed = get(world, "audit_admin", "/entries", "higher", q=MARK, limit=500).json()["entries"]
    assert seqs == [e["seq"] for e in listed]
