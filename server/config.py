"""Server settings, all read from the environment (prefix ``OFFICE_``) in one place.

Every setting is documented in README.md ("Server settings"). ``get_settings()`` is
cached per process; tests build ``Settings(...)`` directly and pass it to
``create_app``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """Where an embedded server keeps its SQLite file and blobs by default."""
    return Path(platformdirs.user_data_dir("office-collab")) / "server"


class Settings(BaseSettings):
    """Server configuration. Field ``foo_bar`` is set by env ``OFFICE_FOO_BAR``."""

    model_config = SettingsConfigDict(env_prefix="OFFICE_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    #: SQLAlchemy URL; empty = SQLite file ``<data_dir>/office.db``.
    database_url: str = ""
    #: Where blob bytes live; empty = ``<data_dir>/blobs``. Shared by all workers.
    blob_dir: Path | None = None
    #: HMAC key for access tokens; empty = generated once and kept in the database,
    #: so that all workers on one database share it.
    secret_key: str = ""
    access_token_minutes: int = 15
    refresh_token_days: int = 30
    #: Seconds after a rotation during which the old refresh token, presented again,
    #: gets the same successor (a retry whose answer was lost) instead of counting as
    #: reuse. Reuse after that, or after the successor was used, revokes the family.
    refresh_grace_seconds: int = 60
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    #: Largest request body accepted (bytes); blob chunks are at most 4 MiB.
    max_body_bytes: int = 8 * 1024 * 1024
    max_blob_bytes: int = 512 * 1024 * 1024
    #: Seed the demo organisation on start when the database is empty.
    demo: bool = False
    #: Tombstones older than this many days are purged; older cursors get 410.
    tombstone_days: int = 90
    #: Seconds between checks of the change counter by the push channel.
    push_poll_seconds: float = 0.3
    push_keepalive_seconds: float = 15.0
    #: At most one poke per connection per this many seconds (issue 11: coalescing).
    push_coalesce_seconds: float = 1.0
    #: Each poke tells the client to wait a random 0..this many seconds before pulling.
    push_jitter_seconds: float = 0.5
    #: Directory changes seen by a whole region (``dir:…``, ``all``) poke at most once per
    #: this many seconds, spread over its second half (see server/sync/pokes.py).
    push_quiet_seconds: float = 30.0
    #: Seconds after which the hub re-reads an open connection's audience keys.
    push_scope_refresh_seconds: float = 300.0
    #: PostgreSQL only: each feed-advancing commit sends ``NOTIFY office_feed`` and every
    #: process's hub LISTENs, so other processes' commits wake it at once
    #: (server/sync/notify.py); false = polling only.
    push_notify: bool = True
    #: Seconds between the hub's checks of the counter while its LISTEN connection is up
    #: (a safety net; ``push_poll_seconds`` applies while it is down).
    push_notify_poll_seconds: float = 2.0
    #: URL of the hub's LISTEN connection; empty = ``database_url``. LISTEN needs a
    #: session of its own: behind PgBouncer in transaction mode, point this at PostgreSQL
    #: itself (or a session-mode pool).
    notify_database_url: str = ""
    #: Key that encrypts seal private keys at rest (base64, 32 bytes); empty = derived
    #: from the database-held secret (fine for the demo, not for production).
    seal_master_key: str = ""
    #: RFC 3161 time-stamp service for seals (PAdES B-T); empty = signing time only.
    tsa_url: str = ""
    #: The domain of meetings' iCalendar UIDs (``<meeting id>@<domain>``) and of the
    #: addresses of people without an email (``mailto:<person id>@<domain>``). Keep it
    #: stable: calendar apps match events and replies by it.
    calendar_domain: str = "office-collab.invalid"
    #: Seconds between each process's look for due reminders; 0 = this process sends none.
    reminder_poll_seconds: float = 15.0
    #: Seconds between each process's look for queued batch intake jobs (收文录入,
    #: server/documents/intake_jobs.py); 0 = this process reads none.
    intake_poll_seconds: float = 2.0
    #: How long a process's claim of an intake job holds without page progress; a job
    #: whose process died is taken again after it.
    intake_lease_seconds: float = 600.0
    #: Minutes before a meeting at which its attendees are reminded (JSON list in env).
    meeting_reminder_minutes: list[int] = Field(default_factory=lambda: [1440, 30])
    #: Minutes before the 回执 deadline at which those who have not answered are reminded.
    reply_reminder_minutes: int = 240
    #: A reminder that comes due more than this many hours late (server down) expires.
    reminder_max_late_hours: float = 24.0
    #: Working days before a supervision item's deadline at which its handler is reminded.
    supervision_notice_days: int = 2
    #: Hours between two manual 催办 of the same unit on the same supervision item.
    supervision_urge_hours: float = 24.0
    #: Minutes after a booking's start with nobody checked in before it is released; 0 = off.
    noshow_release_minutes: int = 0
    #: Minutes before the organiser may chase the same person's 回执 again.
    chase_interval_minutes: int = 120
    #: The deployment's meeting types (JSON list in env); empty: the built-in list
    #: (modules.meetings.meeting.MEETING_KINDS). Published to every device at start.
    meeting_kinds: list[str] = Field(default_factory=list)
    #: The audit trail's signing key (Ed25519, PEM); empty = ``<data_dir>/audit-signing.key``,
    #: created on first start. Keep it off the database server in production
    #: (docs/AUDIT.md); every process of one deployment must read the same file.
    audit_key_file: Path | None = None
    #: A checkpoint signs the chain once this many entries are unsigned …
    audit_checkpoint_entries: int = 1000
    #: … or when the last checkpoint is this many minutes old and entries followed it.
    audit_checkpoint_minutes: float = 10.0
    #: Seconds between each process's chaining passes when no commit woke it.
    audit_chain_seconds: float = 5.0
    #: Take the client address from ``X-Forwarded-For`` (set only behind a reverse proxy
    #: that overwrites it); otherwise the TCP peer is recorded.
    audit_trust_proxy: bool = False
    log_json: bool = True
    log_level: str = "INFO"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'office.db'}"

    def resolved_notify_url(self) -> str:
        return self.notify_database_url or self.resolved_database_url()

    def resolved_blob_dir(self) -> Path:
        return self.blob_dir or (self.data_dir / "blobs")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
