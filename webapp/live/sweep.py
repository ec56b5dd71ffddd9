"""After Redis comes back: make this process's sockets agree with the database again.

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
