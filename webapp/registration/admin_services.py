"""Organiser views of a meeting's registrations and its custom registration questions.

State changes of a registration (approve, cancel, promote, links) live in
`registration.services`; this module only reads, filters and counts, and edits questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from webapp.accounts.models import User
from webapp.core.i18n_text import localized
from webapp.errors import InvalidInput, NotFound
from webapp.extensions import db
from webapp.meetings import content
from webapp.meetings import duplicate as duplication
from webapp.meetings.models import Meeting
from webapp.meetings.services import check_text, get_managed
from webapp.registration.models import (
    OrganisationType,
    QuestionKind,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)
from webapp.registration.services import questions

PAGE_SIZE = 100
SEARCH_MAX = 200
QUESTION_LABEL_MAX = 300
HELP_TEXT_MAX = 2000
CHOICE_MAX = 200
MAX_CHOICES = 30
MAX_QUESTIONS = 30

#: Sort keys offered in the list: name -> column.
SORTS = {
    "name": Registration.name,
    "created": Registration.created_at,
    "status": Registration.status,
    "country": Registration.country,
    "organisation": Registration.organisation,
    "joined": Registration.first_joined_at,
}


@dataclass
class RegistrationFilter:
    """What the organiser narrowed the list to; unknown values mean "any"."""

    search: str = ""
    status: str = ""
    organisation_type: str = ""
    country: str = ""
    language: str = ""
    joined: str = ""  #: "yes", "no" or "" (any)
    sort: str = "created"
    descending: bool = False
    page: int = 1


@dataclass
class RegistrationPage:
    """One page of the registrations list with its filters."""
    rows: list[Registration]
    total: int
    page: int
    pages: int


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(meeting: Meeting, wanted: RegistrationFilter) -> list:
    conditions = [Registration.meeting_id == meeting.id]
    if wanted.status in RegistrationStatus._value2member_map_:
        conditions.append(Registration.status == RegistrationStatus(wanted.status))
    if wanted.organisation_type in OrganisationType._value2member_map_:
        conditions.append(
            Registration.organisation_type == OrganisationType(wanted.organisation_type))
    if wanted.country and len(wanted.country) == 2:
        conditions.append(Registration.country == wanted.country.upper())
    if wanted.language and len(wanted.language) <= 16:
        conditions.append(Registration.language == wanted.language)
    if wanted.joined == "yes":
        conditions.append(Registration.first_joined_at.is_not(None))
    elif wanted.joined == "no":
        conditions.append(Registration.first_joined_at.is_(None))
    search = wanted.search.strip()[:SEARCH_MAX]
    if search:
        pattern = f"%{_escape_like(search.lower())}%"
        conditions.append(or_(
            func.lower(Registration.name).like(pattern, escape="\\"),
            func.lower(Registration.email).like(pattern, escape="\\"),
            func.lower(Registration.organisation).like(pattern, escape="\\"),
            func.lower(Registration.position).like(pattern, escape="\\"),
        ))
    return conditions


def list_registrations(actor: User | None, meeting_id: int, wanted: RegistrationFilter,
                       *, page_size: int = PAGE_SIZE) -> RegistrationPage:
    """One page of the filtered, sorted list (moderators may read it)."""
    meeting = get_managed(actor, meeting_id)
    conditions = _conditions(meeting, wanted)
    total = db.session.scalar(select(func.count(Registration.id)).where(*conditions))
    pages = max(1, -(-total // page_size))
    page = min(max(1, wanted.page), pages)
    column = SORTS.get(wanted.sort, Registration.created_at)
    order = column.desc() if wanted.descending else column.asc()
    rows = list(db.session.scalars(
        select(Registration).where(*conditions).order_by(order, Registration.id)
        .offset((page - 1) * page_size).limit(page_size)
    ))
    return RegistrationPage(rows, total, page, pages)


def all_registrations(actor: User | None, meeting_id: int,
                      wanted: RegistrationFilter | None = None) -> list[Registration]:
    """Every matching registration, for the CSV export (organisers only: personal data)."""
    meeting = get_managed(actor, meeting_id, write=True)
    conditions = _conditions(meeting, wanted or RegistrationFilter())
    return list(db.session.scalars(
        select(Registration).where(*conditions).order_by(Registration.created_at,
                                                         Registration.id)))


def get_registration(actor: User | None, meeting_id: int, registration_id: int, *,
                     write: bool = False) -> Registration:
    """A registration of this meeting for staff who may see it."""
    get_managed(actor, meeting_id, write=write)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.meeting_id != meeting_id:
        raise NotFound()
    return registration


def registrations_by_ids(actor: User | None, meeting_id: int, ids: list[int]
                         ) -> list[Registration]:
    """The chosen rows of this meeting only; ids of other meetings are silently left out."""
    get_managed(actor, meeting_id, write=True)
    if not ids:
        return []
    return list(db.session.scalars(
        select(Registration).where(Registration.meeting_id == meeting_id,
                                   Registration.id.in_(ids[:1000]))
        .order_by(Registration.created_at, Registration.id)))


ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING,
          RegistrationStatus.WAITLISTED)


@dataclass
class Figures:
    """Counts for the list header and the dashboard. Anonymised rows still count."""

    by_status: dict[str, int]
    by_organisation_type: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    by_language: list[tuple[str, int]]
    joined: int
    confirmed: int
    per_day: list[tuple[str, int]]
    attendees_by_organisation_type: list[tuple[str, int]]
    attendees_by_country: list[tuple[str, int]]


def _grouped(column, *conditions) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(column, func.count(Registration.id)).where(*conditions)
        .group_by(column).order_by(func.count(Registration.id).desc(), column)
    ).all()
    return [(str(key) if key else "", n) for key, n in rows]


def figures(actor: User | None, meeting_id: int) -> Figures:
    """Counts by status, organisation type and country, for the organisers."""
    meeting = get_managed(actor, meeting_id)
    mine = Registration.meeting_id == meeting.id
    active = Registration.status.in_(ACTIVE)
    joined = Registration.first_joined_at.is_not(None)
    by_status = dict(_grouped(Registration.status, mine))
    created = list(db.session.scalars(
        select(Registration.created_at).where(mine).order_by(Registration.created_at)))
    return Figures(
        by_status=by_status,
        by_organisation_type=_grouped(Registration.organisation_type, mine, active),
        by_country=_grouped(Registration.country, mine, active),
        by_language=_grouped(Registration.language, mine, active),
        joined=db.session.scalar(select(func.count(Registration.id)).where(mine, joined)),
        confirmed=by_status.get(RegistrationStatus.CONFIRMED.value, 0),
        per_day=_cumulative_per_day(created),
        attendees_by_organisation_type=_grouped(Registration.organisation_type, mine, joined),
        attendees_by_country=_grouped(Registration.country, mine, joined),
    )


def _cumulative_per_day(moments: list[datetime]) -> list[tuple[str, int]]:
    """Running total of registrations for each calendar day (UTC) from the first to the last."""
    if not moments:
        return []
    per_day: dict = {}
    for moment in moments:
        per_day[moment.date()] = per_day.get(moment.date(), 0) + 1
    day, last = min(per_day), max(per_day)
    total, series = 0, []
    while day <= last:
        total += per_day.get(day, 0)
        series.append((day.isoformat(), total))
        day += timedelta(days=1)
    return series


def attendance(actor: User | None, meeting_id: int) -> list[Registration]:
    """Who joined live and when, first arrivals first."""
    meeting = get_managed(actor, meeting_id)
    return list(db.session.scalars(
        select(Registration).where(Registration.meeting_id == meeting.id,
                                   Registration.first_joined_at.is_not(None))
        .order_by(Registration.first_joined_at)))


# --- custom registration questions ---------------------------------------------------------

def get_question(actor: User | None, meeting_id: int, question_id: int, *,
                 write: bool = False) -> RegistrationQuestion:
    """A registration question of this meeting for organisers."""
    get_managed(actor, meeting_id, write=write)
    question = db.session.get(RegistrationQuestion, question_id)
    if question is None or question.meeting_id != meeting_id:
        raise NotFound()
    return question


def _question_values(meeting: Meeting, label, help_text, kind, required: bool,
                     choices: list) -> dict:
    check_text(label, _l("Question"), max_length=QUESTION_LABEL_MAX)
    check_text(help_text, _l("Help text"), max_length=HELP_TEXT_MAX, required=False,
               multiline=True)
    kind = QuestionKind(kind)
    order = meeting.content_languages
    cleaned = []
    for choice in choices:
        choice = localized(choice)
        if not choice.is_blank():
            check_text(choice, _l("Choices"), max_length=CHOICE_MAX)
            cleaned.append(choice.ordered(order))
    if kind == QuestionKind.CHOICE:
        if len(cleaned) < 2:
            raise InvalidInput(_l("A choice question needs at least two choices."))
        if len(cleaned) > MAX_CHOICES:
            raise InvalidInput(_l("At most %(n)d choices.", n=MAX_CHOICES))
        keys = [choice.localize(order[0]) for choice in cleaned]
        if len(set(keys)) != len(keys):
            raise InvalidInput(_l("Each choice may appear only once."))
    else:
        cleaned = []
    return dict(label=localized(label).ordered(order),
                help_text=localized(help_text).ordered(order), kind=kind,
                required=bool(required), choices=[c.to_json_value() for c in cleaned])


def add_question(actor: User | None, meeting_id: int, *, label: str, help_text: str = "",
                 kind: QuestionKind = QuestionKind.TEXT, required: bool = False,
                 choices: list[str] = ()) -> RegistrationQuestion:
    """Add an extra question to the registration form."""
    meeting = get_managed(actor, meeting_id, write=True)
    values = _question_values(meeting, label, help_text, kind, required, list(choices))
    existing = questions(meeting)
    if len(existing) >= MAX_QUESTIONS:
        raise InvalidInput(_l("At most %(n)d questions.", n=MAX_QUESTIONS))
    question = RegistrationQuestion(meeting_id=meeting.id, position=len(existing), **values)
    db.session.add(question)
    db.session.commit()
    return question


def update_question(actor: User | None, question: RegistrationQuestion, *, label: str,
                    help_text: str = "", kind: QuestionKind = QuestionKind.TEXT,
                    required: bool = False, choices: list[str] = ()) -> RegistrationQuestion:
    """Change an extra question; earlier answers stay."""
    meeting = get_managed(actor, question.meeting_id, write=True)
    for key, value in _question_values(meeting, label, help_text, kind, required,
                                       list(choices)).items():
        setattr(question, key, value)
    db.session.commit()
    return question


def delete_question(actor: User | None, question: RegistrationQuestion) -> None:
    """Remove a question; answers already given stay in the registrations."""
    meeting_id = question.meeting_id
    get_managed(actor, meeting_id, write=True)
    db.session.delete(question)
    db.session.flush()
    for index, row in enumerate(questions(db.session.get(Meeting, meeting_id))):
        row.position = index
    db.session.commit()


def move_question(actor: User | None, question: RegistrationQuestion, offset: int) -> None:
    """Move a question up or down the form."""
    get_managed(actor, question.meeting_id, write=True)
    if offset not in (-1, 1):
        raise InvalidInput()
    rows = questions(db.session.get(Meeting, question.meeting_id))
    for index, row in enumerate(rows):
        row.position = index
    index = next(i for i, row in enumerate(rows) if row.id == question.id)
    other = index + offset
    if 0 <= other < len(rows):
        rows[index].position, rows[other].position = other, index
    db.session.commit()


class _StoredChoice:
    """One option of a choice question, read and written like an attribute (for `content`)."""

    def __init__(self, question: RegistrationQuestion, index: int):
        self.question, self.index = question, index

    @property
    def text(self):
        return localized(self.question.choices[self.index])

    @text.setter
    def text(self, value):
        choices = list(self.question.choices)
        choices[self.index] = localized(value).to_json_value()
        self.question.choices = choices


def _organiser_texts(meeting: Meeting):
    """The registration form's share of the meeting's organiser texts."""
    for question in questions(meeting):
        yield question, "label"
        yield question, "help_text"
        for index in range(len(question.choices or [])):
            yield _StoredChoice(question, index), "text"


content.provide(_organiser_texts)


def _copy_questions(job: duplication.Copy) -> None:
    """The registration form's own questions; no registration or answer."""
    rows = db.session.scalars(select(RegistrationQuestion)
                              .where(RegistrationQuestion.meeting_id == job.source.id))
    for question in rows:
        db.session.add(duplication.copy_columns(question, meeting_id=job.target.id))


duplication.register(_copy_questions, order=20)
