"""Catching a client up: the exact missed events, or a snapshot when it is too far behind."""

from __future__ import annotations

from sqlalchemy import select

from webapp.accounts.participant import Participant
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.realtime import log, snapshots


def current_seq(meeting_id: int) -> int:
    """The meeting's last logged `seq` (0 before the first event)."""
    return db.session.scalar(select(Meeting.last_seq).where(Meeting.id == meeting_id)) or 0


def catch_up(participant: Participant, last_seq: int | None, replay_limit: int) -> dict:
    """Return `{seq, events}` for a short gap or `{seq, snapshot}` for a first join/long gap."""
    seq = current_seq(participant.meeting_id)
    if last_seq is not None:
        missed = log.events_since(
            participant.meeting_id,
            last_seq,
            staff=participant.is_staff,
            registration_id=participant.registration_id,
            limit=replay_limit,
        )
        if missed is not None:
            # Events committed after `seq` was read may be in the list: the client's position
            # is then the last of them (every earlier one is committed and listed too).
            seq = max([seq, *(event.seq for event in missed)])
            return {
                "seq": seq,
                "events": [
                    {"type": event.type, "data": {**event.payload, "seq": event.seq}}
                    for event in missed
                ],
            }
    return {"seq": seq, "snapshot": snapshots.build(participant, seq)}
