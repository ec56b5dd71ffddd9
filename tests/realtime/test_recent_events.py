"""Short replays from the events this process delivered, and the database whenever those do
not cover the whole gap: same events, order and audiences; erasures, other processes' commits
and rolled-back writes never served from memory."""

from __future__ import annotations

import pytest

from tests.conftest import _make_app, base_config
from tests.factories import make_meeting, make_registration, make_user
from tests.support.people import attendee, staff
from tests.support.sql import statements_of
from webapp.accounts.models import RoleKind
from webapp.accounts.participant import Participant
from webapp.extensions import db
from webapp.live.catchup import catch_up
from webapp.realtime import log
from webapp.realtime.broadcaster import broadcaster
from webapp.realtime.models import Audience, MeetingEvent
from webapp.realtime.recent import RecentEvents, audience_of

LIMIT = 20


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def app_config(request, tmp_path):
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    return base_config(tmp_path, url, PUENTE_REPLAY_LIMIT=LIMIT)


def reads_events(statements: list[str]) -> bool:
    return any("meeting_events" in statement for statement in statements)


def since(participant, after_seq, limit=LIMIT):
    return log.events_since(participant.meeting_id, after_seq, staff=participant.is_staff,
                            interpreter=participant.is_interpreter,
                            registration_id=participant.registration_id, limit=limit)


def shown(events) -> list[tuple]:
    return None if events is None else [(e.seq, e.type, e.payload) for e in events]


def from_database(participant, after_seq, limit=LIMIT):
    """The same replay with this process's window put aside: the database path."""
    window, broadcaster.recent = broadcaster.recent, RecentEvents(0)
    try:
        return since(participant, after_seq, limit)
    finally:
        broadcaster.recent = window


@pytest.fixture
def scene(meeting, live_sockets):
    """A meeting served by this process (an attendee's socket here) with two attendees, a
    moderator and an interpreter."""
    me, other = make_registration(meeting), make_registration(meeting)
    live_sockets.attendee(me)
    moderator = make_user(meeting=meeting, role=RoleKind.MODERATOR)
    interpreter = make_user(meeting=meeting, role=RoleKind.INTERPRETER)

    class Scene:
        pass

    scene = Scene()
    scene.meeting, scene.me, scene.other = meeting, me, other
    scene.people = {
        "me": attendee(me), "other": attendee(other),
        "staff": staff(moderator, meeting),
        "interpreter": staff(interpreter, meeting, RoleKind.INTERPRETER),
        "nobody": Participant(meeting.id, registration_id=None),
    }
    return scene


def record_mix(scene, start=0):
    """One event of every audience, committed."""
    meeting_id = scene.meeting.id
    log.record(meeting_id, "question_published", {"n": start + 1, "text": "¿Hola?"})
    log.record(meeting_id, "question_asked", {"n": start + 2}, audience=Audience.STAFF)
    log.record(meeting_id, "question_dismissed", {"n": start + 3},
               audience=Audience.PARTICIPANT, registration_id=scene.me.id)
    log.record(meeting_id, "question_dismissed", {"n": start + 4},
               audience=Audience.PARTICIPANT, registration_id=scene.other.id)
    log.record(meeting_id, "translation_added", {"n": start + 5},
               audience=Audience.INTERPRETERS)
    log.record(meeting_id, "poll_results", {"n": start + 6}, audience=Audience.PRESENTER)
    log.record(meeting_id, "board_post_published", {"n": start + 7, "nested": {"a": [1, 2]}})
    db.session.commit()


def test_rooms_map_back_to_their_audience():
    assert audience_of("meeting:7") == (Audience.EVERYONE, None)
    assert audience_of("meeting:7:staff") == (Audience.STAFF, None)
    assert audience_of("meeting:7:interpreters") == (Audience.INTERPRETERS, None)
    assert audience_of("registration:12") == (Audience.PARTICIPANT, 12)
    assert audience_of("presenter:7") == (Audience.PRESENTER, None)
    assert audience_of("registration:None") is None
    assert audience_of("user:3") is None


