"""Who is connected where, and closing the sockets of someone who lost access.

Each process knows its own sockets; rooms let one call reach every tab of a person.
"""

from __future__ import annotations

from webapp.extensions import socketio
from webapp.realtime.rooms import participant_room, user_room


def _local_sids(room: str, namespace: str = "/") -> list[str]:
    manager = socketio.server.manager if socketio.server else None
    if manager is None:
        return []
    try:
        return [sid for sid, _eio_sid in manager.get_participants(namespace, room)]
    except KeyError:
        return []


def _disconnect_room(room: str) -> int:
    sids = _local_sids(room)
    for sid in sids:
        socketio.server.disconnect(sid, namespace="/")
    return len(sids)


def disconnect_user(user_id: int) -> int:
    """Close every socket of a staff user (logout, deactivation)."""
    return _disconnect_room(user_room(user_id))


def disconnect_registration(registration_id: int) -> int:
    """Close every socket of an attendee (ban, cancellation)."""
    return _disconnect_room(participant_room(registration_id))
