"""Invite staff to a meeting by e-mail; the invitee sets a password through a one-time link.

Tokens are 192-bit random, only their SHA-256 is stored, they expire and work once. A person
who already has an account simply gets the role.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from webapp import mail
from webapp.accounts.models import MeetingRole, RoleKind, StaffInvitation, User
from webapp.accounts.services import PASSWORD_RULES, acceptable_password, normalise_email
from webapp.core.i18n import LANGUAGES
from webapp.core.links import external_url
from webapp.core.text import forbidden_character, is_blank, single_line
from webapp.core.timefmt import zone_times
from webapp.core.timeutil import utcnow
from webapp.core.tokens import digest, new_token
from webapp.errors import Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.meetings.services import get_managed

INVITATION_LIFETIME = timedelta(days=7)
ROLE_LABELS = {
    RoleKind.ORGANISER: _l("Organiser"),
    RoleKind.MODERATOR: _l("Moderator"),
    RoleKind.SPEAKER: _l("Speaker"),
    RoleKind.INTERPRETER: _l("Interpreter"),
}
NAME_MAX = 200
EMAIL_MAX = 254


@dataclass(frozen=True)
class InviteResult:
    """What happened: a new invitation was mailed, or an existing user got the role."""

    invitation: StaffInvitation | None
    user: User | None


@dataclass(frozen=True)
class StaffMember:
    """One row of a meeting's staff list: an account and its role."""
    user: User
    roles: list[RoleKind]


def _check_email(email: str) -> str:
    if (not isinstance(email, str) or len(email) > EMAIL_MAX or forbidden_character(email)
            or not single_line(email)):
        raise InvalidInput(_l("Enter a valid e-mail address."))
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or " " in email or domain.startswith("."):
        raise InvalidInput(_l("Enter a valid e-mail address."))
    return email


def _check_name(name: str) -> str:
    if (not isinstance(name, str) or len(name) > NAME_MAX or forbidden_character(name)
            or not single_line(name)):
        raise InvalidInput(_l("Enter a name without control characters."))
    return name


