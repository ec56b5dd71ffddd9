"""An agenda longer than the meeting: a warning for organisers and moderators, never lateness
shown to attendees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import refresh

from tests.conftest import login
from tests.factories import make_agenda_item, make_registration, make_user
from tests.support.html import parse
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services
from webapp.extensions import db
from webapp.live.sockets import SESSION_REGISTRATIONS

WARNING = "[data-agenda-too-long]"


@pytest.fixture
def long_agenda(meeting):
    """114 planned minutes for a meeting of 59: 55 minutes too many."""
    meeting.planned_end = meeting.starts_at + timedelta(minutes=59)
    return [make_agenda_item(meeting, planned_minutes=m) for m in (30, 40, 44)]


def test_the_excess_is_the_agenda_minutes_past_the_planned_end(app, meeting, long_agenda):
    assert clock_services.agenda_excess_minutes(meeting) == 55
    meeting.planned_end = meeting.starts_at + timedelta(minutes=114)
    assert clock_services.agenda_excess_minutes(meeting) == 0


def test_the_agenda_editor_warns_organisers(client, meeting, long_agenda):
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    login(client, organiser.email)
    page = parse(client.get(f"/organiser/meetings/{meeting.id}/agenda").data)
    assert "55 minutes more than the meeting lasts" in page.one(WARNING).text
    meeting.planned_end = meeting.starts_at + timedelta(minutes=114)
    page = parse(client.get(f"/organiser/meetings/{meeting.id}/agenda").data)
    assert WARNING not in page


def test_the_console_warns_moderators(client, meeting, long_agenda):
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    login(client, moderator.email)
    page = parse(client.get(f"/m/{meeting.slug}/console").data)
    assert "55 minutes more" in page.one(f".clock-controls {WARNING}").text
    assert page.one("[data-clock-overrun]").text == ""


def test_attendees_see_neither_the_warning_nor_lateness_before_the_start(client, meeting,
                                                                         long_agenda):
    registration = make_registration(meeting)
    with client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(meeting.id): registration.id}
    page = parse(client.get(f"/m/{meeting.slug}/live").data)
    assert WARNING not in page
    assert page.one("[data-clock-item]").text == "The meeting has not started yet."
    assert page.one("[data-clock-overrun]").text == ""


# --- both thresholds, with times: 130 minutes of items in a meeting of 120 ------------------

@pytest.fixture
def overlong(app):
    """20:00–22:00 Shanghai, latest acceptable end 22:05; the items take 130 minutes."""
    from datetime import datetime

    from tests.factories import make_meeting
    starts = datetime(2026, 3, 10, 12, 0)
    meeting = make_meeting(starts_at=starts, planned_end=starts + timedelta(minutes=120),
                           latest_end=starts + timedelta(minutes=125),
                           partner_timezones=["America/Lima"])
    for minutes in (60, 70):
        make_agenda_item(meeting, planned_minutes=minutes)
    return meeting


def test_the_length_states_both_ends(overlong):
    length = clock_services.agenda_length(overlong)
    assert (length.agenda_minutes, length.past_planned_end, length.past_latest_end) == (130, 10, 5)
    assert length.too_long
    assert length.agenda_end == overlong.starts_at + timedelta(minutes=130)
    overlong.latest_end = overlong.starts_at + timedelta(minutes=180)
    length = clock_services.agenda_length(overlong)
    assert (length.past_planned_end, length.past_latest_end, length.too_long) == (10, 0, True)
    overlong.planned_end = overlong.starts_at + timedelta(minutes=130)
    assert not clock_services.agenda_length(overlong).too_long
    overlong.latest_end = None
    assert clock_services.agenda_length(overlong).past_latest_end == 0


def _warning_text(page) -> str:
    return " ".join(page.one(WARNING).text.split())


def test_the_editor_and_the_meeting_page_give_both_ends_in_the_meeting_zones(client, overlong):
    organiser = make_user(meeting=overlong, role=RoleKind.ORGANISER)
    login(client, organiser.email)
    for url in (f"/organiser/meetings/{overlong.id}/agenda", f"/m/{overlong.slug}",
                f"/organiser/meetings/{overlong.id}/details"):
        page = parse(client.get(url).data)
        text = _warning_text(page)
        assert "10 minutes more than the meeting lasts" in text, url
        # 12:00 UTC start: Shanghai 20:00, Lima 07:00.
        assert "ends at 10:10 PM Shanghai · 9:10 AM Lima" in page.one("[data-agenda-end]").text
        assert "Planned end: 10:00 PM Shanghai · 9:00 AM Lima, 10 minutes earlier" in \
            page.one("[data-planned-end]").text
        assert "Latest acceptable end: 10:05 PM Shanghai · 9:05 AM Lima, 5 minutes earlier" in \
            page.one("[data-latest-end]").text


def test_the_public_meeting_page_shows_no_warning_to_attendees(client, overlong):
    assert WARNING not in parse(client.get(f"/m/{overlong.slug}").data)


def test_the_warning_speaks_chinese(client, overlong):
    organiser = make_user(meeting=overlong, role=RoleKind.ORGANISER)
    organiser.locale = "zh_Hans"
    db.session.commit()
    login(client, organiser.email)
    refresh()  # the test's application context caches the locale between requests
    page = parse(client.get(f"/organiser/meetings/{overlong.id}/agenda").data)
    planned = page.one("[data-planned-end]").text
    assert "上海" in planned and "22:00" in planned
