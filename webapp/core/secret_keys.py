"""The secret key during a rotation: sign with `SECRET_KEY` only, verify with it and with
`SECRET_KEY_FALLBACKS` (Flask 3.1's setting: old keys, newest first).

What the key signs, and how each accepts the fallbacks:

- the session cookie (staff login, an attendee's join, the CSRF secret): Flask itself;
- CSRF tokens in forms and in the socket's `auth`: Flask-WTF, given the key list (`init_app`);
- the remember-me cookie: `extensions.LoginManager`;
- the first-run setup link: `accounts.services.setup_token_valid` with `verification_keys`.

Join links, invitations, survey links and the presenter link are random tokens whose hash
is stored; they do not depend on the key and survive any rotation.
"""

from __future__ import annotations


def verification_keys(config) -> list[str]:
    """The keys a signature may carry: `SECRET_KEY` first, then the fallbacks newest first."""
    return [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or ())]


def serializer_keys(config) -> list[str]:
    """The same keys in itsdangerous' order: oldest first, the signing key last."""
    return list(reversed(verification_keys(config)))


def init_app(app) -> None:
    """Flask-WTF signs with the last of a key list and accepts any of them (itsdangerous).
    Set only during a rotation and unless `WTF_CSRF_SECRET_KEY` was given."""
    if app.config.get("SECRET_KEY_FALLBACKS") and not app.config.get("WTF_CSRF_SECRET_KEY"):
        app.config["WTF_CSRF_SECRET_KEY"] = serializer_keys(app.config)
