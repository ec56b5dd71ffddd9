"""Meeting queries and rules that views and the CLI share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from webapp.accounts.models import MeetingRole, RoleKind, SeriesRole, User
from webapp.accounts.permissions import (
    STAFF_ROLES,
    can_moderate,
    can_organise,
    can_organise_series,
)
from webapp.core.i18n import LANGUAGES
from webapp.core.i18n_text import LocalizedText, localized
from webapp.core.text import forbidden_character, is_blank, normalise_email, single_line
from webapp.core.timefmt import canonical_zone, clean_zones
from webapp.core.timeutil import (
    is_valid_timezone,
    local_to_utc,
    timezone_choices,
    to_zone,
    utcnow,
)
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.media import services as media
from webapp.media.colour import check_accent
from webapp.meetings import content
from webapp.meetings.models import (
    BoardMode,
    Meeting,
    MeetingOrganisation,
    MeetingStatus,
    ModerationMode,
    OrganisationRole,
    RegistrationMode,
    Series,
)
from webapp.realtime import log


def clock_loads() -> tuple:
    """What the live clock page reads: the agenda, in the meeting's own query.

    Built on call: a loader option configures every mapper, so at import time it would need
    every domain's models imported first.
    """
    return (joinedload(Meeting.agenda_items),)


def get_visible(slug: str, viewer: User | None, *, options=()) -> Meeting:
    """A published meeting for anyone; a draft only for its staff. `options`: loader options
    (joined collections too, hence `unique()`)."""
    meeting = db.session.execute(
        select(Meeting).where(Meeting.slug == slug).options(*options)
    ).unique().scalars().first()
    if meeting is None:
        raise NotFound()
    if meeting.status == MeetingStatus.DRAFT and not can_moderate(viewer, meeting.id):
        raise NotFound()
    return meeting


# --- organiser side ------------------------------------------------------------------------

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80
TITLE_MAX = 300
DESCRIPTION_MAX = 20_000
URL_MAX = 500
ORGANISATION_MAX = 300
MAX_ORGANISATIONS = 50
MAX_PARTNER_ZONES = 5
MAX_CAPACITY = 100_000
MAX_RETENTION_DAYS = 3650
MAX_SLOW_SECONDS = 3600
QUESTION_LENGTH_RANGE = (20, 5000)


def _actor_ok(actor: User | None) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and actor.active


def get_managed(actor: User | None, meeting_id: int, *, write: bool = False,
                options=()) -> Meeting:
    """The meeting for its staff: moderators may read, organisers and admins may change.

    Staff of another meeting get NotFound, so ids of meetings they do not run tell nothing.
    `options`: loader options for what the page shows.
    """
    meeting = db.session.get(Meeting, meeting_id, options=options)
    if meeting is None or not can_moderate(actor, meeting_id):
        raise NotFound()
    if write and not can_organise(actor, meeting_id):
        raise Forbidden(_l("Only organisers of this meeting can change it."))
    return meeting


def require_organiser(actor: User | None, meeting: Meeting) -> None:
    """Refuse anyone but the meeting's organisers (and admins)."""
    if not can_moderate(actor, meeting.id):
        raise NotFound()
    if not can_organise(actor, meeting.id):
        raise Forbidden(_l("Only organisers of this meeting can change it."))


def managed_meetings(actor: User | None) -> list[Meeting]:
    """Meetings where the actor is organiser or moderator (all of them for admins)."""
    if not _actor_ok(actor):
        return []
    # The list shows each meeting's series: joined, not read once per series.
    query = select(Meeting).options(joinedload(Meeting.series)).order_by(Meeting.starts_at.desc())
    if not actor.is_admin:
        query = query.where(
            Meeting.id.in_(
                select(MeetingRole.meeting_id).where(
                    MeetingRole.user_id == actor.id, MeetingRole.role.in_(STAFF_ROLES)
                )
            )
        )
    return list(db.session.scalars(query))


def may_create_meetings(actor: User | None) -> bool:
    """Admins, and anyone who already organises a meeting or a series, may start new ones."""
    if not _actor_ok(actor):
        return False
    if actor.is_admin:
        return True
    if db.session.scalar(
        select(MeetingRole.id).where(
            MeetingRole.user_id == actor.id, MeetingRole.role == RoleKind.ORGANISER
        ).limit(1)
    ) is not None:
        return True
    return db.session.scalar(
        select(SeriesRole.id).where(SeriesRole.user_id == actor.id).limit(1)) is not None


