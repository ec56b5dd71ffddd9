"""The three shapes of a question on the wire: public, the asker's own, and staff.

They are built by separate functions from an explicit list of fields, so a private field
(pending status, the author of an anonymous question, e-mail) can only reach attendees by
someone adding it here on purpose. tests/qa/test_sockets.py checks every attendee payload.
"""

from __future__ import annotations

from webapp.core.timeutil import iso_utc as iso
from webapp.meetings import translations
from webapp.qa.models import Question, QuestionStatus

#: Statuses attendees see in the list.
VISIBLE = (QuestionStatus.LIVE, QuestionStatus.ANSWERED)
#: Tabs of the moderator console.
TABS = (
    QuestionStatus.PENDING,
    QuestionStatus.LIVE,
    QuestionStatus.ANSWERED,
    QuestionStatus.DISMISSED,
    QuestionStatus.ARCHIVED,
)


def _base(question: Question) -> dict:
    return {
        "id": question.id,
        "text": question.text,
        "edited": question.original_text is not None,
        "language": question.language,
        "anonymous": question.anonymous,
        "agenda_item_id": question.agenda_item_id,
        "speaker_id": question.speaker_id,
        "votes": question.vote_count,
        "votes_rev": question.votes_version or 0,
        "highlighted": question.highlighted,
        "highlighted_at": iso(question.highlighted_at) if question.highlighted else None,
        "starred": question.starred,
        "labels": list(question.labels or []),
        "answer": question.answer_text,
        "translations": translations.public(question.translations),
        "answer_translations": translations.public(question.answer_translations),
        "answered_at": iso(question.answered_at),
        "created_at": iso(question.created_at),
    }


def _named_author(question: Question) -> dict | None:
    registration = question.registration
    if registration is None:
        return None
    return {"name": registration.name, "organisation": registration.organisation}


def public(question: Question) -> dict:
    """What any attendee (and the presenter screen) may see of a visible question."""
    data = _base(question)
    data["status"] = question.status.value if question.status in VISIBLE else "live"
    data["author"] = None if question.anonymous else _named_author(question)
    return data


def own(question: Question) -> dict:
    """The asker's view of their own question: its status and why it was dismissed."""
    data = _base(question)
    data.update(
        mine=True,
        status=question.status.value,
        author=_named_author(question),
        dismiss_reason=question.dismiss_reason.value if question.dismiss_reason else None,
        dismiss_note=question.dismiss_note,
        merged_into_id=question.merged_into_id,
    )
    return data


def interpreter(question: Question) -> dict:
    """What an interpreter sees of any question: the text to translate, never who asked
    (no name, organisation or e-mail, even of named questions)."""
    data = _base(question)
    data.update(status=question.status.value, author=None,
                original_text=question.original_text)
    return data


def staff(question: Question) -> dict:
    """Everything a moderator needs, author of anonymous questions included (staff room only)."""
    data = _base(question)
    registration = question.registration
    data.update(
        status=question.status.value,
        version=question.version,
        registration_id=question.registration_id,
        author=None if registration is None else {
            "name": registration.name,
            "organisation": registration.organisation,
            "organisation_type": registration.organisation_type.value,
            "country": registration.country,
            "email": registration.email,
            "muted": registration.muted,
        },
        original_text=question.original_text,
        dismiss_reason=question.dismiss_reason.value if question.dismiss_reason else None,
        dismiss_note=question.dismiss_note,
        merged_into_id=question.merged_into_id,
        updated_at=iso(question.updated_at),
    )
    return data
