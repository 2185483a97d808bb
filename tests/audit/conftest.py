"""The audit read tests use the access matrix's world (one app per database per module)."""

from tests.access.conftest import world, world_database_url  # noqa: F401
