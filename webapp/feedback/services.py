"""The feedback survey: who may answer and when, storing one response, the results and CSV.

Plain Python. An attendee is identified by their registration, resolved by the adapter from
the join-link session, the join link itself, or the personal survey link of the follow-up
e-mail (`issue_link` / `by_link`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from webapp.accounts.models import User
from webapp.accounts.permissions import require_moderator
from webapp.agenda.models import AgendaItem
from webapp.core.i18n_text import LocalizedText
from webapp.core.spreadsheet import BOM, neutralise
from webapp.core.text import forbidden_character, is_blank, normalise_line_ends
from webapp.core.timefmt import zone_times
from webapp.core.timeutil import iso_utc, utcnow
from webapp.core.tokens import digest, new_token
from webapp.errors import Closed, Conflict, Forbidden, InvalidInput, NotFound
from webapp.extensions import db
from webapp.feedback.models import (
    FeedbackAnswer,
    FeedbackItemRating,
    FeedbackKind,
    FeedbackLink,
    FeedbackQuestion,
    FeedbackResponse,
    FeedbackSurvey,
)
from webapp.meetings import duplicate as duplication
from webapp.meetings.models import Meeting, MeetingStatus
from webapp.meetings.services import check_text, get_managed
from webapp.registration.models import Registration, RegistrationStatus

#: The ratings a person can give: 1 (poor) to 5 (excellent).
RATINGS = (1, 2, 3, 4, 5)
#: Longest open comment and text answer.
MAX_COMMENT = 5000
MAX_TEXT_ANSWER = 2000
#: Longest question label, and how many questions organisers may add.
LABEL_MAX = 300
MAX_QUESTIONS = 20
#: Longest token a survey link may carry (ours have 32 characters).
TOKEN_MAX = 64


# --- settings and questions (organisers) ----------------------------------------------------

def settings(meeting: Meeting) -> FeedbackSurvey:
    """The meeting's survey settings (defaults when organisers never changed them)."""
    return db.session.get(FeedbackSurvey, meeting.id) or FeedbackSurvey(
        meeting_id=meeting.id, open_early=False, closed=False)


def is_open(meeting: Meeting) -> bool:
    """Answers are taken after the meeting ended, or earlier when organisers opened it,
    until they close it. A draft never takes answers."""
    survey = settings(meeting)
    if survey.closed or meeting.status == MeetingStatus.DRAFT:
        return False
    return meeting.status == MeetingStatus.ENDED or survey.open_early


def configure(actor: User | None, meeting_id: int, *, open_early: bool,
              closed: bool) -> FeedbackSurvey:
    """Open the survey before the end, or close it."""
    meeting = get_managed(actor, meeting_id, write=True)
    survey = db.session.get(FeedbackSurvey, meeting.id)
    if survey is None:
        survey = FeedbackSurvey(meeting_id=meeting.id)
        db.session.add(survey)
    survey.open_early, survey.closed = bool(open_early), bool(closed)
    db.session.commit()
    return survey


def questions(meeting: Meeting) -> list[FeedbackQuestion]:
    """The organisers' questions in their order."""
    return list(db.session.scalars(
        select(FeedbackQuestion).where(FeedbackQuestion.meeting_id == meeting.id)
        .order_by(FeedbackQuestion.position, FeedbackQuestion.id)))


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda items a person may rate, in agenda order."""
    return list(db.session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position, AgendaItem.id)))


def get_question(actor: User | None, meeting_id: int, question_id: int, *,
                 write: bool = False) -> FeedbackQuestion:
    """One of the meeting's survey questions, for its staff."""
    get_managed(actor, meeting_id, write=write)
    question = db.session.get(FeedbackQuestion, question_id)
    if question is None or question.meeting_id != meeting_id:
        raise NotFound()
    return question


def _question_values(meeting: Meeting, label, kind) -> dict:
    check_text(label, _l("Question"), max_length=LABEL_MAX)
    try:
        kind = FeedbackKind(kind)
    except ValueError:
        raise InvalidInput(_l("Choose how the question is answered.")) from None
    if isinstance(label, LocalizedText):
        label = label.ordered(meeting.content_languages)
    return {"label": label, "kind": kind}


