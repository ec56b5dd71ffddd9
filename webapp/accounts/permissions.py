"""Who may do what in a meeting. Plain functions over the acting user, no request state.

A page asks the same question several times (the page loader, the service it calls, the
template's header); the adapter that knows what "one request" is may hand `roles_in` a memo
for it (`remember_roles_in`), so the roles are read once. Any change to a role clears it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event, select

from webapp.accounts.models import MeetingRole, RoleKind, SeriesRole, User
from webapp.errors import StaffOnly
from webapp.extensions import db

STAFF_ROLES = frozenset({RoleKind.ORGANISER, RoleKind.MODERATOR})
#: Roles that may add and correct translations: staff and interpreters.
TRANSLATOR_ROLES = STAFF_ROLES | {RoleKind.INTERPRETER}


def _no_memo() -> None:
    return None


#: Returns the memo of the current unit of work (a dict), or None where there is none.
_memo_of_now: Callable[[], dict | None] = _no_memo


def remember_roles_in(memo_of_now: Callable[[], dict | None]) -> None:
    """Let `roles_in` keep its answers in `memo_of_now()`: the adapter's per-request dict."""
    global _memo_of_now
    _memo_of_now = memo_of_now


def roles_in(user: User | None, meeting_id: int) -> frozenset[RoleKind]:
    """The user's roles in one meeting; admins hold every role everywhere."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return frozenset()
    if user.is_admin:
        return frozenset(RoleKind)
    memo = _memo_of_now()
    key = (user.id, meeting_id)
    if memo is not None and key in memo:
        return memo[key]
    roles = frozenset(db.session.scalars(
        select(MeetingRole.role).where(
            MeetingRole.user_id == user.id, MeetingRole.meeting_id == meeting_id
        )
    ))
    if memo is not None:
        memo[key] = roles
    return roles


def _forget_remembered_roles(*_args) -> None:
    """A role was granted, changed or revoked: the next question reads the table again."""
    memo = _memo_of_now()
    if memo is not None:
        memo.clear()


for _change in ("after_insert", "after_update", "after_delete"):
    event.listen(MeetingRole, _change, _forget_remembered_roles)


def can_organise(user: User | None, meeting_id: int) -> bool:
    """Whether the user may change the meeting (organisers and admins)."""
    return RoleKind.ORGANISER in roles_in(user, meeting_id)


def can_moderate(user: User | None, meeting_id: int) -> bool:
    """Whether the user may moderate the meeting (organisers, moderators, admins)."""
    return bool(STAFF_ROLES & roles_in(user, meeting_id))


def can_translate(user: User | None, meeting_id: int) -> bool:
    """Whether the user may open the console to translate (staff and interpreters)."""
    return bool(TRANSLATOR_ROLES & roles_in(user, meeting_id))


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