def _require_creator(actor: User | None) -> None:
    if not may_create_meetings(actor):
        raise Forbidden(_l("Only organisers can create meetings and series."))


def check_text(value, label, *, max_length: int, required: bool = True,
               multiline: bool = False):
    """Refuse text that cannot be stored or shown, naming the field in the message.

    A `LocalizedText` is checked language by language; required means some language has it.
    """
    if isinstance(value, LocalizedText):
        texts = [value.get("")] if value.is_plain else list(value.as_dict().values())
        if required and not any(not is_blank(text) for text in texts):
            raise InvalidInput(_l("%(field)s: this field is required.", field=label))
        for text in texts:
            check_text(text, label, max_length=max_length, required=False, multiline=multiline)
        return value
    if not isinstance(value, str):
        raise InvalidInput(_l("%(field)s: please check what you entered.", field=label))
    if required and is_blank(value):
        raise InvalidInput(_l("%(field)s: this field is required.", field=label))
    if len(value) > max_length:
        raise InvalidInput(_l("%(field)s: at most %(n)d characters.", field=label, n=max_length))
    if forbidden_character(value) is not None or (not multiline and not single_line(value)):
        raise InvalidInput(_l("%(field)s: contains characters that cannot be saved.",
                              field=label))
    return value


def _check_slug(slug: str) -> str:
    if not isinstance(slug, str) or len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise InvalidInput(_l("Use lower-case letters, digits and hyphens for the web address."))
    return slug


def _check_url(url: str | None) -> str | None:
    if url is None or url == "":
        return None
    check_text(url, _l("Link"), max_length=URL_MAX)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(_l("Links must start with https:// or http://."))
    return url


def _check_int(value, low: int, high: int, label) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(_l("%(field)s: enter a number from %(low)d to %(high)d.",
                              field=label, low=low, high=high))
    return value


@dataclass
class MeetingDetails:
    """What the details page edits; times are wall-clock in `timezone`."""

    title: LocalizedText | str
    slug: str
    timezone: str
    starts_local: datetime
    planned_end_local: datetime
    latest_end_local: datetime | None = None
    partner_timezones: list[str] = field(default_factory=list)
    description: LocalizedText | str = ""
    series_id: int | None = None
    session_number: int | None = None
    languages: list[str] = field(default_factory=list)
    #: Organiser texts fall back to it; it is always one of `languages`.
    default_language: str | None = None
    confirmation_text: LocalizedText | str = ""
    follow_up_text: LocalizedText | str = ""
    capacity: int | None = None
    registration_mode: RegistrationMode = RegistrationMode.OPEN
    recording_url: str | None = None
    recording_started_local: datetime | None = None
    stream_url: str | None = None
    retention_days: int = 180
    hosts: list[LocalizedText | str] = field(default_factory=list)
    partners: list[LocalizedText | str] = field(default_factory=list)
    supporters: list[LocalizedText | str] = field(default_factory=list)
    #: `#rrggbb` for headings and buttons (WCAG AA against the page and white text), or None.
    accent_colour: str | None = None

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingDetails:
        """The current values, times shown back in the meeting's own zone."""
        def local(moment):
            return to_zone(moment, meeting.timezone).replace(tzinfo=None) if moment else None

        names = {role: [o.name for o in meeting.organisations if o.role == role]
                 for role in OrganisationRole}
        return cls(
            title=meeting.title, slug=meeting.slug, timezone=meeting.timezone,
            partner_timezones=list(meeting.partner_timezones or []),
            starts_local=local(meeting.starts_at), planned_end_local=local(meeting.planned_end),
            latest_end_local=local(meeting.latest_end), description=meeting.description,
            series_id=meeting.series_id, session_number=meeting.session_number,
            languages=list(meeting.languages or []), default_language=meeting.default_language,
            confirmation_text=meeting.confirmation_text, follow_up_text=meeting.follow_up_text,
            capacity=meeting.capacity, registration_mode=meeting.registration_mode,
            recording_url=meeting.recording_url,
            recording_started_local=local(meeting.recording_started_at),
            stream_url=meeting.stream_url, retention_days=meeting.retention_days,
            hosts=names[OrganisationRole.HOST], partners=names[OrganisationRole.PARTNER],
            supporters=names[OrganisationRole.SUPPORTER],
            accent_colour=meeting.accent_colour,
        )


