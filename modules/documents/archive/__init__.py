"""Archiving (归档): 档号 rules, the archive package, and its verification (四性检测).

Pure package: no Qt, no HTTP, no database. Thread-safe (no shared state). Building and
verifying read PDFs and check signatures, which is CPU-bound: call off the GUI thread.

* :mod:`.numbers` — 档号 (archive reference): parse, format, validate; 保管期限 codes and
  the proposed 保管期限 by document type.
* :mod:`.package` — :func:`~modules.documents.archive.package.build_package`: one 件 as a
  zip with its metadata, manifest and the archiving body's signature.
* :mod:`.verify` — :func:`~modules.documents.archive.verify.verify_package` (the 四性
  checks of DA/T 70-2018) and ``python main.py archive verify PKG.zip``.
* :mod:`.pdf` — what a PDF holds (pages, fonts not embedded, 密级 markings, seals).
* :mod:`.sign` — the archiving body's signature over the manifest (``manifest.sig``).
* :mod:`.zipnames` — member names written by other zip tools.
* :mod:`.messages` — the message catalog (``archive.*`` codes).

The package format is described in docs/ARCHIVE.md.
"""
