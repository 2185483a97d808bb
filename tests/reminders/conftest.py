"""Reminder server tests run in the access matrix's world (one app per database)."""

from tests.access.conftest import world, world_database_url

__all__ = ["world", "world_database_url"]
