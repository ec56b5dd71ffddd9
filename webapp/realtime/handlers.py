"""Plumbing for thin socket handlers: who is this socket, and turning errors into acks."""

from __future__ import annotations

import functools
import logging
import threading

from flask import request
from flask_babel import gettext as _

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.realtime.participants import Participant

logger = logging.getLogger(__name__)

_connections: dict[str, Participant] = {}
_lock = threading.Lock()


def remember(sid: str, participant: Participant) -> None:
    with _lock:
        _connections[sid] = participant


def forget(sid: str) -> Participant | None:
    with _lock:
        return _connections.pop(sid, None)


def participant_for(sid: str) -> Participant | None:
    return _connections.get(sid)


def connections() -> list[tuple[str, Participant]]:
    """Every socket of this process with its participant."""
    with _lock:
        return list(_connections.items())


def local_participants(meeting_id: int) -> list[Participant]:
    with _lock:
        return [p for p in _connections.values() if p.meeting_id == meeting_id]


def error_ack(code: str, message: str, **details) -> dict:
    return {"ok": False, "error": {"code": code, "message": message, **details}}


def socket_command(handler):
    """Resolve the participant, call the handler, and always answer with an ack dict.

    Domain errors become `{ok: false, error: {code, message}}`; anything unexpected is logged
    and answered with a generic error, never a dropped ack.
    """

    @functools.wraps(handler)
    def wrapper(payload=None, *args):
        participant = participant_for(request.sid)
        if participant is None:
            return error_ack("not_connected", _("Please reload the page to reconnect."))
        if payload is not None and not isinstance(payload, dict):
            return error_ack("invalid", _("This request is not in the expected format."))
        try:
            result = handler(participant, payload or {})
        except DomainError as error:
            db.session.rollback()
            return {"ok": False, "error": error.as_dict()}
        except Exception:
            db.session.rollback()
            logger.exception("socket command %s failed", handler.__name__)
            return error_ack("server_error", _("Something went wrong on our side. Please retry."))
        return {"ok": True, **(result or {})}

    return wrapper
