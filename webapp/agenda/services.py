"""Agenda rules: the planned timetable is derived from the meeting start and item durations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from webapp.accounts.models import User
from webapp.agenda import clock_services
from webapp.agenda.models import (
    AgendaItem,
    AgendaItemSpeaker,
    ItemKind,
    Speaker,
    SpeakerRole,
)
from webapp.core.i18n_text import LocalizedText, localized
from webapp.errors import InvalidInput, NotFound
from webapp.extensions import db
from webapp.media import services as media
from webapp.meetings import content
from webapp.meetings import duplicate as duplication
from webapp.meetings.models import Meeting
from webapp.meetings.services import check_text, get_managed, on_schedule_changed
from webapp.realtime import log


@dataclass(frozen=True)
class ScheduledItem:
    """An agenda item with its planned start and end, for pages and the calendar file."""
    item: AgendaItem
    planned_start: datetime
    planned_end: datetime


def agenda_loads() -> tuple:
    """Loader options for a meeting whose page lists every item with its speakers: the items
    and their speakers in one query each, not one speakers query per item. Built on call,
    once every mapper is importable."""
    return (selectinload(Meeting.agenda_items).selectinload(AgendaItem.speaker_links),)


def timetable(meeting: Meeting) -> list[ScheduledItem]:
    """Planned start and end of every item, back to back from the meeting start (naive UTC)."""
    cursor = meeting.starts_at
    rows = []
    for item in meeting.agenda_items:
        end = cursor + timedelta(minutes=item.planned_minutes)
        rows.append(ScheduledItem(item, cursor, end))
        cursor = end
    return rows


def speaker_payload(speaker: Speaker) -> dict:
    """A speaker as live pages show them: name, title (for the photo's alt text, read in the
    page's language) and the photo's thumbnail URL (`None` without a photo)."""
    return {"id": speaker.id, "name": speaker.name,
            "title": localized(speaker.title).to_json_value(),
            "photo": media.path(speaker.photo, "card")}


def agenda_payload(meeting: Meeting) -> list[dict]:
    """The agenda as live pages list it (item choices, speakers with their photos): the page
    data, the `join` snapshot and the `agenda_changed` event share this one shape."""
    return [
        {"id": item.id, "title": localized(item.title).to_json_value(),
         "speakers": [speaker_payload(link.speaker) | {"role": link.role.value}
                      for link in item.speaker_links]}
        for item in meeting.agenda_items
    ]


def snapshot(participant, meeting: Meeting | None) -> list[dict]:
    """The agenda's part of a `join` snapshot, so a client past the replay window gets the
    lists as they are now. Items and speakers are read in one query each."""
    if meeting is None:
        return []
    _load_agenda(meeting)
    return agenda_payload(meeting)


def _load_agenda(meeting: Meeting) -> None:
    """Read the meeting's items and their speakers into the session, one query each."""
    db.session.scalars(select(Meeting).where(Meeting.id == meeting.id).options(*agenda_loads())
                       ).first()


def shared_snapshot(meeting: Meeting) -> list[dict]:
    """The agenda part, which is the same for everyone: attendees share one copy."""
    return snapshot(None, meeting)


def record_agenda_changed(meeting: Meeting) -> None:
    """Log `agenda_changed` in the caller's transaction, so open clocks, agenda lists and
    the console's jump menu follow an edit made while the meeting runs."""
    db.session.flush()
    db.session.expire(meeting, ["agenda_items"])
    for item in db.session.identity_map.values():
        if isinstance(item, AgendaItem) and item.meeting_id == meeting.id:
            db.session.expire(item, ["speaker_links"])
    _load_agenda(meeting)  # not one speakers query per item
    log.record(meeting.id, "agenda_changed", {"agenda": agenda_payload(meeting),
                                              "clock": clock_services.state(meeting)})


on_schedule_changed(record_agenda_changed)


# --- organiser side ------------------------------------------------------------------------

ITEM_TITLE_MAX = 300
SPEAKER_NAME_MAX = 200
SPEAKER_TEXT_MAX = 300
LONG_TEXT_MAX = 20_000
MAX_MINUTES = 24 * 60
MAX_SPEAKERS_PER_ITEM = 30


def _meeting_of(actor: User | None, meeting_id: int, write: bool) -> Meeting:
    return get_managed(actor, meeting_id, write=write)


def _check(value, label, max_length: int, *, required: bool = False,
           multiline: bool = False):
    return check_text(value, label, max_length=max_length, required=required,
                       multiline=multiline)


def get_item(actor: User | None, meeting_id: int, item_id: int, *, write: bool = False
             ) -> AgendaItem:
    """An item of a meeting the actor runs; ids from other meetings are not found."""
    _meeting_of(actor, meeting_id, write)
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        raise NotFound()
    return item


def get_speaker(actor: User | None, meeting_id: int, speaker_id: int, *, write: bool = False
                ) -> Speaker:
    """A speaker of this meeting for a user who may see (or, with `write`, change) it."""
    _meeting_of(actor, meeting_id, write)
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.meeting_id != meeting_id:
        raise NotFound()
    return speaker


#: A speaker of an item as the organiser's form sends it: (speaker id, role).
SpeakerChoice = tuple[int, SpeakerRole | str]


def _speakers_for(meeting_id: int, choices: list[SpeakerChoice]) -> list[tuple[Speaker,
                                                                                 SpeakerRole]]:
    """The chosen speakers with their roles, checked: at most `MAX_SPEAKERS_PER_ITEM`, each
    once, all of this meeting, roles known."""
    if len(choices) > MAX_SPEAKERS_PER_ITEM:
        raise InvalidInput(_l("At most %(n)d speakers per item.", n=MAX_SPEAKERS_PER_ITEM))
    chosen, seen = [], set()
    for choice in choices:
        try:
            speaker_id, role = choice
            speaker_id, role = int(speaker_id), SpeakerRole(role)
        except (TypeError, ValueError):
            raise InvalidInput(_l("Choose speakers of this meeting.")) from None
        if speaker_id in seen:
            raise InvalidInput(_l("Each speaker can be listed only once per item."))
        seen.add(speaker_id)
        speaker = db.session.get(Speaker, speaker_id)
        if speaker is None or speaker.meeting_id != meeting_id:
            raise InvalidInput(_l("Choose speakers of this meeting."))
        chosen.append((speaker, role))
    return chosen


def _choices(speakers, speaker_ids) -> list:
    if speakers is not None:
        return list(speakers)
    return [(speaker_id, SpeakerRole.SPEAKER) for speaker_id in speaker_ids]


def _set_speakers(item: AgendaItem, speakers: list[tuple[Speaker, SpeakerRole]]) -> None:
    """Make the item's speakers exactly these, in this order; links kept are updated."""
    existing = {link.speaker_id: link for link in item.speaker_links}
    links = []
    for order, (speaker, role) in enumerate(speakers):
        link = existing.get(speaker.id) or AgendaItemSpeaker(speaker=speaker)
        link.position, link.role = order, role
        links.append(link)
    item.speaker_links = links  # in their new order: `item.speakers` reads from these
    db.session.flush()


def _item_values(meeting: Meeting, title, description, kind, planned_minutes: int) -> dict:
    _check(title, _l("Title"), ITEM_TITLE_MAX, required=True)
    _check(description, _l("Description"), LONG_TEXT_MAX, multiline=True)
    if (not isinstance(planned_minutes, int) or isinstance(planned_minutes, bool)
            or not 0 <= planned_minutes <= MAX_MINUTES):
        raise InvalidInput(_l("Planned minutes: enter a number from 0 to %(n)d.", n=MAX_MINUTES))
    return dict(title=_ordered(meeting, title), description=_ordered(meeting, description),
                kind=ItemKind(kind), planned_minutes=planned_minutes)


def _ordered(meeting: Meeting, text) -> LocalizedText:
    """The text with the meeting's default language first, where readers fall back to."""
    return localized(text).ordered(meeting.content_languages)


def add_item(actor: User | None, meeting_id: int, *, title: str, description: str = "",
             kind: ItemKind = ItemKind.TALK, planned_minutes: int = 15,
             speaker_ids: list[int] = (), speakers: list[SpeakerChoice] | None = None
             ) -> AgendaItem:
    """Append an item at the end of the agenda. `speakers` lists (speaker id, role) in
    order; `speaker_ids` alone makes each a plain speaker."""
    meeting = _meeting_of(actor, meeting_id, True)
    values = _item_values(meeting, title, description, kind, planned_minutes)
    speakers = _speakers_for(meeting.id, _choices(speakers, speaker_ids))
    position = db.session.scalar(
        select(func.coalesce(func.max(AgendaItem.position) + 1, 0))
        .where(AgendaItem.meeting_id == meeting.id)
    )
    item = AgendaItem(meeting_id=meeting.id, position=position, **values)
    db.session.add(item)
    db.session.flush()
    _set_speakers(item, speakers)
    record_agenda_changed(meeting)
    db.session.commit()
    db.session.refresh(meeting)
    return item


def update_item(actor: User | None, item: AgendaItem, *, title: str, description: str = "",
                kind: ItemKind = ItemKind.TALK, planned_minutes: int = 15,
                speaker_ids: list[int] = (), speakers: list[SpeakerChoice] | None = None
                ) -> AgendaItem:
    """Change an agenda item (organisers of the meeting only); see `add_item` for speakers."""
    meeting = _meeting_of(actor, item.meeting_id, True)
    values = _item_values(meeting, title, description, kind, planned_minutes)
    speakers = _speakers_for(item.meeting_id, _choices(speakers, speaker_ids))
    for key, value in values.items():
        setattr(item, key, value)
    _set_speakers(item, speakers)
    record_agenda_changed(meeting)
    db.session.commit()
    db.session.expire(item)
    return item


def _renumber(meeting_id: int) -> list[AgendaItem]:
    items = list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ))
    for index, item in enumerate(items):
        item.position = index
    return items


