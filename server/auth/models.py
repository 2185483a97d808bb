"""Accounts (credentials of a directory person), their devices and refresh tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Account(Base):
    __tablename__ = "auth_account"

    person_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("directory_person.id"), primary_key=True
    )
    login: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    failed_logins: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Device(Base):
    """One computer (or phone) a person signed in from.

    ``client_id`` is generated once per client data directory and sent at sign-in; the
    row's own ``id`` is what tokens carry (claim ``dev``), so two people on one shared
    computer have two rows. A revoked device (``revoked_at``) can never be used again:
    its token families are revoked and every request with its tokens answers
    ``auth.device_revoked``, on which the client wipes its data and acknowledges
    (``wiped_at``). Signing in again on that computer makes a new row.
    """

    __tablename__ = "auth_device"
    __table_args__ = (Index("ix_auth_device_person_client", "person_id", "client_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("directory_person.id"), nullable=False
    )
    client_id: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    platform: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    app_version: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_address: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    revoked_by: Mapped[str | None] = mapped_column(String(40), nullable=True)
    wiped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RefreshToken(Base):
    """One refresh token; rotated on use. Reusing a dead one revokes its family."""

    __tablename__ = "auth_refresh_token"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("directory_person.id"), nullable=False, index=True
    )
    family_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    device: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    #: The device row the family belongs to (None: issued before devices were known).
    device_id: Mapped[str | None] = mapped_column(
        String(40), ForeignKey("auth_device.id"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ServerSecret(Base):
    """Secrets generated once and shared by every server process on the database."""

    __tablename__ = "server_secret"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
