"""Login, token issue/rotation/revocation, lockout and password change.

All functions run inside the caller's transaction (a route's ``DbSession``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.orm import Session

from modules.common.errors import AuthenticationFailed, DomainError, ValidationFailed
from server.auth import devices
from server.auth.devices import DeviceInfo
from server.auth.models import Account, Device, RefreshToken, ServerSecret
from server.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
from server.auth.principal import Principal, load_principal
from server.config import Settings
from server.db import dialect_insert, utcnow

ALGORITHM = "HS256"


class AccountLocked(DomainError):
    http_status = 423

    def __init__(self, minutes: int) -> None:
        super().__init__("auth.locked", minutes=minutes)


#: The access-token key read from each database, per engine (it is written once and never
#: changed, so every request after the first reads it from memory, not with a statement).
_secrets: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def token_secret(session: Session, settings: Settings) -> str:
    """The HMAC key for access tokens: from settings, else generated once in the DB.

    A key read from the database is kept per engine; one this transaction inserts is not
    (the insert may still roll back), so the next call reads it again after the commit.
    """
    if settings.secret_key:
        return settings.secret_key
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    cached = _secrets.get(engine)
    if cached is not None:
        return cached
    row = session.get(ServerSecret, "jwt")
    if row is not None:
        _secrets[engine] = row.value
        return row.value
    # Two first sign-ins at once: the other one's key stands. No savepoint, so this also
    # works in a session without a transaction (server.db.read_scope).
    session.execute(dialect_insert(session)(ServerSecret)
                    .values(name="jwt", value=secrets.token_urlsafe(48))
                    .on_conflict_do_nothing())
    row = session.get(ServerSecret, "jwt", populate_existing=True)
    assert row is not None
    return row.value


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    principal: Principal

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "user": self.principal.to_dict(),
        }


def _successor(secret: str, token: str) -> str:
    """The refresh token that rotating ``token`` yields: derived, so that a retry of the
    same rotation can be answered with the same token although only hashes are stored."""
    digest = hmac.new(secret.encode(), b"refresh-successor\0" + token.encode(), "sha256")
    return digest.hexdigest()


def _access_token(
    session: Session, settings: Settings, account: Account, family_id: str,
    device_id: str | None = None,
) -> tuple[str, int]:
    now = utcnow()
    expires_in = settings.access_token_minutes * 60
    claims: dict[str, Any] = {
        "sub": account.person_id,
        "login": account.login,
        "fam": family_id,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=expires_in)).timestamp()),
        "typ": "access",
    }
    if device_id is not None:
        claims[devices.CLAIM] = device_id
    access = jwt.encode(claims, token_secret(session, settings), algorithm=ALGORITHM)
    return access, expires_in


def _issue(
    session: Session,
    settings: Settings,
    account: Account,
    family_id: str,
    device: str,
    refresh: str | None = None,
    device_id: str | None = None,
) -> TokenPair:
    """A new access token and a new refresh token row (``refresh`` given: that token)."""
    now = utcnow()
    access, expires_in = _access_token(session, settings, account, family_id, device_id)
    refresh = refresh or secrets.token_urlsafe(32)
    session.add(
        RefreshToken(
            id=uuid.uuid4().hex,
            person_id=account.person_id,
            family_id=family_id,
            token_hash=_hash_token(refresh),
            device=device[:120],
            device_id=device_id,
            created_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        )
    )
    principal = load_principal(session, account.person_id, account.login)
    return TokenPair(access, refresh, expires_in, principal)


def login(
    session: Session, settings: Settings, login_name: str, password: str, device: str = "",
    info: DeviceInfo | None = None, address: str = "",
) -> TokenPair:
    """Check credentials; count failures and lock the account after too many.

    The sign-in is recorded on the person's device row for ``info`` (a client that
    sends only the free-text ``device`` gets one row per text, see
    :meth:`DeviceInfo.legacy`); the tokens carry that row.

    A failed attempt is committed even though the caller's request fails, so the
    failure count cannot be reset by the rollback: the caller must commit before
    raising (``LoginFailed`` carries the error to raise after commit).
    """
    now = utcnow()
    # The row lock serialises attempts on one account, so parallel failures are all
    # counted (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers).
    account = session.scalars(
        select(Account).where(Account.login == login_name.strip()).with_for_update()
    ).first()
    if account is None:
        verify_password(None, password)
        raise LoginFailed(AuthenticationFailed("auth.invalid_credentials"))
    if account.locked_until is not None and account.locked_until > now:
        minutes = max(1, int((account.locked_until - now).total_seconds() // 60) + 1)
        raise LoginFailed(AccountLocked(minutes), person_id=account.person_id)
    if not verify_password(account.password_hash, password):
        account.failed_logins += 1
        if account.failed_logins >= settings.login_max_failures:
            account.locked_until = now + timedelta(minutes=settings.login_lock_minutes)
            account.failed_logins = 0
            raise LoginFailed(AccountLocked(settings.login_lock_minutes), "auth.locked",
                              account.person_id)
        raise LoginFailed(AuthenticationFailed("auth.invalid_credentials"),
                          person_id=account.person_id)
    if account.disabled:
        raise LoginFailed(AuthenticationFailed("auth.account_disabled"),
                          person_id=account.person_id)
    account.failed_logins = 0
    account.locked_until = None
    if needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    info = info or DeviceInfo.legacy(device)
    row = devices.register(session, account.person_id, info, address)
    label = device or " · ".join(p for p in (info.name, info.platform) if p)
    return _issue(session, settings, account, uuid.uuid4().hex, label, device_id=row.id)


class LoginFailed(Exception):
    """Carries the error of a failed login whose bookkeeping must still be committed,
    and what the audit trail records of it: ``action`` (``auth.login_failed``,
    ``auth.locked`` when this failure locked the account, ``auth.token_reuse``,
    ``auth.refresh_refused``) and the account's person, when known."""

    def __init__(self, error: DomainError, action: str = "auth.login_failed",
                 person_id: str = "") -> None:
        super().__init__(error.code)
        self.error = error
        self.action = action
        self.person_id = person_id


