"""``world``: one application and matrix world per database (SQLite, PostgreSQL) per module.

The matrix sends hundreds of requests; building the tree and the signed-in actors once
per module keeps it fast. Cases create their own fresh targets (see ``world.World``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.access.world import World, build_world
from tests.conftest import _admin_url


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world_database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('access') / 'office.db'}"
        return
    template = request.getfixturevalue("pg_template")
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"office_ax_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(_admin_url()).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def world(world_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from server.app import create_app
    from server.config import Settings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("access-server"),
        database_url=world_database_url,
        secret_key="test-secret-key-with-enough-length-0123456789",
        log_json=False,
    )
    app: Any = create_app(settings)
    yield build_world(app)
    app.state.engine.dispose()
