""""Duplicate as the next session": a new draft of a series meeting with everything the
organisers prepared (agenda, speakers, registration questions, staff, settings, polls, the
feedback survey's questions), shifted to the new date, and nothing of its attendees.

The meeting's own rows are copied here; each higher package copies what it keeps about the
meeting through a step it registers (`register`), so this module never imports them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select

from webapp.accounts.models import MeetingRole, RoleKind, User
from webapp.accounts.permissions import can_organise_series
from webapp.core.i18n_text import LocalizedText, localized
from webapp.core.timeutil import local_to_utc, to_zone, utcnow
from webapp.errors import Conflict, Forbidden, InvalidInput
from webapp.extensions import db
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.meetings.services import (
    SLUG_MAX,
    SLUG_PATTERN,
    TITLE_MAX,
    check_text,
    get_managed,
)

#: Staff roles the new session keeps (speakers' accounts belong to one session).
COPIED_ROLES = (RoleKind.ORGANISER, RoleKind.MODERATOR, RoleKind.INTERPRETER)

#: Meeting columns that describe one session's life, not its preparation: never copied.
_NOT_COPIED = {
    "id", "slug", "title", "session_number", "status", "starts_at", "planned_end", "latest_end",
    "recording_url", "recording_started_at", "stream_url", "presenter_token_hash", "last_seq",
    "pruned_seq", "wall_published", "created_at", "updated_at",
}

#: The furthest ahead a new session may start.
MAX_YEARS_AHEAD = 10


@dataclass
class Copy:
    """What a step needs: both meetings, the time shift, and old → new ids of copied rows
    (`ids["agenda_items"][old_id]`), filled by the steps that ran before."""
    source: Meeting
    target: Meeting
    shift: timedelta
    ids: dict[str, dict[int, int]] = field(default_factory=dict)


#: (order, step): lower orders run first (the agenda before the polls that point at items).
_steps: list[tuple[int, Callable[[Copy], object]]] = []


def register(step: Callable[[Copy], object], order: int = 50) -> None:
    """Add a package's copy step; registering twice is harmless."""
    if all(existing is not step for _order, existing in _steps):
        _steps.append((order, step))
        _steps.sort(key=lambda pair: pair[0])


def copy_columns(row, *, skip: tuple[str, ...] = (), **values):
    """A new row of `row`'s class with its column values, without its primary key and
    timestamps, `skip`ped columns left to their defaults, and `values` set."""
    mapper = inspect(type(row))
    keys = {column.key for column in mapper.primary_key}
    data = {}
    for attribute in mapper.column_attrs:
        key = attribute.key
        if key in keys or key in skip or key in ("created_at", "updated_at") or key in values:
            continue
        value = getattr(row, key)
        data[key] = list(value) if isinstance(value, list) else (
            dict(value) if isinstance(value, dict) else value)
    return type(row)(**data, **values)


# --- suggestions ---------------------------------------------------------------------------

def _local(moment: datetime, zone: str) -> datetime:
    return to_zone(moment, zone).replace(tzinfo=None)


def interval(meeting: Meeting) -> timedelta:
    """How far apart sessions are: the gap between the series' two last sessions, in whole
    weeks (so the weekday stays), or 52 weeks when there is no earlier session."""
    sessions = sorted((m for m in (meeting.series.meetings if meeting.series else [])),
                      key=lambda m: m.starts_at)
    if len(sessions) >= 2:
        gap = sessions[-1].starts_at - sessions[-2].starts_at
        weeks = round(gap / timedelta(weeks=1))
        if weeks >= 1:
            return timedelta(weeks=weeks)
    return timedelta(weeks=52)


def suggested_start(meeting: Meeting) -> datetime:
    """The new session's start as wall-clock time in the meeting's zone: the same weekday
    and time one interval after the series' latest session (this one if it is alone)."""
    sessions = meeting.series.meetings if meeting.series else [meeting]
    latest = max([*sessions, meeting], key=lambda m: m.starts_at)
    return _local(latest.starts_at, meeting.timezone) + interval(meeting)


def next_number(meeting: Meeting) -> int | None:
    """One more than the highest session number of the series (None when unnumbered)."""
    if meeting.session_number is None:
        return None
    highest = db.session.scalar(select(func.max(Meeting.session_number))
                                .where(Meeting.series_id == meeting.series_id))
    return max(highest or 0, meeting.session_number) + 1


