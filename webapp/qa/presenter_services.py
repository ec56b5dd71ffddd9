"""The presenter view: a read-only screen opened with its own secret token, no login.

Only the SHA-256 of the token is stored (`Meeting.presenter_token_hash`); rotating it closes
the door on every copy of the old link, and closes the presenter screens already open with it
on every server process (they reconnect and are refused).
"""

from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.accounts.models import User
from webapp.accounts.participant import Participant
from webapp.accounts.permissions import can_moderate
from webapp.core.tokens import digest, new_token
from webapp.errors import NotFound
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.qa import serialise
from webapp.qa.models import Question, QuestionStatus
from webapp.qa.ordering import UP_NEXT_FIRST
from webapp.realtime import presence

#: The name a presenter connection carries; it is never shown to attendees.
PRESENTER_NAME = "presenter"
#: How many questions the presenter lists after the highlighted one.
NEXT_COUNT = 3
_TOKEN_MAX = 128


def rotate_token(actor: User | None, meeting: Meeting) -> str:
    """Create or replace the presenter token; returns the token for the link, once."""
    if not can_moderate(actor, meeting.id):
        raise NotFound()
    token, token_hash = new_token()
    meeting.presenter_token_hash = token_hash
    db.session.commit()
    presence.close_presenter_screens(meeting.id)
    return token


def has_token(meeting: Meeting) -> bool:
    """Whether the meeting has a presenter link at all."""
    return meeting.presenter_token_hash is not None


def token_matches(meeting: Meeting, token: object) -> bool:
    """Whether `token` is the meeting's presenter token (constant-time compare)."""
    if not isinstance(token, str) or not token or len(token) > _TOKEN_MAX:
        return False
    stored = meeting.presenter_token_hash
    return stored is not None and hmac.compare_digest(stored, digest(token))


def meeting_for_token(slug: str, token: str, *, options=()) -> Meeting:
    """The meeting whose presenter link this is; NotFound for any wrong or old token.
    `options`: loader options for what the page shows."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.slug == slug).options(*options))
    if meeting is None or not token_matches(meeting, token):
        raise NotFound()
    return meeting


def resolve(meeting: Meeting, token: object) -> Participant | None:
    """A read-only participant for a socket that presents the presenter token at connect.

    It has neither registration nor staff role, so it sees what attendees see and every
    command that needs an asker, voter or moderator refuses it.
    """
    if not token_matches(meeting, token):
        return None
    return Participant(meeting.id, None, None, frozenset(), PRESENTER_NAME,
                       presenter_key=meeting.presenter_token_hash)


def screen(meeting: Meeting) -> dict:
    """What the projector shows first: the highlighted question, then the moderators' "up next"
    order and after it the next ones by votes."""
    highlighted = db.session.scalar(
        select(Question).options(joinedload(Question.registration)).where(
            Question.meeting_id == meeting.id,
            Question.highlighted.is_(True),
            Question.status.in_(serialise.VISIBLE),
        )
    )
    upcoming = db.session.scalars(
        select(Question)
        .options(joinedload(Question.registration))
        .where(
            Question.meeting_id == meeting.id,
            Question.status == QuestionStatus.LIVE,
            Question.highlighted.is_(False),
        )
        .order_by(*UP_NEXT_FIRST)
        .limit(NEXT_COUNT)
    ).all()
    return {
        "highlighted": serialise.public(highlighted) if highlighted is not None else None,
        "next": [serialise.public(question) for question in upcoming],
    }
