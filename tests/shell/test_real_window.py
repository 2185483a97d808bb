"""The client in a real X11 window, as a newcomer starts it: ``python main.py`` on an
Xvfb display with the xcb platform plugin (QT_QPA_PLATFORM unset), a fresh home, the
embedded demo server. xdotool types a demo sign-in; the main window must appear.

Needs Xvfb, xdotool and ImageMagick (``scripts/bootstrap.sh dev`` installs them); it
fails rather than skips without them. Every wait is bounded, the processes are ended.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from PIL import Image

from modules.directory.demo import DEMO_PASSWORD, demo_accounts
from office_app.paths import ROOT

TOOLS = ("Xvfb", "xdotool", "import")


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh Xvfb display (its number chosen by Xvfb itself)."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: run scripts/bootstrap.sh dev")
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not report its display"
        yield f":{number}"
    finally:
        xvfb.terminate()
        xvfb.wait(10)


def _xdotool(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True,
                          timeout=20, check=False)
    return done.stdout.strip() if done.returncode == 0 else ""


def _wait_for_window(env: dict[str, str], client: subprocess.Popen[bytes], title: str,
                     timeout: float) -> str:
    """The id of a visible window whose whole title is ``title`` (Qt may append
    " — 协同办公"), or "" once ``timeout`` passed or the client ended."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and client.poll() is None:
        for wid in _xdotool(env, "search", "--onlyvisible", "--name", title).split():
            name = _xdotool(env, "getwindowname", wid)
            if name in (title, f"{title} — 协同办公"):
                return wid
        time.sleep(0.5)
    return ""


@pytest.mark.slow
def test_main_py_in_a_real_window_signs_in_with_a_demo_account(display, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k != "QT_QPA_PLATFORM" and not k.startswith(("OFFICE_", "XDG_"))}
    env.update(DISPLAY=display, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"),
               XDG_RUNTIME_DIR=str(tmp_path / "run"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    (tmp_path / "run").mkdir(mode=0o700)
    log = (tmp_path / "client.log").open("wb")
    client = subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=ROOT, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    shot = tmp_path / "signed-in.png"
    try:
        login = _wait_for_window(env, client, "协同办公 — 登录", 240)
        assert login, "no sign-in window:\n" + (tmp_path / "client.log").read_text()
        _xdotool(env, "windowfocus", "--sync", login)
        account = demo_accounts()[0].login
        _xdotool(env, "type", "--delay", "20", account)
        _xdotool(env, "key", "Return")  # on to the password
        _xdotool(env, "type", "--delay", "20", DEMO_PASSWORD)
        _xdotool(env, "key", "Return")  # sign in
        main = _wait_for_window(env, client, "协同办公", 120)
        assert main, "no main window after signing in:\n" + (tmp_path / "client.log").read_text()
        time.sleep(1)  # let the first sync paint
        subprocess.run(["import", "-window", "root", str(shot)], env=env, timeout=30, check=True)
    finally:
        client.terminate()
        try:
            client.wait(15)
        except subprocess.TimeoutExpired:
            client.kill()
            client.wait(5)
        log.close()
    with Image.open(shot) as image:
        assert image.size == (1440, 900)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50  # drawn, not a blank screen
    assert (home / ".local" / "share" / "office-collab" / "server" / "office.db").exists()
