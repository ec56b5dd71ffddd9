"""The clock tests share the board's fixtures (meetings, participants, event sink)."""

from tests.board.conftest import (  # noqa: F401
    events,
    me,
    meeting,
    mod,
    moderator_user,
    registration,
)
