"""WTForms validators shared by every form: bounded, control-character-free text."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from webapp.core.text import forbidden_character, single_line


class CleanText:
    """Refuse control characters (PostgreSQL cannot store NUL) and, optionally, line breaks."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, form, field):
        value = field.data
        if not isinstance(value, str) or not value:
            return
        bad = forbidden_character(value)
        if bad is not None:
            raise ValidationError(
                _l("This text contains a control character (U+%(code)04X) that cannot be saved.",
                   code=ord(bad))
            )
        if not self.multiline and not single_line(value):
            raise ValidationError(_l("Please keep this on one line."))


class NotBlank:
    """Required and not only white space, while keeping the text exactly as typed."""

    def __call__(self, form, field):
        if not isinstance(field.data, str) or not field.data.strip():
            raise ValidationError(_l("This field is required."))


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices (tuples are deprecated since WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]
