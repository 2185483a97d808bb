"""Text recognition (OCR) of one page image with rapidocr (the optional ``[ocr]`` extra).

The engine — PP-OCRv6 detection and recognition models bundled in the rapidocr 3.10.0
wheel, run by onnxruntime — is loaded once per process, lazily, on the first call
(about 4 s), under a lock; calls are serialised by the same lock (one page at a time
uses both cores already). Nothing is downloaded: the models ship in the wheel.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from modules.documents.intake.errors import OcrNotInstalled
from modules.documents.intake.model import Box, Line

#: The import names the OCR path needs, with the pip name of each.
REQUIRED: tuple[tuple[str, str], ...] = (
    ("rapidocr", "rapidocr==3.10.0"),
    ("onnxruntime", "onnxruntime"),
    ("cv2", "opencv-python-headless"),
    ("numpy", "numpy"),
)

_lock = threading.Lock()
_engine: Any = None
_loads = 0


def missing() -> list[str]:
    """pip names of the OCR packages that cannot be imported (empty when OCR works)."""
    absent = []
    for mod, pip in REQUIRED:
        try:
            importlib.import_module(mod)
        except ImportError:
            absent.append(pip)
    return absent


def available() -> bool:
    """True when images and scans can be read."""
    return not missing()


def require() -> None:
    """Raise :class:`OcrNotInstalled` (saying how to enable it) unless OCR is available."""
    absent = missing()
    if absent:
        raise OcrNotInstalled(", ".join(absent))


def _load() -> Any:
    global _engine, _loads
    if _engine is None:
        require()
        from rapidocr import RapidOCR

        _engine = RapidOCR(params={"Global.log_level": "warning"})
        _loads += 1
    return _engine


def engine() -> Any:
    """The process's engine, loaded on first use (thread-safe)."""
    with _lock:
        return _load()


def load_count() -> int:
    """How many times this process loaded the models (1 after any OCR; for tests/bench)."""
    return _loads


def reset() -> None:
    """Forget the loaded engine (the benchmark measures loading per call with it)."""
    global _engine
    with _lock:
        _engine = None


def recognise(image: Any, page: int) -> list[Line]:
    """Recognise the text of ``image`` (an RGB or grey numpy array, or a PIL image):
    one :class:`Line` per detected text line, boxes axis-aligned in the image's
    pixels, in the engine's order (roughly top to bottom)."""
    with _lock:
        eng = _load()
        out = eng(image)
    boxes = getattr(out, "boxes", None)
    txts = getattr(out, "txts", None) or ()
    scores = getattr(out, "scores", None) or ()
    if boxes is None:
        return []
    lines: list[Line] = []
    for quad, text, score in zip(boxes, txts, scores, strict=False):
        xs = [float(p[0]) for p in quad]
        ys = [float(p[1]) for p in quad]
        text = str(text).strip()
        if text:
            lines.append(Line(text, float(score), Box(page, min(xs), min(ys), max(xs), max(ys))))
    return lines
