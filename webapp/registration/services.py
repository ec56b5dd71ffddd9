"""Registration rules: sign-up with capacity and waitlist, status changes, join links, privacy.

Plain Python. Organiser actions take the acting user and check `can_organise`; attendee
actions are authorised by the caller holding the registration's personal link. Every change
of seats first locks the meeting row (a no-op UPDATE: a row lock on PostgreSQL, the write lock
on SQLite), so concurrent sign-ups are counted one after the other and capacity holds.
E-mails are composed in the attendee's language and queued in the same transaction as the
change that causes them (`webapp.mail.store`): an acknowledged change never loses its mail,
and a failing mail server never fails the change. Requests for a link ("resend my link",
registering again) are only recorded; the mail worker answers them (`answer_link_requests`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from webapp import mail
from webapp.accounts.models import MeetingRole, RoleKind, SeriesRole, User
from webapp.accounts.permissions import can_organise
from webapp.core.i18n import LANGUAGES, language_or_default
from webapp.core.text import forbidden_character, is_blank, normalise_email, single_line
from webapp.core.timefmt import zone_times
from webapp.core.timeutil import is_valid_timezone, iso_utc, utcnow
from webapp.core.tokens import digest, new_token
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.mail import Attachment, compose
from webapp.meetings import ics
from webapp.meetings import services as meeting_services
from webapp.meetings.models import Meeting, MeetingStatus, RegistrationMode
from webapp.realtime import log
from webapp.realtime.coalescer import Coalescer
from webapp.registration import privacy
from webapp.registration.labels import country_codes
from webapp.registration.links import external_url
from webapp.registration.models import (
    LinkRequest,
    OrganisationType,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)

NAME_MAX = 200
EMAIL_MAX = 254
ORGANISATION_MAX = 300
POSITION_MAX = 200
ANSWER_MAX = 1000
TOKEN_MAX = 128
#: Statuses that still hold (or wait for) a place and may be cancelled by the attendee.
ACTIVE = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
                    RegistrationStatus.WAITLISTED})
#: Meeting states in which new registrations are accepted.
OPEN_MEETING_STATES = frozenset({MeetingStatus.PUBLISHED, MeetingStatus.LIVE})
#: Link mails answered per address and meeting within LINK_MAIL_WINDOW; more are dropped, so
#: nobody can flood an inbox through "resend my link" (the per-IP limit is only a backstop).
LINK_MAILS_PER_ADDRESS = 3
LINK_MAIL_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class RegistrationInput:
    """What the registration form submits (already shaped by the form, checked again here)."""

    name: str
    email: str
    organisation: str = ""
    organisation_type: str = OrganisationType.OTHER.value
    position: str = ""
    country: str = ""
    language: str = "en"
    consent: bool = False
    #: Custom answers keyed by question id as text: str for text/choice, bool for checkbox.
    answers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RegistrationOutcome:
    """What registering did: the registration, its status and whether it is new."""
    registration: Registration
    #: False when the e-mail was already registered (the caller must not show the difference).
    created: bool
    status: RegistrationStatus


@dataclass(frozen=True)
class RegistrationState:
    """What the meeting page says about signing up."""

    open: bool
    #: "open", "approval", "waitlist", "closed" or "ended".
    mode: str
    seats_left: int | None
    waiting: int


# --- reading -------------------------------------------------------------------------------

def questions(meeting: Meeting) -> list[RegistrationQuestion]:
    """The meeting's extra registration questions, in order."""
    return list(db.session.scalars(
        select(RegistrationQuestion)
        .where(RegistrationQuestion.meeting_id == meeting.id)
        .order_by(RegistrationQuestion.position, RegistrationQuestion.id)
    ))


def _count(meeting_id: int, status: RegistrationStatus) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.meeting_id == meeting_id, Registration.status == status)
    )


