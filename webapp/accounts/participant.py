"""The acting person in one meeting, as domain services receive it."""

from __future__ import annotations

from dataclasses import dataclass

from webapp.accounts.models import RoleKind
from webapp.accounts.permissions import STAFF_ROLES, TRANSLATOR_ROLES


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
    #: The staff user's `session_version` at connect: a logout elsewhere bumps it.
    session_version: int | None = None

    @property
    def is_presenter(self) -> bool:
        """The read-only projector screen (no person behind it)."""
        return self.presenter_key is not None

    @property
    def is_staff(self) -> bool:
        """Organisers and moderators of this meeting."""
        return bool(STAFF_ROLES & self.roles)

    @property
    def is_interpreter(self) -> bool:
        """An interpreter who is not also staff: sees pending questions without personal
        data, and may only translate."""
        return RoleKind.INTERPRETER in self.roles and not self.is_staff

    @property
    def may_translate(self) -> bool:
        """Staff and interpreters add and correct translations."""
        return bool(TRANSLATOR_ROLES & self.roles)
