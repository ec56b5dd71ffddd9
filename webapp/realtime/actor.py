"""What the realtime layer reads of a connected person.

`accounts.participant.Participant` is the one implementation; the realtime infrastructure
names this protocol instead so that it imports no domain package.
"""

from __future__ import annotations

from typing import Protocol


class Actor(Protocol):
    """A person connected to one meeting: an attendee, a staff user or the presenter screen."""

    meeting_id: int
    registration_id: int | None
    user_id: int | None
    name: str
    presenter_key: str | None
    session_version: int | None

    @property
    def is_staff(self) -> bool:
        """Organisers and moderators of this meeting: they receive the staff events."""
        ...

    @property
    def is_interpreter(self) -> bool:
        """Interpreters (not staff): they receive the interpreters' events."""
        ...

    @property
    def may_translate(self) -> bool:
        """Staff and interpreters: they may send the translation commands."""
        ...

    @property
    def is_presenter(self) -> bool:
        """The read-only projector screen (no person behind it)."""
        ...