def add_question(actor: User | None, meeting_id: int, *, label, kind) -> FeedbackQuestion:
    """Add an organiser's question at the end of the survey."""
    meeting = get_managed(actor, meeting_id, write=True)
    values = _question_values(meeting, label, kind)
    existing = questions(meeting)
    if len(existing) >= MAX_QUESTIONS:
        raise InvalidInput(_l("At most %(n)d questions.", n=MAX_QUESTIONS))
    question = FeedbackQuestion(meeting_id=meeting.id, position=len(existing), **values)
    db.session.add(question)
    db.session.commit()
    return question


def update_question(actor: User | None, question: FeedbackQuestion, *, label,
                    kind) -> FeedbackQuestion:
    """Change a question's wording or kind; answers already given stay."""
    meeting = get_managed(actor, question.meeting_id, write=True)
    for key, value in _question_values(meeting, label, kind).items():
        setattr(question, key, value)
    db.session.commit()
    return question


def delete_question(actor: User | None, question: FeedbackQuestion) -> None:
    """Remove a question and the answers to it."""
    meeting = get_managed(actor, question.meeting_id, write=True)
    db.session.delete(question)
    db.session.flush()
    for index, row in enumerate(questions(meeting)):
        row.position = index
    db.session.commit()


def move_question(actor: User | None, question: FeedbackQuestion, offset: int) -> None:
    """Move a question up (-1) or down (+1)."""
    meeting = get_managed(actor, question.meeting_id, write=True)
    if offset not in (-1, 1):
        raise InvalidInput()
    rows = questions(meeting)
    index = next(i for i, row in enumerate(rows) if row.id == question.id)
    other = index + offset
    for position, row in enumerate(rows):
        row.position = position
    if 0 <= other < len(rows):
        rows[index].position, rows[other].position = other, index
    db.session.commit()


# --- who answers ----------------------------------------------------------------------------

def may_answer(meeting: Meeting, registration: Registration | None) -> bool:
    """A confirmed, unbanned, not erased registration of this very meeting."""
    return (registration is not None and registration.meeting_id == meeting.id
            and registration.status == RegistrationStatus.CONFIRMED
            and not registration.banned and registration.anonymised_at is None)


def issue_link(registration: Registration) -> str:
    """A new personal survey link token for `registration` (the caller commits).

    It replaces an earlier one and stops working when the join link is revoked or reissued
    (its `link_version` changes) or the person erases their data."""
    token, hashed = new_token()
    link = db.session.get(FeedbackLink, registration.id)
    if link is None:
        link = FeedbackLink(registration_id=registration.id)
        db.session.add(link)
    link.token_hash, link.link_version, link.created_at = (
        hashed, registration.link_version or 0, utcnow())
    return token


def by_link(meeting: Meeting, token) -> Registration:
    """The registration whose survey link carries `token`; NotFound for anything else."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX:
        raise NotFound(_l("This link is not valid any more."))
    link = db.session.scalar(select(FeedbackLink).where(FeedbackLink.token_hash == digest(token)))
    registration = db.session.get(Registration, link.registration_id) if link else None
    if (registration is None or registration.meeting_id != meeting.id
            or registration.anonymised_at is not None
            or (registration.link_version or 0) != link.link_version):
        raise NotFound(_l("This link is not valid any more."))
    return registration


def response_of(registration: Registration) -> FeedbackResponse | None:
    """The person's response, with its ratings and answers, or None."""
    return db.session.scalar(
        select(FeedbackResponse)
        .options(selectinload(FeedbackResponse.item_ratings),
                 selectinload(FeedbackResponse.answers))
        .where(FeedbackResponse.registration_id == registration.id))


# --- answering ------------------------------------------------------------------------------

@dataclass
class Answers:
    """What a person submits; ids refer to the meeting's agenda items and questions."""
    overall: object
    comment: object = ""
    items: dict = field(default_factory=dict)      #: agenda item id -> rating or None
    questions: dict = field(default_factory=dict)  #: question id -> rating, text or None