def seats_left(meeting: Meeting) -> int | None:
    """Free seats, or None when capacity is unlimited."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - _count(meeting.id, RegistrationStatus.CONFIRMED))


def registration_state(meeting: Meeting) -> RegistrationState:
    """What the meeting page says about registering: mode, seats, waiting list."""
    left = seats_left(meeting)
    waiting = _count(meeting.id, RegistrationStatus.WAITLISTED)
    if meeting.status == MeetingStatus.ENDED:
        return RegistrationState(False, "ended", left, waiting)
    if (meeting.status not in OPEN_MEETING_STATES
            or meeting.registration_mode == RegistrationMode.CLOSED):
        return RegistrationState(False, "closed", left, waiting)
    if meeting.registration_mode == RegistrationMode.APPROVAL:
        return RegistrationState(True, "approval", left, waiting)
    if left == 0:
        return RegistrationState(True, "waitlist", left, waiting)
    return RegistrationState(True, "open", left, waiting)


def by_token(meeting: Meeting, token: str, *, now=None) -> Registration:
    """The registration whose personal link carries `token`; NotFound for anything else.

    A link works until the meeting's retention period ends (then `puente purge` erases the
    registration, and the link with it), until the person erases their data, or until an
    organiser revokes or reissues it. Both the current and a newer, mailed-on-request link
    work until the newer one is used (`use_link`).
    """
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        raise NotFound(_l("This link is not valid any more."))
    hashed = digest(token)
    registration = db.session.scalar(select(Registration).where(
        or_(Registration.join_token_hash == hashed, Registration.pending_token_hash == hashed)))
    if (registration is None or registration.meeting_id != meeting.id
            or registration.anonymised_at is not None
            or retention_ends(meeting) <= (now or utcnow())):
        raise NotFound(_l("This link is not valid any more."))
    return registration


def use_link(registration: Registration, token: str) -> None:
    """The attendee acted with `token`: if it is the newer link, it retires the older one."""
    if registration.pending_token_hash is not None and \
            registration.pending_token_hash == digest(token):
        registration.join_token_hash = registration.pending_token_hash
        registration.pending_token_hash = None
        db.session.commit()


def session_entry(registration: Registration) -> list[int]:
    """What a browser session keeps after joining: the registration and its link version."""
    return [registration.id, registration.link_version]


def waitlist_position(registration: Registration) -> int | None:
    """The registration's place on the waiting list (1 = next), or None."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.meeting_id == registration.meeting_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.id <= registration.id)
    )


def _run_by_series_organisers(series_id):
    """SQL condition: the meeting has an organiser who organises the series or is an admin.

    Being in the series is not enough: a session is vouched for by the series' own people,
    so an organiser of some other meeting cannot offer theirs to this series' attendees.
    """
    vouching = select(MeetingRole.id).join(User, User.id == MeetingRole.user_id).where(
        MeetingRole.meeting_id == Meeting.id, MeetingRole.role == RoleKind.ORGANISER,
        User.active.is_(True),
        User.is_admin.is_(True) | User.id.in_(
            select(SeriesRole.user_id).where(SeriesRole.series_id == series_id)),
    )
    return vouching.exists()


def next_session(meeting: Meeting) -> Meeting | None:
    """The session an attendee of `meeting` is offered next, if any.

    It is the earliest meeting of the same series that starts after this one, has not ended,
    takes registrations (published or live) and is run by the series' organisers: at least
    one of its active organisers is an organiser of the series (or a site admin).
    """
    if meeting.series_id is None:
        return None
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.series_id == meeting.series_id, Meeting.id != meeting.id,
               Meeting.status.in_(list(OPEN_MEETING_STATES)),
               Meeting.starts_at > meeting.starts_at, Meeting.planned_end > utcnow(),
               _run_by_series_organisers(meeting.series_id))
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(1)
    )


