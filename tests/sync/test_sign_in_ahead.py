"""The password's argon2 work of an online sign-in begins before the server answered.

``ClientSession.prepare_sign_in`` starts the data key's derivation (no keyring: the key
comes from the password, ``sync.vault.key_ahead``) and the offline verifier's hash on a
thread of its own, while the client still waits for the server. ``login`` uses them only
once the server accepted the password — the derivation runs once, not twice, and gives
the same key — and drops them otherwise: a wrong password writes nothing, keeps nothing
and fails as before; a head start made for another sign-in is never used.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from argon2 import PasswordHasher
from keyring.backends import fail

import sync.session as session_module
import sync.vault as vault
from modules.common.errors import AuthenticationFailed
from sync.session import ClientSession
from tests.sync.fakes import FakeServer, MemoryKeyring

URL = "http://test"
PARAMS = (vault.ARGON2_TIME_COST, vault.ARGON2_MEMORY_KIB, vault.ARGON2_PARALLELISM)
REAL_DERIVE = vault.derive_from_password


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


class Derivations:
    """Spy on ``sync.vault.derive_from_password``: (thread name, password, salt, params)
    of every call; ``fast`` replaces argon2 by a cheap function of the same inputs (the
    tests count calls; one test checks the real key)."""

    def __init__(self, fast: bool = True) -> None:
        self.calls: list[tuple[str, str, bytes, tuple[int, int, int]]] = []
        self.fast = fast
        self.gate: threading.Event | None = None  # set: derivations wait for it
        self.started = threading.Event()

    def __call__(self, password: str, salt: bytes, *, time_cost: int = PARAMS[0],
                 memory_kib: int = PARAMS[1], parallelism: int = PARAMS[2]) -> bytes:
        params = (time_cost, memory_kib, parallelism)
        self.calls.append((threading.current_thread().name, password, salt, params))
        self.started.set()
        if self.gate is not None:
            assert self.gate.wait(10)
        if not self.fast:
            return REAL_DERIVE(password, salt, time_cost=time_cost, memory_kib=memory_kib,
                               parallelism=parallelism)
        return fake_key(password, salt, params)


def fake_key(password: str, salt: bytes, params: tuple[int, int, int] = PARAMS) -> bytes:
    """The spy's cheap stand-in for argon2id (a function of the same inputs)."""
    return hashlib.blake2b(password.encode() + salt + repr(params).encode(),
                           digest_size=32).digest()


class CountingHasher(PasswordHasher):
    """The offline verifier's hasher, counting (and naming the thread of) each hash."""

    def __init__(self) -> None:
        super().__init__(time_cost=2, memory_cost=19 * 1024, parallelism=1)
        self.threads: list[str] = []

    def hash(self, password: str | bytes, *args: Any, **kwargs: Any) -> str:
        self.threads.append(threading.current_thread().name)
        return super().hash(password, *args, **kwargs)


@pytest.fixture
def derive(monkeypatch: pytest.MonkeyPatch) -> Derivations:
    spy = Derivations()
    monkeypatch.setattr(vault, "derive_from_password", spy)
    return spy


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(session_module, "_hasher_instance", counting)
    return counting


def new_session(tmp_path: Path, server: FakeServer) -> ClientSession:
    return ClientSession(tmp_path, transport=server.transport, start_engine=False)


def account_files(tmp_path: Path) -> list[Path]:
    accounts = tmp_path / "accounts"
    return sorted(p for p in accounts.rglob("*") if p.is_file()) if accounts.exists() else []


def vault_of(session: ClientSession, account: str = "zhangwei") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (session.folder(URL, account) / vault.VAULT_FILE).read_text(encoding="utf-8"))
    return data


# -- used when the server accepts --------------------------------------------------


def test_the_first_sign_in_derives_the_data_key_once_before_the_server_answers(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations,
        hasher: CountingHasher) -> None:
    session = new_session(tmp_path, server)
    ahead = session.prepare_sign_in(URL, "zhangwei", "secret-1")
    ahead.thread.join(10)  # done with no request made: the server is not needed
    assert [c[0] for c in derive.calls] == ["sign-in-ahead"]
    assert hasher.threads == ["sign-in-ahead"]
    assert account_files(tmp_path) == []  # nothing written before the server said yes

    principal = session.login(URL, "zhangwei", "secret-1", ahead=ahead)
    assert principal["person_id"] == "p-1"
    assert len(derive.calls) == 1 and len(hasher.threads) == 1  # used, not done again
    _, password, salt, params = derive.calls[0]
    assert password == "secret-1" and params == PARAMS  # the same argon2id parameters
    stored = vault_of(session)
    assert stored["source"] == "password"
    assert base64.b64decode(stored["argon2id"]["salt"]) == salt
    assert (stored["argon2id"]["t"], stored["argon2id"]["m"], stored["argon2id"]["p"]) == PARAMS
    assert session.cache is not None and session.cache.key is not None
    assert stored["check"] == session.cache.key.check_value()
    verifier = session.cache.meta_get("offline_verifier")
    assert verifier and PasswordHasher().verify(verifier, "secret-1")
    session.close()


