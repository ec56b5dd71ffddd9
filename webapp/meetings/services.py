"""Meeting queries and rules that views and the CLI share."""

from __future__ import annotations

from sqlalchemy import func, select

from webapp.accounts.models import User
from webapp.accounts.permissions import can_moderate
from webapp.errors import NotFound
from webapp.extensions import db
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.registration.models import Registration, RegistrationStatus


def get_visible(slug: str, viewer: User | None) -> Meeting:
    """A published meeting for anyone; a draft only for its staff."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == slug))
    if meeting is None:
        raise NotFound()
    if meeting.status == MeetingStatus.DRAFT and not can_moderate(viewer, meeting.id):
        raise NotFound()
    return meeting


def confirmed_count(meeting_id: int) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.meeting_id == meeting_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )


def seats_left(meeting: Meeting) -> int | None:
    """None when capacity is unlimited."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - confirmed_count(meeting.id))
