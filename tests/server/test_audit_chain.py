"""The audit trail's chain (issue 12): append-only triggers, and ``audit verify`` finding
each kind of tampering by an attacker with database rights (who disables the triggers),
on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from main import main
from server.audit.chain import Policy, chain_now, entry_hash, key_path, load_key
from server.audit.models import AuditEntry
from server.audit.trail import acting_from, record
from server.audit.verify import Report, verify
from server.db import session_scope


def _fill(app: Any, count: int, every: int = 10**9) -> None:
    """``count`` entries, chained one commit at a time, with a checkpoint every ``every``."""
    engine = app.state.engine
    key = load_key(key_path(app.state.settings))
    with acting_from("laptop-1", "10.0.0.7"):
        for i in range(count):
            with session_scope(app.state.sessions) as s:
                record(s, action="auth.login", actor_id=f"p{i}", actor_login=f"user{i}",
                       target=f"t{i}", detail={"n": i})
            chain_now(engine, key, Policy(every=every, minutes=10**6))


def _check(app: Any, public: bool = True) -> Report:
    key = load_key(key_path(app.state.settings))
    with Session(bind=app.state.engine) as s:
        return verify(s, key.public if public else None)


def _found(report: Report) -> list[tuple[str, int]]:
    return [(p.kind, p.seq) for p in report.problems]


@pytest.fixture
def attacker(app: Any) -> Iterator[Any]:
    """Run raw SQL with the append-only triggers out of the way."""
    engine = app.state.engine

    def run(*statements: str, **params: Any) -> None:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            else:
                for name in ("audit_entry_no_update", "audit_entry_no_delete",
                             "audit_checkpoint_no_update", "audit_checkpoint_no_delete"):
                    conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
            for statement in statements:
                conn.execute(text(statement), params)

    yield run


def _row(app: Any, seq: int) -> dict[str, Any]:
    with Session(bind=app.state.engine) as s:
        entry = s.query(AuditEntry).filter(AuditEntry.seq == seq).one()
        return {c.key: getattr(entry, c.key) for c in AuditEntry.__table__.columns}


def test_an_untouched_trail_is_intact(app: Any) -> None:
    _fill(app, 12, every=5)
    report = _check(app)
    assert report.intact, report.problems
    assert (report.entries, report.head_seq, report.checkpoints) == (12, 12, 2)
    assert report.last_signed_seq == 10 and report.key_source == "file"
    assert _row(app, 1)["prev_hash"] == "0" * 64
    assert _row(app, 2)["prev_hash"] == _row(app, 1)["hash"]


def test_the_database_refuses_edits_and_deletions(app: Any) -> None:
    _fill(app, 3, every=2)
    for statement in ("UPDATE audit_entry SET result = 'refused' WHERE seq = 2",
                      "UPDATE audit_entry SET hash = 'x' WHERE seq = 2",
                      "DELETE FROM audit_entry WHERE seq = 3",
                      "UPDATE audit_checkpoint SET chain_hash = 'x'",
                      "DELETE FROM audit_checkpoint"):
        with pytest.raises(DBAPIError), session_scope(app.state.sessions) as s:
            s.execute(text(statement))
    if app.state.engine.dialect.name == "postgresql":
        with pytest.raises(DBAPIError), session_scope(app.state.sessions) as s:
            s.execute(text("TRUNCATE audit_entry"))
    assert _check(app).intact


def test_an_edited_entry_is_named(app: Any, attacker: Any) -> None:
    _fill(app, 8)
    attacker("UPDATE audit_entry SET result = 'ok', actor_login = 'someone' WHERE seq = 5")
    assert _found(_check(app)) == [("edited", 5)]


def test_a_deleted_entry_is_named(app: Any, attacker: Any) -> None:
    _fill(app, 8)
    attacker("DELETE FROM audit_entry WHERE seq = 4")
    assert _found(_check(app)) == [("deleted", 4)]


def test_a_deletion_hidden_by_renumbering_is_found(app: Any, attacker: Any) -> None:
    _fill(app, 8)
    attacker("DELETE FROM audit_entry WHERE seq = 4",
             "UPDATE audit_entry SET seq = seq + 1000 WHERE seq > 4",
             "UPDATE audit_entry SET seq = seq - 1001 WHERE seq > 1000",
             "UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit_entry WHERE seq = 7)")
    found = _found(_check(app))
    assert ("deleted", 4) in found and ("reordered", 4) in found, found
    assert all(kind in ("deleted", "reordered") for kind, _ in found), found


def _forge(app: Any, seq: int, prev_hash: str) -> dict[str, Any]:
    """An entry an attacker who knows the algorithm computes for position ``seq``."""
    fields = {**_row(app, 1), "seq": seq, "actor_id": "intruder", "action": "auth.logout"}
    fields["hash"] = entry_hash(prev_hash, fields)
    fields["prev_hash"] = prev_hash
    fields.pop("id")
    return fields


def test_an_inserted_entry_is_named(app: Any, attacker: Any) -> None:
    _fill(app, 8)
    forged = _forge(app, 5, _row(app, 4)["hash"])
    columns = ", ".join(forged)
    attacker("UPDATE audit_entry SET seq = seq + 1000 WHERE seq >= 5",
             "UPDATE audit_entry SET seq = seq - 999 WHERE seq > 1000",
             f"INSERT INTO audit_entry ({columns}) VALUES ({', '.join(':' + c for c in forged)})",
             "UPDATE audit_head SET seq = 9, hash = (SELECT hash FROM audit_entry WHERE seq = 9)",
             **forged)
    report = _check(app)
    assert _found(report) == [("inserted", 5), ("reordered", 6)], report.problems
    assert "6..9" in report.problems[1].message


def test_an_entry_appended_beyond_the_head_is_named(app: Any, attacker: Any) -> None:
    _fill(app, 6)
    forged = _forge(app, 7, _row(app, 6)["hash"])
    columns = ", ".join(forged)
    attacker(f"INSERT INTO audit_entry ({columns}) VALUES ({', '.join(':' + c for c in forged)})",
             **forged)
    assert _found(_check(app)) == [("inserted", 7)]


def test_swapped_entries_are_named(app: Any, attacker: Any) -> None:
    _fill(app, 8)
    attacker("UPDATE audit_entry SET seq = 1003 WHERE seq = 3",
             "UPDATE audit_entry SET seq = 3 WHERE seq = 6",
             "UPDATE audit_entry SET seq = 6 WHERE seq = 1003")
    report = _check(app)
    assert _found(report) == [("reordered", 3)], report.problems
    assert "3 and 6 were swapped" in report.problems[0].message


def test_a_rewritten_chain_is_caught_by_the_signed_checkpoint(app: Any, attacker: Any) -> None:
    """The attacker edits entry 3 and recomputes every hash after it (and the head)."""
    _fill(app, 8, every=6)
    attacker("UPDATE audit_entry SET result = 'ok', target = 'other' WHERE seq = 3")
    prev = _row(app, 2)["hash"]
    for seq in range(3, 9):
        fields = _row(app, seq)
        digest = entry_hash(prev, fields)
        attacker("UPDATE audit_entry SET prev_hash = :p, hash = :h WHERE seq = :s",
                 p=prev, h=digest, s=seq)
        prev = digest
    attacker("UPDATE audit_head SET hash = :h", h=prev)
    assert _found(_check(app)) == [("checkpoint", 6)]


def test_a_forged_checkpoint_fails_its_signature(app: Any, attacker: Any) -> None:
    _fill(app, 6, every=3)
    attacker("UPDATE audit_checkpoint SET chain_hash = "
             "(SELECT hash FROM audit_entry WHERE seq = 5) WHERE upto_seq = 6")
    assert _found(_check(app)) == [("checkpoint", 6)]
    assert _found(_check(app, public=False)) == [("checkpoint", 6)]


def test_the_tail_deleted_back_past_the_last_checkpoint_is_found(app: Any,
                                                                 attacker: Any) -> None:
    _fill(app, 12, every=5)  # checkpoints at 5 and 10
    attacker("DELETE FROM audit_entry WHERE seq >= 8",
             "UPDATE audit_head SET seq = 7, hash = (SELECT hash FROM audit_entry WHERE seq = 7)")
    report = _check(app)
    assert _found(report) == [("deleted", 10)], report.problems
    assert "checkpoint" in report.problems[0].message


def test_the_tail_after_the_last_checkpoint_deleted_is_found_by_the_head(app: Any,
                                                                         attacker: Any) -> None:
    _fill(app, 12, every=5)
    attacker("DELETE FROM audit_entry WHERE seq >= 11")
    assert _found(_check(app)) == [("deleted", 11)]


def test_a_truncated_trail_is_found(app: Any, attacker: Any) -> None:
    _fill(app, 7, every=3)
    attacker("DELETE FROM audit_entry", "UPDATE audit_head SET seq = 0, hash = :g", g="0" * 64)
    report = _check(app)
    assert _found(report) == [("deleted", 3), ("deleted", 6)], report.problems


def test_a_checkpoint_by_another_key_is_refused(app: Any, tmp_path: Path) -> None:
    _fill(app, 4, every=2)
    other = load_key(tmp_path / "other.key", create=True)
    with Session(bind=app.state.engine) as s:
        report = verify(s, other.public)
    assert _found(report) == [("checkpoint", 2), ("checkpoint", 4)]


def test_the_verify_command(app: Any, attacker: Any, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    _fill(app, 5, every=2)
    url = app.state.settings.resolved_database_url()
    pem = tmp_path / "audit.pub"
    assert main(["audit", "public-key", "--data-dir", str(app.state.settings.data_dir),
                 "--out", str(pem)]) == 0
    capsys.readouterr()
    assert main(["audit", "verify", "--database-url", url, "--public-key", str(pem),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["intact"] and out["entries"] == 5 and out["key_source"] == "file"
    attacker("DELETE FROM audit_entry WHERE seq = 2")
    assert main(["audit", "verify", "--database-url", url, "--public-key", str(pem)]) == 1
    printed = capsys.readouterr().out
    assert "NOT intact" in printed and "seq 2" in printed and "deleted" in printed


def test_parallel_writers_and_passes_make_one_intact_chain(app: Any) -> None:
    """Writers commit while passes run in other threads: every entry is chained once."""
    import threading

    key = load_key(key_path(app.state.settings))
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with session_scope(app.state.sessions) as s:
                    record(s, action="intent.testing.parallel", actor_id=f"w{n}",
                           target=f"{n}-{i}")
                chain_now(app.state.engine, key, Policy(every=7, minutes=10**6))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    chain_now(app.state.engine, key)
    report = _check(app)
    assert report.intact, report.problems
    assert (report.entries, report.pending, report.head_seq) == (60, 0, 60)
    assert report.checkpoints >= 5


def test_the_server_process_chains_on_its_own(app: Any) -> None:
    from fastapi.testclient import TestClient

    from tests.server.helpers import add_body, add_person, login

    add_body(app)
    add_person(app, "p-1", "张伟")
    with TestClient(app) as client:  # the lifespan starts the chaining thread
        login(client, "p-1")
        import time

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            report = _check(app)
            if report.entries and not report.pending:
                break
            time.sleep(0.05)
    assert report.entries == 1 and report.pending == 0 and report.intact
    assert key_path(app.state.settings).exists()  # the key file, created on first start


def test_an_anchor_kept_outside_finds_a_trail_cut_with_its_head_and_checkpoints(
        app: Any, attacker: Any, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(app, 9, every=4)
    url = app.state.settings.resolved_database_url()
    assert main(["audit", "verify", "--database-url", url]) == 0
    printed = capsys.readouterr().out
    anchor = printed.split("--anchor next time): ")[1].split()[0]
    assert anchor == f"9:{_row(app, 9)['hash']}"
    attacker("DELETE FROM audit_entry WHERE seq >= 3", "DELETE FROM audit_checkpoint",
             "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_entry WHERE seq = 2)")
    assert _check(app).intact  # nothing inside the database tells any more
    assert main(["audit", "verify", "--database-url", url, "--anchor", anchor]) == 1
    assert "entry 9, which no longer exists" in capsys.readouterr().out
    assert main(["audit", "verify", "--database-url", url, "--anchor", "9:nothex"]) == 2
