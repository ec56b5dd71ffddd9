"""Losing a seat closes the attendee's live sockets at once, not at their next reconnect."""

import pytest

from tests.factories import make_meeting, make_registration
from tests.support.people import attend
from webapp.registration import services as registration_services


@pytest.mark.parametrize("action", ["cancel", "erase"])
def test_giving_up_the_seat_closes_live_sockets(app, client, socket_client_factory, action):
    meeting = make_meeting()
    registration = make_registration(meeting)
    bystander = make_registration(meeting)
    attend(client, meeting, registration)
    sio = socket_client_factory(meeting.id)
    assert sio.is_connected()
    getattr(registration_services, action)(registration)
    assert not sio.is_connected()
    # Someone else's seat is untouched, and reconnecting is refused.
    assert bystander.status.value == "confirmed"
    assert not socket_client_factory(meeting.id).is_connected()


def test_live_connection_records_attendance(app, client, socket_client_factory):
    from webapp.extensions import db

    meeting = make_meeting()
    registration = make_registration(meeting)
    assert registration.first_joined_at is None
    attend(client, meeting, registration)
    assert socket_client_factory(meeting.id).is_connected()
    db.session.refresh(registration)
    first = registration.first_joined_at
    assert first is not None and registration.last_seen_at == first
    assert socket_client_factory(meeting.id).is_connected()
    db.session.refresh(registration)
    assert registration.first_joined_at == first and registration.last_seen_at >= first
