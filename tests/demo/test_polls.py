"""The demo's past session ran a poll during its Q&A: closed, answered, its results public."""

from __future__ import annotations

from webapp.core.i18n_text import LocalizedText
from webapp.demo import data
from webapp.demo.loader import load_demo
from webapp.polls import services
from webapp.polls.models import PollStatus


def test_the_past_session_has_a_closed_poll_with_answers(app):
    past = load_demo().meetings[0]
    [(poll, results)] = services.published_results(past.id)
    assert poll.status == PollStatus.CLOSED and poll.question == LocalizedText(
        data.POLL["question"])
    assert results["counts"] == data.POLL["counts"]
    assert poll.answer_count == sum(data.POLL["counts"])
