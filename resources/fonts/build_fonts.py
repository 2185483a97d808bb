"""Build the bundled 仿宋 (FangSong) and 小标宋 (XiaoBiaoSong) stand-ins as TrueType fonts.

ReportLab embeds TrueType (``glyf``) fonts only, while the open fonts closest to the
GB/T 9704 faces ship with CFF (PostScript) outlines. This script

1. subsets each source font to what official documents use: the 6763 GB2312 hanzi, the
   GB2312 symbol rows (CJK punctuation, full-width forms, numbered list marks), ASCII and
   a short list of common characters outside GB2312 found in personal and place names;
2. converts the cubic CFF outlines to quadratic TrueType outlines (fontTools ``cu2qu``);
3. renames the family (both licences ask that a modified font not pose as the original);
4. writes ``fangsong.ttf`` and ``xiaobiaosong.ttf`` next to this script.

Sources (Debian 12):

* 仿宋: ``FandolFang-Regular.otf`` from ``texlive-lang-chinese`` (GPL-3 + font exception).
  Get it without installing: ``apt-get download texlive-lang-chinese && dpkg -x *.deb x``.
* 小标宋: ``NotoSerifCJK-Bold.ttc`` face "Noto Serif CJK SC" from ``fonts-noto-cjk`` (OFL-1.1).

Usage::

    python resources/fonts/build_fonts.py --fandol PATH/FandolFang-Regular.otf \\
        [--noto /usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc]

The output is deterministic for the same inputs and fontTools version (timestamps are
pinned), so rebuilding gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
DEFAULT_NOTO = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc")
DEFAULT_NOTO_REGULAR = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
DEFAULT_FANDOL = Path(
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf"
)

#: Characters outside GB2312 that turn up in names of people and places in documents.
EXTRA_CHARS = "镕堃喆赟昇玥珺琨瑨璟昀晟旻祎祯禛淏浛溍垚鑫焱犇骉琪玮珉喆蔺阚邝隽"

#: Font-unit tolerance for the cubic→quadratic approximation (1000 units per em).
MAX_ERR = 1.0

#: Looser for the fallback (rare characters, 20 000 glyphs): keeps the file small.
FALLBACK_MAX_ERR = 2.5

#: Pinned timestamps (seconds since 1904-01-01) so builds are reproducible.
FIXED_TIMESTAMP = 3_786_825_600  # 2024-01-01


def official_charset() -> set[int]:
    """Code points an official document needs: GB2312 (all rows), ASCII, extras."""
    cps: set[int] = set(range(0x20, 0x7F))
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            cps.add(ord(ch))
    cps.update(range(0x3000, 0x3040))  # CJK symbols and punctuation
    cps.update(range(0xFF01, 0xFF5F))  # full-width forms
    cps.update(ord(c) for c in "—–…‘’“”·•※〇№℃×÷±≤≥≠")
    cps.update(range(0x2460, 0x2474))  # ①..⑳
    cps.update(range(0x2474, 0x2488))  # ⑴..⒇
    cps.update(ord(c) for c in EXTRA_CHARS)
    return cps


#: Characters beyond the CJK basic block and Extension A that the fallback must have:
#: Extension B ideographs seen in personal names (GB 18030-2022 implementation level 1
#: lists such characters from 《通用规范汉字表》).
EXTRA_FALLBACK = "𠮷𡒄𨱏𬌗𬇕𬣙𬇹𬍛𬘬𬳵𬸚𬶋𬭚𬬹𬍤𬀩𬀪𬞟𬘡𬟽𬳽𬘘𬎆𬂩𬭤𬮿𬶍𫖯𫘝𫘦𫛭𫟼𫠆𫭟𫵷𫷷𫶇"


def fallback_charset(covered: set[int]) -> set[int]:
    """Code points for the 宋体 fallback (``songti_ext.ttf``): GB 18030's hanzi in the
    BMP (CJK Unified Ideographs and Extension A), GBK symbols, :data:`EXTRA_FALLBACK`,
    less what the body font ``covered`` already draws."""
    cps: set[int] = set(range(0x4E00, 0xA000)) | set(range(0x3400, 0x4DC0))
    for hi in range(0x81, 0xFF):
        for lo in range(0x40, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gbk")
            except UnicodeDecodeError:
                continue
            cps.add(ord(ch))
    cps.update(ord(c) for c in EXTRA_FALLBACK)
    cps.update(range(0x20, 0x7F))  # keeps the font usable on its own
    return cps - (covered - set(range(0x20, 0x7F)))


def _load(path: Path, family_contains: str | None) -> TTFont:
    if path.suffix.lower() == ".ttc":
        coll = TTCollection(str(path), lazy=False)
        for font in coll.fonts:
            if family_contains and family_contains in (font["name"].getDebugName(1) or ""):
                return font
        raise SystemExit(f"{path}: no face whose family contains {family_contains!r}")
    return TTFont(str(path), lazy=False)


def _subset(font: TTFont, cps: set[int]) -> None:
    options = subset.Options()
    options.layout_features = ["vert", "vrt2", "kern", "palt", "halt", "locl"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.hinting = False
    options.desubroutinize = True
    sub = subset.Subsetter(options)
    sub.populate(unicodes=sorted(cps))
    sub.subset(font)


def _cff_to_glyf(font: TTFont, max_err: float = MAX_ERR) -> None:
    """Replace the CFF table with quadratic ``glyf`` outlines (in place)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        tt_pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise; TrueType wants clockwise outer contours.
        cu2qu_pen = Cu2QuPen(tt_pen, max_err, reverse_direction=True)
        glyph_set[name].draw(cu2qu_pen)
        glyphs[name] = tt_pen.glyph()

    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
        "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentElements = 0
    maxp.maxComponentDepth = 0
    maxp.numGlyphs = len(glyph_order)
    font["maxp"] = maxp

    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller, and ReportLab does not need them
    post.extraNames = []
    post.mapping = {}

    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def _rename(font: TTFont, family: str, ps_name: str, note: str) -> None:
    name = font["name"]
    keep = {0, 7, 8, 9, 11, 12, 13, 14}
    name.names = [r for r in name.names if r.nameID in keep]
    for pid, eid, lid in ((3, 1, 0x409), (1, 0, 0)):
        name.setName(family, 1, pid, eid, lid)
        name.setName("Regular", 2, pid, eid, lid)
        name.setName(f"{family} Regular", 4, pid, eid, lid)
        name.setName(f"{family};{note}", 3, pid, eid, lid)
        name.setName("Version 1.0", 5, pid, eid, lid)
        name.setName(ps_name, 6, pid, eid, lid)
    name.setName(note, 10, 3, 1, 0x409)