def _rating(value, label, *, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            raise InvalidInput(_l("%(field)s: please choose from 1 to 5.", field=label))
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
        raise InvalidInput(_l("%(field)s: please choose from 1 to 5.", field=label))
    return value


def _text(value, label, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(_l("%(field)s: please check what you entered.", field=label))
    if len(value) > max_length:
        raise InvalidInput(_l("%(field)s: at most %(n)d characters.", field=label,
                              n=max_length))
    if forbidden_character(value) is not None:
        raise InvalidInput(_l("%(field)s: contains characters that cannot be saved.",
                              field=label))
    return "" if is_blank(value) else normalise_line_ends(value)


def submit(meeting: Meeting, registration: Registration | None, answers: Answers, *,
           language: str = "en", now: datetime | None = None) -> FeedbackResponse:
    """Store the person's one response; a second one is refused."""
    if not may_answer(meeting, registration):
        raise Forbidden(_l("Only people registered for this meeting can answer its survey."))
    if not is_open(meeting):
        raise Closed(_l("The survey is not open."))
    if response_of(registration) is not None:
        raise Conflict(_l("You have already answered this survey. Thank you!"))
    response = FeedbackResponse(
        meeting_id=meeting.id, registration_id=registration.id,
        overall=_rating(answers.overall, _l("The meeting overall"), required=True),
        comment=_text(answers.comment, _l("Comments"), MAX_COMMENT),
        language=str(language)[:16], created_at=now or utcnow())
    items = {item.id: item for item in agenda_items(meeting)}
    for item_id, value in (answers.items or {}).items():
        if item_id not in items:
            raise InvalidInput(_l("This agenda item does not exist."))
        rating = _rating(value, items[item_id].title, required=False)
        if rating is not None:
            response.item_ratings.append(FeedbackItemRating(agenda_item_id=item_id,
                                                            rating=rating))
    asked = {q.id: q for q in questions(meeting)}
    for question_id, value in (answers.questions or {}).items():
        question = asked.get(question_id)
        if question is None:
            raise InvalidInput(_l("This question does not exist."))
        if question.kind == FeedbackKind.RATING:
            rating = _rating(value, question.label, required=False)
            if rating is not None:
                response.answers.append(FeedbackAnswer(question_id=question_id, rating=rating))
        else:
            text = _text(value, question.label, MAX_TEXT_ANSWER)
            if text:
                response.answers.append(FeedbackAnswer(question_id=question_id, text=text))
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:  # the same person's other tab got there first
        db.session.rollback()
        raise Conflict(_l("You have already answered this survey. Thank you!")) from None
    return response


# --- results (staff) ------------------------------------------------------------------------

@dataclass(frozen=True)
class RatingSummary:
    """Ratings of one thing: how many, their average, and how many gave each value."""
    count: int
    average: float | None
    distribution: tuple[tuple[int, int], ...]  #: (rating, people) for 1..5


def _summary(values: list[int]) -> RatingSummary:
    average = round(sum(values) / len(values), 2) if values else None
    return RatingSummary(len(values), average,
                         tuple((r, sum(1 for v in values if v == r)) for r in RATINGS))


@dataclass(frozen=True)
class Results:
    """The survey's results for the dashboard."""
    responses: int
    overall: RatingSummary
    items: list[tuple[AgendaItem, RatingSummary]]
    rated: list[tuple[FeedbackQuestion, RatingSummary]]      #: rating questions
    texts: list[tuple[FeedbackQuestion, list[str]]]          #: text questions' answers
    comments: list[str]


def _responses(meeting: Meeting) -> list[FeedbackResponse]:
    return list(db.session.scalars(
        select(FeedbackResponse)
        .options(selectinload(FeedbackResponse.item_ratings),
                 selectinload(FeedbackResponse.answers))
        .where(FeedbackResponse.meeting_id == meeting.id).order_by(FeedbackResponse.id)))


def results(actor: User | None, meeting: Meeting) -> Results:
    """Averages and distributions, text answers and comments: for the meeting's staff only."""
    require_moderator(actor, meeting.id)
    responses = _responses(meeting)
    by_item: dict[int, list[int]] = {}
    by_question: dict[int, list] = {}
    for response in responses:
        for rating in response.item_ratings:
            by_item.setdefault(rating.agenda_item_id, []).append(rating.rating)
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append(
                answer.rating if answer.rating is not None else answer.text)
    asked = questions(meeting)
    return Results(
        responses=len(responses),
        overall=_summary([r.overall for r in responses]),
        items=[(item, _summary(by_item.get(item.id, []))) for item in agenda_items(meeting)],
        rated=[(q, _summary([v for v in by_question.get(q.id, []) if isinstance(v, int)]))
               for q in asked if q.kind == FeedbackKind.RATING],
        texts=[(q, [v for v in by_question.get(q.id, []) if isinstance(v, str)])
               for q in asked if q.kind == FeedbackKind.TEXT],
        comments=[r.comment for r in responses if r.comment],
    )


EXPORT_COLUMNS = (_l("Response"), _l("Answered (UTC)"), _l("Answered (meeting time)"),
                  _l("Language"), _l("The meeting overall"))


def export_csv(actor: User | None, meeting: Meeting, language: str = "en") -> bytes:
    """One row per response, without names: UTF-8 with BOM, CRLF, headers in the reader's
    language, formulas neutralised; a column per agenda item and per organiser question."""
    require_moderator(actor, meeting.id)
    items, asked = agenda_items(meeting), questions(meeting)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(title)) for title in (
        *EXPORT_COLUMNS, *(item.title for item in items), *(q.label for q in asked),
        _l("Comments"))])
    for response in _responses(meeting):
        ratings = {r.agenda_item_id: r.rating for r in response.item_ratings}
        given = {a.question_id: a.rating if a.rating is not None else a.text
                 for a in response.answers}
        writer.writerow([neutralise(v) for v in (
            response.id, iso_utc(response.created_at),
            zone_times(response.created_at, meeting.zones, None, language).line("short"),
            response.language, response.overall,
            *(ratings.get(item.id, "") for item in items),
            *(given.get(q.id, "") for q in asked), response.comment)])
    return (BOM + buffer.getvalue()).encode("utf-8")


