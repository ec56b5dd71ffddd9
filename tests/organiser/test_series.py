"""Series organisers: who may add meetings to a series, edit it, and be offered as its next
session; the next-session registration shows what is shared with whom first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_meeting, make_registration, make_series, make_user
from tests.support.forms import meeting_details as details
from tests.support.forms import meeting_form
from tests.support.html import parse
from webapp.accounts.models import RoleKind, SeriesRole
from webapp.accounts.permissions import can_organise_series
from webapp.accounts.services import grant_role
from webapp.core.timeutil import utcnow
from webapp.errors import Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings import services as meetings
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.registration import services as registration
from webapp.registration.models import Registration


@pytest.fixture
def series(cast):
    """A series organised by organiser_a (who also runs meeting_a); organiser_b is outside."""
    return meetings.create_series(cast.organiser_a, slug="pacific-bridge", title="Pacific Bridge")


def registrations_in(meeting) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.meeting_id == meeting.id))


# --- services: allow and deny for every path -----------------------------------------------

def test_the_creator_of_a_series_organises_it(cast, series):
    assert can_organise_series(cast.organiser_a, series.id)
    assert not can_organise_series(cast.organiser_b, series.id)
    assert not can_organise_series(cast.moderator_a, series.id)
    assert can_organise_series(cast.admin, series.id)
    assert [u.id for u in meetings.series_organisers(series)] == [cast.organiser_a.id]


def test_only_series_organisers_create_meetings_in_a_series(cast, series):
    with pytest.raises(Forbidden):
        meetings.create_meeting(cast.organiser_b, details(series_id=series.id, slug="attack"))
    assert db.session.scalar(select(Meeting.id).where(Meeting.slug == "attack")) is None
    own = meetings.create_meeting(cast.organiser_a, details(series_id=series.id, slug="own"))
    assert own.series_id == series.id
    by_admin = meetings.create_meeting(cast.admin, details(series_id=series.id, slug="adm"))
    assert by_admin.series_id == series.id
    with pytest.raises(InvalidInput):
        meetings.create_meeting(cast.organiser_a, details(series_id=10**6, slug="none"))


def test_only_series_organisers_move_a_meeting_into_a_series(cast, series):
    current = meetings.MeetingDetails.of(cast.meeting_b)
    current.series_id = series.id
    with pytest.raises(Forbidden):
        meetings.update_details(cast.organiser_b, cast.meeting_b, current)
    db.session.expire_all()
    assert cast.meeting_b.series_id is None
    # The series organiser may place a meeting they organise; its other organisers keep it.
    grant_role(cast.organiser_a, cast.meeting_b.id, RoleKind.ORGANISER)
    meetings.update_details(cast.organiser_a, cast.meeting_b, current)
    assert cast.meeting_b.series_id == series.id
    kept = meetings.MeetingDetails.of(cast.meeting_b)
    kept.title = "Renamed by its own organiser"
    meetings.update_details(cast.organiser_b, cast.meeting_b, kept)
    assert (cast.meeting_b.title, cast.meeting_b.series_id) == (kept.title, series.id)
    kept.series_id = None  # taking one's own meeting out of a series is always allowed
    meetings.update_details(cast.organiser_b, cast.meeting_b, kept)
    assert cast.meeting_b.series_id is None


def test_only_series_organisers_edit_a_series(cast, series):
    for outsider in (cast.organiser_b, cast.moderator_a, None):
        with pytest.raises(Forbidden):
            meetings.update_series(outsider, series, slug="taken", title="Taken")
        with pytest.raises(Forbidden):
            meetings.get_series(outsider, series.id)
    db.session.expire_all()
    assert series.slug == "pacific-bridge"
    meetings.update_series(cast.organiser_a, series, slug="pb", title="Puente Pacífico")
    meetings.update_series(cast.admin, series, slug="pb", title="Puente Pacífico · 太平洋")
    assert series.title == "Puente Pacífico · 太平洋"


def test_series_organisers_add_other_series_organisers(cast, series):
    with pytest.raises(Forbidden):
        meetings.add_series_organiser(cast.organiser_b, series, cast.organiser_b.email)
    assert not can_organise_series(cast.organiser_b, series.id)
    with pytest.raises(InvalidInput):
        meetings.add_series_organiser(cast.organiser_a, series, "nobody@example.org")
    meetings.add_series_organiser(cast.organiser_a, series, "ORG-B@example.org")
    meetings.add_series_organiser(cast.organiser_a, series, "org-b@example.org")  # idempotent
    assert db.session.scalar(select(func.count(SeriesRole.id)).where(
        SeriesRole.series_id == series.id)) == 2
    meetings.update_series(cast.organiser_b, series, slug="pb-2", title="Now theirs too")


# --- views ---------------------------------------------------------------------------------

def test_series_pages_refuse_outsiders(cast, series, as_user):
    outsider = as_user(cast.organiser_b)
    assert outsider.get(f"/organiser/series/{series.id}").status_code == 403
    response = outsider.post_form(f"/organiser/series/{series.id}",
                                  {"title": "Taken", "slug": "taken", "description": ""})
    assert response.status_code == 403
    response = outsider.post_form(f"/organiser/series/{series.id}/organisers",
                                  {"organiser-email": cast.organiser_b.email})
    assert response.status_code == 403
    db.session.expire_all()
    assert (series.slug, series.title) == ("pacific-bridge", "Pacific Bridge")
    assert not can_organise_series(cast.organiser_b, series.id)
    assert "Pacific Bridge" not in outsider.get("/organiser/").get_data(as_text=True)


def test_series_organiser_edits_and_adds_an_organiser_from_the_page(cast, series, as_user):
    owner = as_user(cast.organiser_a)
    page = owner.get(f"/organiser/series/{series.id}").get_data(as_text=True)
    assert "org-a@example.org" in page
    response = owner.post_form(f"/organiser/series/{series.id}/organisers",
                               {"organiser-email": cast.moderator_a.email})
    assert response.status_code == 302
    assert can_organise_series(cast.moderator_a, series.id)
    response = owner.post_form(f"/organiser/series/{series.id}/organisers",
                               {"organiser-email": "nobody@example.org"})
    assert response.status_code == 422
    response = owner.post_form(f"/organiser/series/{series.id}",
                               {"title": "Puente", "slug": "puente", "description": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert series.slug == "puente"


def test_meeting_editor_refuses_a_series_of_others(cast, series, as_user):
    outsider = as_user(cast.organiser_b)
    form_page = outsider.get("/organiser/meetings/new").get_data(as_text=True)
    assert "Pacific Bridge" not in form_page
    response = outsider.post_form("/organiser/meetings/new",
                                  meeting_form(slug="attack", series_id=str(series.id)))
    assert response.status_code == 200
    assert db.session.scalar(select(Meeting.id).where(Meeting.slug == "attack")) is None
    response = outsider.post_form(f"/organiser/meetings/{cast.meeting_b.id}/details",
                                  meeting_form(slug=cast.meeting_b.slug,
                                               series_id=str(series.id)))
    assert response.status_code == 200
    db.session.expire_all()
    assert cast.meeting_b.series_id is None
    owner = as_user(cast.organiser_a)
    response = owner.post_form("/organiser/meetings/new",
                               meeting_form(slug="own", series_id=str(series.id)))
    assert response.status_code == 302
    assert db.session.scalar(select(Meeting.series_id).where(Meeting.slug == "own")) == series.id


# --- next session --------------------------------------------------------------------------

@pytest.fixture
def sessions(cast):
    """An ended session with an attendee, a session placed in the series by an outsider (as
    before this rule, or by an admin's mistake) and, later, one run by the series organisers."""
    owner = make_user()
    series = make_series(owner, slug="bridge", title="Bridge")
    past = make_meeting(slug="bridge-1", series_id=series.id, status=MeetingStatus.ENDED,
                        starts_at=utcnow() - timedelta(days=30))
    grant_role(owner, past.id, RoleKind.ORGANISER)
    planted = make_meeting(slug="planted", title="Planted session", series_id=series.id,
                           starts_at=utcnow() + timedelta(days=3))
    grant_role(cast.organiser_b, planted.id, RoleKind.ORGANISER)
    real = make_meeting(slug="bridge-2", title="Bridge session two", series_id=series.id,
                        starts_at=utcnow() + timedelta(days=10))
    grant_role(owner, real.id, RoleKind.ORGANISER)
    attendee = make_registration(past, name="Rosa Quispe", email="rosa@example.org",
                                 organisation="Minsa", position="Directora", country="PE")
    return owner, past, planted, real, attendee


def test_next_session_is_only_a_session_run_by_the_series_organisers(cast, sessions):
    _owner, past, planted, real, attendee = sessions
    assert registration.next_session(past).id == real.id
    with pytest.raises(NotFound):
        registration.register_for_next(attendee, planted)
    assert registrations_in(planted) == 0
    # Run by an organiser who is not (or no longer) an organiser of the series: not offered.
    db.session.execute(SeriesRole.__table__.delete())
    db.session.commit()
    assert registration.next_session(past) is None
    grant_role(cast.admin, planted.id, RoleKind.ORGANISER)  # site admins vouch like organisers
    assert registration.next_session(past).id == planted.id


def test_join_page_offers_only_the_vouched_session(client, sessions):
    _owner, past, _planted, _real, attendee = sessions
    token = registration._rotate(attendee)
    db.session.commit()
    body = client.get(f"/m/{past.slug}/join/{token}").get_data(as_text=True)
    offered = parse(body).one("section.next-session")
    assert offered.all("a")[0].text == "Bridge session two" and "Planted session" not in body
    assert offered.one("a.button").attr("href") == f"/m/{past.slug}/join/{token}/next"


def test_next_session_shows_what_is_shared_with_whom_before_registering(
        app, client, csrf, sessions):
    owner, past, planted, real, attendee = sessions
    token = registration._rotate(attendee)
    db.session.commit()
    url = f"/m/{past.slug}/join/{token}/next"
    page = client.get(url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    confirm = parse(body)
    whom = confirm.one("section[aria-labelledby=shared-with]")
    assert whom.one("a").text == "Bridge session two"
    assert owner.name in dict(zip(whom.texts("dt"), whom.texts("dd"), strict=True))[
        "Organisers"]
    what = confirm.one("section[aria-labelledby=shared-what]")
    shared = dict(zip(what.texts("dt"), what.texts("dd"), strict=True))
    assert shared["Name"] == "Rosa Quispe" and shared["E-mail"] == "rosa@example.org"
    assert shared["Organisation"].startswith("Minsa · ")
    assert (shared["Position"], shared["Country"]) == ("Directora", "Peru")
    assert confirm.one("form[method=post] input[name=meeting]").attr("value") == str(real.id)

    assert registrations_in(real) == 0  # the page changed nothing
    assert client.post(url, data={"meeting": str(real.id)}).status_code == 400  # no CSRF
    stale = client.post(url, data={"csrf_token": csrf, "meeting": str(planted.id)})
    assert stale.status_code == 409 and "Bridge session two" in stale.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": csrf}).status_code == 400
    assert client.post(url, data={"csrf_token": csrf, "meeting": "x" * 40}).status_code == 400
    assert registrations_in(planted) == 0 and registrations_in(real) == 0
    response = client.post(url, data={"csrf_token": csrf, "meeting": str(real.id)})
    assert response.headers["Location"].endswith(f"/m/{real.slug}/registered")
    copy = db.session.scalar(select(Registration).where(Registration.meeting_id == real.id))
    assert (copy.name, copy.email, copy.organisation, copy.position, copy.country) == (
        "Rosa Quispe", "rosa@example.org", "Minsa", "Directora", "PE")
