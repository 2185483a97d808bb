"""Settings page (设置): account, language, theme, sync interval, sign out, my devices
(我的设备, :mod:`office_app.devices`) and the working-day calendar (工作日历,
``modules.calendar.views.CalendarSection``).

Signing out asks first, with "forget this device's data" ticked on a shared computer
(公用电脑, a setting of this page).

Changing the language installs the new translators at once; the main window rebuilds
its pages on the resulting LanguageChange event. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from office_app import i18n, theme
from office_app.context import AppContext
from office_app.devices import DevicesService, MyDevicesSection, SignOutDialog, ask_sign_out
from office_app.widgets import TOUCH_TARGET, scrolled_body, set_touch, text_label


class SettingsPage(QWidget):
    """Preferences for this device. Values are stored through AppSettings."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        self.context = context
        settings = context.settings

        body = scrolled_body(self, "Page")
        body_layout = QHBoxLayout(body)
        body_layout.setContentsMargins(24, 20, 24, 20)
        self._layout = body_layout
        column = QWidget()
        column.setMaximumWidth(720)
        body_layout.addWidget(column, 1)
        body_layout.addStretch(0)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        title = text_label(self.tr("Settings"), "title")
        title.setObjectName("PageTitle")
        layout.addWidget(title)

        account = QGroupBox(self.tr("Account"))
        form = _form(account)
        post = context.primary_post()
        form.addRow(self.tr("Name"), text_label(context.display_name, selectable=True))
        if post.get("title"):
            form.addRow(self.tr("Post"), text_label(
                " · ".join(b for b in (post.get("body_name", ""), post["title"]) if b),
                wrap=True))
        form.addRow(self.tr("Account"), text_label(
            str(context.principal.get("login") or settings.last_account), selectable=True))
        form.addRow(self.tr("Server"), text_label(settings.server_url, wrap=True,
                                                   selectable=True))
        self.shared_box = QCheckBox(self.tr("This is a shared computer"))
        self.shared_box.setChecked(settings.shared_computer)
        self.shared_box.toggled.connect(self._shared_chosen)
        form.addRow("", self.shared_box)
        form.addRow("", text_label(self.tr(
            "On a shared computer, signing out forgets this device's data unless you untick it."),
            "small", wrap=True))
        self.logout_button = QPushButton(self.tr("Sign out"))
        self.logout_button.clicked.connect(self.ask_sign_out)
        _button_row(form, self.logout_button)
        self.sign_out_dialog: SignOutDialog | None = None
        layout.addWidget(account)

        self.devices = MyDevicesSection(DevicesService.of(context))
        layout.addWidget(self.devices)
        self.devices.load()

        look = QGroupBox(self.tr("Display"))
        form2 = _form(look)
        self.language_box = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(self.language_box.findData(i18n.current_lang()))
        self.language_box.setAccessibleName(self.tr("Language"))
        self.language_box.currentIndexChanged.connect(self._language_chosen)
        _row(form2, self.tr("Language"), self.language_box)
        self.theme_box = QComboBox()
        for code, name in (("system", self.tr("Follow the system")),
                           ("light", self.tr("Light")), ("dark", self.tr("Dark"))):
            self.theme_box.addItem(name, code)
        self.theme_box.setCurrentIndex(self.theme_box.findData(settings.theme))
        self.theme_box.currentIndexChanged.connect(self._theme_chosen)
        _row(form2, self.tr("Theme"), self.theme_box)
        layout.addWidget(look)

        sync = QGroupBox(self.tr("Sync"))
        form3 = _form(sync)
        self.interval_box = QComboBox()
        for seconds in INTERVALS:
            self.interval_box.addItem(_interval_text(seconds), seconds)
        current = self.interval_box.findData(settings.sync_interval)
        if current < 0:
            self.interval_box.addItem(_interval_text(settings.sync_interval),
                                      settings.sync_interval)
            current = self.interval_box.count() - 1
        self.interval_box.setCurrentIndex(current)
        self.interval_box.currentIndexChanged.connect(self._interval_chosen)
        _row(form3, self.tr("Sync every"), self.interval_box)
        note = text_label(self.tr("Changes from others also arrive at once while online."),
                          "small", wrap=True)
        form3.addRow("", note)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(context.sync_now)
        self.sync_button.setEnabled(context.engine is not None)
        _button_row(form3, self.sync_button)
        layout.addWidget(sync)

        from modules.calendar.views import CalendarSection

        self.calendar = CalendarSection(context)
        layout.addWidget(self.calendar)

        about = QGroupBox(self.tr("About"))
        about_layout = QVBoxLayout(about)
        about_layout.addWidget(text_label(self.tr(
            "Office collaboration 0.1 — documents, meetings, supervision and e-seals. "
            "Works offline; changes upload when the connection is back. For non-classified "
            "documents only."), wrap=True))
        layout.addWidget(about)
        layout.addStretch(1)

    def set_compact(self, compact: bool) -> None:
        margin = 12 if compact else 24
        self._layout.setContentsMargins(margin, 12 if compact else 20, margin, 16)
        set_touch(compact, self.logout_button, self.sync_button, self.language_box,
                  self.theme_box, self.interval_box)
        self.shared_box.setMinimumHeight(TOUCH_TARGET if compact else 0)
        self.calendar.set_compact(compact)
        self.devices.set_compact(compact)

    def ask_sign_out(self) -> None:
        """The sign-out question; on yes the shell signs out (forgetting when ticked)."""
        self.sign_out_dialog = ask_sign_out(self, self.context.settings.shared_computer,
                                            self.context.sign_out_requested.emit)

    def _shared_chosen(self, checked: bool) -> None:
        self.context.settings.shared_computer = checked

    def _language_chosen(self, _index: int) -> None:
        lang = self.language_box.currentData()
        if not lang or lang == i18n.current_lang():
            return
        self.context.settings.language = lang
        self.context.set_language(lang)
        app = _app()
        # Deferred: the switch rebuilds every page, including this one.
        QTimer.singleShot(0, app, lambda: i18n.install_language(app, lang))

    def _theme_chosen(self, _index: int) -> None:
        value = self.theme_box.currentData()
        if not value:
            return
        self.context.settings.theme = value
        app = _app()
        QTimer.singleShot(0, app, lambda: _retheme(app, value))

    def _interval_chosen(self, _index: int) -> None:
        value = self.interval_box.currentData()
        if value:
            self.context.settings.sync_interval = int(value)


