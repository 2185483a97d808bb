"""Chinese is drawn with the bundled font on a machine without any CJK font."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from office_app.paths import ROOT

PROBE = r"""
import json, sys
from pathlib import Path
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QLabel
from office_app.app import create_application
from office_app.settings import AppSettings

app, _ = create_application(["probe"], AppSettings.at_path(Path(sys.argv[1])))

def ink(text):
    label = QLabel(text)
    label.resize(120, 40)
    image = label.grab().toImage()
    dark = sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).lightness() < 128)
    return image, dark

a, ink_a = ink("协")
b, ink_b = ink("办")
print(json.dumps({"families": QFontDatabase.families(), "ui": QFontInfo(app.font()).family(),
                  "ink": [ink_a, ink_b], "differ": a != b}))
"""


def test_bundled_font_draws_chinese_without_system_fonts(tmp_path: Path):
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{tmp_path / 'none'}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
        "</fontconfig>", encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path / "s.ini")], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any("CJK" in f or "Noto" in f for f in result["families"])  # none installed
    assert result["ui"] == "WenQuanYi Micro Hei"
    assert min(result["ink"]) > 20 and result["differ"]  # real glyphs, not equal boxes
