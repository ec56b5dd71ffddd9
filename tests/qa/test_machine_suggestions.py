"""New questions get machine suggestions from the organisers' translator, in the background;
asking never waits for it and never fails because of it."""

from __future__ import annotations

import pytest

from tests.conftest import base_config
from tests.factories import make_registration
from tests.support.live import wait_for
from tests.support.people import attendee
from webapp.extensions import db
from webapp.qa import services, translation_services
from webapp.qa.models import Question
from webapp.realtime.models import MeetingEvent


@pytest.fixture
def app_config(tmp_path, libretranslate):
    return base_config(tmp_path, TRANSLATE_URL=libretranslate.url, TRANSLATE_TIMEOUT=1)


def _translations(question_id: int) -> dict:
    db.session.expire_all()
    return db.session.get(Question, question_id).translations or {}


def _asker(meeting):
    meeting.languages = ["zh_Hans", "es", "en"]
    db.session.commit()
    return attendee(make_registration(meeting, language="es"))


def test_a_new_question_gets_marked_suggestions_in_the_other_languages(
        meeting, libretranslate):
    question = services.ask(_asker(meeting), "¿Cómo se financian los centros?",
                            client_id="c1", language="es")
    wait_for(lambda: len(_translations(question.id)) == 2,
             message=lambda: str(_translations(question.id)))
    stored = _translations(question.id)
    assert stored["zh_Hans"]["text"] == "[zh-Hans] ¿Cómo se financian los centros?"
    assert stored["en"]["machine"] is True and stored["en"]["by"] is None
    assert {body["source"] for body in libretranslate.translations} == {"es"}
    events = db.session.query(MeetingEvent).filter_by(meeting_id=meeting.id,
                                                  type="question_translated").count()
    assert events >= 2  # each suggestion is a live event like a person's translation


@pytest.mark.parametrize("mode", ["slow", "500", "429", "malformed"])
def test_asking_never_waits_for_or_fails_with_the_translator(meeting, libretranslate, mode):
    libretranslate.mode = mode
    question = services.ask(_asker(meeting), "¿Y la financiación?", client_id="c2",
                            language="es")
    assert question.id is not None and _translations(question.id) == {}
    libretranslate.release.set()


def test_a_stopped_translator_changes_nothing_for_the_asker(meeting, libretranslate):
    libretranslate.stop()
    question = services.ask(_asker(meeting), "¿Quién paga?", client_id="c3", language="es")
    assert db.session.get(Question, question.id).text == "¿Quién paga?"


def test_a_suggestion_never_replaces_a_person_and_ignores_a_withdrawn_question(meeting):
    from tests.factories import make_question
    from webapp.qa.models import QuestionStatus

    meeting.languages = ["zh_Hans", "es"]
    db.session.commit()
    question = make_question(meeting, text="如何资助？", language="zh_Hans")
    question.translations = {"es": {"text": "¿Cómo se financia?", "machine": False,
                                    "by": None, "at": None}}
    db.session.commit()
    translation_services.suggest(question.id, "es", "[es] otra cosa")
    assert _translations(question.id)["es"]["text"] == "¿Cómo se financia?"
    assert translation_services.suggest(question.id, "pt", "x") is None  # not a meeting language
    withdrawn = make_question(meeting, text="撤回", language="zh_Hans",
                              status=QuestionStatus.WITHDRAWN)
    assert translation_services.suggest(withdrawn.id, "es", "retirada") is None
    assert translation_services.suggest(10**9, "es", "nada") is None
