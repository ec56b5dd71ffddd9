"""The registration form, built per meeting with the organiser's custom questions."""

from __future__ import annotations

from functools import lru_cache

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from webapp.core.collation import sorted_names
from webapp.core.fields import (
    CheckboxInput,
    CleanText,
    EmailInput,
    NotBlank,
    OptionList,
    StaticSelect,
    TextInput,
)
from webapp.core.i18n import LANGUAGES
from webapp.registration import services
from webapp.registration.labels import (
    ORGANISATION_TYPE_LABELS,
    country_choices,
    meeting_countries,
)
from webapp.registration.models import OrganisationType, QuestionKind

CHOOSE = _l("Please choose one of the options.")
TOO_LONG = _l("Please use at most %(max)d characters.")


def _bounded(max_length: int):
    return Length(max=max_length, message=TOO_LONG)


class _Choice(SelectField):
    """A select whose wrong values get our own translated message (AnyOf below)."""

    widget = StaticSelect()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class _EmptyOk:
    """Optional for selects: only the blank option is "no answer" (" " is a wrong choice)."""

    field_flags = {"optional": True}

    def __call__(self, form, field):
        if field.data in (None, ""):
            field.errors = []
            raise StopValidation()


class _OneOf(AnyOf):
    """AnyOf for a select without a blank answer: flagged required so the form marks it."""

    field_flags = {"required": True}


class _Checked:
    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data is not True:
            raise ValidationError(self.message)


class RegistrationForm(FlaskForm):
    # The widgets are wtforms' own with a faster attribute writer (see webapp.core.fields).
    """The public registration form (its extra questions are added per meeting)."""
    name = StringField(_l("Full name"), widget=TextInput(), validators=[
        NotBlank(), CleanText(), _bounded(services.NAME_MAX)])
    email = EmailField(_l("E-mail"), widget=EmailInput(), validators=[
        NotBlank(), CleanText(), _bounded(services.EMAIL_MAX),
        Email(message=_l("Enter a valid e-mail address."))])
    organisation = StringField(_l("Organisation"), widget=TextInput(), validators=[
        Optional(), CleanText(), _bounded(services.ORGANISATION_MAX)])
    organisation_type = _Choice(_l("Type of organisation"), validators=[
        _OneOf([t.value for t in OrganisationType], message=CHOOSE)])
    position = StringField(_l("Position or title"), widget=TextInput(), validators=[
        Optional(), CleanText(), _bounded(services.POSITION_MAX)])
    country = _Choice(_l("Country"))
    language = _Choice(_l("Language for e-mails"), validators=[
        _OneOf(list(LANGUAGES), message=CHOOSE)])
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my details are used as it says."),
        widget=CheckboxInput(),
        validators=[_Checked(_l("Please agree to the privacy notice to register."))])

    #: (field name, question) of the custom questions, in order.
    custom: list = []

    def to_input(self) -> services.RegistrationInput:
        """The form's data as the service's input."""
        answers = {}
        for name, question in self.custom:
            value = getattr(self, name).data
            if question.kind == QuestionKind.CHECKBOX:
                answers[str(question.id)] = value is True
            elif value not in (None, ""):
                answers[str(question.id)] = value
        return services.RegistrationInput(
            name=self.name.data or "", email=self.email.data or "",
            organisation=self.organisation.data or "",
            organisation_type=self.organisation_type.data or "",
            position=self.position.data or "", country=self.country.data or "",
            language=self.language.data or "", consent=self.consent.data is True,
            answers=answers)


def _question_field(question):
    label = question.label
    description = question.help_text or ""
    if question.kind == QuestionKind.CHECKBOX:
        validators = [_Checked(_l("Please tick this box to continue."))] if question.required \
            else []
        return BooleanField(label, validators=validators, description=description,
                            widget=CheckboxInput())
    if question.kind == QuestionKind.CHOICE:
        options = question.options()
        keys = [key for key, _label in options]
        validators = [_OneOf(keys, message=CHOOSE)] if question.required \
            else [_EmptyOk(), AnyOf(keys, message=CHOOSE)]
        choices = [SelectChoice("", "—")] + [SelectChoice(key, label) for key, label in options]
        return _Choice(label, choices=choices, validators=validators, description=description)
    validators = [NotBlank()] if question.required else [Optional()]
    validators += [CleanText(), _bounded(services.ANSWER_MAX)]
    return StringField(label, validators=validators, description=description,
                       widget=TextInput())


#: "No answer yet", first in the selects that have no sensible default.
_BLANK = ("", "—")


@lru_cache(maxsize=8)
def _organisation_types(language: str) -> OptionList:
    with force_locale(language):
        return OptionList([_BLANK] + [(t.value, str(ORGANISATION_TYPE_LABELS[t]))
                                      for t in OrganisationType])


@lru_cache(maxsize=64)
def _countries(language: str, first: tuple[str, ...] = ()) -> tuple[OptionList, AnyOf]:
    """The ~250 countries as options (the meeting's own `first` in a group of their own above
    "Other countries": each country once, so a submitted one is selected once), and the
    validator accepting exactly their codes (and flagging the field required: the blank option
    is no answer)."""
    countries = country_choices(language)
    valid = _OneOf(tuple(code for code, _name in countries), message=CHOOSE)
    if not first:
        return OptionList([_BLANK, *countries]), valid
    names = dict(countries)
    with force_locale(language):
        groups = [(str(_l("This meeting's countries")),
                   sorted_names([(code, names[code]) for code in first], language)),
                  (str(_l("Other countries")),
                   [(code, name) for code, name in countries if code not in first])]
    return OptionList([_BLANK], groups=groups), valid


@lru_cache(maxsize=8)
def _languages(language: str) -> OptionList:
    """The interface languages by their own names, sorted for a reader of `language`."""
    return OptionList(sorted_names(LANGUAGES.items(), language))


def registration_form(meeting, language: str, *, formdata=None, data=None) -> RegistrationForm:
    """The form for `meeting` with its custom questions as fields `q_<id>`."""
    custom = [(f"q_{q.id}", q) for q in services.questions(meeting)]
    attrs = {name: _question_field(q) for name, q in custom}
    attrs["custom"] = custom
    form_class = type("MeetingRegistrationForm", (RegistrationForm,), attrs)
    kwargs = {} if formdata is None else {"formdata": formdata}
    form = form_class(data=data or {}, **kwargs)
    # Constant per language, so built and escaped once (they were a fifth of the page's time).
    form.organisation_type.choices = _organisation_types(language)
    form.country.choices, country_valid = _countries(language, meeting_countries(meeting.zones))
    form.country.validators = [country_valid]
    form.country.flags.required = True
    form.language.choices = _languages(language)
    if not form.language.data:
        form.language.data = language
    return form


class ResendForm(FlaskForm):
    """Ask for one's join link again, by e-mail."""
    email = EmailField(_l("E-mail"), validators=[
        NotBlank(), CleanText(), _bounded(services.EMAIL_MAX),
        Email(message=_l("Enter a valid e-mail address."))])


class ConfirmForm(FlaskForm):
    """A POST button with CSRF only."""


class NextSessionForm(FlaskForm):
    """The confirmation for the next session: names the meeting the attendee agreed to."""

    meeting = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class EraseForm(FlaskForm):
    """Confirm erasing one's registration."""
    confirm = BooleanField(_l("Yes, erase my data for this meeting."), validators=[
        _Checked(_l("Please tick the box to confirm."))])