def test_the_key_derived_ahead_is_the_key_of_the_copy(
        tmp_path: Path, server: FakeServer, no_keyring: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id: a second sign-in derives ahead with vault.json's salt, once, and
    the copy opens with that key; vault.json is not rewritten."""
    session = new_session(tmp_path, server)
    session.login(URL, "zhangwei", "secret-1")
    session.close()
    before = (session.folder(URL, "zhangwei") / vault.VAULT_FILE).read_bytes()
    salt = base64.b64decode(vault_of(session)["argon2id"]["salt"])

    spy = Derivations(fast=False)
    monkeypatch.setattr(vault, "derive_from_password", spy)
    ahead = session.prepare_sign_in(URL, "zhangwei", "secret-1")
    session.login(URL, "zhangwei", "secret-1", ahead=ahead)
    assert [(c[0], c[2], c[3]) for c in spy.calls] == [("sign-in-ahead", salt, PARAMS)]
    assert session.cache is not None and session.cache.key is not None
    assert session.cache.key.raw == REAL_DERIVE("secret-1", salt)
    assert (session.folder(URL, "zhangwei") / vault.VAULT_FILE).read_bytes() == before
    session.close()


def test_without_a_head_start_login_derives_beside_its_request(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations,
        hasher: CountingHasher) -> None:
    session = new_session(tmp_path, server)
    session.login(URL, "zhangwei", "secret-1")
    assert [c[0] for c in derive.calls] == ["sign-in-ahead"]
    assert hasher.threads == ["sign-in-ahead"]
    session.close()


def test_with_a_keyring_nothing_is_derived_and_only_the_verifier_is_hashed_ahead(
        tmp_path: Path, server: FakeServer, memory_keyring: MemoryKeyring,
        derive: Derivations, hasher: CountingHasher) -> None:
    session = new_session(tmp_path, server)
    ahead = session.prepare_sign_in(URL, "zhangwei", "secret-1")
    assert ahead.key is None
    session.login(URL, "zhangwei", "secret-1", ahead=ahead)
    assert derive.calls == [] and hasher.threads == ["sign-in-ahead"]
    assert session.cache is not None and session.cache.key is not None
    assert session.cache.key.source == "keyring"
    session.close()


def test_the_folder_is_the_typed_accounts_whatever_login_the_server_answers(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations) -> None:
    """The data key and its folder are keyed by (server, typed account), not by the
    server's answer (here /me says "zhangwei" to a typed "ZhangWei"): the head start
    made for the typed account is the one needed."""
    server.users = {"ZhangWei": "secret-1"}
    session = new_session(tmp_path, server)
    ahead = session.prepare_sign_in(URL, "ZhangWei", "secret-1")
    principal = session.login(URL, "ZhangWei", "secret-1", ahead=ahead)
    assert principal["login"] == "zhangwei"
    assert len(derive.calls) == 1
    assert (session.folder(URL, "ZhangWei") / vault.VAULT_FILE).exists()
    assert not session.folder(URL, "zhangwei").exists()
    session.close()


# -- dropped otherwise -------------------------------------------------------------


def test_a_wrong_password_writes_nothing_keeps_nothing_and_fails_as_before(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations,
        hasher: CountingHasher) -> None:
    session = new_session(tmp_path, server)
    ahead = session.prepare_sign_in(URL, "zhangwei", "wrong")
    with pytest.raises(AuthenticationFailed) as info:
        session.login(URL, "zhangwei", "wrong", ahead=ahead)
    assert info.value.code == "auth.invalid_credentials"
    ahead.thread.join(10)
    assert len(derive.calls) == 1  # derived ahead, then dropped
    assert account_files(tmp_path) == []  # no vault.json, no cache, no verifier
    assert ahead.key is not None and ahead.key._raw is None and ahead.key._password is None
    assert ahead._verifier is None and ahead._password is None
    assert not ahead.matches(URL, "zhangwei", "wrong")

    # the right password next: a derivation of its own, the dropped one never taken
    session.login(URL, "zhangwei", "secret-1")
    assert [c[1] for c in derive.calls] == ["wrong", "secret-1"]
    assert session.cache is not None and session.cache.key is not None
    assert session.cache.key.raw == fake_key("secret-1", derive.calls[1][2])
    session.close()


def test_a_wrong_password_on_an_existing_copy_changes_nothing(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations) -> None:
    session = new_session(tmp_path, server)
    session.login(URL, "zhangwei", "secret-1")
    session.close()
    before = {p: p.read_bytes() for p in account_files(tmp_path)}
    ahead = session.prepare_sign_in(URL, "zhangwei", "wrong")
    with pytest.raises(AuthenticationFailed) as info:
        session.login(URL, "zhangwei", "wrong", ahead=ahead)
    assert info.value.code == "auth.invalid_credentials"
    ahead.thread.join(10)
    assert {p: p.read_bytes() for p in account_files(tmp_path)} == before
    assert ahead.key is not None and ahead.key._raw is None


def test_a_derivation_still_running_when_the_password_is_refused_keeps_nothing(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations,
        hasher: CountingHasher) -> None:
    derive.gate = threading.Event()
    session = new_session(tmp_path, server)
    ahead = session.prepare_sign_in(URL, "zhangwei", "wrong")
    assert derive.started.wait(10)
    with pytest.raises(AuthenticationFailed):  # refused while argon2 still runs
        session.login(URL, "zhangwei", "wrong", ahead=ahead)
    derive.gate.set()
    ahead.thread.join(10)
    assert not ahead.thread.is_alive()
    assert ahead.key is not None and ahead.key._raw is None
    assert ahead._verifier is None and hasher.threads == []  # not even hashed any more
    assert account_files(tmp_path) == []


def test_a_head_start_for_another_sign_in_is_dropped_not_used(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations,
        hasher: CountingHasher) -> None:
    """Begun for another account, server or password: dropped, and the sign-in derives
    its own key (with its own folder's salt)."""
    server.users["lisi"] = "secret-2"
    session = new_session(tmp_path, server)
    for other in ((URL, "lisi", "secret-2"), ("http://other", "zhangwei", "secret-1"),
                  (URL, "zhangwei", "secret-2")):
        derive.calls.clear()
        ahead = session.prepare_sign_in(*other)
        ahead.thread.join(10)
        session.login(URL, "zhangwei", "secret-1", ahead=ahead)
        assert ahead.key is not None and ahead.key._raw is None and ahead._password is None
        assert [c[1] for c in derive.calls] == [other[2], "secret-1"]
        salt = base64.b64decode(vault_of(session)["argon2id"]["salt"])
        assert derive.calls[1][2] == salt
        assert session.cache is not None and session.cache.key is not None
        assert session.cache.key.raw == fake_key("secret-1", salt)
        assert vault_of(session)["check"] == session.cache.key.check_value()
        session.close()
    assert hasher.threads == ["sign-in-ahead"] * 6  # each begun one hashed, one used


def test_a_changed_password_still_starts_the_copy_afresh(
        tmp_path: Path, server: FakeServer, no_keyring: None, derive: Derivations) -> None:
    """The copy was made under an old password: the head start (its salt) shows it
    cannot be read, and a fresh key is made as before."""
    session = new_session(tmp_path, server)
    session.login(URL, "zhangwei", "secret-1")
    session.close()
    old_salt = base64.b64decode(vault_of(session)["argon2id"]["salt"])
    server.users["zhangwei"] = "secret-new"
    ahead = session.prepare_sign_in(URL, "zhangwei", "secret-new")
    session.login(URL, "zhangwei", "secret-new", ahead=ahead)
    salts = [c[2] for c in derive.calls[1:]]
    assert salts[0] == old_salt and len(salts) == 2 and salts[1] != old_salt
    assert base64.b64decode(vault_of(session)["argon2id"]["salt"]) == salts[1]
    session.close()


# -- KeyAhead on its own -----------------------------------------------------------


def test_key_ahead_is_taken_once_and_only_for_its_password_salt_and_parameters(
        derive: Derivations) -> None:
    salt = b"s" * 16
    ahead = vault.KeyAhead("pw", salt)
    assert ahead.take("pw", b"t" * 16, *PARAMS) is None
    assert ahead.take("pw", None, *PARAMS) is None  # made for vault.json's salt
    assert ahead.take("pw", salt, PARAMS[0] + 1, *PARAMS[1:]) is None
    assert ahead.take("other", salt, *PARAMS) is None
    assert derive.calls == []
    taken = ahead.take("pw", salt, *PARAMS)  # no worker began it: derived here
    assert taken == (salt, derive("pw", salt))
    assert ahead.take("pw", salt, *PARAMS) is None  # once

    fresh = vault.KeyAhead("pw", None)
    assert fresh.take("pw", fresh.salt, *PARAMS) is None  # only where a fresh salt is due
    fresh.derive()
    got = fresh.take("pw", None, *PARAMS)
    assert got is not None and got[0] == fresh.salt
    assert "pw" not in repr(fresh) and fresh.salt.hex() not in repr(fresh)


def test_a_failed_derivation_ahead_is_met_again_where_the_key_is_needed(
        tmp_path: Path, server: FakeServer, no_keyring: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def broken(password: str, salt: bytes, **_params: int) -> bytes:
        calls.append(threading.current_thread().name)
        raise MemoryError("no memory for argon2")

    monkeypatch.setattr(vault, "derive_from_password", broken)
    session = new_session(tmp_path, server)
    with pytest.raises(MemoryError):
        session.login(URL, "zhangwei", "secret-1")
    assert calls[0] == "sign-in-ahead" and len(calls) == 2  # ahead, then where needed
    assert not (session.folder(URL, "zhangwei") / vault.VAULT_FILE).exists()
