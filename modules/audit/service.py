"""Client side of the audit trail (安全审计): online reads through the session's
:class:`sync.api.ApiClient` — the trail is never cached on a device.

Every method blocks on the network: call it on the task runner (``PageWork.run``), never
on the GUI thread (``sync.guithread`` checks). Without a server connection the methods
raise ``Offline`` (``audit.needs_online``); the server's refusals arrive as their
``DomainError`` (``audit.not_auditor`` …) in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

from modules.audit.filters import DEFAULT_LIMIT, Filter
from modules.audit.policy import AUDIT_ROLE
from modules.common import messages
from modules.common.errors import Offline

messages.register({
    "audit.needs_online": {
        "zh_CN": "审计日志只保存在服务器上，需要联网才能查看和导出。",
        "en": "The audit trail is kept on the server only: connect to read or export it.",
    },
})

FORMATS = ("csv", "xlsx")


class Api(Protocol):
    """What the service needs of :class:`sync.api.ApiClient`."""

    def request_json(self, method: str, path: str, *, json: Any = None,
                     params: Mapping[str, Any] | None = None) -> Any: ...

    def get_bytes(self, path: str) -> bytes: ...


def holds_audit_role(principal: Mapping[str, Any]) -> bool:
    """Whether the signed-in person (``/me`` as the client keeps it) holds
    ``audit_admin`` on any post — the page shows only then; the server decides anyway."""
    roles = set(principal.get("roles") or ())
    for post in principal.get("posts") or ():
        if isinstance(post, Mapping):
            roles.update(post.get("roles") or ())
    return AUDIT_ROLE in roles


@dataclass
class Page:
    """One page of entries, newest first; ``next_before`` is where the next page starts
    (``None``: this was the last)."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    next_before: int | None = None


class AuditService:
    """Online reads of the trail. ``api`` is the session's ApiClient (``None`` offline)."""

    def __init__(self, api: Api | None, *, offline: bool = False) -> None:
        self.api = api
        self.offline = offline

    @classmethod
    def of(cls, context: Any) -> AuditService:
        """The service for an :class:`office_app.context.AppContext`."""
        engine = getattr(context, "engine", None)
        api = getattr(engine, "api", None) or getattr(getattr(context, "session", None), "api", None)
        # a session resumed offline may reconnect: its calls fail as Offline until then
        return cls(api)

    def _api(self) -> Api:
        if self.api is None or self.offline:
            raise Offline("audit.needs_online")
        return self.api

    def search(self, f: Filter, *, before: int | None = None,
               limit: int = DEFAULT_LIMIT) -> Page:
        """``GET /audit/entries`` with ``f``; the page starting below ``before``."""
        params: list[tuple[str, str]] = [*f.params(), ("limit", str(limit))]
        if before is not None:
            params.append(("before", str(before)))
        body = self._api().request_json("GET", "/audit/entries", params=_multi(params))
        entries = [dict(e) for e in (body.get("entries") or []) if isinstance(e, Mapping)]
        nxt = body.get("next_before")
        return Page(entries, int(nxt) if isinstance(nxt, int) else None)

    def entry(self, seq: int) -> dict[str, Any]:
        """``GET /audit/entries/{seq}``: one entry with its hashes."""
        return dict(self._api().request_json("GET", f"/audit/entries/{int(seq)}"))

    def status(self) -> dict[str, Any]:
        """``GET /audit/status``: entries in scope, last chained seq, last checkpoint."""
        return dict(self._api().request_json("GET", "/audit/status"))

    def export(self, f: Filter, fmt: str, path: Path) -> Path:
        """Download ``GET /audit/export`` as ``fmt`` (csv / xlsx) and write it to ``path``
        atomically (a ``.part`` file renamed into place); the path written."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown export format {fmt!r}")
        query = urlencode([("format", fmt), *f.params()])
        data = self._api().get_bytes(f"/audit/export?{query}")
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path


def _multi(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Query pairs as the mapping ``request_json`` takes (repeated names as lists)."""
    out: dict[str, Any] = {}
    for name, value in pairs:
        if name in out:
            current = out[name]
            out[name] = [*current, value] if isinstance(current, list) else [current, value]
        else:
            out[name] = [value] if name == "category" else value
    return out
