"""The broadcaster's batching: one frame per room per tick, commit order kept across rooms."""

import pytest

from tests.conftest import base_config
from tests.factories import make_meeting, make_registration
from tests.support.live import unbatch, wait_for
from webapp.extensions import db
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.realtime import log
from webapp.realtime.broadcaster import BATCH_EVENT, broadcaster, runs
from webapp.realtime.models import Audience


def test_runs_group_consecutive_events_per_room_in_commit_order():
    pending = [("m", ["a", {"seq": 1}]), ("m", ["b", {"seq": 2}]), ("s", ["c", {"seq": 3}]),
               ("m", ["d", {"seq": 4}])]
    assert runs(pending) == [("m", [["a", {"seq": 1}], ["b", {"seq": 2}]]),
                             ("s", [["c", {"seq": 3}]]), ("m", [["d", {"seq": 4}]])]
    assert runs([]) == []


@pytest.fixture
def app_config(tmp_path):
    return base_config(tmp_path, PUENTE_BROADCAST_INTERVAL_MS=50)


@pytest.fixture(autouse=True)
def _immediate_after(app):
    yield
    broadcaster.configure(0)


def attend(client, meeting):
    registration = make_registration(meeting)
    with client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(meeting.id): registration.id}
    return registration


def frames_until(sio, wanted: str, count: int, timeout=5.0) -> list[list]:
    """Frames received until `count` events of type `wanted` arrived, each as [[type, data]]."""
    frames: list[list] = []

    def enough():
        for message in sio.get_received():
            if message["name"] == BATCH_EVENT:
                frames.append(message["args"][0])
            else:
                frames.append([[message["name"], message["args"][0]]])
        return sum(t == wanted for frame in frames for t, _d in frame) >= count

    wait_for(enough, timeout, message=lambda: f"{count} {wanted} events; got {frames!r}")
    return [[item for item in frame if item[0] == wanted] for frame in frames
            if any(t == wanted for t, _d in frame)]


def test_events_committed_together_arrive_as_one_batch_in_order(
        app, client, socket_client_factory):
    meeting = make_meeting()
    attend(client, meeting)
    sio = socket_client_factory(meeting.id)
    for n in range(3):  # one transaction (a bulk approval): handed over together
        log.record(meeting.id, "question_published", {"n": n})
    db.session.commit()
    assert frames_until(sio, "question_published", 3) == [[
        ["question_published", {"n": 0, "seq": 1}],
        ["question_published", {"n": 1, "seq": 2}],
        ["question_published", {"n": 2, "seq": 3}],
    ]]


def test_a_lone_event_keeps_its_own_name(app, client, socket_client_factory, received):
    meeting = make_meeting()
    attend(client, meeting)
    sio = socket_client_factory(meeting.id)
    wait_for(lambda: received(sio, "presence_changed"),  # the connect's own update goes first
             message="the connect's presence update")
    log.record(meeting.id, "qa_settings_changed", {"open": False})
    db.session.commit()
    arrived = wait_for(lambda: [m for m in sio.get_received() if m["name"] != "presence_changed"],
                       message="the settings event")
    assert arrived == [{"name": "qa_settings_changed",
                         "args": [{"open": False, "seq": 1}], "namespace": "/"}]


def test_staff_events_between_public_ones_keep_their_place(app, client, socket_client_factory):
    from tests.conftest import login
    from tests.factories import make_user
    from webapp.accounts.models import RoleKind

    meeting = make_meeting()
    make_user("mod@example.org", meeting=meeting, role=RoleKind.MODERATOR)
    login(client, "mod@example.org")
    sio = socket_client_factory(meeting.id)
    log.record(meeting.id, "question_published", {"n": 1})
    log.record(meeting.id, "staff_question_changed", {"n": 2}, audience=Audience.STAFF)
    log.record(meeting.id, "question_published", {"n": 3})
    db.session.commit()
    seqs: list[int] = []

    def three_seqs():
        seqs.extend(m["args"][0]["seq"] for m in unbatch(sio.get_received())
                    if "seq" in m["args"][0])
        return len(seqs) >= 3

    wait_for(three_seqs, message=lambda: f"three events; got seqs {seqs}")
    assert seqs == [1, 2, 3]


def test_a_ticks_logged_events_and_counts_share_one_frame(app, client, socket_client_factory,
                                                          received):
    """At 5,000 attendees a tick's writes are most of a process's work: the counts of a tick
    (unlogged) ride in the same frame as its logged events, after them."""
    meeting = make_meeting()
    attend(client, meeting)
    sio = socket_client_factory(meeting.id)
    wait_for(lambda: received(sio, "presence_changed"), message="the connect's presence update")
    broadcaster.configure(3600)  # this test flushes by hand: both wait for the same tick
    log.record(meeting.id, "question_published", {"n": 1})
    db.session.commit()
    log.deliver_now(log.DomainEvent(meeting.id, "vote_tally_changed", {"tallies": {"1": 2}}))
    broadcaster.flush()
    frame = wait_for(lambda: [m for m in sio.get_received() if m["name"] != "presence_changed"],
                     message="the tick's frame")
    assert frame == [{"name": BATCH_EVENT, "namespace": "/", "args": [[
        ["question_published", {"n": 1, "seq": 1}],
        ["vote_tally_changed", {"tallies": {"1": 2}}]]]}]