def _renumbered(text: str, old: int | None, new: int | None) -> str:
    if old is None or new is None:
        return text
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)


def suggested_title(meeting: Meeting) -> LocalizedText:
    """The title with the session number replaced where it appears, else the same title."""
    new = next_number(meeting)
    title = localized(meeting.title)
    if title.is_plain:
        return LocalizedText(_renumbered(str(title), meeting.session_number, new))
    return LocalizedText({lang: _renumbered(text, meeting.session_number, new)
                          for lang, text in title.to_json_value().items()})


def _slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Meeting.id).where(Meeting.slug == slug)) is not None


def suggested_slug(meeting: Meeting) -> str:
    """A free web address: the number replaced, else `-2`, `-3`... appended."""
    base = _renumbered(meeting.slug, meeting.session_number, next_number(meeting))
    if base != meeting.slug and not _slug_taken(base):
        return base
    stem = re.sub(r"-\d+$", "", meeting.slug)[:SLUG_MAX - 6] or "meeting"
    for number in range(2, 10_000):
        candidate = f"{stem}-{number}"
        if not _slug_taken(candidate):
            return candidate
    raise Conflict(_l("Another meeting already uses this web address."))


# --- the copy ------------------------------------------------------------------------------

def may_duplicate(actor: User | None, meeting: Meeting) -> bool:
    """Whether `actor` may make the next session (organiser of the meeting and its series)."""
    return meeting.series_id is not None and can_organise_series(actor, meeting.series_id)


def get_source(actor: User | None, meeting_id: int) -> Meeting:
    """The meeting to copy, for its organisers who also organise its series."""
    meeting = get_managed(actor, meeting_id, write=True)
    if meeting.series_id is None:
        raise InvalidInput(_l("Only a meeting in a series has a next session."))
    if not can_organise_series(actor, meeting.series_id):
        raise Forbidden(_l("Only organisers of this series can add meetings to it."))
    return meeting


def duplicate(actor: User | None, meeting_id: int, *, starts_local: datetime,
              title: LocalizedText | str | None = None, slug: str | None = None) -> Meeting:
    """Create the next session of the meeting's series as a draft starting at
    `starts_local` (wall-clock in the meeting's zone)."""
    source = get_source(actor, meeting_id)
    if not isinstance(starts_local, datetime):
        raise InvalidInput(_l("Enter the new start date and time."))
    starts = local_to_utc(starts_local, source.timezone)
    now = utcnow()
    if starts <= now or starts > now + timedelta(days=366 * MAX_YEARS_AHEAD):
        raise InvalidInput(_l("Choose a start in the future, at most %(n)d years ahead.",
                              n=MAX_YEARS_AHEAD))
    shift = starts - source.starts_at
    new_title = suggested_title(source) if title is None or not str(title).strip() else title
    new_title = check_text(localized(new_title), _l("Title"), max_length=TITLE_MAX)
    new_slug = slug or suggested_slug(source)
    if (not isinstance(new_slug, str) or len(new_slug) > SLUG_MAX
            or not SLUG_PATTERN.match(new_slug)):
        raise InvalidInput(_l("Use lower-case letters, digits and hyphens for the web address."))
    if _slug_taken(new_slug):
        raise Conflict(_l("Another meeting already uses this web address."))

    target = copy_columns(
        source, skip=tuple(_NOT_COPIED - {"id"}), slug=new_slug,
        title=new_title.ordered(source.content_languages), status=MeetingStatus.DRAFT,
        session_number=next_number(source), starts_at=starts,
        planned_end=source.planned_end + shift,
        latest_end=source.latest_end + shift if source.latest_end else None)
    db.session.add(target)
    db.session.flush()
    for organisation in source.organisations:
        db.session.add(copy_columns(organisation, meeting_id=target.id))
    copied = {(role.user_id, role.role) for role in source.roles if role.role in COPIED_ROLES}
    copied.add((actor.id, RoleKind.ORGANISER))
    for user_id, role in sorted(copied):
        db.session.add(MeetingRole(meeting_id=target.id, user_id=user_id, role=role,
                                   created_at=now))
    job = Copy(source, target, shift)
    for _order, step in _steps:
        step(job)
    db.session.commit()
    return target
