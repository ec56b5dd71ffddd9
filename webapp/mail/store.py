"""The outgoing mail table: queue in the caller's transaction, deliver due rows with back-off.

`queue()` only adds a row to the current session, so the mail is committed (or rolled back)
together with the change that causes it. `deliver_due()` claims due rows so that several
processes never send the same row at once: `FOR UPDATE SKIP LOCKED` on PostgreSQL, and on
both databases a conditional UPDATE that only one claimer wins. A claim moves the row's next
attempt past a lease, so a process that dies mid-send leaves the row to be tried again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select, update

from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.mail.compose import OutgoingMail
from webapp.mail.models import MailStatus, QueuedMail
from webapp.mail.sender import DeliveryError, build_message, deliver, parse

logger = logging.getLogger(__name__)
#: Session flag: this transaction queued mail, so wake the worker after commit.
QUEUED_FLAG = "puente_mail_queued"
#: A claimed row is not claimed again for this long (longer than any SMTP conversation).
LEASE = timedelta(minutes=2)
#: Rows claimed per pass.
BATCH = 50
#: Sent mail holds names and links: it is kept this long (for `puente mail status` and the
#: per-address limits), then deleted.
SENT_KEPT = timedelta(days=7)
#: Callables `(address) -> None` that forget other stored traces of an address with its mail.
_forgetters: list = []


def _setting(name: str, default: float) -> float:
    return float(current_app.config.get(name, default))


def queue(mail: OutgoingMail, *, category: str | None = None) -> QueuedMail:
    """Add `mail` to the current transaction; it is sent after (and only if) it commits."""
    raw = bytes(build_message(mail, current_app.config["MAIL_FROM"]))
    row = QueuedMail(recipient=mail.to.lower(), subject=mail.subject[:1000], message=raw,
                     category=category, status=MailStatus.QUEUED, attempts=0,
                     next_attempt_at=utcnow())
    db.session.add(row)
    wake_after_commit()
    return row


def wake_after_commit() -> None:
    """Have this process's worker run right after the current transaction commits (for
    producers' input, such as link requests, that is not mail yet)."""
    db.session.info[QUEUED_FLAG] = True


