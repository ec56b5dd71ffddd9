"""Catching a client up: the exact missed events, or a snapshot when it is too far behind."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from webapp.accounts.participant import Participant
from webapp.errors import NotFound
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.realtime import log, snapshots, state


def current_seq(meeting_id: int) -> int:
    """The meeting's last logged `seq` (0 before the first event)."""
    return log.counters(meeting_id)[0]


def _meeting_now(meeting_id: int) -> Meeting:
    """The meeting as stored now (its `seq` too), read once for every part of a snapshot."""
    meeting = db.session.scalars(
        select(Meeting).where(Meeting.id == meeting_id)
        .execution_options(populate_existing=True)
    ).first()
    if meeting is None:
        raise NotFound(_l("This meeting does not exist."))
    return meeting


def catch_up(participant: Participant, last_seq: int | None, replay_limit: int,
             live_from: int | None = None) -> dict:
    """Return `{seq, events, figures}` for a short gap or `{seq, snapshot}` for a first
    join/long gap.

    `live_from`: the `seq` after which the client's socket receives every event live
    (`Broadcaster.enter_rooms`). A replay stops there and answers that position, so an event
    reaches the client once, by the replay or by its socket, never by both.

    `figures` are read after the events: counts carry a revision and clients keep the highest,
    so a figure newer than an event's copy of it wins either way.

    The snapshot's `seq` is read with the meeting, before any part: events committed later
    reach the client after it, and applying them again changes nothing.
    """
    shared = state.current().shared_snapshots
    if last_seq is not None:
        seq, erased_seq = log.counters(participant.meeting_id)
        missed = log.events_since(
            participant.meeting_id,
            last_seq,
            staff=participant.is_staff,
            interpreter=participant.is_interpreter,
            registration_id=participant.registration_id,
            limit=replay_limit,
            known=(seq, erased_seq),
        )
        if missed is not None:
            # Events committed after `seq` was read may be in the list: the client's position
            # is then the last of them (every earlier one is committed and listed too).
            seq = max([seq, *(event.seq for event in missed)])
            if live_from is not None and live_from < seq:
                missed = [event for event in missed if event.seq <= live_from]
                seq = max(live_from, last_seq)
            return {
                "seq": seq,
                "events": [
                    {"type": event.type, "data": {**event.payload, "seq": event.seq}}
                    for event in missed
                ],
                "figures": snapshots.figures(participant, shared=shared,
                                             version=(seq, erased_seq)),
            }
    meeting = _meeting_now(participant.meeting_id)
    seq = meeting.last_seq or 0
    return {"seq": seq, "snapshot": snapshots.build(
        participant, seq, meeting, shared=shared, erased_seq=meeting.pruned_seq or 0)}
