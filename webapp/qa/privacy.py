"""The Q&A's part of a person's data export (registered with `registration.privacy`)."""

from __future__ import annotations

from sqlalchemy import select

from webapp.core.timeutil import iso_utc
from webapp.extensions import db
from webapp.qa.models import Question
from webapp.registration import privacy
from webapp.registration.models import Registration


def exported_questions(registration: Registration) -> list[dict]:
    """The questions this person asked, oldest first."""
    asked = db.session.scalars(select(Question).where(
        Question.registration_id == registration.id).order_by(Question.id))
    return [{"text": q.text, "asked_at": iso_utc(q.created_at),
             "anonymous": q.anonymous} for q in asked]


privacy.on_export("questions", exported_questions)
