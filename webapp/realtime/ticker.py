"""One background loop for every periodic job of a process: flushes, counts, polls, sweeps.

A `Ticker` calls its `tick` every `interval` seconds in a background task started through the
Socket.IO server's own API (`start_background_task`, `sleep`), so the same code runs under
eventlet, gevent and threading. A tick that raises is logged and the next one runs anyway. A
ticker with an `idle_stop` ends after that many seconds of ticks that found nothing to do and
starts again at the next `start()`; `stop()` ends it at its next wake-up (a replaced
application, tests, shutdown).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from webapp.extensions import socketio

logger = logging.getLogger(__name__)


class Ticker:
    """Run `tick()` every `interval` seconds; `tick` returns whether it found work."""

    def __init__(self, name: str, tick: Callable[[], object], interval: float, *,
                 idle_stop: float | None = None, app=None, runner=None) -> None:
        self.name = name
        self.interval = interval
        self.idle_stop = idle_stop
        self._tick = tick
        self._app = app
        self._runner = runner
        self._lock = threading.Lock()
        #: The running loop's identity; a loop whose token is no longer this one ends.
        self._token: object | None = None
        #: Set by `start()`: work arrived, so an idle loop must not end now.
        self._poked = False

    @property
    def running(self) -> bool:
        """Whether a loop is running (or about to end at its next wake-up)."""
        return self._token is not None

    def start(self) -> None:
        """Make sure a loop runs: start one, or keep the running one from ending idle."""
        with self._lock:
            self._poked = True
            if self._token is not None:
                return
            token = self._token = object()
        self._async().start_background_task(self._run, token)

    def stop(self) -> None:
        """End the loop at its next wake-up; a later `start()` begins a new one."""
        with self._lock:
            self._token = None

    def _async(self):
        """The Socket.IO server's task API (`runner`), else the Flask-SocketIO extension's."""
        return self._runner if self._runner is not None else socketio

    def run_once(self) -> bool:
        """One tick, inside the application's context when there is one; never raises."""
        try:
            if self._app is None:
                return bool(self._tick())
            with self._app.app_context():
                return bool(self._tick())
        except Exception:  # one broken tick must not stop every later one
            logger.exception("%s: tick failed", self.name)
            return False

    def _run(self, token: object) -> None:
        idle = 0.0
        runner = self._async()
        while self._token is token:
            runner.sleep(self.interval)
            if self._token is not token:
                return
            with self._lock:
                poked, self._poked = self._poked, False
            busy = self.run_once()
            idle = 0.0 if busy or poked else idle + self.interval
            if self.idle_stop is not None and idle >= self.idle_stop:
                with self._lock:
                    if self._token is token and not self._poked:
                        self._token = None
                        return