def _check_series(actor: User | None, series_id: int | None, current: int | None) -> None:
    """Only the series' organisers place a meeting in it; keeping the current series is fine."""
    if series_id is None or series_id == current:
        return
    if not can_organise_series(actor, series_id):
        raise Forbidden(_l("Only organisers of this series can add meetings to it."))


def _partner_zones(details: MeetingDetails) -> list[str]:
    """Known IANA names, stored under CLDR's canonical name, without the primary zone."""
    names = [name.strip() for name in details.partner_timezones or [] if name.strip()]
    listed = set(timezone_choices())
    unknown = [name for name in names if name not in listed]
    if unknown:
        raise InvalidInput(_l("Unknown time zone: %(name)s. Use an IANA name such as "
                              "America/Lima.", name=unknown[0][:64]))
    zones = [zone for zone in clean_zones(names) if zone != canonical_zone(details.timezone)]
    if len(zones) > MAX_PARTNER_ZONES:
        raise InvalidInput(_l("At most %(n)d partner time zones.", n=MAX_PARTNER_ZONES))
    return zones


def _validated(details: MeetingDetails, meeting_id: int | None) -> dict:
    check_text(details.title, _l("Title"), max_length=TITLE_MAX)
    for text, label in ((details.description, _l("Description")),
                        (details.confirmation_text, _l("Confirmation e-mail text")),
                        (details.follow_up_text, _l("Follow-up e-mail text"))):
        check_text(localized(text), label, max_length=DESCRIPTION_MAX, required=False,
                   multiline=True)
    _check_slug(details.slug)
    clash = db.session.scalar(select(Meeting.id).where(Meeting.slug == details.slug))
    if clash is not None and clash != meeting_id:
        raise Conflict(_l("Another meeting already uses this web address."))
    if not is_valid_timezone(details.timezone):
        raise InvalidInput(_l("Choose a time zone from the list."))
    partner_zones = _partner_zones(details)
    starts = local_to_utc(details.starts_local, details.timezone)
    planned_end = local_to_utc(details.planned_end_local, details.timezone)
    latest_end = (local_to_utc(details.latest_end_local, details.timezone)
                  if details.latest_end_local else None)
    if planned_end <= starts:
        raise InvalidInput(_l("The planned end must be after the start."))
    if latest_end is not None and latest_end < planned_end:
        raise InvalidInput(_l("The latest acceptable end cannot be before the planned end."))
    series_id = details.series_id
    if series_id is not None and (not isinstance(series_id, int)
                                  or db.session.get(Series, series_id) is None):
        raise InvalidInput(_l("Choose a series from the list."))
    session_number = details.session_number
    if session_number is not None:
        _check_int(session_number, 1, 10_000, _l("Session number"))
    languages = list(dict.fromkeys(details.languages))
    if any(code not in LANGUAGES for code in languages):
        raise InvalidInput(_l("Choose languages from the list."))
    default_language = details.default_language or (languages[0] if languages else "en")
    if default_language not in LANGUAGES:
        raise InvalidInput(_l("Choose languages from the list."))
    if default_language not in languages:
        languages.insert(0, default_language)
    order = [default_language, *[code for code in languages if code != default_language]]
    if details.capacity is not None:
        _check_int(details.capacity, 1, MAX_CAPACITY, _l("Capacity"))
    mode = RegistrationMode(details.registration_mode)
    _check_int(details.retention_days, 1, MAX_RETENTION_DAYS, _l("Retention"))
    organisations = []
    for role, names in ((OrganisationRole.HOST, details.hosts),
                        (OrganisationRole.PARTNER, details.partners),
                        (OrganisationRole.SUPPORTER, details.supporters)):
        for name in names:
            name = check_text(localized(name), _l("Organisation"), max_length=ORGANISATION_MAX)
            organisations.append((role, name.ordered(order)))
    if len(organisations) > MAX_ORGANISATIONS:
        raise InvalidInput(_l("At most %(n)d organisations.", n=MAX_ORGANISATIONS))
    return dict(
        title=localized(details.title).ordered(order), slug=details.slug,
        description=localized(details.description).ordered(order),
        confirmation_text=localized(details.confirmation_text).ordered(order),
        follow_up_text=localized(details.follow_up_text).ordered(order),
        default_language=default_language, timezone=details.timezone,
        partner_timezones=partner_zones, starts_at=starts,
        planned_end=planned_end,
        latest_end=latest_end, series_id=series_id, session_number=session_number,
        languages=languages, capacity=details.capacity, registration_mode=mode,
        recording_url=_check_url(details.recording_url),
        recording_started_at=(local_to_utc(details.recording_started_local, details.timezone)
                              if details.recording_started_local else None),
        stream_url=_check_url(details.stream_url),
        retention_days=details.retention_days, organisations=organisations,
        accent_colour=check_accent(details.accent_colour),
    )