# --- privacy --------------------------------------------------------------------------------

def exported(registration: Registration) -> dict | None:
    """The person's response, for their data export."""
    response = response_of(registration)
    if response is None:
        return None
    return {"answered_at": iso_utc(response.created_at), "overall": response.overall,
            "comment": response.comment,
            "agenda_items": {str(r.agenda_item_id): r.rating for r in response.item_ratings},
            "questions": {str(a.question_id): a.rating if a.rating is not None else a.text
                          for a in response.answers}}


def forget(registrations) -> None:
    """Erasure: drop the written words (they may name the person) and the survey link; the
    ratings stay for the counts. The caller commits."""
    ids = [r.id for r in registrations]
    if not ids:
        return
    for response in db.session.scalars(
            select(FeedbackResponse).where(FeedbackResponse.registration_id.in_(ids))):
        response.comment = ""
        for answer in list(response.answers):
            if answer.text is not None:
                response.answers.remove(answer)
    for link in db.session.scalars(select(FeedbackLink).where(
            FeedbackLink.registration_id.in_(ids))):
        db.session.delete(link)


def _copy_survey(job: duplication.Copy) -> None:
    """The survey's settings and the organisers' questions; no response or link."""
    survey = db.session.get(FeedbackSurvey, job.source.id)
    if survey is not None:
        db.session.add(FeedbackSurvey(meeting_id=job.target.id, open_early=survey.open_early,
                                      closed=False))
    rows = db.session.scalars(select(FeedbackQuestion)
                              .where(FeedbackQuestion.meeting_id == job.source.id))
    for question in rows:
        db.session.add(duplication.copy_columns(question, meeting_id=job.target.id))


duplication.register(_copy_survey, order=40)
