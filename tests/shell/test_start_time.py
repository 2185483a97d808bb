"""Client start-up: heavy libraries load when first needed; the PDF fonts warm in the
background after the main window is up; the start-up probe prints only when asked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from office_app import startprobe, tasks, warmup
from office_app.paths import ROOT
from office_app.run import Shell
from tests.shell.test_run import FakeSession

#: Libraries a first screen never needs: PDF making and reading, signing, rendering,
#: QR codes, calendars, pinyin dictionaries, the server's settings.
HEAVY = ("reportlab", "pyhanko", "pypdf", "pypdfium2", "qrcode", "icalendar", "pypinyin",
         "aiohttp", "asn1crypto", "cryptography", "PIL", "server.config", "uvicorn",
         "fastapi")

CLIENT_START = """
import json, sys
import main
main.build_parser(server_options=False).parse_args(["client"])
import office_app.launch, office_app.run, office_app.main_window, office_app.workbench
from office_app.navigation import load_feature_modules
load_feature_modules()
import sync.session
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy} or m in {heavy})))
"""

SERVER_START = """
import json, sys
from server.app import _feature_modules
_feature_modules()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})))
"""


def _loaded(code: str, heavy: tuple[str, ...]) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", code.format(heavy=repr(set(heavy)))],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_client_entry_and_every_feature_page_load_no_pdf_signing_or_pinyin_library():
    assert _loaded(CLIENT_START, HEAVY) == []


def test_the_server_features_load_without_pyhanko_or_reportlab():
    """The embedded server starts with every `python main.py`: stamping and PDF
    libraries wait for the first seal or PDF."""
    assert _loaded(SERVER_START, ("pyhanko", "reportlab", "aiohttp", "PIL")) == []


def test_fonts_and_pinyin_warm_once_on_a_worker_thread(app, monkeypatch):
    import modules.common.fonts as fonts
    import modules.directory.pinyin as pinyin

    threads: list[int] = []

    def register() -> dict[str, str]:
        threads.append(threading.get_ident())
        return {"body": "OfficeFangSong"}

    monkeypatch.setattr(fonts, "register_reportlab_fonts", register)
    monkeypatch.setattr(pinyin, "full_pinyin", lambda name: threads.append(-1) or "zhangwei")
    monkeypatch.setattr(warmup, "_task", None)
    results: list[list[str]] = []
    monkeypatch.setattr(warmup, "run_in_background",
                        lambda fn, on_done, on_error: tasks.run_in_background(
                            fn, results.append, on_error))
    first = warmup.warm_up()
    assert warmup.warm_up() is first  # once per process
    assert tasks.wait_for_idle(10_000)
    app.processEvents()
    assert len(threads) == 2 and threads[0] != threading.get_ident()
    assert results == [["font:OfficeFangSong", "pinyin"]]


def test_the_shell_warms_up_after_the_workbench_has_loaded(app, settings, qtbot, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr("office_app.run.warm_up", lambda: calls.append("warm"))
    session = FakeSession()
    shell = Shell(settings, session)
    login = shell.show_login()
    qtbot.addWidget(login)
    login.server.setText("http://127.0.0.1:8000")
    login.account.setText("zhangwei")
    login.password.setText("secret")
    assert calls == []
    login.submit()
    qtbot.waitUntil(lambda: shell.window is not None)
    assert shell.window is not None
    qtbot.addWidget(shell.window)
    qtbot.waitUntil(lambda: calls == ["warm"])
    shell.shutdown()


@pytest.mark.parametrize("on", [True, False])
def test_the_start_probe_prints_only_when_asked(on, monkeypatch, capsys):
    monkeypatch.setattr(startprobe, "_done", set())
    if on:
        monkeypatch.setenv(startprobe.ENV, "1")
    else:
        monkeypatch.delenv(startprobe.ENV, raising=False)
    startprobe.mark("signin")
    startprobe.mark("signin")
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith(startprobe.PREFIX)]
    assert len(lines) == (1 if on else 0)
    if on:
        assert lines[0].split()[1] == "signin" and float(lines[0].split()[2]) > 0


def test_the_sign_in_view_is_usable_before_the_server_and_sign_in_waits_for_it(
        app, settings, qtbot):
    """The embedded server starts beside the sign-in view; 登录 waits until it is up."""
    server_up = threading.Event()
    waited: list[int] = []

    def before_sign_in() -> None:
        waited.append(threading.get_ident())
        assert server_up.wait(10)

    session = FakeSession()
    shell = Shell(settings, session, before_sign_in=before_sign_in)
    login = shell.show_login()
    qtbot.addWidget(login)
    login.server.setText("http://127.0.0.1:8000")
    login.account.setText("zhangwei")
    login.password.setText("secret")
    login.submit()
    qtbot.waitUntil(lambda: bool(waited))
    qtbot.wait(200)
    assert session.logins == [] and shell.window is None  # still waiting for the server
    assert not login.sign_in_button.isEnabled()
    server_up.set()
    qtbot.waitUntil(lambda: shell.window is not None)
    assert shell.window is not None
    qtbot.addWidget(shell.window)
    assert session.logins == [("http://127.0.0.1:8000", "zhangwei")]
    assert waited[0] != threading.get_ident()  # waited on the task runner
    shell.shutdown()


class FakeAhead:
    """Stands in for ``sync.session.SignInAhead``."""

    def __init__(self, thread: int) -> None:
        self.thread = thread
        self.discarded = False

    def discard(self) -> None:
        self.discarded = True


class AheadSession(FakeSession):
    """A session with a head start on the password's argon2 (``prepare_sign_in``)."""

    def __init__(self, prepare_fails: bool = False) -> None:
        super().__init__()
        self.prepare_fails = prepare_fails
        self.prepared: list[tuple[str, str, str, FakeAhead]] = []
        self.given: list[object] = []

    def prepare_sign_in(self, server_url: str, account: str, password: str) -> FakeAhead:
        if self.prepare_fails:
            raise RuntimeError("cannot start a thread")
        ahead = FakeAhead(threading.get_ident())
        self.prepared.append((server_url, account, password, ahead))
        return ahead

    def login(self, server_url: str, account: str, password: str, *,
              ahead: object = None) -> dict:
        self.given.append(ahead)
        return super().login(server_url, account, password)


