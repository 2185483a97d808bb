"""Font lookup: bundled TrueType stand-ins, preference for installed government fonts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from modules.common import fonts


def cff_collection(tmp_path: Path) -> Path:
    """A .ttc header whose only face has CFF outlines (enough for the outline check)."""
    path = tmp_path / "cff.ttc"
    path.write_bytes(b"ttcf" + b"\x00\x01\x00\x00" + (1).to_bytes(4, "big")
                     + (16).to_bytes(4, "big") + b"OTTO" + b"\x00" * 60)
    return path


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    fonts._face.cache_clear()
    yield
    fonts._face.cache_clear()


@pytest.mark.parametrize("role", fonts.ROLES)
def test_every_role_resolves_to_an_existing_truetype_file(role: str) -> None:
    face = fonts.font_face(role)
    assert fonts.font_path(role) == face.path
    assert face.path.is_file()
    assert fonts.is_truetype(face.path, face.subfont_index)


def test_unknown_role_is_a_bug() -> None:
    with pytest.raises(ValueError):
        fonts.font_path("comic")


def test_bundled_stand_ins_cover_gb2312_and_are_small() -> None:
    for name in ("fangsong.ttf", "xiaobiaosong.ttf"):
        path = fonts.FONT_DIR / name
        assert path.stat().st_size < 8_000_000
        with TTFont(str(path), lazy=True) as font:
            cmap = font.getBestCmap()
            assert "glyf" in font and "CFF " not in font
            fs_type = font["OS/2"].fsType
        hanzi = [bytes((hi, lo)).decode("gb2312") for hi in range(0xB0, 0xF8)
                 for lo in range(0xA1, 0xFF) if (hi, lo) != (0xD7, 0xFA)
                 and not (hi == 0xD7 and lo > 0xF9)]
        missing = [ch for ch in hanzi if ord(ch) not in cmap]
        assert len(hanzi) == 6763 and missing == []
        for ch in "，。、；：？！“”《》〔〕（）—…０１ＡａABC123":
            assert ord(ch) in cmap, (name, ch)
        assert fs_type == 0  # installable embedding


def test_cff_fonts_are_not_truetype(tmp_path: Path) -> None:
    otf = tmp_path / "x.otf"
    otf.write_bytes(b"OTTO" + b"\x00" * 60)
    assert not fonts.is_truetype(otf)
    assert not fonts.is_truetype(cff_collection(tmp_path), 0)
    assert fonts.is_truetype(fonts.FONT_DIR / "wqy-microhei.ttc", 0)
    assert not fonts.is_truetype(Path("/nonexistent.ttf"))


def test_installed_truetype_government_font_is_preferred(monkeypatch: pytest.MonkeyPatch) -> None:
    real_kai = fonts.FONT_DIR / "gkai00mp.ttf"
    monkeypatch.delenv("OFFICE_BUNDLED_FONTS_ONLY", raising=False)
    monkeypatch.setattr(fonts, "_fc_match",
                        lambda family: (real_kai, 0) if family == "FangSong" else None)
    face = fonts.font_face("fangsong")
    assert face.system and face.path == real_kai
    monkeypatch.setenv("OFFICE_BUNDLED_FONTS_ONLY", "1")
    assert fonts.font_face("fangsong").path.name == "fangsong.ttf"


def test_installed_cff_font_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cff = cff_collection(tmp_path)
    monkeypatch.delenv("OFFICE_BUNDLED_FONTS_ONLY", raising=False)
    monkeypatch.setattr(fonts, "_fc_match", lambda family: (cff, 0))
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [])
    face = fonts.font_face("xiaobiaosong")
    assert not face.system and face.path.name == "xiaobiaosong.ttf"


def test_windows_font_folder_is_searched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "simhei.ttf").write_bytes((fonts.FONT_DIR / "gbsn00lp.ttf").read_bytes()[:64])
    monkeypatch.delenv("OFFICE_BUNDLED_FONTS_ONLY", raising=False)
    monkeypatch.setattr(fonts, "_fc_match", lambda family: None)
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [tmp_path])
    face = fonts.font_face("heiti")
    assert face.system and face.path == tmp_path / "simhei.ttf"


def test_fc_match_substitution_is_not_accepted() -> None:
    # fontconfig answers every query with *something*; a different family must not count.
    assert fonts._fc_match("仿宋_GB2312-does-not-exist") is None


def test_register_is_idempotent_and_ui_files() -> None:
    first = fonts.register_reportlab_fonts()
    second = fonts.register_reportlab_fonts()
    assert first == second and set(first) == set(fonts.ROLES)
    files = fonts.ui_font_files()
    assert files and all(p.is_file() for p in files)


def test_unembeddable_system_font_falls_back_to_bundled(monkeypatch: pytest.MonkeyPatch,
                                                         tmp_path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics

    broken = tmp_path / "simkai.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 60)  # looks TrueType, is not
    monkeypatch.delenv("OFFICE_BUNDLED_FONTS_ONLY", raising=False)
    monkeypatch.setattr(fonts, "_fc_match", lambda family: None)
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [tmp_path])
    monkeypatch.setattr(fonts, "_registered", {})
    monkeypatch.setitem(fonts.REPORTLAB_NAMES, "kaiti", "GW-KaiTi-Test")
    assert fonts.font_face("kaiti").system
    names = fonts.register_reportlab_fonts()
    face = pdfmetrics.getFont(names["kaiti"]).face
    assert Path(face.filename).name == "gkai00mp.ttf"


def test_fallback_song_covers_gb18030_hanzi_and_name_characters() -> None:
    path = fonts.FONT_DIR / "songti_ext.ttf"
    assert path.stat().st_size < 16_000_000
    with TTFont(str(fonts.FONT_DIR / "fangsong.ttf"), lazy=True) as body:
        covered = set(body.getBestCmap())
    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
        assert "glyf" in font and "CFF " not in font
        assert font["OS/2"].fsType == 0 and font["OS/2"].usWeightClass == 400
        assert "Song" in font["name"].getDebugName(1)
    covered |= set(cmap)
    gbk_hanzi = {0x4E00 + k for k in range(0x9FA6 - 0x4E00)}  # all of GBK's hanzi
    ext_a = set(range(0x3400, 0x4DB6))
    assert not (gbk_hanzi | ext_a) - covered
    for ch in "喆堃镕玥珺昇旸䶮𠮷":
        assert ord(ch) in cmap, ch


def test_fallback_role_is_always_the_bundled_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OFFICE_BUNDLED_FONTS_ONLY", raising=False)
    face = fonts.font_face("songti_ext")
    assert not face.system and face.path.name == "songti_ext.ttf"
