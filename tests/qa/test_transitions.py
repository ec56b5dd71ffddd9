"""The life of a question: one table of status changes, every allowed and refused pair."""

from __future__ import annotations

import pytest

from tests.factories import make_question
from webapp.errors import Closed
from webapp.qa import services
from webapp.qa.models import TRANSITIONS, QuestionStatus, next_status

S = QuestionStatus
#: The expected table, written out: action -> {from status: to status}; absent = refused.
EXPECTED = {
    "approve": {S.PENDING: S.LIVE},
    "dismiss": {S.PENDING: S.DISMISSED, S.LIVE: S.DISMISSED, S.ANSWERED: S.DISMISSED},
    "merge": {S.PENDING: S.DISMISSED, S.LIVE: S.DISMISSED, S.ANSWERED: S.DISMISSED,
              S.DISMISSED: S.DISMISSED, S.ARCHIVED: S.DISMISSED},
    "mark_answered": {S.LIVE: S.ANSWERED, S.ANSWERED: S.ANSWERED},
    "answer": {S.PENDING: S.ANSWERED, S.LIVE: S.ANSWERED, S.ANSWERED: S.ANSWERED},
    "restore": {S.DISMISSED: S.LIVE, S.ARCHIVED: S.LIVE, S.ANSWERED: S.LIVE},
    "archive": {S.PENDING: S.ARCHIVED, S.LIVE: S.ARCHIVED, S.ANSWERED: S.ARCHIVED,
                S.DISMISSED: S.ARCHIVED},
    "resubmit": {S.PENDING: S.PENDING, S.LIVE: S.PENDING},
    "withdraw": {S.PENDING: S.WITHDRAWN, S.LIVE: S.WITHDRAWN},
}


def test_the_table_has_every_action():
    assert set(TRANSITIONS) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("status", list(QuestionStatus))
def test_each_transition_is_allowed_or_refused(action, status):
    assert next_status(action, status) == EXPECTED[action].get(status)


MODERATOR_ACTIONS = {
    "approve": services.approve, "mark_answered": services.mark_answered,
    "restore": services.restore, "archive": services.archive,
    "dismiss": lambda p, q, v: services.dismiss(p, q, v, "off_topic"),
    "answer": lambda p, q, v: services.answer(p, q, v, "Sí"),
}


@pytest.mark.parametrize("action", sorted(MODERATOR_ACTIONS))
@pytest.mark.parametrize("status", [s for s in QuestionStatus if s != S.WITHDRAWN])
def test_the_services_follow_the_table(meeting, mod, action, status):
    question = make_question(meeting, status=status)
    target = EXPECTED[action].get(status)
    if target is None:
        with pytest.raises(Closed):
            MODERATOR_ACTIONS[action](mod, question.id, question.version)
    else:
        assert MODERATOR_ACTIONS[action](mod, question.id,
                                         question.version).status == target