def test_a_replay_from_memory_equals_the_database_one_for_every_audience(app, scene):
    record_mix(scene)
    record_mix(scene, 7)
    assert broadcaster.recent.covered(scene.meeting.id) == (0, 14)
    for name, participant in scene.people.items():
        for after in (0, 3, 9, 13, 14):
            replay, statements = statements_of(app, lambda p=participant, a=after: since(p, a))
            assert not reads_events(statements), (name, after)
            assert shown(replay) == shown(from_database(participant, after)), (name, after)
    seqs = {name: [e.seq for e in since(p, 0)] for name, p in scene.people.items()}
    assert seqs == {"me": [1, 3, 7, 8, 10, 14], "other": [1, 4, 7, 8, 11, 14],
                    "staff": [1, 2, 7, 8, 9, 14], "interpreter": [1, 5, 7, 8, 12, 14],
                    "nobody": [1, 7, 8, 14]}


def test_another_attendees_private_events_are_never_replayed(app, scene):
    record_mix(scene)
    mine = since(scene.people["me"], 0)
    assert [e.payload["n"] for e in mine if e.type == "question_dismissed"] == [3]
    assert all(e.registration_id in (None, scene.me.id) for e in mine)


def test_a_short_replay_runs_no_events_query(app, scene):
    record_mix(scene)
    participant = scene.people["me"]
    answer, statements = statements_of(app, lambda: catch_up(participant, 2, LIMIT))
    assert not reads_events(statements), statements
    assert [e["data"]["seq"] for e in answer["events"]] == [3, 7]
    assert answer["events"][0] == {"type": "question_dismissed", "data": {"n": 3, "seq": 3}}
    replay, statements = statements_of(app, lambda: since(participant, 2))
    assert [e.seq for e in replay] == [3, 7]
    assert len(statements) == 1  # the meeting's counters row
    same, before = statements_of(app, lambda: from_database(participant, 2))
    assert shown(same) == shown(replay)
    assert len(before) == 2 and reads_events(before)  # without the window: counters + events


def test_limits_and_position_still_come_from_the_counters(app, scene):
    for n in range(LIMIT + 5):
        log.record(scene.meeting.id, "thing_happened", {"n": n})
    db.session.commit()
    low, high = broadcaster.recent.covered(scene.meeting.id)
    assert (low, high) == (5, LIMIT + 5)  # bounded by the replay limit
    participant = scene.people["nobody"]
    assert since(participant, 4) is None  # more than the limit behind
    assert since(participant, LIMIT + 6) is None  # from the future
    assert since(participant, -1) is None
    assert since(participant, LIMIT + 5) == []
    assert [e.seq for e in since(participant, 5)] == list(range(6, LIMIT + 6))


def test_erased_events_are_never_served_and_leave_memory(app, scene):
    meeting_id = scene.meeting.id
    log.record(meeting_id, "question_published", {"name": "María"}, subjects=[scene.other.id])
    log.record(meeting_id, "question_published", {"name": "Ana"}, subjects=[scene.me.id])
    log.record(meeting_id, "thing_happened", {"n": 3})
    db.session.commit()
    assert log.forget([scene.other.id]) == 1
    db.session.rollback()  # an erasure rolled back changes nothing
    assert broadcaster.recent.covered(meeting_id) == (0, 3)
    assert log.forget([scene.other.id]) == 1
    db.session.commit()
    assert broadcaster.recent.covered(meeting_id) == (1, 3)  # seq 1 gone from memory at once
    participant = scene.people["me"]
    assert since(participant, 0) is None  # erased after 0: a snapshot
    replay, statements = statements_of(app, lambda: since(participant, 1))
    assert not reads_events(statements)
    assert [(e.seq, e.payload) for e in replay] == [(2, {"name": "Ana"}), (3, {"n": 3})]