def delete_item(actor: User | None, item: AgendaItem) -> None:
    """Remove an agenda item; the rest keeps its order."""
    meeting = _meeting_of(actor, item.meeting_id, True)
    db.session.delete(item)
    db.session.flush()
    _renumber(meeting.id)
    record_agenda_changed(meeting)
    db.session.commit()
    db.session.expire(meeting)


def move_item(actor: User | None, item: AgendaItem, offset: int) -> AgendaItem:
    """Swap the item with its neighbour (-1 up, +1 down); at either end nothing moves."""
    meeting = _meeting_of(actor, item.meeting_id, True)
    if offset not in (-1, 1):
        raise InvalidInput()
    items = _renumber(meeting.id)
    index = next(i for i, row in enumerate(items) if row.id == item.id)
    other = index + offset
    if 0 <= other < len(items):
        items[index].position, items[other].position = other, index
        record_agenda_changed(meeting)
    db.session.commit()
    db.session.expire(meeting)
    return item


def _speaker_values(meeting: Meeting, name: str, title, affiliation, bio) -> dict:
    _check(name, _l("Name"), SPEAKER_NAME_MAX, required=True)
    _check(title, _l("Title or position"), SPEAKER_TEXT_MAX)
    _check(affiliation, _l("Affiliation"), SPEAKER_TEXT_MAX)
    _check(bio, _l("Short biography"), LONG_TEXT_MAX, multiline=True)
    return dict(name=name, title=_ordered(meeting, title),
                affiliation=_ordered(meeting, affiliation), bio=_ordered(meeting, bio))


