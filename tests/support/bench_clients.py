"""python-socketio clients that understand Puente's `batch` frames, for real-server tiers.

The broadcaster may pack several events for one room into `batch [[type, data], ...]`;
`unpack_batches(client)` makes a client hand each pair to its own handlers, as
static/js/live/connection.js does in the browser. `Recorder` keeps every event in order.
"""

from __future__ import annotations

import threading
import time

import socketio


def unpack_batches(client: socketio.Client, namespace: str = "/") -> socketio.Client:
    def on_batch(items):
        handlers = client.handlers.get(namespace, {})
        for event_type, data in items:
            handler = handlers.get(event_type) or handlers.get("*")
            if handler is None:
                continue
            if handlers.get(event_type) is None:
                handler(event_type, data)
            else:
                handler(data)

    client.on("batch", on_batch, namespace=namespace)
    return client


class Recorder:
    """Collect every event a client receives (batches unpacked), and wait for some."""

    def __init__(self, client: socketio.Client):
        self.client = client
        self.events: list[tuple[str, object]] = []
        self._changed = threading.Condition()
        client.on("*", self._record)
        unpack_batches(client)

    def _record(self, event_type, data=None):
        with self._changed:
            self.events.append((event_type, data))
            self._changed.notify_all()

    def of(self, event_type: str) -> list:
        with self._changed:
            return [data for kind, data in self.events if kind == event_type]

    def seqs(self) -> list[int]:
        """The `seq` of every event that carries one, in order of arrival."""
        with self._changed:
            return [data["seq"] for _kind, data in self.events
                    if isinstance(data, dict) and "seq" in data]

    def wait_for(self, predicate, timeout: float = 10.0) -> bool:
        """Wait until `predicate(self)` holds; False when the time runs out."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._changed.wait(remaining)
        return True
