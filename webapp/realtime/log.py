"""Append domain events to a meeting's log inside the caller's transaction.

Plain Python: services call `record(...)` while they write; the events are handed to the
broadcaster only after the transaction commits, so a failed write is never broadcast and
what clients see is always in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.realtime import state
from webapp.realtime.models import Audience, EventSubject, MeetingEvent
from webapp.realtime.models import meeting_counters as _meetings
from webapp.realtime.recent import RecentEvent, RecentEvents

_PENDING_KEY = "puente_pending_events"
_PRUNED_KEY = "puente_pruned_events"


@dataclass(frozen=True)
class DomainEvent:
    """What the broadcaster receives: already numbered and committed."""

    meeting_id: int
    type: str
    payload: dict
    audience: Audience = Audience.EVERYONE
    seq: int | None = None
    registration_id: int | None = None

    def wire(self) -> dict:
        """The dict sent to clients: the payload plus the meeting's `seq` when logged."""
        data = dict(self.payload)
        if self.seq is not None:
            data["seq"] = self.seq
        return data


@dataclass
class _Sinks:
    callbacks: list[Callable[[DomainEvent], None]] = field(default_factory=list)


_sinks = _Sinks()


def subscribe(callback: Callable[[DomainEvent], None]) -> None:
    """Register a receiver of committed events (the Socket.IO broadcaster, tests)."""
    if callback not in _sinks.callbacks:
        _sinks.callbacks.append(callback)


def unsubscribe(callback: Callable[[DomainEvent], None]) -> None:
    """Stop delivering events to `callback` (tests)."""
    if callback in _sinks.callbacks:
        _sinks.callbacks.remove(callback)


def next_seq(meeting_id: int) -> int:
    """Reserve the meeting's next `seq`.

    The UPDATE takes the meeting row's write lock until commit, so `seq` order equals commit
    order and a client never sees seq N+1 committed before N.
    """
    return db.session.execute(
        update(_meetings)
        .where(_meetings.c.id == meeting_id)
        .values(last_seq=_meetings.c.last_seq + 1)
        .returning(_meetings.c.last_seq)
        .execution_options(synchronize_session=False)
    ).scalar_one()


def record(
    meeting_id: int,
    type_: str,
    payload: dict,
    *,
    audience: Audience = Audience.EVERYONE,
    registration_id: int | None = None,
    subjects: Iterable[int | None] = (),
) -> DomainEvent:
    """Log an event the clients must not miss; it is broadcast after commit.

    `subjects`: the registrations whose personal data the payload carries (an asker's name,
    organisation, e-mail); `forget` deletes the event when one of them is erased.
    """
    seq = next_seq(meeting_id)
    db.session.add(
        MeetingEvent(
            meeting_id=meeting_id,
            seq=seq,
            type=type_,
            audience=audience,
            registration_id=registration_id,
            payload=payload,
            created_at=utcnow(),
            subjects=[EventSubject(registration_id=subject)
                      for subject in dict.fromkeys(subjects) if subject is not None],
        )
    )
    domain_event = DomainEvent(meeting_id, type_, payload, audience, seq, registration_id)
    _queue(db.session(), domain_event)
    return domain_event


def announce(
    meeting_id: int,
    type_: str,
    payload: dict,
    *,
    audience: Audience = Audience.EVERYONE,
    registration_id: int | None = None,
) -> DomainEvent:
    """Queue an event that is not logged (presence, coalesced tallies): sent after commit."""
    domain_event = DomainEvent(meeting_id, type_, payload, audience, None, registration_id)
    _queue(db.session(), domain_event)
    return domain_event


#: Sent to an attendee's own room right before every server process closes its sockets.
ACCESS_REVOKED = "access_revoked"


def revoke_access(meeting_id: int, registration_id: int) -> DomainEvent:
    """After commit, close the attendee's live sockets on every process (ban, cancellation)."""
    return announce(meeting_id, ACCESS_REVOKED, {}, audience=Audience.PARTICIPANT,
                    registration_id=registration_id)


