"""The data key of one account's local copy (encryption at rest, issue 12).

Everything the client keeps for an account under ``accounts/<slug>/`` is encrypted with
keys that come from one random 32-byte **cache key**:

* ``cache.sqlite`` — SQLCipher, keyed with the raw key (``PRAGMA key = "x'<hex>'"``, so
  no KDF runs on each open);
* ``cache.outbox.jsonl`` and the files under ``blobs/`` — AES-256-GCM with sub-keys
  derived from the cache key by HKDF-SHA256 (:meth:`CacheKey.subkey`).

Where the key lives:

* normally in the OS keyring (service ``office-collab``, user name
  ``"<server url>|<account>|cache-key"``, hex), created once per account;
* where no keyring is usable (the ``fail`` backend, or :class:`KeyringError` when used)
  the key is derived from the sign-in password with argon2id; the salt and parameters
  (no key material) are in ``vault.json`` in the account folder, so the password is
  needed to open the copy, online or offline.

``vault.json`` also holds a short one-way check value of the key (HKDF output, not the
key) so a wrong password or a replaced keyring entry is told apart from a damaged file:
the cache is never "repaired" away because the key was wrong.

**Derived ahead** (:func:`key_ahead`, :class:`KeyAhead`): the password is known once
登录 is pressed, before the server has been reached or has checked it, so a sign-in can
start the argon2id derivation at once on a worker thread (argon2 releases the
interpreter lock) with the salt and parameters it is going to need — those of the
folder's ``vault.json``, or a fresh random salt where the key is about to be made.
Nothing is written meanwhile; :func:`open_key` (called only once the server accepted
the password) takes the result only for the same password, salt and parameters, and a
refused sign-in drops it (:meth:`KeyAhead.discard`).
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from modules.common import messages
from modules.common.errors import AuthenticationFailed
from sync.credentials import SERVICE, key_for

log = logging.getLogger(__name__)

KEY_BYTES = 32
VAULT_FILE = "vault.json"
#: argon2id parameters for the password-derived key (RFC 9106 "second choice", lighter
#: memory so an old laptop opens in well under a second).
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_PARALLELISM = 1

Source = Literal["keyring", "password"]


def keyring_user(server_url: str, account: str) -> str:
    """The keyring user name of the cache key of one (server, account)."""
    return f"{key_for(server_url, account)}|cache-key"


@dataclass(frozen=True)
class CacheKey:
    """A 32-byte cache key and where it came from (never logged, never written)."""

    raw: bytes
    source: Source

    def __post_init__(self) -> None:
        if len(self.raw) != KEY_BYTES:
            raise ValueError("a cache key has 32 bytes")

    def __repr__(self) -> str:  # keep the key out of logs and tracebacks
        return f"CacheKey(source={self.source!r})"

    def pragma(self) -> str:
        """The SQLCipher statement that keys a connection with this raw key."""
        return f"PRAGMA key = \"x'{self.raw.hex()}'\""

    def subkey(self, purpose: str, salt: bytes | None = None) -> bytes:
        """A 32-byte key for one purpose (``"outbox"``, ``"blobs"``, ...)."""
        # cryptography loads on first use, not at client start (tests/shell/test_start_time.py)
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                    info=f"office-collab/{purpose}/v1".encode()).derive(self.raw)

    def check_value(self) -> str:
        """A one-way check of the key (hex), stored in vault.json to tell a wrong key."""
        return self.subkey("check")[:16].hex()


def keyring_usable() -> bool:
    """False for the ``fail`` backend (no keyring on this system) — or a chain of none."""
    try:
        backend = keyring.get_keyring()
    except KeyringError:
        return False
    from keyring.backends import fail

    if isinstance(backend, fail.Keyring):
        return False
    chained = getattr(backend, "backends", None)
    return chained is None or any(not isinstance(b, fail.Keyring) for b in chained)


def forget_keys(server_url: str, account: str) -> None:
    """Delete the cache key of (server, account) from the keyring (missing is fine).

    After this the account's local copy cannot be read any more (a wiped or signed-out
    device). A password-derived copy has no stored key; its vault.json goes with the
    folder."""
    try:
        keyring.delete_password(SERVICE, keyring_user(server_url, account))
    except PasswordDeleteError:
        pass
    except KeyringError:
        log.warning("the system keyring cannot be changed; the data key was not deleted")


def _read_vault(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / VAULT_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        log.warning("vault.json in %s unreadable; treated as missing", folder)
        return None
    return data if isinstance(data, dict) else None


def _write_vault(folder: Path, data: dict[str, Any]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (VAULT_FILE + ".tmp")
    tmp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    os.replace(tmp, folder / VAULT_FILE)


def derive_from_password(password: str, salt: bytes, *, time_cost: int = ARGON2_TIME_COST,
                         memory_kib: int = ARGON2_MEMORY_KIB,
                         parallelism: int = ARGON2_PARALLELISM) -> bytes:
    """argon2id(password, salt) → 32 bytes."""
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(password.encode(), salt, time_cost=time_cost,
                           memory_cost=memory_kib, parallelism=parallelism,
                           hash_len=KEY_BYTES, type=Type.ID)


class KeyAhead:
    """argon2id of one typed password, derived before the server has checked it.

    Made by :func:`key_ahead`; :meth:`derive` runs the derivation (blocking: a worker
    thread calls it), :meth:`take` hands the key over once — waiting for the derivation
    — to :func:`open_key` when the password, salt and parameters are the ones it needs,
    and :meth:`discard` drops the password and the key (a refused sign-in; a derivation
    still under way then keeps nothing). Python cannot wipe a ``bytes`` object: dropped
    means no reference is kept. Never written, never logged."""

    def __init__(self, password: str, salt: bytes | None, *, time_cost: int = ARGON2_TIME_COST,
                 memory_kib: int = ARGON2_MEMORY_KIB,
                 parallelism: int = ARGON2_PARALLELISM) -> None:
        #: None: a fresh salt, for a key about to be made (drawn here, used if taken).
        self.fresh = salt is None
        self.salt = secrets.token_bytes(16) if salt is None else salt
        self.params = (time_cost, memory_kib, parallelism)
        self._password: str | None = password
        self._raw: bytes | None = None
        self._claimed = False  # a thread is deriving (or has derived)
        self._lock = threading.Lock()
        self._done = threading.Event()

    def __repr__(self) -> str:  # keep the password and the key out of logs
        return f"KeyAhead(fresh={self.fresh!r})"

    def derive(self) -> None:
        """Derive the key (blocking; once: nothing when it is under way or done, or was
        discarded). A failure keeps nothing: the sign-in then derives where it needs the
        key and meets the error there, as without this."""
        with self._lock:
            password = self._password
            if self._claimed or password is None:
                return
            self._claimed = True
        raw: bytes | None = None
        try:
            t, m, p = self.params
            raw = derive_from_password(password, self.salt, time_cost=t, memory_kib=m,
                                       parallelism=p)
        except Exception:
            log.debug("the data key could not be derived ahead", exc_info=True)
        finally:
            with self._lock:
                if self._password is not None:  # not discarded meanwhile
                    self._raw = raw
            self._done.set()

    def take(self, password: str, salt: bytes | None, time_cost: int, memory_kib: int,
             parallelism: int) -> tuple[bytes, bytes] | None:
        """(salt, key) when this derivation is for ``password`` with ``salt`` (None: any
        fresh salt) and these parameters, waiting for it to finish (or running it here
        when no thread has begun it); once. None otherwise: the caller derives, as
        without this."""
        with self._lock:
            mine = self._password
            if mine is None or (time_cost, memory_kib, parallelism) != self.params:
                return None
            if (salt is None) != self.fresh or (salt is not None and salt != self.salt):
                return None
        if not hmac.compare_digest(password.encode(), mine.encode()):
            return None
        self.derive()  # nothing when a worker has begun it
        self._done.wait()
        with self._lock:
            raw, self._raw, self._password = self._raw, None, None
        return (self.salt, raw) if raw is not None else None

    def discard(self) -> None:
        """Drop the password and any key derived (or being derived) with it."""
        with self._lock:
            self._password = None
            self._raw = None
        self._done.set()  # nothing to wait for any more


def key_ahead(folder: Path, password: str) -> KeyAhead | None:
    """The derivation :func:`open_key` is going to need for ``folder`` at an online
    sign-in with ``password`` — not yet run (call :meth:`KeyAhead.derive`), nothing
    written — or None when the key is not derived from the password (it is in the
    keyring) or ``vault.json`` cannot say how. Reads ``vault.json`` and asks whether a
    keyring is usable: call it where :func:`open_key` would be called (off the GUI
    thread), in the same order as it decides."""
    if not password:
        return None
    vault = _read_vault(folder)
    if vault is not None and vault.get("source") == "password":
        try:
            params = vault["argon2id"]
            return KeyAhead(password, base64.b64decode(params["salt"]),
                            time_cost=int(params["t"]), memory_kib=int(params["m"]),
                            parallelism=int(params["p"]))
        except (KeyError, ValueError, TypeError):
            return None
    if keyring_usable():
        return None  # the key is (or will be) in the keyring: no argon2
    return KeyAhead(password, None)  # no keyring: the key is about to be made


def _derive(password: str, salt: bytes | None, ahead: KeyAhead | None, *,
            time_cost: int = ARGON2_TIME_COST, memory_kib: int = ARGON2_MEMORY_KIB,
            parallelism: int = ARGON2_PARALLELISM) -> tuple[bytes, bytes]:
    """(salt, argon2id key) — ``salt`` None: a fresh one — from ``ahead`` when it was
    derived for exactly this, else derived here."""
    if ahead is not None:
        taken = ahead.take(password, salt, time_cost, memory_kib, parallelism)
        if taken is not None:
            return taken
    if salt is None:
        salt = secrets.token_bytes(16)
    return salt, derive_from_password(password, salt, time_cost=time_cost,
                                      memory_kib=memory_kib, parallelism=parallelism)


def _keyring_get(server_url: str, account: str) -> bytes | None:
    """The stored key; None when absent. Raises KeyringError when the keyring fails."""
    value = keyring.get_password(SERVICE, keyring_user(server_url, account))
    if not value:
        return None
    try:
        raw = bytes.fromhex(value)
    except ValueError:
        return None
    return raw if len(raw) == KEY_BYTES else None


@dataclass(frozen=True)
class Opened:
    """What :func:`open_key` found: the key, and whether the folder's copy (if any)
    was made under another key and cannot be read (``stale``: start it afresh) or
    predates encryption (``legacy``: migrate it)."""

    key: CacheKey
    stale: bool
    legacy: bool


def open_key(folder: Path, server_url: str, account: str, password: str | None, *,
             create: bool, ahead: KeyAhead | None = None) -> Opened:
    """The cache key of the account folder ``folder``.

    ``create``: an online sign-in (the password was just accepted by the server) — a
    missing key is made, and a copy under a key that is gone (or an old password) is
    reported ``stale``. Without ``create`` (offline entry) a missing or wrong key raises
    :class:`AuthenticationFailed` (``auth.invalid_credentials`` for a wrong password,
    ``sync.vault_locked`` when the key is gone). Where the copy is password-keyed the
    password is required (``sync.vault_needs_password``). ``ahead``: the password's
    derivation begun before (:func:`key_ahead`), used where it fits, else ignored."""
    vault = _read_vault(folder)
    has_data = any((folder / n).exists() for n in ("cache.sqlite", "cache.outbox.jsonl"))
    legacy = vault is None and has_data
    if vault is not None and vault.get("source") == "password":
        return _password_key(folder, vault, password, create=create, legacy=False,
                             ahead=ahead)
    if not keyring_usable():
        return _password_key(folder, vault, password, create=create, legacy=legacy,
                             ahead=ahead)
    try:
        raw = _keyring_get(server_url, account)
        if raw is None:
            if not create and not legacy:  # a copy from before encryption may be keyed now
                raise AuthenticationFailed("sync.vault_locked", account=account)
            raw = secrets.token_bytes(KEY_BYTES)
            keyring.set_password(SERVICE, keyring_user(server_url, account), raw.hex())
            if _keyring_get(server_url, account) != raw:
                raise KeyringError("the keyring did not keep the data key")
    except KeyringError as exc:
        log.warning("the system keyring is not usable for the data key (%s); "
                    "deriving it from the password", exc)
        return _password_key(folder, vault, password, create=create, legacy=legacy,
                             ahead=ahead)
    key = CacheKey(raw, "keyring")
    stale = vault is not None and not hmac.compare_digest(
        str(vault.get("check", "")), key.check_value())
    if stale and not create:
        raise AuthenticationFailed("sync.vault_locked", account=account)
    if vault is None or stale:
        _write_vault(folder, {"v": 1, "source": "keyring", "check": key.check_value()})
    return Opened(key, stale=stale and has_data, legacy=legacy)


def _password_key(folder: Path, vault: dict[str, Any] | None, password: str | None, *,
                  create: bool, legacy: bool, ahead: KeyAhead | None = None) -> Opened:
    if not password:
        raise AuthenticationFailed("sync.vault_needs_password")
    if vault is not None and vault.get("source") == "password":
        try:
            params = vault["argon2id"]
            _, raw = _derive(password, base64.b64decode(params["salt"]), ahead,
                             time_cost=int(params["t"]), memory_kib=int(params["m"]),
                             parallelism=int(params["p"]))
        except (KeyError, ValueError, TypeError):
            raw = b""
        if raw:
            key = CacheKey(raw, "password")
            if hmac.compare_digest(str(vault.get("check", "")), key.check_value()):
                return Opened(key, stale=False, legacy=False)
        if not create:
            raise AuthenticationFailed("auth.invalid_credentials")
        # The server took this password: the copy was made under an old one.
        stale = True
    else:
        stale = vault is not None  # was keyring-keyed, and that keyring is gone
        if stale and not create:  # offline: never re-key (that would discard the copy)
            raise AuthenticationFailed("sync.vault_locked", account="")
    salt, raw = _derive(password, None, ahead)
    key = CacheKey(raw, "password")
    _write_vault(folder, {
        "v": 1, "source": "password", "check": key.check_value(),
        "argon2id": {"salt": base64.b64encode(salt).decode(), "t": ARGON2_TIME_COST,
                     "m": ARGON2_MEMORY_KIB, "p": ARGON2_PARALLELISM}})
    return Opened(key, stale=stale, legacy=legacy and not stale)


def uses_password(folder: Path) -> bool:
    """True when this account's copy is keyed by its password (no keyring)."""
    vault = _read_vault(folder)
    return vault is not None and vault.get("source") == "password"


def discard_copy(folder: Path) -> None:
    """Remove a copy that cannot be read any more (its key is gone), keeping vault.json."""
    import shutil

    for name in os.listdir(folder) if folder.exists() else ():
        if name == VAULT_FILE:
            continue
        p = folder / name
        with contextlib.suppress(OSError):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink()


messages.register({
    "sync.vault_needs_password": {
        "zh_CN": "本机没有可用的系统钥匙串，本地数据用密码加密：请输入密码。",
        "en": "No system keyring is available: the local data is encrypted with your "
              "password. Enter your password.",
    },
    "sync.vault_locked": {
        "zh_CN": "本机数据的密钥已不在（已退出并清除，或设备已被停用），无法离线打开。请联网登录。",
        "en": "The key of this computer's copy is gone (signed out with data removed, or "
              "the device was revoked); it cannot be opened offline. Sign in online.",
    },
})


__all__ = [
    "CacheKey",
    "KeyAhead",
    "Opened",
    "derive_from_password",
    "discard_copy",
    "forget_keys",
    "key_ahead",
    "keyring_usable",
    "keyring_user",
    "open_key",
    "uses_password",
]