def _press_sign_in(shell: Shell, qtbot) -> None:
    login = shell.show_login()
    qtbot.addWidget(login)
    login.server.setText("http://127.0.0.1:8000")
    login.account.setText("zhangwei")
    login.password.setText("secret")
    login.submit()


def test_the_passwords_argon2_begins_while_sign_in_waits_for_the_server(app, settings, qtbot):
    server_up = threading.Event()
    waited: list[int] = []

    def before_sign_in() -> None:
        waited.append(threading.get_ident())
        assert server_up.wait(10)

    session = AheadSession()
    shell = Shell(settings, session, before_sign_in=before_sign_in)
    _press_sign_in(shell, qtbot)
    qtbot.waitUntil(lambda: bool(waited))
    # begun before the wait, on the task runner, for the typed sign-in
    assert [p[:3] for p in session.prepared] == [("http://127.0.0.1:8000", "zhangwei", "secret")]
    ahead = session.prepared[0][3]
    assert ahead.thread == waited[0] != threading.get_ident()
    assert session.logins == []
    server_up.set()
    qtbot.waitUntil(lambda: shell.window is not None)
    qtbot.addWidget(shell.window)
    assert session.given == [ahead]  # handed to the login it was begun for
    shell.shutdown()


@pytest.mark.parametrize("prepare_fails", [False, True])
def test_a_server_that_never_came_up_drops_the_head_start(app, settings, qtbot, prepare_fails):
    def before_sign_in() -> None:
        raise RuntimeError("the embedded demo server stopped (exit 1)")

    session = AheadSession(prepare_fails)
    shell = Shell(settings, session, before_sign_in=before_sign_in)
    _press_sign_in(shell, qtbot)
    assert shell.login is not None
    login = shell.login
    qtbot.waitUntil(lambda: login.sign_in_button.isEnabled())
    assert login.error.isVisible() and shell.window is None
    assert session.logins == [] and session.given == []
    assert all(p[3].discarded for p in session.prepared)
    assert len(session.prepared) == (0 if prepare_fails else 1)


def test_without_a_head_start_the_session_signs_in_as_before(app, settings, qtbot):
    """A session that cannot begin one (it raised) still signs in, without it."""
    session = AheadSession(prepare_fails=True)
    shell = Shell(settings, session)
    _press_sign_in(shell, qtbot)
    qtbot.waitUntil(lambda: shell.window is not None)
    qtbot.addWidget(shell.window)
    assert session.given == [None] and session.logins == [("http://127.0.0.1:8000", "zhangwei")]
    shell.shutdown()


def test_embedded_start_chooses_its_address_at_once_and_reports_a_failed_start(tmp_path):
    """The server's process cannot make its data directory (a file is in the way): the
    sign-in's wait raises what stopped it."""
    from office_app import launch

    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    start = launch.EmbeddedStart(str(blocked / "server"))
    assert start.url == f"http://127.0.0.1:{start.port}"
    start.start()
    with pytest.raises(RuntimeError, match="Error"):
        start.wait(120)
    start.stop()  # nothing to stop


RESUMED_START = """
import json, sys
import main
main.build_parser(server_options=False).parse_args(["client"])
import office_app.launch, office_app.run, office_app.main_window, office_app.workbench
import office_app.login
from office_app import navigation
navigation.defer_services()
navigation.load_feature_modules()
import sync.session
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy} or m in {heavy})))
"""

#: What a resumed start's GUI thread does not import before the first paint: the network
#: and the engine, the intents' models (with the feature services), the keyring and the
#: cache (on the task runner), the pages not shown.
NOT_BEFORE_FIRST_PAINT = ("httpx", "sync.api", "sync.engine", "sync.blobs", "sync.cache",
                          "sqlalchemy", "pydantic", "argon2", "keyring",
                          "modules.common.intents", "modules.directory.views",
                          "modules.supervision.views", "modules.audit.views")


def test_a_resumed_start_paints_without_the_network_the_engine_or_the_intent_models():
    assert _loaded(RESUMED_START, NOT_BEFORE_FIRST_PAINT) == []
