"""Questions as CSV and simple figures for organisers: who asked, and how much was answered.

Plain Python: the acting staff user is passed in and checked; the download route only
streams what `questions_csv` returns.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.accounts.models import User
from webapp.accounts.permissions import can_moderate
from webapp.agenda.models import AgendaItem
from webapp.core.spreadsheet import BOM, neutralise
from webapp.core.timefmt import zone_times
from webapp.core.timeutil import iso_utc
from webapp.errors import NotFound
from webapp.extensions import db
from webapp.meetings.models import Meeting
from webapp.qa.models import Question, QuestionStatus

#: Column headers, in order.
COLUMNS = (
    _l("ID"),
    _l("Question"),
    _l("Original wording"),
    _l("Author"),
    _l("Organisation"),
    _l("Anonymous"),
    _l("Language"),
    _l("Agenda item"),
    _l("Labels"),
    _l("Votes"),
    _l("Status"),
    _l("Dismissal reason"),
    _l("Written answer"),
    _l("Asked (UTC)"),
    _l("Asked"),
    _l("Answered (UTC)"),
    _l("Answered"),
    _l("Answered by"),
    _l("Last change (UTC)"),
)


def _check(actor: User | None, meeting_id: int) -> None:
    if not can_moderate(actor, meeting_id):
        raise NotFound()


def _questions(meeting_id: int) -> list[Question]:
    return list(db.session.scalars(
        select(Question)
        .options(selectinload(Question.registration), selectinload(Question.answered_by))
        .where(Question.meeting_id == meeting_id)
        .order_by(Question.id)
    ))


def _translated(translations: dict | None, languages: list[str]) -> list[str]:
    """One cell per meeting language: its translation, empty when there is none."""
    found = translations or {}
    return [found[code]["text"] if code in found else "" for code in languages]


def question_rows(actor: User | None, meeting_id: int,
                  language: str = "en") -> list[list[str]]:
    """One row per question (withdrawn ones too); author only when not anonymous; then the
    question's and the answer's translation into each meeting language. Times in UTC for
    sorting and in the meeting's zones (`language`) for people."""
    _check(actor, meeting_id)
    zones = db.session.get(Meeting, meeting_id).zones

    def when(moment):
        return zone_times(moment, zones, None, language).line("short") if moment else ""

    items = dict(db.session.execute(
        select(AgendaItem.id, AgendaItem.title).where(AgendaItem.meeting_id == meeting_id)
    ).all())
    meeting = db.session.get(Meeting, meeting_id)
    languages = list(meeting.languages or []) if meeting is not None else []
    rows = [[str(title) for title in COLUMNS]
            + [str(_l("Question (%(language)s)", language=code)) for code in languages]
            + [str(_l("Written answer (%(language)s)", language=code)) for code in languages]]
    for question in _questions(meeting_id):
        registration = None if question.anonymous else question.registration
        row = [
            question.id,
            question.text,
            question.original_text,
            registration.name if registration else "",
            registration.organisation if registration else "",
            question.anonymous,
            question.language,
            items.get(question.agenda_item_id, ""),
            "; ".join(question.labels or []),
            question.vote_count,
            question.status.value,
            question.dismiss_reason.value if question.dismiss_reason else "",
            question.answer_text,
            iso_utc(question.created_at),
            when(question.created_at),
            iso_utc(question.answered_at),
            when(question.answered_at),
            question.answered_by.name if question.answered_by else "",
            iso_utc(question.updated_at),
            *_translated(question.translations, languages),
            *_translated(question.answer_translations, languages),
        ]
        rows.append([neutralise(cell) for cell in row])
    return rows


def questions_csv(actor: User | None, meeting_id: int, language: str = "en") -> bytes:
    """UTF-8 with BOM (Excel then reads Chinese and Spanish correctly), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(question_rows(actor, meeting_id, language))
    return (BOM + buffer.getvalue()).encode("utf-8")


def analytics(actor: User | None, meeting_id: int) -> dict:
    """Questions asked vs answered, overall and by the askers' organisation type and country.

    Withdrawn questions are not counted as asked. Anonymous questions count under their
    asker's organisation type and country: these are aggregates, shown to staff only.
    """
    _check(actor, meeting_id)
    asked: Counter = Counter()
    answered: Counter = Counter()
    by_type: dict[str, Counter] = {}
    by_country: dict[str, Counter] = {}
    askers = set()
    for question in _questions(meeting_id):
        if question.status == QuestionStatus.WITHDRAWN:
            continue
        registration = question.registration
        kind = registration.organisation_type.value if registration else "unknown"
        country = (registration.country or "unknown") if registration else "unknown"
        if registration is not None:
            askers.add(registration.id)
        is_answered = question.status == QuestionStatus.ANSWERED
        asked[question.status.value] += 1
        for table, key in ((by_type, kind), (by_country, country)):
            counter = table.setdefault(key, Counter())
            counter["asked"] += 1
            counter["answered"] += int(is_answered)
        answered["answered"] += int(is_answered)

    def listing(table: dict[str, Counter]) -> list[dict]:
        return sorted(
            ({"key": key, "asked": c["asked"], "answered": c["answered"]}
             for key, c in table.items()),
            key=lambda row: (-row["asked"], row["key"]),
        )

    return {
        "asked": sum(asked.values()),
        "answered": answered["answered"],
        "askers": len(askers),
        "by_status": {status.value: asked.get(status.value, 0)
                      for status in QuestionStatus if status != QuestionStatus.WITHDRAWN},
        "by_organisation_type": listing(by_type),
        "by_country": listing(by_country),
    }
