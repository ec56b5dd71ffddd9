"""Attendance figures of one meeting: registered, joined live, peak at once, watched the recording.

What each figure counts:

- **registered**: confirmed registrations, plus those that joined live or opened the recording
  and were cancelled or erased afterwards (they held a seat and used it). Waitlisted, pending,
  rejected and cancelled-without-attending ones are not counted.
- **joined_live**: registrations that entered the live page while the meeting had not ended
  (`first_joined_at`, set at the first live connection).
- **peak_at_once / peak_at**: the highest number of attendees connected at the same time and
  when it was first reached, from the presence history (`presence_samples`): at most one row
  per meeting and minute, written by the live adapter's sampler from the same meeting-wide
  count as the online indicator (the union of every process's people through Redis), with
  staff, interpreters and the presenter screen left out. A minute's row keeps the highest count
  seen in it. 0 and None when nothing was sampled.
- **watched_recording**: registrations that opened the recording *from Puente*: the button
  on their personal link page, or the meeting page's link while their browser is signed in to
  the meeting with their join link (`recording_opened_at`). A person who joined live and also
  opened the recording counts in both figures. Opening the recording from a copied address,
  or anonymously (no join-link session), is not counted anywhere: Puente does not track
  people it does not know, and uses no pixels or personal links in e-mails for this.

Erased registrations keep their row (organisation type, country, status and these dates stay
for counts); the figures are counts only and carry nothing personal.

Breakdowns by organisation type and by country (ISO code, "" when unknown) list every key
with at least one registered, joined or watched, sorted by registered (most first), then key.

Plain services: no request state. `figures` and `presence_over_time` only read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.registration.models import PresenceSample, Registration, RegistrationStatus

#: Seconds per presence sample: one row per meeting and minute.
SAMPLE_SECONDS = 60


@dataclass(frozen=True)
class Breakdown:
    """One row of a table."""
    key: str                #: organisation type value or ISO country code
    registered: int
    joined_live: int
    watched_recording: int


@dataclass(frozen=True)
class AttendanceFigures:
    """The meeting's attendance (see the module's docstring for what each figure counts)."""
    registered: int
    joined_live: int
    peak_at_once: int
    peak_at: datetime | None
    watched_recording: int
    by_organisation_type: list[Breakdown]
    by_country: list[Breakdown]


@dataclass(frozen=True)
class PresencePoint:
    """One sample of the presence history."""
    at: datetime            #: naive UTC, when the count was seen
    attendees_online: int


def _joined():
    return Registration.first_joined_at.is_not(None)


def _watched():
    return Registration.recording_opened_at.is_not(None)


def _registered():
    return or_(Registration.status == RegistrationStatus.CONFIRMED, _joined(), _watched())


def _counts(meeting_id: int, group_by=None) -> list:
    def count(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    columns = [count(_registered()), count(_joined()), count(_watched())]
    query = select(*([group_by] if group_by is not None else []), *columns).where(
        Registration.meeting_id == meeting_id,
        or_(_registered(), _joined(), _watched()))
    if group_by is not None:
        query = query.group_by(group_by)
    return db.session.execute(query).all()


def _breakdown(meeting_id: int, column) -> list[Breakdown]:
    rows = [Breakdown(str(getattr(key, "value", key) or ""), int(registered), int(joined),
                      int(watched))
            for key, registered, joined, watched in _counts(meeting_id, column)]
    return sorted(rows, key=lambda row: (-row.registered, row.key))


def figures(meeting_id: int) -> AttendanceFigures:
    """The attendance figures of a meeting (zeros for an unknown one)."""
    registered, joined, watched = _counts(meeting_id)[0]
    peak = db.session.execute(
        select(PresenceSample.attendees_online, PresenceSample.at)
        .where(PresenceSample.meeting_id == meeting_id)
        .order_by(PresenceSample.attendees_online.desc(), PresenceSample.at)
        .limit(1)).first()
    return AttendanceFigures(
        registered=int(registered),
        joined_live=int(joined),
        peak_at_once=peak.attendees_online if peak is not None else 0,
        peak_at=peak.at if peak is not None else None,
        watched_recording=int(watched),
        by_organisation_type=_breakdown(meeting_id, Registration.organisation_type),
        by_country=_breakdown(meeting_id, Registration.country),
    )


def presence_over_time(meeting_id: int) -> list[PresencePoint]:
    """The meeting's presence history, oldest first: attendees online, about once a minute."""
    return [PresencePoint(at, online) for at, online in db.session.execute(
        select(PresenceSample.at, PresenceSample.attendees_online)
        .where(PresenceSample.meeting_id == meeting_id)
        .order_by(PresenceSample.bucket))]


def bucket_of(moment: datetime) -> datetime:
    """The start of the sample interval `moment` falls in."""
    return moment.replace(second=0, microsecond=0)


def record_presence_sample(meeting_id: int, attendees_online: int,
                           at: datetime | None = None) -> None:
    """Store one count in the history: one row per meeting and minute, keeping the highest.

    One INSERT ... ON CONFLICT (meeting, bucket) DO UPDATE ... WHERE higher, on SQLite and
    PostgreSQL: any number of processes may sample the same minute, and a lower or equal count
    changes nothing (the peak keeps the moment it was first reached). The caller commits.
    """
    at = (at or utcnow()).replace(microsecond=0)
    count = max(0, int(attendees_online))
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(PresenceSample).values(
        meeting_id=meeting_id, bucket=bucket_of(at), at=at, attendees_online=count)
    table = PresenceSample.__table__
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["meeting_id", "bucket"],
        set_={"attendees_online": statement.excluded.attendees_online,
              "at": statement.excluded.at},
        where=table.c.attendees_online < statement.excluded.attendees_online))


def recording_address(meeting: Meeting) -> str | None:
    """The meeting's recording, only when it is a plain http(s) address with a host: anything
    else (javascript:, data:, relative, protocol-relative, control characters) is never
    redirected to."""
    url = (meeting.recording_url or "").strip()
    if not url or any(ord(c) < 33 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def record_recording_opened(registration: Registration) -> bool:
    """Note that this registration opened the recording through Puente (the first time only).

    Returns whether this call recorded it. Commits.
    """
    if registration.recording_opened_at is not None:
        return False
    result = db.session.execute(
        Registration.__table__.update()
        .where(and_(Registration.id == registration.id,
                    Registration.recording_opened_at.is_(None)))
        .values(recording_opened_at=utcnow()))
    db.session.commit()
    db.session.refresh(registration)
    return result.rowcount == 1