def invite(actor: User | None, meeting_id: int, *, email: str, role: RoleKind, name: str = "",
           language: str = "en") -> InviteResult:
    """Give `email` a role in the meeting: at once for an account, else by a mailed link."""
    meeting = get_managed(actor, meeting_id, write=True)
    role = RoleKind(role)
    email = _check_email(email)
    name = _check_name(name)
    if language not in LANGUAGES:
        language = "en"
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        _grant(user, meeting, role)
        db.session.commit()
        _send_role_notice(meeting, user, role, actor)
        return InviteResult(None, user)
    token, token_hash = new_token()
    now = utcnow()
    invitation = StaffInvitation(
        meeting_id=meeting.id, email=email, name=name, role=role, language=language,
        token_hash=token_hash, invited_by_id=actor.id, created_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    db.session.commit()
    mail.send(mail.compose(
        "invitation", to=email, language=language,
        subject=_l("Invitation to help run %(meeting)s", meeting=meeting.title),
        meeting=meeting, role=ROLE_LABELS[role], inviter=actor.name, name=name,
        link=external_url("invite.accept", token=token), expires_at=invitation.expires_at,
        expires=zone_times(invitation.expires_at, meeting.zones, None, language),
    ))
    return InviteResult(invitation, None)


def _send_role_notice(meeting: Meeting, user: User, role: RoleKind, actor: User) -> None:
    mail.send(mail.compose(
        "invitation_role", to=user.email, language=user.locale,
        subject=_l("New role in %(meeting)s", meeting=meeting.title),
        meeting=meeting, role=ROLE_LABELS[role], inviter=actor.name, name=user.name,
    ))


def _grant(user: User, meeting: Meeting, role: RoleKind) -> None:
    exists = db.session.scalar(select(MeetingRole.id).where(
        MeetingRole.user_id == user.id, MeetingRole.meeting_id == meeting.id,
        MeetingRole.role == role))
    if exists is None:
        db.session.add(MeetingRole(user_id=user.id, meeting_id=meeting.id, role=role,
                                   created_at=utcnow()))


def find_open(token: str) -> StaffInvitation:
    """The invitation behind a link, if it is still usable; NotFound otherwise."""
    if not isinstance(token, str) or not 16 <= len(token) <= 128:
        raise NotFound(_l("This invitation link is not valid any more."))
    invitation = db.session.scalar(
        select(StaffInvitation).where(StaffInvitation.token_hash == digest(token)))
    if invitation is None or invitation.used_at is not None or invitation.expires_at < utcnow():
        raise NotFound(_l("This invitation link is not valid any more."))
    return invitation


def accept(token: str, *, name: str, password: str) -> User:
    """Create the account, grant the role and burn the link, all in one transaction."""
    invitation = find_open(token)
    if is_blank(name):
        raise InvalidInput(_l("Enter your name."))
    name = _check_name(name)
    if not acceptable_password(password):
        raise InvalidInput(PASSWORD_RULES)
    claimed = db.session.execute(
        update(StaffInvitation)
        .where(StaffInvitation.id == invitation.id, StaffInvitation.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:  # a second tab or a replayed request got there first
        db.session.rollback()
        raise NotFound(_l("This invitation link is not valid any more."))
    user = db.session.scalar(select(User).where(User.email == invitation.email))
    if user is None:
        user = User(email=invitation.email, name=name,
                    password_hash=generate_password_hash(password),
                    locale=invitation.language)
        db.session.add(user)
        db.session.flush()
    elif user.password_hash:
        # Someone created this account meanwhile: the link must not reset its password.
        db.session.rollback()
        raise Conflict(_l("This e-mail already has an account. Please log in."))
    else:
        user.name = name
        user.password_hash = generate_password_hash(password)
    _grant(user, invitation.meeting, invitation.role)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(_l("This e-mail already has an account. Please log in.")) from error
    return user


def staff(actor: User | None, meeting_id: int) -> list[StaffMember]:
    """Everyone holding a role in the meeting, with their roles."""
    meeting = get_managed(actor, meeting_id)
    rows = db.session.execute(
        select(User, MeetingRole.role).join(MeetingRole, MeetingRole.user_id == User.id)
        .where(MeetingRole.meeting_id == meeting.id).order_by(User.name, User.id)
    ).all()
    members: dict[int, StaffMember] = {}
    for user, role in rows:
        members.setdefault(user.id, StaffMember(user, [])).roles.append(role)
    return list(members.values())


def open_invitations(actor: User | None, meeting_id: int) -> list[StaffInvitation]:
    """Invitations not yet accepted, so organisers can see and withdraw them."""
    meeting = get_managed(actor, meeting_id)
    return list(db.session.scalars(
        select(StaffInvitation).where(StaffInvitation.meeting_id == meeting.id,
                                      StaffInvitation.used_at.is_(None),
                                      StaffInvitation.expires_at >= utcnow())
        .order_by(StaffInvitation.created_at)))


def withdraw_invitation(actor: User | None, meeting_id: int, invitation_id: int) -> None:
    """Cancel an invitation before it is used; its link stops working."""
    meeting = get_managed(actor, meeting_id, write=True)
    invitation = db.session.get(StaffInvitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id:
        raise NotFound()
    invitation.used_at = utcnow()
    db.session.commit()


def remove_role(actor: User | None, meeting_id: int, user_id: int, role: RoleKind) -> None:
    """Take a role away; the last organiser stays, so a meeting is never left unmanaged."""
    meeting = get_managed(actor, meeting_id, write=True)
    role = RoleKind(role)
    grant = db.session.scalar(select(MeetingRole).where(
        MeetingRole.meeting_id == meeting.id, MeetingRole.user_id == user_id,
        MeetingRole.role == role))
    if grant is None:
        raise NotFound()
    if role == RoleKind.ORGANISER:
        organisers = db.session.scalar(select(func.count(MeetingRole.id)).where(
            MeetingRole.meeting_id == meeting.id, MeetingRole.role == RoleKind.ORGANISER))
        if organisers <= 1:
            raise Forbidden(_l("A meeting needs at least one organiser."))
    db.session.delete(grant)
    db.session.commit()
