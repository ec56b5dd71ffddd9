"""Who is connected where, how many people are online, and closing someone's sockets.

Each process knows its own sockets; rooms let one call reach every tab of a person.

- **Online count**: people, not tabs (attendees by registration, staff by user; the presenter
  screen is not a person). Each process keeps its own counts; with `REDIS_URL` it also writes
  its set of people per meeting to Redis under a key that expires unless refreshed, so a
  crashed process drops out by itself, and the meeting's count is the union of all sets.
  Changes are coalesced: `presence_changed {online}` goes out at most once per tick per
  meeting, without `seq` (it is ephemeral; snapshots carry the latest value).
  `attendees_online` is the same union without staff; the live adapter samples it into the
  meeting's presence history (`live.sweep.sample_presence`), with the highest count each
  change reached since the last sample (`take_highs`).
- **Access revoked** (ban, cancellation, rejection): the service announces `access_revoked`
  for a registration (`log.revoke_access`); it travels with the other events of its commit
  (`<channel>:events`), and every process closes its local sockets in `registration:<id>` right
  after emitting it (`broadcaster.CLOSING_EVENTS`), so the last events reach the client first.
  `disconnect_user` (logout) publishes a control message on `<channel>:control` instead.
- **Presenter token rotated**: `close_presenter_screens` closes `presenter:<meeting id>` the
  same way, so a screen opened with the old link does not outlive it.
- **Logged events** committed here are published on `<channel>:events` once per tick; every
  other process hands them to its broadcaster, which delivers them in `seq` order.
- **Redis outages**: while Redis is down, publishes fail and the listener retries. When a
  publish failed or the listener subscribes again after losing Redis, the process *sweeps*
  its own sockets: it closes those whose registration or account no longer allows them
  (a ban, cancellation or logout issued on another process never arrived), catches up its
  meetings from the event log, and asks the coalescers to send every count again.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections import Counter
from datetime import datetime

from werkzeug.local import LocalProxy

from webapp.core.timeutil import utcnow
from webapp.extensions import socketio
from webapp.realtime import log, snapshots, state
from webapp.realtime.actor import Actor as Participant
from webapp.realtime.broadcaster import Broadcaster
from webapp.realtime.rooms import presenter_room, user_room
from webapp.realtime.ticker import Ticker

logger = logging.getLogger(__name__)

#: Event type that closes every socket of one registration (see qa.services.set_banned).
PRESENCE_EVENT = "presence_changed"
#: Redis keys of a process expire after this many seconds unless the process refreshes them.
KEY_TTL = 90
HEARTBEAT = 30.0
#: Rooms a control message may close: one person's tabs, never a whole meeting.
_CLOSABLE_ROOM = re.compile(r"^(registration|user|presenter):[0-9]+$")
#: A ticker with nothing to do for this many seconds ends; the next change starts it again.
IDLE_STOP = 60.0


def disconnect_user(user_id: int) -> int:
    """Close every socket of a staff user (logout, deactivation), here and on other processes.

    Returns how many sockets this process closed.
    """
    here = state.current().presence
    closed = here.broadcaster.close_room(user_room(user_id))
    here.publish_close(user_room(user_id))
    return closed


def close_presenter_screens(meeting_id: int) -> None:
    """Close the meeting's presenter screens on every process (the token was rotated)."""
    room = presenter_room(meeting_id)
    here = state.current().presence
    if not here.publish_close(room):
        here.broadcaster.close_room(room)


def attendee_count(people: set[str]) -> int:
    """How many of these person keys are attendees (registrations), not staff."""
    return sum(1 for key in people if key.startswith("r"))


def person_key(participant: Participant) -> str | None:
    """Who a socket counts as: attendees by registration, staff by user; None for the presenter
    screen."""
    if participant.registration_id is not None:
        return f"r{participant.registration_id}"
    if participant.user_id is not None:
        return f"u{participant.user_id}"
    return None  # presenter screen


