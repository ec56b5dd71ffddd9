"""Login and first-run setup forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, Length

from webapp.accounts.services import MIN_PASSWORD_LENGTH
from webapp.core.fields import CleanText, NotBlank


class LoginForm(FlaskForm):
    """Staff sign-in."""
    email = EmailField(_l("E-mail"), validators=[NotBlank(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[NotBlank(), Length(max=200)])
    remember = BooleanField(_l("Keep me logged in on this device"))


class SetupForm(FlaskForm):
    """The first organiser account, made with the one-time setup link."""
    name = StringField(_l("Your name"), validators=[NotBlank(), Length(max=200), CleanText()])
    email = EmailField(
        _l("E-mail"),
        validators=[
            NotBlank(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))
        ],
    )
    password = PasswordField(
        _l("Password"), validators=[NotBlank(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[EqualTo("password", message=_l("The passwords do not match."))],
    )


class PasswordForm(FlaskForm):
    """Change one's own password (the current one proves it is the owner)."""
    current = PasswordField(_l("Current password"), validators=[NotBlank(), Length(max=200)])
    password = PasswordField(
        _l("New password"), validators=[NotBlank(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[EqualTo("password", message=_l("The passwords do not match."))],
    )