#: Choices offered for the periodic sync, in seconds.
INTERVALS = (30, 60, 120, 300, 900, 1800, 3600)


def _interval_text(seconds: int) -> str:
    if seconds < 60:
        return QCoreApplication.translate("SettingsPage", "%n second(s)", None, seconds)
    if seconds < 3600:
        return QCoreApplication.translate("SettingsPage", "%n minute(s)", None, seconds // 60)
    return QCoreApplication.translate("SettingsPage", "%n hour(s)", None, seconds // 3600)


def _row(form: QFormLayout, text: str, field: QWidget) -> None:
    """A form row whose label is vertically centred on a tall field."""
    label = QLabel(text)
    label.setBuddy(field)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    label.setMinimumHeight(field.sizeHint().height())
    form.addRow(label, field)


def _button_row(form: QFormLayout, button: QPushButton) -> None:
    """A form row with ``button`` at its natural width, on the left under the fields."""
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    form.addRow("", row)


def _form(parent: QWidget) -> QFormLayout:
    form = QFormLayout(parent)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setFormAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(16)
    form.setVerticalSpacing(10)
    return form


def _app() -> QApplication:
    """The running application (the settings page exists only inside one)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the settings page needs a QApplication")
    return app


def _retheme(app: QApplication, value: str) -> None:
    theme.apply_theme(app, value)
    for widget in app.topLevelWidgets():
        rebuild = getattr(widget, "rebuild_pages", None)
        if callable(rebuild):
            rebuild()
