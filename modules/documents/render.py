"""GB/T 9704-2012 PDF renderer for official documents (公文).

Pure module (ReportLab only; no Qt, no HTTP, no database). Thread-safe: every call builds
its own canvas; fonts are registered once under a lock.

Geometry (all from GB/T 9704-2012): A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm,
22 lines × 28 characters of 3号 (16 pt) 仿宋 on a real character grid. Text is laid out
by this module (not by ReportLab paragraphs) so that every character sits in its grid
cell: full-width characters take one cell, runs of half-width characters (digits, Latin)
take whole half-cells and are centred in them.

Coordinates in :class:`RenderResult` are PDF points with the origin at the bottom-left
of the page (ReportLab / PDF convention); pages are numbered from 1.
"""

from __future__ import annotations

import io
import logging
import math
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color, black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen import canvas

from modules.common import messages
from modules.common.china_time import china_today
from modules.common.fonts import register_reportlab_fonts
from modules.documents.rules import (
    DocumentSpec,
    Paragraph,
    format_cn_date,
    parse_spec,
    problems,
    signers_line,
)

# --------------------------------------------------------------------------- geometry

MM = 72.0 / 25.4
PAGE_W = 210 * MM
PAGE_H = 297 * MM
LEFT = 28 * MM  # 订口
TOP = 37 * MM  # 天头
BODY_W = 156 * MM  # 版心 width
BODY_H = 225 * MM  # 版心 height
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_H = BODY_H / LINES_PER_PAGE  # ≈ 28.99 pt
CELL = BODY_W / CHARS_PER_LINE  # ≈ 15.79 pt
HALF = CELL / 2

SIZE_2 = 22.0  # 2号
SIZE_3 = 16.0  # 3号
SIZE_4 = 14.0  # 4号

#: Top of the ideographic em box above the baseline, in em (CJK fonts: 0.88 / -0.12).
EM_TOP = 0.88

MARK_TOP = 35 * MM  # 发文机关标志 top edge below the 版心 top
ORDER_MARK_TOP = 20 * MM  # 命令格式
LETTER_MARK_TOP_FROM_PAGE = 30 * MM  # 信函格式: from the page top
LETTER_LINE_LEN = 170 * MM
RED_LINE_GAP = 4 * MM  # red line below the 发文字号
RED_LINE_WIDTH = 1.0  # pt (practice)
SEAL_DIAMETER = 42 * MM  # usual size of a body's seal
PAGE_NUMBER_GAP = 7 * MM  # 一字线 below the 版心
RED = Color(0.9, 0.0, 0.0)
DOUBLE_LINE = (2.0, 0.6, 1.2)  # 信函格式: thick, thin, gap (pt; practice)
DOUBLE_LINE_H = sum(DOUBLE_LINE)

MARK_HEIGHT = 18 * MM  # em height of the 发文机关标志 (size chosen by the body; practice)
#: The 标志's size is the issuing body's choice: it is scaled within these bounds so that
#: the 主体 below the 版头 starts on a line of the page grid (as on later pages).
MARK_SCALE_RANGE = (0.72, 1.22)
MARK_MAX_CHAR_W = 15 * MM  # GB/T 9704-1999 limit kept as practice: ≤ 22 × 15 mm

# Line-breaking classes (禁则).
CLOSING = set("，。、；：？！）》」』】〕〉”’％‰℃,.;:?!)]}>·")
OPENING = set("（《「『【〔〈“‘([{<")
GLUED = set("—…")  # ——, …… never split


def baseline_from_top(slot: float, size: float) -> float:
    """Baseline distance from the page top for grid line ``slot`` (0-based) at ``size``.

    The em box is centred in the line's cell.
    """
    return TOP + (slot + 0.5) * LINE_H + (EM_TOP - 0.5) * size


messages.register({
    "document.missing_glyphs": {
        "zh_CN": "以下字符没有可用字体，将显示为方框：{chars}",
        "en": "No font can draw these characters; they will show as boxes: {chars}",
    },
})

# --------------------------------------------------------------------------- result


@dataclass
class RenderResult:
    """A rendered document.

    ``seal_anchor``: ``(page, x, y, w, h)`` — the square where the issuing body's seal
    goes (GB/T 9704 7.3.5.1: upright, centred on 署名/成文日期, which sit just below its
    centre), PDF points, origin bottom-left; ``None`` when the document is not sealed.
    ``elements`` records where things were put (same units) for tests and the e-seal
    and archive modules.
    """

    pdf: bytes
    pages: int
    seal_anchor: tuple[int, float, float, float, float] | None = None
    elements: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: One square per issuing body, lead body first (联合行文); ``[seal_anchor]`` otherwise.
    seal_anchors: list[tuple[int, float, float, float, float]] = field(default_factory=list)


# --------------------------------------------------------------------------- fonts

_font_lock = threading.Lock()
_fonts: dict[str, str] = {}
_cmaps: dict[str, set[int]] = {}


def _tt_face(name: str) -> TTFontFace:
    """The TrueType face of a registered font (modules.common.fonts registers TTFonts)."""
    font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)
    return font.face


def _ensure_fonts() -> dict[str, str]:
    with _font_lock:
        if not _fonts:
            _fonts.update(register_reportlab_fonts())
            for name in _fonts.values():
                face = _tt_face(name)
                _cmaps[name] = set(face.charToGlyph.keys())
        return _fonts


def _covers(font: str, ch: str) -> bool:
    return ord(ch) in _cmaps[font]


#: Where a character the text's face lacks is looked up, in order: a regular 宋体 of
#: wide coverage first, so a 仿宋 line stays light and serif; 黑体 last (it is only
#: the right style where the text itself is 黑体, and then it is the text's own face).
FALLBACK_ROLES = ("songti_ext", "songti", "kaiti", "fangsong", "heiti")


def _fallback(font: str, ch: str) -> str:
    """``font`` if it has ``ch``, else the first face of :data:`FALLBACK_ROLES` that has it."""
    if _covers(font, ch):
        return font
    for role in FALLBACK_ROLES:
        name = _fonts[role]
        if _covers(name, ch):
            return name
    return font


# --------------------------------------------------------------------------- tokens


def _is_wide(ch: str) -> bool:
    if ch in "“”‘’—…·":
        return True
    return unicodedata.east_asian_width(ch) in ("W", "F")


@dataclass
class Tok:
    text: str
    font: str
    units: int  # half-cells
    size: float
    wide: bool
    closing: bool = False
    opening: bool = False
    #: Points taken from the blank half of a full-width mark (标点挤压); the glyph keeps
    #: its size and its inked half, so it still reads as Chinese punctuation.
    shrink: float = 0.0


#: Full-width marks whose ink sits in the left / right half of the em (Simplified
#: Chinese fonts): their other half is blank and can be compressed (clreq 3.1.6).
SQUEEZE_LEFT = set("，。、；：”’）》」』】〕〉")
SQUEEZE_RIGHT = set("“‘（《「『【〔〈")
PUNCT = SQUEEZE_LEFT | SQUEEZE_RIGHT | set("！？")


def _squeezable(t: Tok) -> bool:
    return (t.wide and len(t.text) == 1 and t.units == 2
            and (t.text in SQUEEZE_LEFT or t.text in SQUEEZE_RIGHT))


def _squeeze_room(t: Tok, half: float) -> float:
    """Most a mark may give up: it keeps at least half an em of advance."""
    return max(0.0, 2 * half - 0.5 * t.size) if _squeezable(t) else 0.0


def _adjacent_punct(toks: list[Tok], k: int) -> bool:
    """True when the blank half of ``toks[k]`` touches another mark (e.g. "），", "，“")."""
    t = toks[k]
    if t.text in SQUEEZE_LEFT:
        return k + 1 < len(toks) and toks[k + 1].text[:1] in PUNCT
    return toks[k - 1].text[-1:] in PUNCT


