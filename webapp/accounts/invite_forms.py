"""Forms to invite staff to a meeting and to accept an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import Email, EqualTo, Length

from webapp.accounts.models import RoleKind
from webapp.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_RULES
from webapp.core.fields import CleanText, NotBlank, options
from webapp.core.i18n import LANGUAGES
from webapp.meetings.invitation_services import ROLE_LABELS

_NEW_PASSWORD_LENGTH = Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                              message=PASSWORD_RULES)

class InviteForm(FlaskForm):
    """Invite someone to moderate or organise one meeting, by e-mail."""
    email = EmailField(_l("E-mail"), validators=[
        NotBlank(), Length(max=254), CleanText(),
        Email(message=_l("Enter a valid e-mail address."))])
    name = StringField(_l("Name (optional)"), validators=[Length(max=200), CleanText()])
    role = SelectField(_l("Role"),
                       choices=options((r.value, label) for r, label in ROLE_LABELS.items()),
                       default=RoleKind.MODERATOR.value)
    language = SelectField(_l("Language of the e-mail"), choices=options(LANGUAGES.items()))


class AcceptInvitationForm(FlaskForm):
    """Accept an invitation: name and password for a new account."""
    #: Shown under the new password before any error (linked by aria-describedby).
    password_rules = PASSWORD_RULES
    name = StringField(_l("Your name"), validators=[NotBlank(), Length(max=200), CleanText()])
    password = PasswordField(_l("Password"), validators=[
        NotBlank(), _NEW_PASSWORD_LENGTH])
    confirm = PasswordField(_l("Repeat password"), validators=[
        NotBlank(), EqualTo("password", message=_l("The passwords do not match."))])
