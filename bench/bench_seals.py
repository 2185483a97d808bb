"""Sign and verify timings for a 3-page document.

    .venv/bin/python bench/bench_seals.py [--rounds 10]

Prints median and min wall time (ms) for: stamping one seal (anchor placement, QR code),
stamping a second seal onto it, stamping with a 骑缝章, verifying one and two
signatures with difference analysis, and poppler's pdfsig on the joint document.
Figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from modules.seals import rules as R
from modules.seals.crypto import authority as A
from modules.seals.crypto.signer import LocalKeySigner
from modules.seals.pdf.stamp import Rect, stamp_pdf
from modules.seals.pdf.verify import verify_pdf
from tests.seals.conftest import make_pdf


def timed(fn, rounds: int) -> tuple[float, float, object]:
    times, result = [], None
    for _ in range(rounds):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times), result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    rounds = ap.parse_args().rounds
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    ks = A.KeyStore(A.MemoryStorage(), os.urandom(32))
    t0 = time.perf_counter()
    ca = A.SealAuthority.create("bench root", keystore=ks, now=now)
    ca_ms = (time.perf_counter() - t0) * 1000

    def kit(sid: str, body: str):
        issued = ca.issue_seal_certificate(seal_id=sid, seal_name=body + "公章", body_name=body,
                                           key_id=sid, not_before=now,
                                           not_after=now + dt.timedelta(days=30))
        seal = R.new_seal(seal_id=sid, name=body + "公章", type=R.SealType.OFFICIAL,
                          body_id=sid, body_name=body, custodians={"c"}, requesters={"r"},
                          valid_from=now, valid_to=now + dt.timedelta(days=30))
        return seal, LocalKeySigner(ks, sid, issued.certificate, [ca.root])

    gov, gov_s = kit("s1", "某某市人民政府办公室")
    fin, fin_s = kit("s2", "某某市财政局")
    doc = make_pdf(3)
    anchor = Rect(2, 330, 268, 160, 50)
    common = {"reason": "bench", "location": "bench", "signing_time": now}

    rows = [("create root CA (RSA 3072)", ca_ms, ca_ms)]
    m, n, one = timed(lambda: stamp_pdf(doc, gov_s, gov, anchor=anchor,
                                        qr_url="https://x/v/1", **common), rounds)
    rows.append(("stamp 1st seal (anchor + QR)", m, n))
    m, n, two = timed(lambda: stamp_pdf(one, fin_s, fin, box=(80, 380, 130, 130), page=2,
                                        **common), rounds)
    rows.append(("stamp 2nd seal (incremental)", m, n))
    m, n, _ = timed(lambda: stamp_pdf(doc, gov_s, gov, anchor=anchor, riding_seal=True,
                                      **common), rounds)
    rows.append(("stamp with 骑缝章 (3 pages)", m, n))
    m, n, rep = timed(lambda: verify_pdf(one, [ca.root]), rounds)
    assert rep.ok
    rows.append(("verify 1 signature", m, n))
    m, n, rep = timed(lambda: verify_pdf(two, [ca.root]), rounds)
    assert rep.ok
    rows.append(("verify 2 signatures (diff analysis)", m, n))
    pdfsig = shutil.which("pdfsig")
    if pdfsig:
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / "joint.pdf"
            p.write_bytes(two)
            m, n, _ = timed(lambda: subprocess.run([pdfsig, str(p)], capture_output=True,
                                                   check=False), rounds)
            rows.append(("pdfsig on the 2-seal file", m, n))
    print(f"3-page document: {len(doc)} bytes; 1 seal: {len(one)}; 2 seals: {len(two)}")
    print(f"{'operation':40s} {'median ms':>10s} {'min ms':>10s}")
    for name, med, mn in rows:
        print(f"{name:40s} {med:10.1f} {mn:10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
