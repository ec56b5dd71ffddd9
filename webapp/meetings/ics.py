"""iCalendar files for a meeting and its agenda items, in the meeting's own time zone.

Events carry `TZID=<meeting zone>` with a matching VTIMEZONE, so calendar programs on both
sides of the world show each attendee their own clock.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from icalendar import Calendar, Event, Timezone

from webapp.core.timefmt import zone_times
from webapp.core.timeutil import to_zone, utcnow
from webapp.meetings.models import Meeting

PRODID = "-//Puente//Meeting calendar//EN"
UID_DOMAIN = "puente.invalid"
CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(uid: str, summary: str, start: datetime, end: datetime, zone: str, *,
           description: str = "", url: str | None = None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow().replace(microsecond=0, tzinfo=UTC))
    event.add("summary", summary)
    event.add("dtstart", to_zone(start, zone))
    event.add("dtend", to_zone(end, zone))
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
        event.add("location", url)
    return event


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> Timezone | None:
    """Building a VTIMEZONE walks decades of transitions (~0.1 s): once per zone is enough,
    since every registration e-mail carries one, rendered inside the sign-up transaction."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None


def _finish(calendar: Calendar) -> bytes:
    known = len(calendar.timezones)
    for tzid in sorted(calendar.get_missing_tzids()):
        timezone = _vtimezone(tzid)
        if timezone is not None:
            calendar.subcomponents.insert(known, timezone)
            known += 1
    return calendar.to_ical()


def when_text(meeting: Meeting, starts: datetime, ends: datetime, language: str) -> str:
    """Start and end in every zone of the meeting: calendars show only the reader's own."""
    return (f"{zone_times(starts, meeting.zones, None, language).line(with_date=True)} – "
            f"{zone_times(ends, meeting.zones, None, language).line()}")


def meeting_calendar(meeting: Meeting, *, url: str | None = None,
                     extra_description: str = "", language: str = "en") -> bytes:
    """One event for the whole meeting; `url` is the page (or the attendee's join link).
    Organiser texts read in the current reader's language (the request's, or the mail's)."""
    title = str(meeting.title)
    calendar = _calendar(title)
    when = when_text(meeting, meeting.starts_at, meeting.planned_end, language)
    description = "\n\n".join(
        str(part) for part in (when, meeting.description, extra_description) if part)
    calendar.add_component(_event(
        f"meeting-{meeting.id}@{UID_DOMAIN}", title, meeting.starts_at,
        meeting.planned_end, meeting.timezone, description=description, url=url))
    return _finish(calendar)


def agenda_item_calendar(meeting: Meeting, scheduled, *, url: str | None = None,
                         language: str = "en") -> bytes:
    """One event for one agenda item (`scheduled` is an agenda.services.ScheduledItem)."""
    item = scheduled.item
    calendar = _calendar(str(meeting.title))
    named = any(link.role.value != "speaker" for link in item.speaker_links)
    speakers = ", ".join(f"{link.speaker.name} ({link.role.label})" if named
                         else link.speaker.name for link in item.speaker_links)
    when = when_text(meeting, scheduled.planned_start, scheduled.planned_end, language)
    description = "\n".join(
        str(part) for part in (meeting.title, when, speakers, item.description) if part)
    calendar.add_component(_event(
        f"meeting-{meeting.id}-item-{item.id}@{UID_DOMAIN}", str(item.title),
        scheduled.planned_start, scheduled.planned_end, meeting.timezone,
        description=description, url=url))
    return _finish(calendar)


def filename(text: str) -> str:
    """A safe ASCII file name for a download (`pacific-bridge-11.ics`)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in text)
    return (safe.strip("-") or "meeting")[:60] + ".ics"
