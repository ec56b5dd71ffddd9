"""The one place that turns committed domain events into Socket.IO emits.

Fan-out, not the database, sets the ceiling of a live meeting: every emit costs each connected
client a queue hand-off, a WebSocket frame and (with permessage-deflate) a compression pass.
So committed events are gathered for a short tick (`PUENTE_BROADCAST_INTERVAL_MS`, 50 ms by
default) and each room gets one frame per tick:

- a single event goes out under its own name, exactly as without batching;
- several go out as one `batch` event whose argument is `[[type, data], ...]` in commit
  order; clients unpack it and handle each pair as if it had arrived alone. Logged events
  keep their `seq`, so replay and de-duplication are unchanged.

A staff client sits in both `meeting:<id>` and `meeting:<id>:staff`, and de-duplicates by
`seq`, so the order across rooms matters: the tick is cut into runs of consecutive events
for the same room and the runs are sent in commit order. Each run is encoded once for its
room (once per tick through the Redis message queue, not once per event per process).

With an interval of 0 (the default under `TESTING`) every event is emitted at once.
"""

from __future__ import annotations

import logging
import threading

from webapp.extensions import socketio
from webapp.realtime import log
from webapp.realtime.models import Audience
from webapp.realtime.rooms import meeting_room, participant_room, staff_room

logger = logging.getLogger(__name__)

#: Name of the event that carries several events for one room.
BATCH_EVENT = "batch"


def room_for(domain_event: log.DomainEvent) -> str:
    if domain_event.audience == Audience.STAFF:
        return staff_room(domain_event.meeting_id)
    if domain_event.audience == Audience.PARTICIPANT:
        return participant_room(domain_event.registration_id)
    return meeting_room(domain_event.meeting_id)


def runs(pending: list[tuple[str, list]]) -> list[tuple[str, list[list]]]:
    """Group `(room, [type, data])` items into consecutive same-room runs, order kept."""
    grouped: list[tuple[str, list[list]]] = []
    for room, item in pending:
        if grouped and grouped[-1][0] == room:
            grouped[-1][1].append(item)
        else:
            grouped.append((room, [item]))
    return grouped


class Broadcaster:
    """Queue committed events and send them per room, once per tick."""

    def __init__(self) -> None:
        self.interval = 0.0
        self._pending: list[tuple[str, list]] = []
        self._lock = threading.Lock()
        self._task = None

    def configure(self, interval: float) -> None:
        self.flush()
        self.interval = interval

    def publish(self, domain_event: log.DomainEvent) -> None:
        """Receive one committed event (a `log` sink)."""
        room = room_for(domain_event)
        if self.interval <= 0:
            socketio.emit(domain_event.type, domain_event.wire(), to=room)
            return
        with self._lock:
            self._pending.append((room, [domain_event.type, domain_event.wire()]))
            if self._task is None:
                self._task = socketio.start_background_task(self._run)

    def flush(self) -> int:
        """Send everything queued now; returns the number of frames per room sent."""
        with self._lock:
            pending, self._pending = self._pending, []
        sent = 0
        for room, items in runs(pending):
            if len(items) == 1:
                socketio.emit(items[0][0], items[0][1], to=room)
            else:
                socketio.emit(BATCH_EVENT, items, to=room)
            sent += 1
        return sent

    def _run(self) -> None:
        while True:
            socketio.sleep(self.interval or 0.05)
            try:
                self.flush()
            except Exception:  # a broken emit must not stop every later broadcast
                logger.exception("broadcast flush failed")


broadcaster = Broadcaster()


def emit_domain_event(domain_event: log.DomainEvent) -> None:
    """Hand one committed event to the broadcaster (through the message queue when set)."""
    broadcaster.publish(domain_event)


def init_app(app) -> None:
    from webapp.core import socket_settings

    broadcaster.configure(socket_settings.broadcast_interval(app))
    socket_settings.init_app(app)
    log.subscribe(emit_domain_event)
