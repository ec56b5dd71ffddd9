"""The one place that turns committed domain events into Socket.IO emits.

**One ordered path per meeting: the database log.** Logged events carry the meeting's `seq`,
and `seq` order is commit order (writers are serialised on the meeting row). Each process
keeps a cursor per meeting (the last `seq` it delivered to its own sockets) and delivers
logged events to its local rooms strictly in `seq` order, each once:

- events committed here arrive from the `log` sink; events committed by other processes
  arrive on the Redis channel `<prefix>:events` (published once per tick by their process);
- when the next `seq` is missing at flush time, it is already committed (a higher one is,
  and commits happen in `seq` order), so the process reads the gap from `meeting_events`
  instead of waiting: a slow or lost Redis message only costs one query;
- with Redis configured, a poll (`PUENTE_LOG_POLL_MS`, 1 s) compares each meeting's
  `last_seq` with the cursor, so events committed while Redis is down still reach every
  process's clients, a poll interval late.

So every client, on any process, receives its logged events in commit order without gaps,
and the client rule stays "apply `seq` above the last applied one, drop the rest" (see
docs/protocol.md). Logged events are emitted locally only (`ignore_queue`); unlogged ones
(coalesced counts with their revision, presence) are shared the same way and emitted as they
come. Nothing goes through the Socket.IO message queue, so a process whose Socket.IO listener
is still reconnecting after a Redis outage does not miss what it sends its own clients.

Fan-out, not the database, sets the ceiling of a live meeting, so emits are gathered for a
short tick (`PUENTE_BROADCAST_INTERVAL_MS`, 50 ms by default) and each room gets one frame
per tick: a single event goes out under its own name; several go out as one `batch` event
whose argument is `[[type, data], ...]` in commit order. The tick is cut into runs of
consecutive events for the same room, sent in commit order, so a staff client (in the
meeting room and the staff room) still receives everything in `seq` order.

With an interval of 0 (the default under `TESTING`) every event is emitted at once.

**Recent events for replays.** What `_deliver` hands to its sockets also goes, in the same
order, into a bounded window per meeting (`realtime/recent.py`), from which `log.events_since`
serves short rejoins without reading `meeting_events`; the window starts at the cursor on
`watch` and goes when the meeting has no socket here.

**Closing a room is a step of the same path.** `access_revoked` (a ban, a cancellation) is
the last event of an attendee's room: every process emits it after the events committed
before it and then closes its own sockets in that room. The disconnect packet is queued on
each socket behind the frames already handed to it, so the client reads its last events
first, with no waiting, on one process or many.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.local import LocalProxy

from webapp.extensions import db, socketio
from webapp.realtime import log, state
from webapp.realtime.models import Audience, MeetingEvent
from webapp.realtime.models import meeting_counters as _meetings
from webapp.realtime.recent import RecentEvents
from webapp.realtime.rooms import (
    interpreters_room,
    meeting_room,
    participant_room,
    presenter_room,
    staff_room,
)
from webapp.realtime.ticker import Ticker
from webapp.realtime.transport import socket_settings

logger = logging.getLogger(__name__)

#: Name of the event that carries several events for one room.
BATCH_EVENT = "batch"
#: The flush loop ends after this long without anything to send; the next event restarts it.
IDLE_STOP = 60.0
_MEETING_ROOM = re.compile(r"^meeting:([0-9]+)$")


def room_for(domain_event: log.DomainEvent) -> str:
    """The Socket.IO room an event is for, from its audience."""
    if domain_event.audience == Audience.STAFF:
        return staff_room(domain_event.meeting_id)
    if domain_event.audience == Audience.PARTICIPANT:
        return participant_room(domain_event.registration_id)
    if domain_event.audience == Audience.INTERPRETERS:
        return interpreters_room(domain_event.meeting_id)
    if domain_event.audience == Audience.PRESENTER:
        return presenter_room(domain_event.meeting_id)
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


def _as_item(domain_event: log.DomainEvent) -> list:
    """The form an event travels in between processes: `[seq or None, room, type, data]`."""
    return [domain_event.seq, room_for(domain_event), domain_event.type, domain_event.wire()]


def _row_item(row: MeetingEvent) -> list:
    event = log.DomainEvent(row.meeting_id, row.type, row.payload, row.audience, row.seq,
                            row.registration_id)
    return _as_item(event)


#: Events after which every local socket of their room is closed.
CLOSING_EVENTS = frozenset({log.ACCESS_REVOKED})


def _rooms(server) -> dict:
    manager = server.manager if server is not None else None
    return getattr(manager, "rooms", {}).get("/", {}) if manager is not None else {}


class Broadcaster:
    """Deliver logged events in `seq` order per meeting, and everything once per tick."""

    def __init__(self, server=None) -> None:
        #: The Socket.IO server of this broadcaster's application.
        self.server = server
        self.interval = 0.0
        self.poll_interval = 0.0
        self._app = None
        #: meeting id -> the last `seq` this process delivered (or knows its sockets have).
        self._cursor: dict[int, int] = {}
        #: meeting id -> {seq: [seq, room, type, data]} not yet delivered.
        self._waiting: dict[int, dict[int, list]] = {}
        #: Unlogged events for this process's sockets: (room, [type, data]).
        self._unlogged: list[tuple[str, list]] = []
        #: Events committed here, still to be published to the other processes.
        self._outgoing: list[list] = []
        self._lock = threading.Lock()
        self._deliver_lock = threading.RLock()
        self._flusher = Ticker("broadcast flush", self.flush, 0.05, idle_stop=IDLE_STOP)
        self._poller = Ticker("event log poll", self.poll, 1.0)
        #: Called with each batch this process commits, for the other processes (Redis).
        self.share = None
        #: (meeting room, event type) -> how many such events this process emitted to it
        #: (shared snapshots watch the counts their meeting's room was sent).
        self._emitted: dict[tuple[str, str], int] = {}
        #: The last logged events delivered here per meeting, for short replays.
        self.recent = RecentEvents()

    def configure(self, interval: float, poll_interval: float = 0.0, app=None) -> None:
        """Set the frame interval and, without Redis, how often to poll the log."""
        self.flush()
        self.interval = interval
        self.poll_interval = poll_interval
        self._flusher.interval = interval or 0.05
        self._poller.stop()  # started again by the first socket of the new application
        self._poller.interval = poll_interval
        if app is not None:
            self._app = app
        with self._lock:
            self._cursor.clear()
            self._waiting.clear()
            limit = app.config.get("PUENTE_REPLAY_LIMIT") if app is not None else None
            self.recent.configure(self.recent.limit if limit is None else limit)

    # this process's sockets ------------------------------------------------------------

    def local_meetings(self) -> set[int]:
        """Meetings with at least one socket on this process."""
        found = set()
        for room, members in list(_rooms(self.server).items()):
            match = _MEETING_ROOM.match(room) if isinstance(room, str) else None
            if match and members:
                found.add(int(match.group(1)))
        return found

    def has_local_sockets(self, meeting_id: int) -> bool:
        """Whether a socket of this meeting is connected to this process."""
        return bool(_rooms(self.server).get(meeting_room(meeting_id)))

    def local_sids(self, room: str, namespace: str = "/") -> list[str]:
        """The sockets of this process in `room`."""
        manager = self.server.manager if self.server is not None else None
        if manager is None:
            return []
        try:
            return [sid for sid, _eio_sid in manager.get_participants(namespace, room)]
        except KeyError:
            return []

    def close_room(self, room: str) -> int:
        """Close this process's sockets in `room`; each gets its disconnect behind what it
        was already sent. Returns how many."""
        sids = self.local_sids(room)
        for sid in sids:
            self.server.disconnect(sid, namespace="/", ignore_queue=True)
        return len(sids)

    # input --------------------------------------------------------------------------------

    def watch(self, meeting_id: int, last_seq: int) -> None:
        """A socket of this meeting connects here: start the meeting's cursor if none is.

        Called before the socket joins its rooms. Without sockets here nobody needs older
        events, so the cursor moves up to the committed `last_seq`; the client's own `join`
        replays anything up to its answer (from the recent events or the log).

        The meeting's recent events window (`recent`) ends at the cursor: kept when it already
        does, else opened there. A meeting's first window is filled with its last events from
        the log (one read per meeting and process), so the clients of a reconnect storm that
        missed a few events while away rejoin from memory too.
        """
        fresh = meeting_id not in self.recent.meetings()
        if fresh:
            self._forget_unserved()
        with self._lock:
            if not self.has_local_sockets(meeting_id) or meeting_id not in self._cursor:
                self._cursor[meeting_id] = max(self._cursor.get(meeting_id, 0), last_seq)
                waiting = self._waiting.get(meeting_id, {})
                for seq in [s for s in waiting if s <= last_seq]:
                    del waiting[seq]
                self.recent.start(meeting_id, self._cursor[meeting_id])
            cursor = self._cursor[meeting_id]
        if fresh and cursor > 0 and self.recent.limit > 0:
            self.recent.warm(meeting_id, self._read(
                meeting_id, max(cursor - self.recent.limit, 0), cursor))
        self._ensure_poller()

    def enter_rooms(self, meeting_id: int, enter: Callable[[], None]) -> int:
        """Put a socket of the meeting in its rooms (`enter`); returns the `seq` after which
        it receives every logged event live.

        No delivery runs meanwhile (a delivery moves the cursor and emits under
        `_deliver_lock`), so each event is either at most that `seq` and was sent before the
        socket was in its rooms, or above it and reaches the socket live: its join replays
        only up to that `seq`, and nothing arrives twice.
        """
        with self._deliver_lock, self._lock:
            enter()
            return self._cursor.get(meeting_id, 0)

    def _forget_unserved(self) -> None:
        """Drop the recent events of meetings without a socket here."""
        for meeting_id in self.recent.meetings():
            if not self.has_local_sockets(meeting_id):
                self.recent.drop(meeting_id)

    def publish(self, domain_event: log.DomainEvent) -> None:
        """Receive one committed event of this process (a `log` sink)."""
        item = _as_item(domain_event)
        with self._lock:
            self._outgoing.append([domain_event.meeting_id, *item])
        if domain_event.seq is None:
            self._take_unlogged([item])
        else:
            self._take(domain_event.meeting_id, [item])

    def receive(self, items: list) -> None:
        """Events another process committed: `[[meeting, seq or None, room, type, data]]`."""
        by_meeting: dict[int, list] = {}
        unlogged = []
        for entry in items:
            if not isinstance(entry, list) or len(entry) != 5:
                continue
            meeting_id, *item = entry
            if item[0] is None:
                unlogged.append(item)
            else:
                by_meeting.setdefault(int(meeting_id), []).append(item)
        for meeting_id, meeting_items in by_meeting.items():
            self._take(meeting_id, meeting_items)
        if unlogged:  # after the logged events of the same message: a close comes last
            self._take_unlogged(unlogged)

    def _take_unlogged(self, items: list) -> None:
        """Counts and presence: no order to keep (counts carry a revision); sent as they come."""
        pending = [(room, [type_, data]) for _seq, room, type_, data in items]
        if self.interval <= 0:
            if any(type_ in CLOSING_EVENTS for _room, (type_, _data) in pending):
                self._deliver_waiting()  # the events committed before a close go first
            self._emit_local(pending)
            self._share_now()
            return
        with self._lock:
            self._unlogged.extend(pending)
        self._ensure_task()

    def _take(self, meeting_id: int, items: list) -> None:
        with self._lock:  # checked and acted on under the lock `enter_rooms` holds
            nobody_here = not self.has_local_sockets(meeting_id)
            if nobody_here:
                # Nobody here to deliver to: move on without reading any gap from the log. A
                # socket that connects later starts from the committed `last_seq` (`watch`).
                self._cursor[meeting_id] = max([self._cursor.get(meeting_id, 0),
                                                *(item[0] for item in items)])
                self._waiting.pop(meeting_id, None)
                self.recent.drop(meeting_id)
        if nobody_here:
            return
        with self._lock:
            cursor = self._cursor.get(meeting_id)
            if cursor is None:
                # Nobody here has asked for this meeting yet: start at its first event seen.
                cursor = self._cursor[meeting_id] = min(item[0] for item in items) - 1
            waiting = self._waiting.setdefault(meeting_id, {})
            for item in items:
                if item[0] > cursor:
                    waiting.setdefault(item[0], item)
        if self.interval <= 0:
            self._deliver(meeting_id, read_gaps=False)
            if self._waiting.get(meeting_id):
                socketio.start_background_task(self._deliver, meeting_id, True)
            self._share_now()
        else:
            self._ensure_task()

    # output -------------------------------------------------------------------------------

    def _ready(self, meeting_id: int, read_gaps: bool, upto: int | None = None) -> list:
        """Take the events that can go out now, in `seq` order, and move the cursor.

        `upto`: a `seq` known to be committed (the poll's `last_seq`). A gap below the
        highest known `seq` is read from the log; events pruned from the log are skipped.
        """
        with self._lock:
            cursor = self._cursor.get(meeting_id, 0)
            waiting = self._waiting.get(meeting_id, {})
            ready = []
            while cursor + 1 in waiting:
                cursor += 1
                ready.append(waiting.pop(cursor))
            gap_to = max([*waiting, upto or 0])
        if read_gaps and gap_to > cursor:
            missing = self._read(meeting_id, cursor, gap_to)
            with self._lock:
                waiting = self._waiting.get(meeting_id, {})
                known = {item[0]: item for item in missing}
                for seq in [s for s in waiting if s <= gap_to]:
                    known.setdefault(seq, waiting.pop(seq))
                ready += [known[seq] for seq in sorted(known) if seq > cursor]
                cursor = gap_to
        with self._lock:
            self._cursor[meeting_id] = max(self._cursor.get(meeting_id, 0), cursor)
        return ready

    def _read(self, meeting_id: int, after: int, upto: int | None) -> list:
        """Committed events after `after` (up to `upto`) straight from the log."""
        if self._app is None:
            return []
        with self._app.app_context():
            try:
                query = select(MeetingEvent).where(MeetingEvent.meeting_id == meeting_id,
                                                   MeetingEvent.seq > after)
                if upto is not None:
                    query = query.where(MeetingEvent.seq <= upto)
                return [_row_item(row) for row in db.session.scalars(query.order_by(
                    MeetingEvent.seq))]
            finally:
                db.session.remove()

    def _deliver(self, meeting_id: int, read_gaps: bool = True, upto: int | None = None) -> int:
        with self._deliver_lock:
            pending = self._ready_items(meeting_id, read_gaps, upto)
            self._emit_local(pending)
        return len(pending)

    def _ready_items(self, meeting_id: int, read_gaps: bool = True,
                     upto: int | None = None) -> list[tuple[str, list]]:
        """The meeting's events that can go now, as `(room, [type, data])`, kept in its
        recent window; the caller holds `_deliver_lock` until it has emitted them."""
        ready = self._ready(meeting_id, read_gaps, upto)
        self.recent.extend(meeting_id, ready)
        return [(room, [type_, data]) for _seq, room, type_, data in ready]

    def _deliver_waiting(self) -> None:
        with self._lock:
            meetings = [m for m, waiting in self._waiting.items() if waiting]
        for meeting_id in meetings:
            self._deliver(meeting_id)

    def _emit_local(self, pending: list[tuple[str, list]]) -> None:
        """Emit to this process's sockets only: every process delivers to its own.

        A room whose run ends with a closing event is closed right after that run is handed
        to its sockets."""
        if self.server is None:
            return
        for room, items in runs(pending):
            if _MEETING_ROOM.match(room):  # what attendees' shared snapshots depend on
                for type_, _data in items:
                    self._emitted[room, type_] = self._emitted.get((room, type_), 0) + 1
            event, data = (items[0][0], items[0][1]) if len(items) == 1 else (BATCH_EVENT, items)
            self.server.emit(event, data, to=room, namespace="/", ignore_queue=True)
            if any(type_ in CLOSING_EVENTS for type_, _data in items):
                self.close_room(room)

    def deliveries(self, meeting_id: int, types: Iterable[str]) -> int:
        """How many events of `types` this process has sent the meeting's room: a changed
        number means attendees here were told something a snapshot built before may lack."""
        room = meeting_room(meeting_id)
        return sum(self._emitted.get((room, type_), 0) for type_ in types)

    def tell_local_sockets(self, event: str, data: dict) -> None:
        """Send one event at once to every socket of this process, and only of this one (a
        message about this process itself, such as `server_draining`)."""
        if self.server is not None:
            self.server.emit(event, data, namespace="/", ignore_queue=True)

    def _share_now(self) -> None:
        with self._lock:
            outgoing, self._outgoing = self._outgoing, []
        if outgoing and self.share is not None:
            self.share(outgoing)

    def flush(self) -> int:
        """Send everything that can go now; returns how much it found to do (the frames sent,
        one per run of a room's events, plus the meetings that had events waiting), which
        keeps the flush loop from ending idle while a meeting still has events to deliver.

        The logged events go first and the counts after them, in one pass, so a room gets a
        single frame per tick for both: at 5,000 attendees the writes of a tick are most of
        the process's work, and a second frame for the tallies cost 15 % more of it. A meeting
        whose gap cannot be read (an empty pool) keeps its events for the next tick; the
        others' go now.
        """
        self._share_now()
        with self._lock:
            unlogged, self._unlogged = self._unlogged, []
            meetings = [m for m, waiting in self._waiting.items() if waiting]
        with self._deliver_lock:
            pending = []
            for meeting_id in meetings:
                try:
                    pending += self._ready_items(meeting_id)
                except SQLAlchemyError:  # its cursor stays: the next tick reads the gap again
                    logger.warning("broadcast: meeting %s's missing events could not be read "
                                   "this tick", meeting_id, exc_info=True)
            pending += unlogged
            self._emit_local(pending)
        return len(runs(pending)) + len(meetings)

    def poll(self) -> int:
        """Catch up every meeting with sockets here from the log; returns events delivered."""
        meetings = self.local_meetings()
        if not meetings or self._app is None:
            return 0
        with self._app.app_context():
            try:
                heads = dict(db.session.execute(
                    select(_meetings.c.id, _meetings.c.last_seq)
                    .where(_meetings.c.id.in_(meetings))).all())
            finally:
                db.session.remove()
        delivered = 0
        for meeting_id, last_seq in heads.items():
            with self._lock:
                cursor = self._cursor.setdefault(meeting_id, last_seq or 0)
            if (last_seq or 0) > cursor:
                delivered += self._deliver(meeting_id, upto=last_seq)
        return delivered

    def _ensure_task(self) -> None:
        self._flusher.start()

    def _ensure_poller(self) -> None:
        if self.poll_interval > 0:
            self._poller.start()


#: The broadcaster of the application in context.
broadcaster: Broadcaster = LocalProxy(lambda: state.current().broadcaster)


def local_meetings() -> set[int]:
    """Meetings with at least one socket on this process (application in context)."""
    return state.current().broadcaster.local_meetings()


def emit_domain_event(domain_event: log.DomainEvent) -> None:
    """Hand one committed event to the broadcaster of the application in context."""
    state.current().broadcaster.publish(domain_event)


def init_app(app) -> None:
    """Build this application's broadcaster from its settings; subscribe the sink once."""
    live = state.of(app)
    live.server = socketio.server
    live.broadcaster = Broadcaster(live.server)
    poll = socket_settings.log_poll_interval(app) if app.config.get("REDIS_URL") else 0.0
    live.broadcaster.configure(socket_settings.broadcast_interval(app), poll, app)
    socket_settings.init_app(app)
    log.subscribe(emit_domain_event)
