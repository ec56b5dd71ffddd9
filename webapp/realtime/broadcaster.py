"""The one place that turns committed domain events into Socket.IO emits."""

from __future__ import annotations

from webapp.extensions import socketio
from webapp.realtime import log
from webapp.realtime.models import Audience
from webapp.realtime.rooms import meeting_room, participant_room, staff_room


def room_for(domain_event: log.DomainEvent) -> str:
    if domain_event.audience == Audience.STAFF:
        return staff_room(domain_event.meeting_id)
    if domain_event.audience == Audience.PARTICIPANT:
        return participant_room(domain_event.registration_id)
    return meeting_room(domain_event.meeting_id)


def emit_domain_event(domain_event: log.DomainEvent) -> None:
    """Serialise once and emit to the event's room (through the message queue when set)."""
    socketio.emit(domain_event.type, domain_event.wire(), to=room_for(domain_event))


def init_app(app) -> None:
    log.subscribe(emit_domain_event)
