"""Organiser forms for agenda items and speakers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

from webapp.agenda.models import ItemKind
from webapp.agenda.services import (
    ITEM_TITLE_MAX,
    LONG_TEXT_MAX,
    MAX_MINUTES,
    SPEAKER_NAME_MAX,
    SPEAKER_TEXT_MAX,
)
from webapp.core.fields import CleanText, NotBlank, options
from webapp.core.localized_fields import LocalizedField
from webapp.media.forms import picture_field, remove_field

#: Speaker slots shown on the item form; order of the slots is the order on the agenda.
SPEAKER_SLOTS = 4

KIND_LABELS = {
    ItemKind.OPENING: _l("Opening"),
    ItemKind.TALK: _l("Talk"),
    ItemKind.PANEL: _l("Panel"),
    ItemKind.QA: _l("Questions and answers"),
    ItemKind.BREAK: _l("Break"),
    ItemKind.CLOSING: _l("Closing"),
    ItemKind.OTHER: _l("Other"),
}


class AgendaItemForm(FlaskForm):
    """One agenda item: title, kind, planned minutes and speakers."""
    title = LocalizedField(_l("Title"), required=True, max_length=ITEM_TITLE_MAX)
    kind = SelectField(_l("Kind"),
                       choices=options((k.value, label) for k, label in KIND_LABELS.items()))
    planned_minutes = IntegerField(_l("Planned minutes"),
                                   validators=[InputRequired(), NumberRange(0, MAX_MINUTES)])
    description = LocalizedField(_l("Description"), multiline=True, max_length=LONG_TEXT_MAX)
    speakers = FieldList(SelectField(_l("Speaker"), choices=[], validate_choice=True),
                         min_entries=SPEAKER_SLOTS, max_entries=SPEAKER_SLOTS)

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = options([("", _l("(none)"))] + [(str(s.id), s.name) for s in speakers])
        for number, entry in enumerate(self.speakers, start=1):
            entry.choices = choices
            entry.label.text = _l("Speaker %(n)d", n=number)
            if entry.data is None:  # a slot left out of the post means "no speaker"
                entry.data = ""

    def speaker_ids(self) -> list[int]:
        """The chosen speakers' ids (the select sends strings)."""
        return [int(entry.data) for entry in self.speakers if entry.data]


class SpeakerForm(FlaskForm):
    """One speaker: name, title, affiliation and photo."""
    name = StringField(_l("Name"), validators=[NotBlank(), Length(max=SPEAKER_NAME_MAX),
                                               CleanText()])
    title = LocalizedField(_l("Title or position"), max_length=SPEAKER_TEXT_MAX)
    affiliation = LocalizedField(_l("Affiliation"), max_length=SPEAKER_TEXT_MAX)
    bio = LocalizedField(_l("Short biography"), multiline=True, max_length=LONG_TEXT_MAX)
    photo = picture_field(_l("Photo (JPEG, PNG, WebP or GIF, at most 10 MB)"))
    remove_photo = remove_field(_l("Remove the photo"))
