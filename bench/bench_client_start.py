"""How long the client takes to start, each round a fresh ``python main.py`` process.

Usage::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_client_start.py [--rounds 5]

Every round runs ``main.py`` (through this file's ``--child`` mode, which only adds the
person's hands: it types the password and presses 登录 as soon as the sign-in view is
usable) in a fresh process with ``OFFICE_START_PROBE=1`` (:mod:`office_app.startprobe`)
and a private ``HOME``, and reads the milestones the client prints. Times are wall
time from just before the process is started; ``cpu`` is the child's own CPU time at
the milestone. Rows:

* ``bare PySide6 window`` — a QApplication and a painted QLabel, for reference;
* ``embedded first start`` — ``python main.py`` on an empty data directory (the
  embedded server migrates and seeds the demo organisation): to the sign-in view
  usable, then to the main window painted with the demo account's to-dos after
  signing in (the first start includes the initial sync);
* ``start, signed in before (embedded)`` — ``python main.py`` again on a copy of the
  data that first start left (cache filled, account remembered): to the main window
  painted with the to-dos read from the local cache;
* ``start, signed in before (--server-url)`` — the same against a server already
  running in another process (``main.py server --demo``);
* ``resumed start (--server-url)`` — the same, on a device whose keyring keeps the
  refresh token and the data key (a file-backed keyring private to the round's
  ``HOME``, :class:`FileKeyring`; this machine has no system keyring): the client opens
  straight into the main window from the cache, without the sign-in view, and the
  engine refreshes the sign-in after the first paint (``office_app.run.Shell.start``).

``--first-only`` runs the embedded first start's rows alone; ``--timeline`` prints each
round's milestones in ms from the process start: the client's (the embedded server's
process started and ready, 登录 pressed and answered, the probe's marks), the embedded
server's (``server.embedded.trace``: modules imported, database ready, the demo's
first phase, each second-phase part) and every request it served; ``--deep`` adds the
steps of the client's sign-in after the server answered (data key, cache, engine).

The embedded server is put on a free port (never the app's own 18765). Figures:
docs/PERFORMANCE.md, "Scale (issue 11) — client start".
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

ROOT = Path(__file__).resolve().parent.parent
PROBE = "office-start-probe"
BARE = (
    "import sys, time\n"
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    "app = QApplication(sys.argv)\n"
    "w = QLabel('协同办公'); w.resize(960, 720); w.show(); w.repaint()\n"
    "print('office-start-probe window', time.time(), time.process_time(), file=sys.stderr)\n"
)


KEYRING_ENV = "OFFICE_BENCH_KEYRING"


def _file_keyring(path: str) -> KeyringBackend:
    """A keyring backend keeping its secrets in a JSON file (this bench only: the
    machine has no system keyring, and a resumed start needs one)."""
    import json

    from keyring.backend import KeyringBackend
    from keyring.errors import PasswordDeleteError

    class FileKeyring(KeyringBackend):
        priority = 1

        def _load(self) -> dict[str, str]:
            try:
                return dict(json.loads(Path(path).read_text(encoding="utf-8")))
            except FileNotFoundError:
                return {}

        def _save(self, data: dict[str, str]) -> None:
            Path(path).write_text(json.dumps(data), encoding="utf-8")

        def get_password(self, service: str, username: str) -> str | None:
            return self._load().get(f"{service}\n{username}")

        def set_password(self, service: str, username: str, password: str) -> None:
            data = self._load()
            data[f"{service}\n{username}"] = password
            self._save(data)

        def delete_password(self, service: str, username: str) -> None:
            data = self._load()
            if data.pop(f"{service}\n{username}", None) is None:
                raise PasswordDeleteError("missing")
            self._save(data)

    return FileKeyring()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child(port: int, argv: list[str]) -> int:
    """Run ``main.main(argv)`` with the embedded server on ``port``, signing in once the
    sign-in view is usable (the remembered account, else the first demo account) and
    quitting once the main window has painted with data."""
    sys.path.insert(0, str(ROOT))
    if os.environ.get(KEYRING_ENV):
        import keyring

        keyring.set_keyring(_file_keyring(os.environ[KEYRING_ENV]))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import main as entry
    from office_app import launch, run, startprobe

    if TYPE_CHECKING:
        from office_app.login import LoginView

    launch.EMBEDDED_PORT = port
    original_mark = startprobe.mark

    def mark(event: str) -> None:
        if event in startprobe._done:
            return
        original_mark(event)
        print(f"{PROBE}-cpu {event} {time.process_time():.6f}", file=sys.stderr, flush=True)
        if event == "signin":
            QTimer.singleShot(0, sign_in)
        if event == "main":
            QTimer.singleShot(0, QApplication.quit)

    startprobe.mark = mark
    shell_show = run.Shell.show_login
    views: list[LoginView] = []

    def show_login(self: run.Shell) -> LoginView:
        view = shell_show(self)
        views.append(view)
        return view

    def sign_in() -> None:
        from modules.directory.demo import DEMO_PASSWORD, demo_accounts

        view = views[-1]
        if not view.account.text():
            view.account.setText(demo_accounts()[0].login)
        view.password.setText(DEMO_PASSWORD)
        view.submit()

    run.Shell.show_login = show_login  # type: ignore[method-assign]
    shell_sign_in = run.Shell._sign_in

    def traced_sign_in(self: run.Shell, server_url: str, account: str,
                       password: str) -> dict[str, object]:
        trace("sign-in pressed (task runner)")
        try:
            return shell_sign_in(self, server_url, account, password)
        finally:
            trace("sign-in answered")

    run.Shell._sign_in = traced_sign_in  # type: ignore[method-assign]
    if os.environ.get(DEEP_ENV):  # the steps of the client's sign-in, in the timeline
        _trace_sign_in_steps()
    return entry.main(argv)


TRACE = "office-start-trace"
DEEP_ENV = "OFFICE_BENCH_DEEP"


def _trace_sign_in_steps() -> None:
    """Wrap the steps of ``ClientSession.login`` after the server answered (the data
    key, the cache, the engine) so that ``--timeline --deep`` shows where it goes."""
    import functools
    from typing import Any

    import sync.cache
    import sync.session
    import sync.vault

    def wrap(owner: Any, name: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def traced(*args: Any, **kwargs: Any) -> Any:
            trace(f"> {getattr(owner, '__name__', owner)}.{name}")
            try:
                return original(*args, **kwargs)
            finally:
                trace(f"< {getattr(owner, '__name__', owner)}.{name}")

        setattr(owner, name, traced)

    wrap(sync.vault, "open_key")
    wrap(sync.cache.LocalCache, "__init__")
    wrap(sync.session.ClientSession, "_api")
    wrap(sync.session.ClientSession, "_open")
    wrap(sync.session.ClientSession, "_start")


def trace(event: str) -> None:
    """A client milestone for ``--timeline`` (the server's: ``server.embedded.trace``)."""
    sys.stderr.write(f"{TRACE} {time.time():.6f} client {event}\n")  # one write
    sys.stderr.flush()


#: Print every round's timeline (``--timeline``): the client's and the embedded
#: server's milestones and the server's requests, in ms from the process start.
TIMELINE = False

#: Where the rounds keep compiled bytecode (``PYTHONPYCACHEPREFIX``), or None to leave
#: the environment's choice (set by ``main``).
PYC_CACHE: Path | None = None


def run_round(home: Path, port: int, argv: list[str], timeout: float = 180.0, *,
              keyring_file: bool = False) -> dict[str, tuple[float, float]]:
    """One fresh client process; returns {event: (wall seconds, child cpu seconds)}.
    ``keyring_file``: the round's keyring is a file under ``home``."""
    env = dict(os.environ, HOME=str(home), OFFICE_START_PROBE="1")
    if PYC_CACHE is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYC_CACHE)
    if keyring_file:
        env[KEYRING_ENV] = str(home / "bench-keyring.json")
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env.pop(name, None)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    command = [sys.executable, __file__, "--child", str(port), "--", *argv]
    started = time.time()
    proc = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    walls: dict[str, float] = {}
    cpus: dict[str, float] = {}
    timeline: list[tuple[float, str]] = []
    for line in proc.stderr.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == TRACE:
            timeline.append((float(parts[1]) - started, " ".join(parts[2:])))
        elif len(parts) >= 3 and parts[0] == PROBE:
            timeline.append((float(parts[2]) - started, f"client probe {parts[1]}"))
        if len(parts) >= 3 and parts[0] == PROBE:
            walls[parts[1]] = float(parts[2]) - started
        elif len(parts) >= 3 and parts[0] == f"{PROBE}-cpu":
            cpus[parts[1]] = float(parts[2])
    if "main" not in walls:
        raise RuntimeError(f"no main window (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    if TIMELINE:
        for at, event in sorted(timeline):
            print(f"  {at * 1000:7.0f} ms  {event}")
    return {event: (wall, cpus.get(event, 0.0)) for event, wall in walls.items()}


def bare_round() -> tuple[float, float]:
    started = time.time()
    proc = subprocess.run([sys.executable, "-c", BARE], capture_output=True, text=True,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"), timeout=60)
    for line in proc.stderr.splitlines():
        parts = line.split()
        if parts and parts[0] == PROBE:
            return float(parts[2]) - started, float(parts[3])
    raise RuntimeError(proc.stderr)


def summary(label: str, samples: list[tuple[float, float]]) -> str:
    walls = sorted(s[0] for s in samples)
    cpus = sorted(s[1] for s in samples)
    return (f"{label:52s} p50 {statistics.median(walls) * 1000:6.0f} ms  "
            f"max {walls[-1] * 1000:6.0f} ms  cpu p50 {statistics.median(cpus) * 1000:6.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--first-rounds", type=int, default=None,
                        help="rounds of the embedded first start (default: --rounds)")
    parser.add_argument("--server-rows-only", action="store_true",
                        help="only the rows against a separate server (no embedded starts)")
    parser.add_argument("--no-pyc-cache", action="store_true",
                        help="leave PYTHONDONTWRITEBYTECODE as the environment has it (every "
                             "round then compiles the project's modules from source)")
    parser.add_argument("--timeline", action="store_true",
                        help="print each round's milestones and the server's requests")
    parser.add_argument("--deep", action="store_true",
                        help="with --timeline: also the steps of the client's sign-in")
    parser.add_argument("--first-only", action="store_true",
                        help="only the embedded first start's rows")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        return child(args.child, list(args.rest))

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    global PYC_CACHE, TIMELINE
    TIMELINE = args.timeline
    if args.deep:
        os.environ[DEEP_ENV] = "1"
    pyc_dir = tempfile.TemporaryDirectory(prefix="office-start-pyc-")
    if not args.no_pyc_cache:
        # As an installed client has: compiled once (the first round), then reused.
        PYC_CACHE = Path(pyc_dir.name)
        print("bytecode cached between rounds (PYTHONPYCACHEPREFIX); --no-pyc-cache: not")
    bare = [bare_round() for _ in range(args.rounds)]
    print(summary("bare PySide6 window", bare), flush=True)

    port = free_port()
    first_signin: list[tuple[float, float]] = []
    first_main: list[tuple[float, float]] = []
    again: list[tuple[float, float]] = []
    external: list[tuple[float, float]] = []
    resumed: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="office-start-") as tmp:
        root = Path(tmp)
        template = root / "template"
        for i in range(0 if args.server_rows_only else (args.first_rounds or args.rounds)):
            home = root / f"first-{i}"
            home.mkdir()
            marks = run_round(home, port, [])
            first_signin.append(marks["signin"])
            first_main.append(marks["main"])
            if not template.exists():
                shutil.copytree(home, template)
            shutil.rmtree(home)
        if first_main:
            print(summary("embedded first start: sign-in usable", first_signin))
            print(summary("embedded first start: main window with data", first_main),
                  flush=True)
        if args.first_only:
            print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            return 0

        for i in range(0 if args.server_rows_only else args.rounds):
            home = root / f"again-{i}"
            shutil.copytree(template, home)
            again.append(run_round(home, port, [])["main"])
            shutil.rmtree(home)
        if again:
            print(summary("start, signed in before (embedded): main window", again),
                  flush=True)

        server_port = free_port()
        server_dir = root / "server"
        server = subprocess.Popen(
            [sys.executable, "main.py", "server", "--demo", "--port", str(server_port),
             "--data-dir", str(server_dir)], cwd=ROOT,
            env=dict(os.environ, OFFICE_LOG_LEVEL="WARNING"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            import httpx

            url = f"http://127.0.0.1:{server_port}"
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            prepared = root / "external-template"
            prepared.mkdir()
            run_round(prepared, port, ["--server-url", url])  # signs in once, fills the cache
            for i in range(args.rounds):
                home = root / f"external-{i}"
                shutil.copytree(prepared, home)
                external.append(run_round(home, port, ["--server-url", url])["main"])
                shutil.rmtree(home)
            print(summary("start, signed in before (--server-url): main window", external),
                  flush=True)
            prepared = root / "resumed-template"
            prepared.mkdir()
            run_round(prepared, port, ["--server-url", url], keyring_file=True)  # signs in
            for i in range(args.rounds):
                home = root / f"resumed-{i}"
                shutil.copytree(prepared, home)
                marks = run_round(home, port, ["--server-url", url], keyring_file=True)
                if "signin" in marks:
                    raise RuntimeError("the resumed start showed the sign-in view")
                resumed.append(marks["main"])
                shutil.rmtree(home)
        finally:
            server.terminate()
            server.wait(30)
        print(summary("resumed start (--server-url): main window with data", resumed))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