def _compress(toks: list[Tok], start: int, end: int, need: float, half: float) -> bool:
    """Take ``need`` points from the blank halves of the marks in ``toks[start:end]``
    (never the line's last token, whose box would then leave the 版心): marks next to
    another mark first, each down to half an em; the rest spread evenly over the other
    marks, so no single comma shrinks to an ASCII look. False (nothing changed) when the
    marks cannot give that much."""
    # An opening mark first on the line would be pushed out of the 版心 to the left.
    idx = [k for k in range(start, end - 1) if _squeezable(toks[k])
           and not (k == start and toks[k].text in SQUEEZE_RIGHT)]
    pairs = [k for k in idx if _adjacent_punct(toks, k)]
    lone = [k for k in idx if k not in pairs]
    room = {k: _squeeze_room(toks[k], half) for k in idx}
    if sum(room.values()) + 1e-6 < need:
        return False
    take: dict[int, float] = {}
    for k in pairs:
        take[k] = min(room[k], need - sum(take.values()))
    rest = need - sum(take.values())
    pool = sorted(lone, key=lambda k: room[k])
    while rest > 1e-9 and pool:
        share = rest / len(pool)
        k = pool.pop(0)
        take[k] = min(room[k], share)
        rest -= take[k]
    for k, pts in take.items():
        if pts > 0:
            toks[k].shrink = pts
    return True


def _tokens(runs: Iterable[tuple[str, str]], size: float, half: float) -> list[Tok]:
    """Split ``(text, font)`` runs into grid tokens: one per full-width character (2
    half-cells, or glued ——/……), one per run of half-width characters."""
    out: list[Tok] = []
    for text, font in runs:
        i = 0
        while i < len(text):
            ch = text[i]
            if _is_wide(ch):
                if ch in GLUED:
                    j = i
                    while j < len(text) and text[j] == ch:
                        j += 1
                    piece = text[i:j]
                else:
                    piece, j = ch, i + 1
                f = _fallback(font, ch)
                out.append(Tok(piece, f, 2 * len(piece), size, True,
                               closing=ch in CLOSING or ch in GLUED, opening=ch in OPENING))
                i = j
            else:
                j = i
                while j < len(text) and not _is_wide(text[j]):
                    j += 1
                piece = text[i:j]
                # Break long Latin runs at spaces so they can wrap.
                for word in _split_spaces(piece):
                    f = _fallback(font, word.strip()[:1] or "a")
                    w = pdfmetrics.stringWidth(word, f, size)
                    units = max(1, round(w / half))
                    out.append(Tok(word, f, units, size, False,
                                   closing=word[0] in CLOSING, opening=word[-1] in OPENING))
                i = j
    return out


def _split_spaces(s: str) -> list[str]:
    parts: list[str] = []
    cur = ""
    for ch in s:
        cur += ch
        if ch == " ":
            parts.append(cur)
            cur = ""
    if cur:
        parts.append(cur)
    return parts


@dataclass
class Seg:
    """A piece of text drawn on one line: x from the page left, in points.

    ``origin`` is the left edge of the first grid cell the piece occupies; ``x`` is
    where the glyphs start (centred in their cells).
    """

    x: float
    text: str
    font: str
    size: float
    char_space: float = 0.0
    hscale: float = 100.0
    color: Color = black
    origin: float | None = None
    pitch: float = 0.0  # cell width per character for wide segments, else 0


def _place(toks: list[Tok], x0: float, half: float, extra: float = 0.0) -> list[Seg]:
    """Turn tokens into segments; ``extra`` points are added after every token but the
    last (justification). Consecutive single wide characters of one font and one pitch
    share a segment drawn with character spacing, so each sits in its own cell."""
    segs: list[Seg] = []
    x = x0
    for k, t in enumerate(toks):
        box = t.units * half
        gap = extra if k < len(toks) - 1 else 0.0
        if t.wide and t.shrink:  # compressed mark: the blank half gives way
            adv = pdfmetrics.stringWidth(t.text, t.font, t.size)
            gx = x + (box - adv) / 2 - (t.shrink if t.text in SQUEEZE_RIGHT else 0.0)
            segs.append(Seg(gx, t.text, t.font, t.size, origin=x))
            x += box - t.shrink + gap
            continue
        elif t.wide:
            n = len(t.text)
            cellw = box / n
            adv = pdfmetrics.stringWidth(t.text, t.font, t.size) / n
            pitch = cellw + (gap if n == 1 else 0.0)
            prev = segs[-1] if segs else None
            if (prev is not None and n == 1 and prev.pitch and prev.font == t.font
                    and prev.size == t.size and abs(prev.pitch - pitch) < 1e-6
                    and prev.origin is not None
                    and abs(prev.origin + len(prev.text) * prev.pitch - x) < 1e-6):
                prev.text += t.text
            else:
                segs.append(Seg(x + (cellw - adv) / 2, t.text, t.font, t.size,
                                char_space=cellw - adv if n > 1 else pitch - adv,
                                origin=x, pitch=pitch if n == 1 else 0.0))
        else:
            w = pdfmetrics.stringWidth(t.text, t.font, t.size)
            scale = min(100.0, 100.0 * box / w) if w > 0 else 100.0
            drawn = w * scale / 100.0
            segs.append(Seg(x + (box - drawn) / 2, t.text, t.font, t.size, hscale=scale,
                            origin=x))
        x += box + gap
    return segs


