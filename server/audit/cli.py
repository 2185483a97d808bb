"""``python main.py audit verify|public-key``: check the audit trail from outside the
server, export the key that checks its checkpoints.

Without ``--database-url`` both commands use the embedded server's database and key
(``<data dir>/office.db``, ``<data dir>/audit-signing.key``; the data directory from
``--data-dir`` or ``OFFICE_DATA_DIR``, else the per-user default of server/config.py).
Exit codes of verify: 0 intact, 1 tampering found, 2 the database or key is unusable.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from server.config import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", required=True)
    verify = sub.add_parser("verify", help="check the audit trail's chain and checkpoints")
    verify.add_argument("--database-url", default=None,
                        help="SQLAlchemy URL (default: the embedded server's database)")
    verify.add_argument("--data-dir", default=None, help="the server's data directory")
    verify.add_argument("--public-key", default=None,
                        help="the audit public key (PEM; default: the data directory's key "
                             "when present, else each checkpoint's stored key)")
    verify.add_argument("--anchor", action="append", default=[],
                        help="SEQ:HASH printed by an earlier verify and kept outside the "
                             "database; it must still be in the chain (repeatable)")
    verify.add_argument("--json", action="store_true", help="machine-readable output")
    public = sub.add_parser("public-key", help="print the audit trail's public key (PEM)")
    public.add_argument("--data-dir", default=None, help="the server's data directory")
    public.add_argument("--key-file", default=None, help="the private key file")
    public.add_argument("--out", default=None, help="write to this file instead of stdout")


def _settings(data_dir: str | None) -> Settings:
    return Settings(data_dir=Path(data_dir)) if data_dir else Settings()


def run(args: argparse.Namespace) -> int:
    if args.audit_command == "public-key":
        return public_key_command(args)
    return verify_command(args)


def public_key_command(args: argparse.Namespace) -> int:
    from server.audit.chain import key_path, load_key, public_pem

    settings = _settings(args.data_dir)
    path = Path(args.key_file) if args.key_file else key_path(settings)
    try:
        key = load_key(path)
    except (OSError, ValueError) as exc:
        print(f"cannot read the audit key {path}: {exc}", file=sys.stderr)
        return 2
    pem = public_pem(key.public)
    if args.out:
        Path(args.out).write_bytes(pem)
        print(f"key id {key.key_id} written to {args.out}")
    else:
        sys.stdout.write(pem.decode())
    return 0


def verify_command(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from server.audit.chain import key_path, load_public_key
    from server.audit.verify import parse_anchor, render_text, verify
    from server.db import make_engine

    try:
        anchors = [parse_anchor(a) for a in args.anchor]
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    settings = _settings(args.data_dir)
    url = args.database_url or settings.resolved_database_url()
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        print(f"no database at {url}", file=sys.stderr)
        return 2
    key_file: Path | None = Path(args.public_key) if args.public_key else None
    if key_file is None and not args.database_url and key_path(settings).exists():
        key_file = key_path(settings)
    try:
        public = load_public_key(key_file) if key_file is not None else None
    except (OSError, ValueError) as exc:
        print(f"cannot read the public key {key_file}: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(url)
    try:
        with Session(bind=engine) as session:
            report = verify(session, public, anchors)
    except SQLAlchemyError as exc:
        print(f"cannot read the audit trail: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_text(report))
    return 0 if report.intact else 1
