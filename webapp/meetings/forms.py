"""Organiser forms for meetings and series, one per page of the editor."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.core.fields import (
    CleanText,
    MultilineField,
    NotBlank,
    OptionList,
    StaticSelect,
    options,
)
from webapp.core.i18n import LANGUAGES, current_language
from webapp.core.localized_fields import LocalizedField
from webapp.core.text import normalise_line_ends
from webapp.core.timeutil import is_valid_timezone
from webapp.core.zones import display_zone, zone_options
from webapp.media.forms import picture_field, remove_field
from webapp.meetings.models import BoardMode, ModerationMode, RegistrationMode
from webapp.meetings.services import (
    DESCRIPTION_MAX,
    MAX_CAPACITY,
    MAX_PARTNER_ZONES,
    MAX_RETENTION_DAYS,
    MAX_SLOW_SECONDS,
    ORGANISATION_MAX,
    QUESTION_LENGTH_RANGE,
    SLUG_MAX,
    SLUG_PATTERN,
    TITLE_MAX,
    URL_MAX,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice shown as checkboxes."""
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def lines(text: str | None) -> list[str]:
    """One entry per non-blank line, each kept exactly as typed."""
    return [line for line in _LINE_BREAK.split(text or "") if line.strip()]


class SlugCheck:
    """Refuse a slug that is not lowercase words joined by hyphens."""
    def __call__(self, form, field):
        """Refuse a slug that is not lowercase words joined by hyphens."""
        if field.data and not SLUG_PATTERN.match(field.data):
            raise ValidationError(
                _l("Use lower-case letters, digits and hyphens for the web address."))


class KnownZone:
    """Refuse a zone name the tz database does not know (an old alias is still known)."""
    def __call__(self, form, field):
        """Refuse an unknown zone name."""
        if not is_valid_timezone(field.data or ""):
            raise ValidationError(_l("Choose a time zone from the list."))


class EachLine:
    """Bound every line of a one-per-line list."""

    def __init__(self, max_length: int, max_lines: int = 50):
        self.max_length, self.max_lines = max_length, max_lines

    def __call__(self, form, field):
        """Check every line of a list given one per line."""
        entries = lines(field.data)
        if len(entries) > self.max_lines:
            raise ValidationError(_l("At most %(n)d lines.", n=self.max_lines))
        if any(len(entry) > self.max_length for entry in entries):
            raise ValidationError(_l("Each line may have at most %(n)d characters.",
                                     n=self.max_length))


class ZoneListField(MultilineField):
    """The partner zones: one zone picker per zone, each posting `partner_timezones` (a form
    from before the pickers posts lines of text, which still works), kept as one text with a
    zone per line."""

    def process_formdata(self, valuelist):
        """Join the pickers' values (blank ones dropped) into lines."""
        if valuelist:
            self.data = normalise_line_ends("\n".join(
                value for value in valuelist if isinstance(value, str) and value.strip()))

    def pickers(self) -> list[str]:
        """The zone each picker selects (an alias selects its zone), padded with empty ones
        up to the most a meeting may have."""
        zones = [display_zone(zone) for zone in lines(self.data)]
        return zones + [""] * max(0, MAX_PARTNER_ZONES - len(zones))


def _accent_field():
    return StringField(_l("Accent colour"), validators=[Optional(), Length(max=7), CleanText()])


def _url_field(label):
    return StringField(label, validators=[Optional(), Length(max=URL_MAX), CleanText()])


def _organisations_field(label):
    return LocalizedField(label, multiline=True, max_length=20_000,
                          validators=[EachLineOfEachLanguage(ORGANISATION_MAX)])


class EachLineOfEachLanguage(EachLine):
    """`EachLine` for every language of a localized list, lines matching across languages."""

    def __call__(self, form, field):
        """Check each language's list, and that translations have as many lines."""
        counts = set()
        for language in field.languages:
            entries = lines(field.value(language))
            if entries:
                counts.add(len(entries))
            if len(entries) > self.max_lines:
                raise ValidationError(_l("At most %(n)d lines.", n=self.max_lines))
            if any(len(entry) > self.max_length for entry in entries):
                raise ValidationError(_l("Each line may have at most %(n)d characters.",
                                         n=self.max_length))
        if len(counts) > 1:
            raise ValidationError(_l("Give each language the same number of lines: line 1 "
                                     "of every language names the first organisation."))


class NextSessionForm(FlaskForm):
    """"Duplicate as the next session": when it starts, its title and web address."""
    starts_local = DateTimeLocalField(_l("Start of the next session"), format=DATETIME_FORMAT,
                                      validators=[InputRequired()])
    title = LocalizedField(_l("Title"), required=True, max_length=TITLE_MAX)
    slug = StringField(_l("Web address"),
                       validators=[NotBlank(), Length(max=SLUG_MAX), CleanText(), SlugCheck()])


