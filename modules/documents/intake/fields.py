"""Pure rules from recognised rows to the proposed 登记 fields, each with a confidence
and the boxes it was read from. No I/O; deterministic.

The rules follow the GB/T 9704-2012 layout (docs/INTAKE.md): on the first page, from
the top, 份号 / 密级 / 紧急程度 flush left, the 发文机关标志 (large, centred), the
发文字号 (``代字〔YYYY〕N号``), the 标题 (large, centred, possibly on several rows),
the 主送 row ending in a colon; at the end of the text the 附件说明, the 署名 and the
成文日期 (right half, a row of its own); then the 版记 (抄送, 印发机关 + 印发日期 印发),
whose date is never the 成文日期. A 密级 marking raises ClassifiedRefused.
"""

from __future__ import annotations

import difflib
import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from modules.common.classified import find_classified_marking, normalise
from modules.common.errors import ClassifiedRefused
from modules.documents.intake.model import FIELD_NAMES, Box, Line, ProposedField

_BRACKET_OPEN = "〔[［(（【{｛<〈《"
_BRACKET_CLOSE = "〕]］)）】}｝>〉》"
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff×XＸA-Za-z]{0,16}?)\s*([" + re.escape(_BRACKET_OPEN) + r"])\s*((?:19|20)\d{2})\s*(["
    + re.escape(_BRACKET_CLOSE) + r"])\s*[第]?\s*(\d{1,5})\s*[号號]")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE_ARABIC = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")
_DATE_CN = re.compile(r"([〇○零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_URGENCY = ("特急", "加急", "特提", "平急")
_LEVEL_ALONE = re.compile(r"^(绝密|机密|秘密)(★.*)?$")
_ITEM = re.compile(r"^(\d{1,2})\s*[.．、,，]\s*(.*)$")
_COLONS = ":："


def _norm(text: str) -> str:
    """For matching only: NFKC, no whitespace, 〔〕 kept."""
    out = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in out if not ch.isspace())


def _clean(text: str) -> str:
    """A value for the form: spaces between CJK characters removed, edges trimmed."""
    text = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text.strip())
    return re.sub(r"\s+", " ", text)


def _cn_number(s: str) -> int:
    if "十" in s:
        left, _, right = s.partition("十")
        return (_CN_DIGITS.get(left, 1) if left else 1) * 10 + (_CN_DIGITS.get(right, 0) if right else 0)
    return _CN_DIGITS.get(s, 0)


def parse_date(text: str) -> tuple[str, bool] | None:
    """The first date in ``text`` as ISO ``yyyy-mm-dd`` and whether it was the whole text
    (a 成文日期 row), or None. Accepts 2026年3月5日 and 二〇二六年三月五日."""
    t = _norm(text)
    m = _DATE_ARABIC.search(t)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DATE_CN.search(t)
        if not m:
            return None
        y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
        mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}", m.group(0) == t


@dataclass(frozen=True, slots=True)
class PageRows:
    """One page's rows (see :func:`modules.documents.intake.layout.rows`) and its size."""

    index: int
    width: float
    height: float
    rows: tuple[Line, ...]


def _h(ln: Line) -> float:
    return ln.box.y1 - ln.box.y0


def _cx(ln: Line) -> float:
    return (ln.box.x0 + ln.box.x1) / 2


def _field(name: str, value: str, conf: float, lines: Sequence[Line] = ()) -> ProposedField:
    return ProposedField(name, value, round(max(0.0, min(1.0, conf)), 3) if value else 0.0,
                         tuple(ln.box for ln in lines) if value else ())


def _min_conf(lines: Sequence[Line]) -> float:
    return min((ln.confidence for ln in lines), default=0.0)


class _Page:
    """Measures of one page used by the rules."""

    def __init__(self, page: PageRows) -> None:
        self.p = page
        self.rows = list(page.rows)
        wide = [r for r in self.rows if (r.box.x1 - r.box.x0) > 0.55 * page.width]
        heights = [_h(r) for r in (wide or self.rows)]
        self.body_h = statistics.median_low(heights) if heights else 1.0
        self.margin = min((r.box.x0 for r in wide), default=0.12 * page.width)
        self.cx = (self.margin + max((r.box.x1 for r in wide), default=page.width - self.margin)) / 2
        if not wide:
            self.cx = page.width / 2

    def centred(self, ln: Line, tol: float = 0.07) -> bool:
        return abs(_cx(ln) - self.cx) < tol * self.p.width

    def tall(self, ln: Line, k: float = 1.15) -> bool:
        return _h(ln) >= k * self.body_h