def _finish(font: TTFont) -> None:
    font["head"].created = FIXED_TIMESTAMP
    font["head"].modified = FIXED_TIMESTAMP
    # fsType 0 = installable embedding: PDFs must be able to embed the font.
    font["OS/2"].fsType = 0
    font["OS/2"].usWeightClass = 400
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b0100001) | 0b1000000
    font["head"].macStyle = 0


def build(src: Path, family_contains: str | None, out: Path, family: str, ps: str,
          note: str, cps: set[int] | None = None, max_err: float = MAX_ERR) -> Path:
    """Subset, convert and rename ``src`` into ``out``; returns ``out``."""
    font = _load(src, family_contains)
    _subset(font, official_charset() if cps is None else cps)
    _cff_to_glyf(font, max_err)
    _rename(font, family, ps, note)
    _finish(font)
    font.recalcTimestamp = False  # keep FIXED_TIMESTAMP: reproducible bytes
    font.save(str(out), reorderTables=True)  # bounding boxes and maxp recomputed here
    return out


def build_fallback(noto_regular: Path, out_dir: Path) -> Path:
    """``songti_ext.ttf``: Noto Serif CJK SC Regular for what ``fangsong.ttf`` lacks."""
    with TTFont(str(out_dir / "fangsong.ttf"), lazy=True) as body:
        covered = set(body.getBestCmap())
    return build(noto_regular, "SC", out_dir / "songti_ext.ttf", "Office SongTi Ext",
                 "OfficeSongTiExt-Regular",
                 "Derived from Noto Serif CJK SC Regular (SIL OFL 1.1): subset, TrueType outlines",
                 cps=fallback_charset(covered), max_err=FALLBACK_MAX_ERR)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fandol", type=Path, default=DEFAULT_FANDOL)
    ap.add_argument("--noto", type=Path, default=DEFAULT_NOTO)
    ap.add_argument("--noto-regular", type=Path, default=DEFAULT_NOTO_REGULAR)
    ap.add_argument("--out", type=Path, default=HERE)
    ap.add_argument("--only-fallback", action="store_true",
                    help="rebuild songti_ext.ttf only (from the fangsong.ttf in --out)")
    args = ap.parse_args(argv)
    if args.only_fallback:
        p = build_fallback(args.noto_regular, args.out)
        print(f"{p}: {p.stat().st_size / 1e6:.1f} MB")
        return 0
    for p in (args.fandol, args.noto, args.noto_regular):
        if not p.exists():
            print(f"missing source font: {p}", file=sys.stderr)
            return 2
    made = [
        build(args.fandol, None, args.out / "fangsong.ttf", "Office FangSong",
              "OfficeFangSong-Regular",
              "Derived from FandolFang Regular (GPL-3 with font exception): subset, TrueType outlines"),
        build(args.noto, "SC", args.out / "xiaobiaosong.ttf", "Office XiaoBiaoSong",
              "OfficeXiaoBiaoSong-Regular",
              "Derived from Noto Serif CJK SC Bold (SIL OFL 1.1): subset, TrueType outlines"),
    ]
    made.append(build_fallback(args.noto_regular, args.out))
    for p in made:
        print(f"{p}: {p.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
