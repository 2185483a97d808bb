"""This computer as the server knows it: a device id generated once per data directory,
and a name, platform and version sent at sign-in.

The id lives in ``<data dir>/device-id`` — not a secret (it only names the computer; a
token is what proves a sign-in), so a plain file. It survives signing out and a wipe
(the folder of an account is wiped, not the data directory), so the server's list shows
the same computer again after a new sign-in. Blocking (disk): background threads only.
"""

from __future__ import annotations

import os
import platform
import re
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE = "device-id"
_VALID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
APP_VERSION = "0.1.0"


@dataclass(frozen=True)
class DeviceIdentity:
    client_id: str
    name: str
    platform: str
    app_version: str = APP_VERSION

    def login_fields(self) -> dict[str, Any]:
        """The fields ``POST /auth/login`` takes for the device."""
        return {"device_id": self.client_id, "device_name": self.name[:120],
                "platform": self.platform[:60], "app_version": self.app_version[:40]}


def client_id(data_dir: Path) -> str:
    """The id of this data directory, generated (and written atomically) on first use.
    An unreadable or malformed file is replaced."""
    path = Path(data_dir) / FILE
    try:
        value = path.read_text(encoding="ascii").strip()
        if _VALID.match(value):
            return value
    except (OSError, UnicodeDecodeError):
        pass
    value = uuid.uuid4().hex
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{FILE}.{os.getpid()}.tmp")
    tmp.write_text(value + "\n", encoding="ascii")
    os.replace(tmp, path)
    return value


def platform_name() -> str:
    """The operating system, e.g. ``Windows 11``, ``Linux 6.8``, ``macOS 14.5``."""
    system = platform.system() or "unknown"
    if system == "Darwin":
        return f"macOS {platform.mac_ver()[0]}".strip()
    release = platform.release()
    return f"{system} {release.split('-')[0]}".strip() if release else system


def identity(data_dir: Path) -> DeviceIdentity:
    """This computer: the data directory's id, the host name and the OS."""
    return DeviceIdentity(client_id(data_dir), socket.gethostname() or "computer", platform_name())
