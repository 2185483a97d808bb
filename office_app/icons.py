"""Vector icons drawn for the product (resources/icons/*.svg, 24×24, stroke currentColor).

``icon(name)`` renders the SVG in the current theme's text colour (or ``color``) at
several sizes, so icons stay crisp on high-DPI screens and follow light/dark themes.
SVG sources are read once and cached; call from the GUI thread only.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from office_app.paths import ICONS

_SIZES = (16, 20, 24, 32, 48, 64)
_icons: dict[tuple[str, str], QIcon] = {}


@cache
def _source(name: str) -> str:
    path = ICONS / f"{name}.svg"
    if not path.is_file():
        raise KeyError(f"no icon named {name!r} in {ICONS}")
    return path.read_text(encoding="utf-8")


def preload() -> int:
    """Read every bundled SVG now (at start-up), so later use never touches the disk."""
    names = available()
    for name in names:
        _source(name)
    return len(names)


def available() -> list[str]:
    """Names of the bundled icons."""
    return sorted(p.stem for p in ICONS.glob("*.svg"))


def pixmap(name: str, size: int, color: str | None = None, dpr: float = 1.0) -> QPixmap:
    """Render one icon at ``size`` logical pixels and device pixel ratio ``dpr``."""
    from office_app import theme

    tint = color or theme.colors()["text"]
    data = _source(name).replace("currentColor", tint)
    renderer = QSvgRenderer(QByteArray(data.encode("utf-8")))
    px = max(1, round(size * dpr))
    image = QImage(px, px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, px, px))
    painter.end()
    result = QPixmap.fromImage(image)
    result.setDevicePixelRatio(dpr)
    return result


def icon(name: str, color: str | None = None) -> QIcon:
    """A QIcon for ``name`` tinted with ``color`` (default: the theme's text colour)."""
    from office_app import theme

    key = (name, color or theme.colors()["text"])
    found = _icons.get(key)
    if found is not None:
        return found
    result = QIcon()
    for size in _SIZES:
        result.addPixmap(pixmap(name, size, key[1]), QIcon.Mode.Normal)
        result.addPixmap(pixmap(name, size, key[1], 2.0), QIcon.Mode.Normal)
    _icons[key] = result
    return result


def nav_icon(name: str) -> QIcon:
    """Icon for a checkable navigation button: muted when off, accent when on."""
    from office_app import theme

    c = theme.colors()
    key = (name, f"nav:{c['muted']}:{c['accent']}")
    found = _icons.get(key)
    if found is not None:
        return found  # the sidebar and the phone tab bar show the same icons
    result = QIcon()
    for size in (20, 24, 28):
        for dpr in (1.0, 2.0):
            result.addPixmap(pixmap(name, size, c["muted"], dpr), QIcon.Mode.Normal,
                             QIcon.State.Off)
            result.addPixmap(pixmap(name, size, c["accent"], dpr), QIcon.Mode.Normal,
                             QIcon.State.On)
    _icons[key] = result
    return result


def clear_cache() -> None:
    """Forget rendered icons (after a theme change)."""
    _icons.clear()


ICON_SIZE = QSize(20, 20)
