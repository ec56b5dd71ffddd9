"""The presenter screen may only `join`, and rotating its token closes the open screens."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from, forget_request_caches
from tests.factories import make_registration, make_user
from tests.support.commands import plausible
from tests.support.live import wait_for
from webapp.accounts.models import RoleKind
from webapp.extensions import db, socketio
from webapp.qa import presenter_services
from webapp.realtime import handlers


@pytest.fixture
def organiser(meeting):
    return make_user(meeting=meeting, role=RoleKind.ORGANISER)


@pytest.fixture
def screen(app, meeting):
    """Open a presenter socket with a given token."""
    flask_client = app.test_client()
    forget_request_caches()
    csrf = csrf_token_from(flask_client.get("/").get_data(as_text=True))
    opened = []

    def connect(token):
        forget_request_caches()
        sio = socketio.test_client(app, flask_test_client=flask_client, auth={
            "csrf_token": csrf, "meeting": meeting.id, "presenter_token": token})
        opened.append(sio)
        return sio

    yield connect
    for sio in opened:
        if sio.is_connected():
            sio.disconnect()


def test_presenter_may_send_join_and_nothing_else(meeting, organiser, screen):
    token = presenter_services.rotate_token(organiser, meeting)
    sio = screen(token)
    assert sio.is_connected()
    assert sio.emit("join", {}, callback=True)["ok"] is True
    refused = {}
    for name, cmd in sorted(handlers.REGISTRY.items()):
        if name == "join":
            continue
        payload = {field: plausible(spec) for field, spec in cmd.payload.items()}
        ack = sio.emit(name, payload, callback=True)
        refused[name] = ack["error"]["code"] if not ack["ok"] else "ok"
    assert set(refused.values()) == {"forbidden"}, refused
    assert {"find_similar", "load_posts"} <= set(refused)
    assert sio.is_connected()  # refusing a command does not end the screen


def test_rotating_the_token_closes_open_presenter_screens(app, live_sockets, meeting,
                                                          organiser, screen):
    token = presenter_services.rotate_token(organiser, meeting)
    first, second = screen(token), screen(token)
    attendee = live_sockets.attendee(make_registration(meeting))
    assert first.is_connected() and second.is_connected()

    new_token = presenter_services.rotate_token(organiser, meeting)
    wait_for(lambda: not first.is_connected() and not second.is_connected(),
             message="both screens to be closed")
    assert attendee.is_connected()
    assert not screen(token).is_connected()  # the old link is refused on reconnect
    assert screen(new_token).is_connected()


def test_a_screen_whose_close_was_lost_is_refused_and_closed(meeting, organiser, screen):
    """Another process rotated the token while Redis was down: the next command refuses."""
    token = presenter_services.rotate_token(organiser, meeting)
    sio = screen(token)
    meeting.presenter_token_hash = "0" * 64  # rotated elsewhere, no close message arrived
    db.session.commit()
    ack = sio.emit("join", {}, callback=True)
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    wait_for(lambda: not sio.is_connected(), message="the screen to be closed")
