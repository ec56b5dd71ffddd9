"""Organiser forms for agenda items and speakers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from webapp.agenda.models import ROLE_LABELS, ItemKind, SpeakerRole
from webapp.agenda.services import (
    ITEM_TITLE_MAX,
    LONG_TEXT_MAX,
    MAX_MINUTES,
    MAX_SPEAKERS_PER_ITEM,
    SPEAKER_NAME_MAX,
    SPEAKER_TEXT_MAX,
)
from webapp.core.fields import CleanText, NotBlank, options
from webapp.core.localized_fields import LocalizedField
from webapp.media.forms import picture_field, remove_field

#: Empty speaker rows offered below the chosen ones (without JavaScript, to add more).
EMPTY_SPEAKER_ROWS = 3
#: Rows read from a post at most (the service refuses more than MAX_SPEAKERS_PER_ITEM speakers).
MAX_SPEAKER_ROWS = MAX_SPEAKERS_PER_ITEM + 20


KIND_LABELS = {
    ItemKind.OPENING: _l("Opening"),
    ItemKind.TALK: _l("Talk"),
    ItemKind.PANEL: _l("Panel"),
    ItemKind.QA: _l("Questions and answers"),
    ItemKind.BREAK: _l("Break"),
    ItemKind.CLOSING: _l("Closing"),
    ItemKind.OTHER: _l("Other"),
}


class SpeakerRowForm(Form):
    """One speaker of an item: who, in which role, where in the list; or remove them."""
    speaker = SelectField(_l("Speaker"), choices=[], validate_choice=True)
    role = SelectField(_l("Role"), default=SpeakerRole.SPEAKER.value,
                       choices=options((r.value, label) for r, label in ROLE_LABELS.items()))
    order = IntegerField(_l("Place"), validators=[Optional(), NumberRange(1, MAX_SPEAKER_ROWS)])
    remove = BooleanField(_l("Remove"))


class AgendaItemForm(FlaskForm):
    """One agenda item: title, kind, planned minutes and speakers."""
    title = LocalizedField(_l("Title"), required=True, max_length=ITEM_TITLE_MAX)
    kind = SelectField(_l("Kind"),
                       choices=options((k.value, label) for k, label in KIND_LABELS.items()))
    planned_minutes = IntegerField(_l("Planned minutes"),
                                   validators=[InputRequired(), NumberRange(0, MAX_MINUTES)])
    description = LocalizedField(_l("Description"), multiline=True, max_length=LONG_TEXT_MAX)
    speakers = FieldList(FormField(SpeakerRowForm), max_entries=MAX_SPEAKER_ROWS)

    def __init__(self, *args, speakers=(), links=None, **kwargs):
        """`speakers` are the meeting's; `links` the item's current ones (a page, not a post)."""
        super().__init__(*args, **kwargs)
        self.speaker_options = list(speakers)
        if links is not None and not self.is_submitted():
            while self.speakers.entries:
                self.speakers.pop_entry()
            for link in links:
                self.speakers.append_entry({"speaker": str(link.speaker_id),
                                            "role": link.role.value})
        if not self.is_submitted():
            for _row in range(EMPTY_SPEAKER_ROWS):
                self.speakers.append_entry({"speaker": "", "role": SpeakerRole.SPEAKER.value})
        choices = options([("", _l("(none)"))] + [(str(s.id), s.name) for s in speakers])
        for number, entry in enumerate(self.speakers, start=1):
            row = entry.form
            row.speaker.choices = choices
            row.speaker.label.text = _l("Speaker %(n)d", n=number)
            if row.speaker.data is None:  # a row left out of the post means "no speaker"
                row.speaker.data = ""
            if row.role.data is None:
                row.role.data = SpeakerRole.SPEAKER.value
            if row.order.data is None and not self.is_submitted():
                row.order.data = number

    def speaker_choices(self) -> list[tuple[int, str]]:
        """The chosen (speaker id, role) in the order asked for: by place, then by row;
        rows marked for removal and empty rows left out."""
        rows = [(entry.form.order.data or index + 1, index, entry.form)
                for index, entry in enumerate(self.speakers)]
        return [(int(row.speaker.data), row.role.data)
                for _order, _index, row in sorted(rows, key=lambda r: (r[0], r[1]))
                if row.speaker.data and not row.remove.data]


class SpeakerForm(FlaskForm):
    """One speaker: name, title, affiliation and photo."""
    name = StringField(_l("Name"), validators=[NotBlank(), Length(max=SPEAKER_NAME_MAX),
                                               CleanText()])
    title = LocalizedField(_l("Title or position"), max_length=SPEAKER_TEXT_MAX)
    affiliation = LocalizedField(_l("Affiliation"), max_length=SPEAKER_TEXT_MAX)
    bio = LocalizedField(_l("Short biography"), multiline=True, max_length=LONG_TEXT_MAX)
    photo = picture_field(_l("Photo (JPEG, PNG, WebP or GIF, at most 10 MB)"))
    remove_photo = remove_field(_l("Remove the photo"))