def _is_banji(ln: Line) -> bool:
    t = _norm(ln.text)
    return t.startswith(("抄送", "印发", "主题词")) or t.endswith("印发") or "印发" in t[-8:]


def refuse_marking(pages: Sequence[PageRows], text: str) -> None:
    """Raise ClassifiedRefused when ``text`` (all of it) carries a 密级 marking, or a level
    stands alone in the top left of the first page (a marking whose ★ OCR lost)."""
    level = find_classified_marking(text)
    if level is not None:
        raise ClassifiedRefused(level, field="classification")
    if pages:
        p = pages[0]
        for ln in p.rows:
            if ln.box.y0 > 0.3 * p.height:
                break
            t = normalise(ln.text).replace("*", "★").replace("☆", "★")
            for part in re.split(r"[\s，,]+", t):
                m = _LEVEL_ALONE.match(part)
                if m and ln.box.x0 < 0.4 * p.width:
                    raise ClassifiedRefused(m.group(1), field="classification")


def propose(pages: Sequence[PageRows], *, page_count: int | None = None,
            text: str | None = None) -> dict[str, ProposedField]:
    """Every field of FIELD_NAMES proposed from ``pages``' rows (unread: "" / 0).
    ``page_count`` is the source's page count (default: ``len(pages)``); ``text`` the
    full text checked for markings (default: the rows joined). Raises ClassifiedRefused."""
    full = text if text is not None else "\n".join(ln.text for p in pages for ln in p.rows)
    refuse_marking(pages, full)
    out: dict[str, ProposedField] = {n: ProposedField(n, "", 0.0) for n in FIELD_NAMES}
    n_pages = page_count if page_count is not None else len(pages)
    out["page_count"] = ProposedField("page_count", str(n_pages), 1.0 if n_pages else 0.0)
    if not pages or not any(p.rows for p in pages):
        return out
    first = _Page(pages[0])
    rows = first.rows

    # 紧急程度: flush left in the header, above the 标志.
    for ln in rows:
        if ln.box.y0 > 0.35 * first.p.height:
            break
        t = _norm(ln.text)
        for word in _URGENCY:
            if t.startswith(word) and ln.box.x0 < 0.4 * first.p.width:
                out["urgency"] = _field("urgency", word, ln.confidence * (1.0 if t == word else 0.85), [ln])
                break
        if out["urgency"].value:
            break

    # 发文字号: in the header only — above the first row of body text (a number cited
    # in the text, 根据《…》（粤府〔2025〕3号）, is not this document's)
    body_start = next((i for i, ln in enumerate(rows)
                       if (ln.box.x1 - ln.box.x0) > 0.6 * first.p.width and not first.tall(ln)
                       and not _DOC_NUMBER.search(_norm(ln.text).replace("签发人", " "))),
                      len(rows))
    num_idx = -1
    for i, ln in enumerate(rows[:body_start]):
        m = _DOC_NUMBER.search(_norm(ln.text).replace("签发人", " "))
        if not m or _is_banji(ln):
            continue
        prefix = m.group(1)
        value = f"{prefix}〔{m.group(3)}〕{int(m.group(5))}号"
        conf = ln.confidence
        if m.group(2) != "〔" or m.group(4) != "〕":
            conf *= 0.9
        if ln.box.y0 > 0.5 * first.p.height:
            conf *= 0.6
        out["doc_number"] = _field("doc_number", value, conf, [ln])
        num_idx = i
        break

    # 发文机关标志: large rows above the 发文字号 (or above the title), not the header marks.
    header_end = num_idx if num_idx >= 0 else len(rows)
    mark: list[Line] = []
    for ln in rows[:header_end]:
        t = _norm(ln.text)
        if t.startswith(_URGENCY) or re.fullmatch(r"\d{6}", t) or t.startswith("签发人"):
            continue
        if first.tall(ln, 1.5) and ln.box.y0 < 0.45 * first.p.height:
            mark.append(ln)
        elif mark:
            break
    mark_text = _norm("".join(ln.text for ln in mark))
    order_format = mark_text.endswith("令") and num_idx < 0
    if order_format:
        # 命令格式: the 令号 (第N号) stands below the 标志 in place of a 发文字号
        after_mark = rows.index(mark[-1]) + 1
        for k, ln in enumerate(rows[after_mark:after_mark + 3], after_mark):
            m = re.fullmatch(r"第(\d{1,5})号", _norm(ln.text))
            if m:
                out["doc_number"] = _field("doc_number", f"第{int(m.group(1))}号", ln.confidence * 0.8, [ln])
                num_idx = k
                break
        name = _clean("".join(_clean(ln.text) for ln in mark))[:-1]
        out["issuer"] = _field("issuer", name, _min_conf(mark) * 0.9, mark)

    # 标题: large centred rows after the header, before the 主送 / body.
    title: list[Line] = []
    start = num_idx + 1 if num_idx >= 0 else (rows.index(mark[-1]) + 1 if mark else 0)
    i = start
    while i < len(rows):
        ln = rows[i]
        t = _norm(ln.text)
        if ln in mark or (not title and (t.startswith("签发人") or _is_header_noise(t))):
            i += 1
            continue
        if first.tall(ln) and first.centred(ln, 0.12) and not t.endswith(tuple(_COLONS)):
            if title and ln.box.y0 - title[-1].box.y1 > 1.6 * _h(title[-1]):
                break
            title.append(ln)
            i += 1
            continue
        if title or ln.box.y0 > 0.6 * first.p.height:
            break
        i += 1
    title_conf = 0.97
    if not title:
        # fallback: a row starting 关于, with continuation rows until a document type word
        for k, ln in enumerate(rows[start:], start):
            if _norm(ln.text).startswith("关于"):
                title = [ln]
                for nxt in rows[k + 1:k + 3]:
                    if re.search(r"(通知|通报|报告|请示|批复|意见|决定|函|纪要|公告|通告|决议|命令|议案|公报)$",
                                 _norm(title[-1].text)):
                        break
                    if _norm(nxt.text).endswith(tuple(_COLONS)):
                        break
                    title.append(nxt)
                title_conf = 0.7
                break
    if not title and mark and mark_text.endswith("纪要"):
        # 纪要格式: the red 标志 (××会议纪要) is the title
        title, title_conf = mark, 0.8
    if title:
        value = _clean("".join(_clean(ln.text) for ln in title))
        out["title"] = _field("title", value, _min_conf(title) * title_conf, title)

    # 主送: the rows after the title up to the first one ending in a colon, flush left.
    after = rows.index(title[-1]) + 1 if title else (num_idx + 1 if num_idx >= 0 else 0)
    acc: list[Line] = []
    for ln in rows[after:after + 4]:
        t = _norm(ln.text)
        if t.startswith(("附件", "抄送")) or ln.box.x0 > first.margin + 1.2 * first.body_h:
            break
        acc.append(ln)
        if t.endswith(tuple(_COLONS)):
            value = _clean("".join(_clean(x.text) for x in acc)).rstrip(_COLONS + " ")
            out["addressees"] = _field("addressees", value, _min_conf(acc) * 0.95, acc)
            break
        if len(acc) >= 3:
            break

    # 附件说明, 成文日期 and 署名, on any page of the main document.
    _attachments(pages, out)
    _date_and_issuer(pages, out, [] if order_format else mark, first, keep_issuer=order_format)
    return out


