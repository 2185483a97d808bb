from __future__ import annotations

import json
from pathlib import Path

import pytest

from modules.seals import cli
from modules.seals.pdf import stamp as S

from .conftest import NOW, make_pdf


@pytest.fixture(scope="module")
def files(env, tmp_path_factory):
    d = tmp_path_factory.mktemp("cli")
    good = S.stamp_pdf(make_pdf(1), env.gov.signer, env.gov.seal, box=(100, 100, 150, 150),
                       page=0, reason="r", location="l", signing_time=NOW)
    i = good.index(b"Budget line 1: 1000")
    paths = {
        "root": d / "root.pem", "good": d / "good.pdf", "bad": d / "bad.pdf",
        "unsigned": d / "unsigned.pdf", "text": d / "notes.txt", "badroot": d / "bad.pem",
    }
    paths["root"].write_bytes(env.authority.root_pem)
    paths["good"].write_bytes(good)
    paths["bad"].write_bytes(good[: i + 15] + b"9" + good[i + 16:])
    paths["unsigned"].write_bytes(make_pdf(1))
    paths["text"].write_text("hello")
    paths["badroot"].write_text("not a certificate")
    return {k: str(v) for k, v in paths.items()}


@pytest.fixture(autouse=True)
def _no_env_roots(monkeypatch, tmp_path):
    monkeypatch.delenv(cli.TRUST_ROOTS_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)


def test_good_file_exit_0(files, capsys):
    assert cli.verify_command(files["good"], False, [files["root"]]) == 0
    out = capsys.readouterr().out
    assert "某某市人民政府办公室公章" in out and "全部签章有效" in out


def test_json_output(files, capsys):
    assert cli.verify_command(files["good"], True, [files["root"]]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["signatures"][0]["trusted"] is True


def test_tampered_exit_1_and_untrusted_exit_1(files, capsys):
    assert cli.verify_command(files["bad"], False, [files["root"]]) == 1
    assert "篡改" in capsys.readouterr().out
    assert cli.verify_command(files["good"], False, None) == 1
    assert "OFFICE_SEAL_TRUST_ROOTS" in capsys.readouterr().out


def test_unsigned_exit_2(files, capsys):
    assert cli.verify_command(files["unsigned"], False, [files["root"]]) == 2
    assert "没有电子印章" in capsys.readouterr().out


@pytest.mark.parametrize("which", ["missing", "text", "badroot"])
def test_input_errors_exit_3_without_traceback(files, capsys, which):
    if which == "missing":
        rc = cli.verify_command(files["good"] + ".nope", False, [files["root"]])
    elif which == "text":
        rc = cli.verify_command(files["text"], False, [files["root"]])
    else:
        rc = cli.verify_command(files["good"], False, [files["badroot"]])
    captured = capsys.readouterr()
    assert rc == 3
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.strip()


def test_trust_roots_from_env_and_default_location(files, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(cli.TRUST_ROOTS_ENV, files["root"])
    assert cli.verify_command(files["good"], False, None) == 0
    monkeypatch.delenv(cli.TRUST_ROOTS_ENV)
    default = cli.default_trust_roots_path()
    assert str(default).startswith(str(tmp_path / "cfg"))
    default.parent.mkdir(parents=True)
    default.write_bytes(Path(files["root"]).read_bytes())
    assert cli.verify_command(files["good"], False, None) == 0


def test_english_output(files, monkeypatch, capsys):
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli.verify_command(files["unsigned"], False, [files["root"]]) == 2
    assert "no electronic seal" in capsys.readouterr().out
