"""An agenda longer than the meeting: a warning for organisers and moderators, never lateness
shown to attendees."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import login
from tests.factories import make_agenda_item, make_registration, make_user
from tests.support.html import parse
from webapp.accounts.models import RoleKind
from webapp.agenda import clock_services
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
