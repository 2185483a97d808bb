"""Warm, in the background, what the first PDF and the first name search would wait for.

The client imports its PDF, signing and pinyin libraries only when first needed, so it
starts quickly. Two of them are slow the first time: ReportLab parses the documents'
TrueType fonts (1–3 s, ``modules.common.fonts.register_reportlab_fonts``) and pypinyin
loads its dictionaries (~0.5 s). :func:`warm_up` queues both once per process on the
task runner (:mod:`office_app.tasks`); the shell calls it after the main window has
painted with its data, so neither the first paint nor the first PDF waits.
"""

from __future__ import annotations

import logging

from office_app.tasks import Task, run_in_background

log = logging.getLogger(__name__)

_task: Task | None = None


def warm() -> list[str]:
    """Register the PDF fonts and load the pinyin dictionaries (blocking; off the GUI
    thread). Returns what was warmed."""
    from modules.common.fonts import register_reportlab_fonts
    from modules.directory.pinyin import full_pinyin

    done = [f"font:{name}" for name in sorted(register_reportlab_fonts().values())]
    full_pinyin("张伟")
    done.append("pinyin")
    return done


def _failed(exc: BaseException) -> None:
    log.warning("warming the PDF fonts failed: %s", exc)  # the first PDF retries


def warm_up() -> Task:
    """Queue :func:`warm` on the task runner, once per process; returns its task."""
    global _task
    if _task is None:
        _task = run_in_background(warm, None, _failed)
    return _task


__all__ = ["warm", "warm_up"]
