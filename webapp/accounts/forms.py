"""Login and first-run setup forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, Length

from webapp.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, PASSWORD_RULES
from webapp.core.fields import CleanText, NotBlank

_NEW_PASSWORD_LENGTH = Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH,
                              message=PASSWORD_RULES)

class LoginForm(FlaskForm):
    """Staff sign-in."""
    email = EmailField(_l("E-mail"), validators=[NotBlank(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[
        NotBlank(), Length(max=MAX_PASSWORD_LENGTH)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class SetupForm(FlaskForm):
    """The first organiser account, made with the one-time setup link."""
    #: Shown under the new password before any error (linked by aria-describedby).
    password_rules = PASSWORD_RULES
    name = StringField(_l("Your name"), validators=[NotBlank(), Length(max=200), CleanText()])
    email = EmailField(
        _l("E-mail"),
        validators=[
            NotBlank(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))
        ],
    )
    password = PasswordField(
        _l("Password"), validators=[NotBlank(), _NEW_PASSWORD_LENGTH]
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[NotBlank(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class PasswordForm(FlaskForm):
    """Change one's own password (the current one proves it is the owner)."""
    #: Shown under the new password before any error (linked by aria-describedby).
    password_rules = PASSWORD_RULES
    current = PasswordField(_l("Current password"), validators=[
        NotBlank(), Length(max=MAX_PASSWORD_LENGTH)])
    password = PasswordField(
        _l("New password"), validators=[NotBlank(), _NEW_PASSWORD_LENGTH]
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[NotBlank(), EqualTo("password", message=_l("The passwords do not match."))],
    )
