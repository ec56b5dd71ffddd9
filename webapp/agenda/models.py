"""Agenda items with their speakers; actual times are recorded by the live clock."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, String
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


class SpeakerRole(StrEnum):
    """What a speaker does on an agenda item; a panel's moderator is listed first."""
    MODERATOR = "moderator"
    PANELLIST = "panellist"
    SPEAKER = "speaker"

    @property
    def label(self) -> str:
        """The translated name, for pages, reports and calendar files."""
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    SpeakerRole.MODERATOR: _l("Moderator"),
    SpeakerRole.PANELLIST: _l("Panellist"),
    SpeakerRole.SPEAKER: _l("Speaker"),
}


class AgendaItemSpeaker(db.Model):
    """A speaker on an agenda item, with their role and place in the item's list."""
    __tablename__ = "agenda_item_speakers"

    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True)
    #: Order within the item, starting at 0.
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    role: Mapped[SpeakerRole] = enum_column(SpeakerRole, default=SpeakerRole.SPEAKER,
                                            server_default=SpeakerRole.SPEAKER.value,
                                            nullable=False)

    speaker: Mapped[Speaker] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<AgendaItemSpeaker {self.agenda_item_id}/{self.speaker_id} {self.role}>"


#: The association's table, for bulk statements.
agenda_item_speakers = AgendaItemSpeaker.__table__


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
    #: The speakers with their roles, in order; edit through `webapp.agenda.services`.
    speaker_links: Mapped[list[AgendaItemSpeaker]] = relationship(
        order_by=AgendaItemSpeaker.position, cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def speakers(self) -> list[Speaker]:
        """The speakers alone, in order (read only): read from `speaker_links`, so a page that
        loaded the links with the items runs no query per item for them."""
        return [link.speaker for link in self.speaker_links]

    @property
    def has_roles(self) -> bool:
        """Whether any speaker is more than a plain speaker: pages then name every role."""
        return any(link.role != SpeakerRole.SPEAKER for link in self.speaker_links)

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} #{self.position} {self.title!r}>"
