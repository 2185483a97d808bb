"""Font lookup for official documents (公文) and the UI — no Qt here.

GB/T 9704-2012 names proprietary faces (仿宋_GB2312, 方正小标宋, 黑体, 楷体_GB2312, 宋体).
When a machine has them installed (Windows desktops in government usually do) and they
are TrueType, they are used; otherwise the TrueType stand-ins bundled in
``resources/fonts`` are (see its README for licences and how they were built).

Roles: ``fangsong`` (正文), ``xiaobiaosong`` (标题, 发文机关标志), ``heiti`` (一级标题,
紧急程度), ``kaiti`` (二级标题, 签发人姓名), ``songti`` (页码), ``ui`` (the client's font),
``songti_ext`` (regular 宋体 for characters the 仿宋/楷体/宋体 faces lack: GB 18030
hanzi beyond GB2312, Extension A, name characters from Extension B; always bundled).

Set ``OFFICE_BUNDLED_FONTS_ONLY=1`` to ignore system fonts (reproducible output, tests).

Thread-safety: every function may be called from any thread; lookups are cached and
:func:`register_reportlab_fonts` is idempotent and guarded by a lock.
"""

from __future__ import annotations

import functools
import os
import shutil
import struct
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

ROLES = ("fangsong", "xiaobiaosong", "heiti", "kaiti", "songti", "ui", "songti_ext")


@dataclass(frozen=True)
class FontFace:
    """One usable TrueType face: file, index inside a .ttc, and where it came from."""

    role: str
    path: Path
    subfont_index: int = 0
    system: bool = False


#: Bundled stand-ins: role -> (file name, index in collection).
_BUNDLED: dict[str, tuple[str, int]] = {
    "fangsong": ("fangsong.ttf", 0),
    "xiaobiaosong": ("xiaobiaosong.ttf", 0),
    "heiti": ("wqy-microhei.ttc", 0),
    "kaiti": ("gkai00mp.ttf", 0),
    "songti": ("gbsn00lp.ttf", 0),
    "ui": ("wqy-microhei.ttc", 0),
    "songti_ext": ("songti_ext.ttf", 0),
}

#: Family names fontconfig may know the government fonts by, best first.
_SYSTEM_FAMILIES: dict[str, tuple[str, ...]] = {
    "fangsong": ("仿宋_GB2312", "FangSong_GB2312", "FangSong", "仿宋"),
    "xiaobiaosong": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05"),
    "heiti": ("SimHei", "黑体"),
    "kaiti": ("楷体_GB2312", "KaiTi_GB2312", "KaiTi", "楷体"),
    "songti": ("SimSun", "宋体"),
    "ui": (),
    "songti_ext": (),
}

#: File names of the same fonts in a Windows font folder.
_WINDOWS_FILES: dict[str, tuple[str, ...]] = {
    "fangsong": ("仿宋_GB2312.ttf", "FS_GB2312.ttf", "simfang.ttf"),
    "xiaobiaosong": ("方正小标宋简体.ttf", "FZXBSJW.TTF", "FZXBSK.TTF"),
    "heiti": ("simhei.ttf",),
    "kaiti": ("楷体_GB2312.ttf", "KT_GB2312.ttf", "simkai.ttf"),
    "songti": ("simsun.ttc",),
    "ui": (),
    "songti_ext": (),
}


def _bundled_only() -> bool:
    return os.environ.get("OFFICE_BUNDLED_FONTS_ONLY", "") not in ("", "0", "false", "no")


