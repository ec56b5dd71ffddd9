"""The moderators' "up next" order and the time since the highlighted question was chosen."""

from __future__ import annotations

import pytest

from tests.factories import make_meeting, make_question
from webapp.errors import Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.qa import presenter_services, serialise, services
from webapp.qa.models import Question, QuestionStatus
from webapp.realtime.models import Audience


def fresh(question_id: int) -> Question:
    db.session.expire_all()
    return db.session.get(Question, question_id)


def up_next_events(events):
    return [e for e in events if e.type == "up_next_changed"]


def test_the_order_is_stored_logged_for_everyone_and_in_every_snapshot(mod, meeting, asker,
                                                                      events):
    first, second, third = (make_question(meeting) for _ in range(3))
    assert services.set_up_next(mod, [third.id, first.id]) == [third.id, first.id]
    assert services.up_next_ids(meeting.id) == [third.id, first.id]
    [event] = up_next_events(events)
    assert event.audience == Audience.EVERYONE and event.seq
    assert event.payload == {"question_ids": [third.id, first.id]}
    assert services.snapshot(mod)["up_next"] == [third.id, first.id]
    assert services.snapshot(asker)["up_next"] == [third.id, first.id]

    services.set_up_next(mod, [first.id, second.id])
    assert services.up_next_ids(meeting.id) == [first.id, second.id]
    assert fresh(third.id).up_next_position is None


def test_ordering_is_not_an_edit_so_no_moderator_view_goes_stale(mod, meeting):
    question = make_question(meeting)
    version, updated_at = question.version, question.updated_at
    services.set_up_next(mod, [question.id])
    stored = fresh(question.id)
    assert (stored.version, stored.updated_at) == (version, updated_at)


def test_only_staff_set_the_order(meeting, asker):
    question = make_question(meeting)
    with pytest.raises(Forbidden):
        services.set_up_next(asker, [question.id])
    assert services.up_next_ids(meeting.id) == []


@pytest.mark.parametrize("status", [QuestionStatus.PENDING, QuestionStatus.ANSWERED,
                                    QuestionStatus.DISMISSED, QuestionStatus.ARCHIVED])
def test_only_live_questions_may_be_up_next(mod, meeting, status):
    live, other = make_question(meeting), make_question(meeting, status=status)
    with pytest.raises(InvalidInput) as refused:
        services.set_up_next(mod, [live.id, other.id])
    assert refused.value.as_dict()["code"] == "invalid"
    assert refused.value.as_dict()["field"] == "question_ids"
    assert services.up_next_ids(meeting.id) == []


def test_duplicates_and_other_meetings_questions_are_refused(mod, meeting):
    mine, theirs = make_question(meeting), make_question(make_meeting())
    with pytest.raises(InvalidInput):
        services.set_up_next(mod, [mine.id, mine.id])
    with pytest.raises(NotFound):
        services.set_up_next(mod, [theirs.id])


def test_a_question_leaves_up_next_when_answered_dismissed_or_highlighted(mod, meeting,
                                                                          events):
    first, second, third = (make_question(meeting) for _ in range(3))
    services.set_up_next(mod, [first.id, second.id, third.id])
    services.mark_answered(mod, second.id, fresh(second.id).version)
    assert services.up_next_ids(meeting.id) == [first.id, third.id]
    assert up_next_events(events)[-1].payload == {"question_ids": [first.id, third.id]}
    services.dismiss(mod, third.id, fresh(third.id).version, "off_topic")
    assert services.up_next_ids(meeting.id) == [first.id]
    services.highlight(mod, first.id, fresh(first.id).version)
    assert services.up_next_ids(meeting.id) == []
    assert up_next_events(events)[-1].payload == {"question_ids": []}


def test_highlighting_records_when_and_the_payload_carries_it(mod, meeting):
    question = make_question(meeting)
    assert serialise.public(question)["highlighted_at"] is None
    services.highlight(mod, question.id, question.version)
    highlighted = fresh(question.id)
    assert highlighted.highlighted_at is not None
    sent = serialise.public(highlighted)["highlighted_at"]
    assert sent and sent.endswith("Z")
    assert serialise.staff(highlighted)["highlighted_at"] == sent
    services.unhighlight(mod, question.id, highlighted.version)
    assert serialise.public(fresh(question.id))["highlighted_at"] is None


def test_the_presenter_lists_up_next_first_then_by_votes(mod, meeting):
    popular = make_question(meeting, vote_count=9)
    quiet = make_question(meeting, vote_count=0)
    middling = make_question(meeting, vote_count=3)
    make_question(meeting, vote_count=1)
    services.set_up_next(mod, [quiet.id])
    upcoming = [q["id"] for q in presenter_services.screen(meeting)["next"]]
    assert upcoming == [quiet.id, popular.id, middling.id]

