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


def joined_entry(entry) -> tuple[int | None, int]:
    """Read a session's join entry: `[registration id, link version]` (a bare id is version 0,
    as sessions from before link versions held)."""
    if isinstance(entry, bool):
        return None, 0
    if isinstance(entry, int):
        return entry, 0
    if (isinstance(entry, list | tuple) and len(entry) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in entry)):
        return entry[0], entry[1]
    return None, 0


def resolve(meeting: Meeting, user: User | None, joined) -> Participant | None:
    """Staff of this meeting first, else a confirmed, unbanned registration of it; else None.

    `joined` is the session's join entry; it only counts while the registration's link
    version is the one it was joined with (a revoked or reissued link ends the session).
    """
    roles = roles_in(user, meeting.id)
    if roles & STAFF_ROLES:
        return Participant(meeting.id, None, user.id, roles, user.name)
    registration_id, link_version = joined_entry(joined)
    if meeting.status == MeetingStatus.DRAFT or registration_id is None:
        return None
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.meeting_id != meeting.id
        or registration.status != RegistrationStatus.CONFIRMED
        or registration.banned
        or registration.link_version != link_version
    ):
        return None
    return Participant(meeting.id, registration.id, None, frozenset(), registration.name)
