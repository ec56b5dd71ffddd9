"""Forms of the after-meeting pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length

from webapp.board.followup_services import MAX_ANSWER_LENGTH
from webapp.core.fields import CleanText, NotBlank


class AnswerForm(FlaskForm):
    question_id = IntegerField(validators=[InputRequired()])
    text = TextAreaField(_l("Written answer"), validators=[
        NotBlank(), Length(max=MAX_ANSWER_LENGTH), CleanText(multiline=True)])


class PublishForm(FlaskForm):
    """Only the CSRF token: publishing has no fields."""
