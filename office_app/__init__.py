"""The Qt shell of 协同办公: application set-up, sign-in, main window, navigation, status.

How a feature module plugs in (``modules/<name>/views.py`` or ``views/``):

* **Page** — at import time call
  ``office_app.navigation.register_page("<key>", "<title>", "<icon>", factory)`` where
  ``factory(context) -> QWidget``. Keys: workbench, documents, meetings, supervision,
  seals, directory, settings. ``office_app.navigation.load_feature_modules()`` imports
  ``modules.<name>.service`` then ``.views`` for every feature before any cache opens.
* **Optional page hooks** (duck-typed): ``set_compact(bool)`` (phone width < 900 px),
  ``can_go_back()`` / ``go_back()`` plus a ``navigation_changed`` signal (list → detail at
  phone width; :class:`office_app.widgets.AdaptiveSplit` does this for you),
  ``open_ref(ref_id)`` (a workbench to-do was chosen). A QLabel named ``PageTitle`` is
  hidden at phone width, where the top bar shows the title.
* **Kit** — :mod:`office_app.kit` holds what every page needs: row models
  (``RowListModel`` / ``RowTableModel``), ``list_view``, ``search_box`` +
  ``DebouncedSearch``, ``page_title``, ``PageWork`` and ``error_text``.
* **Threads** — blocking work (cache, engine, network, files) goes through the page's
  ``office_app.kit.PageWork`` (over ``office_app.tasks.run_in_background(fn, on_done,
  on_error)``); ``context.submit(name,
  args, on_done, on_error)`` queues an intent. Refresh from
  ``context.bus.changed`` (``office_app.bus.touches(changes, "<entity>")``), never by
  calling another screen.
* **Text** — English source strings in ``self.tr()`` / ``QCoreApplication.translate``;
  ``python -m office_app.i18n`` collects them into resources/translations/*.ts (translate
  with pyside6-linguist) and compiles the .qm files. Errors are shown with
  ``office_app.kit.error_text(exc)``.
* **Look** — stylesheet roles from resources/styles/base.qss (``role="title"`` …,
  ``kind="primary"``, ``card=true``), icons from ``office_app.icons.icon(name)``,
  touch sizes with ``office_app.widgets.set_touch(compact, *widgets)``.
"""
