"""Documents screens (公文): inbox, detail with PDF and 办文单, drafting editor.

Importing this package registers the navigation page "documents" and the attach hook
that prepares the to-do list's PDFs and first pages (modules/documents/prefetch.py; the
blobs themselves are fetched by the sync engine, ``service.todo_pdf_blobs``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from office_app.context import on_attach
from office_app.navigation import register_page

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from office_app.context import AppContext


def documents_factory(context: AppContext) -> QWidget:
    """Build the page (cheap: data loads in the background)."""
    from modules.documents.views.page import DocumentsPage

    return DocumentsPage(context)


def _prefetch(context: AppContext) -> None:
    """Prepare the to-do list's PDFs and first pages after every sign-in."""
    if context.engine is None or not hasattr(context.cache, "read"):
        return
    from modules.documents.prefetch import start_for

    start_for(context)


register_page("documents", "公文", "documents", documents_factory)
on_attach(_prefetch)
