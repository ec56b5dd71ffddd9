"""Organiser forms: custom registration questions, list filters and bulk actions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField

from webapp.core.fields import options
from webapp.core.localized_fields import LocalizedField
from webapp.meetings.forms import EachLineOfEachLanguage
from webapp.registration.admin_services import (
    CHOICE_MAX,
    HELP_TEXT_MAX,
    MAX_CHOICES,
    QUESTION_LABEL_MAX,
)
from webapp.registration.models import QuestionKind

QUESTION_KIND_LABELS = {
    QuestionKind.TEXT: _l("Short text"),
    QuestionKind.CHOICE: _l("One choice from a list"),
    QuestionKind.CHECKBOX: _l("Checkbox (yes or no)"),
}

#: Bulk actions on the list: value -> label. Each maps to a registration service.
BULK_ACTIONS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "promote": _l("Promote from the waiting list"),
    "cancel": _l("Cancel"),
}


class QuestionForm(FlaskForm):
    """An extra question of the registration form."""
    label = LocalizedField(_l("Question"), required=True, max_length=QUESTION_LABEL_MAX)
    help_text = LocalizedField(_l("Help text"), multiline=True, max_length=HELP_TEXT_MAX)
    kind = SelectField(_l("Kind of answer"),
                       choices=options((k.value, label)
                                       for k, label in QUESTION_KIND_LABELS.items()))
    choices = LocalizedField(_l("Choices (one per line, for a choice question)"), multiline=True,
                             max_length=MAX_CHOICES * (CHOICE_MAX + 2),
                             validators=[EachLineOfEachLanguage(CHOICE_MAX, MAX_CHOICES)])
    required = BooleanField(_l("An answer is required"))
