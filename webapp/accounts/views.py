"""Staff login, logout and the first-run setup page."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.accounts import services
from webapp.accounts.forms import LoginForm, PasswordForm, SetupForm
from webapp.core import secret_keys
from webapp.core.forms import show_error
from webapp.core.ratelimit import rate_limits
from webapp.errors import DomainError
from webapp.extensions import limiter
from webapp.realtime.presence import disconnect_user

bp = Blueprint("accounts", __name__)
#: Failed logins one account may take, from any number of addresses, before it is paused.
ACCOUNT_LOGIN_LIMIT = "10 per 15 minutes"


def _safe_next(target: str | None) -> str:
    """Only follow same-site relative redirects after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    """Staff sign-in; attempts are rate limited so passwords cannot be guessed quickly."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        account = _account_key(form.email.data)
        if not rate_limits.allowed("login-account", account, ACCOUNT_LOGIN_LIMIT):
            abort(429)  # the page the per-address limit shows, known address or not
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        rate_limits.record("login-account", account, ACCOUNT_LOGIN_LIMIT)
        form.password.errors.append(_("E-mail or password is not right."))
    return render_template("accounts/login.html", form=form)


def _account_key(email: str) -> str:
    """The limit's key: a digest, so the limit store holds no addresses."""
    return hashlib.sha256(services.normalise_email(email).encode()).hexdigest()


@bp.post("/logout")
@login_required
def logout():
    """Log out everywhere: a copy of this session's cookie must not outlive the logout."""
    user = current_user._get_current_object()
    services.end_sessions(user)
    logout_user()
    disconnect_user(user.id)
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("core.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@login_required
def change_password():
    """A new password ends every other session; this one continues under the new version."""
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(user, form.current.data, form.password.data)
        except DomainError as error:
            show_error(form, error, fallback="current")
        else:
            disconnect_user(user.id)
            login_user(user)
            flash(_("Your password was changed. Other devices are logged out."), "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/password.html", form=form)


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def setup(token: str):
    """Create the first organiser with the one-time setup link."""
    secret = secret_keys.verification_keys(current_app.config)
    if services.has_any_user() or not services.setup_token_valid(secret, token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = services.complete_setup(
                secret, token, form.email.data, form.name.data, form.password.data
            )
        except DomainError as error:
            show_error(form, error, fallback="email")
        else:
            login_user(user)
            flash(_("Welcome! Your organiser account is ready."), "success")
            return redirect(url_for("meeting_admin.home"))
    return render_template("accounts/setup.html", form=form)
