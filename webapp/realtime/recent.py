"""The most recent logged events of each meeting this process serves, for short replays.

A client that rejoins after a short gap needs the few events it missed; thousands of clients
rejoining at once (a network blip, a restart) would otherwise each read them from
`meeting_events`. The broadcaster already sees every logged event of the meetings it serves,
in `seq` order, so it keeps the last ones here as it delivers them (`extend`), and
`log.events_since` answers from a window that covers the whole gap.

**What a window holds.** Per meeting, the events with `seq` in `(low, high]`, every one of
them, oldest first. Contiguity is built in rather than trusted: an event whose `seq` is not
`high + 1` starts the window again at that event, so whatever the broadcaster skipped (a
cursor moved up on `watch`, events pruned from the log, a meeting without sockets here) can
never look covered. `start(meeting, seq)` opens an empty window at the broadcaster's cursor
(`(seq, seq]`: nothing claimed); on a meeting's first `watch` the broadcaster then fills it
backwards with the meeting's last events read from the log (`warm`: one read per meeting and
process, kept only as far back as it is contiguous), so after a restart the clients that
missed a few events rejoin from memory too. Otherwise only delivered events enter, and the
broadcaster only receives events after their transaction committed, so a rolled-back write
never does.

**Serving.** `log.events_since` reads the meeting's counters row first (`last_seq`,
`pruned_seq`), then asks `since(...)` here; the window answers only when it covers every
`seq` in `(after_seq, last_seq]`, otherwise the caller reads the database as before (events
committed by another process and not yet received here, Redis slow, a window that starts
too late). An erasure (`log.forget`) deletes events at or below the meeting's `pruned_seq`
and a replay is only served when `after_seq >= pruned_seq`, so an erased event is never
served, whichever process erased it. `forget_through` also drops such events from memory:
right after an erasure committed in this process, and at the next replay that reads the
higher `pruned_seq` when another process erased them.

**Bounds.** At most `limit` events per meeting (`PUENTE_REPLAY_LIMIT`, 500: a longer gap gets
a snapshot anyway); the window of a meeting goes when the broadcaster sees it has no socket
here any more. An entry is a slotted record and its own copy of the payload: measured with
tracemalloc, a `question_published` event (584 bytes of JSON) is about 2.5 KB as Python
objects, so a full window is about 1.3 MB per meeting served by this process.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from itertools import islice

from webapp.realtime.models import Audience

_ROOM = re.compile(r"^(?:meeting:([0-9]+)(?::(staff|interpreters))?|registration:([0-9]+)"
                   r"|presenter:([0-9]+))$")
_SUFFIX = {None: Audience.EVERYONE, "staff": Audience.STAFF,
           "interpreters": Audience.INTERPRETERS}


@dataclass(frozen=True, slots=True)
class RecentEvent:
    """One logged event as a replay needs it (`catch_up` reads `type`, `payload`, `seq`)."""

    seq: int
    type: str
    payload: dict
    audience: Audience
    registration_id: int | None = None


def audience_of(room: str) -> tuple[Audience, int | None] | None:
    """The audience (and registration) a broadcaster room stands for; None if unknown."""
    match = _ROOM.match(room) if isinstance(room, str) else None
    if match is None:
        return None
    if match.group(3) is not None:
        return Audience.PARTICIPANT, int(match.group(3))
    if match.group(4) is not None:
        return Audience.PRESENTER, None
    return _SUFFIX[match.group(2)], None


def from_item(item: list) -> RecentEvent | None:
    """A broadcaster item `[seq, room, type, data]` as a recent event (data without `seq`).

    The payload is copied through JSON, as the log stores it: nothing that later changes the
    dicts handed to the broadcaster reaches a replay, and a replay from memory carries exactly
    what one from the database would (lists for tuples, string keys)."""
    seq, room, type_, data = item
    audience = audience_of(room)
    if seq is None or audience is None or not isinstance(data, dict):
        return None
    try:
        payload = json.loads(json.dumps({k: v for k, v in data.items() if k != "seq"}))
    except (TypeError, ValueError):
        return None  # not storable: left out, so the window starts again after it
    return RecentEvent(int(seq), type_, payload, audience[0], audience[1])


def visible(event: RecentEvent, *, staff: bool, interpreter: bool,
            registration_id: int | None) -> bool:
    """Whether a participant may see `event`: the rule of the log's replay query."""
    if event.audience == Audience.EVERYONE:
        return True
    if event.audience == Audience.STAFF:
        return staff
    if event.audience == Audience.INTERPRETERS:
        return interpreter and not staff
    if event.audience == Audience.PARTICIPANT:
        return registration_id is not None and event.registration_id == registration_id
    return False


