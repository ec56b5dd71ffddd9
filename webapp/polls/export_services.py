"""One poll's answers as CSV for its meeting's staff: UTF-8 with BOM, formulas neutralised,
names only when the poll is not anonymous.

Plain Python: the acting staff user is passed in and checked; the download route only
streams what `poll_csv` returns.
"""

from __future__ import annotations

import csv
import io

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from webapp.accounts.models import User
from webapp.accounts.permissions import can_moderate
from webapp.core.i18n_text import localized
from webapp.core.spreadsheet import BOM, neutralise
from webapp.core.timeutil import iso_utc
from webapp.errors import NotFound
from webapp.extensions import db
from webapp.polls.models import Poll, PollAnswer, PollKind


def _poll(actor: User | None, meeting_id: int, poll_id: int) -> Poll:
    poll = db.session.get(Poll, poll_id)
    if poll is None or poll.meeting_id != meeting_id or not can_moderate(actor, meeting_id):
        raise NotFound()
    return poll


def _readable(poll: Poll, value: dict, language: str) -> str:
    """The answer as words: option texts in `language`, ratings and entries as given."""
    options = [localized(option).localize(language) for option in poll.options or []]

    def option(index) -> str:
        return options[index] if isinstance(index, int) and 0 <= index < len(options) else ""

    if poll.kind == PollKind.SINGLE:
        return option(value.get("choice"))
    if poll.kind in (PollKind.MULTIPLE, PollKind.RANKING):
        key = "choices" if poll.kind == PollKind.MULTIPLE else "order"
        return "; ".join(option(index) for index in value.get(key) or [])
    if poll.kind == PollKind.RATING:
        return str(value.get("rating", ""))
    if poll.kind == PollKind.WORD_CLOUD:
        return "; ".join(value.get("words") or [])
    return value.get("text", "")


def poll_rows(actor: User | None, meeting_id: int, poll_id: int,
              language: str = "en") -> list[list[str]]:
    """A header, then one row per answer, oldest first."""
    poll = _poll(actor, meeting_id, poll_id)
    header = [_l("Answer ID"), _l("Answer"), _l("Status"), _l("Answered (UTC)"),
              _l("Changed (UTC)")]
    if not poll.anonymous:
        header[1:1] = [_l("Name"), _l("Organisation")]
    rows = [[str(title) for title in header]]
    answers = db.session.scalars(
        select(PollAnswer).options(selectinload(PollAnswer.registration))
        .where(PollAnswer.poll_id == poll.id).order_by(PollAnswer.id))
    for answer in answers:
        row = [answer.id, _readable(poll, answer.value, language), answer.status.value,
               iso_utc(answer.created_at), iso_utc(answer.updated_at)]
        if not poll.anonymous:
            registration = answer.registration
            row[1:1] = [registration.name if registration else "",
                        registration.organisation if registration else ""]
        rows.append([neutralise(cell) for cell in row])
    return rows


def poll_csv(actor: User | None, meeting_id: int, poll_id: int, language: str = "en") -> bytes:
    """UTF-8 with BOM (Excel then reads Chinese and Spanish correctly), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(poll_rows(actor, meeting_id, poll_id, language))
    return (BOM + buffer.getvalue()).encode("utf-8")
