"""Translations of questions and of their written answers. Plain Python.

Staff and interpreters set, correct or remove one language at a time; a translation service
may add suggestions through the same function with `machine=True`. The column is written
with a plain UPDATE, outside the question's optimistic `version`: a translation arriving
while a moderator looks at the question must not make their next action a conflict.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from webapp import machine_translation
from webapp.accounts.participant import Participant
from webapp.errors import DomainError, Forbidden, NotFound
from webapp.extensions import db
from webapp.meetings import translations
from webapp.meetings.models import Meeting
from webapp.qa import serialise
from webapp.qa.models import ANSWER_MAX, Question, QuestionStatus
from webapp.realtime import log
from webapp.realtime.models import Audience

#: A translation may be this many times longer than the original (Chinese to Spanish grows).
GROWTH = 3
#: Fields of a question that can be translated, by the name commands use.
FIELDS = ("text", "answer")
#: Statuses an interpreter works on: what the console shows them.
INTERPRETER_STATUSES = (QuestionStatus.PENDING, QuestionStatus.LIVE, QuestionStatus.ANSWERED)


class NotTranslator(Forbidden):
    """Only staff and interpreters translate."""
    code = "forbidden"
    default_message = _l("Only interpreters and moderators can translate.")


def _question(participant: Participant, question_id) -> tuple[Question, Meeting]:
    if not participant.may_translate:
        raise NotTranslator()
    if not isinstance(question_id, int) or isinstance(question_id, bool):
        raise NotFound()
    question = db.session.get(Question, question_id)
    if question is None or question.meeting_id != participant.meeting_id:
        raise NotFound()
    if question.status == QuestionStatus.WITHDRAWN or (
            not participant.is_staff and question.status not in INTERPRETER_STATUSES):
        raise NotFound()
    meeting = db.session.get(Meeting, question.meeting_id)
    return question, meeting


def payload(question: Question) -> dict:
    """The `question_translated` event: both maps whole, so applying it twice changes nothing."""
    return {
        "question_id": question.id,
        "translations": translations.public(question.translations),
        "answer_translations": translations.public(question.answer_translations),
    }


def _record(question: Question) -> None:
    """Send the change to the rooms the question itself goes to."""
    data = payload(question)
    if question.status in serialise.VISIBLE:
        log.record(question.meeting_id, "question_translated", data)
        return
    log.record(question.meeting_id, "question_translated", data, audience=Audience.STAFF)
    if question.status == QuestionStatus.PENDING:
        log.record(question.meeting_id, "question_translated", data,
                   audience=Audience.INTERPRETERS)


def set_translation(participant: Participant, question_id, language, text, *,
                    field: str = "text", machine: bool = False) -> Question:
    """Set, correct or (blank `text`) remove the question's or its answer's translation.

    A machine suggestion never replaces a person's translation; a person's text always
    replaces a suggestion and clears its `machine` mark.
    """
    if field not in FIELDS:
        raise NotFound()
    question, meeting = _question(participant, question_id)
    language = translations.check_language(meeting, question.language, language)
    return _store(question, meeting, field, language, text, machine=machine,
                  by=None if machine else participant.user_id)


def _store(question: Question, meeting: Meeting, field: str, language: str, text, *,
           machine: bool, by: int | None) -> Question:
    """Write one translation, log it to the question's rooms and commit."""
    if field == "text":
        original, column = question.text, Question.translations
        limit = max(meeting.question_max_length, len(original)) * GROWTH
        current = question.translations
    else:
        original, column = question.answer_text, Question.answer_translations
        limit = ANSWER_MAX * GROWTH
        current = question.answer_translations
    if original is None:
        raise NotFound(_l("This question has no written answer yet."))
    text = translations.check_text(text, limit)
    existing = (current or {}).get(language)
    if machine and existing is not None and not existing.get("machine"):
        return question
    value = translations.apply(current, language, text, machine=machine, by=by)
    db.session.execute(
        update(Question).where(Question.id == question.id).values({column: value})
        .execution_options(synchronize_session=False))
    # Written above; the object learns the value without becoming dirty (no version bump).
    set_committed_value(question, column.key, value)
    _record(question)
    db.session.commit()
    return question


def suggest(question_id: int, language: str, text: str) -> Question | None:
    """Store a machine suggestion for a question, as a translation marked `machine`.

    The translator answers in the background, when the question may have changed: a question
    withdrawn or gone, a language no longer the meeting's, or an unusable text is dropped; a
    person's translation is never replaced.
    """
    question = db.session.get(Question, question_id)
    if question is None or question.status == QuestionStatus.WITHDRAWN:
        return None
    meeting = db.session.get(Meeting, question.meeting_id)
    try:
        language = translations.check_language(meeting, question.language, language)
        return _store(question, meeting, "text", language, text, machine=True, by=None)
    except DomainError:
        db.session.rollback()
        return None


#: The kind `qa.services.ask` asks the translator for; its answers arrive below.
SUGGESTION_KIND = "question"


@machine_translation.delivers(SUGGESTION_KIND)
def _deliver_suggestion(question_id, language, text) -> None:
    """Where the translator's answers for `qa.services.ask`'s requests arrive."""
    suggest(question_id, language, text)