def _is_header_noise(t: str) -> bool:
    return t.startswith(_URGENCY) or bool(re.fullmatch(r"\d{6}", t))


def _is_folio(ln: Line) -> bool:
    """A page number row such as ``— 1 —``."""
    return bool(re.fullmatch(r"[—\-–一]*\s*\d{1,3}\s*[—\-–一]*", _norm(ln.text)))


def _attachments(pages: Sequence[PageRows], out: dict[str, ProposedField]) -> None:
    for pi, p in enumerate(pages):
        # the 附件说明 may run on to the top of the next page
        rows = [r for r in p.rows if not _is_folio(r)]
        if pi + 1 < len(pages):
            rows += [r for r in pages[pi + 1].rows if not _is_folio(r)]
        for i, ln in enumerate(rows):
            if ln.box.page != p.index:
                break
            t = _norm(ln.text)
            if not (t.startswith("附件") and len(t) > 3 and t[2] in _COLONS):
                continue
            names: list[str] = []
            used = [ln]
            rest = re.split(r"[:：]", _clean(ln.text), maxsplit=1)[-1]
            m = _ITEM.match(rest.strip())
            if m:
                names.append(m.group(2).strip())
                left = ln.box.x0
                for nxt in rows[i + 1:i + 30]:
                    nt = _clean(nxt.text)
                    m2 = _ITEM.match(nt)
                    next_page = nxt.box.page != ln.box.page
                    if m2 and nxt.box.x0 > left and nxt.box.x0 < 0.45 * p.width and (
                            not next_page or int(m2.group(1)) == len(names) + 1):
                        names.append(m2.group(2).strip())
                        used.append(nxt)
                    elif (names and not next_page and nxt.box.x0 > left + _h(ln) * 2
                          and nxt.box.x0 < 0.45 * p.width and parse_date(nt) is None
                          and nxt.box.y0 - used[-1].box.y1 < 1.5 * _h(nxt)):
                        names[-1] += nt.strip()
                        used.append(nxt)
                    else:
                        break
            else:
                names.append(rest.strip())
                for nxt in rows[i + 1:i + 4]:
                    nt = _clean(nxt.text)
                    if (nxt.box.x0 > ln.box.x0 + _h(ln) * 2 and nxt.box.x0 < 0.45 * p.width
                            and parse_date(nt) is None and nxt.box.y0 - used[-1].box.y1 < 1.5 * _h(nxt)):
                        names[-1] += nt.strip()
                        used.append(nxt)
                    else:
                        break
            names = [n.rstrip("。.;；,， ") for n in names if n.strip()]
            if names:
                out["attachments"] = _field("attachments", "\n".join(names),
                                            _min_conf(used) * (0.95 if m else 0.85), used)
            return


