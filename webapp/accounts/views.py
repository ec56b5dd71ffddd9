"""Staff login, logout and the first-run setup page."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.accounts import services
from webapp.accounts.forms import LoginForm, SetupForm
from webapp.errors import DomainError
from webapp.extensions import limiter

bp = Blueprint("accounts", __name__)


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
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(_("E-mail or password is not right."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    from webapp.realtime.presence import disconnect_user

    user_id = current_user.id
    logout_user()
    disconnect_user(user_id)
    flash(_("You are logged out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def setup(token: str):
    secret = current_app.config["SECRET_KEY"]
    if services.has_any_user() or not services.setup_token_valid(secret, token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = services.complete_setup(
                secret, token, form.email.data, form.name.data, form.password.data
            )
        except DomainError as error:
            form.email.errors.append(str(error.message))
        else:
            login_user(user)
            flash(_("Welcome! Your organiser account is ready."), "success")
            return redirect(url_for("core.home"))
    return render_template("accounts/setup.html", form=form)
