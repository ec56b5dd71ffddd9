"""Resolve who is on the other end of a socket, once, at connect time."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

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
    #: The staff user's `session_version` at connect: a logout elsewhere bumps it.
    session_version: int | None = None

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
        return Participant(meeting.id, None, user.id, roles, user.name,
                           getattr(user, "session_version", None))
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


def still_allowed(participants: list[Participant]) -> list[bool]:
    """Whether each connected participant may still be connected, read from the database.

    For sweeping a process's sockets after a Redis outage: a ban, cancellation, rejection or
    logout committed on another process while Redis was down never reached this one.
    """
    registration_ids = {p.registration_id for p in participants if p.registration_id}
    registrations = {
        row.id: row for row in db.session.scalars(
            select(Registration).where(Registration.id.in_(registration_ids)))
    } if registration_ids else {}
    answers = []
    for participant in participants:
        if participant.registration_id is not None:
            registration = registrations.get(participant.registration_id)
            answers.append(registration is not None
                           and registration.meeting_id == participant.meeting_id
                           and registration.status == RegistrationStatus.CONFIRMED
                           and not registration.banned)
        elif participant.user_id is not None:
            user = db.session.get(User, participant.user_id)
            answers.append(
                user is not None and user.active
                and (participant.session_version is None
                     or user.session_version == participant.session_version)
                and bool(roles_in(user, participant.meeting_id) & STAFF_ROLES))
        else:
            answers.append(True)  # the presenter screen: its token is checked per command
    return answers
