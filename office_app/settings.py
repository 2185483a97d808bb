"""Client settings, declared in one place, stored with QSettings.

Every setting is a :class:`Setting` in :data:`SETTINGS` with its key, default, type and
allowed values; :class:`AppSettings` reads and writes them and rejects values outside
the declaration with a ValidationFailed. Secrets never live here (the refresh token is
in the OS keyring, see sync/credentials.py).

QSettings keeps values in memory and writes them to disk lazily on its own; calling
``AppSettings`` from the GUI thread is therefore allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from modules.common import messages
from modules.common.errors import ValidationFailed

ORGANIZATION = "office-collab"
APPLICATION = "office-collab"

messages.register({
    "settings.invalid_value": {
        "zh_CN": "设置项“{key}”的值无效：{value}",
        "en": "Invalid value for setting '{key}': {value}",
    },
})


T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One declared setting: QSettings key, default, Python type and allowed values."""

    key: str
    default: T
    type: type[T]
    choices: tuple[Any, ...] | None = None
    minimum: int | None = None
    maximum: int | None = None
    doc: str = ""


SERVER_URL = Setting("server/url", "http://127.0.0.1:8000", str,
                     doc="Base URL of the server, without /api/v1.")
LAST_ACCOUNT = Setting("session/last_account", "", str,
                       doc="Account (login name) entered last; pre-filled at login.")
LANGUAGE = Setting("ui/language", "zh_CN", str, choices=("zh_CN", "en"),
                   doc="Interface language; zh_CN is the default.")
THEME = Setting("ui/theme", "system", str, choices=("system", "light", "dark"),
                doc="Colour theme; system follows the platform's colour scheme.")
WINDOW_GEOMETRY = Setting("ui/window_geometry", QByteArray(), QByteArray,
                          doc="Main window geometry from QWidget.saveGeometry().")
SYNC_INTERVAL = Setting("sync/interval_seconds", 60, int, minimum=15, maximum=3600,
                        doc="Seconds between periodic syncs (besides push pokes).")

SHARED_COMPUTER = Setting("session/shared_computer", False, bool,
                          doc="This is a shared computer (公用电脑): signing out forgets "
                              "this device's data unless the person unticks it.")

STAY_SIGNED_IN = Setting("session/stay_signed_in", False, bool,
                         doc="The last account signed in on this device and did not sign out: "
                             "the next start opens straight into it from the local cache "
                             "(never on a shared computer, never with a password-derived "
                             "data key).")

SETTINGS: tuple[Setting[Any], ...] = (
    SERVER_URL, LAST_ACCOUNT, LANGUAGE, THEME, WINDOW_GEOMETRY, SYNC_INTERVAL, SHARED_COMPUTER,
    STAY_SIGNED_IN,
)


class AppSettings:
    """Typed access to the declared settings. GUI thread (QSettings is not shared)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings(ORGANIZATION, APPLICATION)

    @classmethod
    def at_path(cls, path: Path) -> AppSettings:
        """Settings kept in an INI file at ``path`` (tests, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    # -- generic access -------------------------------------------------------------
    def get(self, setting: Setting[T]) -> T:
        """The stored value, coerced to the declared type; the default if unset/invalid."""
        raw = self._store.value(setting.key, None)
        if raw is None:
            return setting.default
        try:
            value: T = _coerce(setting, raw)
            _check(setting, value)
        except (TypeError, ValueError, ValidationFailed):
            return setting.default
        return value

    def set(self, setting: Setting[Any], value: object) -> None:
        """Store ``value``; raises ValidationFailed if it is outside the declaration."""
        try:
            value = _coerce(setting, value)
        except (TypeError, ValueError) as exc:
            raise ValidationFailed("settings.invalid_value", key=setting.key,
                                   value=str(value)) from exc
        _check(setting, value)
        self._store.setValue(setting.key, value)

    def reset(self, setting: Setting[Any]) -> None:
        """Forget the stored value (the default applies again)."""
        self._store.remove(setting.key)

    def sync(self) -> None:
        """Write pending changes to disk now (called at shutdown)."""
        self._store.sync()

    # -- named accessors ------------------------------------------------------------
    @property
    def server_url(self) -> str:
        return str(self.get(SERVER_URL)).rstrip("/")

    @server_url.setter
    def server_url(self, value: str) -> None:
        self.set(SERVER_URL, value.strip().rstrip("/"))

    @property
    def last_account(self) -> str:
        return str(self.get(LAST_ACCOUNT))

    @last_account.setter
    def last_account(self, value: str) -> None:
        self.set(LAST_ACCOUNT, value.strip())

    @property
    def language(self) -> str:
        return str(self.get(LANGUAGE))

    @language.setter
    def language(self, value: str) -> None:
        self.set(LANGUAGE, value)

    @property
    def theme(self) -> str:
        return str(self.get(THEME))

    @theme.setter
    def theme(self, value: str) -> None:
        self.set(THEME, value)

    @property
    def window_geometry(self) -> QByteArray:
        return self.get(WINDOW_GEOMETRY)

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self.set(WINDOW_GEOMETRY, value)

    @property
    def sync_interval(self) -> int:
        return int(self.get(SYNC_INTERVAL))

    @sync_interval.setter
    def sync_interval(self, value: int) -> None:
        self.set(SYNC_INTERVAL, value)

    @property
    def shared_computer(self) -> bool:
        return bool(self.get(SHARED_COMPUTER))

    @shared_computer.setter
    def shared_computer(self, value: bool) -> None:
        self.set(SHARED_COMPUTER, bool(value))

    @property
    def stay_signed_in(self) -> bool:
        return bool(self.get(STAY_SIGNED_IN))

    @stay_signed_in.setter
    def stay_signed_in(self, value: bool) -> None:
        self.set(STAY_SIGNED_IN, bool(value))


def _coerce(setting: Setting[Any], raw: Any) -> Any:
    if setting.type is QByteArray:
        if isinstance(raw, QByteArray):
            return raw
        if isinstance(raw, bytes | bytearray):
            return QByteArray(bytes(raw))
        raise TypeError("expected bytes")
    if setting.type is int:
        if isinstance(raw, bool):
            raise TypeError("bool is not an int setting")
        return int(raw)
    if setting.type is bool:
        if isinstance(raw, str):
            return raw.lower() in ("1", "true", "yes")
        return bool(raw)
    if setting.type is str:
        if not isinstance(raw, str):
            raise TypeError("expected text")
        return raw
    return setting.type(raw)


def _check(setting: Setting[Any], value: Any) -> None:
    bad = (
        (setting.choices is not None and value not in setting.choices)
        or (setting.minimum is not None and value < setting.minimum)
        or (setting.maximum is not None and value > setting.maximum)
    )
    if bad:
        raise ValidationFailed("settings.invalid_value", key=setting.key, value=str(value))
