"""Blobs: resumable upload, hash verification, ranged download, access control."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from fastapi.testclient import TestClient

from server.blobs.store import add_ref
from server.changefeed import record_change
from server.db import session_scope
from tests.server.helpers import add_body, add_person, login


def test_upload_resumes_verifies_and_serves_ranges(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = login(client, "p-1")
    data = os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    url = f"/api/v1/blobs/{sha}"
    first = client.put(url, headers=headers, params={"offset": 0, "total": len(data)},
                       content=data[:100_000])
    assert first.json() == {"received": 100_000, "complete": False}
    # The client was interrupted; it asks where to continue.
    status = client.get(f"{url}/status", headers=headers).json()
    assert status["received"] == 100_000 and not status["complete"]
    gap = client.put(url, headers=headers, params={"offset": 150_000, "total": len(data)},
                     content=data[150_000:])
    assert gap.status_code == 409 and gap.json()["error"]["params"]["have"] == 100_000
    done = client.put(url, headers=headers, params={"offset": 100_000, "total": len(data)},
                      content=data[100_000:])
    assert done.json() == {"received": len(data), "complete": True}
    whole = client.get(url, headers=headers)
    assert whole.content == data
    part = client.get(url, headers={**headers, "Range": "bytes=1000-1999"})
    assert part.status_code == 206 and part.content == data[1000:2000]


def test_wrong_content_is_refused_and_discarded(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    client = TestClient(app)
    headers = login(client, "p-1")
    sha = hashlib.sha256(b"the real thing").hexdigest()
    bad = client.put(f"/api/v1/blobs/{sha}", headers=headers, params={"offset": 0, "total": 9},
                     content=b"tampered!")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "blob.hash_mismatch"
    assert client.get(f"/api/v1/blobs/{sha}/status", headers=headers).status_code == 404


def test_only_people_who_see_a_referencing_record_can_read(app: Any) -> None:
    add_body(app)
    add_person(app, "p-1", "张伟")
    add_person(app, "p-2", "李娜")
    add_person(app, "p-3", "王芳")
    client = TestClient(app)
    owner, reader, stranger = login(client, "p-1"), login(client, "p-2"), login(client, "p-3")
    data = b"attachment bytes"
    sha = hashlib.sha256(data).hexdigest()
    client.put(f"/api/v1/blobs/{sha}", headers=owner, params={"offset": 0, "total": len(data)},
               content=data)
    assert client.get(f"/api/v1/blobs/{sha}", headers=reader).status_code == 404
    with session_scope(app.state.sessions) as s:
        record_change(s, "testing.doc", "d-1", {"attachment": sha}, {"user:p-2"})
        add_ref(s, sha, "testing.doc", "d-1")
    assert client.get(f"/api/v1/blobs/{sha}", headers=reader).content == data
    assert client.get(f"/api/v1/blobs/{sha}", headers=stranger).status_code == 404
