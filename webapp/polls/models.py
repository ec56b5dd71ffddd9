"""Polls and their answers. One answer per registration and poll, changeable until it closes."""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.i18n_text import LocalizedText
from webapp.core.models import StrEnum, Timestamps, enum_column, localized_column
from webapp.extensions import db


class PollKind(StrEnum):
    """What an attendee answers with."""
    SINGLE = "single"          #: one option
    MULTIPLE = "multiple"      #: up to `max_choices` options
    RATING = "rating"          #: stars (1..5) or a 0..10 scale
    WORD_CLOUD = "word_cloud"  #: 1..3 short entries
    OPEN_TEXT = "open_text"    #: a free text, moderated like questions
    RANKING = "ranking"        #: every option, in order


#: Kinds whose answers refer to `options`.
OPTION_KINDS = frozenset({PollKind.SINGLE, PollKind.MULTIPLE, PollKind.RANKING})


class RatingScale(StrEnum):
    """The scale of a rating poll."""
    STARS5 = "stars5"    #: 1..5
    SCALE10 = "scale10"  #: 0..10


class ResultsVisibility(StrEnum):
    """When attendees see results (staff and the presenter always do)."""
    LIVE = "live"
    CLOSED = "closed"  #: once the poll is closed
    NEVER = "never"


class PollStatus(StrEnum):
    """A poll's life: prepared, answered, finished (it may be opened again)."""
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class AnswerStatus(StrEnum):
    """Whether an answer counts in results; open-text answers may wait for a moderator."""
    SHOWN = "shown"
    PENDING = "pending"
    HIDDEN = "hidden"


class Poll(Timestamps, db.Model):
    """One question put to the meeting, with its options and the state of its answering."""
    __tablename__ = "polls"
    __table_args__ = (Index("ix_polls_meeting_status", "meeting_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL")
    )
    #: Order in the console's list (0 first).
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    kind: Mapped[PollKind] = enum_column(PollKind, nullable=False)
    #: The question in every meeting language, the default first.
    question: Mapped[LocalizedText] = localized_column()
    #: Options as `LocalizedText` JSON values (str or {lang: text}); empty for other kinds.
    options: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    #: Most options one answer may pick (multiple only).
    max_choices: Mapped[int | None] = mapped_column(Integer)
    scale: Mapped[RatingScale | None] = enum_column(RatingScale, nullable=True)
    results: Mapped[ResultsVisibility] = enum_column(
        ResultsVisibility, default=ResultsVisibility.LIVE, nullable=False
    )
    #: Answers are exported and shown without names.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    status: Mapped[PollStatus] = enum_column(PollStatus, default=PollStatus.DRAFT,
                                             nullable=False)
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Stored answers (any status), moved in the answering UPDATE.
    answer_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: Bumped with every change of the answers: clients keep the results with the highest.
    results_rev: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    #: Optimistic concurrency for staff edits (answers never touch it).
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Poll {self.id} meeting={self.meeting_id} {self.kind.value} {self.status.value}>"


class PollAnswer(Timestamps, db.Model):
    """One registration's answer to one poll (unique per pair, so retries store it once)."""
    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("poll_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), nullable=False
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Idempotency key of the emit that last wrote the answer.
    client_id: Mapped[str | None] = mapped_column(String(64))
    #: The answer in the shape of its poll's kind (see `polls.services.clean_value`).
    value: Mapped[dict] = mapped_column(JSON, nullable=False)
    status: Mapped[AnswerStatus] = enum_column(AnswerStatus, default=AnswerStatus.SHOWN,
                                               nullable=False)

    registration = relationship("Registration")

    def __repr__(self) -> str:
        return f"<PollAnswer poll={self.poll_id} registration={self.registration_id}>"