def test_an_erasure_by_another_process_is_seen_through_the_counters(app, scene, tmp_path):
    meeting_id = scene.meeting.id
    for n in range(3):
        log.record(meeting_id, "question_published", {"n": n}, subjects=[scene.other.id])
    log.record(meeting_id, "thing_happened", {"n": 4})
    db.session.commit()
    other = _make_app(base_config(tmp_path / "other", app.config["SQLALCHEMY_DATABASE_URI"]))
    try:
        with other.app_context():
            log.forget([scene.other.id])
            db.session.commit()
            db.session.remove()
    finally:
        with other.app_context():
            db.engine.dispose()
    assert broadcaster.recent.covered(meeting_id) == (0, 4)  # this process did not erase
    participant = scene.people["me"]
    for after in (0, 1, 2):
        assert since(participant, after) is None
    assert [e.payload for e in since(participant, 3)] == [{"n": 4}]
    assert broadcaster.recent.covered(meeting_id) == (3, 4)


def test_events_committed_elsewhere_and_not_delivered_here_come_from_the_database(
        app, scene, tmp_path):
    meeting_id = scene.meeting.id
    record_mix(scene)  # 1..7, delivered here
    other = _make_app(base_config(tmp_path / "other", app.config["SQLALCHEMY_DATABASE_URI"]))
    try:
        with other.app_context():  # another process commits 8 and 9; nothing reaches us
            log.record(meeting_id, "question_published", {"n": 8})
            log.record(meeting_id, "question_dismissed", {"n": 9},
                       audience=Audience.PARTICIPANT, registration_id=scene.me.id)
            db.session.commit()
            db.session.remove()
    finally:
        with other.app_context():
            db.engine.dispose()
    assert broadcaster.recent.covered(meeting_id) == (0, 7)
    participant = scene.people["me"]
    replay, statements = statements_of(app, lambda: since(participant, 2))
    assert reads_events(statements)  # never a partial list from memory
    assert [e.seq for e in replay] == [3, 7, 8, 9]
    answer = catch_up(participant, 7, LIMIT)
    assert [e["data"]["seq"] for e in answer["events"]] == [8, 9] and answer["seq"] == 9


def test_the_window_keeps_its_own_copy_of_each_payload(app, scene):
    question = {"id": 1, "tags": ("a", "b"), "counts": {7: 1}}
    log.record(scene.meeting.id, "question_published", {"question": question})
    db.session.commit()
    question["text"] = "changed after the broadcast"
    replay = since(scene.people["me"], 0)
    assert shown(replay) == shown(from_database(scene.people["me"], 0))
    assert replay[0].payload == {"question": {"id": 1, "tags": ["a", "b"], "counts": {"7": 1}}}


def test_a_rolled_back_write_never_enters_the_window(app, scene):
    meeting_id = scene.meeting.id
    log.record(meeting_id, "thing_happened", {"n": 1})
    db.session.commit()
    log.record(meeting_id, "question_published", {"secret": True})
    db.session.rollback()
    assert broadcaster.recent.covered(meeting_id) == (0, 1)
    log.record(meeting_id, "thing_happened", {"n": 2})
    db.session.commit()
    assert [e.payload for e in since(scene.people["me"], 0)] == [{"n": 1}, {"n": 2}]
    assert db.session.query(MeetingEvent).filter_by(meeting_id=meeting_id).count() == 2


def test_the_window_starts_at_the_cursor_of_the_first_socket(app, meeting, live_sockets):
    for n in range(LIMIT + 3):  # nobody here yet: the broadcaster moves on, keeps nothing
        log.record(meeting.id, "thing_happened", {"n": n + 1})
        db.session.commit()
    assert broadcaster.recent.covered(meeting.id) is None
    registration = make_registration(meeting)
    live_sockets.attendee(registration)  # `watch` starts the cursor at 23, filled from the log
    assert broadcaster.recent.covered(meeting.id) == (3, LIMIT + 3)
    participant = attendee(registration)
    for after in (LIMIT + 3, LIMIT, 3):
        replay, statements = statements_of(app, lambda a=after: since(participant, a))
        assert [e.seq for e in replay] == list(range(after + 1, LIMIT + 4))
        assert not reads_events(statements)
        assert shown(replay) == shown(from_database(participant, after))
    log.record(meeting.id, "thing_happened", {"n": LIMIT + 4})
    db.session.commit()
    replay, statements = statements_of(app, lambda: since(participant, LIMIT + 3))
    assert [e.seq for e in replay] == [LIMIT + 4] and not reads_events(statements)
    assert broadcaster.recent.covered(meeting.id) == (4, LIMIT + 4)


