"""Socket connect: CSRF token, meeting membership, rooms; `join` catches up."""

import pytest

from tests.conftest import login
from tests.factories import make_meeting, make_registration, make_user
from tests.support.people import attend
from webapp.accounts.models import RoleKind
from webapp.extensions import db
from webapp.meetings.models import MeetingStatus
from webapp.realtime import log


def test_connect_requires_csrf_token(app, client, socket_client_factory):
    meeting = make_meeting()
    attend(client, meeting, make_registration(meeting))
    assert not socket_client_factory(meeting.id, token="forged").is_connected()
    assert socket_client_factory(meeting.id).is_connected()


def test_anonymous_visitor_is_refused(app, socket_client_factory):
    meeting = make_meeting()
    assert not socket_client_factory(meeting.id).is_connected()


def test_registration_of_another_meeting_is_refused(app, client, socket_client_factory):
    mine, theirs = make_meeting(), make_meeting()
    attend(client, theirs, make_registration(mine))
    assert not socket_client_factory(theirs.id).is_connected()


def test_banned_or_cancelled_attendee_is_refused(app, client, socket_client_factory):
    meeting = make_meeting()
    registration = make_registration(meeting, banned=True)
    attend(client, meeting, registration)
    assert not socket_client_factory(meeting.id).is_connected()


def test_moderator_of_a_only_connects_to_a(app, client, socket_client_factory):
    meeting_a, meeting_b = make_meeting(), make_meeting(status=MeetingStatus.DRAFT)
    make_user("mod@example.org", meeting=meeting_a, role=RoleKind.MODERATOR)
    login(client, "mod@example.org")
    assert socket_client_factory(meeting_a.id).is_connected()
    assert not socket_client_factory(meeting_b.id).is_connected()


def test_join_replays_missed_events_then_live_events_arrive(app, client, socket_client_factory):
    meeting = make_meeting()
    attend(client, meeting, make_registration(meeting))
    for n in range(3):
        log.record(meeting.id, "thing_happened", {"n": n})
    db.session.commit()
    sio = socket_client_factory(meeting.id)
    ack = sio.emit("join", {"last_seq": 1}, callback=True)
    assert ack["ok"] is True and ack["seq"] == 3
    assert [e["data"]["seq"] for e in ack["events"]] == [2, 3]
    log.record(meeting.id, "thing_happened", {"n": 9})
    db.session.commit()
    received = [m for m in sio.get_received() if m["name"] == "thing_happened"]
    assert received == [{"name": "thing_happened", "args": [{"n": 9, "seq": 4}],
                         "namespace": "/"}]


@pytest.mark.parametrize("bad", ["1", True, -5, 10**9, None])
def test_join_with_garbage_seq_gets_a_snapshot(app, client, socket_client_factory, bad):
    meeting = make_meeting()
    attend(client, meeting, make_registration(meeting))
    sio = socket_client_factory(meeting.id)
    ack = sio.emit("join", {"last_seq": bad}, callback=True)
    assert ack["ok"] and "snapshot" in ack


def test_join_with_a_payload_that_is_no_object_is_invalid(app, client, socket_client_factory):
    meeting = make_meeting()
    attend(client, meeting, make_registration(meeting))
    sio = socket_client_factory(meeting.id)
    ack = sio.emit("join", "not a dict", callback=True)
    assert ack == {"ok": False, "error": {"code": "invalid", "message": ack["error"]["message"]}}
