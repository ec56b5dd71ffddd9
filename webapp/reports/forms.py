"""The report's forms: the organisers' texts in every meeting language, publish buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from webapp.core.localized_fields import LocalizedField
from webapp.reports.services import TEXT_MAX


def _text(label):
    return LocalizedField(label, multiline=True, max_length=TEXT_MAX)


class ReportTextsForm(FlaskForm):
    """The opening paragraph and one optional note per section (the figures stay live)."""
    intro = _text(_l("Opening paragraph"))
    speakers_note = _text(_l("Note on the speakers"))
    timing_note = _text(_l("Note on the timing"))
    attendance_note = _text(_l("Note on attendance"))
    questions_note = _text(_l("Note on the questions"))
    polls_note = _text(_l("Note on the polls"))
    board_note = _text(_l("Note on the message board"))


class PublishForm(FlaskForm):
    """Publish or unpublish: a button, with its CSRF token."""
