"""Small factories: a valid object with overridable fields, committed, in one call."""

from __future__ import annotations

import functools
import itertools
from datetime import timedelta

from werkzeug.security import generate_password_hash

from webapp.accounts.models import RoleKind, SeriesRole, User
from webapp.accounts.services import create_user, grant_role
from webapp.agenda.models import AgendaItem, ItemKind, Speaker, agenda_item_speakers
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.meetings.models import Meeting, MeetingStatus, Series
from webapp.qa.models import Question, QuestionStatus
from webapp.registration.models import Registration, RegistrationStatus

_counter = itertools.count(1)

#: scrypt at a low work factor: `check_password_hash` reads the factor from the hash, so
#: logins in tests stay real checks, without the production factor's 0.1 s each.
_TEST_HASH_METHOD = "scrypt:1024:8:1"


@functools.cache
def test_password_hash(password: str) -> str:
    """One hash per password for the whole run (a fresh salt is not what tests check)."""
    return generate_password_hash(password, method=_TEST_HASH_METHOD)


def make_meeting(**fields) -> Meeting:
    n = next(_counter)
    starts_at = fields.pop("starts_at", utcnow().replace(microsecond=0) + timedelta(days=7))
    values = dict(
        slug=f"meeting-{n}",
        title=f"Meeting {n}",
        timezone="Asia/Shanghai",
        starts_at=starts_at,
        planned_end=starts_at + timedelta(hours=2),
        languages=["zh_Hans", "es"],
        status=MeetingStatus.PUBLISHED,
    )
    values.update(fields)
    # As the editor does: the default language is one of the meeting's languages.
    values.setdefault("default_language", (values["languages"] or ["en"])[0])
    meeting = Meeting(**values)
    db.session.add(meeting)
    db.session.commit()
    return meeting


def demo_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The demo's shape: 7 items, 120 planned minutes, Q&A second to last."""
    plan = [("Opening", ItemKind.OPENING, 10), ("Community", ItemKind.TALK, 20),
            ("Infection", ItemKind.TALK, 25), ("Diaspora", ItemKind.TALK, 10),
            ("Expert panel", ItemKind.PANEL, 25), ("Questions", ItemKind.QA, 25),
            ("Closing", ItemKind.CLOSING, 5)]
    return [make_agenda_item(meeting, title=t, kind=k, planned_minutes=m) for t, k, m in plan]


def make_agenda_item(meeting: Meeting, speakers: list[Speaker] = (), **fields) -> AgendaItem:
    position = fields.pop("position", len(meeting.agenda_items))
    item = AgendaItem(meeting_id=meeting.id, position=position,
                      title=fields.pop("title", f"Item {position}"),
                      kind=fields.pop("kind", ItemKind.TALK), **fields)
    db.session.add(item)
    db.session.flush()
    for order, speaker in enumerate(speakers):
        db.session.execute(agenda_item_speakers.insert().values(
            agenda_item_id=item.id, speaker_id=speaker.id, position=order))
    db.session.commit()
    db.session.refresh(meeting)
    return item


def make_speaker(meeting: Meeting, **fields) -> Speaker:
    speaker = Speaker(meeting_id=meeting.id, name=fields.pop("name", "Chen Xiaobei"), **fields)
    db.session.add(speaker)
    db.session.commit()
    return speaker


def make_registration(meeting: Meeting, **fields) -> Registration:
    n = next(_counter)
    values = dict(
        meeting_id=meeting.id,
        name=f"Attendee {n}",
        email=f"attendee{n}@example.org",
        organisation="Asociación Peruana",
        country="PE",
        language="es",
        status=RegistrationStatus.CONFIRMED,
        consent_at=utcnow(),
    )
    values.update(fields)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.commit()
    return registration


def make_user(email: str | None = None, *, admin: bool = False, meeting: Meeting | None = None,
              role: RoleKind | None = None, password: str = "correct horse battery") -> User:
    n = next(_counter)
    user = create_user(email or f"staff{n}@example.org", f"Staff {n}", None, is_admin=admin)
    user.password_hash = test_password_hash(password) if password else ""
    db.session.commit()
    if meeting is not None and role is not None:
        grant_role(user, meeting.id, role)
    return user


def make_question(meeting: Meeting, registration: Registration | None = None,
                  **fields) -> Question:
    values = dict(meeting_id=meeting.id, text="¿Cómo organizaron la vigilancia comunitaria?",
                  language="es", status=QuestionStatus.LIVE,
                  registration_id=registration.id if registration else None)
    values.update(fields)
    question = Question(**values)
    db.session.add(question)
    db.session.commit()
    return question


def make_series(*organisers: User, **fields) -> Series:
    """A series whose organisers are `organisers` (series roles, no meeting roles)."""
    n = next(_counter)
    series = Series(**{"slug": f"series-{n}", "title": f"Series {n}", **fields})
    db.session.add(series)
    db.session.flush()
    for user in organisers:
        db.session.add(SeriesRole(series_id=series.id, user_id=user.id, created_at=utcnow()))
    db.session.commit()
    return series


def run_by_series(series: Series, *meetings: Meeting) -> User:
    """A series organiser who also organises `meetings`: sessions the series vouches for."""
    user = make_user()
    db.session.add(SeriesRole(series_id=series.id, user_id=user.id, created_at=utcnow()))
    db.session.commit()
    for meeting in meetings:
        grant_role(user, meeting.id, RoleKind.ORGANISER)
    return user
