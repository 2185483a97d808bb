"""Shared fixtures: a server app on SQLite or on a real PostgreSQL database.

PostgreSQL tests are never skipped: ``OFFICE_TEST_PG_URL`` names the server (the test
command sets it to the local one); if it is unset or unreachable, those tests fail.
Each test gets a fresh database cloned from a migrated template (fast and isolated).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from sync import guithread

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Screen code that reaches the local cache, the API client or the blob store on the GUI
# thread raises (sync/guithread.py); the environment carries it to app subprocesses.
os.environ.setdefault(guithread.ENV, "raise")
guithread.enable("raise")

PG_ENV = "OFFICE_TEST_PG_URL"


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if call.when == "call" and report.failed:
        item.stash[_CALL_FAILED] = True
    return report


@pytest.fixture(autouse=True)
def no_gui_thread_io(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test if screen code did disk or network work on the GUI thread, even
    when the code swallowed the :class:`~sync.guithread.GuiThreadViolation`."""
    guithread.take_violations()
    yield
    found = guithread.take_violations()
    if found and not request.node.stash.get(_CALL_FAILED, False):
        pytest.fail("GUI-thread guard:\n" + "\n".join(dict.fromkeys(found)), pytrace=False)


def _admin_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if not url:
        pytest.fail(
            f"{PG_ENV} is not set: PostgreSQL tests must run "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return url


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL template database; yields its name."""
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"office_tpl_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_admin_url()).set(database=name)
    from server.db import make_engine
    from server.migrate import upgrade

    engine = make_engine(url.render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test."""
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"office_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"'))
    yield make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'office.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Any:
    from server.config import Settings

    return Settings(
        data_dir=tmp_path / "server",
        database_url=database_url,
        secret_key="test-secret-key-with-enough-length-0123456789",
        push_poll_seconds=0.05,
        push_keepalive_seconds=1.0,
        log_json=False,
    )


@pytest.fixture
def app(settings: Any) -> Iterator[Any]:
    from server.app import create_app

    application = create_app(settings)
    yield application
    application.state.engine.dispose()
