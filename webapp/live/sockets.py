"""Connection lifecycle: authenticate at connect, join rooms, catch up on `join`."""

from __future__ import annotations

import logging

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, join_room
from flask_wtf.csrf import ValidationError, validate_csrf
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from werkzeug.exceptions import SecurityError

from webapp.extensions import db, socketio
from webapp.live import catchup, participants, sweep
from webapp.meetings.models import Meeting
from webapp.qa import presenter_services
from webapp.realtime import handlers, presence, snapshots, state
from webapp.realtime.broadcaster import broadcaster
from webapp.realtime.handlers import Int, Role, command
from webapp.realtime.rooms import (
    interpreters_room,
    meeting_room,
    participant_room,
    presenter_room,
    staff_room,
    user_room,
)
from webapp.realtime.turns import NoTurn
from webapp.registration.services import attendance

logger = logging.getLogger(__name__)

#: Session key mapping meeting id (str) -> registration id, set by the join link POST.
SESSION_REGISTRATIONS = "registrations"


def _refuse(code: str, message: str):
    # The second argument reaches the browser as `connect_error.data`.
    raise ConnectionRefusedError(message, {"code": code, "message": message})


def _host_is_trusted() -> bool:
    """Pages answer an unknown `Host` with 400 (TRUSTED_HOSTS); the Socket.IO handshake does
    not pass through Flask's routing, so its host is checked here."""
    try:
        request.host  # noqa: B018  (reading it checks it against TRUSTED_HOSTS)
    except SecurityError:
        return False
    return True


def on_connect(auth=None):
    """Authenticate the socket once (CSRF, host, meeting, person) and join its rooms.

    When every pooled database connection or every turn (`realtime.turns`) is taken (a
    crowd reconnecting at once), the connection is refused as `busy` and the page tries
    again on its back-off: an exception here would leave the page waiting for an answer
    that never comes.

    A connection can close while this handler waits (for a turn, for the database): the
    transport's deadline for the CONNECT (`PUENTE_SOCKET_CONNECT_TIMEOUT`), or the page
    going away. Socket.IO runs no disconnect handler for a socket still connecting, so such
    a socket is not admitted, or is forgotten again, here; else it would stay counted
    online and in its rooms for the life of the process.
    """
    try:
        with state.current().turns.turn():
            if _closed_while_connecting():
                return False
            _admit(auth)
            if _closed_while_connecting():
                on_disconnect()
                return False
    except (SQLAlchemyTimeoutError, NoTurn) as error:
        db.session.rollback()
        logger.warning("%s on socket connect", handlers.BUSY_CAUSES[type(error)])
        _refuse("busy", str(handlers.BUSY_MESSAGE))


def _closed_while_connecting() -> bool:
    """Whether this socket's connection is gone (its Engine.IO session ended)."""
    server = socketio.server
    eio_sid = server.manager.eio_sid_from_sid(request.sid, request.namespace or "/")
    return eio_sid is None or eio_sid not in server.environ


def _admit(auth) -> None:
    if not _host_is_trusted():
        _refuse("bad_host", _("This address is not where this site is served."))
    auth = auth if isinstance(auth, dict) else {}
    try:
        validate_csrf(auth.get("csrf_token"))
    except ValidationError:
        _refuse("csrf", _("Your session has expired. Please reload the page."))
    meeting_id = auth.get("meeting")
    usable = type(meeting_id) is int and 0 < meeting_id <= handlers.INT64_MAX
    meeting = db.session.get(Meeting, meeting_id) if usable else None
    if meeting is None:
        _refuse("not_found", _("This meeting does not exist."))
    if auth.get("presenter_token") is not None:
        # The projector page: read-only, proven by the meeting's presenter token alone.
        participant = presenter_services.resolve(meeting, auth.get("presenter_token"))
    else:
        registration_id = session.get(SESSION_REGISTRATIONS, {}).get(str(meeting.id))
        user = current_user if current_user.is_authenticated else None
        participant = participants.resolve(meeting, user, registration_id)
    if participant is None:
        _refuse("forbidden", _("You are not registered for this meeting."))
    broadcaster.watch(meeting.id, meeting.last_seq or 0)  # before the socket is in a room
    live_from = broadcaster.enter_rooms(meeting.id, lambda: _enter_rooms(participant))
    handlers.remember(request.sid, participant, live_from)
    if participant.registration_id is not None:
        attendance.mark(meeting.id, [participant.registration_id])  # for the organisers
    presence.presence.arrived(participant)
    if participant.registration_id is not None:
        sweep.start_sampler(current_app._get_current_object())


def _enter_rooms(participant) -> None:
    """Every room whose events this socket receives."""
    join_room(meeting_room(participant.meeting_id))
    if participant.is_staff:
        join_room(staff_room(participant.meeting_id))
    elif participant.is_interpreter:
        join_room(interpreters_room(participant.meeting_id))
    if participant.registration_id is not None:
        join_room(participant_room(participant.registration_id))
    if participant.user_id is not None:
        join_room(user_room(participant.user_id))
    if participant.is_presenter:
        join_room(presenter_room(participant.meeting_id))


def on_disconnect(*_args):
    """Forget the socket and update the online count."""
    participant = handlers.forget(request.sid)
    if participant is not None:
        presence.presence.left(participant)


@command("join", role=Role.ANYONE, payload={
    # An unusable position (garbage, negative) reads as unknown: start from a snapshot.
    "last_seq": Int(lenient=True),
})
def on_join(participant, payload):
    """`join {last_seq?}` -> `{ok, seq, events}` or `{ok, seq, snapshot}`."""
    limit = current_app.config["PUENTE_REPLAY_LIMIT"]
    return catchup.catch_up(participant, payload["last_seq"], limit,
                            live_from=handlers.live_from(request.sid))


def register(event: str, handler, namespace: str = "/") -> None:
    """Attach a lifecycle handler to this application's Socket.IO server.

    Commands are not attached here: they are declared with `handlers.command`.
    """
    socketio.on_event(event, handler, namespace=namespace)


def init_app(app) -> None:
    """Attach the connection lifecycle handlers to this application's server."""
    presence.init_app(app)
    attendance.init_app(app)
    live = state.of(app)
    live.presence.on_recovered = lambda: sweep.after_outage(app)
    live.shared_snapshots = snapshots.SharedSnapshots(
        lambda meeting_id: live.broadcaster.deliveries(meeting_id, snapshots.retiring_events()))
    handlers.admit_with(app, participants.still_admitted)
    register("connect", on_connect)
    register("disconnect", on_disconnect)