def _kept_logos(old: list[MeetingOrganisation], new: list[tuple]) -> list[int | None]:
    """The logo each new organisation keeps: the old one of the same role and name, else (a
    renamed organisation) the one at the same place among its role's organisations, when no
    other new line kept that one by its name."""
    by_name = {(o.role, o.name): o for o in old}
    by_place = {}
    for role in OrganisationRole:
        for index, organisation in enumerate(o for o in old if o.role == role):
            by_place[(role, index)] = organisation
    matched = {id(by_name[key]) for key in new if key in by_name}
    logos, seen = [], {}
    for role, name in new:
        index = seen[role] = seen.get(role, -1) + 1
        same = by_name.get((role, name))
        if same is None:
            same = by_place.get((role, index))
            if same is not None and (id(same) in matched or (role, same.name) in
                                     {(r, n) for r, n in new}):
                same = None
            if same is not None:
                matched.add(id(same))
        logos.append(same.logo_id if same is not None else None)
    return logos


def _apply(meeting: Meeting, values: dict) -> None:
    organisations = values.pop("organisations")
    for key, value in values.items():
        setattr(meeting, key, value)
    old = list(meeting.organisations)
    old_logos = {o.logo_id for o in old}
    logos = _kept_logos(old, organisations)
    meeting.organisations.clear()
    db.session.flush()
    for position, ((role, name), logo_id) in enumerate(zip(organisations, logos, strict=True)):
        meeting.organisations.append(
            MeetingOrganisation(name=name, role=role, position=position, logo_id=logo_id)
        )
    media.release(*(old_logos - set(logos)))


def create_meeting(actor: User | None, details: MeetingDetails, *,
                   banner: bytes | None = None) -> Meeting:
    """Create a draft meeting; its creator becomes an organiser of it."""
    _require_creator(actor)
    values = _validated(details, None)
    values["banner_id"], _old = media.replace(None, banner, field="banner")
    _check_series(actor, values["series_id"], None)
    meeting = Meeting(status=MeetingStatus.DRAFT)
    db.session.add(meeting)
    _apply(meeting, values)
    db.session.flush()
    db.session.add(MeetingRole(meeting_id=meeting.id, user_id=actor.id,
                               role=RoleKind.ORGANISER, created_at=utcnow()))
    _commit_or_conflict()
    return meeting


#: Called with the meeting after its capacity grew (registration admits from the waitlist).
_capacity_listeners: list[Callable[[Meeting], object]] = []


def on_capacity_grew(listener: Callable[[Meeting], object]) -> None:
    """Register `listener(meeting)`, run after a saved capacity grew or became unlimited."""
    if listener not in _capacity_listeners:
        _capacity_listeners.append(listener)


#: Called with the meeting, before the commit, when its times or zone changed (the agenda
#: logs the new live clock; meetings cannot know the clock).
_schedule_listeners: list[Callable[[Meeting], object]] = []


def on_schedule_changed(listener: Callable[[Meeting], object]) -> None:
    """Register `listener(meeting)`, run inside the saving transaction after a time edit."""
    if listener not in _schedule_listeners:
        _schedule_listeners.append(listener)


