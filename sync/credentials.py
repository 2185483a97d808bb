"""Refresh tokens in the OS keyring — never in a file.

Service name ``office-collab``, key ``"<server url>|<account>"``. The access token is
kept in memory only (:class:`KeyringTokenStore`). Tests install an in-memory keyring
backend with ``keyring.set_keyring``. ``keyring`` is imported on first use (its import
and backend discovery are not on the client's start).
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

SERVICE = "office-collab"


def key_for(server_url: str, account: str) -> str:
    """The keyring user name for one (server, account)."""
    return f"{server_url.rstrip('/')}|{account}"


def load_refresh_token(server_url: str, account: str) -> str | None:
    """The stored refresh token, or None (also when no keyring is usable)."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, key_for(server_url, account))
    except KeyringError:
        log.warning("the system keyring cannot be read; signing in again will be needed")
        return None


def save_refresh_token(server_url: str, account: str, token: str) -> None:
    """Store the refresh token. Without a usable keyring the token stays in memory only."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, key_for(server_url, account), token)
    except KeyringError:
        log.warning("the system keyring cannot be written; the sign-in lasts this session only")


def delete_refresh_token(server_url: str, account: str) -> None:
    """Forget the stored token (missing is fine)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, key_for(server_url, account))
    except PasswordDeleteError:
        pass
    except KeyringError:
        log.warning("the system keyring cannot be changed; the token could not be deleted")


class KeyringTokenStore:
    """TokenStore: access token in memory, refresh token in the keyring.

    The refresh token is also cached in memory so a session keeps working when the
    keyring refuses writes (it is then lost at exit, which only means signing in again).
    """

    def __init__(self, server_url: str, account: str) -> None:
        self.server_url = server_url
        self.account = account
        self.access_token: str | None = None
        self._refresh: str | None = None
        self._loaded = False

    def get_refresh(self) -> str | None:
        if not self._loaded:
            self._refresh = load_refresh_token(self.server_url, self.account)
            self._loaded = True
        return self._refresh

    def set_refresh(self, token: str | None) -> None:
        self._refresh = token
        self._loaded = True
        if token:
            save_refresh_token(self.server_url, self.account, token)
        else:
            delete_refresh_token(self.server_url, self.account)