def _date_and_issuer(pages: Sequence[PageRows], out: dict[str, ProposedField],
                     mark: list[Line], first: _Page, *, keep_issuer: bool = False) -> None:
    found: tuple[PageRows, int, Line, str] | None = None
    for p in pages:
        for i, ln in enumerate(p.rows):
            if _is_banji(ln) or _cx(ln) < 0.5 * p.width:
                continue
            parsed = parse_date(ln.text)
            if parsed and parsed[1]:
                found = (p, i, ln, parsed[0])
                break
        if found:
            break
    mark_name = _mark_name(mark)
    # No fallback to other dates: a date inside the text is not the 成文日期, and the
    # 印发日期 of the 版记 never is.
    if found is not None:
        p, i, ln, iso = found
        out["date"] = _field("date", iso, ln.confidence * 0.97, [ln])
        sig: list[Line] = []
        below = ln
        for prev in reversed(p.rows[max(0, i - 6):i]):
            t = _norm(prev.text)
            if len(t) <= 2 and not sig:
                continue  # a stray character of the seal pressed on the 署名
            if (prev.box.x0 < 0.3 * p.width or t.endswith(("。", "；", ";"))
                    or below.box.y0 - prev.box.y1 > 3.5 * _h(below) or _ITEM.match(t)
                    or t.startswith("附件")):
                break
            sig.insert(0, prev)
            below = prev
        if sig and not keep_issuer:
            names = [_clean(s.text) for s in sig]
            value = "、".join(names)
            conf = _min_conf(sig) * 0.9
            if mark_name and (mark_name in value or value in mark_name):
                conf = min(1.0, conf / 0.9 * 0.98)
            elif mark_name and len(sig) == 1 and _similar(mark_name, value) >= 0.8:
                # the same body read twice; the 署名 under the seal lost a character:
                # the 标志 (large type, no seal on it) is the better reading
                value, conf, sig = mark_name, _min_conf(mark) * 0.9, [*mark, *sig]
            out["issuer"] = _field("issuer", value, conf, sig)
            return
    if mark_name and not keep_issuer:
        conf = 0.85
        if mark_name.endswith("纪要"):
            conf = 0.5
        out["issuer"] = _field("issuer", mark_name, _min_conf(mark) * conf, mark)


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _mark_name(mark: list[Line]) -> str:
    """The issuing body named by the 标志: its rows without the trailing 文件."""
    names = []
    for ln in mark:
        t = _clean(ln.text)
        if t == "文件":
            continue
        names.append(re.sub(r"文件$", "", t).strip())
    return "、".join(n for n in names if n)


def box_of(lines: Sequence[Line]) -> Box | None:
    """The union of ``lines``' boxes (same page), or None."""
    if not lines:
        return None
    b = lines[0].box
    return Box(b.page, min(ln.box.x0 for ln in lines), min(ln.box.y0 for ln in lines),
               max(ln.box.x1 for ln in lines), max(ln.box.y1 for ln in lines))
