"""Meeting screens (会议): the rooms page with its day grid (``grid``), the booking
dialog (``dialogs``) and the item models (``models``).

Importing this package registers the navigation page "meetings"; widgets load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_app.navigation import register_page

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from office_app.context import AppContext


def make_page(context: AppContext) -> QWidget:
    """Navigation factory for key ``meetings`` (cheap; data loads in the background)."""
    from modules.meetings.views.page import MeetingsPage

    return MeetingsPage(context)


register_page("meetings", "会议", "meetings", make_page)