def _schedule_of(meeting: Meeting) -> tuple:
    return meeting.starts_at, meeting.planned_end, meeting.latest_end, meeting.timezone


def update_details(actor: User | None, meeting: Meeting, details: MeetingDetails, *,
                   banner: bytes | None = None, remove_banner: bool = False) -> Meeting:
    """Save the details page; more seats let waitlisted people in at once, new times reach
    the open clocks. `banner` (uploaded bytes) replaces the banner, `remove_banner` drops it."""
    require_organiser(actor, meeting)
    values = _validated(details, meeting.id)
    _check_series(actor, values["series_id"], meeting.series_id)
    values["banner_id"], old_banner = media.replace(meeting.banner_id, banner,
                                                    remove=remove_banner, field="banner")
    old_capacity, old_schedule = meeting.capacity, _schedule_of(meeting)
    old_languages = meeting.content_languages
    _apply(meeting, values)
    media.release(old_banner)
    if meeting.content_languages != old_languages:
        content.reorder(meeting)
    if _schedule_of(meeting) != old_schedule:
        for listener in tuple(_schedule_listeners):
            listener(meeting)
    _commit_or_conflict()
    grew = old_capacity is not None and (meeting.capacity is None
                                         or meeting.capacity > old_capacity)
    if grew:
        for listener in tuple(_capacity_listeners):
            listener(meeting)
    return meeting


def content_completeness(meeting: Meeting) -> dict[str, tuple[int, int]]:
    """Per meeting language, how many of the organisers' texts are written in it."""
    return content.completeness(meeting)


def _commit_or_conflict() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict() from error


def set_published(actor: User | None, meeting: Meeting, published: bool) -> Meeting:
    """Publish a draft or take a published meeting back to draft (live/ended stay as they are)."""
    require_organiser(actor, meeting)
    if published and meeting.status == MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.PUBLISHED
    elif not published and meeting.status == MeetingStatus.PUBLISHED:
        meeting.status = MeetingStatus.DRAFT
    elif not published:
        raise Conflict(_l("A meeting that is live or has ended cannot go back to draft."))
    db.session.commit()
    return meeting


def update_qa_settings(actor: User | None, meeting: Meeting, *, moderation: ModerationMode,
                       open_: bool, anonymous: bool, max_length: int,
                       after_meeting: bool | None = None) -> Meeting:
    """Change Q&A rules; live pages learn of it through `qa_settings_changed`."""
    require_organiser(actor, meeting)
    _check_int(max_length, *QUESTION_LENGTH_RANGE, _l("Question length"))
    meeting.qa_moderation = ModerationMode(moderation)
    meeting.qa_open = bool(open_)
    meeting.anonymous_questions = bool(anonymous)
    meeting.question_max_length = max_length
    if after_meeting is not None:
        meeting.after_meeting_questions = bool(after_meeting)
    db.session.flush()
    log.record(meeting.id, "qa_settings_changed", {"settings": meeting.qa_settings()})
    db.session.commit()
    return meeting


def update_board_settings(actor: User | None, meeting: Meeting, *, mode: BoardMode,
                          slow_seconds: int, publish_wall: bool | None = None) -> Meeting:
    """Board rules; `publish_wall` opens the wall to everyone once the meeting has ended."""
    require_organiser(actor, meeting)
    _check_int(slow_seconds, 0, MAX_SLOW_SECONDS, _l("Slow mode"))
    meeting.board_mode = BoardMode(mode)
    meeting.board_slow_seconds = slow_seconds
    if publish_wall is not None:
        meeting.wall_published = bool(publish_wall)
    db.session.flush()
    log.record(meeting.id, "board_settings_changed", meeting.board_settings())
    db.session.commit()
    return meeting


def set_organisation_logo(actor: User | None, meeting: Meeting, organisation_id: int, *,
                          logo: bytes | None = None, remove: bool = False) -> MeetingOrganisation:
    """Give an organisation of the meeting a logo (uploaded bytes), or remove it."""
    require_organiser(actor, meeting)
    organisation = db.session.get(MeetingOrganisation, organisation_id)
    if organisation is None or organisation.meeting_id != meeting.id:
        raise NotFound()
    if not logo and not remove:
        raise InvalidInput(_l("Choose a picture to upload."), field="logo")
    organisation.logo_id, old = media.replace(organisation.logo_id, logo, remove=remove,
                                              field="logo")
    media.release(old)
    db.session.commit()
    return organisation


