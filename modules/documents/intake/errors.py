"""The expected failures of intake (收文录入), with their words in zh_CN and en.

Every error the reader raises on bad input is one of these (or the shared
:class:`~modules.common.errors.ClassifiedRefused` for a 密级 marking); anything else
is a bug.
"""

from __future__ import annotations

from modules.common import messages
from modules.common.errors import DomainError, ValidationFailed

#: How to enable OCR, shown verbatim in the message (the project's optional extra).
ENABLE_OCR = 'pip install -e ".[ocr]"'

MESSAGES: dict[str, dict[str, str]] = {
    "intake.ocr_missing": {
        "zh_CN": "读取扫描件或照片需要文字识别（OCR）组件，本机尚未安装。"
                 "请在程序目录执行：.venv/bin/python -m pip install -e \".[ocr]\"（约 230 MB），"
                 "然后重新打开程序。Word（.docx）、OFD 和带文字层的 PDF 无需 OCR 即可读取。"
                 "（缺少：{missing}）",
        "en": "Reading scans and photos needs the OCR component, which is not installed. "
              "In the program folder run: .venv/bin/python -m pip install -e \".[ocr]\" "
              "(about 230 MB), then restart. Word (.docx), OFD and PDFs with a text layer "
              "are read without OCR. (missing: {missing})",
    },
    "intake.unreadable": {
        "zh_CN": "无法读取文件“{name}”：{reason}",
        "en": "The file '{name}' cannot be read: {reason_en}",
    },
    "intake.unsupported": {
        "zh_CN": "不支持的文件类型“{name}”。可录入 PDF、JPEG/PNG/TIFF 图片、Word（.docx）和 OFD 文件。",
        "en": "Unsupported file type '{name}'. Intake reads PDF, JPEG/PNG/TIFF images, Word (.docx) and OFD files.",
    },
    "intake.cancelled": {
        "zh_CN": "已取消读取（已读 {done}/{total} 页）。",
        "en": "Reading was cancelled ({done} of {total} pages read).",
    },
    "intake.empty": {
        "zh_CN": "文件“{name}”中没有可识别的文字。",
        "en": "No text could be read in '{name}'.",
    },
}
messages.register(MESSAGES)


class OcrNotInstalled(DomainError):
    """The file needs OCR and the ``[ocr]`` extra (rapidocr, onnxruntime, OpenCV) is absent."""

    http_status = 503

    def __init__(self, missing: str) -> None:
        super().__init__("intake.ocr_missing", missing=missing)


class UnreadableFile(ValidationFailed):
    """The file has a supported type but is damaged, empty or encrypted."""

    def __init__(self, name: str, reason: str, reason_en: str = "") -> None:
        super().__init__("intake.unreadable", name=name, reason=reason,
                         reason_en=reason_en or reason)


class UnsupportedFile(ValidationFailed):
    """Not a PDF, image, .docx or .ofd."""

    def __init__(self, name: str) -> None:
        super().__init__("intake.unsupported", name=name)


class NoText(ValidationFailed):
    """Nothing could be read: a blank page, a picture without print, handwriting only."""

    def __init__(self, name: str) -> None:
        super().__init__("intake.empty", name=name)


class IntakeCancelled(DomainError):
    """The caller's ``cancelled()`` said stop; raised between pages or steps."""

    def __init__(self, done: int = 0, total: int = 0) -> None:
        super().__init__("intake.cancelled", done=done, total=total)
