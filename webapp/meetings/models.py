"""A meeting is one session; a series groups recurring sessions (e.g. "11th exchange")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.i18n_text import LocalizedText
from webapp.core.models import StrEnum, Timestamps, enum_column, localized_column
from webapp.extensions import db


class MeetingStatus(StrEnum):
    """Draft, published, live or ended; only drafts are hidden."""
    DRAFT = "draft"
    PUBLISHED = "published"
    LIVE = "live"
    ENDED = "ended"


class RegistrationMode(StrEnum):
    """How registrations are accepted: at once, with approval, or closed."""
    OPEN = "open"          #: confirmed at once while seats last
    APPROVAL = "approval"  #: an organiser approves each registration
    CLOSED = "closed"      #: no new registrations


class ModerationMode(StrEnum):
    """Whether questions wait for a moderator before they show."""
    PRE = "pre"    #: questions wait for a moderator before attendees see them
    POST = "post"  #: questions appear at once; moderators can dismiss afterwards


class BoardMode(StrEnum):
    """Whether the board takes posts, is read-only or off."""
    OPEN = "open"
    READ_ONLY = "read_only"
    OFF = "off"


class OrganisationRole(StrEnum):
    """The attendee's role in their organisation, for the registration figures."""
    HOST = "host"
    PARTNER = "partner"
    SUPPORTER = "supporter"


class Series(Timestamps, db.Model):
    """Meetings that belong together (a yearly exchange), with its own organisers."""
    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: URL name, e.g. `cn-pe-ngo-exchange`.
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    title: Mapped[LocalizedText] = localized_column()
    description: Mapped[LocalizedText] = localized_column()
    #: An optional banner (`webapp.media`) and accent colour (`#rrggbb`, WCAG AA checked).
    banner_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_images.id", ondelete="SET NULL"), index=True)
    accent_colour: Mapped[str | None] = mapped_column(String(7))

    banner = relationship("StoredImage", lazy="selectin")
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="series", order_by="Meeting.starts_at"
    )

    def __repr__(self) -> str:
        return f"<Series {self.id} {self.slug!r}>"


