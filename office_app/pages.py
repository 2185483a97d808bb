"""Factories for the shell's own pages (workbench, settings, placeholders)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from office_app.context import AppContext
from office_app.navigation import title_for


def workbench_factory(context: AppContext) -> QWidget:
    from office_app.workbench import WorkbenchPage

    return WorkbenchPage(context)


def settings_factory(context: AppContext) -> QWidget:
    from office_app.settings_page import SettingsPage

    return SettingsPage(context)


def placeholder_factory(key: str, *, broken: bool = False
                        ) -> Callable[[AppContext], QWidget]:
    """A factory for the clearly marked "under construction" page of ``key``
    (``broken``: the module exists but failed to load)."""

    def make(_context: AppContext) -> QWidget:
        from office_app.widgets import PlaceholderPage

        return PlaceholderPage(title_for(key), key, broken=broken)

    return make
