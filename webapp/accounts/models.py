"""Staff users and their roles in meetings. Attendees are registrations, not users."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.models import StrEnum, Timestamps, enum_column
from webapp.extensions import db


class RoleKind(StrEnum):
    """A staff role in one meeting (or series)."""
    ORGANISER = "organiser"
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    #: Adds and corrects translations of questions, answers and announcements; nothing else.
    INTERPRETER = "interpreter"


class User(UserMixin, Timestamps, db.Model):
    """A staff account (organisers, moderators, admins); attendees have no account."""
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased login e-mail.
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Werkzeug password hash; empty until the user sets a password from an invitation.
    password_hash: Mapped[str] = mapped_column(String(256), default="", nullable=False)
    #: Admins see and manage every meeting.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    #: Deactivated users cannot log in and their sockets are closed.
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    #: Preferred interface language (en, es, zh_Hans).
    locale: Mapped[str] = mapped_column(String(16), default="en", nullable=False)
    #: Bumped on logout-everywhere and password change: older sessions stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    roles: Mapped[list[MeetingRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        """Deactivated accounts cannot sign in or stay signed in."""
        return self.active

    def get_id(self) -> str:
        """The session id includes a version, so a password change logs out other devices."""
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r}{' admin' if self.is_admin else ''}>"


class MeetingRole(db.Model):
    """One person's role in one meeting."""
    __tablename__ = "meeting_roles"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    role: Mapped[RoleKind] = enum_column(RoleKind, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    user: Mapped[User] = relationship(back_populates="roles")
    meeting = relationship("Meeting", back_populates="roles")

    def __repr__(self) -> str:
        return f"<MeetingRole meeting={self.meeting_id} user={self.user_id} {self.role.value}>"


class SeriesRole(db.Model):
    """An organiser of a series: only they add meetings to it, edit it and name co-organisers.

    A meeting in a series is offered to attendees as "next session" only when one of its
    organisers also holds this role (see `registration.services.next_session`).
    """

    __tablename__ = "series_roles"
    __table_args__ = (UniqueConstraint("series_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("series.id", ondelete="CASCADE"), index=True, nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SeriesRole series={self.series_id} user={self.user_id}>"


class StaffInvitation(db.Model):
    """A one-time invitation to set a password and take a role in a meeting."""

    __tablename__ = "staff_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Lower-cased address the link was sent to; the account is created for it.
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    #: Name proposed by the inviter; the invitee may change it when accepting.
    name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    role: Mapped[RoleKind] = enum_column(RoleKind, nullable=False)
    #: Language of the e-mail and of the new account.
    language: Mapped[str] = mapped_column(String(16), default="en", nullable=False)
    #: SHA-256 of the link token; the token itself is only ever e-mailed.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    #: Set once the link was used (or withdrawn); a used link never works again.
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    meeting = relationship("Meeting")

    def __repr__(self) -> str:
        return f"<StaffInvitation {self.id} meeting={self.meeting_id} {self.role.value}>"


class SetupToken(db.Model):
    """The site's one first-run setup link, shared by every process (one row at most).

    Only a random nonce is stored; the link's token is an HMAC of it under `SECRET_KEY`, so
    every process of the site prints the same link and a database reader cannot use it.
    """

    __tablename__ = "setup_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    def __repr__(self) -> str:
        return f"<SetupToken {self.id}>"
