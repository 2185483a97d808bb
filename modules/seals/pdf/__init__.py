"""Seals on PDFs: the seal picture (:mod:`.image`), stamping (:mod:`.stamp`, PAdES with a
visible seal) and verification (:mod:`.verify`, 验章).

Pure: no Qt, no HTTP, no database. CPU-bound: call off the GUI thread.
"""
