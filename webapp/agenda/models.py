"""Agenda items with their speakers; actual times are recorded by the live clock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.core.i18n_text import LocalizedText
from webapp.core.models import StrEnum, Timestamps, enum_column, localized_column
from webapp.extensions import db


class ItemKind(StrEnum):
    """What an agenda item is; Q&A items get the questions-left count."""
    OPENING = "opening"
    TALK = "talk"
    PANEL = "panel"
    QA = "qa"
    BREAK = "break"
    CLOSING = "closing"
    OTHER = "other"


agenda_item_speakers = Table(
    "agenda_item_speakers",
    db.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("speaker_id", ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, nullable=False, default=0),
)


class Speaker(Timestamps, db.Model):
    """A speaker of the meeting; questions can be aimed at them."""
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: Position or title, e.g. "Chief Physician, Respiratory and Critical Care".
    title: Mapped[LocalizedText] = localized_column()
    affiliation: Mapped[LocalizedText] = localized_column()
    bio: Mapped[LocalizedText] = localized_column()
    #: The speaker's photo (`webapp.media`), re-encoded at upload.
    photo_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_images.id", ondelete="SET NULL"), index=True)

    meeting = relationship("Meeting", back_populates="speakers")
    photo = relationship("StoredImage", lazy="selectin")

    def __repr__(self) -> str:
        return f"<Speaker {self.id} {self.name!r}>"


class AgendaItem(Timestamps, db.Model):
    """One agenda item, with its planned minutes and the recorded start and end."""
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True, nullable=False
    )
    #: Order within the meeting, starting at 0.
    position: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    title: Mapped[LocalizedText] = localized_column()
    description: Mapped[LocalizedText] = localized_column()
    kind: Mapped[ItemKind] = enum_column(ItemKind, default=ItemKind.TALK, nullable=False)
    #: Planned duration; planned start is derived from the meeting start and earlier items.
    planned_minutes: Mapped[int] = mapped_column(Integer, default=15, nullable=False)
    #: Recorded by the live clock (naive UTC).
    actual_start: Mapped[datetime | None] = mapped_column(DateTime)
    actual_end: Mapped[datetime | None] = mapped_column(DateTime)

    meeting = relationship("Meeting", back_populates="agenda_items")
    speakers: Mapped[list[Speaker]] = relationship(
        secondary=agenda_item_speakers, order_by=agenda_item_speakers.c.position
    )

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} #{self.position} {self.title!r}>"
