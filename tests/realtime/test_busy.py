"""A crowd that takes every pooled database connection gets `busy`, not `server_error`: the
page asks again on its back-off instead of staying unjoined."""

from __future__ import annotations

import uuid

import pytest
from flask import request

from tests.conftest import base_config
from tests.factories import make_meeting, make_registration
from webapp.extensions import db, socketio
from webapp.meetings.models import Meeting
from webapp.registration.services import attendance


@pytest.fixture
def app_config(tmp_path):
    """One pooled connection, given up for after a second."""
    return base_config(tmp_path, SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": 1, "max_overflow": 0, "pool_timeout": 1,
        "connect_args": {"timeout": 15}})


@pytest.fixture
def marks_later(app):
    """Attendance marks wait for their interval (at once, they would take a second
    connection while the connect handler holds the only one)."""
    attendance.interval = 3600
    yield
    attendance.interval = 0


def test_a_join_without_a_free_database_connection_is_answered_busy(app, live_sockets,
                                                                    marks_later):
    meeting = make_meeting()
    person = make_registration(meeting)
    db.session.commit()
    sio = live_sockets.attendee(person)
    db.session.remove()  # the session the handlers share with the test gives its connection back
    held = db.engine.connect()  # the crowd holds the only one
    try:
        ack = sio.emit("join", {"last_seq": None}, callback=True)
    finally:
        held.close()
    assert ack["ok"] is False
    assert ack["error"]["code"] == "busy" and ack["error"]["retry_after"] > 0
    assert ack["error"]["message"]
    again = sio.emit("join", {"last_seq": None}, callback=True)
    assert again["ok"] and again["snapshot"]["seq"] == 0


def _connecting_socket() -> str:
    """A Socket.IO sid as the server holds it while its connect handler runs."""
    server = socketio.server
    eio_sid = uuid.uuid4().hex
    server.environ[eio_sid] = {}
    return server.manager.pre_connect(eio_sid, "/")


def test_a_connect_without_a_free_database_connection_is_refused_busy(app):
    """Not an exception the page never hears of: a refusal it retries on its back-off."""
    from flask_socketio import ConnectionRefusedError
    from flask_wtf.csrf import generate_csrf

    from webapp.live.sockets import on_connect

    meeting_id = make_meeting().id
    db.session.commit()
    db.session.remove()
    held = db.engine.connect()  # the crowd holds the only one
    try:
        with app.test_request_context("/"), pytest.raises(ConnectionRefusedError) as refused:
            request.sid, request.namespace = _connecting_socket(), "/"
            on_connect({"csrf_token": generate_csrf(), "meeting": meeting_id})
    finally:
        held.close()
    assert refused.value.error_args["data"]["code"] == "busy"
    assert refused.value.error_args["data"]["message"]


def test_attendance_marks_that_meet_an_empty_pool_are_written_by_a_later_flush(app,
                                                                             marks_later):
    """A coalescer's batch that fails is kept for the next tick, not dropped: attendance is
    what the organisers' report counts."""
    from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError

    from webapp.registration.models import Registration

    meeting_id = make_meeting().id
    person_id = make_registration(db.session.get(Meeting, meeting_id)).id
    db.session.commit()
    db.session.remove()
    attendance.mark(meeting_id, [person_id])
    held = db.engine.connect()  # the crowd holds the only one
    try:
        with pytest.raises(SQLAlchemyTimeoutError):
            attendance.flush()
    finally:
        held.close()
    assert attendance.pending() == {meeting_id: {person_id}}
    attendance.flush()
    assert attendance.pending() == {}
    assert db.session.get(Registration, person_id).first_joined_at is not None


def test_events_waiting_behind_a_gap_read_that_meets_an_empty_pool_go_out_next_tick(
        app, live_sockets, marks_later, tmp_path):
    """The events of a tick whose gap read fails are not lost: the cursor stays where it
    was, so a later flush reads and delivers them in order."""
    from tests.conftest import _make_app
    from tests.support.live import unbatch, wait_for
    from webapp.realtime import log
    from webapp.realtime.broadcaster import broadcaster

    meeting = make_meeting()
    meeting_id = meeting.id
    sio = live_sockets.attendee(make_registration(meeting))
    broadcaster.configure(3600)  # frames wait for a flush this test makes by hand
    broadcaster.watch(meeting_id, 0)
    log.record(meeting_id, "question_published", {"n": 1})
    db.session.commit()
    other = _make_app(base_config(tmp_path / "other", app.config["SQLALCHEMY_DATABASE_URI"]))
    try:
        with other.app_context():  # another process commits 2; its message never comes
            log.record(meeting_id, "question_published", {"n": 2})
            db.session.commit()
            db.session.remove()
    finally:
        with other.app_context():
            db.engine.dispose()
    log.record(meeting_id, "question_published", {"n": 3})  # committed here: 2 is a gap
    db.session.commit()
    db.session.remove()
    sio.get_received()
    held = db.engine.connect()  # the crowd holds the only connection
    try:
        assert broadcaster.flush() > 0  # still work to do: the flush loop keeps ticking
    finally:
        held.close()
    assert not [e for e in unbatch(sio.get_received()) if e["name"] == "question_published"]
    broadcaster.flush()
    seqs: list[int] = []

    def all_arrived():
        seqs.extend(event["args"][0]["seq"] for event in unbatch(sio.get_received())
                    if event["name"] == "question_published")
        return len(seqs) >= 3

    try:
        wait_for(all_arrived, message=lambda: f"seqs 1 to 3; got {seqs}")
    finally:
        broadcaster.configure(0)
    assert seqs == [1, 2, 3]


def test_the_health_check_answers_while_a_crowd_holds_every_pooled_connection(app, client):
    """A load balancer must not take a process out of rotation because it is busy joining."""
    held = db.engine.connect()  # the crowd holds the only one
    try:
        response = client.get("/healthz")
    finally:
        held.close()
    assert response.status_code == 200
    assert response.get_json()["checks"]["database"] == {"ok": True, "backend": "sqlite"}


def test_an_event_that_gets_no_turn_in_time_is_answered_busy(app, live_sockets, marks_later):
    """Past `PUENTE_SOCKET_CONCURRENCY` events at work, the next waits for a turn; one that
    waits too long is answered `busy`, as when the pool is empty, and goes through later."""
    from webapp.realtime import state
    from webapp.realtime.turns import Turns

    meeting = make_meeting()
    person = make_registration(meeting)
    db.session.commit()
    sio = live_sockets.attendee(person)
    turns = state.of(app).turns = Turns(1, wait=0.2)
    with turns.turn():  # a crowd's join is at work
        ack = sio.emit("join", {"last_seq": None}, callback=True)
    assert ack["ok"] is False
    assert ack["error"]["code"] == "busy" and ack["error"]["retry_after"] > 0
    again = sio.emit("join", {"last_seq": None}, callback=True)
    assert again["ok"] and again["snapshot"]["seq"] == 0


def test_turns_let_their_size_work_at_once_and_no_more():
    from webapp.realtime.turns import NoTurn, Turns

    turns = Turns(2, wait=0.05)
    with turns.turn(), turns.turn(), pytest.raises(NoTurn), turns.turn():
        pass
    with turns.turn(), turns.turn():  # given back, a failed wait included
        pass
    unlimited = Turns(0)
    with unlimited.turn(), unlimited.turn(), unlimited.turn():
        pass