def test_a_window_filled_from_the_log_stops_at_an_erased_event(app, meeting, live_sockets):
    gone = make_registration(meeting)
    log.record(meeting.id, "thing_happened", {"n": 1})
    log.record(meeting.id, "question_published", {"name": "María"}, subjects=[gone.id])
    log.record(meeting.id, "thing_happened", {"n": 3})
    log.record(meeting.id, "thing_happened", {"n": 4})
    db.session.commit()
    log.forget([gone.id])
    db.session.commit()
    registration = make_registration(meeting)
    live_sockets.attendee(registration)
    assert broadcaster.recent.covered(meeting.id) == (2, 4)
    participant = attendee(registration)
    assert since(participant, 1) is None
    replay, statements = statements_of(app, lambda: since(participant, 2))
    assert [e.payload for e in replay] == [{"n": 3}, {"n": 4}] and not reads_events(statements)


def test_a_meeting_no_longer_served_loses_its_window(app, meeting, live_sockets):
    registration = make_registration(meeting)
    sio = live_sockets.attendee(registration)
    log.record(meeting.id, "thing_happened", {"n": 1})
    db.session.commit()
    assert broadcaster.recent.covered(meeting.id) == (0, 1)
    sio.disconnect()
    log.record(meeting.id, "thing_happened", {"n": 2})
    db.session.commit()
    assert broadcaster.recent.covered(meeting.id) is None
    # a socket of another meeting connecting sweeps windows of meetings without sockets
    broadcaster.recent.start(meeting.id, 2)
    second = make_meeting()
    live_sockets.attendee(make_registration(second))
    assert broadcaster.recent.meetings() == [second.id]


def test_a_gap_in_what_is_delivered_restarts_the_window():
    window = RecentEvents(5)
    window.start(1, 10)
    window.extend(1, [[11, "meeting:1", "a", {"seq": 11}], [12, "meeting:1", "b", {"seq": 12}]])
    assert window.covered(1) == (10, 12)
    window.extend(1, [[12, "meeting:1", "b", {"seq": 12}]])  # a repeat changes nothing
    assert window.covered(1) == (10, 12)
    window.extend(1, [[14, "meeting:1", "d", {"seq": 14}]])  # 13 never came: start again
    assert window.covered(1) == (13, 14)
    window.extend(1, [[15, "registration:None", "e", {"seq": 15}]])  # unreadable: a gap
    window.extend(1, [[16, "meeting:1", "f", {"seq": 16}]])
    assert window.covered(1) == (15, 16)
    assert window.since(1, 14, 16, staff=False, interpreter=False, registration_id=None) is None
    assert [e.type for e in window.since(1, 15, 16, staff=False, interpreter=False,
                                         registration_id=None)] == ["f"]
    assert window.since(1, 15, 17, staff=False, interpreter=False,
                        registration_id=None) is None  # 17 committed, not here yet


def test_older_events_go_in_front_only_when_they_lead_up_to_the_window():
    window = RecentEvents(4)
    window.start(1, 10)
    window.extend(1, [[11, "meeting:1", "k", {"seq": 11}]])
    older = [[seq, "meeting:1", str(seq), {"seq": seq}] for seq in (5, 6, 8, 9, 10, 11)]
    assert window.warm(1, older) == 3  # 10, 9, 8 fit; 7 is missing anyway
    assert window.covered(1) == (7, 11)
    window.start(2, 10)
    assert window.warm(2, [[8, "meeting:2", "x", {"seq": 8}]]) == 0  # 9 and 10 missing
    assert window.covered(2) == (10, 10)
    assert window.warm(3, older) == 0  # no window: nothing to fill
