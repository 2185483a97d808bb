"""ClientSession: sign in (online or from the cached profile), open cache + engine, sign out.

Layout under the data directory (default ``platformdirs.user_data_dir("office-collab")``)::

    accounts/<slug>/cache.sqlite    local cache (records, outbox, meta, blob index)
    accounts/<slug>/cache.outbox.jsonl  the outbox journal (:mod:`sync.outbox`)
    accounts/<slug>/blobs/          blob files
    accounts/<slug>/vault.json      how the data key is found (no key material)

where ``<slug>`` is derived from (server URL, account). The principal profile is kept in
the cache's meta table so the client can open offline. The refresh token lives in the OS
keyring only (:mod:`sync.credentials`). Everything in the folder is encrypted with the
account's data key (:mod:`sync.vault`): from the keyring, or derived from the password
where there is none — then every sign-in, offline too, needs the password.
``<data dir>/device-id`` names this computer to the server (:mod:`sync.device`).

When the server answers ``auth.device_revoked`` (the person removed this device, or a
security administrator revoked it), the session wipes the account from this computer on
a thread of its own — engine stopped, the account's folder deleted, its refresh token
and data key removed from the keyring — tells the server (best effort) and calls
:attr:`ClientSession.on_device_revoked` (see :meth:`ClientSession.wipe_revoked`).

**Ahead of the server's answer** (:meth:`ClientSession.prepare_sign_in`,
:class:`SignInAhead`): an online sign-in knows the password before the server has been
reached, so the password's argon2 work that does not need the server's answer — the
data key where it is derived from the password (:func:`sync.vault.key_ahead`) and the
offline verifier's hash — runs at once on a thread of its own (argon2 releases the
interpreter lock), beside the wait for the server and the login request. Nothing is
written before the server accepted the password; :meth:`ClientSession.login` then takes
the results, and drops them whatever the outcome (a wrong password: never used).

**Resume** (:meth:`ClientSession.resume`, then :meth:`ClientSession.start_sync`): on a
personal device where the account stayed signed in — its refresh token and its data key
both in the keyring, never a password-derived key — the client opens straight from the
cache without asking for the password, paints, and only then makes the API client and
the engine, which refreshes the sign-in in the background. A refresh token the server
refuses ends the session (:attr:`ClientSession.on_sign_in_ended`: back to the sign-in
view); a revoked device is wiped as above. The network and engine modules (httpx, the
API client, the engine, the blob store) are imported only when a session goes online.

All methods block (network, disk): call them from a background task, never the GUI thread.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import platformdirs

from modules.common.errors import AuthenticationFailed, DomainError, Offline
from sync import device
from sync.credentials import KeyringTokenStore, delete_refresh_token, load_refresh_token

# sync.vault (keyring) is imported where used: not on the GUI thread at start.
VAULT_FILE = "vault.json"  # sync.vault.VAULT_FILE

if TYPE_CHECKING:
    import httpx
    from argon2 import PasswordHasher

    from sync.api import ApiClient
    from sync.blobs import BlobStore
    from sync.cache import LocalCache
    from sync.engine import SyncEngine
    from sync.vault import KeyAhead

log = logging.getLogger(__name__)

APP_NAME = "office-collab"
#: The refusals of a refresh token that end the session (signed out elsewhere, expired,
#: password changed): the person has to sign in again. A revoked device is wiped instead.
_DEVICE_REVOKED = "auth.device_revoked"
_hasher_instance: PasswordHasher | None = None


def _vault() -> ModuleType:
    """:mod:`sync.vault`, imported on first use."""
    from sync import vault

    return vault


def _hasher() -> PasswordHasher:
    """The offline unlock check's hasher (argon2 loads on the first sign-in, not at start).
    Cheap-enough parameters for an offline unlock check on a desktop."""
    global _hasher_instance
    if _hasher_instance is None:
        from argon2 import PasswordHasher

        _hasher_instance = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
    return _hasher_instance


def _verify_password(verifier: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_hasher().verify(verifier, password))
    except (VerificationError, InvalidHashError):
        return False


class SignInAhead:
    """The password's argon2 work of one online sign-in, begun before the server has
    checked the password (:meth:`ClientSession.prepare_sign_in`).

    A daemon thread derives the data key first (``key``, a :class:`sync.vault.KeyAhead`,
    None where the key is in the keyring), then hashes the offline verifier. Nothing is
    written; :meth:`ClientSession.login` hands ``key`` to :func:`sync.vault.open_key` and
    takes :meth:`verifier` only after the server accepted the password, and calls
    :meth:`discard` when it returns or raises: a refused password's results are dropped
    (a hash still under way then keeps nothing)."""

    def __init__(self, server_url: str, account: str, password: str,
                 key: KeyAhead | None) -> None:
        self.server_url = server_url
        self.account = account
        self.key = key
        self._password: str | None = password
        self._verifier: str | None = None
        self._lock = threading.Lock()
        self._verifier_done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="sign-in-ahead", daemon=True)
        self.thread.start()

    def __repr__(self) -> str:  # keep the password out of logs
        return f"SignInAhead({self.server_url!r}, {self.account!r})"

    def _run(self) -> None:
        verifier: str | None = None
        try:
            if self.key is not None:
                self.key.derive()  # first: needed first
            with self._lock:
                password = self._password
            if password is not None:
                verifier = _hasher().hash(password)
        except Exception:  # the sign-in hashes it itself, and meets the error there
            log.debug("the offline verifier could not be hashed ahead", exc_info=True)
        finally:
            with self._lock:
                if self._password is not None:  # not discarded meanwhile
                    self._verifier = verifier
            self._verifier_done.set()

    def matches(self, server_url: str, account: str, password: str) -> bool:
        """True when this was begun for this sign-in (and not discarded)."""
        with self._lock:
            mine = self._password
        return (mine is not None and server_url == self.server_url
                and account == self.account
                and hmac.compare_digest(password.encode(), mine.encode()))

    def verifier(self, password: str) -> str | None:
        """The offline verifier of ``password`` (waiting for its hash), once; None when
        it was not hashed here (the caller hashes it)."""
        with self._lock:
            mine = self._password
        if mine is None or not hmac.compare_digest(password.encode(), mine.encode()):
            return None
        self._verifier_done.wait()
        with self._lock:
            verifier, self._verifier = self._verifier, None
        return verifier

    def discard(self) -> None:
        """Drop the password and whatever was derived from it (idempotent)."""
        with self._lock:
            self._password = None
            self._verifier = None
        if self.key is not None:
            self.key.discard()
        self._verifier_done.set()


def account_slug(server_url: str, account: str) -> str:
    """A file-system-safe folder name for one (server, account)."""
    norm = f"{server_url.rstrip('/').lower()}|{account}"
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", account)[:32] or "account"
    return f"{readable}-{hashlib.sha256(norm.encode()).hexdigest()[:16]}"


class ClientSession:
    """One signed-in user on one server, with its cache and sync engine."""

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        lang: str = "zh_CN",
        transport: httpx.BaseTransport | None = None,
        engine_options: dict[str, Any] | None = None,
        blob_max_bytes: int | None = None,
        start_engine: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir) if data_dir else Path(platformdirs.user_data_dir(APP_NAME))
        self.lang = lang
        self._transport = transport
        self._engine_options = dict(engine_options or {})
        self._blob_max_bytes = blob_max_bytes  # None: sync.blobs.DEFAULT_MAX_BYTES
        self._start_engine = start_engine
        self.server_url: str | None = None
        self.account: str | None = None
        self.principal: dict[str, Any] | None = None
        self.api: ApiClient | None = None
        self.cache: LocalCache | None = None
        self.blobs: BlobStore | None = None
        self.engine: SyncEngine | None = None
        self.offline_entry = False
        #: True when the session was resumed from this device's cache without a password
        #: (:meth:`resume`); the engine then starts with :meth:`start_sync`.
        self.resumed = False
        self._engine_ready = threading.Event()
        #: Called (from an engine thread) when the server refused the refresh token of
        #: the open session (expired, signed out elsewhere, password changed), with the
        #: server URL, account and the refusal. The shell returns to the sign-in view.
        self.on_sign_in_ended: Callable[[str, str, DomainError], None] | None = None
        #: Called (from the wipe thread) after a revoked device wiped an account, with
        #: the server URL and account. The shell returns to the sign-in view.
        self.on_device_revoked: Callable[[str, str], None] | None = None
        self._wipe_lock = threading.Lock()
        #: Held while the engine of a resumed session is made, and while closing.
        self._open_lock = threading.RLock()
        self._identity: device.DeviceIdentity | None = None
        #: The wipe thread of the last revocation (tests join it).
        self.wipe_thread: threading.Thread | None = None

    def identity(self) -> device.DeviceIdentity:
        """This computer as sent at sign-in (the id file is read or made once)."""
        if self._identity is None:
            self._identity = device.identity(self.data_dir)
        return self._identity

    def folder(self, server_url: str, account: str) -> Path:
        return self.data_dir / "accounts" / account_slug(server_url, account)

    def _api(self, server_url: str, account: str) -> ApiClient:
        from sync.api import ApiClient

        api = ApiClient(server_url, lang=self.lang,
                        token_store=KeyringTokenStore(server_url, account),
                        transport=self._transport,
                        device_fields=self.identity().login_fields())
        api.on_device_revoked = lambda _err: self._revoked(api, server_url, account)
        api.on_refresh_failed = lambda err: self._refresh_refused(api, server_url, account, err)
        return api

    def _refresh_refused(self, api: ApiClient, server_url: str, account: str,
                         err: DomainError) -> None:
        """The server refused the open session's refresh token (the API client has
        already forgotten it): tell the shell, unless the device was revoked (wiped)."""
        if err.code == _DEVICE_REVOKED or api is not self.api:
            return
        log.info("the sign-in of %s ended on the server (%s)", account, err.code)
        callback = self.on_sign_in_ended
        if callback is not None:
            callback(server_url, account, err)

    def _revoked(self, api: ApiClient, server_url: str, account: str) -> None:
        """The server refused this device: wipe on a thread of its own (the caller may
        be the sync worker, which the wipe stops and waits for)."""
        thread = threading.Thread(target=self.wipe_revoked, args=(api, server_url, account),
                                  name="device-wipe", daemon=True)
        thread.start()
        self.wipe_thread = thread  # once started: whoever sees it may join it

    def wipe_revoked(self, api: ApiClient, server_url: str, account: str) -> None:
        """Remove (server, account) from this computer after a revocation; blocking.

        Stops the engine and closes the cache when ``api`` is the open session's, deletes
        the account's folder (cache, outbox journal, blobs, vault file), its refresh
        token and its data key, then acknowledges to the server (best effort: offline or
        refused is only logged) and calls :attr:`on_device_revoked`.
        """
        with self._wipe_lock:
            if self.api is api:
                self.api = None  # kept open for the acknowledgement below
                self.close()
            shutil.rmtree(self.folder(server_url, account), ignore_errors=True)
            delete_refresh_token(server_url, account)
            _vault().forget_keys(server_url, account)
            api.tokens.access_token = None
            try:
                api.device_wiped()
            except DomainError as exc:
                log.info("the wipe could not be acknowledged: %s", exc.code)
            finally:
                api.close()
            log.warning("this device was revoked on the server: the local data of %s is wiped",
                        account)
        callback = self.on_device_revoked
        if callback is not None:
            callback(server_url, account)

    def prepare_sign_in(self, server_url: str, account: str, password: str) -> SignInAhead:
        """Begin the password's argon2 work of an online sign-in of ``account`` now,
        before the server is reached (:class:`SignInAhead`); pass it to :meth:`login`
        with the same arguments. Nothing is written. Reads ``vault.json`` and asks
        whether a keyring is usable (briefly blocking: off the GUI thread)."""
        folder = self.folder(server_url, account)
        return SignInAhead(server_url, account, password,
                           _vault().key_ahead(folder, password))

    def login(self, server_url: str, account: str, password: str, *,
              ahead: SignInAhead | None = None) -> dict[str, Any]:
        """Sign in online; caches the profile for offline entry; opens cache + engine.

        ``ahead``: :meth:`prepare_sign_in` of the same sign-in, begun earlier (the shell
        begins it before waiting for the embedded server); without it (or for another
        sign-in) the work begins here, beside the login request. Its results are used
        only once the server has accepted the password, and are dropped when this
        returns or raises.

        Raises AuthenticationFailed (wrong password, locked, disabled) or Offline.
        """
        if ahead is None or not ahead.matches(server_url, account, password):
            if ahead is not None:
                ahead.discard()
            try:
                ahead = self.prepare_sign_in(server_url, account, password)
            except Exception:  # only a head start: the sign-in derives as it needs
                log.debug("the sign-in's argon2 could not begin ahead", exc_info=True)
                ahead = None
        try:
            return self._login(server_url, account, password, ahead)
        finally:
            if ahead is not None:
                ahead.discard()

    def _login(self, server_url: str, account: str, password: str,
               ahead: SignInAhead | None) -> dict[str, Any]:
        self.close()
        api = self._api(server_url, account)
        try:
            answer = api.login(account, password)
            profile = api.me()
        except BaseException:
            api.close()
            raise
        principal = _principal_from(profile, answer.get("user"))
        folder = self.folder(server_url, account)
        try:
            opened = _vault().open_key(folder, server_url, account, password, create=True,
                                       ahead=ahead.key if ahead is not None else None)
            if opened.stale:
                # Made under a key that is gone (wiped keyring, an old password): it
                # cannot be read; the pull brings everything back from the server.
                log.warning("the local copy of %s cannot be decrypted any more; "
                            "starting it afresh", account)
                _vault().discard_copy(folder)
            from sync.cache import LocalCache

            cache = LocalCache(folder / "cache.sqlite", lang=self.lang, key=opened.key,
                               legacy=opened.legacy)
        except BaseException:
            api.close()
            raise
        self._open(server_url, account, api, principal, cache=cache)
        assert self.cache is not None
        self.cache.meta_set("principal", principal)
        self.cache.meta_set("account", {"server_url": server_url, "account": account})
        verifier = ahead.verifier(password) if ahead is not None else None
        self.cache.meta_set("offline_verifier", verifier or _hasher().hash(password))
        self.offline_entry = False
        self._start()
        return principal

    def resume_offline(self, server_url: str, account: str,
                       password: str | None = None) -> dict[str, Any]:
        """Open with the cached profile when the server cannot be reached.

        If ``password`` is given it is checked against the verifier stored at the last
        online sign-in. Where the data key is derived from the password (no keyring) the
        password is required: without it the cache cannot be opened
        (``sync.vault_needs_password``). The engine keeps trying to reach the server and
        uses the refresh token from the keyring once it can.
        """
        self.close()
        folder = self.folder(server_url, account)
        path = folder / "cache.sqlite"
        if not _has_local_data(path):
            raise AuthenticationFailed("sync.no_offline_profile", account=account)
        if password is not None and not (folder / VAULT_FILE).exists():
            # A copy from before encryption: the password is checked before it can key
            # the migration (a mistyped one must not lock the copy away).
            _check_legacy_password(path, password)
        opened = _vault().open_key(folder, server_url, account, password, create=False)
        from sync.cache import LocalCache

        cache = LocalCache(path, lang=self.lang, key=opened.key, legacy=opened.legacy)
        principal: dict[str, Any] | None = cache.meta_get("principal")
        verifier = cache.meta_get("offline_verifier")
        if not principal:
            cache.close()
            raise AuthenticationFailed("sync.no_offline_profile", account=account)
        if password is not None and not _verify_password(verifier or "", password):
            cache.close()
            raise AuthenticationFailed("auth.invalid_credentials")
        api = self._api(server_url, account)
        self._open(server_url, account, api, principal, cache=cache)
        self.offline_entry = True
        self._start()
        return principal

    def sign_in(self, server_url: str, account: str, password: str) -> dict[str, Any]:
        """Online login, falling back to the cached profile when the server is unreachable."""
        try:
            return self.login(server_url, account, password)
        except Offline:
            if not _has_local_data(self.folder(server_url, account) / "cache.sqlite"):
                raise
            return self.resume_offline(server_url, account, password)

    def has_stored_sign_in(self, server_url: str, account: str) -> bool:
        """True when a refresh token for this account is in the keyring."""
        return load_refresh_token(server_url, account) is not None

    def resume(self, server_url: str, account: str) -> dict[str, Any]:
        """Open the account straight from this device's cache, without a password: the
        start of the app on a personal device where this account stayed signed in.

        Needs the refresh token in the keyring and a cache whose data key is in the
        keyring too (never the password-derived key); otherwise raises
        :class:`AuthenticationFailed` (``sync.not_signed_in``, ``sync.no_offline_profile``,
        ``sync.vault_needs_password`` or ``sync.vault_locked``) and nothing is open. Opens
        only the cache; :meth:`start_sync` then makes the API client and the engine,
        which refreshes the sign-in in the background: a refused refresh token calls
        :attr:`on_sign_in_ended`, a revoked device is wiped (:meth:`wipe_revoked`).
        """
        self.close()
        folder = self.folder(server_url, account)
        path = folder / "cache.sqlite"
        if not path.exists():
            raise AuthenticationFailed("sync.no_offline_profile", account=account)
        if _vault().uses_password(folder):
            raise AuthenticationFailed("sync.vault_needs_password")
        if load_refresh_token(server_url, account) is None:
            raise AuthenticationFailed("sync.not_signed_in")
        opened = _vault().open_key(folder, server_url, account, None, create=False)
        from sync.cache import LocalCache

        cache = LocalCache(path, lang=self.lang, key=opened.key, legacy=opened.legacy)
        principal: dict[str, Any] | None = cache.meta_get("principal")
        if not principal:
            cache.close()
            raise AuthenticationFailed("sync.no_offline_profile", account=account)
        self.server_url, self.account, self.principal, self.cache = (
            server_url, account, principal, cache)
        self.offline_entry = False
        self.resumed = True
        return principal

    def start_sync(self) -> SyncEngine | None:
        """After :meth:`resume`: the API client, blob store and sync engine of the open
        cache, and start the engine. Call once the feature modules (their projections
        and appliers) are imported: projections registered since the cache opened are
        created and filled, and a queue the open had to repair is shown again."""
        with self._open_lock:
            if self.engine is not None or self.cache is None:
                return self.engine  # already made, or signed out meanwhile
            assert self.server_url is not None and self.account is not None
            assert self.principal is not None
            self.cache.ensure_projections()
            if self.cache.recovery is not None:
                from sync.local import rebase

                with self.cache.write() as session:
                    rebase(session, set(), principal=self.principal)
            api = self._api(self.server_url, self.account)
            self._open(self.server_url, self.account, api, self.principal, cache=self.cache)
            self._start()
            return self.engine

    def wait_engine(self, timeout: float = 30.0) -> SyncEngine:
        """The engine, waiting (in the background) while :meth:`start_sync` makes it."""
        if not self._engine_ready.wait(timeout) or self.engine is None:
            raise Offline("offline", detail="the sync engine is not running")
        return self.engine

    def _open(self, server_url: str, account: str, api: ApiClient, principal: dict[str, Any],
              cache: LocalCache | None = None) -> None:
        from sync.blobs import DEFAULT_MAX_BYTES, BlobStore
        from sync.cache import LocalCache
        from sync.engine import SyncEngine

        folder = self.folder(server_url, account)
        folder.mkdir(parents=True, exist_ok=True)
        self.server_url, self.account, self.api, self.principal = (
            server_url, account, api, principal)
        self.cache = cache or LocalCache(folder / "cache.sqlite", lang=self.lang)
        max_bytes = DEFAULT_MAX_BYTES if self._blob_max_bytes is None else self._blob_max_bytes
        self.blobs = BlobStore(self.cache, folder / "blobs", max_bytes=max_bytes)
        self.engine = SyncEngine(self.cache, api, principal=principal, blobs=self.blobs,
                                 **self._engine_options)
        self._engine_ready.set()

    def _start(self) -> None:
        if self._start_engine and self.engine is not None:
            self.engine.start()

    def logout(self, *, forget_local_data: bool = False) -> None:
        """Sign out: stop syncing, revoke the refresh token on the server (when reachable)
        and delete it from the keyring. Queued intents stay in the cache for the next
        sign-in unless ``forget_local_data``, which also deletes the data key from the
        keyring (:func:`sync.vault.forget_keys`). Raises Offline after the local part if
        the server could not be told (the token then just expires)."""
        with self._open_lock:
            self._logout(forget_local_data)

    def _logout(self, forget_local_data: bool) -> None:
        api, server_url, account = self.api, self.server_url, self.account
        if api is None and self.cache is not None and server_url and account:
            # a resumed session signing out before its engine was made: the refresh
            # token is revoked and forgotten all the same
            api = self.api = self._api(server_url, account)
        if self.engine is not None:
            self.engine.stop()
        offline: Offline | None = None
        if api is not None:
            try:
                api.logout()
            except Offline as exc:
                offline = exc
            except AuthenticationFailed:
                pass  # already dead on the server
        folder = self.folder(server_url, account) if server_url and account else None
        self.close()
        if forget_local_data and folder is not None:
            assert server_url is not None and account is not None
            _vault().forget_keys(server_url, account)
            shutil.rmtree(folder, ignore_errors=True)
        if offline is not None:
            raise offline

    def close(self) -> None:
        """Stop the engine and close the cache (keeps tokens: the next start resumes)."""
        with self._open_lock:
            self._close()

    def _close(self) -> None:
        if self.engine is not None:
            self.engine.stop()
        if self.api is not None:
            self.api.close()
        if self.blobs is not None:
            self.blobs.close()
        if self.cache is not None:
            self.cache.close()
        self.engine = self.api = self.cache = self.blobs = None
        self.resumed = False
        self._engine_ready.clear()


def _check_legacy_password(cache_path: Path, password: str) -> None:
    """Against the offline verifier of a plain cache written before encryption (none
    readable: nothing to check against, the copy opens as before)."""
    import json
    import sqlite3

    try:
        conn = sqlite3.connect(f"{cache_path.as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'offline_verifier'").fetchone()
        finally:
            conn.close()
        verifier = json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError, TypeError):
        return
    if not verifier:
        return
    if not _verify_password(str(verifier), password):
        raise AuthenticationFailed("auth.invalid_credentials")


def _has_local_data(cache_path: Path) -> bool:
    """A cache, or the outbox journal that outlives a lost cache (it keeps the profile)."""
    from sync.cache import journal_path

    return cache_path.exists() or journal_path(cache_path).exists()


def _principal_from(profile: dict[str, Any], user: dict[str, Any] | None) -> dict[str, Any]:
    """Normalise ``/me`` into the principal dict appliers see (person_id, name, login,
    roles, body_ids, posts). Unknown extra fields are kept."""
    merged: dict[str, Any] = {**(user or {}), **(profile or {})}
    raw_person = merged.get("person")
    person: dict[str, Any] = raw_person if isinstance(raw_person, dict) else {}
    posts = merged.get("posts") or []
    roles = merged.get("roles")
    if roles is None:
        roles = sorted({r for p in posts if isinstance(p, dict) for r in p.get("roles", [])})
    body_ids = merged.get("body_ids") or merged.get("bodies")
    if body_ids and isinstance(body_ids[0], dict):
        body_ids = [b.get("id") for b in body_ids]
    if body_ids is None:
        body_ids = sorted({p.get("body_id") for p in posts if isinstance(p, dict)} - {None})
    merged.update({
        "person_id": merged.get("person_id") or person.get("id"),
        "name": merged.get("name") or person.get("name"),
        "login": merged.get("login"),
        "roles": sorted(roles),
        "body_ids": list(body_ids),
        "posts": posts,
    })
    return merged
