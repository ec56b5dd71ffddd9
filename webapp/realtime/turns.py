"""How many socket events of a process work at once (connects and commands).

Under eventlet a handler that waits for PostgreSQL goes to the back of the run queue. When
thousands of reconnecting sockets are runnable at once, each of its round trips waits for all
of them, so it holds its pooled connection for seconds; the pool runs dry, and the rest of the
crowd waits out the pool's timeout and is answered `busy`, to come back and wait again. With a
few handlers working at a time (`PUENTE_SOCKET_CONCURRENCY`) and the others waiting on a
semaphore, off the run queue, each turn is short and the crowd goes through in order.
"""

from __future__ import annotations

import contextlib
import threading

#: Seconds an event waits for a turn before it is answered `busy` (the page asks again).
TURN_WAIT = 60.0


class NoTurn(Exception):
    """Every turn stayed taken for `wait` seconds: the event is answered `busy`."""


class Turns:
    """At most `size` socket events at work at once; 0 is no limit."""

    def __init__(self, size: int = 0, wait: float = TURN_WAIT) -> None:
        self.size = size
        self.wait = wait
        self._slots = threading.BoundedSemaphore(size) if size else None

    @contextlib.contextmanager
    def turn(self):
        """Hold one turn for the `with` block; raises `NoTurn` when none came in time."""
        if self._slots is None:
            yield
            return
        if not self._slots.acquire(timeout=self.wait):
            raise NoTurn
        try:
            yield
        finally:
            self._slots.release()
