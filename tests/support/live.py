"""Live events as tests see them: batches unpacked, committed domain events recorded, and
conditions waited for instead of slept.

The broadcaster sends several events for one room in one tick as a single `batch` event whose
argument is `[[type, data], ...]` (webapp/realtime/broadcaster.py); a lone event keeps its own
name. The browser unpacks batches in static/js/live/connection.js; tests do it with `unbatch`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

import pytest

from webapp.realtime.broadcaster import BATCH_EVENT


def unbatch(events: Iterable) -> list:
    """Single events from what a client received, in order of arrival.

    Takes Flask-SocketIO test-client messages (`{"name", "args", "namespace"}`) or
    `(type, data)` pairs as a python-socketio `*` handler sees them, and keeps the shape.
    """
    single: list = []
    for event in events:
        if isinstance(event, dict):
            if event["name"] == BATCH_EVENT:
                namespace = event.get("namespace", "/")
                single += [{"name": kind, "args": [data], "namespace": namespace}
                           for kind, data in event["args"][0]]
            else:
                single.append(event)
        else:
            name, data = event
            if name == BATCH_EVENT:
                single += [(kind, payload) for kind, payload in data]
            else:
                single.append((name, data))
    return single


def wait_for(condition: Callable, timeout: float = 10.0, interval: float = 0.02,
             message: str | Callable[[], str] | None = None):
    """Poll `condition` until it returns something truthy, and return that.

    Fails after `timeout` seconds with `message` (a string, or a callable for details only
    known at the end, e.g. what did arrive).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            detail = message() if callable(message) else message
            what = detail or getattr(condition, "__name__", "the condition")
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Received:
    """What Socket.IO test clients have received, batches unpacked.

    Every call drains the client's queue, as `get_received()` does.
    """

    def __call__(self, sio, name: str | None = None) -> list[dict]:
        """Messages received since the last call, optionally only those named `name`."""
        return [m for m in unbatch(sio.get_received()) if name is None or m["name"] == name]

    def of(self, sio, name: str) -> list:
        """The payloads of the `name` events received since the last call."""
        return [m["args"][0] for m in self(sio, name)]

    def until(self, sio, name: str, condition: Callable[[list], object],
              timeout: float = 10.0) -> list:
        """Payloads of `name` collected until `condition(payloads)` holds."""
        collected: list = []

        def enough():
            collected.extend(self.of(sio, name))
            return condition(collected)

        wait_for(enough, timeout, message=lambda: f"{name} events; got {collected!r}"[:2000])
        return collected


class Events(list):
    """Committed domain events, in order, as the broadcaster receives them."""

    def __call__(self, event) -> None:
        self.append(event)

    def of(self, type_: str) -> list:
        return [e for e in self if e.type == type_]


@pytest.fixture
def events():
    """Every domain event committed while the test runs (webapp/realtime/log.py)."""
    from webapp.realtime import log

    sink = Events()
    log.subscribe(sink)
    yield sink
    log.unsubscribe(sink)


@pytest.fixture
def received() -> Received:
    """Read Socket.IO test clients' events: `received(sio, name)`, `received.of(sio, name)`."""
    return Received()
