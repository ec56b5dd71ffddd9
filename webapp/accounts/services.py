"""Staff accounts: creation, password checks, the one-time first-run setup token."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.accounts.models import MeetingRole, RoleKind, SetupToken, User
from webapp.core.text import forbidden_character, normalise_email
from webapp.core.timeutil import utcnow
from webapp.errors import Conflict, InvalidInput
from webapp.extensions import db

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
#: The rules a new password follows, shown beside every new-password field before any error
#: (the forms and services check the same two constants).
PASSWORD_RULES = _l("Use %(min)d to %(max)d characters; spaces and any script are fine.",
                    min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)
#: A fixed hash to compare against when the e-mail is unknown, so timing does not tell. Written
#: out rather than computed at import (one scrypt run, 0.1 s of every process's start); it
#: uses Werkzeug's default method, as new passwords do (tests/accounts/test_accounts.py).
_DUMMY_HASH = (
    "scrypt:32768:8:1$JW2CXDzZwVdRlSX9$14560dc3f062899ae667c71653c16475a7831470e415f9582d8f8790"
    "65e4f4758d185ea8f28d2bb20b5709d6f1d72cd0a8bd638a9ade47bc764ed0144f75aa74")


def acceptable_password(password) -> bool:
    """Whether `password` follows PASSWORD_RULES."""
    return isinstance(password, str) and \
        MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH


def has_any_user() -> bool:
    """Whether the site has any account yet (the setup link works only before)."""
    return db.session.scalar(select(func.count(User.id))) > 0


def create_user(email: str, name: str, password: str | None, *, is_admin: bool = False) -> User:
    """Create a staff user; raises Conflict when the e-mail is taken."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise InvalidInput(_l("Enter a valid e-mail address."))
    if not name.strip() or forbidden_character(name):
        raise InvalidInput(_l("Enter a name without control characters."))
    if password is not None and not acceptable_password(password):
        raise InvalidInput(
            PASSWORD_RULES
        )
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(_l("A user with this e-mail already exists."))
    user = User(
        email=email,
        name=name.strip(),
        password_hash=generate_password_hash(password) if password else "",
        is_admin=is_admin,
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user for valid credentials; spends the same time when the e-mail is unknown."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def end_sessions(user: User) -> None:
    """Log the user out everywhere: every session and remember-me cookie issued so far stops
    working, because each carries the session version it was issued with (`User.get_id`)."""
    user.session_version = (user.session_version or 1) + 1
    db.session.commit()


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; ends every other session."""
    if not user.password_hash or not check_password_hash(user.password_hash, current_password):
        raise InvalidInput(_l("The current password is not right."))
    if not acceptable_password(new_password):
        raise InvalidInput(
            PASSWORD_RULES
        )
    user.password_hash = generate_password_hash(new_password)
    end_sessions(user)


def grant_role(user: User, meeting_id: int, role: RoleKind) -> MeetingRole:
    """Give a role in a meeting (idempotent: an existing role is kept)."""
    existing = db.session.scalar(
        select(MeetingRole).where(
            MeetingRole.user_id == user.id,
            MeetingRole.meeting_id == meeting_id,
            MeetingRole.role == role,
        )
    )
    if existing:
        return existing
    grant = MeetingRole(user_id=user.id, meeting_id=meeting_id, role=role, created_at=utcnow())
    db.session.add(grant)
    db.session.commit()
    return grant


# --- first-run setup -------------------------------------------------------------------------
# One link for the whole site: the database keeps a random nonce (one row), and the link's token
# is an HMAC of it under SECRET_KEY. Every process of the site prints the same link, whichever
# started first, and whatever instance folder each uses.

_SETUP_ROW = 1


def _token_for(secret_key: str, nonce: str) -> str:
    return hmac.new(secret_key.encode(), f"puente-setup:{nonce}".encode(),
                    hashlib.sha256).hexdigest()[:43]


def issue_setup_token(secret_key: str) -> str:
    """The site's one-time token for creating the first organiser (made on first call)."""
    row = db.session.get(SetupToken, _SETUP_ROW)
    if row is None:
        db.session.add(SetupToken(id=_SETUP_ROW, nonce=secrets.token_urlsafe(32),
                                  created_at=utcnow()))
        try:
            db.session.commit()
        except IntegrityError:  # another process made it first: use theirs
            db.session.rollback()
        row = db.session.get(SetupToken, _SETUP_ROW)
    return _token_for(secret_key, row.nonce)


def setup_token_valid(secret_keys: str | Sequence[str], token: str) -> bool:
    """Whether this is the site's current setup token (compared in constant time).

    `secret_keys`: the key, or the keys a link may have been made with (during a rotation
    the current one and its fallbacks, so a printed link keeps working).
    """
    row = db.session.get(SetupToken, _SETUP_ROW)
    if row is None or not isinstance(token, str) or not token:
        return False
    keys = [secret_keys] if isinstance(secret_keys, str) else list(secret_keys)
    matches = [hmac.compare_digest(_token_for(key, row.nonce), token) for key in keys]
    return any(matches)


def complete_setup(secret_keys: str | Sequence[str], token: str, email: str, name: str,
                   password: str) -> User:
    """Create the first admin with the setup token, then burn the token."""
    if has_any_user() or not setup_token_valid(secret_keys, token):
        raise InvalidInput(_l("This setup link is no longer valid."))
    user = create_user(email, name, password, is_admin=True)
    db.session.execute(delete(SetupToken))
    db.session.commit()
    return user
