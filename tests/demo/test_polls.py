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


def test_the_past_session_has_survey_answers_in_the_dashboard_figures(app):
    from webapp.feedback.models import FeedbackResponse

    past = load_demo().meetings[0]
    responses = FeedbackResponse.query.filter_by(meeting_id=past.id).all()
    assert len(responses) == len(data.SURVEY["overall"])
    assert sorted(r.overall for r in responses) == sorted(data.SURVEY["overall"])
    assert {r.language for r in responses if r.comment} <= {"zh_Hans", "es", "en"}
    assert all(r.item_ratings and r.answers for r in responses)