class _Window:
    __slots__ = ("events", "high")

    def __init__(self, high: int, limit: int) -> None:
        self.high = high
        self.events: deque[RecentEvent] = deque(maxlen=limit)

    @property
    def low(self) -> int:
        return self.high - len(self.events)


class RecentEvents:
    """Per meeting, the last `limit` events delivered here, contiguous by `seq`."""

    def __init__(self, limit: int = 500) -> None:
        self.limit = max(int(limit), 0)
        self._windows: dict[int, _Window] = {}
        self._lock = threading.Lock()

    def configure(self, limit: int) -> None:
        """Set the size of each window; forgets every window."""
        with self._lock:
            self.limit = max(int(limit), 0)
            self._windows.clear()

    def meetings(self) -> list[int]:
        """The meetings with a window."""
        with self._lock:
            return list(self._windows)

    def covered(self, meeting_id: int) -> tuple[int, int] | None:
        """`(low, high)`: the window holds every event with `seq` in `(low, high]`."""
        with self._lock:
            window = self._windows.get(meeting_id)
            return (window.low, window.high) if window is not None else None

    def start(self, meeting_id: int, seq: int) -> None:
        """The broadcaster's cursor of a meeting is `seq`: keep the window if it ends there,
        else open an empty one there."""
        if self.limit <= 0:
            return
        with self._lock:
            window = self._windows.get(meeting_id)
            if window is None or window.high != seq:
                self._windows[meeting_id] = _Window(seq, self.limit)

    def extend(self, meeting_id: int, items: list) -> None:
        """Events the broadcaster delivered, in `seq` order (`[seq, room, type, data]`)."""
        if self.limit <= 0 or not items:
            return
        events = [event for event in map(from_item, items) if event is not None]
        with self._lock:
            window = self._windows.get(meeting_id)
            for event in events:
                if window is not None and event.seq <= window.high:
                    continue  # already here
                if window is None or event.seq != window.high + 1:
                    window = self._windows[meeting_id] = _Window(event.seq - 1, self.limit)
                window.events.append(event)
                window.high = event.seq

    def warm(self, meeting_id: int, items: list) -> int:
        """Older events read from the log (`[seq, room, type, data]`, oldest first), put in
        front of the window: the run that leads up to its first `seq` without a gap, as much
        as fits. Returns how many went in."""
        events = [event for event in map(from_item, items) if event is not None]
        with self._lock:
            window = self._windows.get(meeting_id)
            if window is None:
                return 0
            room = (window.events.maxlen or 0) - len(window.events)
            taken = 0
            for event in reversed(events):
                if event.seq > window.low:
                    continue  # already held
                if taken >= room or event.seq != window.low:
                    break  # full, or a gap (an erased event): nothing older is contiguous
                window.events.appendleft(event)
                taken += 1
            return taken

    def drop(self, meeting_id: int) -> None:
        """Forget a meeting's window (no socket of it here any more)."""
        with self._lock:
            self._windows.pop(meeting_id, None)

    def forget_through(self, meeting_id: int, pruned_seq: int) -> None:
        """Drop the events at or below `pruned_seq` (erased from the log, never served)."""
        with self._lock:
            window = self._windows.get(meeting_id)
            if window is None:
                return
            while window.events and window.events[0].seq <= pruned_seq:
                window.events.popleft()

    def since(self, meeting_id: int, after_seq: int, last_seq: int, *, staff: bool,
              interpreter: bool, registration_id: int | None) -> list[RecentEvent] | None:
        """The visible events after `after_seq`, oldest first, when this window holds every
        `seq` in `(after_seq, last_seq]`; None when it does not (read the database)."""
        with self._lock:
            window = self._windows.get(meeting_id)
            if window is None or not window.low <= after_seq or window.high < last_seq:
                return None
            skip = after_seq - window.low
            events = list(islice(window.events, skip, None))
        return [event for event in events if visible(
            event, staff=staff, interpreter=interpreter, registration_id=registration_id)]
