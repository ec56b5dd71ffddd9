"""Flask-Login user loading; the id carries a session version so logout-everywhere works."""

from flask_babel import lazy_gettext as _l

from webapp.accounts.models import User
from webapp.extensions import db, login_manager


@login_manager.user_loader
def load_user(user_id: str):
    """Flask-Login's loader: only active accounts stay signed in."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if user is None or user.session_version != version or not user.active:
        return None
    return user


def init_app(app) -> None:
    """Attach the user loader and the login view."""
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
