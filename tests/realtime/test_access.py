"""Losing a seat closes the attendee's live sockets at once, not at their next reconnect."""

import pytest

from tests.factories import make_meeting, make_registration
from tests.support.people import attend
from tests.support.sql import statements_of
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


def test_attendance_marks_of_many_connections_are_written_together(app, live_sockets):
    from webapp.extensions import db

    meeting = make_meeting()
    people = [make_registration(meeting) for _n in range(3)]
    db.session.commit()
    registration_services.attendance.interval = 3600  # written when flushed below
    try:
        for person in people:
            live_sockets.attendee(person)
        assert registration_services.attendance.pending() == {
            meeting.id: {person.id for person in people}}
        for person in people:
            db.session.refresh(person)
            assert person.first_joined_at is None
        flushed, statements = statements_of(app, registration_services.attendance.flush)
        assert flushed == 1
    finally:
        registration_services.attendance.interval = 0
    assert len([sql for sql in statements if sql.lstrip().upper().startswith("UPDATE")]) == 1
    for person in people:
        db.session.refresh(person)
        assert person.first_joined_at is not None and person.last_seen_at is not None
