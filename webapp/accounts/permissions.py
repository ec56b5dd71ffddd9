"""Who may do what in a meeting. Plain functions over the acting user, no request state."""

from __future__ import annotations

from sqlalchemy import select

from webapp.accounts.models import MeetingRole, RoleKind, SeriesRole, User
from webapp.errors import StaffOnly
from webapp.extensions import db

STAFF_ROLES = frozenset({RoleKind.ORGANISER, RoleKind.MODERATOR})


def roles_in(user: User | None, meeting_id: int) -> frozenset[RoleKind]:
    """The user's roles in one meeting; admins hold every role everywhere."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return frozenset()
    if user.is_admin:
        return frozenset(RoleKind)
    rows = db.session.scalars(
        select(MeetingRole.role).where(
            MeetingRole.user_id == user.id, MeetingRole.meeting_id == meeting_id
        )
    )
    return frozenset(rows)


def can_organise(user: User | None, meeting_id: int) -> bool:
    """Whether the user may change the meeting (organisers and admins)."""
    return RoleKind.ORGANISER in roles_in(user, meeting_id)


def can_moderate(user: User | None, meeting_id: int) -> bool:
    """Whether the user may moderate the meeting (organisers, moderators, admins)."""
    return bool(STAFF_ROLES & roles_in(user, meeting_id))


def require_moderator(user: User | None, meeting_id: int) -> None:
    """Refuse a page or export request by anyone but the meeting's organisers and moderators."""
    if not can_moderate(user, meeting_id):
        raise StaffOnly()


def can_organise_series(user: User | None, series_id: int) -> bool:
    """Series organisers (and admins) add meetings to a series, edit it and name co-organisers.

    Organising a meeting of the series is not enough: that would let the organiser of any
    meeting place sessions in, and harvest attendees from, a series run by others.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if user.is_admin:
        return True
    return db.session.scalar(
        select(SeriesRole.id).where(
            SeriesRole.user_id == user.id, SeriesRole.series_id == series_id
        ).limit(1)
    ) is not None