class Meeting(Timestamps, db.Model):
    """One online meeting: times, rules for Q&A and board, capacity and status."""
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("series.id", ondelete="SET NULL"), index=True
    )
    #: Position within the series ("eleventh session").
    session_number: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[LocalizedText] = localized_column()
    description: Mapped[LocalizedText] = localized_column()
    #: Added to the registration confirmation e-mail, in each meeting language.
    confirmation_text: Mapped[LocalizedText] = localized_column()
    #: Opens the follow-up e-mail after the meeting, in each meeting language.
    follow_up_text: Mapped[LocalizedText] = localized_column()
    #: IANA zone the organisers think in, e.g. `Asia/Shanghai`.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", nullable=False)
    #: Further IANA zones the audience lives in (e.g. ["America/Lima"]); every time is shown
    #: in the primary zone and in these.
    partner_timezones: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    #: Planned start and end, naive UTC.
    starts_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    planned_end: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    #: Latest end the organisers accept; the live clock warns past it.
    latest_end: Mapped[datetime | None] = mapped_column(DateTime)
    #: Spoken languages, e.g. ["zh_Hans", "es"]; interpretation is arranged outside Puente.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    #: The language organiser texts fall back to when the reader's is missing.
    default_language: Mapped[str] = mapped_column(String(16), default="en", server_default="en",
                                                  nullable=False)
    #: Seats; None means unlimited.
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_mode: Mapped[RegistrationMode] = enum_column(
        RegistrationMode, default=RegistrationMode.OPEN, nullable=False
    )
    qa_moderation: Mapped[ModerationMode] = enum_column(
        ModerationMode, default=ModerationMode.PRE, nullable=False
    )
    qa_open: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    #: Attendees may still ask once the meeting ended; moderators answer in writing and the
    #: answers go out with the follow-up e-mail.
    after_meeting_questions: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), nullable=False)
    anonymous_questions: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    question_max_length: Mapped[int] = mapped_column(Integer, default=500, nullable=False)
    board_mode: Mapped[BoardMode] = enum_column(BoardMode, default=BoardMode.OPEN, nullable=False)
    #: Seconds between two posts of one participant; 0 means no slow mode.
    board_slow_seconds: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: The organisers opened the wall (posts with authors) to everyone after the meeting;
    #: until then only staff and joined attendees see it (`board.services.may_see_wall`).
    wall_published: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                                 nullable=False)
    status: Mapped[MeetingStatus] = enum_column(
        MeetingStatus, default=MeetingStatus.DRAFT, nullable=False
    )
    recording_url: Mapped[str | None] = mapped_column(String(500))
    #: When the recording began (naive UTC): chapters and question marks count from here.
    recording_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Video-call link handed to joined attendees (Zoom, Jitsi, ...).
    stream_url: Mapped[str | None] = mapped_column(String(500))
    #: Days after the end when personal registration data is anonymised.
    retention_days: Mapped[int] = mapped_column(Integer, default=180, nullable=False)
    #: Steps of the organisers' checklist that leave no other trace, by key, with when an
    #: organiser first did them (ISO UTC): {"try_attendee": "2026-03-01T10:00:00Z"}.
    checklist_marks: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}",
                                                  nullable=False)
    #: SHA-256 of the presenter view token.
    presenter_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Last `seq` handed out by the meeting's event log.
    last_seq: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: Highest `seq` deleted from the log (erasure): a client behind it gets a snapshot.
    pruned_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                            nullable=False)

    #: An optional banner (`webapp.media`) and accent colour (`#rrggbb`, WCAG AA checked).
    banner_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_images.id", ondelete="SET NULL"), index=True)
    accent_colour: Mapped[str | None] = mapped_column(String(7))

    series: Mapped[Series | None] = relationship(back_populates="meetings")
    banner = relationship("StoredImage", lazy="selectin")
    organisations: Mapped[list[MeetingOrganisation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        order_by="MeetingOrganisation.position",
    )
    roles = relationship("MeetingRole", back_populates="meeting", cascade="all, delete-orphan")
    agenda_items = relationship(
        "AgendaItem", back_populates="meeting", cascade="all, delete-orphan",
        order_by="AgendaItem.position",
    )
    speakers = relationship(
        "Speaker", back_populates="meeting", cascade="all, delete-orphan", order_by="Speaker.name"
    )

    @property
    def content_languages(self) -> list[str]:
        """The languages organiser texts are written in, the default first."""
        rest = [lang for lang in (self.languages or []) if lang != self.default_language]
        return [self.default_language, *rest]

    @property
    def shown_banner(self):
        """The meeting's banner, else its series' (or `None`)."""
        return self.banner or (self.series.banner if self.series else None)

    @property
    def shown_accent(self) -> str | None:
        """The meeting's accent colour, else its series' (or `None`)."""
        return self.accent_colour or (self.series.accent_colour if self.series else None)

    @property
    def is_public(self) -> bool:
        """Whether attendees may see the meeting (anything but a draft)."""
        return self.status != MeetingStatus.DRAFT

    def qa_settings(self) -> dict:
        """The Q&A rules as every producer sends them (snapshots, `qa_settings_changed`,
        pages): one builder, so the HTTP editor and the live console cannot drift apart."""
        return {
            "moderation": self.qa_moderation.value,
            "anonymous_allowed": self.anonymous_questions,
            "open": self.qa_open,
            "max_length": self.question_max_length,
            "ended": self.status == MeetingStatus.ENDED,
            "after_meeting_questions": self.after_meeting_questions,
        }

    def board_settings(self) -> dict:
        """The board rules as every producer sends them (snapshots, `board_settings_changed`)."""
        return {"mode": self.board_mode.value, "slow_seconds": self.board_slow_seconds}

    @property
    def zones(self) -> tuple[str, ...]:
        """The primary zone, then the partner zones: every time of the meeting is shown in these."""
        return tuple(dict.fromkeys([self.timezone or "UTC", *(self.partner_timezones or [])]))

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.slug!r} {self.status.value}>"


class MeetingOrganisation(db.Model):
    """An organisation named on the meeting page as host, partner or supporter."""

    __tablename__ = "meeting_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    name: Mapped[LocalizedText] = localized_column()
    role: Mapped[OrganisationRole] = enum_column(
        OrganisationRole, default=OrganisationRole.PARTNER, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: The organisation's logo (`webapp.media`), transparency kept.
    logo_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_images.id", ondelete="SET NULL"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="organisations")
    logo = relationship("StoredImage", lazy="selectin")

    def __repr__(self) -> str:
        return f"<MeetingOrganisation {self.id} {self.role.value} {self.name!r}>"
