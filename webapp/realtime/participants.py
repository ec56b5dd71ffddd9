"""Resolve who is on the other end of a socket, once, at connect time."""

from __future__ import annotations

import hmac
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
    #: The presenter screen: the digest of the presenter token it connected with.
    presenter_key: str | None = None

    @property
    def is_presenter(self) -> bool:
        return self.presenter_key is not None

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


def still_admitted(participant: Participant) -> bool:
    """Whether the access fixed at connect still holds: one keyed lookup per command.

    A ban, cancellation or rejection closes the attendee's sockets through Redis; when that
    message is lost (Redis down) this check still refuses the next command. A rotated
    presenter token ends the presenter screens that connected with the old one.
    """
    if participant.registration_id is not None:
        row = db.session.execute(
            select(Registration.status, Registration.banned, Registration.meeting_id)
            .where(Registration.id == participant.registration_id)
        ).first()
        return (row is not None and row.status == RegistrationStatus.CONFIRMED
                and not row.banned and row.meeting_id == participant.meeting_id)
    if participant.presenter_key is not None:
        stored = db.session.scalar(
            select(Meeting.presenter_token_hash).where(Meeting.id == participant.meeting_id))
        return stored is not None and hmac.compare_digest(stored, participant.presenter_key)
    return True
