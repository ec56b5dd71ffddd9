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
    def turn(self, wait: float | None = None):
        """Hold one turn for the `with` block; raises `NoTurn` when none came in time.

        `wait`: a shorter wait than the usual, for an event whose answer is useless later
        (a connect past its deadline); 0 or less takes a free turn or none."""
        if self._slots is None:
            yield
            return
        patience = self.wait if wait is None else max(0.0, min(wait, self.wait))
        if not self._slots.acquire(timeout=patience):
            raise NoTurn
        try:
            yield
        finally:
            self._slots.release()