def meeting_organisers(meeting: Meeting) -> list[User]:
    """The staff who organise a meeting: whom an attendee's details are shared with."""
    return list(db.session.scalars(
        select(User).join(MeetingRole, MeetingRole.user_id == User.id)
        .where(MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleKind.ORGANISER,
               User.active.is_(True))
        .order_by(User.name, User.id)))


def registered_in(meeting: Meeting, email: str) -> Registration | None:
    """The registration of this address in the meeting, if any."""
    return db.session.scalar(select(Registration).where(
        Registration.meeting_id == meeting.id, Registration.email == normalise_email(email)))


# --- checking input ------------------------------------------------------------------------

def _text(value, field_name: str, max_length: int, *, required: bool) -> str:
    if not isinstance(value, str):
        raise InvalidInput(field=field_name)
    if required and is_blank(value):
        raise InvalidInput(_l("This field is required."), field=field_name)
    if len(value) > max_length:
        raise InvalidInput(_l("Please use at most %(max)d characters.", max=max_length),
                           field=field_name)
    bad = forbidden_character(value)
    if bad is not None:
        raise InvalidInput(
            _l("This text contains a control character (U+%(code)04X) that cannot be saved.",
               code=ord(bad)), field=field_name)
    if not single_line(value):
        raise InvalidInput(_l("Please keep this on one line."), field=field_name)
    return value


def _email(value) -> str:
    value = _text(value, "email", EMAIL_MAX, required=True)
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput(_l("Enter a valid e-mail address."), field="email") from None
    return normalise_email(value)


def _answers(meeting: Meeting, given: dict) -> dict:
    """Keep answers to this meeting's questions only, checked by kind; ignore the rest."""
    given = given if isinstance(given, dict) else {}
    answers: dict = {}
    for question in questions(meeting):
        key = str(question.id)
        name = f"q_{question.id}"
        value = given.get(key)
        if question.kind == QuestionKind.CHECKBOX:
            checked = value is True
            if question.required and not checked:
                raise InvalidInput(_l("Please tick this box to continue."), field=name)
            answers[key] = checked
            continue
        if value is None or value == "":
            if question.required:
                raise InvalidInput(_l("This field is required."), field=name)
            continue
        if question.kind == QuestionKind.CHOICE:
            if value not in {key for key, _label in question.options()}:
                raise InvalidInput(_l("Please choose one of the options."), field=name)
            answers[key] = value
        else:
            answers[key] = _text(value, name, ANSWER_MAX, required=question.required)
    return answers


def _clean(meeting: Meeting, data: RegistrationInput) -> dict:
    values = dict(
        name=_text(data.name, "name", NAME_MAX, required=True),
        email=_email(data.email),
        organisation=_text(data.organisation, "organisation", ORGANISATION_MAX,
                           required=False),
        position=_text(data.position, "position", POSITION_MAX, required=False),
    )
    try:
        values["organisation_type"] = OrganisationType(data.organisation_type)
    except ValueError:
        raise InvalidInput(_l("Please choose one of the options."),
                           field="organisation_type") from None
    if data.country not in country_codes():
        raise InvalidInput(_l("Please choose one of the options."), field="country")
    values["country"] = data.country
    if data.language not in LANGUAGES:
        raise InvalidInput(_l("Please choose one of the options."), field="language")
    values["language"] = data.language
    if data.consent is not True:
        raise InvalidInput(_l("Please agree to the privacy notice to register."),
                           field="consent")
    values["answers"] = _answers(meeting, data.answers)
    return values


def _ensure_open(meeting: Meeting) -> None:
    if (meeting.status not in OPEN_MEETING_STATES
            or meeting.registration_mode == RegistrationMode.CLOSED):
        raise Closed(_l("Registration for this meeting is closed."))


# --- locking and seats ---------------------------------------------------------------------

