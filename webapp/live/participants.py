"""Resolve who is on the other end of a socket, once, at connect time."""

from __future__ import annotations

import hmac

from sqlalchemy import select

from webapp.accounts.models import User
from webapp.accounts.participant import Participant
from webapp.accounts.permissions import STAFF_ROLES, TRANSLATOR_ROLES, roles_in
from webapp.extensions import db
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.registration.models import Registration, RegistrationStatus


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
    """Staff or interpreters of this meeting first, else a confirmed, unbanned registration
    of it; else None.

    `joined` is the session's join entry; it only counts while the registration's link
    version is the one it was joined with (a revoked or reissued link ends the session).
    """
    return admission(meeting, user, joined)[0]


def admission(meeting: Meeting, user: User | None, joined
              ) -> tuple[Participant | None, Registration | None]:
    """`resolve`, with the registration that admitted the attendee (None for staff), so the
    live page shows it without reading it again."""
    roles = roles_in(user, meeting.id)
    if roles & TRANSLATOR_ROLES:
        return Participant(meeting.id, None, user.id, roles, user.name,
                           session_version=getattr(user, "session_version", None)), None
    registration_id, link_version = joined_entry(joined)
    if meeting.status == MeetingStatus.DRAFT or registration_id is None:
        return None, None
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.meeting_id != meeting.id
        or registration.status != RegistrationStatus.CONFIRMED
        or registration.banned
        or registration.link_version != link_version
    ):
        return None, None
    return Participant(meeting.id, registration.id, None, frozenset(),
                       registration.name), registration


def still_allowed(participants: list[Participant]) -> list[bool]:
    """Whether each connected participant may still act, read from the database.

    Access is fixed at connect; a ban, cancellation, rejection, logout or rotated presenter
    token closes the sockets through Redis. When that message is lost (Redis down), this
    check still refuses: per command (`still_admitted`, one keyed lookup for an attendee)
    and in the sweep a process runs over all its sockets once Redis is back.
    """
    registration_ids = {p.registration_id for p in participants if p.registration_id}
    registrations = {
        row.id: row for row in db.session.execute(
            select(Registration.id, Registration.status, Registration.banned,
                   Registration.meeting_id).where(Registration.id.in_(registration_ids)))
    } if registration_ids else {}
    answers = []
    for participant in participants:
        if participant.registration_id is not None:
            row = registrations.get(participant.registration_id)
            answers.append(row is not None and row.meeting_id == participant.meeting_id
                           and row.status == RegistrationStatus.CONFIRMED and not row.banned)
        elif participant.presenter_key is not None:
            stored = db.session.scalar(
                select(Meeting.presenter_token_hash).where(Meeting.id == participant.meeting_id))
            answers.append(stored is not None
                           and hmac.compare_digest(stored, participant.presenter_key))
        elif participant.user_id is not None:
            user = db.session.get(User, participant.user_id)
            answers.append(
                user is not None and user.active
                and (participant.session_version is None
                     or user.session_version == participant.session_version)
                # A moderator made interpreter reconnects: staff data needs a staff role now.
                and bool(roles_in(user, participant.meeting_id)
                         & (STAFF_ROLES if participant.is_staff else TRANSLATOR_ROLES)))
        else:
            answers.append(False)
    return answers


def still_admitted(participant: Participant) -> bool:
    """Whether the access fixed at connect still holds, checked before every command."""
    return still_allowed([participant])[0]