def send(mail: OutgoingMail) -> bool:
    """Deliver now for callers that already committed; a failure is queued for retry.

    Returns False when the mail waits in the table for the worker; never raises for delivery.
    """
    raw = bytes(build_message(mail, current_app.config["MAIL_FROM"]))
    try:
        deliver(raw)
    except DeliveryError as error:
        now = utcnow()
        db.session.add(QueuedMail(
            recipient=mail.to.lower(), subject=mail.subject[:1000], message=raw,
            status=MailStatus.QUEUED, attempts=1, last_error=str(error),
            next_attempt_at=now + backoff(1)))
        db.session.info[QUEUED_FLAG] = True
        db.session.commit()
        logger.warning("e-mail to %s not delivered (%s); queued for retry", mail.to, error)
        return False
    return True


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: base × 2^(attempts − 1), at most an hour."""
    base = _setting("PUENTE_MAIL_RETRY_BASE", 30.0)
    return timedelta(seconds=min(3600.0, base * 2 ** max(0, attempts - 1)))


def _due_ids(now: datetime) -> list[int]:
    query = (select(QueuedMail.id)
             .where(QueuedMail.status == MailStatus.QUEUED, QueuedMail.next_attempt_at <= now)
             .order_by(QueuedMail.next_attempt_at, QueuedMail.id).limit(BATCH))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(db.session.scalars(query))


def _claim(now: datetime) -> list[int]:
    """Take due rows for this process: each row is won by exactly one claimer."""
    claimed = []
    try:
        for mail_id in _due_ids(now):
            won = db.session.execute(
                update(QueuedMail)
                .where(QueuedMail.id == mail_id, QueuedMail.status == MailStatus.QUEUED,
                       QueuedMail.next_attempt_at <= now)
                .values(next_attempt_at=now + LEASE, attempts=QueuedMail.attempts + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if won == 1:
                claimed.append(mail_id)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return claimed


def _finish(mail_id: int, error: str | None, now: datetime) -> None:
    row = db.session.get(QueuedMail, mail_id)
    if row is None:  # forgotten while it was being sent
        db.session.rollback()
        return
    if error is None:
        row.status, row.sent_at, row.last_error = MailStatus.SENT, now, None
    else:
        row.last_error = error
        if row.attempts >= int(_setting("PUENTE_MAIL_MAX_ATTEMPTS", 10)):
            row.status = MailStatus.FAILED
        else:
            row.next_attempt_at = now + backoff(row.attempts)
    db.session.commit()


def prune_sent(now: datetime) -> int:
    """Delete sent mails older than the retention time; returns how many."""
    count = db.session.execute(
        delete(QueuedMail).where(QueuedMail.status == MailStatus.SENT,
                                 QueuedMail.sent_at < now - SENT_KEPT)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return count


def deliver_due(now: datetime | None = None) -> int:
    """Send every due row once; record failures on the row. Returns how many were sent."""
    sent = 0
    now = now or utcnow()
    prune_sent(now)
    for mail_id in _claim(now):
        raw = db.session.scalar(select(QueuedMail.message).where(QueuedMail.id == mail_id))
        db.session.rollback()  # no transaction stays open while SMTP talks
        if raw is None:
            continue
        try:
            deliver(raw)
        except DeliveryError as error:
            logger.warning("e-mail %s not delivered: %s", mail_id, error)
            _finish(mail_id, str(error), now)
            continue
        _finish(mail_id, None, now)
        sent += 1
    return sent


def requeue_failed() -> int:
    """Give up-on mail another round of attempts (and import legacy outbox/failed files)."""
    now = utcnow()
    count = db.session.execute(
        update(QueuedMail).where(QueuedMail.status == MailStatus.FAILED)
        .values(status=MailStatus.QUEUED, attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)).rowcount
    count += db.session.execute(
        update(QueuedMail).where(QueuedMail.status == MailStatus.QUEUED)
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)).rowcount
    legacy = Path(current_app.config["PUENTE_OUTBOX"]) / "failed"
    files = sorted(legacy.glob("*.eml")) if legacy.is_dir() else []
    for path in files:
        raw = path.read_bytes()
        message = parse(raw)
        db.session.add(QueuedMail(recipient=str(message["To"] or "").lower(),
                                  subject=str(message["Subject"] or ""), message=raw,
                                  status=MailStatus.QUEUED, attempts=0, next_attempt_at=now))
        count += 1
    db.session.commit()
    for path in files:
        path.unlink()
    return count


@dataclass(frozen=True)
class MailStatusReport:
    """Queue figures for the health check and the admin."""
    queued: int
    sent: int
    failed: int
    #: The oldest waiting or failed rows: (id, recipient, status, attempts, last_error).
    problems: list


def status() -> MailStatusReport:
    """How many mails wait, failed, and the oldest waiting one."""
    counts = dict(db.session.execute(
        select(QueuedMail.status, func.count(QueuedMail.id)).group_by(QueuedMail.status)).all())
    problems = db.session.execute(
        select(QueuedMail.id, QueuedMail.recipient, QueuedMail.status, QueuedMail.attempts,
               QueuedMail.next_attempt_at, QueuedMail.last_error)
        .where(QueuedMail.status != MailStatus.SENT, QueuedMail.attempts > 0)
        .order_by(QueuedMail.id).limit(20)).all()
    return MailStatusReport(counts.get(MailStatus.QUEUED, 0), counts.get(MailStatus.SENT, 0),
                            counts.get(MailStatus.FAILED, 0), list(problems))


def on_forget(callback) -> None:
    """Register `callback(address)`, run by `forget_address` in its transaction (e.g. the
    registration package's unanswered link requests)."""
    if callback not in _forgetters:
        _forgetters.append(callback)


def forget_address(email: str, *, keep_queued: bool = False, commit: bool = True) -> int:
    """Delete every stored mail to `email` (erasure); returns how many mails went.

    `keep_queued` spares mail not yet delivered, for an address that still has business here
    (another meeting's registration); `commit=False` leaves the commit to an enclosing erasure.
    """
    address = (email or "").lower()
    doomed = delete(QueuedMail).where(QueuedMail.recipient == address)
    if keep_queued:
        doomed = doomed.where(QueuedMail.status != MailStatus.QUEUED)
    count = db.session.execute(doomed.execution_options(synchronize_session=False)).rowcount
    for callback in list(_forgetters):
        callback(address)
    if commit:
        db.session.commit()
    return count


def count_since(address: str, category: str, since: datetime) -> int:
    """How many mails of `category` were queued to `address` since `since` (for limits)."""
    return db.session.scalar(select(func.count(QueuedMail.id)).where(
        QueuedMail.recipient == address.lower(), QueuedMail.category == category,
        QueuedMail.created_at >= since))
