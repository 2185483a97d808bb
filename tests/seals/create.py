"""Creating a seal in tests as the client does: an uploaded picture first as a blob
(``PUT /blobs/{sha256}``), then the ``seals.create_seal`` intent through
``POST /sync/push``. Works with a FastAPI ``TestClient`` or an ``httpx.Client``; ``api``
is the path prefix the client needs (``""`` when its base URL already ends in /api/v1).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any


def upload(http: Any, headers: dict[str, str], data: bytes, *, api: str = "/api/v1") -> str:
    """Upload ``data`` as one blob; its SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    r = http.put(f"{api}/blobs/{sha}", params={"offset": 0, "total": len(data)}, content=data,
                 headers=headers | {"Content-Type": "application/octet-stream"})
    assert r.status_code == 200, r.text
    return sha


def push_create_seal(http: Any, headers: dict[str, str], args: dict[str, Any], *,
                     picture: bytes | None = None, api: str = "/api/v1") -> dict[str, Any]:
    """Send ``seals.create_seal``; the push result entry (``status``, ``result`` = the
    seal's data, or ``error``). ``picture``: an uploaded PNG, sent first as a blob."""
    if picture is not None:
        args = args | {"image_sha256": upload(http, headers, picture, api=api)}
    r = http.post(f"{api}/sync/push", headers=headers, json={"mutations": [
        {"id": str(uuid.uuid4()), "name": "seals.create_seal", "args": args}]})
    assert r.status_code == 200, r.text
    return dict(r.json()["results"][0])


def create_seal(http: Any, headers: dict[str, str], args: dict[str, Any], *,
                picture: bytes | None = None, api: str = "/api/v1") -> dict[str, Any]:
    """Like :func:`push_create_seal`, asserting it applied; the new seal's data."""
    res = push_create_seal(http, headers, args, picture=picture, api=api)
    assert res["status"] == "applied", res
    return dict(res["result"])
