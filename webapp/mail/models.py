"""Outgoing e-mail kept in the database until delivered, so a failed delivery loses nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.models import StrEnum, Timestamps, enum_column
from webapp.core.timeutil import utcnow
from webapp.extensions import db


class MailStatus(StrEnum):
    """Where a queued mail is: waiting, sent or given up."""
    QUEUED = "queued"  #: waiting for its next attempt
    SENT = "sent"
    FAILED = "failed"  #: gave up after the last attempt; `puente mail retry` queues it again


class QueuedMail(Timestamps, db.Model):
    """One e-mail, written in the same transaction as the change that causes it."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased address as given; what `forget_address` deletes by.
    recipient: Mapped[str] = mapped_column(String(254), index=True, nullable=False)
    subject: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: The whole rendered message (RFC 5322 bytes), sent as is.
    message: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    #: What per-address limits count, e.g. "link:<meeting id>"; None for everything else.
    category: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[MailStatus] = enum_column(MailStatus, default=MailStatus.QUEUED,
                                             nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: When a worker may try next; a claim moves it forward by a lease.
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"<QueuedMail {self.id} {self.status.value} attempts={self.attempts}>"
