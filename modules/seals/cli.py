"""Command-line verification: ``python main.py verify FILE.pdf [--json] [--trust-root PEM]``.

Exit codes: 0 — every signature intact, trusted and unmodified; 1 — at least one
signature fails (tampered, untrusted, modified after signing); 2 — the file has no
signature; 3 — the input cannot be used (missing, unreadable, not a PDF, unreadable
trust-root file). Messages go to stdout (the report) and stderr (input errors), in the
language of ``LANG``/``LC_ALL`` (Chinese unless it starts with ``en``). Never a traceback
for bad input.

Trust roots (the seal authorities whose certificates are accepted), first found wins:

1. ``--trust-root`` paths given on the command line (``trust_roots_paths``);
   SM2 root certificates (for GB/T 38540 SES signatures) may sit in the same files;
2. the environment variable ``OFFICE_SEAL_TRUST_ROOTS`` — PEM files separated by the
   platform's path separator (``:`` on Linux/macOS, ``;`` on Windows);
3. ``<user config dir>/office-collab/seals/trust-roots.pem`` (``platformdirs``; on Linux
   ``~/.config/office-collab/seals/trust-roots.pem``), which the client writes when it
   syncs the server's seal-authority root.

Without any, signatures are still checked for integrity but none can be trusted.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from cryptography import x509

from modules.common.errors import DomainError
from modules.common.messages import normalise_lang, register, render
from modules.seals.crypto.authority import certs_from_pem_bundle
from modules.seals.pdf.verify import VerifyReport, verify_pdf

register(
    {
        "seal.cli_missing_file": {
            "zh_CN": "找不到文件：{path}",
            "en": "No such file: {path}",
        },
        "seal.cli_unreadable": {
            "zh_CN": "无法读取文件 {path}：{detail}",
            "en": "Cannot read {path}: {detail}",
        },
        "seal.cli_bad_trust_root": {
            "zh_CN": "信任根证书文件 {path} 无法使用：{detail}",
            "en": "Trust-root file {path} cannot be used: {detail}",
        },
        "seal.cli_no_trust_roots": {
            "zh_CN": "未配置信任根证书（--trust-root、环境变量 OFFICE_SEAL_TRUST_ROOTS 或 {default}），无法确认签章机构是否可信。",
            "en": "No trust roots configured (--trust-root, OFFICE_SEAL_TRUST_ROOTS or {default}); no signer can be trusted.",
        },
    }
)

TRUST_ROOTS_ENV = "OFFICE_SEAL_TRUST_ROOTS"
EXIT_OK, EXIT_INVALID, EXIT_UNSIGNED, EXIT_INPUT = 0, 1, 2, 3


def default_trust_roots_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("office-collab")) / "seals" / "trust-roots.pem"


def trust_root_paths(explicit: list[str] | None) -> list[Path]:
    """Where the trust roots come from (see module docstring); may be empty."""
    if explicit:
        return [Path(p) for p in explicit]
    env = os.environ.get(TRUST_ROOTS_ENV, "")
    if env.strip():
        return [Path(p) for p in env.split(os.pathsep) if p.strip()]
    default = default_trust_roots_path()
    return [default] if default.is_file() else []


def _pem_blocks(data: bytes) -> list[bytes]:
    import base64
    import re

    blocks = re.findall(rb"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
                        data, re.S)
    if not blocks:
        return [data]  # a single DER certificate
    return [base64.b64decode(b"".join(b.split())) for b in blocks]


def load_trust_roots(paths: list[Path]) -> tuple[list[x509.Certificate], list[bytes]]:
    """Read PEM bundles (or DER files); returns (X.509 roots, SM2 roots as DER)."""
    from modules.seals.crypto.ses import is_sm2_certificate

    roots: list[x509.Certificate] = []
    sm2_roots: list[bytes] = []
    for p in paths:
        try:
            data = p.read_bytes()
            for der_bytes in _pem_blocks(data):
                if is_sm2_certificate(der_bytes):
                    sm2_roots.append(der_bytes)
                else:
                    roots.extend(certs_from_pem_bundle(der_bytes))
        except OSError as exc:
            raise DomainError("seal.cli_bad_trust_root", path=str(p),
                              detail=exc.strerror or str(exc)) from exc
        except DomainError as exc:
            raise DomainError("seal.cli_bad_trust_root", path=str(p),
                              detail=exc.message("en")) from exc
        except ValueError as exc:  # bad Base64 inside a PEM block
            raise DomainError("seal.cli_bad_trust_root", path=str(p),
                              detail=str(exc)[:100]) from exc
    return roots, sm2_roots


def _lang() -> str:
    return normalise_lang(os.environ.get("LC_ALL") or os.environ.get("LANG") or "zh_CN")


def _text(report: VerifyReport, path: str, lang: str) -> str:
    zh = lang != "en"
    yes, no = ("是", "否") if zh else ("yes", "no")
    lines = [("文件：" if zh else "File: ") + path, "SHA-256: " + report.sha256]
    for i, s in enumerate(report.signatures, 1):
        head = f"签章 {i}（{s.field_name}）" if zh else f"Signature {i} ({s.field_name})"
        lines.append(head + ("：" if zh else ":"))
        rows = [
            ("签章人/印章" if zh else "Signer / seal", s.signer or s.seal_name or "-"),
            ("所属单位" if zh else "Organisation", s.organisation or "-"),
            ("签章时间" if zh else "Signing time", s.signing_time or "-"),
        ]
        if s.timestamp_time:
            rows.append(("时间戳" if zh else "Time stamp", s.timestamp_time))
        if s.sm2 is not None:
            rows.append(("国密签章（SM2）" if zh else "SM2 seal (GB/T 38540)",
                         yes if s.sm2["ok"] else no))
        rows += [
            ("内容完整" if zh else "Intact", yes if s.intact else no),
            ("证书可信" if zh else "Trusted", yes if s.trusted else no),
            ("签章后被修改" if zh else "Modified after signing",
             yes if s.modified_after_signing else no),
            ("结论" if zh else "Result",
             ("有效" if s.ok else "无效") if zh else ("valid" if s.ok else "NOT valid")),
        ]
        lines += [f"  {k}：{v}" if zh else f"  {k}: {v}" for k, v in rows]
        lines += [f"  ! {m}" for m in s.messages]
        lines += [f"    {render('seal.technical_details', lang, {'details': d})}" for d in s.details]
    lines += [f"! {m}" for m in report.messages]
    verdict = ("全部签章有效。" if report.ok else "验证未通过。") if zh else (
        "All signatures are valid." if report.ok else "Verification FAILED.")
    lines.append(verdict)
    return "\n".join(lines)


def verify_command(path: str, as_json: bool, trust_roots_paths: list[str] | None) -> int:
    """Verify ``path``; print the report; return the exit code (see module docstring)."""
    import logging

    lang = _lang()
    # a command-line report says everything in words; library warnings (with their
    # tracebacks) about untrusted chains would only repeat it
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        p = Path(path)
        if not p.is_file():
            raise DomainError("seal.cli_missing_file", path=path)
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise DomainError("seal.cli_unreadable", path=path,
                              detail=exc.strerror or str(exc)) from exc
        roots_paths = trust_root_paths(trust_roots_paths)
        roots, sm2_roots = load_trust_roots(roots_paths)
        report = verify_pdf(data, roots, lang=lang, sm2_roots=sm2_roots)
    except DomainError as exc:
        if as_json:
            print(json.dumps({"ok": False, "error": exc.to_dict(lang)}, ensure_ascii=False))
        else:
            print(exc.message(lang), file=sys.stderr)
        return EXIT_INPUT

    if not roots and report.signatures:
        from modules.common.messages import render

        code = "seal.cli_no_trust_roots"
        report.problems.append(code)
        report.messages.append(render(code, lang, {"default": str(default_trust_roots_path())}))
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(_text(report, path, lang))
    if not report.signatures:
        return EXIT_UNSIGNED
    return EXIT_OK if report.ok else EXIT_INVALID


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry: ``python -m modules.seals.cli FILE.pdf [--json] [--trust-root P]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="verify", description="验证 PDF 电子印章 / verify PDF seals")
    parser.add_argument("file")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--trust-root", action="append", default=None)
    args = parser.parse_args(argv)
    return verify_command(args.file, args.json, args.trust_root)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
