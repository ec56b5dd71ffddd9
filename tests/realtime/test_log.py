"""The event log: numbered, committed-then-broadcast, filtered per audience, replayable."""

import pytest

from tests.factories import make_meeting, make_registration
from webapp.accounts.participant import Participant
from webapp.extensions import db
from webapp.live.catchup import catch_up
from webapp.realtime import log
from webapp.realtime.models import Audience, MeetingEvent


@pytest.fixture
def delivered():
    received = []
    log.subscribe(received.append)
    yield received
    log.unsubscribe(received.append)


def test_seq_is_per_meeting_and_gapless(app, delivered):
    first, second = make_meeting(), make_meeting()
    for meeting in (first, first, second, first):
        log.record(meeting.id, "thing_happened", {"n": 1})
        db.session.commit()
    assert [(e.meeting_id, e.seq) for e in delivered] == [
        (first.id, 1), (first.id, 2), (second.id, 1), (first.id, 3)]


def test_events_are_delivered_only_after_commit(app, delivered):
    meeting = make_meeting()
    log.record(meeting.id, "question_asked", {"id": 1})
    assert delivered == []
    db.session.commit()
    assert [e.type for e in delivered] == ["question_asked"]
    assert delivered[0].wire() == {"id": 1, "seq": 1}


def test_rolled_back_write_is_never_broadcast_nor_logged(app, delivered):
    meeting = make_meeting()
    log.record(meeting.id, "question_asked", {"id": 1})
    db.session.rollback()
    db.session.commit()
    assert delivered == []
    assert db.session.query(MeetingEvent).count() == 0
    db.session.refresh(meeting)
    assert meeting.last_seq == 0


def test_replay_respects_audience(app):
    meeting = make_meeting()
    me, other = make_registration(meeting), make_registration(meeting)
    log.record(meeting.id, "question_approved", {"id": 1})
    log.record(meeting.id, "question_asked", {"id": 2}, audience=Audience.STAFF)
    log.record(meeting.id, "question_dismissed", {"id": 3}, audience=Audience.PARTICIPANT,
               registration_id=me.id)
    log.record(meeting.id, "question_dismissed", {"id": 4}, audience=Audience.PARTICIPANT,
               registration_id=other.id)
    db.session.commit()

    def seen(participant):
        return [e["data"]["id"] for e in catch_up(participant, 0, 100)["events"]]

    assert seen(Participant(meeting.id, registration_id=me.id)) == [1, 3]
    staff = Participant(meeting.id, user_id=1, roles=frozenset({"moderator"}))
    assert seen(staff) == [1, 2]


def test_too_far_behind_gets_a_snapshot(app):
    meeting = make_meeting()
    for n in range(5):
        log.record(meeting.id, "thing_happened", {"n": n})
    db.session.commit()
    participant = Participant(meeting.id, registration_id=None)
    assert len(catch_up(participant, 2, 10)["events"]) == 3
    far = catch_up(participant, 0, 3)
    assert "events" not in far and far["snapshot"]["seq"] == 5
    assert "snapshot" in catch_up(participant, 99, 10)  # from the future: resync
    assert "snapshot" in catch_up(participant, None, 10)  # first join
