"""Board posts and reactions. Posts are paged by (id) keyset, never OFFSET."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.models import StrEnum, Timestamps, enum_column
from webapp.extensions import db


class ReactionKind(StrEnum):
    """The reactions a post can get."""
    THANKS = "thanks"
    APPLAUSE = "applause"
    LIKE = "like"
    INSIGHTFUL = "insightful"


class Post(Timestamps, db.Model):
    """A message on the board."""
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("meeting_id", "registration_id", "client_id"),
        Index("ix_posts_meeting_id_id", "meeting_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    #: Attendee author; None for staff announcements. Erasure keeps the registration row (its
    #: personal fields cleared), so an erased author's posts still point at it.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    #: Staff author of an announcement.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    #: Language tag of `text` (guessed like a question's), for `lang` attributes; None for
    #: posts from before it was stored (guessed when shown).
    language: Mapped[str | None] = mapped_column(String(16))
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    hide_reason: Mapped[str | None] = mapped_column(String(500))
    #: When staff marked the post "quote in the report" (naive UTC); None when not quoted.
    #: Hiding the post or its author erasing their data clears it.
    quoted_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Translations of a staff announcement: {lang: {text, machine, by, at}}; None until
    #: the first one.
    translations: Mapped[dict | None] = mapped_column(JSON)
    #: Bumped in every transaction that adds or removes a reaction: clients keep the counts
    #: with the highest version, whichever process's broadcast arrives last.
    reactions_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                                   nullable=False)

    registration = relationship("Registration")
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<Post {self.id} meeting={self.meeting_id}{' hidden' if self.hidden else ''}>"


class Reaction(db.Model):
    """One attendee's reaction of one kind to one post (unique, so retries count once)."""
    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("post_id", "registration_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"),
                                         nullable=False)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[ReactionKind] = enum_column(ReactionKind, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    def __repr__(self) -> str:
        return f"<Reaction post={self.post_id} {self.kind.value}>"


class FollowUpMail(db.Model):
    """One follow-up digest per person and meeting: publishing again never mails twice."""

    __tablename__ = "follow_up_mails"
    __table_args__ = (UniqueConstraint("meeting_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), nullable=False
    )
    #: Questions the digest answered, for the record.
    question_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: When the digest was handed to the mailer (naive UTC).
    sent_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    def __repr__(self) -> str:
        return f"<FollowUpMail meeting={self.meeting_id} registration={self.registration_id}>"