def _lock_meeting(meeting_id: int) -> tuple[int | None, RegistrationMode]:
    """Serialise seat changes of one meeting until commit; return its fresh capacity and mode.

    The UPDATE changes nothing but takes the row lock on PostgreSQL and the database write
    lock on SQLite, which every other seat change of this meeting then waits for.
    """
    db.session.execute(
        update(Meeting).where(Meeting.id == meeting_id)
        .values(updated_at=Meeting.updated_at)
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(
        select(Meeting.capacity, Meeting.registration_mode).where(Meeting.id == meeting_id)
    ).one()
    return row.capacity, row.registration_mode


def _has_seat(meeting_id: int, capacity: int | None) -> bool:
    return capacity is None or _count(meeting_id, RegistrationStatus.CONFIRMED) < capacity


def _fill_seats(meeting_id: int, capacity: int | None) -> list[tuple[Registration, str]]:
    """Confirm waitlisted people in order while seats exist; caller holds the lock."""
    promoted = []
    while _has_seat(meeting_id, capacity):
        nxt = db.session.scalar(
            select(Registration)
            .where(Registration.meeting_id == meeting_id,
                   Registration.status == RegistrationStatus.WAITLISTED)
            .order_by(Registration.id).limit(1)
        )
        if nxt is None:
            break
        nxt.status = RegistrationStatus.CONFIRMED
        promoted.append((nxt, _rotate(nxt)))
        db.session.flush()
    return promoted


def _rotate(registration: Registration) -> str:
    """Give the registration a fresh personal link; every previous one stops working."""
    token, token_hash = new_token()
    registration.join_token_hash = token_hash
    registration.pending_token_hash = None
    return token


def _add_pending(registration: Registration) -> str:
    """A newer link to mail; the current one keeps working until the newer one is used."""
    token, token_hash = new_token()
    registration.pending_token_hash = token_hash
    return token


def _refresh(registration: Registration) -> None:
    db.session.refresh(registration)


# --- e-mails -------------------------------------------------------------------------------

SUBJECTS = {
    "confirmed": _l("You are registered: %(title)s"),
    "pending": _l("Registration received, waiting for approval: %(title)s"),
    "approved": _l("Your registration was approved: %(title)s"),
    "rejected": _l("Your registration was not accepted: %(title)s"),
    "waitlisted": _l("You are on the waiting list: %(title)s"),
    "promoted": _l("A seat is free for you: %(title)s"),
    "cancelled": _l("Your registration was cancelled: %(title)s"),
    "link": _l("Your personal link: %(title)s"),
}
#: Kinds of e-mail that confirm a seat: they carry the join link and the calendar file.
SEATED = frozenset({"confirmed", "approved", "promoted"})


class _Subject:
    """A subject evaluated lazily in the recipient's language."""

    def __init__(self, kind: str, title: str):
        self.kind, self.title = kind, title

    def __str__(self) -> str:
        return str(SUBJECTS[self.kind]) % {"title": self.title}


def _mail(registration: Registration, kind: str, token: str | None, *,
          earlier_kept: bool = False):
    meeting = db.session.get(Meeting, registration.meeting_id)
    language = language_or_default(registration.language)
    link = cancel_link = None
    if token is not None:
        link = external_url("registration.link", slug=meeting.slug, token=token)
        cancel_link = external_url("registration.cancel", slug=meeting.slug, token=token)
    meeting_url = external_url("meetings.meeting_page", slug=meeting.slug)
    attachments = []
    seated = kind in SEATED or (kind == "link"
                                and registration.status == RegistrationStatus.CONFIRMED)
    if seated and link:
        data = ics.meeting_calendar(meeting, url=link, extra_description=link,
                                   language=language)
        attachments.append(Attachment(ics.filename(meeting.slug), ics.CONTENT_TYPE, data))
    zone = registration.timezone if is_valid_timezone(registration.timezone or "") else None
    return compose(
        f"registration_{kind}", to=registration.email, language=language,
        subject=_Subject(kind, meeting.title), attachments=attachments,
        registration=registration, meeting=meeting, link=link, cancel_link=cancel_link,
        meeting_url=meeting_url, seated=seated, status=registration.status.value,
        starts=zone_times(meeting.starts_at, meeting.zones, zone, language),
        ends=zone_times(meeting.planned_end, meeting.zones, zone, language),
        position=waitlist_position(registration), earlier_kept=earlier_kept,
    )


def _queue_all(batch: list[tuple[Registration, str, str | None]], *,
               earlier_kept: bool = False) -> None:
    """Queue the batch's e-mails in the current transaction (sent after it commits)."""
    for registration, kind, token in batch:
        mail.queue(_mail(registration, kind, token, earlier_kept=earlier_kept),
                   category=f"{kind}:{registration.meeting_id}")


def _request_link(meeting_id: int, address: str) -> None:
    db.session.add(LinkRequest(meeting_id=meeting_id, email=address))
    mail.wake_after_commit()


def answer_link_requests(now=None) -> int:
    """Mail worker: answer recorded link requests; returns how many mails were queued.

    A registered, not erased address gets a newer link (its current one keeps working), at
    most LINK_MAILS_PER_ADDRESS per LINK_MAIL_WINDOW; anything else is dropped silently. Each
    request is claimed by deleting it, so with several workers only one answers it.
    """
    now = now or utcnow()
    queued = 0
    query = (select(LinkRequest.id, LinkRequest.meeting_id, LinkRequest.email)
             .order_by(LinkRequest.id).limit(100))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    for request_id, meeting_id, address in db.session.execute(query).all():
        claimed = db.session.execute(
            delete(LinkRequest).where(LinkRequest.id == request_id)
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            db.session.rollback()
            continue
        # Locked, so workers of several processes count one address's mails one at a time.
        registration = db.session.scalar(select(Registration).where(
            Registration.meeting_id == meeting_id, Registration.email == address,
            Registration.anonymised_at.is_(None)).with_for_update())
        category = f"link:{meeting_id}"
        if registration is not None and mail.count_since(
                address, category, now - LINK_MAIL_WINDOW) < LINK_MAILS_PER_ADDRESS:
            _queue_all([(registration, "link", _add_pending(registration))],
                       earlier_kept=True)
            queued += 1
        db.session.commit()
    db.session.commit()
    return queued


def forget_link_requests(address: str) -> None:
    """Erasure: unanswered link requests for `address` go with its mail."""
    db.session.execute(delete(LinkRequest).where(LinkRequest.email == normalise_email(address))
                       .execution_options(synchronize_session=False))


mail.produce(answer_link_requests)
mail.on_forget(forget_link_requests)


# --- attendee actions ----------------------------------------------------------------------

def register(meeting: Meeting, form_data: RegistrationInput, *,
             viewer_timezone: str | None = None) -> RegistrationOutcome:
    """Sign someone up: confirmed while seats last, else waitlisted; pending in approval mode.

    A known e-mail changes nothing and gets its personal link by e-mail instead, so the
    response tells a visitor nothing about who is registered.
    """
    values = _clean(meeting, form_data)
    _ensure_open(meeting)
    zone = viewer_timezone if viewer_timezone and is_valid_timezone(viewer_timezone) else None
    meeting_id = meeting.id
    try:
        capacity, mode = _lock_meeting(meeting_id)
        existing = db.session.scalar(select(Registration).where(
            Registration.meeting_id == meeting_id, Registration.email == values["email"]))
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            # Exactly what "resend my link" does: the known address gets a newer link by
            # e-mail from the worker, and the link it already has keeps working.
            _request_link(meeting_id, values["email"])
            db.session.commit()
            return RegistrationOutcome(existing, False, existing.status)
        if mode == RegistrationMode.APPROVAL:
            status = RegistrationStatus.PENDING
        elif _has_seat(meeting_id, capacity):
            status = RegistrationStatus.CONFIRMED
        else:
            status = RegistrationStatus.WAITLISTED
        registration = existing or Registration(meeting_id=meeting_id)
        for key, value in values.items():
            setattr(registration, key, value)
        registration.timezone = zone
        registration.status = status
        registration.consent_at = utcnow()
        if existing is not None:
            registration.created_at = utcnow()  # back in the queue like a new sign-up
            registration.first_joined_at = registration.last_seen_at = None
        token = _rotate(registration)
        db.session.add(registration)
        db.session.flush()
        _queue_all([(registration, status.value, token)])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return RegistrationOutcome(registration, existing is None, status)


def resend_link(meeting: Meeting, email: str) -> None:
    """Record a request for the personal link of `email`; the mail worker answers it.

    The request does one and the same INSERT for a registered and an unknown address, so
    neither the response nor its timing tells them apart; no link changes here.
    """
    address = normalise_email(email) if isinstance(email, str) else ""
    if not address or len(address) > EMAIL_MAX or forbidden_character(address) is not None:
        return
    _request_link(meeting.id, address)
    db.session.commit()


def record_join(registration: Registration) -> Registration:
    """Note that the attendee entered the live meeting from their link; entering after the end
    (to ask a question after the meeting) is not attendance."""
    meeting = db.session.get(Meeting, registration.meeting_id)
    if (registration.status != RegistrationStatus.CONFIRMED or registration.banned
            or meeting is None or meeting.status == MeetingStatus.DRAFT):
        raise Forbidden(_l("Only confirmed registrations can join this meeting."))
    now = utcnow()
    if registration.first_joined_at is None and meeting.status != MeetingStatus.ENDED:
        registration.first_joined_at = now
    registration.last_seen_at = now
    db.session.commit()
    return registration


def mark_seen(registration_ids: Iterable[int]) -> None:
    """Attendance: live connections of these attendees opened just now (one UPDATE, no
    reads; the caller commits)."""
    ids = sorted(set(registration_ids))
    if not ids:
        return
    now = utcnow()
    db.session.execute(
        update(Registration)
        .where(Registration.id.in_(ids))
        .values(last_seen_at=now,
                first_joined_at=func.coalesce(Registration.first_joined_at, now))
        .execution_options(synchronize_session=False)
    )


def _write_attendance(_meeting_id: int, registration_ids: set[int]) -> None:
    mark_seen(registration_ids)


#: Attendance marks of live connections, written once a second in one UPDATE per meeting
#: rather than one commit per connection: a meeting opening (or a server restarting) brings
#: thousands of connections within seconds. A process that dies loses at most its last
#: second of marks, and those attendees are marked again when they reconnect.
attendance = Coalescer("attendance marks", _write_attendance,
                       setting="PUENTE_ATTENDANCE_INTERVAL_MS", default_ms=1000, testing_ms=0)


def register_for_next(registration: Registration, target: Meeting) -> RegistrationOutcome:
    """Register the same person for the next session with the same details.

    Only the session `next_session` offers: a meeting of the same series run by its organisers.
    """
    source = db.session.get(Meeting, registration.meeting_id)
    if source is None or registration.anonymised_at is not None:
        raise NotFound()
    offered = next_session(source)
    if offered is None or offered.id != target.id:
        raise NotFound()
    data = RegistrationInput(
        name=registration.name, email=registration.email,
        organisation=registration.organisation,
        organisation_type=registration.organisation_type.value,
        position=registration.position, country=registration.country,
        language=registration.language, consent=True, answers={})
    return register(target, data, viewer_timezone=registration.timezone)


def prefill(registration: Registration) -> dict:
    """Form values to offer when the attendee registers for another session."""
    return dict(name=registration.name, email=registration.email,
                organisation=registration.organisation,
                organisation_type=registration.organisation_type.value,
                position=registration.position, country=registration.country,
                language=registration.language)


# --- status changes ------------------------------------------------------------------------

def _require_organiser(actor: User | None, registration: Registration) -> None:
    if not can_organise(actor, registration.meeting_id):
        raise Forbidden()


def _change_under_lock(registration: Registration, action) -> list:
    """Run `action(capacity, mode)` under the meeting lock; commit; mail what it returns."""
    try:
        capacity, mode = _lock_meeting(registration.meeting_id)
        _refresh(registration)
        batch = action(capacity, mode)
        _queue_all(batch)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return batch


def _seat_given_up(registration: Registration, was: RegistrationStatus, capacity) -> list:
    """A confirmed seat was given up: close the person's live sockets, promote the next."""
    if was != RegistrationStatus.CONFIRMED:
        return []
    log.revoke_access(registration.meeting_id, registration.id)
    db.session.flush()
    return [(r, "promoted", t) for r, t in _fill_seats(registration.meeting_id, capacity)]


def approve(actor: User | None, registration: Registration) -> Registration:
    """Accept a pending (or rejected) registration: confirmed if a seat is free, else waitlisted."""
    _require_organiser(actor, registration)

    def action(capacity, _mode):
        if registration.status not in (RegistrationStatus.PENDING, RegistrationStatus.REJECTED):
            raise Conflict(_l("Only pending or rejected registrations can be approved."))
        if _has_seat(registration.meeting_id, capacity):
            registration.status = RegistrationStatus.CONFIRMED
            return [(registration, "approved", _rotate(registration))]
        registration.status = RegistrationStatus.WAITLISTED
        return [(registration, "waitlisted", _rotate(registration))]

    _change_under_lock(registration, action)
    return registration


def reject(actor: User | None, registration: Registration) -> Registration:
    """Reject a registration; a confirmed seat it held goes to the next on the list."""
    _require_organiser(actor, registration)

    def action(capacity, _mode):
        if registration.status not in ACTIVE:
            raise Conflict(_l("This registration cannot be rejected any more."))
        was = registration.status
        registration.status = RegistrationStatus.REJECTED
        return [(registration, "rejected", None), *_seat_given_up(registration, was, capacity)]

    _change_under_lock(registration, action)
    return registration


def cancel(registration: Registration, *, actor: User | None = None) -> Registration:
    """Cancel from the attendee's own link (actor None) or by an organiser; frees the seat."""
    if actor is not None:
        _require_organiser(actor, registration)

    def action(capacity, _mode):
        if registration.status not in ACTIVE:
            return []
        was = registration.status
        registration.status = RegistrationStatus.CANCELLED
        return [(registration, "cancelled", None), *_seat_given_up(registration, was, capacity)]

    _change_under_lock(registration, action)
    return registration


def promote(actor: User | None, registration: Registration) -> Registration:
    """Confirm a waitlisted person now, even beyond capacity (the organiser's choice)."""
    _require_organiser(actor, registration)

    def action(_capacity, _mode):
        if registration.status != RegistrationStatus.WAITLISTED:
            raise Conflict(_l("Only people on the waiting list can be promoted."))
        registration.status = RegistrationStatus.CONFIRMED
        return [(registration, "promoted", _rotate(registration))]

    _change_under_lock(registration, action)
    return registration


def capacity_changed(meeting: Meeting) -> list[Registration]:
    """After a capacity increase: confirm waitlisted people in order while seats exist."""
    try:
        capacity, _mode = _lock_meeting(meeting.id)
        promoted = _fill_seats(meeting.id, capacity)
        _queue_all([(r, "promoted", t) for r, t in promoted])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return [r for r, _t in promoted]


def reissue_link(actor: User | None, registration: Registration, *,
                 notify: bool = True) -> str:
    """A new personal link for the attendee (mailed to them); the old one stops working,
    and so do sessions joined with it."""
    _require_organiser(actor, registration)
    if registration.anonymised_at is not None:
        raise Conflict(_l("This person's data has been erased."))
    token = _rotate(registration)
    _end_joined_sessions(registration)
    if notify:
        _queue_all([(registration, "link", token)])
    db.session.commit()
    return token


def _end_joined_sessions(registration: Registration) -> None:
    """Browser sessions joined with an earlier link stop working; live sockets close."""
    registration.link_version = (registration.link_version or 0) + 1
    log.revoke_access(registration.meeting_id, registration.id)


def revoke_link(actor: User | None, registration: Registration) -> None:
    """The link stops working, and so does every session already joined with it."""
    _require_organiser(actor, registration)
    registration.join_token_hash = None
    registration.pending_token_hash = None
    _end_joined_sessions(registration)
    db.session.commit()


# --- privacy -------------------------------------------------------------------------------

def _anonymise(registration: Registration, now) -> None:
    """Drop personal data; keep organisation type, country, language and status for counts.

    The row itself stays (questions, posts and votes keep pointing at it): what is gone is
    the person, here and, through `privacy.forget`, everywhere else.
    """
    privacy.forget([registration])
    _clear(registration, now)


def _clear(registration: Registration, now) -> None:
    registration.name = ""
    registration.email = f"erased-{registration.id}@erased.invalid"
    registration.organisation = ""
    registration.position = ""
    registration.timezone = None
    registration.answers = {}
    registration.join_token_hash = None
    registration.pending_token_hash = None
    registration.anonymised_at = now


def erase(registration: Registration, *, actor: User | None = None) -> None:
    """Withdraw and erase: the seat is freed and personal data is gone for good."""
    if actor is not None:
        _require_organiser(actor, registration)

    def action(capacity, _mode):
        was = registration.status
        if was in ACTIVE:
            registration.status = RegistrationStatus.CANCELLED
        batch = _seat_given_up(registration, was, capacity)
        _anonymise(registration, utcnow())
        return batch

    _change_under_lock(registration, action)


def export_person(actor: User | None, registration: Registration) -> dict:
    """Everything Puente holds about one registration, for a data-access request."""
    _require_organiser(actor, registration)
    meeting = db.session.get(Meeting, registration.meeting_id)
    labels = {str(q.id): str(q.label) for q in questions(meeting)}
    return {
        "meeting": {"slug": meeting.slug, "title": str(meeting.title)},
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "organisation_type": registration.organisation_type.value,
        "position": registration.position,
        "country": registration.country,
        "language": registration.language,
        "timezone": registration.timezone,
        "status": registration.status.value,
        "answers": [{"question": labels.get(key, key), "answer": value}
                    for key, value in registration.answers.items()],
        "registered_at": iso_utc(registration.created_at),
        "consent_at": iso_utc(registration.consent_at),
        "first_joined_at": iso_utc(registration.first_joined_at),
        "last_seen_at": iso_utc(registration.last_seen_at),
        "recording_opened_at": iso_utc(registration.recording_opened_at),
        "anonymised_at": iso_utc(registration.anonymised_at),
        **privacy.exported(registration),  # "questions", "posts": registered by qa, board
    }


def retention_ends(meeting: Meeting):
    """When personal data of this meeting's registrations is anonymised."""
    end = max(meeting.planned_end, meeting.latest_end or meeting.planned_end)
    return end + timedelta(days=meeting.retention_days)


def purge_expired(now=None) -> int:
    """Anonymise registrations of meetings past their end plus retention; return how many."""
    now = now or utcnow()
    count = 0
    meetings = db.session.scalars(select(Meeting).where(Meeting.planned_end < now))
    for meeting in list(meetings):
        if retention_ends(meeting) > now:
            continue
        rows = list(db.session.scalars(select(Registration).where(
            Registration.meeting_id == meeting.id, Registration.anonymised_at.is_(None))))
        privacy.forget(rows)
        for registration in rows:
            _clear(registration, now)
            count += 1
        db.session.commit()
    return count


meeting_services.on_capacity_grew(capacity_changed)
