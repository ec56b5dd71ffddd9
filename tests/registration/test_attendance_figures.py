"""Attendance figures: registered, joined live, peak at once (from the presence history) and
opened the recording, with their breakdowns, from real rows, real sockets and real requests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import _make_app, base_config, csrf_token_from
from tests.factories import make_meeting, make_registration, make_user
from webapp.accounts.models import RoleKind
from webapp.accounts.participant import Participant
from webapp.extensions import db
from webapp.live import sweep
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.meetings.models import MeetingStatus
from webapp.realtime import state
from webapp.registration import attendance_figures, services
from webapp.registration.attendance_figures import (
    AttendanceFigures,
    Breakdown,
    PresencePoint,
    figures,
    presence_over_time,
    record_presence_sample,
)
from webapp.registration.models import (
    OrganisationType,
    PresenceSample,
    Registration,
    RegistrationStatus,
)

#: Sample times the tests pass to the sweep, well before the real clock: the highest count a
#: change reached between samples is written at its real time, so those rows come later.
NOON = datetime(2026, 1, 5, 12, 0, 0)
MINUTE = timedelta(minutes=1)


def _in(meeting_id: int, *buckets: datetime) -> list[int]:
    """The counts of these sampled minutes (rows written at the real clock left out)."""
    return [count for bucket, count in _samples(meeting_id) if bucket in buckets]


def _samples(meeting_id: int) -> list[tuple[datetime, int]]:
    db.session.expire_all()
    return [(row.bucket, row.attendees_online) for row in db.session.scalars(
        select(PresenceSample).where(PresenceSample.meeting_id == meeting_id)
        .order_by(PresenceSample.bucket))]


# --- the counts ------------------------------------------------------------------------------

def test_figures_count_real_registrations_by_organisation_type_and_country(app):
    meeting = make_meeting(status=MeetingStatus.ENDED)
    other = make_meeting()
    joined, opened = NOON, NOON + timedelta(days=1)
    gov, ngo, uni = (OrganisationType.GOVERNMENT, OrganisationType.NGO,
                     OrganisationType.UNIVERSITY)
    make_registration(meeting, organisation_type=gov, country="PE", first_joined_at=joined)
    make_registration(meeting, organisation_type=gov, country="PE", first_joined_at=joined,
                      recording_opened_at=opened)
    make_registration(meeting, organisation_type=gov, country="CN", recording_opened_at=opened)
    make_registration(meeting, organisation_type=ngo, country="CN")
    make_registration(meeting, organisation_type=uni, country="CL", first_joined_at=joined)
    # Not registered: waiting, pending, cancelled before the meeting, rejected.
    make_registration(meeting, organisation_type=ngo, country="CN",
                      status=RegistrationStatus.WAITLISTED)
    make_registration(meeting, organisation_type=ngo, country="AR",
                      status=RegistrationStatus.PENDING)
    make_registration(meeting, organisation_type=uni, country="CL",
                      status=RegistrationStatus.CANCELLED)
    make_registration(meeting, organisation_type=uni, country="CL",
                      status=RegistrationStatus.REJECTED)
    make_registration(other, organisation_type=gov, country="PE", first_joined_at=joined)

    result = figures(meeting.id)

    assert isinstance(result, AttendanceFigures)
    assert (result.registered, result.joined_live, result.watched_recording) == (5, 3, 2)
    assert (result.peak_at_once, result.peak_at) == (0, None)  # nobody was sampled
    assert result.by_organisation_type == [
        Breakdown("government", 3, 2, 2),
        Breakdown("ngo", 1, 0, 0),
        Breakdown("university", 1, 1, 0),
    ]
    assert result.by_country == [
        Breakdown("CN", 2, 0, 1),
        Breakdown("PE", 2, 2, 1),
        Breakdown("CL", 1, 1, 0),
    ]


def test_erased_attendees_still_count_and_show_nothing_personal(app):
    meeting = make_meeting(status=MeetingStatus.ENDED)
    came = make_registration(meeting, name="Lucía Mamani", country="BO",
                             organisation_type=OrganisationType.HEALTH,
                             first_joined_at=NOON, recording_opened_at=NOON)
    never = make_registration(meeting, country="BO", organisation_type=OrganisationType.HEALTH)
    services.erase(came)
    services.erase(never)
    db.session.expire_all()
    assert db.session.get(Registration, came.id).anonymised_at is not None

    result = figures(meeting.id)

    # The attendee who came and then erased their data is still one who registered, joined
    # and watched; the one who withdrew before the meeting freed a seat and is not counted.
    assert (result.registered, result.joined_live, result.watched_recording) == (1, 1, 1)
    assert result.by_country == [Breakdown("BO", 1, 1, 1)]
    assert result.by_organisation_type == [Breakdown("health", 1, 1, 1)]
    assert "Lucía" not in repr(result)


def test_an_unknown_meeting_has_zero_figures(app):
    result = figures(987654)
    assert (result.registered, result.joined_live, result.peak_at_once, result.peak_at,
            result.watched_recording, result.by_organisation_type, result.by_country) == (
        0, 0, 0, None, 0, [], [])
    assert presence_over_time(987654) == []


# --- the presence history ----------------------------------------------------------------------

def test_one_row_per_meeting_and_minute_keeping_the_highest(app):
    meeting = make_meeting()
    record_presence_sample(meeting.id, 3, NOON + timedelta(seconds=5))
    record_presence_sample(meeting.id, 7, NOON + timedelta(seconds=20))   # a second worker
    record_presence_sample(meeting.id, 7, NOON + timedelta(seconds=40))   # same: first kept
    record_presence_sample(meeting.id, 4, NOON + timedelta(seconds=59))   # lower: ignored
    record_presence_sample(meeting.id, 2, NOON + timedelta(minutes=1))
    db.session.commit()

    assert _samples(meeting.id) == [(NOON, 7), (NOON + timedelta(minutes=1), 2)]
    assert presence_over_time(meeting.id) == [
        PresencePoint(NOON + timedelta(seconds=20), 7),
        PresencePoint(NOON + timedelta(minutes=1), 2)]
    result = figures(meeting.id)
    assert (result.peak_at_once, result.peak_at) == (7, NOON + timedelta(seconds=20))


def test_the_sweep_samples_connected_attendees_but_not_staff(app, live_sockets):
    meeting = make_meeting(status=MeetingStatus.LIVE)
    ana, bo, cai = (make_registration(meeting) for _ in range(3))
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    sockets = [live_sockets.attendee(ana), live_sockets.attendee(ana),  # two tabs, one person
               live_sockets.attendee(bo), live_sockets.attendee(cai)]
    live_sockets.staff(moderator, meeting.id)
    assert state.of(app).presence.online(meeting.id) == 4  # the indicator counts staff

    assert sweep.sample_presence(app, now=NOON + timedelta(seconds=10)) == 1
    assert sweep.sample_presence(app, now=NOON + timedelta(seconds=50)) == 1  # same minute
    assert _in(meeting.id, NOON) == [3]

    sockets[3].disconnect()
    sockets[2].disconnect()
    sweep.sample_presence(app, now=NOON + MINUTE + timedelta(seconds=10))
    assert _in(meeting.id, NOON, NOON + MINUTE) == [3, 1]
    buckets = [bucket for bucket, _count in _samples(meeting.id)]
    assert len(buckets) == len(set(buckets))
    result = figures(meeting.id)
    assert (result.peak_at_once, result.peak_at) == (3, NOON + timedelta(seconds=10))
    assert presence_over_time(meeting.id)[:2] == [
        PresencePoint(NOON + timedelta(seconds=10), 3),
        PresencePoint(NOON + MINUTE + timedelta(seconds=10), 1)]


def test_a_peak_between_two_samples_is_kept(app, live_sockets):
    meeting = make_meeting(status=MeetingStatus.LIVE)
    people = [make_registration(meeting) for _ in range(3)]
    first = live_sockets.attendee(people[0])
    sweep.sample_presence(app, now=NOON)
    later = [live_sockets.attendee(person) for person in people[1:]]  # three at once ...
    for sio in later:
        sio.disconnect()                                              # ... then one again
    sweep.sample_presence(app, now=NOON + MINUTE)

    assert _in(meeting.id, NOON, NOON + MINUTE) == [1, 1]
    assert figures(meeting.id).peak_at_once == 3  # the high, at the moment it was reached
    assert first.is_connected()


def test_a_meeting_everyone_left_gets_one_zero_and_then_no_more_rows(app, live_sockets):
    meeting = make_meeting(status=MeetingStatus.LIVE)
    sio = live_sockets.attendee(make_registration(meeting))
    sweep.sample_presence(app, now=NOON)
    sio.disconnect()
    sweep.sample_presence(app, now=NOON + MINUTE)
    rows = len(_samples(meeting.id))
    assert sweep.sample_presence(app, now=NOON + 2 * MINUTE) == 0
    assert _in(meeting.id, NOON, NOON + MINUTE, NOON + 2 * MINUTE) == [1, 0]
    assert len(_samples(meeting.id)) == rows


@pytest.mark.redis
def test_two_processes_sample_the_meeting_wide_count_once_per_minute(tmp_path, redis_url):
    """Two applications share the database and Redis like two worker processes: each counts
    its own people, each samples the union, and the minute has one row."""
    config = dict(REDIS_URL=redis_url, PUENTE_REDIS_PREFIX=f"test-{uuid.uuid4().hex}")
    database = f"sqlite:///{tmp_path / 'shared.db'}"
    first = _make_app(base_config(tmp_path / "a", database, **config))
    second = _make_app(base_config(tmp_path / "b", database, **config))
    try:
        with first.app_context():
            meeting_id = make_meeting(status=MeetingStatus.LIVE).id
            staff_id = make_user().id
        here, there = state.of(first).presence, state.of(second).presence
        here.arrived(Participant(meeting_id, 1, None, frozenset(), "Ana"))
        here.arrived(Participant(meeting_id, None, staff_id, frozenset({"moderator"}), "Mod"))
        there.arrived(Participant(meeting_id, 2, None, frozenset(), "Bo"))
        there.arrived(Participant(meeting_id, 1, None, frozenset(), "Ana"))  # her second tab
        assert here.attendees_online(meeting_id) == there.attendees_online(meeting_id) == 2

        sweep.sample_presence(first, now=NOON + timedelta(seconds=1))
        sweep.sample_presence(second, now=NOON + timedelta(seconds=2))
        sweep.sample_presence(second, now=NOON + timedelta(seconds=3))

        with first.app_context():
            assert _in(meeting_id, NOON) == [2]
            buckets = [bucket for bucket, _count in _samples(meeting_id)]
            assert len(buckets) == len(set(buckets))
            result = figures(meeting_id)
            assert (result.peak_at_once, result.peak_at) == (2, NOON + timedelta(seconds=1))
            db.session.remove()
    finally:
        for app in (first, second):
            presence = state.of(app).presence
            presence._redis.delete(presence._key(meeting_id), presence._procs_key(meeting_id))
            presence._redis = None  # ends its Redis listener
            with app.app_context():
                db.engine.dispose()


@pytest.mark.postgres
def test_the_sample_upsert_works_on_postgres(pg_app):
    meeting = make_meeting()
    for count, second in ((5, 1), (9, 2), (6, 3)):
        record_presence_sample(meeting.id, count, NOON + timedelta(seconds=second))
        db.session.commit()
    assert _samples(meeting.id) == [(NOON, 9)]
    assert figures(meeting.id).peak_at == NOON + timedelta(seconds=2)


# --- opening the recording ---------------------------------------------------------------------

@pytest.fixture
def ended(app):
    return make_meeting(slug="ended-1", status=MeetingStatus.ENDED,
                        recording_url="https://video.example.org/ended-1")


def _joined_client(app, registration):
    flask_client = app.test_client()
    with flask_client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(registration.meeting_id): [
            registration.id, registration.link_version]}
    return flask_client


def test_a_joined_attendee_opening_the_recording_is_counted_once(app, ended):
    person = make_registration(ended)
    flask_client = _joined_client(app, person)
    for _ in range(2):
        response = flask_client.get("/m/ended-1/recording")
        assert response.status_code == 302
        assert response.headers["Location"] == "https://video.example.org/ended-1"
    db.session.expire_all()
    opened = db.session.get(Registration, person.id).recording_opened_at
    assert opened is not None
    flask_client.get("/m/ended-1/recording")
    db.session.expire_all()
    assert db.session.get(Registration, person.id).recording_opened_at == opened
    assert figures(ended.id).watched_recording == 1


def test_an_anonymous_viewer_is_redirected_and_counted_nowhere(app, client, ended):
    make_registration(ended)
    response = client.get("/m/ended-1/recording")
    assert response.status_code == 302
    assert response.headers["Location"] == "https://video.example.org/ended-1"
    assert db.session.scalar(select(func.count(Registration.id)).where(
        Registration.recording_opened_at.is_not(None))) == 0


def test_a_session_of_another_meeting_counts_nothing(app, ended):
    elsewhere = make_registration(make_meeting())
    flask_client = _joined_client(app, elsewhere)
    with flask_client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(ended.id): [elsewhere.id, 0]}
    assert flask_client.get("/m/ended-1/recording").status_code == 302
    db.session.expire_all()
    assert db.session.get(Registration, elsewhere.id).recording_opened_at is None


def test_the_personal_link_page_button_records_and_redirects(app, client, ended):
    person = make_registration(ended)
    token = services._rotate(person)
    db.session.commit()
    page = client.get(f"/m/ended-1/join/{token}")
    assert db.session.get(Registration, person.id).recording_opened_at is None  # GET: nothing
    csrf = csrf_token_from(page.get_data(as_text=True))
    assert client.post(f"/m/ended-1/join/{token}/recording").status_code == 400  # no CSRF
    response = client.post(f"/m/ended-1/join/{token}/recording", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["Location"] == "https://video.example.org/ended-1"
    db.session.expire_all()
    assert db.session.get(Registration, person.id).recording_opened_at is not None
    assert client.post("/m/ended-1/join/not-a-token/recording",
                       data={"csrf_token": csrf}).status_code == 404


def test_unknown_meeting_and_meeting_without_recording_are_404(app, client):
    make_meeting(slug="no-recording", status=MeetingStatus.ENDED)
    assert client.get("/m/does-not-exist/recording").status_code == 404
    assert client.get("/m/no-recording/recording").status_code == 404


@pytest.mark.parametrize("address", [
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x",
    "/local/path", "ftp://files.example.org/rec.mp4", "https://", "https://exa mple.org/x",
    "https://example.org/\r\nSet-Cookie: x=1", "  ",
])
def test_a_non_http_recording_address_is_never_redirected_to(app, client, address):
    meeting = make_meeting(status=MeetingStatus.ENDED, recording_url=address)
    person = make_registration(meeting)
    flask_client = _joined_client(app, person)
    response = flask_client.get(f"/m/{meeting.slug}/recording")
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert attendance_figures.recording_address(meeting) is None
    db.session.expire_all()
    assert db.session.get(Registration, person.id).recording_opened_at is None
