"""Machine translation in the background: asking a question never waits for the translator.

`suggest_later` queues a job and returns at once; a few background tasks of the application
(started through the Socket.IO server's task API, like the mail worker, so the same code runs
under eventlet, gevent and threading) ask the server and call `deliver(language, text)` in an
application context for each suggestion received. They end after a while without work and
start again with the next job. Without `TRANSLATE_URL` nothing is queued.

Wiring a domain (for example the Q&A's stored translations) takes one registration and one
call, both from the domain's own package, since this package imports no domain::

    # qa/machine.py, imported by app.py
    @machine_translation.delivers("question")
    def _store(question_id, language, text):
        translation_services.set_translation(question_id, language, text, machine=True)

    # in qa.services.ask, inside its transaction
    machine_translation.suggest_after_commit("question", question.id, text,
                                             source=language, targets=meeting_languages)

The request is sent only if that transaction commits; a rollback forgets it. A deliverer runs
in its own application context: it commits its own writes.
"""

from __future__ import annotations

import functools
import logging
import queue
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.extensions import db, socketio
from webapp.machine_translation.client import DEFAULT_TIMEOUT, LibreTranslate

logger = logging.getLogger(__name__)

#: Background tasks per application asking the server at once.
WORKERS = 2
#: Jobs waiting at most; past it a suggestion is dropped (logged) rather than held in memory.
QUEUE_LIMIT = 1000
#: Seconds a background task waits for a job before it ends.
IDLE_SECONDS = 30.0
#: `db.session.info` key of the suggestions asked for in the open transaction.
PENDING = "puente_machine_translation"
EXTENSION = "puente_machine_translation"

#: Deliverers by kind: `callback(key, language, text)`; registered at import by domains.
_deliverers: dict[str, Callable[[object, str, str], None]] = {}


@dataclass(frozen=True)
class _Job:
    text: str
    source: str
    targets: tuple[str, ...]
    deliver: Callable[[str, str], None]


class SuggestionRunner:
    """One application's queue of translation jobs and the tasks working through it."""

    def __init__(self, app, client: LibreTranslate, *, workers: int = WORKERS,
                 queue_limit: int = QUEUE_LIMIT, idle_seconds: float = IDLE_SECONDS) -> None:
        self.app = app
        self.client = client
        self.workers = workers
        self.idle_seconds = idle_seconds
        self._jobs: queue.Queue[_Job] = queue.Queue(queue_limit)
        self._lock = threading.Lock()
        self._running = 0

    def submit(self, job: _Job) -> bool:
        """Queue `job` without waiting; False (logged) when the queue is full."""
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            logger.warning("machine translation: queue full, suggestion dropped")
            return False
        with self._lock:
            start = self._running < self.workers
            if start:
                self._running += 1
        if start:
            socketio.start_background_task(self._work)
        return True

    def _work(self) -> None:
        try:
            while True:
                try:
                    job = self._jobs.get(timeout=self.idle_seconds)
                except queue.Empty:
                    with self._lock:
                        if self._jobs.empty():
                            self._running -= 1
                            return
                    continue
                self._run(job)
        except BaseException:
            with self._lock:
                self._running -= 1
            raise

    def _run(self, job: _Job) -> None:
        for target in job.targets:
            try:
                text = self.client.translate(job.text, job.source, target)
            except Exception:  # the client never raises; a bug there must not end the task
                logger.exception("machine translation %s->%s failed", job.source, target)
                continue
            if text is None:
                continue
            with self.app.app_context():
                try:
                    job.deliver(target, text)
                except Exception:
                    logger.exception("machine translation: delivering %s failed", target)
                    db.session.rollback()
                finally:
                    db.session.remove()


def runner_of(app) -> SuggestionRunner | None:
    """The runner of `app`, or None without `TRANSLATE_URL` (machine translation is off)."""
    url = app.config.get("TRANSLATE_URL")
    if not url:
        return None
    runner = app.extensions.get(EXTENSION)
    if runner is None:
        client = LibreTranslate(url, app.config.get("TRANSLATE_API_KEY"),
                                float(app.config.get("TRANSLATE_TIMEOUT", DEFAULT_TIMEOUT)))
        runner = app.extensions.setdefault(EXTENSION, SuggestionRunner(app, client))
    return runner


def suggest_later(app, text: str, source: str, targets: Iterable[str],
                  deliver: Callable[[str, str], None]) -> bool:
    """Ask for `text` (in Puente language `source`) in each of `targets`, in the background.

    Returns at once, whether the server is slow, down or absent; `deliver(language, text)` is
    called later in an application context for each suggestion received. Returns whether the
    job was queued (False without `TRANSLATE_URL`, or when the queue is full).
    """
    runner = runner_of(app)
    wanted = tuple(dict.fromkeys(t for t in targets if t != source))
    if runner is None or not wanted or not text.strip():
        return False
    return runner.submit(_Job(text, source, wanted, deliver))


def delivers(kind: str):
    """Register `callback(key, language, text)` for the suggestions of `kind` (a decorator)."""
    def register(callback: Callable[[object, str, str], None]):
        _deliverers[kind] = callback
        return callback
    return register


def suggest_after_commit(kind: str, key, text: str, source: str,
                         targets: Iterable[str]) -> None:
    """Ask for suggestions of `text` once the open transaction commits (see the module doc).

    Services call it with their session open; the deliverer registered for `kind` receives
    `(key, language, text)`. Without `TRANSLATE_URL` the commit sends nothing.
    """
    if kind not in _deliverers:
        raise LookupError(f"no machine translation deliverer registered for {kind!r}")
    db.session.info.setdefault(PENDING, []).append((kind, key, text, source, tuple(targets)))


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if not pending or not has_app_context():
        return
    app = current_app._get_current_object()
    for kind, key, text, source, targets in pending:
        suggest_later(app, text, source, targets, functools.partial(_deliverers[kind], key))


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)
