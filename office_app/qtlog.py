"""Route Qt's own warnings and messages into :mod:`logging` (logger ``qt``).

Installed by the application at start-up so Qt's complaints land in the log file with
everything else; every test fails on any Qt warning (qt_log_level_fail in pyproject.toml).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    where = ""
    if context is not None and context.file:
        where = f" ({context.file}:{context.line})"
    log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", message, where)


def install() -> object:
    """Install the handler; returns the previous one (pass it to ``restore``)."""
    return qInstallMessageHandler(_handler)


def restore(previous: object) -> None:
    """Put back the handler that ``install`` replaced."""
    qInstallMessageHandler(previous)  # type: ignore[arg-type]
