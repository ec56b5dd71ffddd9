"""Coalesced ephemeral broadcasts: a few per second per meeting, not one per click.

Votes and reactions are stored one by one; the service marks the object dirty here once its
transaction commits (`mark_after_commit`, the way `log.announce` queues events), so no
adapter has to remember it and a rolled-back change marks nothing. A `ticker.Ticker` of
this process wakes every interval, and `send(meeting_id, ids)` reads the current figures
from the database and queues one event per meeting. Reading at flush time means the last
broadcast always carries the final figure, whichever process counted which click.
Figures carry a version (see qa/tally.py, board/services.py) because two processes' last
broadcasts can arrive in either order; clients keep the highest version.

After a Redis outage a process cannot know which counts its clients missed, so
`resend_everything` asks every coalescer that can list its objects (`everything`) to send all
of them again (live/sweep.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.realtime import state
from webapp.realtime.ticker import Ticker

logger = logging.getLogger(__name__)

#: The task ends after this long without work; the next mark starts it again.
IDLE_STOP = 30.0

#: Session key of the marks waiting for their transaction to commit.
_AFTER_COMMIT_KEY = "puente_coalescer_marks"

#: Every coalescer, so the realtime layer can ask them all to send again without importing them.
_every: list[Coalescer] = []


def resend_everything(meeting_ids: Iterable[int]) -> None:
    """Mark every object of these meetings dirty in each coalescer (needs an app context)."""
    for coalescer in list(_every):
        if coalescer.everything is None:
            continue
        for meeting_id in meeting_ids:
            ids = coalescer.everything(meeting_id)
            if ids:
                coalescer.mark(meeting_id, ids)


class Coalescer:
    """A declared coalescer: what it sends and which setting paces it (module-level, fixed at
    import). Its dirty objects and its loop belong to each application (`CoalescerRun`)."""

    def __init__(self, name: str, send: Callable[[int, set[int]], None], *, setting: str,
                 default_ms: int = 300, testing_ms: int | None = None,
                 everything: Callable[[int], list[int]] | None = None) -> None:
        self.name = name
        self.everything = everything
        _every.append(self)
        self.send = send
        self._setting = setting
        self._default_ms = default_ms
        self._testing_ms = default_ms if testing_ms is None else testing_ms

    def init_app(self, app) -> None:
        """Give this application its own run of this coalescer, paced by its settings."""
        default = self._testing_ms if app.config.get("TESTING") else self._default_ms
        interval = int(app.config.get(self._setting, default)) / 1000
        state.of(app).coalescers[self.name] = CoalescerRun(self, app, interval)

    def run(self) -> CoalescerRun:
        """This coalescer's run in the application in context."""
        return state.current().coalescers[self.name]

    @property
    def interval(self) -> float:
        """Seconds between flushes in the application in context; 0 sends at every mark."""
        return self.run().interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self.run().interval = seconds

    def mark(self, meeting_id: int, ids) -> None:
        """Note that these objects' figures changed (application in context)."""
        self.run().mark(meeting_id, ids)

    def mark_after_commit(self, meeting_id: int, ids) -> None:
        """Mark these objects once the current transaction commits; dropped on rollback.

        Marking after commit means the flush reads figures that include this change.
        """
        marks = db.session().info.setdefault(_AFTER_COMMIT_KEY, [])
        marks.append((self, meeting_id, list(ids)))

    def pending(self) -> dict[int, set[int]]:
        """A copy of what waits to be sent (for tests and diagnostics)."""
        return self.run().pending()

    def flush(self) -> int:
        """Send the current figures of everything dirty; returns how many meetings."""
        return self.run().flush()


class CoalescerRun:
    """One application's dirty objects of a coalescer, sent every interval by its ticker."""

    def __init__(self, declared: Coalescer, app, interval: float) -> None:
        self.declared = declared
        self.app = app
        self._dirty: dict[int, set[int]] = {}
        self._lock = threading.Lock()
        self.ticker = Ticker(declared.name, self.flush, interval, idle_stop=IDLE_STOP)

    @property
    def interval(self) -> float:
        """Seconds between flushes; 0 sends at every mark."""
        return self.ticker.interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self.ticker.interval = seconds

    def mark(self, meeting_id: int, ids) -> None:
        """Note that these objects' figures changed; with no interval, send at once."""
        self._merge({meeting_id: ids})
        if self.interval <= 0:
            self.flush()
        else:
            self.ticker.start()

    def pending(self) -> dict[int, set[int]]:
        """A copy of what waits to be sent."""
        with self._lock:
            return {meeting: set(ids) for meeting, ids in self._dirty.items()}

    def flush(self) -> int:
        """Send the current figures of everything dirty; returns how many meetings."""
        with self._lock:
            dirty, self._dirty = self._dirty, {}
        if not dirty:
            return 0
        with self.app.app_context():
            try:
                for meeting_id, ids in dirty.items():
                    self.declared.send(meeting_id, ids)
                db.session.commit()  # ephemeral events go out after commit
            except SQLAlchemyTimeoutError:
                # The pool was empty (a crowd arriving): nothing went out, the next tick tries
                # again. Other failures are not retried: a batch that cannot go stays dropped.
                db.session.rollback()
                self._merge(dirty)
                raise
            except Exception:
                db.session.rollback()
                raise
            finally:
                db.session.remove()
        return len(dirty)

    def _merge(self, dirty) -> None:
        """Add `{meeting id: object ids}` to what waits to be sent."""
        with self._lock:
            for meeting_id, ids in dirty.items():
                self._dirty.setdefault(meeting_id, set()).update(ids)


@event.listens_for(Session, "after_commit")
def _mark_after_commit(session: Session) -> None:
    for coalescer, meeting_id, ids in session.info.pop(_AFTER_COMMIT_KEY, []):
        coalescer.mark(meeting_id, ids)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT_KEY, None)
