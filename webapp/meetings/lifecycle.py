"""Hooks run when a meeting ends or comes back to life.

`agenda` ends meetings but sits beside the packages that must react (the Q&A closes its
questions), so it cannot import them. Each registers a callback instead::

    from webapp.meetings import lifecycle

    lifecycle.on_status_change(close_my_part)

Callbacks run inside the changing transaction, after `meeting.status` was set; they may log
events and must not commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from webapp.meetings.models import Meeting

#: `callback(meeting, now)`: the meeting just ended or, after an end, went live again.
Reaction = Callable[[Meeting, datetime], None]

_reactions: list[Reaction] = []


def on_status_change(callback: Reaction) -> Reaction:
    """Register `callback` once (usable as a decorator)."""
    if callback not in _reactions:
        _reactions.append(callback)
    return callback


def status_changed(meeting: Meeting, now: datetime) -> None:
    """Let every registered package react to the meeting's new status (the caller commits)."""
    for callback in tuple(_reactions):
        callback(meeting, now)
