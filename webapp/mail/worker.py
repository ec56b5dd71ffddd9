"""The mail worker of an application: run the registered producers, then send what is due.

Started by `puente serve` next to the process's other background tasks. It wakes when a
transaction of this process that queued mail commits, and otherwise polls, so mail queued by
another process (or waiting for its back-off) is picked up too. Tests call `run_pending()`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.core.timeutil import utcnow
from webapp.extensions import db, socketio
from webapp.mail import store

logger = logging.getLogger(__name__)
#: Callables `(now) -> None` run before each delivery pass (e.g. turning requests into mail).
_producers: list[Callable[[datetime], None]] = []


def produce(callback: Callable[[datetime], None]) -> Callable[[datetime], None]:
    """Register work the worker does before sending (lower layers cannot import it)."""
    if callback not in _producers:
        _producers.append(callback)
    return callback


def run_pending(now: datetime | None = None) -> int:
    """One pass: producers, then every due mail. Returns how many mails were sent."""
    now = now or utcnow()
    for callback in list(_producers):
        try:
            callback(now)
        except Exception:
            db.session.rollback()
            raise
    return store.deliver_due(max(now, utcnow()))  # including what the producers just queued


class MailWorker:
    """Sends one application's queued mails in the background, so a request never waits."""
    def __init__(self) -> None:
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._running = False
        self._task = None

    def start(self, app) -> None:
        """Run in the background of this process until `stop()`."""
        if self._running:
            return
        self._running = True
        self._stopped.clear()
        self._task = socketio.start_background_task(self._run, app)

    def stop(self, wait: float = 0.0) -> bool:
        """End the loop after its current pass; with `wait`, give that pass up to `wait`
        seconds to finish. Returns whether the loop has ended (a mail being sent when the
        process stops is sent again later: the queue is the database)."""
        self._running = False
        self._wake.set()
        if self._task is None:
            return True
        return self._stopped.wait(wait) if wait > 0 else self._stopped.is_set()

    def wake(self) -> None:
        """Send soon: a mail was just queued."""
        self._wake.set()

    def _run(self, app) -> None:
        try:
            self._loop(app)
        finally:
            self._stopped.set()

    def _loop(self, app) -> None:
        interval = float(app.config.get("PUENTE_MAIL_POLL_SECONDS", 5))
        while self._running:
            self._wake.clear()
            with app.app_context():
                try:
                    run_pending()
                except Exception:  # e.g. the database is down: try again at the next tick
                    logger.exception("mail worker pass failed")
                finally:
                    db.session.remove()
            self._wake.wait(interval)


def worker_of(app) -> MailWorker:
    """The mail worker of `app` (each application sends its own queue)."""
    return app.extensions.setdefault("puente_mail_worker", MailWorker())


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    if session.info.pop(store.QUEUED_FLAG, False) and has_app_context():
        worker = current_app.extensions.get("puente_mail_worker")
        if worker is not None:
            worker.wake()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(store.QUEUED_FLAG, None)
