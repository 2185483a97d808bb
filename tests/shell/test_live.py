"""The shell against the real server: demo data, sign-in, sync, screens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtGui import QImage

from modules.directory.demo import DEMO_PASSWORD, demo_accounts
from office_app.screenshot import render_signed_in
from tests.sync.fakes import MemoryKeyring
from tests.sync.live import LiveServer


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    from server.config import Settings

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    server = LiveServer(Settings(data_dir=tmp_path / "server", demo=True, log_json=False))
    server.start()
    yield server
    server.close()
    keyring.set_keyring(previous)


@pytest.mark.slow
def test_signed_in_screens_from_the_demo_server(app, live_server, tmp_path):
    account = demo_accounts()[0]
    files = render_signed_in(tmp_path / "shots", live_server.url, account.login,
                             DEMO_PASSWORD, data_dir=tmp_path / "client",
                             sizes=((1440, 900),))
    names = {f.name for f in files}
    assert {"1440x900-workbench.png", "1440x900-directory-person.png"} <= names
    image = QImage(str(tmp_path / "shots" / "1440x900-directory-person.png"))
    assert not image.isNull() and image.width() >= 1440
