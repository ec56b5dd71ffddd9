"""Every command re-checks the registration: a lost revocation cannot keep a socket useful.

A ban, cancellation or rejection closes the attendee's sockets through the events shared over
Redis; while Redis is down that message never reaches the other processes. Here the close is
lost on purpose (no event closes its room), so the sockets stay open: every command an
attendee may send must then be refused with `forbidden`, and the socket closed.
"""

from __future__ import annotations

import pytest

from tests.factories import make_meeting, make_registration, make_user
from tests.support.commands import plausible
from tests.support.live import wait_for
from tests.support.people import staff
from webapp.accounts.models import RoleKind
from webapp.qa import services as qa_services
from webapp.realtime import broadcaster, handlers
from webapp.realtime.handlers import Role
from webapp.registration import services as registration_services

ATTENDEE_ROLES = (Role.ANYONE, Role.MEMBER, Role.ATTENDEE)


@pytest.fixture
def lost_revocations(monkeypatch):
    """A Redis outage, as far as this process is concerned: nobody closes the sockets."""
    monkeypatch.setattr(broadcaster, "CLOSING_EVENTS", frozenset())


REVOCATIONS = {
    "ban": lambda meeting, organiser, registration: qa_services.set_banned(
        staff(organiser, meeting), registration.id, True),
    "cancel": lambda meeting, organiser, registration: registration_services.cancel(
        registration),
    "reject": lambda meeting, organiser, registration: registration_services.reject(
        organiser, registration),
}


@pytest.mark.parametrize("revocation", sorted(REVOCATIONS))
def test_every_attendee_command_is_refused_after_a_lost_revocation(
        app, live_sockets, lost_revocations, revocation):
    meeting = make_meeting()
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    bystander = live_sockets.attendee(make_registration(meeting))
    commands = sorted(name for name, cmd in handlers.REGISTRY.items()
                      if cmd.role in ATTENDEE_ROLES)
    assert {"join", "vote", "find_similar", "load_posts", "ask_question",
            "post_message"} <= set(commands)
    # One attendee per command: the first refusal closes every tab of that attendee.
    people = {name: make_registration(meeting) for name in commands}
    sockets = {name: live_sockets.attendee(people[name]) for name in commands}

    for registration in people.values():
        REVOCATIONS[revocation](meeting, organiser, registration)
    assert all(sio.is_connected() for sio in sockets.values())  # the close was lost

    for name, sio in sockets.items():
        payload = {field: plausible(spec) for field, spec in
                   handlers.REGISTRY[name].payload.items()}
        ack = sio.emit(name, payload, callback=True)
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden", (name, ack)
        assert ack["error"]["message"]
    wait_for(lambda: not any(sio.is_connected() for sio in sockets.values()),
             message="every revoked socket to be closed")
    assert bystander.is_connected()
    assert bystander.emit("join", {}, callback=True)["ok"] is True
