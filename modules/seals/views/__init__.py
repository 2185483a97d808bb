"""Seal screens (印章): the page with its panels (``page``), the administration tab
(``admin``), the item models (``models``), the stamping view (``stamp``) and the ink pad
for handwritten sign-off (``ink``).

Importing this package registers the navigation page "seals"; the widgets load on first
use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_app.navigation import register_page

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from office_app.context import AppContext


def make_page(context: AppContext) -> QWidget:
    """Navigation factory for key ``seals`` (cheap; data loads in the background)."""
    from modules.seals.views.page import SealsPage

    return SealsPage(context)


register_page("seals", "印章", "seals", make_page)