class MeetingDetailsForm(FlaskForm):
    """A meeting's title, times, zone, capacity and registration mode."""
    title = LocalizedField(_l("Title"), required=True, max_length=TITLE_MAX)
    slug = StringField(_l("Web address"),
                       validators=[NotBlank(), Length(max=SLUG_MAX), CleanText(), SlugCheck()])
    series_id = SelectField(_l("Series"), choices=[], validate_choice=True)
    session_number = IntegerField(_l("Session number"),
                                  validators=[Optional(), NumberRange(1, 10_000)])
    description = LocalizedField(_l("Description"), multiline=True, max_length=DESCRIPTION_MAX)
    #: Offers canonical zones; the service checks the value, so a meeting stored with an
    #: alias ("US/Pacific") still saves.
    timezone = SelectField(_l("Time zone"), choices=[], validate_choice=False,
                           validators=[KnownZone()], widget=StaticSelect())
    partner_timezones = ZoneListField(_l("Partner time zones"),
                                      validators=[Length(max=1_000), CleanText(multiline=True)])
    starts_local = DateTimeLocalField(_l("Start"), format=DATETIME_FORMAT,
                                      validators=[InputRequired()])
    planned_end_local = DateTimeLocalField(_l("Planned end"), format=DATETIME_FORMAT,
                                           validators=[InputRequired()])
    latest_end_local = DateTimeLocalField(_l("Latest acceptable end"), format=DATETIME_FORMAT,
                                          validators=[Optional()])
    languages = MultiCheckboxField(_l("Spoken languages"),
                                   choices=options(LANGUAGES.items()))
    #: Checked by the service (a post without it keeps the first spoken language).
    default_language = SelectField(_l("Default language"), choices=options(LANGUAGES.items()),
                                   validate_choice=False)
    confirmation_text = LocalizedField(_l("Added to the registration confirmation e-mail"),
                                       multiline=True, max_length=DESCRIPTION_MAX)
    follow_up_text = LocalizedField(_l("Opening of the follow-up e-mail"), multiline=True,
                                    max_length=DESCRIPTION_MAX)
    capacity = IntegerField(_l("Capacity (seats)"),
                            validators=[Optional(), NumberRange(1, MAX_CAPACITY)])
    registration_mode = SelectField(_l("Registration"), choices=options([
        (RegistrationMode.OPEN.value, _l("Open: confirmed at once while seats last")),
        (RegistrationMode.APPROVAL.value, _l("Approval: an organiser approves each person")),
        (RegistrationMode.CLOSED.value, _l("Closed: no new registrations")),
    ]))
    recording_url = _url_field(_l("Recording link"))
    recording_started_local = DateTimeLocalField(_l("Recording started"), format=DATETIME_FORMAT,
                                                 validators=[Optional()])
    stream_url = _url_field(_l("Video call link for attendees"))
    retention_days = IntegerField(_l("Keep personal data for (days after the meeting)"),
                                  validators=[InputRequired(),
                                              NumberRange(1, MAX_RETENTION_DAYS)])
    hosts = _organisations_field(_l("Hosts (one per line)"))
    partners = _organisations_field(_l("Partners (one per line)"))
    supporters = _organisations_field(_l("Supporters (one per line)"))
    banner = picture_field(_l("Banner (JPEG, PNG, WebP or GIF, at most 10 MB)"))
    remove_banner = remove_field(_l("Remove the banner"))
    accent_colour = _accent_field()

    def __init__(self, *args, series=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.series_id.choices = options([("", _l("No series"))]
                                         + [(str(s.id), str(s.title)) for s in series])
        self.zone_options = zone_options(current_language())
        self.timezone.choices = self.zone_options

    def show_zone(self, zone: str) -> None:
        """Select `zone` in the picker: an alias selects its canonical zone, and a name the
        list lacks is offered as itself rather than silently replaced on the next save."""
        zone = display_zone(zone)
        self.timezone.data = zone
        if zone and zone not in {value for value, _label in self.zone_options}:
            self.timezone.choices = OptionList([(zone, zone), *self.zone_options])


class QASettingsForm(FlaskForm):
    """The Q&A rules of a meeting."""
    moderation = RadioField(_l("Moderation"), choices=options([
        (ModerationMode.PRE.value, _l("Before: a moderator approves each question first")),
        (ModerationMode.POST.value, _l("After: questions appear at once and can be dismissed")),
    ]))
    open_ = BooleanField(_l("Questions are open"))
    anonymous = BooleanField(_l("Attendees may ask anonymously"))
    after_meeting = BooleanField(_l("Take questions after the meeting (answered in writing)"))
    max_length = IntegerField(_l("Longest question (characters)"), validators=[
        InputRequired(), NumberRange(*QUESTION_LENGTH_RANGE)])


class BoardSettingsForm(FlaskForm):
    """The board rules of a meeting."""
    mode = RadioField(_l("Message board"), choices=options([
        (BoardMode.OPEN.value, _l("Open")),
        (BoardMode.READ_ONLY.value, _l("Read-only")),
        (BoardMode.OFF.value, _l("Off")),
    ]))
    slow_seconds = IntegerField(_l("Slow mode: seconds between two posts (0 = off)"),
                                validators=[InputRequired(), NumberRange(0, MAX_SLOW_SECONDS)])
    publish_wall = BooleanField(_l("After the meeting, publish the wall (every post with its "
                                   "author, organisation and country) and the askers' names "
                                   "in the transcript to everyone"))


class SeriesForm(FlaskForm):
    """A series' slug, title and description."""
    title = LocalizedField(_l("Title"), required=True, max_length=TITLE_MAX)
    slug = StringField(_l("Web address"),
                       validators=[NotBlank(), Length(max=SLUG_MAX), CleanText(), SlugCheck()])
    description = LocalizedField(_l("Description"), multiline=True, max_length=DESCRIPTION_MAX)
    banner = picture_field(_l("Banner (JPEG, PNG, WebP or GIF, at most 10 MB)"))
    remove_banner = remove_field(_l("Remove the banner"))
    accent_colour = _accent_field()


class LogoForm(FlaskForm):
    """An organisation's logo: upload one or remove it."""
    logo = picture_field(_l("Logo (JPEG, PNG, WebP or GIF, at most 10 MB)"))
    remove_logo = remove_field(_l("Remove the logo"))


class SeriesOrganiserForm(FlaskForm):
    """Name another staff account (by its login e-mail) as an organiser of the series."""

    email = StringField(_l("E-mail of a staff account"),
                        validators=[NotBlank(), Length(max=254), CleanText()])


class ConfirmForm(FlaskForm):
    """A bare CSRF-protected form for buttons (publish, delete, move)."""