# --- series --------------------------------------------------------------------------------

def all_series() -> list[Series]:
    """Every series, by title."""
    return list(db.session.scalars(select(Series).order_by(Series.title)))


def organised_series(actor: User | None, keep: int | None = None) -> list[Series]:
    """Series the actor may add meetings to (all for admins), plus `keep` (a meeting's current
    series, so its editor can show and keep it)."""
    if not _actor_ok(actor):
        return []
    query = select(Series).order_by(Series.title)
    if not actor.is_admin:
        mine = Series.id.in_(select(SeriesRole.series_id).where(SeriesRole.user_id == actor.id))
        query = query.where(mine | (Series.id == keep) if keep is not None else mine)
    return list(db.session.scalars(query))


def get_series(actor: User | None, series_id: int) -> Series:
    """The series for one of its organisers; anyone else gets Forbidden."""
    series = db.session.get(Series, series_id)
    if series is None:
        raise NotFound()
    if not can_organise_series(actor, series.id):
        raise Forbidden(_l("Only organisers of this series can change it."))
    return series


def series_organisers(series: Series) -> list[User]:
    """The organisers of a series, by name."""
    return list(db.session.scalars(
        select(User).join(SeriesRole, SeriesRole.user_id == User.id)
        .where(SeriesRole.series_id == series.id).order_by(User.name, User.id)))


def _series_values(slug: str, title: str, description: str, series_id: int | None,
                   accent_colour: str | None = None) -> dict:
    _check_slug(slug)
    check_text(title, _l("Title"), max_length=TITLE_MAX)
    check_text(description, _l("Description"), max_length=DESCRIPTION_MAX, required=False,
                multiline=True)
    clash = db.session.scalar(select(Series.id).where(Series.slug == slug))
    if clash is not None and clash != series_id:
        raise Conflict(_l("Another series already uses this web address."))
    return dict(slug=slug, title=title, description=description,
                accent_colour=check_accent(accent_colour))


def create_series(actor: User | None, *, slug: str, title: str, description: str = "",
                  accent_colour: str | None = None, banner: bytes | None = None) -> Series:
    """Start a series; its creator becomes its first organiser."""
    _require_creator(actor)
    series = Series(**_series_values(slug, title, description, None, accent_colour))
    series.banner_id, _old = media.replace(None, banner, field="banner")
    db.session.add(series)
    db.session.flush()
    db.session.add(SeriesRole(series_id=series.id, user_id=actor.id, created_at=utcnow()))
    _commit_or_conflict()
    return series


def update_series(actor: User | None, series: Series, *, slug: str, title: str,
                  description: str = "", accent_colour: str | None = None,
                  banner: bytes | None = None, remove_banner: bool = False) -> Series:
    """Only the series' organisers (and admins) change it."""
    if not can_organise_series(actor, series.id):
        raise Forbidden(_l("Only organisers of this series can change it."))
    values = _series_values(slug, title, description, series.id, accent_colour)
    banner_id, old_banner = media.replace(series.banner_id, banner, remove=remove_banner,
                                          field="banner")
    for key, value in values.items():
        setattr(series, key, value)
    series.banner_id = banner_id
    media.release(old_banner)
    _commit_or_conflict()
    return series


def add_series_organiser(actor: User | None, series: Series, email: str) -> User:
    """Make an existing, active staff account an organiser of the series."""
    if not can_organise_series(actor, series.id):
        raise Forbidden(_l("Only organisers of this series can change it."))
    address = normalise_email(email) if isinstance(email, str) else ""
    user = db.session.scalar(select(User).where(User.email == address)) if address else None
    if user is None or not user.active:
        raise InvalidInput(_l("There is no staff account with this e-mail address."),
                           field="email")
    exists = db.session.scalar(select(SeriesRole.id).where(
        SeriesRole.series_id == series.id, SeriesRole.user_id == user.id))
    if exists is None:
        db.session.add(SeriesRole(series_id=series.id, user_id=user.id, created_at=utcnow()))
        _commit_or_conflict()
    return user