def refresh(session: Session, settings: Settings, token: str, address: str = "") -> TokenPair:
    """Rotate a refresh token: the old one dies, its successor is returned.

    The token row is locked for the transaction, so parallel redemptions of one token
    rotate it once. Presenting the old token again within ``refresh_grace_seconds`` of
    the rotation, while its successor is still unused, answers with the same successor
    (the client retrying a rotation whose answer it never received). Any other reuse of
    a dead token revokes the whole family (``LoginFailed``: the caller must commit).
    A token of a revoked device answers ``auth.device_revoked`` whatever its state.
    """
    now = utcnow()
    row = session.scalars(
        select(RefreshToken)
        .where(RefreshToken.token_hash == _hash_token(token))
        .with_for_update()
    ).first()
    if row is None:
        raise AuthenticationFailed("auth.token_invalid")
    device = session.get(Device, row.device_id) if row.device_id is not None else None
    if device is not None and device.revoked_at is not None:
        revoke_family(session, row.family_id)
        raise LoginFailed(AuthenticationFailed("auth.device_revoked"), "auth.refresh_refused",
                          row.person_id)
    secret = token_secret(session, settings)
    successor = _successor(secret, token)
    if row.revoked_at is None and row.used_at is not None:
        retried = _retried_rotation(session, settings, row, successor, now)
        if retried is not None:
            return retried
    if row.revoked_at is not None or row.used_at is not None:
        # A dead token presented again: it may have been stolen; end the whole family.
        revoke_family(session, row.family_id)
        raise LoginFailed(AuthenticationFailed("auth.token_invalid"), "auth.token_reuse",
                          row.person_id)
    if row.expires_at <= now:
        raise AuthenticationFailed("auth.token_expired")
    account = session.get(Account, row.person_id)
    if account is None or account.disabled:
        raise AuthenticationFailed("auth.account_disabled")
    row.used_at = now
    devices.seen(session, row.device_id, address)
    return _issue(session, settings, account, row.family_id, row.device, refresh=successor,
                  device_id=row.device_id)


