"""Pull pages are compressed with zstd for a client that takes it, else gzip, else sent
as they are; every coding decodes to the same page (server/sync/routes.py)."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest
import zstandard
from fastapi.testclient import TestClient

from server.sync.routes import accepted_codings
from tests.server.helpers import add_body, add_person, login
from tests.server.test_pokes import write


def test_accepted_codings_reads_the_header_as_http_says() -> None:
    assert accepted_codings("gzip, deflate, zstd") == {"gzip", "deflate", "zstd"}
    assert accepted_codings("ZSTD;q=0.5 , gzip;q=1.0") == {"zstd", "gzip"}
    assert accepted_codings("zstd;q=0, gzip") == {"gzip"}  # q=0: refused
    assert accepted_codings("zstd;q=zero") == set()  # a broken quality is not a yes
    assert accepted_codings("") == set()


def test_the_clients_http_library_asks_for_zstd() -> None:
    # sync/api.py's httpx asks for what it can decode: zstd once zstandard is installed.
    assert "zstd" in accepted_codings(httpx.Client().headers["accept-encoding"])


@pytest.mark.parametrize("form", ["lines", "json"])
def test_every_coding_gives_the_same_page(app: Any, form: str) -> None:
    add_body(app, "b1")
    add_person(app, "p1", "甲", "b1")
    for n in range(40):  # well over the 1 KiB below which nothing is compressed
        write(app.state.sessions, f"m{n}", {"user:p1"},
              data={"n": n, "标题": "关于做好年底工作的通知" * 3})
    with TestClient(app) as client:
        auth = login(client, "p1")
        bodies: dict[str, bytes] = {}
        for accept, coding in (("zstd", "zstd"), ("gzip, deflate, zstd", "zstd"),
                               ("gzip", "gzip"), ("zstd;q=0, gzip", "gzip"),
                               ("identity", None)):
            # The test client's httpx would decode the body itself: read it raw.
            with client.stream("GET", "/api/v1/sync/pull",
                               headers=auth | {"Accept-Encoding": accept},
                               params={"form": form}) as response:
                assert response.status_code == 200
                raw = b"".join(response.iter_raw())
            assert response.headers.get("content-encoding") == coding, accept
            if coding == "zstd":
                body = zstandard.ZstdDecompressor().decompress(raw)
                assert len(raw) < len(body) / 4
            elif coding == "gzip":
                body = gzip.decompress(raw)
            else:
                body = raw
            bodies[accept] = body
    pages = []
    for body in bodies.values():
        head = json.loads(body.split(b"\n", 1)[0]) if form == "lines" else json.loads(body)
        head.pop("server_time")
        pages.append((head, body.split(b"\n")[1:] if form == "lines" else []))
    assert all(page == pages[0] for page in pages)
    ids = ([row[2] for row in pages[0][0]["rows"]] if form == "lines"
           else [c["id"] for c in pages[0][0]["changes"]])
    assert [i for i in ids if i.startswith("m")] == [f"m{n}" for n in range(40)]
