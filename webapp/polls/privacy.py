"""The polls' part of a person's data export (registered with `registration.privacy`).

Erasure keeps poll answers as it keeps questions: they count in results already shown, and
the erased registration no longer names anyone, so they stay without a person behind them.
"""

from __future__ import annotations

from sqlalchemy import select

from webapp.core.timeutil import iso_utc
from webapp.extensions import db
from webapp.polls.models import Poll, PollAnswer
from webapp.registration import privacy
from webapp.registration.models import Registration


def exported_answers(registration: Registration) -> list[dict]:
    """The person's poll answers, with each poll's question in the reader's language."""
    rows = db.session.execute(
        select(PollAnswer, Poll).join(Poll, Poll.id == PollAnswer.poll_id)
        .where(PollAnswer.registration_id == registration.id).order_by(PollAnswer.id))
    return [{"poll": str(poll.question), "answer": answer.value,
             "answered_at": iso_utc(answer.updated_at or answer.created_at)}
            for answer, poll in rows]


privacy.on_export("poll_answers", exported_answers)