def _retried_rotation(
    session: Session, settings: Settings, row: RefreshToken, successor: str, now: datetime
) -> TokenPair | None:
    """The same answer again for a retried rotation, or None when it is real reuse."""
    assert row.used_at is not None
    if (now - row.used_at).total_seconds() > settings.refresh_grace_seconds:
        return None
    nxt = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == _hash_token(successor))
    ).first()
    if nxt is None or nxt.used_at is not None or nxt.revoked_at is not None:
        return None
    account = session.get(Account, row.person_id)
    if account is None or account.disabled:
        return None
    access, expires_in = _access_token(session, settings, account, row.family_id, row.device_id)
    principal = load_principal(session, account.person_id, account.login)
    return TokenPair(access, successor, expires_in, principal)


def revoke_family(session: Session, family_id: str) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def logout(session: Session, token: str) -> RefreshToken | None:
    """Revoke the refresh token's family; returns its row. Unknown tokens are ignored
    (already gone)."""
    row = session.scalars(
        select(RefreshToken).where(RefreshToken.token_hash == _hash_token(token))
    ).first()
    if row is not None:
        revoke_family(session, row.family_id)
    return row


def change_password(
    session: Session,
    person_id: str,
    old_password: str,
    new_password: str,
    keep_family: str | None = None,
) -> None:
    """Change the password and revoke the account's refresh tokens, except the family
    ``keep_family`` (the session that made the change stays signed in)."""
    account = session.get(Account, person_id)
    if account is None:
        raise AuthenticationFailed("auth.token_invalid")
    if not verify_password(account.password_hash, old_password):
        raise ValidationFailed("auth.wrong_password")
    check_policy(new_password)
    account.password_hash = hash_password(new_password)
    account.password_changed_at = utcnow()
    condition = [RefreshToken.person_id == person_id, RefreshToken.revoked_at.is_(None)]
    if keep_family:
        condition.append(RefreshToken.family_id != keep_family)
    session.execute(update(RefreshToken).where(*condition).values(revoked_at=utcnow()))


def decode_access_token(session: Session, settings: Settings, token: str) -> tuple[str, str]:
    """Return ``(person_id, login)`` of a valid access token, else raise 401."""
    claims = access_claims(session, settings, token)
    return claims["sub"], str(claims.get("login", ""))


def access_claims(session: Session, settings: Settings, token: str) -> dict[str, Any]:
    """The claims of a valid access token (``sub``, ``login``, ``fam``…), else raise 401."""
    return access_claims_with_secret(token_secret(session, settings), token)


#: Tokens whose signature and claims were checked, with their claims: a device sends the
#: same access token with every request until it expires, and the check (PyJWT's decode)
#: is a good part of a cheap pull's CPU. Keyed by key and token; the expiry is checked
#: again on every use. Bounded: emptied when it reaches the limit.
_checked: dict[tuple[str, str], dict[str, Any]] = {}
_CHECKED_MAX = 20_000


def access_claims_with_secret(secret: str, token: str) -> dict[str, Any]:
    """:func:`access_claims` with the key already known (CPU only, no database)."""
    known = _checked.get((secret, token))
    if known is not None:
        if int(known["exp"]) <= time.time():  # as PyJWT: expired from ``exp`` on
            raise AuthenticationFailed("auth.token_expired")
        return dict(known)
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM])
    except jwt.ExpiredSignatureError as exc:
        raise AuthenticationFailed("auth.token_expired") from exc
    except jwt.PyJWTError as exc:
        raise AuthenticationFailed("auth.token_invalid") from exc
    if claims.get("typ") != "access" or not isinstance(claims.get("sub"), str):
        raise AuthenticationFailed("auth.token_invalid")
    if isinstance(claims.get("exp"), int):  # (a token without one is checked every time)
        if len(_checked) >= _CHECKED_MAX:
            _checked.clear()
        _checked[(secret, token)] = dict(claims)
    return dict(claims)


def create_account(session: Session, person_id: str, login_name: str, password: str) -> Account:
    """Create credentials for a directory person (admin tools, import, demo seeding)."""
    account = Account(
        person_id=person_id,
        login=login_name,
        password_hash=hash_password(password),
        failed_logins=0,
        disabled=False,
        password_changed_at=utcnow(),
    )
    session.add(account)
    return account


