"""协同办公 entry point.

    python main.py                      the client (embedded demo server unless --server-url)
    python main.py server [...]         the backend
    python main.py screenshot --out DIR render the main screens to PNG
    python main.py document render SPEC.json OUT.pdf
    python main.py verify FILE.pdf [--json]
    python main.py archive verify PACKAGE.zip [--trust-root ROOT.pem]
    python main.py audit verify [--database-url URL] [--public-key FILE] [--json]
    python main.py admin appoint --login LOGIN --role ROLE [--database-url URL]  (三员分立)
    python main.py audit public-key [--out FILE]
    python main.py intake FILE [--json]  read a scan, photo, .docx or .ofd (收文录入)
"""

from __future__ import annotations

import argparse
import sys


def build_parser(server_options: bool = True) -> argparse.ArgumentParser:
    """The command line. ``server_options=False`` leaves out the server's options, whose
    definitions import the server's settings (~0.2 s): the client starts without them."""
    parser = argparse.ArgumentParser(prog="main.py", description="协同办公 — office collaboration")
    sub = parser.add_subparsers(dest="command")

    client = sub.add_parser("client", help="run the desktop client (default)")
    client.add_argument("--server-url", default=None, help="use this server instead of the embedded one")
    client.add_argument("--data-dir", default=None, help="where the embedded server keeps its data")

    server = sub.add_parser("server", help="run the backend server")
    if server_options:
        from server.cli import add_arguments

        add_arguments(server)

    shot = sub.add_parser("screenshot", help="render the main screens to PNG files")
    shot.add_argument("--out", required=True, help="output directory")

    document = sub.add_parser("document", help="official documents (公文) without the GUI")
    doc_sub = document.add_subparsers(dest="document_command", required=True)
    render = doc_sub.add_parser("render", help="render a document spec (JSON) to PDF")
    render.add_argument("spec")
    render.add_argument("out")

    verify = sub.add_parser("verify", help="verify the signatures and seals of a PDF")
    verify.add_argument("file")
    verify.add_argument("--json", action="store_true", help="machine-readable output")
    verify.add_argument(
        "--trust-root", action="append", default=None, help="trusted root certificate (PEM); repeatable"
    )

    archive = sub.add_parser("archive", help="archive packages (归档)")
    arch_sub = archive.add_subparsers(dest="archive_command", required=True)
    arch_verify = arch_sub.add_parser("verify", help="prove an archive package complete and unaltered")
    arch_verify.add_argument("package")
    arch_verify.add_argument(
        "--trust-root", action="append", default=None,
        help="seal authority root from outside the package (PEM); repeatable",
    )

    audit = sub.add_parser("audit", help="the security audit trail (安全审计)")
    if server_options:
        from server.audit.cli import add_arguments as add_audit_arguments

        add_audit_arguments(audit)

    admin = sub.add_parser("admin", help="administrator duties at the console (三员分立)")
    if server_options:
        from server.directory.appoint import add_arguments as add_admin_arguments

        add_admin_arguments(admin)

    intake = sub.add_parser("intake", help="read an incoming document (收文录入): PDF, image, .docx, .ofd")
    intake.add_argument("file")
    intake.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        argv = ["client", *argv]
    args = build_parser(server_options=argv[0] != "client").parse_args(argv)
    if args.command == "server":
        from server.cli import run

        return run(args)
    if args.command == "client":
        from office_app.launch import client_command

        return client_command(args)
    if args.command == "screenshot":
        from office_app.launch import screenshot_command

        return screenshot_command(args.out)
    if args.command == "document":
        from modules.documents.cli import render_command

        return render_command(args.spec, args.out)
    if args.command == "verify":
        from modules.seals.cli import verify_command

        return verify_command(args.file, args.json, args.trust_root)
    if args.command == "archive":
        from modules.documents.archive.verify import verify_command as archive_verify

        return archive_verify(args.package, trust_roots=args.trust_root)
    if args.command == "audit":
        from server.audit.cli import run as audit_run

        return audit_run(args)
    if args.command == "admin":
        from server.directory.appoint import run as admin_run

        return admin_run(args)
    if args.command == "intake":
        from modules.documents.intake.cli import intake_command

        return intake_command(args.file, args.json)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
