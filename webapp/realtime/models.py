"""The per-meeting event log: what a reconnecting client replays by `seq`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    column,
    table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.models import StrEnum, enum_column
from webapp.extensions import db

#: The log's own view of the meetings table: the two counters it keeps there (`last_seq`, the
#: meeting's latest event; `pruned_seq`, the newest event deleted). The log reserves `seq` by
#: updating this row without importing the `Meeting` model, so `realtime` imports no domain.
meeting_counters = table(
    "meetings",
    column("id", Integer),
    column("last_seq", Integer),
    column("pruned_seq", Integer),
)


class Audience(StrEnum):
    """Who receives an event: everyone, staff, one attendee or one staff user."""
    EVERYONE = "everyone"  #: room meeting:<id>
    STAFF = "staff"        #: room meeting:<id>:staff only
    PARTICIPANT = "participant"  #: one attendee's own room (e.g. "your question was dismissed")
    INTERPRETERS = "interpreters"  #: room meeting:<id>:interpreters (pending questions, no PII)
    PRESENTER = "presenter"  #: room presenter:<id> (figures staff and the screen see, e.g. poll
    #: results hidden from attendees)


class MeetingEvent(db.Model):
    """A logged event with its per-meeting `seq`, so clients can catch up after a gap."""
    __tablename__ = "meeting_events"
    __table_args__ = (UniqueConstraint("meeting_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), nullable=False
    )
    #: Monotonically increasing per meeting, without gaps.
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    #: Past-tense event name, e.g. `question_asked`.
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    audience: Mapped[Audience] = enum_column(Audience, default=Audience.EVERYONE, nullable=False)
    #: The attendee a PARTICIPANT event is meant for.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE")
    )
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)

    subjects: Mapped[list[EventSubject]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<MeetingEvent meeting={self.meeting_id} seq={self.seq} {self.type}>"


class EventSubject(db.Model):
    """An attendee whose personal data (name, organisation, e-mail...) an event's payload
    carries. Erasing or purging the attendee deletes every event that names them."""

    __tablename__ = "meeting_event_subjects"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_events.id", ondelete="CASCADE"), primary_key=True
    )
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    def __repr__(self) -> str:
        return f"<EventSubject event={self.event_id} registration={self.registration_id}>"