def is_truetype(path: Path, index: int = 0) -> bool:
    """True when the face at ``path`` (``index`` in a collection) has TrueType outlines."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
            if head[:4] == b"ttcf":
                fh.seek(12 + 4 * index)
                offset = int.from_bytes(fh.read(4), "big")
                fh.seek(offset)
                head = fh.read(4)
    except OSError:
        return False
    return head[:4] in (b"\x00\x01\x00\x00", b"true")


def _fc_match(family: str) -> tuple[Path, int] | None:
    exe = shutil.which("fc-match")
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{family}\t%{file}\t%{index}", family],
            capture_output=True, text=True, timeout=10, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    parts = out.split("\t")
    if len(parts) != 3:
        return None
    families = [f.strip().lower() for f in parts[0].split(",")]
    if family.lower() not in families:  # fontconfig substituted something else
        return None
    try:
        return Path(parts[1]), int(parts[2] or 0)
    except ValueError:
        return None


def _windows_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return [d for d in dirs if d.is_dir()]


def _system_face(role: str) -> FontFace | None:
    for family in _SYSTEM_FAMILIES[role]:
        hit = _fc_match(family)
        if hit and hit[0].is_file() and is_truetype(*hit):
            return FontFace(role, hit[0], hit[1], system=True)
    for folder in _windows_dirs():
        for name in _WINDOWS_FILES[role]:
            p = folder / name
            if p.is_file() and is_truetype(p, 0):
                return FontFace(role, p, 0, system=True)
    return None


@functools.cache
def _face(role: str, bundled_only: bool) -> FontFace:
    if role not in ROLES:
        raise ValueError(f"unknown font role {role!r}; expected one of {ROLES}")
    if not bundled_only:
        found = _system_face(role)
        if found is not None:
            return found
    name, index = _BUNDLED[role]
    return FontFace(role, FONT_DIR / name, index, system=False)


def font_face(role: str) -> FontFace:
    """The face used for ``role``: a TrueType government font if installed, else bundled."""
    return _face(role, _bundled_only())


def font_path(role: str) -> Path:
    """Path of the font file for ``role`` (see :func:`font_face` for the .ttc index)."""
    return font_face(role).path


def ui_font_files() -> list[Path]:
    """Font files the UI should load (CJK-capable, bundled so boxes never appear)."""
    files = [FONT_DIR / _BUNDLED["ui"][0]]
    return [p for p in files if p.is_file()]


#: ReportLab font names per role, as registered by :func:`register_reportlab_fonts`.
REPORTLAB_NAMES: dict[str, str] = {
    "fangsong": "GW-FangSong",
    "xiaobiaosong": "GW-XiaoBiaoSong",
    "heiti": "GW-HeiTi",
    "kaiti": "GW-KaiTi",
    "songti": "GW-SongTi",
    "ui": "GW-UI",
    "songti_ext": "GW-SongTiExt",
}

_register_lock = threading.Lock()
_registered: dict[str, str] = {}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond the BMP (Extension B names
    such as 𠮷) written as UTF-16 surrogate pairs, as PDF requires; ReportLab writes
    the bare code point, which readers and text extraction misread."""

    def utf16(cp: int) -> str:
        return chr(cp).encode("utf-16-be", "surrogatepass").hex().upper()

    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(lines)


def register_reportlab_fonts() -> dict[str, str]:
    """Register one embeddable TrueType font per role with ReportLab (idempotent).

    Returns ``{role: reportlab font name}``. Safe to call from several threads.
    """
    with _register_lock:
        if _registered:
            return dict(_registered)
        from reportlab.pdfbase import pdfmetrics, ttfonts
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        ttfonts.makeToUnicodeCMap = _to_unicode_cmap

        names: dict[str, str] = {}
        for role in ROLES:
            face = font_face(role)
            name = REPORTLAB_NAMES[role]
            try:
                pdfmetrics.getFont(name)
            except KeyError:
                try:
                    font = TTFont(name, str(face.path), subfontIndex=face.subfont_index)
                except (TTFError, KeyError, ValueError, IndexError, OSError, struct.error):
                    # An installed font ReportLab cannot read (malformed tables) or may
                    # not embed (licence bits).
                    if not face.system:
                        raise
                    file_name, index = _BUNDLED[role]
                    font = TTFont(name, str(FONT_DIR / file_name), subfontIndex=index)
                pdfmetrics.registerFont(font)
            names[role] = name
        _registered.update(names)
        return dict(names)
