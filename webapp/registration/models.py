"""A registration is an attendee's identity in one meeting: it asks, votes and posts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.i18n_text import LocalizedText
from webapp.core.models import StrEnum, Timestamps, enum_column, localized_column
from webapp.core.timeutil import utcnow
from webapp.extensions import db


class RegistrationStatus(StrEnum):
    """Where a registration is: pending, confirmed, waitlisted, rejected or cancelled."""
    CONFIRMED = "confirmed"
    PENDING = "pending"        #: waiting for an organiser's approval
    WAITLISTED = "waitlisted"  #: capacity reached; promoted in order when a seat frees
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class OrganisationType(StrEnum):
    """The kind of organisation an attendee comes from, for the figures."""
    GOVERNMENT = "government"
    PARLIAMENT = "parliament"
    PARTY = "party"
    HEALTH = "health"
    NGO = "ngo"
    UNIVERSITY = "university"
    COMPANY = "company"
    MEDIA = "media"
    OTHER = "other"


class QuestionKind(StrEnum):
    """The kind of an extra registration question."""
    TEXT = "text"
    CHOICE = "choice"
    CHECKBOX = "checkbox"


class Registration(Timestamps, db.Model):
    """One attendee of one meeting; the join link is their key (no account)."""
    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("meeting_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Full name in any script.
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Lower-cased; unique per meeting. Replaced by a placeholder when anonymised.
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    organisation: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    organisation_type: Mapped[OrganisationType] = enum_column(
        OrganisationType, default=OrganisationType.OTHER, nullable=False
    )
    #: Position or title within the organisation.
    position: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    #: ISO 3166-1 alpha-2 country code.
    country: Mapped[str] = mapped_column(String(2), default="", nullable=False)
    #: Language for e-mails and the interface: en, es or zh_Hans.
    language: Mapped[str] = mapped_column(String(16), default="en", nullable=False)
    #: Viewer's IANA zone as detected in the browser at sign-up (for e-mails).
    timezone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[RegistrationStatus] = enum_column(
        RegistrationStatus, default=RegistrationStatus.CONFIRMED, nullable=False
    )
    #: Answers to the organiser's custom questions, keyed by question id (as text).
    answers: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: SHA-256 of the personal join token; the token itself is only ever e-mailed.
    join_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: A newer link mailed on request; the current one keeps working until this one is used.
    pending_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Bumped when the link is revoked or reissued: sessions joined with an older one end.
    link_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                              nullable=False)
    #: First and latest live connection, for attendance figures.
    first_joined_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: First time the attendee opened the recording through Puente (`/m/<slug>/recording`).
    recording_opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Muted participants can read but not ask or post; banned ones are disconnected.
    muted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    banned: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    #: Set when personal data was erased; the row stays for counts.
    anonymised_at: Mapped[datetime | None] = mapped_column(DateTime)

    meeting = relationship("Meeting")

    def __repr__(self) -> str:
        return f"<Registration {self.id} meeting={self.meeting_id} {self.status.value}>"


class PresenceSample(db.Model):
    """Attendees connected to a meeting's live page at one moment, at most one row a minute.

    Written by the live adapter's presence sampler (`live.sweep.sample_presence`) from the
    meeting-wide count behind the online indicator, staff left out. With several processes
    each may sample the same minute: the unique (meeting, bucket) keeps one row, the highest.
    """

    __tablename__ = "presence_samples"
    __table_args__ = (UniqueConstraint("meeting_id", "bucket"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    #: The start of the sampled minute (naive UTC).
    bucket: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    #: When the count was seen (naive UTC), within the bucket.
    at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    attendees_online: Mapped[int] = mapped_column(Integer, nullable=False)

    def __repr__(self) -> str:
        return f"<PresenceSample meeting={self.meeting_id} {self.bucket} {self.attendees_online}>"


class LinkRequest(db.Model):
    """Someone asked for the personal link of an address (known or not); the mail worker
    decides, so the request does the same work whether the address is registered."""

    __tablename__ = "link_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    #: As typed (lower-cased); deleted as soon as the worker has handled the request.
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<LinkRequest {self.id} meeting={self.meeting_id}>"


class RegistrationQuestion(Timestamps, db.Model):
    """A custom question an organiser adds to the registration form."""

    __tablename__ = "registration_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    label: Mapped[LocalizedText] = localized_column()
    help_text: Mapped[LocalizedText] = localized_column()
    kind: Mapped[QuestionKind] = enum_column(QuestionKind, default=QuestionKind.TEXT,
                                             nullable=False)
    #: Options for `choice` questions: each a text or a {language: text} object.
    choices: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    required: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    def options(self) -> list[tuple[str, LocalizedText]]:
        """Each choice as (stored answer, label): answers keep the default-language text, so
        a translation added later does not orphan them."""
        options = []
        for choice in self.choices or []:
            text = LocalizedText(choice)
            options.append((text.pick(next(iter(text.languages), None))[0], text))
        return options

    def __repr__(self) -> str:
        return f"<RegistrationQuestion {self.id} {self.kind.value} {self.label!r}>"
