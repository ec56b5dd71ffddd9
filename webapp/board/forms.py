"""Forms of the after-meeting pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, Length, NumberRange

from webapp.board.followup_services import MAX_ANSWER_LENGTH
from webapp.core.converters import INT64_MAX
from webapp.core.fields import CleanText, MultilineField, NotBlank


class AnswerForm(FlaskForm):
    """A written answer to a question, after the meeting."""
    question_id = IntegerField(validators=[InputRequired(), NumberRange(1, INT64_MAX)])
    text = MultilineField(_l("Written answer"), validators=[
        NotBlank(), Length(max=MAX_ANSWER_LENGTH), CleanText(multiline=True)])


class PublishForm(FlaskForm):
    """Only the CSRF token: publishing has no fields."""
