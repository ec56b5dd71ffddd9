"""The after-meeting survey: settings, organisers' questions, responses and personal links.

The overall rating, a rating per agenda item and an open comment are built in; organisers add
their own questions. A registration answers once (a UNIQUE response row).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.i18n_text import LocalizedText
from webapp.core.models import StrEnum, Timestamps, enum_column, localized_column
from webapp.core.timeutil import utcnow
from webapp.extensions import db


class FeedbackKind(StrEnum):
    """How an organiser's question is answered."""
    RATING = "rating"  #: 1 to 5 stars
    TEXT = "text"      #: a few lines of text


class FeedbackSurvey(db.Model):
    """A meeting's survey settings; a meeting without a row has the defaults."""
    __tablename__ = "feedback_surveys"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    #: Open before the meeting has ended (organisers chose to).
    open_early: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    #: No more answers, even after the end.
    closed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    def __repr__(self) -> str:
        return f"<FeedbackSurvey meeting={self.meeting_id} closed={self.closed}>"


class FeedbackQuestion(Timestamps, db.Model):
    """An organiser's own question in the survey."""
    __tablename__ = "feedback_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False)
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    label: Mapped[LocalizedText] = localized_column()
    kind: Mapped[FeedbackKind] = enum_column(FeedbackKind, default=FeedbackKind.RATING,
                                             nullable=False)

    def __repr__(self) -> str:
        return f"<FeedbackQuestion {self.id} {self.kind}>"


class FeedbackResponse(db.Model):
    """One registration's answers; the UNIQUE registration makes a second answer impossible."""
    __tablename__ = "feedback_responses"
    __table_args__ = (CheckConstraint("overall BETWEEN 1 AND 5", name="overall_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False)
    #: Erasure keeps the registration row (personal fields cleared), so this stays.
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True, nullable=False)
    overall: Mapped[int] = mapped_column(Integer, nullable=False)
    comment: Mapped[str] = mapped_column(Text, default="", nullable=False)
    #: The page language the person answered in.
    language: Mapped[str] = mapped_column(String(16), default="en", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    item_ratings: Mapped[list[FeedbackItemRating]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)
    answers: Mapped[list[FeedbackAnswer]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<FeedbackResponse {self.id} registration={self.registration_id}>"


class FeedbackItemRating(db.Model):
    """A response's rating of one agenda item."""
    __tablename__ = "feedback_item_ratings"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="item_rating_range"),)

    response_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="CASCADE"), primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True, index=True)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)

    def __repr__(self) -> str:
        return f"<FeedbackItemRating {self.response_id}/{self.agenda_item_id}={self.rating}>"


class FeedbackAnswer(db.Model):
    """A response's answer to one organiser question: a rating or a text."""
    __tablename__ = "feedback_answers"

    response_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_responses.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_questions.id", ondelete="CASCADE"), primary_key=True, index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<FeedbackAnswer {self.response_id}/{self.question_id}>"


class FeedbackLink(db.Model):
    """The personal survey link mailed with the follow-up: only its hash is stored, and it
    works while the registration's join link version is the one it was issued with."""
    __tablename__ = "feedback_links"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    link_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    def __repr__(self) -> str:
        return f"<FeedbackLink registration={self.registration_id}>"
