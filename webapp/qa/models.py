"""Questions and votes. Vote counts are denormalised on the question for cheap sorting."""

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

#: Longest written answer (characters); translations may grow it (`translation_services`).
ANSWER_MAX = 5000


class QuestionStatus(StrEnum):
    """Where a question is in its life; changes follow `TRANSITIONS`."""
    PENDING = "pending"      #: waiting for a moderator (pre-moderation)
    LIVE = "live"            #: visible to attendees, open for votes
    ANSWERED = "answered"
    DISMISSED = "dismissed"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"  #: taken back by the asker; kept for the export


_S = QuestionStatus

#: Every status change of a question, by action: the statuses it may start from and the one it
#: leaves. The services ask `next_status`; nothing else sets a status, so this table is the
#: whole life of a question.
TRANSITIONS: dict[str, tuple[frozenset[QuestionStatus], QuestionStatus]] = {
    "approve": (frozenset({_S.PENDING}), _S.LIVE),
    "dismiss": (frozenset({_S.PENDING, _S.LIVE, _S.ANSWERED}), _S.DISMISSED),
    "merge": (frozenset({_S.PENDING, _S.LIVE, _S.ANSWERED, _S.DISMISSED, _S.ARCHIVED}),
              _S.DISMISSED),
    "mark_answered": (frozenset({_S.LIVE, _S.ANSWERED}), _S.ANSWERED),
    "answer": (frozenset({_S.PENDING, _S.LIVE, _S.ANSWERED}), _S.ANSWERED),
    "restore": (frozenset({_S.DISMISSED, _S.ARCHIVED, _S.ANSWERED}), _S.LIVE),
    "archive": (frozenset({_S.PENDING, _S.LIVE, _S.ANSWERED, _S.DISMISSED}), _S.ARCHIVED),
    # An edit by the asker sends a live question back to moderation (pre-moderated meetings).
    "resubmit": (frozenset({_S.PENDING, _S.LIVE}), _S.PENDING),
    "withdraw": (frozenset({_S.PENDING, _S.LIVE}), _S.WITHDRAWN),
}


def next_status(action: str, current: QuestionStatus) -> QuestionStatus | None:
    """The status `action` leaves a question in `current`, or None when it is refused."""
    allowed, target = TRANSITIONS[action]
    return target if current in allowed else None


class DismissReason(StrEnum):
    """Why a moderator dismissed a question; the asker is told."""
    DUPLICATE = "duplicate"
    OFF_TOPIC = "off_topic"
    OUT_OF_TIME = "out_of_time"
    INAPPROPRIATE = "inappropriate"
    OTHER = "other"


class Question(Timestamps, db.Model):
    """A question from an attendee, with its moderation state and denormalised vote count."""
    __tablename__ = "questions"
    __table_args__ = (
        UniqueConstraint("meeting_id", "registration_id", "client_id"),
        Index("ix_questions_meeting_status", "meeting_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    #: The asker; None when asked by staff. Erasure keeps the registration row (its personal
    #: fields cleared, `anonymised_at` set), so an erased asker's questions still point at it.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    #: Idempotency key chosen by the client: a retried emit is stored once.
    client_id: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    #: The asker's wording when a moderator edited the text.
    original_text: Mapped[str | None] = mapped_column(Text)
    #: Language tag: en, es, zh_Hans or another BCP 47 tag.
    language: Mapped[str] = mapped_column(String(16), default="en", nullable=False)
    #: Hidden from attendees (never sent to them); staff still see the author.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    status: Mapped[QuestionStatus] = enum_column(
        QuestionStatus, default=QuestionStatus.PENDING, nullable=False
    )
    dismiss_reason: Mapped[DismissReason | None] = enum_column(DismissReason, nullable=True)
    dismiss_note: Mapped[str | None] = mapped_column(String(500))
    #: Written answer by a moderator or speaker.
    answer_text: Mapped[str | None] = mapped_column(Text)
    #: Translations of `text` by language: {lang: {text, machine, by, at}} (see
    #: `meetings.translations`); None until the first one.
    translations: Mapped[dict | None] = mapped_column(JSON)
    #: Translations of `answer_text`, in the same shape.
    answer_translations: Mapped[dict | None] = mapped_column(JSON)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: The staff member who marked it answered or first answered it in writing; None when
    #: not recorded (answered before this was kept, or the account was deleted).
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: "Now answering": at most one per meeting.
    highlighted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    #: When it was last highlighted: the console and the presenter count the time from it.
    highlighted_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Place in the moderators' "up next" order (0 first); None when not in it. Live only.
    up_next_position: Mapped[int | None] = mapped_column(Integer)
    starred: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    labels: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("questions.id", ondelete="SET NULL")
    )
    vote_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: Bumped with every change of `vote_count` in the same UPDATE: clients keep the tally
    #: with the highest version, whichever process's broadcast arrives last.
    votes_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0",
                                               nullable=False)
    #: Optimistic concurrency: moderators send the version they saw.
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    registration = relationship("Registration")
    agenda_item = relationship("AgendaItem")
    answered_by = relationship("User")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Question {self.id} meeting={self.meeting_id} {self.status.value}>"


class Vote(db.Model):
    """One attendee's vote on one question (unique per pair, so retries count once)."""
    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("question_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), nullable=False
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    def __repr__(self) -> str:
        return f"<Vote question={self.question_id} registration={self.registration_id}>"
