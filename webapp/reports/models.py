"""The editable part of a meeting report: its prose per language and whether it is published.

The figures (times, speakers, questions, polls, quoted posts) are never stored here: the
report reads them from the meeting's data on every view, so they always equal the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from webapp.core.i18n_text import LocalizedText
from webapp.core.models import Timestamps, localized_column
from webapp.extensions import db

#: The report's sections that carry an editable paragraph, in the report's order.
SECTIONS = ("speakers", "timing", "attendance", "questions", "polls", "board")


class MeetingReport(Timestamps, db.Model):
    """One report per meeting: the organisers' texts in every meeting language."""
    __tablename__ = "meeting_reports"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    #: The opening paragraph; blank until staff save one (the draft is offered meanwhile).
    intro: Mapped[LocalizedText] = localized_column()
    #: A short paragraph shown under each section's heading (optional).
    speakers_note: Mapped[LocalizedText] = localized_column()
    timing_note: Mapped[LocalizedText] = localized_column()
    attendance_note: Mapped[LocalizedText] = localized_column()
    questions_note: Mapped[LocalizedText] = localized_column()
    polls_note: Mapped[LocalizedText] = localized_column()
    board_note: Mapped[LocalizedText] = localized_column()
    #: When an organiser published it (naive UTC); None while it is a draft.
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    def note(self, section: str) -> LocalizedText:
        """The editable paragraph of one section."""
        return getattr(self, f"{section}_note")

    def __repr__(self) -> str:
        state = "published" if self.published_at else "draft"
        return f"<MeetingReport meeting={self.meeting_id} {state}>"
