"""Agenda rules: the planned timetable is derived from the meeting start and item durations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from webapp.agenda.models import AgendaItem
from webapp.meetings.models import Meeting


@dataclass(frozen=True)
class ScheduledItem:
    item: AgendaItem
    planned_start: datetime
    planned_end: datetime


def timetable(meeting: Meeting) -> list[ScheduledItem]:
    """Planned start and end of every item, back to back from the meeting start (naive UTC)."""
    cursor = meeting.starts_at
    rows = []
    for item in meeting.agenda_items:
        end = cursor + timedelta(minutes=item.planned_minutes)
        rows.append(ScheduledItem(item, cursor, end))
        cursor = end
    return rows
