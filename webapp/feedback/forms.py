"""Survey forms: the attendee's answers (built per meeting) and the organisers' editor."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import InputRequired, Length, Optional

from webapp.core.fields import CleanText, MultilineField, options
from webapp.core.localized_fields import LocalizedField
from webapp.feedback.models import FeedbackKind
from webapp.feedback.services import (
    LABEL_MAX,
    MAX_COMMENT,
    MAX_TEXT_ANSWER,
    RATINGS,
    Answers,
)

KIND_LABELS = {
    FeedbackKind.RATING: _l("Rating from 1 to 5"),
    FeedbackKind.TEXT: _l("Written answer"),
}


def _stars(label, *, required: bool) -> RadioField:
    return RadioField(label, coerce=int, choices=options((r, str(r)) for r in RATINGS),
                      validators=[InputRequired(_l("Please choose from 1 to 5."))]
                      if required else [Optional()])


def survey_form(items, questions, **kwargs) -> FlaskForm:
    """The survey for one meeting: overall, each agenda item, the organisers' questions and a
    comment. Fields are `overall`, `item-<id>`, `question-<id>`, `comment`."""

    class SurveyForm(FlaskForm):
        overall = _stars(_l("How was the meeting overall?"), required=True)
        comment = MultilineField(_l("Anything else you would like to tell the organisers?"),
                                 validators=[Length(max=MAX_COMMENT), CleanText(multiline=True)])

    for item in items:
        setattr(SurveyForm, f"item-{item.id}", _stars(item.title, required=False))
    for question in questions:
        if question.kind == FeedbackKind.RATING:
            setattr(SurveyForm, f"question-{question.id}", _stars(question.label, required=False))
        else:
            setattr(SurveyForm, f"question-{question.id}", MultilineField(
                question.label, validators=[Length(max=MAX_TEXT_ANSWER),
                                            CleanText(multiline=True)]))
    form = SurveyForm(**kwargs)
    form.item_fields = [(item, form[f"item-{item.id}"]) for item in items]
    form.question_fields = [(question, form[f"question-{question.id}"])
                            for question in questions]
    return form


def answers_of(form) -> Answers:
    """What the person chose, as the service takes it."""
    return Answers(
        overall=form.overall.data, comment=form.comment.data or "",
        items={item.id: field.data for item, field in form.item_fields},
        questions={question.id: field.data for question, field in form.question_fields})


class QuestionForm(FlaskForm):
    """An organiser's question in the survey."""
    label = LocalizedField(_l("Question"), required=True, max_length=LABEL_MAX)
    kind = SelectField(_l("Kind of answer"),
                       choices=options((k.value, label) for k, label in KIND_LABELS.items()))


class SettingsForm(FlaskForm):
    """When the survey takes answers."""
    open_early = BooleanField(_l("Open the survey before the meeting ends"))
    closed = BooleanField(_l("Close the survey (no more answers)"))
