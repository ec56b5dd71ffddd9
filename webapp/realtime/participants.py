"""Resolve who is on the other end of a socket, once, at connect time."""

from __future__ import annotations

from dataclasses import dataclass

from webapp.accounts.models import RoleKind, User
from webapp.accounts.permissions import STAFF_ROLES, roles_in
from webapp.extensions import db
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.registration.models import Registration, RegistrationStatus


@dataclass(frozen=True)
class Participant:
    """The acting person in one meeting: an attendee (registration) or a staff user."""

    meeting_id: int
    registration_id: int | None = None
    user_id: int | None = None
    roles: frozenset[RoleKind] = frozenset()
    name: str = ""

    @property
    def is_staff(self) -> bool:
        return bool(STAFF_ROLES & self.roles)

    @property
    def is_organiser(self) -> bool:
        return RoleKind.ORGANISER in self.roles


def resolve(meeting: Meeting, user: User | None, registration_id: int | None) -> Participant | None:
    """Staff of this meeting first, else a confirmed, unbanned registration of it; else None."""
    roles = roles_in(user, meeting.id)
    if roles & STAFF_ROLES:
        return Participant(meeting.id, None, user.id, roles, user.name)
    if meeting.status == MeetingStatus.DRAFT or registration_id is None:
        return None
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.meeting_id != meeting.id
        or registration.status != RegistrationStatus.CONFIRMED
        or registration.banned
    ):
        return None
    return Participant(meeting.id, registration.id, None, frozenset(), registration.name)
