"""Q&A fixtures: participants as the socket layer would resolve them, and a log recorder."""

from __future__ import annotations

import pytest

from tests.factories import make_meeting, make_registration, make_user
from webapp.accounts.models import RoleKind
from webapp.accounts.participant import Participant
from webapp.realtime import log


def attendee_of(registration) -> Participant:
    return Participant(registration.meeting_id, registration.id, None, frozenset(),
                       registration.name)


def staff_of(meeting, role=RoleKind.MODERATOR, user=None) -> Participant:
    user = user or make_user(meeting=meeting, role=role)
    return Participant(meeting.id, None, user.id, frozenset({role}), user.name)


@pytest.fixture
def qa_meeting(app):
    return make_meeting()


@pytest.fixture
def asker(qa_meeting):
    return attendee_of(make_registration(qa_meeting, name="Lucía Quispe",
                                         organisation="Red de Salud Comunitaria"))


@pytest.fixture
def moderator(qa_meeting):
    return staff_of(qa_meeting)


@pytest.fixture
def recorded():
    """Every committed domain event, in order, as the broadcaster receives them."""
    events: list[log.DomainEvent] = []
    log.subscribe(events.append)
    yield events
    log.unsubscribe(events.append)


@pytest.fixture
def live_sockets(app, socket_client_factory):
    """Open test sockets as an attendee (join-link session) or a logged-in staff user.

    Each person gets their own Flask test client, so sessions never mix.
    """

    from tests.conftest import csrf_token_from, forget_request_caches, login
    from webapp.live.sockets import SESSION_REGISTRATIONS

    fresh_g = forget_request_caches  # each person stays themselves (tests/conftest.py)

    def token_for(flask_client):
        fresh_g()
        return csrf_token_from(flask_client.get("/").get_data(as_text=True))

    def connect(meeting_id, token, flask_client):
        fresh_g()
        sio = socket_client_factory(meeting_id, token=token, flask_client=flask_client)
        fresh_g()
        return sio

    def as_attendee(registration):
        flask_client = app.test_client()
        token = token_for(flask_client)
        with flask_client.session_transaction() as session:
            session[SESSION_REGISTRATIONS] = {str(registration.meeting_id): registration.id}
        sio = connect(registration.meeting_id, token, flask_client)
        assert sio.is_connected()
        sio.get_received()
        return sio

    def as_staff(user, meeting_id, password="correct horse battery"):
        flask_client = app.test_client()
        fresh_g()
        login(flask_client, user.email, password)
        sio = connect(meeting_id, token_for(flask_client), flask_client)
        assert sio.is_connected()
        sio.get_received()
        return sio

    class Live:
        attendee = staticmethod(as_attendee)
        staff = staticmethod(as_staff)

    return Live()