def break_lines(toks: list[Tok], first_units: int, other_units: int,
                half: float = HALF) -> list[tuple[list[Tok], bool]]:
    """Greedy line breaking with 禁则. Returns ``(tokens, justify)`` per line.

    When closing marks would start a line, they are pulled up and the blank halves of
    the line's punctuation are compressed to make room (:func:`_compress`); failing
    that, the last character moves down with them and the short line is justified. A
    line never ends with an opening mark. Nothing leaves the measure.
    """
    lines: list[tuple[list[Tok], bool]] = []
    i = 0
    cap = first_units
    n = len(toks)
    while i < n:
        used = 0
        start = i
        while i < n and used + toks[i].units <= cap:
            used += toks[i].units
            i += 1
        if i < n and i == start:  # one token longer than a line: split it by characters
            t = toks[i]
            keep = max(1, len(t.text) * cap // max(t.units, 1))
            head, tail = t.text[:keep], t.text[keep:]
            toks[i:i + 1] = [
                Tok(head, t.font, max(1, t.units * len(head) // len(t.text)), t.size, t.wide),
                Tok(tail, t.font, max(1, t.units - t.units * len(head) // len(t.text)), t.size, t.wide,
                    closing=t.closing),
            ]
            n = len(toks)
            continue
        end = i
        justify = False
        if end < n and toks[end].closing:
            g = end
            while g < n and toks[g].closing:
                g += 1
            overflow = used + sum(t.units for t in toks[end:g]) - cap
            if overflow > 0 and _compress(toks, start, g, overflow * half, half):
                end = g
            else:
                back = end - 1
                while back > start and toks[back].closing:
                    back -= 1
                if back > start:
                    end = back
                    justify = True
        while end - start > 1 and end < n and toks[end - 1].opening:
            end -= 1
            justify = True
        lines.append((toks[start:end], justify))
        i = end
        cap = other_units
    return lines


def layout_text(runs: list[tuple[str, str]], *, size: float = SIZE_3, first_indent: int = 0,
                indent: int = 0, right_indent: int = 0, x0: float = LEFT,
                cells: int = CHARS_PER_LINE, cell: float = CELL,
                justify_all: bool = True) -> list[list[Seg]]:
    """Lay out runs on the grid: indents in cells; returns segments per line.

    Lines but the last are justified when they fall short of the measure (an odd
    number of half-width characters, or a character moved down by 禁则)."""
    half = cell / 2
    toks = _tokens(runs, size, half)
    first_units = 2 * (cells - first_indent - right_indent)
    other_units = 2 * (cells - indent - right_indent)
    out: list[list[Seg]] = []
    lines = break_lines(toks, first_units, other_units, half)
    for k, (line, justify) in enumerate(lines):
        ind = first_indent if k == 0 else indent
        cap = first_units if k == 0 else other_units
        used = sum(t.units for t in line) * half - sum(t.shrink for t in line)
        extra = 0.0
        # 两端对齐: every line but a paragraph's last fills the measure exactly.
        if ((justify_all or justify) and k < len(lines) - 1 and len(line) > 1
                and used < cap * half - 1e-6):
            extra = (cap * half - used) / (len(line) - 1)
        out.append(_place(line, x0 + ind * cell, half, extra))
    return out or [[]]  # empty text: one empty line, so callers may always take [0]


def text_units(text: str, font: str, size: float = SIZE_3, cell: float = CELL) -> int:
    """Width of ``text`` on the grid, in half-cells."""
    return sum(t.units for t in _tokens([(text, font)], size, cell / 2))


# --------------------------------------------------------------------------- slots


@dataclass
class Slot:
    """One grid line of the flow."""

    segs: list[Seg] = field(default_factory=list)
    keep_next: bool = False
    blank: bool = False
    page_break: bool = False
    tag: str = ""
    size: float = SIZE_3


def _blank(tag: str = "blank") -> Slot:
    return Slot(blank=True, tag=tag)


@dataclass
class Placed:
    page: int  # 1-based
    index: float  # grid line on that page (page 1 may be offset by the header)
    slot: Slot


def paginate(slots: list[Slot], first_start: float) -> list[Placed]:
    """Place slots on pages of 22 lines; the first page starts at line ``first_start``
    (a fraction when the 版头 fixes the title's distance, e.g. two lines below the red
    line), with the same 28.95 pt pitch. Groups linked by ``keep_next`` move to the next
    page together (if they fit on a page); blank slots at the top of a page are dropped.
    """
    placed: list[Placed] = []
    page, idx = 1, first_start
    eps = 1e-6
    i = 0
    while i < len(slots):
        j = i
        while j < len(slots) - 1 and slots[j].keep_next:
            j += 1
        group = slots[i:j + 1]
        if group[0].page_break and placed:
            page, idx = page + 1, 0.0
        if idx + len(group) > LINES_PER_PAGE + eps and len(group) <= LINES_PER_PAGE:
            page, idx = page + 1, 0.0
        for s in group:
            if idx + 1 > LINES_PER_PAGE + eps:
                page, idx = page + 1, 0.0
            if s.blank and idx == 0 and not s.page_break:
                continue
            placed.append(Placed(page, idx, s))
            idx += 1
        i = j + 1
    return placed


# --------------------------------------------------------------------------- helpers


def _seg_center(segs: list[Seg], text: str, font: str, size: float, cx: float) -> list[Seg]:
    w = pdfmetrics.stringWidth(text, font, size)
    return [Seg(cx - w / 2, text, font, size)]


def _title_lines(title: str, font: str, size: float = SIZE_2, max_w: float = BODY_W) -> list[str]:
    """Split a title into centred lines shaped as a trapezoid or diamond, breaking at
    natural boundaries (after 的/和/与/及/、/》, around 关于 …) and never inside Latin runs."""
    title = title.strip()
    width = pdfmetrics.stringWidth(title, font, size)
    if width <= max_w:
        return [title]
    n_lines = math.ceil(width / max_w)
    good_after = set("的和与及、》）”，")
    good_before = set("《（“")

    inside = _inside_word_positions(title)

    def penalty(pos: int) -> float:
        a, b = title[pos - 1], title[pos]
        if b in CLOSING or a in OPENING:
            return 1000.0
        if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
            return 1000.0
        p = 4.0
        if a in good_after or b in good_before:
            p = 0.0
        if title[max(0, pos - 2):pos] == "关于" or title[pos:pos + 2] == "关于":
            p = 0.0
        if title[pos:pos + 3] in ("的通知", "的意见", "的决定", "的报告", "的请示", "的批复", "的函"):
            p = 1.0
        depth = title[:pos].count("《") - title[:pos].count("》")
        if depth > 0:
            p += 6.0
        if pos in inside:
            p += 12.0
        return p

    # Prefix sums of character widths: the width of title[i:j] is prefix[j] - prefix[i].
    prefix = [0.0]
    for ch in title:
        prefix.append(prefix[-1] + pdfmetrics.stringWidth(ch, font, size))

    best: tuple[float, list[str]] | None = None
    positions = range(1, len(title))

    def consider(cuts: tuple[int, ...]) -> None:
        nonlocal best
        bounds = (0, *cuts, len(title))
        ws = [prefix[bounds[k + 1]] - prefix[bounds[k]] for k in range(len(bounds) - 1)]
        if max(ws) > max_w:
            return
        parts = [title[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1)]
        score = sum(penalty(c) for c in cuts) * size
        if len(ws) == 2:
            # Trapezoid: lines of similar length, the upper one preferably shorter.
            score += abs(ws[0] - ws[1]) * 0.5 + (max(0.0, ws[0] - ws[1]) * 0.5)
        else:
            mid = ws[1:-1]
            diamond = all(m >= ws[0] and m >= ws[-1] for m in mid)
            up = all(ws[k] <= ws[k + 1] for k in range(len(ws) - 1))
            down = all(ws[k] >= ws[k + 1] for k in range(len(ws) - 1))
            score += (max(ws) - min(ws)) * 0.3 + (0 if (diamond or up or down) else 3 * size)
        if best is None or score < best[0]:
            best = (score, parts)

    import itertools

    # Two or three lines: try every break (a few thousand candidates at most).
    for n in range(max(2, n_lines), 4):
        for cuts in itertools.combinations(positions, n - 1):
            consider(cuts)
        if best is not None:
            return best[1]
    # Longer titles: dynamic programming over break positions, balancing line widths.
    return _balanced_lines(title, font, size, max_w, max(4, n_lines), penalty)


def _balanced_lines(title: str, font: str, size: float, max_w: float, n_min: int,
                    penalty: Any) -> list[str]:
    """Fewest lines (≥ ``n_min``) of at most ``max_w``, minimising break penalties plus
    the squared deviation of each line from the mean width."""
    n_chars = len(title)
    prefix = [0.0]
    for ch in title:
        prefix.append(prefix[-1] + pdfmetrics.stringWidth(ch, font, size))
    total = prefix[-1]
    for n in range(n_min, n_chars + 1):
        target = total / n
        inf = float("inf")
        # cost[k][j]: best cost of the first j characters in k lines; back pointers in prev.
        cost = [[inf] * (n_chars + 1) for _ in range(n + 1)]
        prev = [[-1] * (n_chars + 1) for _ in range(n + 1)]
        cost[0][0] = 0.0
        for k in range(1, n + 1):
            for j in range(1, n_chars + 1):
                if k == n and j != n_chars:
                    continue
                for i in range(j - 1, -1, -1):
                    if cost[k - 1][i] == inf:
                        continue
                    w = prefix[j] - prefix[i]
                    if w > max_w:
                        break
                    c = cost[k - 1][i] + ((w - target) / size) ** 2
                    if j < n_chars:
                        c += penalty(j) * 4
                    if c < cost[k][j]:
                        cost[k][j], prev[k][j] = c, i
        if cost[n][n_chars] < inf:
            cuts, j = [], n_chars
            for k in range(n, 0, -1):
                i = prev[k][j]
                cuts.append(title[i:j])
                j = i
            return cuts[::-1]
    return [title]


_lexicon: frozenset[str] | None = None
_lexicon_lock = threading.Lock()
#: Words of official titles the general lexicon lacks.
_EXTRA_WORDS = tuple(["政务", "关于", "印发", "转发", "开展", "加强", "进一步", "做好", "有关", "事项", "工作", "专项", "检查", "实施", "方案", "办法", "规定", "细则", "条例", "意见", "通知", "通报", "决定", "决议", "公告", "通告", "报告", "请示", "批复", "议案", "纪要", "会议", "全省", "全市", "全区", "全县", "年度", "数字政府", "数据", "共享", "质量", "人民政府", "人民代表大会", "常务委员会", "委员会", "办公厅", "办公室", "国务院", "中华人民共和国", "省委", "市委", "县委", "区委", "管理", "目录", "规划", "建设", "服务", "发展", "改革", "安全", "信息化", "项目", "资金", "申请", "追加", "登记", "不动产", "提供", "情况", "商请", "总体", "推进", "推动", "优化", "提升", "行政", "效能", "高效", "办成", "一件事", "试行", "暂行", "自然资源", "生态环境", "财政", "教育", "卫生健康", "公安", "交通运输", "住房和城乡建设", "城乡", "农业农村", "应急管理", "市场监管", "市场监督管理", "税务", "审计", "统计", "人力资源", "社会保障", "民政", "司法", "商务", "文化", "旅游", "营商环境", "放管服", "体制", "机制", "制度", "体系", "标准", "规范", "考核", "评价", "评估", "监督", "保障", "组织", "领导", "部门", "单位", "机关", "直属", "机构", "事业", "企业", "平台", "系统", "网络", "信息", "资源", "电子", "证照", "政府", "运行", "政策", "措施", "任务", "目标", "责任", "落实", "贯彻", "学习", "全面", "深入", "深化", "加快", "促进", "支持", "鼓励", "规范化", "标准化", "便利化", "一体化", "高质量"])


def _words() -> frozenset[str]:
    """Chinese word list used to avoid breaking a title inside a word (pypinyin's
    phrase dictionary, loaded once, ~0.2 s)."""
    global _lexicon
    with _lexicon_lock:
        if _lexicon is None:
            try:
                from pypinyin.phrases_dict import phrases_dict
                words = {w for w in phrases_dict if 2 <= len(w) <= 6}
            except ImportError:  # pragma: no cover - pypinyin is a dependency
                words = set()
            _lexicon = frozenset(words | set(_EXTRA_WORDS))
        return _lexicon


def _inside_word_positions(text: str) -> set[int]:
    """Break positions that fall inside a word (forward maximum matching) or a
    Latin/digit run such as 2026."""
    words = _words()
    inside: set[int] = set()
    i = 0
    while i < len(text):
        if text[i].isascii() and text[i].isalnum():
            j = i
            while j < len(text) and text[j].isascii() and text[j].isalnum():
                j += 1
            # digits glue to a following 年/月/日/号 (2026年度)
            if j < len(text) and text[j] in "年月日号期届次":
                j += 1
        else:
            j = i + 1
            for length in range(6, 1, -1):
                if text[i:i + length] in words:
                    j = i + length
                    break
        inside.update(range(i + 1, j))
        i = j
    return inside


def _mark_geometry(text: str, font: str, em_height: float, max_char_w: float,
                   max_total: float) -> tuple[float, float, float]:
    """Size (pt), horizontal scale (%) and drawn width of a 发文机关标志."""
    natural = pdfmetrics.stringWidth(text, font, em_height)
    n = max(1, len(text))
    per_char = natural / n
    target = min(max_char_w, max_total / n) * n
    scale = min(100.0, 100.0 * target / natural)
    size = em_height
    if scale < 40.0:  # too compressed: shrink the size instead
        size = em_height * scale / 40.0
        scale = 40.0
    width = per_char * n * size / em_height * scale / 100.0
    return size, scale, width


# --------------------------------------------------------------------------- renderer


class _Doc:
    def __init__(self, spec: DocumentSpec) -> None:
        self.spec = spec
        f = _ensure_fonts()
        self.fs, self.xbs, self.ht, self.kt, self.st = (
            f["fangsong"], f["xiaobiaosong"], f["heiti"], f["kaiti"], f["songti"])
        self.elements: dict[str, Any] = {}
        self.warnings: list[str] = []
        self.lang = "zh_CN"
        self.seal_anchor: tuple[int, float, float, float, float] | None = None
        self.seal_anchors: list[tuple[int, float, float, float, float]] = []
        self._seal_rows: list[list[float]] = []
        self._mark_scale = 1.0

    # ----- body text ------------------------------------------------------
    def para_slots(self, para: Paragraph, tag: str = "body", list_item: bool = False) -> list[Slot]:
        text = para.text
        if para.level in (1, 2) and not list_item:
            head_font = self.ht if para.level == 1 else self.kt
            cut = text.find("。")
            if 0 <= cut < len(text) - 1:
                runs = [(text[:cut + 1], head_font), (text[cut + 1:], self.fs)]
            else:
                runs = [(text, head_font)]
        else:
            runs = [(text, self.fs)]
        lines = layout_text(runs, first_indent=2)
        slots = [Slot(segs, tag=tag) for segs in lines]
        if para.level and slots and len(lines) == 1 and runs[0][1] != self.fs:
            slots[-1].keep_next = True  # a heading never ends a page
        return slots

    def title_slots(self) -> list[Slot]:
        cx = LEFT + BODY_W / 2
        return [Slot(_seg_center([], ln, self.xbs, SIZE_2, cx), tag="title", size=SIZE_2,
                     keep_next=True)
                for ln in _title_lines(self.spec.title, self.xbs)]

    def recipients_slots(self) -> list[Slot]:
        text = self.spec.recipients.rstrip("：:") + "："
        return [Slot(s, tag="recipients") for s in layout_text([(text, self.fs)])]

    def attachment_note_slots(self) -> list[Slot]:
        """附件说明: one blank line below the text, 2 cells in; "附件：1.名称", names aligned."""
        atts = self.spec.attachments
        if not atts:
            return []
        out: list[Slot] = [_blank()]
        if len(atts) == 1:
            lines = layout_text([("附件：" + atts[0].name, self.fs)], first_indent=2, indent=5)
            return out + [Slot(s, tag="attachment_note") for s in lines]
        for k, att in enumerate(atts, 1):
            num = f"{k}."
            hang = 5 + math.ceil(text_units(num, self.fs) / 2)
            lines = layout_text([(("附件：" if k == 1 else "") + num + att.name, self.fs)],
                                first_indent=2 if k == 1 else 5, indent=hang)
            out += [Slot(s, tag="attachment_note") for s in lines]
        return out

    def signature_slots(self) -> list[Slot]:
        """署名 + 成文日期 (+ 附注), per GB/T 9704 7.3.5."""
        spec = self.spec
        date_text = format_cn_date(spec.date) if spec.date else ""
        out: list[Slot] = []
        if spec.layout == "order":
            return self.order_signature_slots(date_text)
        names = spec.all_signatures
        date_units = text_units(date_text, self.fs) if date_text else 0
        if spec.sealed:
            out += self.sealed_rows(names, date_text, date_units)
        else:
            # 署名 one blank line below the text, two characters in from the right; the
            # date below, its first character two characters right of the 署名's (joint
            # documents: the lead body first, the others below it).
            right = 2 * (CHARS_PER_LINE - 2)
            widest = max((text_units(n, self.fs) for n in names), default=0)
            sig_start = right - widest
            date_start = sig_start + 4
            if date_start + date_units > right:
                date_start = right - date_units
                sig_start = min(sig_start, date_start - 4)
            out.append(_blank("signature_gap"))
            for name in names:
                units = text_units(name, self.fs)
                start = sig_start if len(names) == 1 else max(sig_start, right - units)
                out.append(Slot(layout_text([(name, self.fs)], x0=LEFT + start * HALF)[0],
                                tag="signature"))
            if date_text:
                out.append(Slot(layout_text([(date_text, self.fs)], x0=LEFT + date_start * HALF)[0],
                                tag="date"))
        if spec.note:
            note = spec.note.strip()
            if not note.startswith(("（", "(")):
                note = f"（{note}）"
            out += [Slot(s, tag="note") for s in layout_text([(note, self.fs)], first_indent=2)]
        for s in out[:-1]:
            s.keep_next = True
        return out

    def sealed_rows(self, names: list[str], date_text: str, date_units: int) -> list[Slot]:
        """署名 rows laid out for seals (GB/T 9704 7.3.5.1).

        成文日期 four characters in from the right. Each seal is centred on its 署名 and
        the last one on the date as well; rows are right-aligned on the date's centre so
        seals line up, never touch (centres ≥ 44 mm apart), and stay inside the 版心.
        Two blank lines are left above the first row (the seal's top is then within one
        line of the text); rows are five lines apart. Records the seal centres for
        :meth:`_seal`.
        """
        right_units = 2 * (CHARS_PER_LINE - 4)
        date_segs: list[Seg] = []
        if date_text:
            date_segs = layout_text([(date_text, self.fs)],
                                    x0=LEFT + (right_units - date_units) * HALF)[0]
            lo, hi = _ink_extent(date_segs)
            last_cx = (lo + hi) / 2  # the centre a reader sees: first glyph to last
        else:
            last_cx = LEFT + (right_units - text_units(names[-1], self.fs) / 2) * HALF
        widths = [text_units(n, self.fs) * HALF for n in names]
        min_gap = SEAL_DIAMETER + 2 * MM

        def fits(row: list[int]) -> bool:
            cx = last_cx
            for k in range(len(row) - 1, -1, -1):
                i = row[k]
                if k < len(row) - 1:
                    j = row[k + 1]
                    cx -= max(min_gap, (widths[i] + widths[j]) / 2 + CELL)
                if cx - SEAL_DIAMETER / 2 < LEFT - 0.01 or cx - widths[i] / 2 < LEFT - 0.01:
                    return False
            return True

        rows: list[list[int]] = []
        for i in range(len(names)):
            if rows and len(rows[-1]) < 3 and fits([*rows[-1], i]):
                rows[-1].append(i)
            else:
                rows.append([i])
        out: list[Slot] = [_blank("seal_gap"), _blank("seal_gap")]
        self._seal_rows = []
        for r, row in enumerate(rows):
            if r:
                out += [_blank("seal_gap") for _ in range(4)]
            centres: list[float] = [last_cx]
            for k in range(len(row) - 1, 0, -1):
                centres.insert(0, centres[0] - max(min_gap, (widths[row[k]] + widths[row[k - 1]]) / 2 + CELL))
            segs: list[Seg] = []
            for i, cx in zip(row, centres, strict=True):
                # Centred exactly (not snapped to the grid): the seal presses on both.
                name = layout_text([(names[i], self.fs)], x0=0.0)[0]
                lo, hi = _ink_extent(name)
                # A 署名 too long to centre stays inside the 版心.
                shift = max(LEFT - lo, min(LEFT + BODY_W - hi, cx - (lo + hi) / 2))
                segs += [_shifted(sg, shift) for sg in name]
            out.append(Slot(segs, tag="signature"))
            self._seal_rows.append(centres)
        if date_text:
            out.append(Slot(date_segs, tag="date"))
        return out

    def order_signature_slots(self, date_text: str) -> list[Slot]:
        """命令格式 7.3.5.3: 签名章 right 4 cells, 职务 2 cells to its left, date below."""
        spec = self.spec
        name = signers_line(spec.signers[:1]) or spec.signature
        name_units = text_units(name, self.kt)
        name_start = 2 * (CHARS_PER_LINE - 4) - name_units
        post_units = text_units(spec.signer_post, self.fs)
        post_start = name_start - 4 - post_units
        segs = []
        if spec.signer_post:
            segs += layout_text([(spec.signer_post, self.fs)], x0=LEFT + post_start * HALF)[0]
        segs += layout_text([(name, self.kt)], x0=LEFT + name_start * HALF)[0]
        out = [_blank("seal_gap"), _blank("seal_gap"), Slot(segs, tag="order_signature")]
        if date_text:
            date_units = text_units(date_text, self.fs)
            out += [_blank(), Slot(layout_text([(date_text, self.fs)],
                                               x0=LEFT + (2 * (CHARS_PER_LINE - 4) - date_units) * HALF)[0],
                                   tag="date")]
        for s in out[:-1]:
            s.keep_next = True
        self._order_name = (name_start, name_units)
        return out

    def minutes_slots(self) -> list[Slot]:
        out: list[Slot] = []
        for label, names in (("出席", self.spec.present), ("请假", self.spec.absent),
                             ("列席", self.spec.attending)):
            if not names:
                continue
            if not out:
                out.append(_blank())
            text = "，".join(names)
            lines = layout_text([(label + "：", self.ht), (text, self.fs)], first_indent=2, indent=5)
            out += [Slot(s, tag="attendance") for s in lines]
        return out

    # ----- header ---------------------------------------------------------
    def header(self, c: canvas.Canvas) -> float:
        """Draw the 版头 of page 1; return the grid line where the 主体 starts.

        The line is whole: the 标志 is scaled (:data:`MARK_SCALE_RANGE`) so that the
        distances GB/T 9704 fixes below it (two lines to the 发文字号, 4 mm to the red
        line, two lines to the title) end on the grid; when no scale in range does, the
        主体 moves down to the next grid line."""

        def start_at(scale: float) -> float:
            self._mark_scale = scale
            return self._header(canvas.Canvas(io.BytesIO()))

        lo, hi = MARK_SCALE_RANGE
        s0 = start_at(1.0)
        s1 = start_at(1.1)
        best = 1.0
        if abs(s1 - s0) > 1e-6:
            slope = (s1 - s0) / 0.1
            for target in sorted((math.floor(s0), math.ceil(s0)), key=lambda t: abs(t - s0)):
                scale = 1.0 + (target - s0) / slope
                for _ in range(3):  # the start is piecewise linear in the scale
                    if not lo <= scale <= hi:
                        break
                    got = start_at(scale)
                    if abs(got - target) < 1e-4:
                        break
                    scale += (target - got) / slope
                if lo <= scale <= hi and abs(start_at(scale) - target) < 1e-3:
                    best = scale
                    break
        self._mark_scale = best
        start = self._header(c)
        whole = round(start)
        return float(whole) if abs(start - whole) < 1e-3 else float(math.ceil(start))

    def _header(self, c: canvas.Canvas) -> float:
        spec = self.spec
        if spec.layout == "letter":
            return self.letter_header(c)
        top_lines: list[tuple[str, str]] = []
        if spec.copy_number:  # 份号: 3号 Arabic numerals (default face), 紧急程度: 3号黑体
            top_lines.append((spec.copy_number, self.fs))
        if spec.urgency:
            top_lines.append((spec.urgency, self.ht))
        for k, (text, font) in enumerate(top_lines):
            self._draw_segs(c, layout_text([(text, font)])[0], k, SIZE_3)
        self.elements["top_lines"] = [t for t, _ in top_lines]

        mark_top = ORDER_MARK_TOP if spec.layout == "order" else MARK_TOP
        mark_bottom = self.draw_mark(c, mark_top, MARK_HEIGHT * self._mark_scale,
                                     MARK_MAX_CHAR_W, BODY_W - CELL)

        # Line(s) below the mark: 发文字号 (+ 签发人 for 上行文), or 令号.
        first_line_top = mark_bottom + 2 * LINE_H
        number = spec.order_number if spec.layout == "order" else spec.doc_number
        rows: list[list[Seg]] = []
        if spec.is_upward and spec.signers and spec.layout == "standard":
            rows = self.signer_rows()
        last_row_top = first_line_top + max(0, len(rows) - 1) * LINE_H
        size = SIZE_3
        for k, segs in enumerate(rows):
            self._draw_at(c, segs, first_line_top + k * LINE_H, size)
        number_bottom = None
        if number:
            if rows:
                segs = layout_text([(number, self.fs)], x0=LEFT + CELL)[0]
            else:
                w = text_units(number, self.fs) * HALF
                segs = layout_text([(number, self.fs)], x0=LEFT + (BODY_W - w) / 2)[0]
            self._draw_at(c, segs, last_row_top, size)
            self.elements["doc_number"] = self._box(1, segs, last_row_top, size)
            number_bottom = last_row_top + (LINE_H + size) / 2
        elif rows:
            number_bottom = last_row_top + (LINE_H + size) / 2
        if spec.layout == "order":
            # 令号 two blank lines below the mark; the text two blank lines below 令号.
            after = (last_row_top + LINE_H if number else mark_bottom) + 2 * LINE_H
            return max(0.0, (after - TOP) / LINE_H)
        if number_bottom is None:
            number_bottom = mark_bottom + 2 * LINE_H - RED_LINE_GAP
        red_y = number_bottom + RED_LINE_GAP
        c.setStrokeColor(RED)
        c.setLineWidth(RED_LINE_WIDTH)
        c.line(LEFT, PAGE_H - red_y, LEFT + BODY_W, PAGE_H - red_y)
        self.elements["red_line"] = (1, LEFT, PAGE_H - red_y, BODY_W, RED_LINE_WIDTH)
        # 主体 starts two blank lines below the red line (GB/T 9704 7.3.1).
        return (red_y - TOP) / LINE_H + 2

    def signer_rows(self) -> list[list[Seg]]:
        """"签发人：" + names (楷体), two names a row, flush right one cell in."""
        names = self.spec.signers
        label = "签发人："
        label_units = text_units(label, self.fs)
        rows_names = [names[k:k + 2] for k in range(0, len(names), 2)]
        name_units = max(text_units(n, self.kt) for n in names)
        row_units = label_units + (name_units * 2 + 2 if len(names) > 1 else name_units)
        start = 2 * (CHARS_PER_LINE - 1) - row_units
        rows: list[list[Seg]] = []
        for r, row in enumerate(rows_names):
            segs: list[Seg] = []
            if r == 0:
                segs += layout_text([(label, self.fs)], x0=LEFT + start * HALF)[0]
            x_units = start + label_units
            for name in row:
                segs += layout_text([(name, self.kt)], x0=LEFT + x_units * HALF)[0]
                x_units += name_units + 2
            rows.append(segs)
        return rows

    def draw_mark(self, c: canvas.Canvas, top_from_body: float, em_h: float, max_char_w: float,
                  max_total: float, from_page_top: bool = False) -> float:
        """Draw the red 发文机关标志 centred; return its em-box bottom (from page top)."""
        if len(self.spec.joint_issuers) > 1:
            return self.draw_joint_mark(c, top_from_body, em_h, from_page_top)
        text = self.spec.issuer_mark
        size, scale, width = _mark_geometry(text, self.xbs, em_h, max_char_w, max_total)
        top = top_from_body if from_page_top else TOP + top_from_body
        ink_top = max((_glyph_top(self.xbs, ch, text) for ch in text if not ch.isspace()),
                      default=EM_TOP)
        baseline = top + ink_top * size  # the glyphs' top edge sits exactly at ``top``
        x = LEFT + (BODY_W - width) / 2
        t = c.beginText()
        t.setTextOrigin(x, PAGE_H - baseline)
        t.setFont(self.xbs, size)
        t.setCharSpace(0)
        t.setHorizScale(scale)
        t.setFillColor(RED)
        t.textOut(text)
        c.drawText(t)
        self.elements["mark"] = (1, x, PAGE_H - baseline - (1 - EM_TOP) * size, width, size)
        self.elements["mark_top"] = PAGE_H - top
        return baseline + (1 - EM_TOP) * size

    def draw_joint_mark(self, c: canvas.Canvas, top_from_body: float, em_h: float,
                        from_page_top: bool) -> float:
        """联合行文 标志: the bodies' names stacked (lead body first), justified to one
        width, with the suffix ("文件") at the right, centred on the block vertically."""
        names = self.spec.joint_issuers
        suffix = self.spec.mark_suffix
        n = len(names)
        size = min(em_h, 30 * MM * self._mark_scale / n)
        gap = 0.25 * size
        font = self.xbs
        suffix_w = pdfmetrics.stringWidth(suffix, font, size) * 0.8 if suffix else 0.0
        sep = 0.5 * size if suffix else 0.0
        natural = max(pdfmetrics.stringWidth(nm, font, size) for nm in names)
        avail = BODY_W - CELL - suffix_w - sep
        max_w = min(avail, max(len(nm) for nm in names) * min(MARK_MAX_CHAR_W, size))
        scale = min(100.0, 100.0 * max_w / natural)
        width = natural * scale / 100.0
        total = width + sep + suffix_w
        x = LEFT + (BODY_W - total) / 2
        top = top_from_body if from_page_top else TOP + top_from_body
        every = "".join(names)
        ink_top = max(_glyph_top(font, ch, every) for ch in every if not ch.isspace())
        first_base = top + ink_top * size
        pitch = size + gap
        for k, nm in enumerate(names):
            own = pdfmetrics.stringWidth(nm, font, size) * scale / 100.0
            cs = (width - own) / (len(nm) - 1) if len(nm) > 1 else 0.0
            t = c.beginText()
            t.setTextOrigin(x + (0 if len(nm) > 1 else (width - own) / 2), PAGE_H - first_base - k * pitch)
            t.setFont(font, size)
            t.setCharSpace(cs)
            t.setHorizScale(scale)
            t.setFillColor(RED)
            t.textOut(nm)
            c.drawText(t)
        last_base = first_base + (n - 1) * pitch
        block_mid = (first_base - EM_TOP * size + last_base + (1 - EM_TOP) * size) / 2
        if suffix:
            t = c.beginText()
            t.setTextOrigin(x + width + sep, PAGE_H - (block_mid + (EM_TOP - 0.5) * size))
            t.setFont(font, size)
            t.setCharSpace(0)
            t.setHorizScale(80.0)
            t.setFillColor(RED)
            t.textOut(suffix)
            c.drawText(t)
        bottom = last_base + (1 - EM_TOP) * size
        self.elements["mark"] = (1, x, PAGE_H - bottom, total, bottom - (first_base - EM_TOP * size))
        self.elements["mark_top"] = PAGE_H - top
        return bottom

    def letter_header(self, c: canvas.Canvas) -> float:
        """信函格式 (GB/T 9704 10.1): mark 30 mm from the page top, double red lines."""
        spec = self.spec
        mark_bottom = self.draw_mark(c, LETTER_MARK_TOP_FROM_PAGE, 12 * MM * self._mark_scale,
                                     12 * MM,
                                     BODY_W - 2 * CELL, from_page_top=True)
        y1 = mark_bottom + 4 * MM
        x0 = (PAGE_W - LETTER_LINE_LEN) / 2
        self._double_line(c, x0, y1, thick_first=True)
        y2 = PAGE_H - 20 * MM
        self._double_line(c, x0, y2, thick_first=False)
        self.elements["letter_lines"] = (PAGE_H - y1, PAGE_H - y2)
        gap = SIZE_3 * 7 / 8
        line_top = y1 + DOUBLE_LINE_H + gap  # 7/8 of a 3号 character below the pair
        left_items = [(x, f) for x, f in ((spec.copy_number, self.fs), (spec.urgency, self.ht)) if x]
        for k, (text, font) in enumerate(left_items):
            self._draw_em_top(c, layout_text([(text, font)])[0], line_top + k * LINE_H, SIZE_3)
        last_top = line_top + max(0, len(left_items) - 1) * LINE_H
        if spec.doc_number:
            units = text_units(spec.doc_number, self.fs)
            segs = layout_text([(spec.doc_number, self.fs)], x0=LEFT + BODY_W - units * HALF)[0]
            self._draw_em_top(c, segs, line_top, SIZE_3)
            self.elements["doc_number"] = self._box(1, segs, line_top - (LINE_H - SIZE_3) / 2, SIZE_3)
        # Title two lines below the last element (its line's bottom edge).
        bottom = max(last_top, line_top) + SIZE_3 + (LINE_H - SIZE_3) / 2
        return (bottom - TOP) / LINE_H + 2

    def _double_line(self, c: canvas.Canvas, x0: float, y_top: float, thick_first: bool) -> None:
        thick, thin, gap = DOUBLE_LINE
        c.setStrokeColor(RED)
        widths = (thick, thin) if thick_first else (thin, thick)
        y = y_top
        for w in widths:
            c.setLineWidth(w)
            c.line(x0, PAGE_H - y - w / 2, x0 + LETTER_LINE_LEN, PAGE_H - y - w / 2)
            y += w + gap

    # ----- drawing --------------------------------------------------------
    def _draw_segs(self, c: canvas.Canvas, segs: list[Seg], slot: float, size: float) -> None:
        base = baseline_from_top(slot, size)
        self._draw_base(c, segs, base)

    def _draw_at(self, c: canvas.Canvas, segs: list[Seg], cell_top: float, size: float) -> None:
        base = cell_top + LINE_H / 2 + (EM_TOP - 0.5) * size
        self._draw_base(c, segs, base)

    def _draw_em_top(self, c: canvas.Canvas, segs: list[Seg], em_top: float, size: float) -> None:
        self._draw_base(c, segs, em_top + EM_TOP * size)

    def _draw_base(self, c: canvas.Canvas, segs: list[Seg], baseline: float) -> None:
        for s in segs:
            t = c.beginText()
            t.setFont(s.font, s.size)
            # Tc and Tz belong to the graphics state and outlive BT/ET: always set both.
            t.setCharSpace(s.char_space)
            t.setHorizScale(s.hscale)
            t.setFillColor(s.color)
            # ReportLab drops the character spacing where a string crosses from one
            # 256-glyph font subset to the next: place each same-subset run itself.
            x = s.x
            for run in _subset_runs(c, s.font, s.text) if s.char_space else [s.text]:
                t.setTextOrigin(x, PAGE_H - baseline)
                t.textOut(run)
                x += (pdfmetrics.stringWidth(run, s.font, s.size) * s.hscale / 100.0
                      + s.char_space * len(run))
            c.drawText(t)

    def _box(self, page: int, segs: list[Seg], cell_top: float,
             size: float) -> tuple[int, float, float, float, float]:
        x0 = min(s.origin if s.origin is not None else s.x for s in segs)
        x1 = max(s.x + _seg_width(s) for s in segs)
        em_top = cell_top + (LINE_H - size) / 2
        return (page, x0, PAGE_H - em_top - size, x1 - x0, size)

    def draw_page_number(self, c: canvas.Canvas, page: int) -> None:
        size = SIZE_4
        text = f"— {page} —"
        font = self.st
        w = pdfmetrics.stringWidth(text, font, size)
        dash_top = _glyph_top(font, "—") * size
        baseline = TOP + BODY_H + PAGE_NUMBER_GAP + dash_top
        x = LEFT + BODY_W - size - w if page % 2 == 1 else LEFT + size
        self._draw_base(c, [Seg(x, text, font, size)], baseline)
        self.elements.setdefault("page_numbers", []).append((page, x, PAGE_H - baseline, w, size))

    def colophon_rows(self) -> list[tuple[str, list[Seg]]]:
        """版记 rows (抄送, 印发机关+日期), 4号仿宋, one 4号 character in from each side."""
        spec = self.spec
        rows: list[tuple[str, list[Seg]]] = []
        side = SIZE_4
        cell = SIZE_4
        cells = int((BODY_W - 2 * side) // cell)
        x0 = LEFT + side
        if spec.cc:
            cc = spec.cc.rstrip("。.，,") + "。"
            label = "抄送："
            lines = layout_text([(label + cc, self.fs)], size=SIZE_4, x0=x0, cells=cells,
                                cell=cell, indent=3)
            rows += [("cc", s) for s in lines]
        if spec.layout != "letter" and (spec.printer or spec.print_date):
            segs = layout_text([(spec.printer, self.fs)], size=SIZE_4, x0=x0, cells=cells, cell=cell)[0] if spec.printer else []
            if spec.print_date:
                d = format_cn_date(spec.print_date) + "印发"
                units = text_units(d, self.fs, SIZE_4, cell)
                segs += layout_text([(d, self.fs)], size=SIZE_4, cell=cell, cells=cells,
                                    x0=LEFT + BODY_W - side - units * cell / 2)[0]
            rows.append(("printer", segs))
        return rows

    def draw_colophon(self, c: canvas.Canvas, page: int, rows: list[tuple[str, list[Seg]]]) -> None:
        n = len(rows)
        first_slot = LINES_PER_PAGE - n
        lines_y: list[tuple[float, float]] = []
        draw_rules = self.spec.layout != "letter"
        for k, (_kind, segs) in enumerate(rows):
            self._draw_segs(c, segs, first_slot + k, SIZE_4)
        if draw_rules:
            top = TOP + first_slot * LINE_H
            lines_y.append((top, 0.35 * MM))
            printer_rows = [k for k, (kind, _) in enumerate(rows) if kind == "printer"]
            if printer_rows and printer_rows[0] > 0:
                lines_y.append((TOP + (first_slot + printer_rows[0]) * LINE_H, 0.25 * MM))
            lines_y.append((TOP + BODY_H, 0.35 * MM))
            c.setStrokeColor(black)
            for y, w in lines_y:
                c.setLineWidth(w)
                c.line(LEFT, PAGE_H - y, LEFT + BODY_W, PAGE_H - y)
        self.elements["colophon"] = {
            "page": page, "first_slot": first_slot,
            "rules": [(PAGE_H - y, w) for y, w in lines_y],
        }

    # ----- whole document -------------------------------------------------
    def flow(self) -> list[Slot]:
        spec = self.spec
        slots: list[Slot] = []
        if spec.title:
            slots += self.title_slots()
            slots.append(Slot(blank=True, keep_next=True, tag="title_gap"))
        if spec.recipients:
            slots += self.recipients_slots()
            slots[-1].keep_next = True
        items = _list_items(spec.body)
        for k, para in enumerate(spec.body):
            slots += self.para_slots(para, list_item=k in items)
        slots += self.attachment_note_slots()
        if spec.layout == "minutes":
            slots += self.minutes_slots()
        if spec.all_signatures or spec.date or spec.layout == "order":
            if spec.layout != "minutes" or spec.all_signatures:
                block = self.signature_slots()
                if block:
                    # Keep the last text line with the signature (no seal on a page with no text).
                    for s in reversed(slots):
                        if not s.blank:
                            s.keep_next = True
                            break
                    slots += block
            elif spec.date and spec.layout == "minutes":
                pass
        elif spec.note:
            slots += [Slot(s, tag="note") for s in layout_text([(f"（{spec.note}）", self.fs)], first_indent=2)]
        # 附件 pages.
        for k, att in enumerate(spec.attachments, 1):
            if not att.body:
                continue
            label = "附件" + (str(k) if len(spec.attachments) > 1 else "")
            first = Slot(layout_text([(label, self.ht)])[0], tag="attachment_label",
                         page_break=True, keep_next=True)
            slots.append(first)
            slots.append(Slot(blank=True, keep_next=True, tag="attachment_gap"))
            title = att.title or att.name
            cx = LEFT + BODY_W / 2
            tl = [Slot(_seg_center([], ln, self.xbs, SIZE_2, cx), tag="attachment_title",
                       size=SIZE_2, keep_next=True) for ln in _title_lines(title, self.xbs)]
            slots += tl
            slots.append(_blank())
            items = _list_items(att.body)
            for k2, para in enumerate(att.body):
                slots += self.para_slots(para, tag="attachment_body", list_item=k2 in items)
        return slots

    def missing_glyphs(self) -> list[str]:
        """Characters no embedded face can draw (they would show as boxes)."""
        seen: set[str] = set()
        texts = [self.spec.title, self.spec.issuer_mark, self.spec.recipients, self.spec.note,
                 self.spec.cc, self.spec.printer, *self.spec.joint_issuers,
                 *self.spec.all_signatures, *self.spec.signers,
                 *(p.text for p in self.spec.body)]
        for att in self.spec.attachments:
            texts += [att.name, att.title, *(p.text for p in att.body)]
        for text in texts:
            for ch in text:
                if ch.isspace() or ch in seen:
                    continue
                if not any(_covers(name, ch) for name in _fonts.values()):
                    seen.add(ch)
        return sorted(seen)

    def render(self, invariant: bool) -> RenderResult:
        spec = self.spec
        missing = self.missing_glyphs()
        if missing:
            self.warnings.append(messages.render(
                "document.missing_glyphs", self.lang, {"chars": "".join(missing)}))
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=int(invariant),
                          initialFontName=self.fs,  # type: ignore[arg-type]  # a name; the stubs say float
                          initialFontSize=SIZE_3, pageCompression=1)
        mark = spec.issuer_mark or "、".join(spec.joint_issuers)
        c.setTitle(spec.title or mark)
        c.setAuthor("、".join(spec.all_signatures) or mark)
        c.setSubject(f"{spec.doc_type} {spec.doc_number}".strip())
        c.setCreator("协同办公 (GB/T 9704-2012)")

        # Build the flow once with a throw-away canvas for the header to learn the start line.
        start = self.header(c)
        self.elements["body_start_slot"] = start
        slots = self.flow()
        placed = paginate(slots, start)
        rows = self.colophon_rows()
        last_page = max([p.page for p in placed], default=1)
        used_last = max([p.index + 1 for p in placed if p.page == last_page], default=start)
        colophon_page = last_page
        if rows and used_last + len(rows) > LINES_PER_PAGE:
            colophon_page = last_page + 1
        total = max(last_page, colophon_page)

        by_page: dict[int, list[Placed]] = {}
        for p in placed:
            by_page.setdefault(p.page, []).append(p)
        slot_map: dict[str, list[tuple[int, float, list[Seg]]]] = {}
        for page in range(1, total + 1):
            if page > 1:
                c.showPage()
            for p in by_page.get(page, []):
                if p.slot.segs:
                    self._draw_segs(c, p.slot.segs, p.index, p.slot.size)
                slot_map.setdefault(p.slot.tag, []).append((page, p.index, p.slot.segs))
            if rows and page == colophon_page:
                self.draw_colophon(c, page, rows)
            if spec.page_numbers and not (spec.layout == "letter" and page == 1):
                self.draw_page_number(c, page)
        self.elements["slots"] = {k: [(pg, idx) for pg, idx, _ in v] for k, v in slot_map.items()}
        self._seal(slot_map)
        c.save()
        return RenderResult(buf.getvalue(), total, self.seal_anchor, self.elements, self.warnings,
                            seal_anchors=self.seal_anchors)

    def _seal(self, slot_map: dict[str, list[tuple[int, float, list[Seg]]]]) -> None:
        spec = self.spec
        if not spec.sealed:
            return
        if spec.layout == "order" and "order_signature" in slot_map:
            page, idx, _ = slot_map["order_signature"][0]
            start, units = self._order_name
            w, h = max(units * HALF + CELL, 20 * MM), 20 * MM
            cx = LEFT + (start + units / 2) * HALF
            cy_top = TOP + (idx + 0.5) * LINE_H
            self.seal_anchor = (page, cx - w / 2, PAGE_H - cy_top - h / 2, w, h)
            self.seal_anchors = [self.seal_anchor]
            return
        rows = slot_map.get("signature")
        if not rows:
            return
        d = SEAL_DIAMETER
        anchors: list[tuple[int, float, float, float, float]] = []
        for (page, idx, _segs), centres in zip(rows, self._seal_rows, strict=True):
            centre_from_top = TOP + idx * LINE_H  # top of the 署名 line: 署名/日期 just below
            anchors += [(page, cx - d / 2, PAGE_H - centre_from_top - d / 2, d, d) for cx in centres]
        self.seal_anchors = anchors
        self.seal_anchor = anchors[0]
        self.elements["seal_anchors"] = anchors
        # The 署名 + 成文日期 block itself (for placement modes that want the text box).
        first_page, first_idx, _ = rows[0]
        date = slot_map.get("date")
        last_idx = date[0][1] if date else rows[-1][1]
        segs_all = [sg for _p, _i, segs in rows for sg in segs] + (date[0][2] if date else [])
        bx0 = min(sg.origin if sg.origin is not None else sg.x for sg in segs_all)
        bx1 = max(sg.x + _seg_width(sg) for sg in segs_all)
        self.elements["signature_block"] = (
            first_page, bx0, PAGE_H - (TOP + (last_idx + 1) * LINE_H), bx1 - bx0,
            (last_idx + 1 - first_idx) * LINE_H)
        self.elements["seal_anchor"] = self.seal_anchor


def _list_items(paras: list[Paragraph]) -> set[int]:
    """Indexes of numbered paragraphs that are list items rather than headings: a run of
    consecutive paragraphs of one level where some item ends with "；" (enumeration)."""
    out: set[int] = set()
    k = 0
    while k < len(paras):
        lvl = paras[k].level
        j = k
        while j < len(paras) and paras[j].level == lvl:
            j += 1
        if lvl in (1, 2) and any(p.text.rstrip().endswith(("；", ";")) for p in paras[k:j]):
            out.update(range(k, j))
        k = max(j, k + 1)
    return out


def _subset_runs(c: canvas.Canvas, font: str, text: str) -> list[str]:
    """``text`` cut where the embedded font switches subset (TrueType fonts)."""
    face = pdfmetrics.getFont(font)
    split = getattr(face, "splitString", None)
    if split is None or len(text) < 2:
        return [text]
    runs: list[str] = []
    i = 0
    for _subset, data in split(text, c._doc):  # type: ignore[attr-defined]  # reportlab internal
        n = len(data)
        runs.append(text[i:i + n])
        i += n
    return runs


def _ink_extent(segs: list[Seg]) -> tuple[float, float]:
    """Left edge of the first glyph and right edge of the last (advance boxes)."""
    return min(sg.x for sg in segs), max(sg.x + _seg_width(sg) for sg in segs)


def _shifted(sg: Seg, dx: float) -> Seg:
    return Seg(sg.x + dx, sg.text, sg.font, sg.size, sg.char_space, sg.hscale, sg.color,
               None if sg.origin is None else sg.origin + dx, sg.pitch)


def _seg_width(s: Seg) -> float:
    """Width from ``s.x`` to the end of the last glyph (excluding trailing spacing)."""
    w = pdfmetrics.stringWidth(s.text, s.font, s.size) * s.hscale / 100.0
    return w + s.char_space * (len(s.text) - 1)


_glyph_tops: dict[tuple[str, str], float] = {}
_glyph_lock = threading.Lock()


def _glyph_top(font: str, ch: str, also: str = "") -> float:
    """Top of ``ch``'s outline above the baseline, in em (page-number 一字线, mark edge).

    Reads the font file once per call for ``ch`` and the characters in ``also`` (which
    are cached too), and closes it; results are cached per (font, character).
    """
    key = (font, ch)
    with _glyph_lock:
        if key in _glyph_tops:
            return _glyph_tops[key]
        from fontTools.ttLib import TTFont as FTFont

        # The Arphic fonts carry 4 padding bytes after 'glyf'; fontTools logs that.
        logging.getLogger("fontTools.ttLib.tables._g_l_y_f").setLevel(logging.ERROR)
        face = _tt_face(font)
        wanted = {ch, *also} - {c for (f, c) in _glyph_tops if f == font}
        with FTFont(face.filename, fontNumber=getattr(face, "subfontIndex", 0), lazy=True) as ft:
            cmap = ft.getBestCmap()
            upm = ft["head"].unitsPerEm
            glyf = ft.get("glyf")
            for c in wanted:
                gname = cmap.get(ord(c))
                top = getattr(glyf[gname], "yMax", None) if glyf is not None and gname else None
                _glyph_tops[(font, c)] = top / upm if top else EM_TOP
        return _glyph_tops[key]


# --------------------------------------------------------------------------- API


def render_pdf(spec: DocumentSpec | Mapping[str, Any], *, invariant: bool = False,
               strict: bool = False, lang: str = "zh_CN") -> RenderResult:
    """Render ``spec`` to a GB/T 9704-2012 PDF with all fonts embedded.

    ``spec`` is a :class:`DocumentSpec` or its JSON form (see docs/DOCUMENT_SPEC.md).
    Classified documents raise ClassifiedRefused before anything is drawn; malformed
    input raises ValidationFailed. ``strict=True`` also enforces the completeness rules
    of :func:`modules.documents.rules.problems` (final documents); otherwise they are
    returned as ``warnings`` (drafts may lack a 发文字号). ``invariant=True`` gives
    byte-identical output for identical input (no timestamps/ids), for tests and
    reproducible examples. ``lang`` is the language of ``warnings``. Callable from any
    thread; CPU-bound (about 10 ms per page once warm; the first call loads fonts, ~2 s).
    """
    parsed = parse_spec(spec)
    found = problems(parsed, final=strict)
    if strict and found:
        raise found[0]
    doc = _Doc(parsed)
    doc.lang = lang
    doc.warnings = [p.message(lang) for p in problems(parsed, final=True)]
    return doc.render(invariant)


def today_cn() -> str:
    """Today's date as 成文日期 text (local time)."""
    return format_cn_date(china_today())