def add_speaker(actor: User | None, meeting_id: int, *, name: str, title: str = "",
                affiliation: str = "", bio: str = "", photo: bytes | None = None) -> Speaker:
    """Add a speaker to the meeting (with a photo: the uploaded bytes, checked and re-encoded)."""
    meeting = _meeting_of(actor, meeting_id, True)
    values = _speaker_values(meeting, name, title, affiliation, bio)
    photo_id, _old = media.replace(None, photo, field="photo")
    speaker = Speaker(meeting_id=meeting.id, photo_id=photo_id, **values)
    db.session.add(speaker)
    db.session.commit()
    return speaker


def update_speaker(actor: User | None, speaker: Speaker, *, name: str, title: str = "",
                   affiliation: str = "", bio: str = "", photo: bytes | None = None,
                   remove_photo: bool = False) -> Speaker:
    """Change a speaker's details; a new photo replaces the old one, `remove_photo` drops it
    (the picture is deleted once nothing shows it)."""
    meeting = _meeting_of(actor, speaker.meeting_id, True)
    values = _speaker_values(meeting, name, title, affiliation, bio)
    photo_id, old = media.replace(speaker.photo_id, photo, remove=remove_photo, field="photo")
    for key, value in values.items():
        setattr(speaker, key, value)
    speaker.photo_id = photo_id
    media.release(old)
    db.session.expire(speaker, ["photo"])
    record_agenda_changed(meeting)
    db.session.commit()
    return speaker


def delete_speaker(actor: User | None, speaker: Speaker) -> None:
    """Remove a speaker; the agenda items they were on keep their other speakers."""
    meeting = _meeting_of(actor, speaker.meeting_id, True)
    photo_id = speaker.photo_id
    db.session.delete(speaker)
    media.release(photo_id)
    record_agenda_changed(meeting)
    db.session.commit()


def _organiser_texts(meeting: Meeting):
    """The agenda's share of the meeting's organiser texts (completeness, default language)."""
    for item in meeting.agenda_items:
        yield item, "title"
        yield item, "description"
    for speaker in meeting.speakers:
        for attribute in ("title", "affiliation", "bio"):
            yield speaker, attribute


content.provide(_organiser_texts)


def _copy_agenda(job: duplication.Copy) -> None:
    """The next session's speakers and agenda items, each item with its speakers, roles and
    order; recorded times are left out (planned times follow the new start)."""
    speakers = {}
    for speaker in job.source.speakers:
        speakers[speaker.id] = duplication.copy_columns(speaker, meeting_id=job.target.id)
        db.session.add(speakers[speaker.id])
    db.session.flush()
    items = job.ids.setdefault("agenda_items", {})
    for item in job.source.agenda_items:
        copy = duplication.copy_columns(item, skip=("actual_start", "actual_end"),
                                        meeting_id=job.target.id)
        db.session.add(copy)
        db.session.flush()
        items[item.id] = copy.id
        for link in item.speaker_links:
            db.session.add(AgendaItemSpeaker(agenda_item_id=copy.id,
                                             speaker_id=speakers[link.speaker_id].id,
                                             position=link.position, role=link.role))
    job.ids["speakers"] = {old: new.id for old, new in speakers.items()}


duplication.register(_copy_agenda, order=10)
