"""The one error taxonomy shared by client and server.

Two kinds of failure exist and nothing else:

* **Expected errors** (:class:`DomainError` and its subclasses) — bad input, a rule that
  forbids the action, missing permission, a business conflict, an unreachable server.
  They carry a stable machine ``code``, ``params`` for the message, and render to a
  sentence in the user's language through :mod:`modules.common.messages`. The server
  answers them with a 4xx status (``http_status``); the client shows them in words and
  never as a traceback.
* **Bugs** — every other exception. They are logged with their traceback (and the
  request id on the server), answered with a 500 on the server, and reported as
  "internal error" to the user. Code must not catch them to hide them.

Raise the most specific subclass; pick a ``code`` from ``messages.CATALOG`` (add the
Chinese and English text there when inventing a new one).
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """An expected failure with a machine code and a message in the user's language."""

    http_status: int = 400
    #: Outcome an intent gets when this error rejects it (see docs/ARCHITECTURE.md).
    outcome: str = "rejected"
    #: The server's id of the request that failed ("" when none): shown with bugs and
    #: server errors so an administrator can find the log lines.
    request_id: str = ""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str = "zh_CN") -> str:
        """The sentence to show the user, in ``lang`` (``zh_CN`` or ``en``)."""
        from modules.common.messages import render

        return render(self.code, lang, self.params)

    def to_dict(self, lang: str = "zh_CN") -> dict[str, Any]:
        """JSON shape used on the wire: ``{"code", "message", "params"}``."""
        return {
            "code": self.code,
            "message": self.message(lang),
            "params": {k: _jsonable(v) for k, v in self.params.items()},
        }

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.code}: {self.message('en')}"


class ValidationFailed(DomainError):
    """Input that does not satisfy the rules (wrong type, missing field, bad value)."""

    http_status = 422


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it exists."""

    http_status = 404


class PermissionDenied(DomainError):
    """The caller is known but not allowed to do this."""

    http_status = 403


class AuthenticationFailed(DomainError):
    """Credentials missing, wrong, expired or revoked."""

    http_status = 401


class Conflict(DomainError):
    """The action was valid once but the state moved on (someone else acted first)."""

    http_status = 409
    outcome = "conflict"


class ClassifiedRefused(ValidationFailed):
    """A classified (涉密) document or field was offered; the product stores none."""

    def __init__(self, level: str = "", *, field: str = "") -> None:
        if field:
            super().__init__("document.classified_refused", level=level, field=field)
        else:
            super().__init__("document.classified_refused", level=level)


class ResyncRequired(DomainError):
    """A pull cursor is well-formed but no longer honoured: pull from scratch (410)."""

    http_status = 410

    def __init__(self, code: str = "sync.resync_required", /, **params: Any) -> None:
        super().__init__(code, **params)


class TooLarge(DomainError):
    """A body, file or batch is larger than allowed."""

    http_status = 413


class Offline(DomainError):
    """The server cannot be reached; the work is queued or the action needs a connection."""

    http_status = 503


class CacheDamaged(DomainError):
    """The local cache file turned out damaged while in use (client only): the next
    start rebuilds it and keeps the queued intents (see docs/SYNC.md)."""

    http_status = 500


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
