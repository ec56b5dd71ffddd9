"""Unbound extension objects; `webapp.app.build_app` binds them to an application."""

from flask import current_app, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager as BaseLoginManager
from flask_login.utils import decode_cookie, encode_cookie
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every model (one metadata for migrations)."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class LoginManager(BaseLoginManager):
    """Flask-Login, also accepting a remember-me cookie signed with a key of
    `SECRET_KEY_FALLBACKS` (Flask-Login knows only `SECRET_KEY`); such a cookie is sent again
    signed with `SECRET_KEY`, so it outlives the fallback."""

    def _load_user_from_remember_cookie(self, cookie):
        if decode_cookie(cookie) is None:
            for key in current_app.config.get("SECRET_KEY_FALLBACKS") or ():
                user_id = decode_cookie(cookie, key=key)
                if user_id is not None:
                    user = super()._load_user_from_remember_cookie(encode_cookie(user_id))
                    if user is not None:
                        session["_remember"] = "set"  # re-signed after this request
                    return user
        return super()._load_user_from_remember_cookie(cookie)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
socketio = SocketIO()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
