"""Background sweeps of the live adapter: after a Redis outage, and the presence history.

**Presence history.** Every `SAMPLE_SECONDS`, while this process has people connected,
`sample_presence` writes each of its meetings' attendee count (meeting-wide over every process,
staff left out: `Presence.attendees_online`) into `presence_samples`, together with the highest
count a change reached since the last sample. One row per meeting and minute whichever process
writes it, keeping the highest (`attendance_figures.record_presence_sample`).

**After Redis comes back**: make this process's sockets agree with the database again.

While Redis is down, nothing another process announces reaches this one: bans,
cancellations and logouts are not applied to the sockets here, and coalesced counts are lost.
(Logged events are not lost: the broadcaster's log poll delivers them.) So when this process's
Redis listener subscribes again after an outage, or after one of its publishes failed, it:

1. re-checks every local socket against the database and closes those that may no longer be
   connected (banned, cancelled or rejected registrations, deactivated or logged-out users);
2. catches up every local meeting from the event log at once;
3. asks every coalescer to send all its counts again, with their current versions.
"""

from __future__ import annotations

import logging

from webapp.extensions import db
from webapp.live import participants
from webapp.realtime import coalescer, handlers, state
from webapp.realtime.broadcaster import local_meetings
from webapp.realtime.ticker import Ticker
from webapp.registration.attendance_figures import SAMPLE_SECONDS, record_presence_sample

logger = logging.getLogger(__name__)


def close_revoked_sockets() -> int:
    """Close local sockets whose participant the database no longer allows; returns how many."""
    connected = handlers.connections()
    if not connected:
        return 0
    allowed = participants.still_allowed([participant for _sid, participant in connected])
    closed = 0
    for (sid, _participant), ok in zip(connected, allowed, strict=True):
        if not ok:
            state.current().server.disconnect(sid, namespace="/")
            closed += 1
    return closed


def after_outage(app) -> None:
    """Close sockets that lost access, catch meetings up and resend counts after Redis was down."""
    with app.app_context():
        try:
            closed = close_revoked_sockets()
            meetings = local_meetings()
            coalescer.resend_everything(meetings)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
    delivered = state.of(app).broadcaster.poll()
    logger.warning("after the Redis outage: closed %d socket(s), caught up %d event(s)",
                   closed, delivered)


def sample_presence(app, now=None) -> int:
    """Write this process's meetings' attendee counts into the presence history.

    Meetings with people here get their current meeting-wide count (at `now`); a meeting
    whose last person left since the previous sample gets its 0 once. The highest count a
    change reached in between is written too, in its own minute. Returns how many meetings
    were sampled.
    """
    presence = state.of(app).presence
    highs = presence.take_highs()
    meetings = presence.meetings() | set(highs)
    if not meetings:
        return 0
    with app.app_context():
        try:
            for meeting_id in sorted(meetings):
                record_presence_sample(meeting_id, presence.attendees_online(meeting_id), now)
                if meeting_id in highs:
                    high, at = highs[meeting_id]
                    record_presence_sample(meeting_id, high, at)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
    return len(meetings)


def start_sampler(app) -> None:
    """Make sure the presence sampler runs (called when a socket connects); it ends by itself
    a minute after this process's last person left. Not under `TESTING`, where many short-lived
    applications share a process: tests call `sample_presence` themselves."""
    if app.config.get("TESTING"):
        return
    live = state.of(app)
    if live.sampler is None:
        live.sampler = Ticker("presence history", lambda: sample_presence(app),
                              SAMPLE_SECONDS, idle_stop=SAMPLE_SECONDS)
    live.sampler.start()
