"""A join replays up to where its socket's live stream starts: each event reaches a client
once, by the replay or by the socket, never by both (a reconnect storm's clients rejoin while
the meeting goes on)."""

from __future__ import annotations

from tests.factories import make_meeting, make_registration, make_user
from tests.support.live import unbatch
from webapp.accounts.models import RoleKind
from webapp.extensions import db
from webapp.realtime import log
from webapp.realtime.models import Audience


def logged_seqs(messages) -> list[int]:
    return [event["args"][0]["seq"] for event in unbatch(messages)
            if isinstance(event["args"][0], dict) and "seq" in event["args"][0]]


def test_events_sent_live_before_the_join_are_not_replayed_again(app, live_sockets):
    meeting = make_meeting()
    person = make_registration(meeting)
    log.record(meeting.id, "question_published", {"n": 1})  # before the socket: a replay
    db.session.commit()
    sio = live_sockets.attendee(person)
    log.record(meeting.id, "question_published", {"n": 2})  # live, before the join
    log.record(meeting.id, "question_dismissed", {"n": 3}, audience=Audience.PARTICIPANT,
               registration_id=person.id)
    db.session.commit()
    live = logged_seqs(sio.get_received())
    ack = sio.emit("join", {"last_seq": 0}, callback=True)
    assert ack["ok"], ack
    replayed = [event["data"]["seq"] for event in ack["events"]]
    assert live == [2, 3]
    assert replayed == [1] and ack["seq"] == 1
    log.record(meeting.id, "question_published", {"n": 4})
    db.session.commit()
    assert logged_seqs(sio.get_received()) == [4]


def test_a_client_ahead_of_the_sockets_start_keeps_its_position(app, live_sockets):
    meeting = make_meeting()
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    db.session.commit()
    sio = live_sockets.staff(moderator, meeting.id)
    for n in (1, 2):
        log.record(meeting.id, "question_published", {"n": n})
        log.record(meeting.id, "staff_note", {"n": n}, audience=Audience.STAFF)
        db.session.commit()
    assert logged_seqs(sio.get_received()) == [1, 2, 3, 4]
    ack = sio.emit("join", {"last_seq": 3}, callback=True)
    assert ack["ok"] and ack["events"] == [] and ack["seq"] == 3
