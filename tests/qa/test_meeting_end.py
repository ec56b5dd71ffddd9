"""Ending the meeting closes the Q&A: no asking, editing, withdrawing or voting, no highlight."""

from __future__ import annotations

import pytest

from tests.factories import demo_agenda, make_question, make_registration
from tests.support.people import attendee
from webapp.agenda import clock_services as clock
from webapp.errors import Closed, InvalidInput
from webapp.extensions import db
from webapp.qa import services
from webapp.qa.models import Question, QuestionStatus
from webapp.registration.models import Registration


@pytest.fixture
def ended_setup(meeting, mod, asker):
    """A running meeting with a highlighted live question of `asker` and another's question."""
    demo_agenda(meeting)
    clock.start_next(mod)
    other = make_registration(meeting)
    mine = make_question(meeting, db.session.get(Registration, asker.registration_id),
                         highlighted=True, client_id="mine")
    theirs = make_question(meeting, other, client_id="theirs")
    db.session.commit()
    return mine, theirs


def test_ending_closes_the_qa_and_clears_the_highlight(meeting, mod, ended_setup, events):
    mine, _ = ended_setup
    clock.end_meeting(mod)
    db.session.expire_all()
    assert meeting.qa_open is False
    assert db.session.get(Question, mine.id).highlighted is False
    settings = events.of("qa_settings_changed")[-1].payload["settings"]
    assert settings["open"] is False and settings["ended"] is True
    updated = [e.payload["question"] for e in events.of("question_updated")]
    assert any(q["id"] == mine.id and q["highlighted"] is False for q in updated)
    types = [e.type for e in events]
    assert types.index("qa_settings_changed") < types.index("clock_changed")


def test_ending_the_last_item_ends_the_qa_too(meeting, mod, ended_setup, events):
    while meeting.status.value != "ended":
        clock.start_next(mod)
    assert meeting.qa_open is False
    assert events.of("qa_settings_changed")[-1].payload["settings"]["ended"] is True


def test_after_the_end_attendees_cannot_ask_edit_withdraw_or_vote(meeting, mod, asker,
                                                                   ended_setup):
    mine, theirs = ended_setup
    clock.end_meeting(mod)
    meeting.qa_open = True  # even if a moderator opens the Q&A again, the end stops attendees
    db.session.commit()
    refusals = [
        lambda: services.ask(asker, "¿Y después?", client_id="late"),
        lambda: services.edit_own(asker, mine.id, "Otra redacción"),
        lambda: services.withdraw_own(asker, mine.id),
        lambda: services.vote(asker, theirs.id, True),
    ]
    for attempt in refusals:
        with pytest.raises(Closed) as refused:
            attempt()
        assert refused.value.code == "closed"
        assert "ended" in str(refused.value.as_dict()["message"])
        db.session.rollback()
    assert db.session.get(Question, mine.id).status == QuestionStatus.LIVE


def test_going_live_again_announces_the_settings(meeting, mod, ended_setup, events):
    clock.end_meeting(mod)
    clock.jump_to(mod, meeting.agenda_items[-1].id)
    settings = events.of("qa_settings_changed")[-1].payload["settings"]
    assert settings["ended"] is False and settings["open"] is False
    services.update_settings(mod, open_=True)
    registration = make_registration(meeting)
    assert services.ask(attendee(registration), "¿Seguimos?", client_id="again").id


def test_organisers_may_take_questions_after_the_meeting(meeting, mod, asker, ended_setup,
                                                         events):
    mine, theirs = ended_setup
    services.update_settings(mod, after_meeting=True)
    clock.end_meeting(mod)
    db.session.expire_all()
    assert meeting.qa_open is True
    assert db.session.get(Question, mine.id).highlighted is False
    settings = events.of("qa_settings_changed")[-1].payload["settings"]
    assert settings == meeting.qa_settings()
    assert settings["ended"] is True and settings["open"] is True
    assert settings["after_meeting_questions"] is True
    late = services.ask(asker, "¿Dónde estarán las diapositivas?", client_id="late")
    assert late.status == QuestionStatus.PENDING
    services.edit_own(asker, late.id, "¿Dónde estarán las diapositivas del piloto?")
    assert services.vote(asker, theirs.id, True)["voted"] is True
    answered = services.answer(mod, late.id, fresh_version(late.id), "En la página.")
    assert answered.status == QuestionStatus.ANSWERED


def test_closing_questions_after_the_meeting_refuses_them_again(meeting, mod, asker,
                                                                ended_setup):
    services.update_settings(mod, after_meeting=True)
    clock.end_meeting(mod)
    services.update_settings(mod, after_meeting=False)
    with pytest.raises(Closed):
        services.ask(asker, "¿Todavía?", client_id="too-late")


def test_a_bad_after_meeting_setting_is_refused(mod):
    with pytest.raises(InvalidInput) as refused:
        services.update_settings(mod, after_meeting="yes")
    assert refused.value.details == {"field": "after_meeting_questions"}


def fresh_version(question_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Question, question_id).version