def forget(registration_ids: Iterable[int]) -> int:
    """Delete every logged event that carries these attendees' data (in the caller's
    transaction); return how many. Each meeting remembers the highest deleted `seq`, so a
    client that last saw an earlier event rejoins from a snapshot, never a partial replay."""
    ids = list(dict.fromkeys(registration_ids))
    if not ids:
        return 0
    about = select(EventSubject.event_id).where(EventSubject.registration_id.in_(ids))
    highest = db.session.execute(
        select(MeetingEvent.meeting_id, func.max(MeetingEvent.seq))
        .where(MeetingEvent.id.in_(about)).group_by(MeetingEvent.meeting_id)
    ).all()
    pruned = db.session().info.setdefault(_PRUNED_KEY, {})
    for meeting_id, seq in highest:
        pruned[meeting_id] = max(pruned.get(meeting_id, 0), seq)
        db.session.execute(
            update(_meetings).where(_meetings.c.id == meeting_id, _meetings.c.pruned_seq < seq)
            .values(pruned_seq=seq).execution_options(synchronize_session=False)
        )
    # The subjects of each deleted event go with it (ON DELETE CASCADE).
    return db.session.execute(
        delete(MeetingEvent).where(MeetingEvent.id.in_(about))
        .execution_options(synchronize_session=False)
    ).rowcount


def deliver_now(domain_event: DomainEvent) -> None:
    """Hand an event straight to the sinks (for events produced outside a transaction)."""
    for callback in list(_sinks.callbacks):
        callback(domain_event)


def _queue(session: Session, domain_event: DomainEvent) -> None:
    session.info.setdefault(_PENDING_KEY, []).append(domain_event)


@event.listens_for(Session, "after_commit")
def _flush_after_commit(session: Session) -> None:
    for domain_event in session.info.pop(_PENDING_KEY, []):
        deliver_now(domain_event)
    pruned = session.info.pop(_PRUNED_KEY, None)
    window = _recent() if pruned else None
    if window is not None:  # erased here: out of memory at once (other processes: on replay)
        for meeting_id, seq in pruned.items():
            window.forget_through(meeting_id, seq)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_PRUNED_KEY, None)


def counters(meeting_id: int) -> tuple[int, int]:
    """The meeting's last logged `seq` and its erasure mark (`pruned_seq`), 0 when none."""
    row = db.session.execute(
        select(_meetings.c.last_seq, _meetings.c.pruned_seq)
        .where(_meetings.c.id == meeting_id)).first()
    return (row[0] or 0, row[1] or 0) if row is not None else (0, 0)


def events_since(
    meeting_id: int,
    after_seq: int,
    *,
    staff: bool,
    registration_id: int | None,
    limit: int,
    interpreter: bool = False,
    known: tuple[int, int] | None = None,
) -> list[MeetingEvent | RecentEvent] | None:
    """Events after `after_seq` this participant may see, oldest first (each with `seq`,
    `type` and `payload`).

    Returns None when more than `limit` events were missed, or when events after `after_seq`
    were deleted by an erasure: the client then needs a snapshot.

    The counters row decides that, read each time (`known`: as the caller just read it with
    `counters`). The events come from the recent events this process delivered
    (`realtime/recent.py`) when they cover every `seq` up to the counters' `last_seq`, else
    from `meeting_events`.
    """
    last_seq, pruned_seq = known if known is not None else counters(meeting_id)
    if after_seq < 0 or after_seq > last_seq or after_seq < pruned_seq:
        return None
    if last_seq - after_seq > limit:
        return None
    window = _recent()
    if window is not None:
        window.forget_through(meeting_id, pruned_seq)
        recent = window.since(meeting_id, after_seq, last_seq, staff=staff,
                              interpreter=interpreter, registration_id=registration_id)
        if recent is not None:
            return recent
    visible = MeetingEvent.audience == Audience.EVERYONE
    if staff:
        visible = visible | (MeetingEvent.audience == Audience.STAFF)
    elif interpreter:
        visible = visible | (MeetingEvent.audience == Audience.INTERPRETERS)
    if registration_id is not None:
        visible = visible | (
            (MeetingEvent.audience == Audience.PARTICIPANT)
            & (MeetingEvent.registration_id == registration_id)
        )
    return list(
        db.session.scalars(
            select(MeetingEvent)
            .where(MeetingEvent.meeting_id == meeting_id, MeetingEvent.seq > after_seq, visible)
            .order_by(MeetingEvent.seq)
        )
    )


def _recent() -> RecentEvents | None:
    """The recent events window of the application in context, if it has a broadcaster."""
    return getattr(state.current().broadcaster, "recent", None)
