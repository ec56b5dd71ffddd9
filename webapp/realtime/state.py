"""The live state of one application: nothing an application changes is shared with another.

`create_app` builds a `LiveState` and files it under `app.extensions["puente_live"]`: the
broadcaster with its cursors and queues, presence counts, the participant fixed at connect for
each socket, the coalescers' dirty sets, the admission check and the Socket.IO server the
application's `socketio.init_app` built. Code running for a request or a socket event reaches
it through `current()`; background loops hold the objects they work on, so they need no
context. Tests create many applications in one process, each with its own state.

What stays module-level is declared once at import and never changes afterwards: the socket
command registry (`handlers.REGISTRY`), the coalescer declarations, the snapshot providers and
the log's subscribers (`log.subscribe`, the broadcaster's sink, which resolves the current
application's broadcaster when it runs).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app

from webapp.realtime.actor import Actor as Participant
from webapp.realtime.turns import Turns

EXTENSION_KEY = "puente_live"


def _not_checked(_participant: Participant) -> bool:
    return False


@dataclass
class Connections:
    """The participant fixed at connect for every socket of this application."""

    by_sid: dict[str, Participant] = field(default_factory=dict)
    #: sid -> the meeting `seq` after which the socket receives every event live (its rooms
    #: were joined when this process had delivered up to it): a join replays only up to it.
    live_from: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remember(self, sid: str, participant: Participant, live_from: int | None = None) -> None:
        """Note who a socket is, once, at connect, and where its live stream starts."""
        with self.lock:
            self.by_sid[sid] = participant
            if live_from is not None:
                self.live_from[sid] = live_from

    def forget(self, sid: str) -> Participant | None:
        """Drop a closed socket; returns its participant."""
        with self.lock:
            self.live_from.pop(sid, None)
            return self.by_sid.pop(sid, None)

    def get(self, sid: str) -> Participant | None:
        """The participant of a socket, or None."""
        return self.by_sid.get(sid)

    def all(self) -> list[tuple[str, Participant]]:
        """Every socket with its participant."""
        with self.lock:
            return list(self.by_sid.items())


@dataclass
class LiveState:
    """Everything live that belongs to one application."""

    app: object
    server: object = None
    broadcaster: object = None
    presence: object = None
    #: The live adapter's presence history sampler (a `ticker.Ticker`, `live.sweep`).
    sampler: object = None
    connections: Connections = field(default_factory=Connections)
    #: Coalescer name -> its runtime for this application (`coalescer.CoalescerRun`).
    coalescers: dict = field(default_factory=dict)
    #: The attendees' shared snapshot halves (`snapshots.SharedSnapshots`, the live adapter).
    shared_snapshots: object = None
    #: Whether the access fixed at connect still holds (installed by the live adapter).
    still_admitted: Callable[[Participant], bool] = _not_checked
    #: How many socket events work at once (`turns.Turns`, `PUENTE_SOCKET_CONCURRENCY`).
    turns: Turns = field(default_factory=Turns)


def of(app) -> LiveState:
    """The live state of `app`, created on first use."""
    state = app.extensions.get(EXTENSION_KEY)
    if state is None:
        state = app.extensions[EXTENSION_KEY] = LiveState(app)
    return state


def current() -> LiveState:
    """The live state of the application in context."""
    return of(current_app._get_current_object())