class Presence:
    """Per-process presence counts, optionally shared through Redis, and revocations."""

    def __init__(self, broadcaster: Broadcaster) -> None:
        #: The broadcaster of the same application: presence counts and closes go through it.
        self.broadcaster = broadcaster
        self.process_id = uuid.uuid4().hex
        self._app = None
        self._redis = None
        self._redis_url: str | None = None
        self._channel = "puente"
        self._prefix = "puente"
        self._people: dict[int, Counter] = {}
        self._dirty: set[int] = set()
        #: Meeting -> (highest attendee count at a change since the last sample, when).
        self._highs: dict[int, tuple[int, datetime]] = {}
        self._lock = threading.Lock()
        self.ticker = Ticker("presence", self.tick, 1.0, idle_stop=IDLE_STOP)
        self._since_beat = 0.0
        self._listener = None
        #: Set when Redis failed us; the next successful subscribe sweeps this process.
        self._lost_redis = False
        #: Called after Redis came back (see `sweep.after_outage`).
        self.on_recovered = None
        #: Called with the items of another process's `<channel>:events` message.
        self.on_events = None

    @property
    def interval(self) -> float:
        """Seconds between presence updates; 0 sends every change at once."""
        return self.ticker.interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self.ticker.interval = seconds

    # configuration ----------------------------------------------------------------------

    def init_app(self, app) -> None:
        """Read the intervals and connect to Redis when configured."""
        self._app = app
        testing = bool(app.config.get("TESTING"))
        self.interval = float(app.config.get("PUENTE_PRESENCE_INTERVAL_MS",
                                             0 if testing else 1000)) / 1000
        self._channel = app.config.get("PUENTE_SOCKETIO_CHANNEL", "puente")
        self._prefix = app.config.get("PUENTE_REDIS_PREFIX") or self._channel
        url = app.config.get("REDIS_URL")
        self._redis_url = url
        if url:
            import redis  # optional: only with REDIS_URL

            self._redis = redis.Redis.from_url(url, socket_connect_timeout=5,
                                               decode_responses=True)
        with self._lock:
            self._people.clear()
            self._dirty.clear()
            self._highs.clear()

    @property
    def control_channel(self) -> str:
        """The Redis channel for closing sockets on every process."""
        return f"{self._channel}:control"

    @property
    def events_channel(self) -> str:
        """The Redis channel that carries logged events to other processes."""
        return f"{self._channel}:events"

    def share_events(self, items: list) -> None:
        """Publish logged events committed here to the other processes."""
        if self._redis is None:
            return
        try:
            self._redis.publish(self.events_channel,
                                json.dumps({"p": self.process_id, "e": items}))
        except Exception:
            logger.warning("presence: could not publish events; the log poll delivers them")
            self._lost_redis = True

    def _key(self, meeting_id: int, process_id: str | None = None) -> str:
        return f"{self._prefix}:presence:{meeting_id}:{process_id or self.process_id}"

    def _procs_key(self, meeting_id: int) -> str:
        return f"{self._prefix}:presence:{meeting_id}:procs"

    # counting ---------------------------------------------------------------------------

    def arrived(self, participant: Participant) -> None:
        """Count a new socket of this person in its meeting."""
        self._ensure_listener()
        self._change(participant, +1)

    def left(self, participant: Participant) -> None:
        """Stop counting a closed socket."""
        self._change(participant, -1)

    def _change(self, participant: Participant, delta: int) -> None:
        key = person_key(participant)
        if key is None:
            return
        meeting_id = participant.meeting_id
        with self._lock:
            people = self._people.setdefault(meeting_id, Counter())
            before = len(people)
            people[key] += delta
            if people[key] <= 0:
                del people[key]
            if len(people) == before:
                return  # another tab of someone already counted
            self._dirty.add(meeting_id)
        self._send_soon()

    def _local(self, meeting_id: int) -> set[str]:
        with self._lock:
            return set(self._people.get(meeting_id, ()))

    def _publish_local(self, meeting_id: int) -> None:
        people = self._local(meeting_id)
        key = self._key(meeting_id)
        pipe = self._redis.pipeline()
        pipe.delete(key)
        if people:
            pipe.sadd(key, *people)
            pipe.expire(key, KEY_TTL)
        pipe.sadd(self._procs_key(meeting_id), self.process_id)
        pipe.expire(self._procs_key(meeting_id), KEY_TTL)
        pipe.execute()

    def _everyone(self, meeting_id: int) -> set[str]:
        """The person keys connected to the meeting (over every process when Redis is used)."""
        if self._redis is None:
            return self._local(meeting_id)
        try:
            procs = self._redis.smembers(self._procs_key(meeting_id))
            keys = [self._key(meeting_id, proc) for proc in procs]
            everyone = self._redis.sunion(keys) if keys else set()
            return set(everyone) | self._local(meeting_id)
        except Exception:
            logger.exception("presence: Redis unavailable, counting this process only")
            return self._local(meeting_id)

    def online(self, meeting_id: int) -> int:
        """People connected to the meeting (over every process when Redis is used)."""
        return len(self._everyone(meeting_id))

    def attendees_online(self, meeting_id: int) -> int:
        """Attendees connected to the meeting, as `online` counts them but without staff and
        interpreters: what the presence history samples."""
        return attendee_count(self._everyone(meeting_id))

    def meetings(self) -> set[int]:
        """Meetings with people connected to this process."""
        with self._lock:
            return {meeting_id for meeting_id, people in self._people.items() if people}

    def take_highs(self) -> dict[int, tuple[int, datetime]]:
        """The highest attendee count each meeting reached at a change since the last call,
        with when (naive UTC); forgets them. Counts changes between two presence samples."""
        with self._lock:
            highs, self._highs = self._highs, {}
        return highs

    def _note_high(self, meeting_id: int, attendees: int) -> None:
        with self._lock:
            known = self._highs.get(meeting_id)
            if known is None or attendees > known[0]:
                self._highs[meeting_id] = (attendees, utcnow())

    def flush(self) -> int:
        """Send the count of every meeting that changed; returns how many were sent."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
        for meeting_id in dirty:
            if self._redis is not None:
                try:
                    self._publish_local(meeting_id)
                except Exception:
                    logger.exception("presence: could not write to Redis")
            everyone = self._everyone(meeting_id)
            self._note_high(meeting_id, attendee_count(everyone))
            self.broadcaster.publish(log.DomainEvent(meeting_id, PRESENCE_EVENT,
                                            {"online": len(everyone)}))
        return len(dirty)

    def _heartbeat(self) -> None:
        if self._redis is None:
            return
        with self._lock:
            meetings = [m for m, people in self._people.items() if people]
        for meeting_id in meetings:
            try:
                self._publish_local(meeting_id)
            except Exception:
                logger.exception("presence: heartbeat failed")

    def _send_soon(self) -> None:
        """Send changed counts at the next tick, or now without an interval."""
        if self.interval <= 0:
            self.flush()
        else:
            self.ticker.start()

    def tick(self) -> bool:
        """Send changed counts and, every `HEARTBEAT`, refresh this process's Redis keys.

        Busy (the ticker keeps running) while it sends, or while Redis keys need refreshing.
        """
        sent = self.flush()
        self._since_beat += self.interval
        if self._since_beat >= HEARTBEAT:
            self._since_beat = 0.0
            self._heartbeat()
        with self._lock:
            anyone = any(self._people.values())
        return bool(sent) or (anyone and self._redis is not None)

    # revocation -------------------------------------------------------------------------

    def publish_close(self, room: str) -> bool:
        """Ask every process (this one included) to close its sockets in `room`.

        Returns False without Redis: then only this process has sockets to close.
        """
        if self._redis is None:
            return False
        try:
            self._redis.publish(self.control_channel, json.dumps({"close": room}))
        except Exception:
            logger.warning("presence: could not publish a revocation; swept when Redis is back")
            self._lost_redis = True
            return False
        return True

    def _ensure_listener(self) -> None:
        if self._redis is None or self._listener is not None:
            return
        with self._lock:
            if self._listener is None:
                self._listener = socketio.start_background_task(self._listen, self._redis)

    def _listen(self, client) -> None:
        while self._redis is client:
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.control_channel, self.events_channel)
                if self._lost_redis:
                    self._lost_redis = False
                    self._recovered()
                for message in pubsub.listen():
                    if self._redis is not client:
                        return
                    if message.get("channel") == self.events_channel:
                        self._handle_events(message.get("data"))
                    else:
                        self._handle_control(message.get("data"))
            except Exception as error:
                if not self._lost_redis:
                    logger.warning("presence: Redis lost (%s), retrying every second", error)
                self._lost_redis = True
                socketio.sleep(1)

    def _recovered(self) -> None:
        logger.warning("presence: Redis is back; sweeping this process's sockets")
        if self.on_recovered is not None:
            try:
                self.on_recovered()
            except Exception:
                logger.exception("presence: sweep after the Redis outage failed")
        with self._lock:
            self._dirty.update(m for m, people in self._people.items() if people)
        self._send_soon()

    def _handle_events(self, data) -> None:
        try:
            message = json.loads(data)
        except (TypeError, ValueError):
            return
        if not isinstance(message, dict) or message.get("p") == self.process_id:
            return
        items = message.get("e")
        if isinstance(items, list) and self.on_events is not None:
            self.on_events(items)

    def _handle_control(self, data) -> None:
        try:
            message = json.loads(data)
        except (TypeError, ValueError):
            return
        room = message.get("close") if isinstance(message, dict) else None
        if isinstance(room, str) and _CLOSABLE_ROOM.match(room):
            self.broadcaster.close_room(room)


#: The presence of the application in context.
presence: Presence = LocalProxy(lambda: state.current().presence)


def snapshot(participant: Participant, _meeting: object = None) -> dict:
    """The presence part of a `join` snapshot: people online."""
    return {"online": state.current().presence.online(participant.meeting_id)}


def init_app(app) -> None:
    """Set up presence for this application, next to its broadcaster."""
    live = state.of(app)
    live.presence = Presence(live.broadcaster)
    live.presence.init_app(app)
    live.presence.on_events = live.broadcaster.receive
    live.broadcaster.share = live.presence.share_events if app.config.get("REDIS_URL") else None
    snapshots.provide("presence", snapshot)
    snapshots.provide_figures("presence", snapshot)
