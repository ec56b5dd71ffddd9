"""After the meeting: the Q&A transcript, written follow-up answers and the digest e-mail.

Plain Python. The digest goes once to each asker and voter of an answered question, in their
own language; a row per person records it, so publishing again mails nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from webapp import mail
from webapp.accounts.models import User
from webapp.accounts.permissions import require_moderator
from webapp.agenda.models import AgendaItem
from webapp.board.models import FollowUpMail
from webapp.core.links import external_url
from webapp.core.text import forbidden_character, is_blank, normalise_line_ends
from webapp.core.timeutil import utcnow
from webapp.errors import Closed, InvalidInput, NotFound
from webapp.extensions import db
from webapp.feedback import services as feedback_services
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.qa.models import Question, QuestionStatus, Vote
from webapp.qa.ordering import POPULAR
from webapp.registration.models import Registration, RegistrationStatus

#: Longest written answer.
MAX_ANSWER_LENGTH = 5000


@dataclass(frozen=True)
class TranscriptEntry:
    """One answered question as the after-meeting transcript shows it."""
    question: Question
    asker: str | None  #: None for anonymous questions and erased askers
    organisation: str
    answerer: str | None  #: the staff member who answered it; None when hidden or unknown


@dataclass(frozen=True)
class TranscriptGroup:
    """The answered questions of one agenda item; `item` None is the "General" group."""
    item: AgendaItem | None
    entries: list[TranscriptEntry]


def _entry(question: Question, with_names: bool) -> TranscriptEntry:
    answerer = question.answered_by.name if with_names and question.answered_by else None
    registration = question.registration
    if (not with_names or question.anonymous or registration is None
            or registration.anonymised_at):
        return TranscriptEntry(question, None, "", answerer)
    return TranscriptEntry(question, registration.name, registration.organisation, answerer)


def transcript(meeting: Meeting, *, with_names: bool = True) -> list[TranscriptGroup]:
    """Answered questions grouped by agenda item in agenda order, questions without an item
    last; within a group in the order they were answered.

    Without `with_names` (a viewer who may not see who took part) every asker is anonymous
    and no answerer is named.
    """
    questions = db.session.scalars(
        select(Question)
        .options(selectinload(Question.registration), selectinload(Question.answered_by))
        .where(Question.meeting_id == meeting.id, Question.status == QuestionStatus.ANSWERED)
        .order_by(Question.answered_at.is_(None), Question.answered_at, Question.id)
    ).all()
    by_item: dict[int | None, list[TranscriptEntry]] = {}
    for question in questions:
        by_item.setdefault(question.agenda_item_id, []).append(_entry(question, with_names))
    items = db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    groups = [TranscriptGroup(item, by_item[item.id]) for item in items if item.id in by_item]
    if None in by_item:
        groups.append(TranscriptGroup(None, by_item[None]))
    return groups


def open_questions(user: User | None, meeting: Meeting) -> list[Question]:
    """Questions still waiting for a written answer: not answered, or answered only aloud."""
    require_moderator(user, meeting.id)
    return list(db.session.scalars(
        select(Question)
        .where(Question.meeting_id == meeting.id,
               or_(Question.status == QuestionStatus.LIVE,
                   (Question.status == QuestionStatus.ANSWERED)
                   & (Question.answer_text.is_(None) | (Question.answer_text == ""))))
        .order_by(*POPULAR)
    ))


def written_answers(user: User | None, meeting: Meeting) -> list[Question]:
    """Questions with a written answer, for the follow-up mail."""
    require_moderator(user, meeting.id)
    return list(db.session.scalars(
        select(Question)
        .where(Question.meeting_id == meeting.id, Question.status == QuestionStatus.ANSWERED,
               Question.answer_text.is_not(None), Question.answer_text != "")
        .order_by(Question.answered_at, Question.id)
    ))


def answer(user: User | None, meeting: Meeting, question_id, text, *,
           now: datetime | None = None) -> Question:
    """Store a written answer; the question counts as answered from now on."""
    require_moderator(user, meeting.id)
    if not isinstance(text, str) or is_blank(text):
        raise InvalidInput(_l("Write an answer first."))
    if len(text) > MAX_ANSWER_LENGTH:
        raise InvalidInput(_l("Please keep this under %(n)d characters.", n=MAX_ANSWER_LENGTH))
    bad = forbidden_character(text)
    if bad is not None:
        raise InvalidInput(
            _l("This text contains a control character (U+%(code)04X) that cannot be saved.",
               code=ord(bad)))
    question = db.session.get(Question, question_id) if isinstance(question_id, int) else None
    if question is None or question.meeting_id != meeting.id:
        raise NotFound(_l("This question does not exist."))
    if question.status not in (QuestionStatus.LIVE, QuestionStatus.ANSWERED):
        raise InvalidInput(_l("Only open questions can be answered."))
    question.answer_text = normalise_line_ends(text)
    question.status = QuestionStatus.ANSWERED
    if question.answered_at is None:
        question.answered_at = now or utcnow()
        question.answered_by_id = user.id
    db.session.commit()
    return question


@dataclass(frozen=True)
class Published:
    """What publishing the follow-up did: digests sent now and people who had theirs."""
    sent: int      #: digests sent now
    skipped: int   #: people who already had theirs


def _recipients(meeting: Meeting, questions: list[Question]) -> dict[int, list[Question]]:
    """Registration id -> the answered questions they asked or voted for, in order."""
    by_id = {q.id: q for q in questions}
    wanted: dict[int, set[int]] = {}
    for question in questions:
        if question.registration_id is not None:
            wanted.setdefault(question.registration_id, set()).add(question.id)
    if by_id:
        for question_id, registration_id in db.session.execute(
                select(Vote.question_id, Vote.registration_id)
                .where(Vote.question_id.in_(list(by_id)))):
            wanted.setdefault(registration_id, set()).add(question_id)
    order = {q.id: n for n, q in enumerate(questions)}
    return {rid: sorted((by_id[qid] for qid in qids), key=lambda q: order[q.id])
            for rid, qids in wanted.items()}


def _everyone(meeting: Meeting, with_questions: dict[int, list[Question]]
              ) -> dict[int, list[Question]]:
    """Every confirmed registration, with the answered questions they asked or voted for
    (none for most): the follow-up thanks everyone, and carries the survey link to each."""
    confirmed = db.session.scalars(select(Registration.id).where(
        Registration.meeting_id == meeting.id,
        Registration.status == RegistrationStatus.CONFIRMED))
    return {registration_id: with_questions.get(registration_id, [])
            for registration_id in {*confirmed, *with_questions}}


def publish(user: User | None, meeting: Meeting, *, link: str,
            now: datetime | None = None) -> Published:
    """E-mail every confirmed registration one follow-up, once ever: the written answers to
    the questions they asked or voted for (if any), the organisers' follow-up text, and
    while the feedback survey is open the person's own survey link."""
    require_moderator(user, meeting.id)
    if meeting.status != MeetingStatus.ENDED:
        raise Closed(_l("Follow-up answers are published after the meeting has ended."))
    now = now or utcnow()
    questions = written_answers(user, meeting)
    already = set(db.session.scalars(
        select(FollowUpMail.registration_id).where(FollowUpMail.meeting_id == meeting.id)))
    survey_open = feedback_services.is_open(meeting)
    sent = skipped = 0
    for registration_id, theirs in sorted(_everyone(meeting,
                                                     _recipients(meeting, questions)).items()):
        if registration_id in already:
            skipped += 1
            continue
        registration = db.session.get(Registration, registration_id)
        if registration is None or registration.anonymised_at is not None or registration.banned:
            continue
        db.session.add(FollowUpMail(meeting_id=meeting.id, registration_id=registration_id,
                                    question_count=len(theirs), sent_at=now))
        survey_link = None
        if survey_open and feedback_services.may_answer(meeting, registration):
            survey_link = external_url("feedback.by_link", slug=meeting.slug,
                                       token=feedback_services.issue_link(registration))
        try:
            db.session.commit()  # recorded before sending: a crash never mails twice
        except IntegrityError:  # another moderator's publish got there first
            db.session.rollback()
            skipped += 1
            continue
        message = mail.compose(
            "followup_digest", to=registration.email, language=registration.language,
            subject=(_l("Answers to your questions: %(title)s", title=meeting.title) if theirs
                     else _l("Thank you for taking part: %(title)s", title=meeting.title)),
            meeting=meeting, registration=registration, questions=theirs, link=link,
            survey_link=survey_link,
            asked_ids={q.id for q in theirs if q.registration_id == registration_id})
        mail.send(message)
        sent += 1
    return Published(sent, skipped)
