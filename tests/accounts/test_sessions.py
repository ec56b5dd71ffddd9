"""Logout and password change end every session of the account, copies of the cookie included."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import csrf_token_from, forget_request_caches, login
from tests.factories import make_meeting, make_user
from webapp.accounts.models import RoleKind
from webapp.config import ConfigError, from_environ
from webapp.extensions import db

PASSWORD = "correct horse battery"


def copy_of(app, client, *names):
    """A second browser holding a copy of `client`'s cookies (a stolen or shared cookie)."""
    other = app.test_client()
    for name in names:
        cookie = client.get_cookie(name)
        assert cookie is not None, name
        other.set_cookie(name, cookie.value)
    return other


def opens_organiser(client) -> bool:
    forget_request_caches()
    return client.get("/organiser/").status_code == 200


def post_form(client, path: str, **data):
    forget_request_caches()
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    forget_request_caches()
    return client.post(path, data={"csrf_token": token, **data})


@pytest.fixture
def organiser_meeting(app):
    meeting = make_meeting()
    user = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    return user, meeting


def test_logout_ends_a_copied_session_for_pages_and_sockets(app, client, organiser_meeting,
                                                            socket_client_factory):
    user, meeting = organiser_meeting
    login(client, user.email, PASSWORD)
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    stolen = copy_of(app, client, "session")
    assert opens_organiser(stolen)
    before = socket_client_factory(meeting.id, token=token, flask_client=stolen)
    assert before.is_connected()
    before.disconnect()

    post_form(client, "/logout")

    assert not opens_organiser(client)
    assert not opens_organiser(stolen)
    after = socket_client_factory(meeting.id, token=token, flask_client=stolen)
    assert not after.is_connected()


def test_logout_everywhere_ends_remember_me_cookies(app, client, organiser_meeting):
    user, _meeting = organiser_meeting
    forget_request_caches()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y",
                                "csrf_token": token})
    phone = copy_of(app, client, "remember_token")  # no session: restored from the cookie
    assert opens_organiser(phone)
    laptop = copy_of(app, client, "remember_token")

    post_form(client, "/logout")

    assert not opens_organiser(laptop)
    assert not opens_organiser(phone)


def test_password_change_keeps_this_session_and_ends_the_others(app, client,
                                                                 organiser_meeting):
    user, _meeting = organiser_meeting
    login(client, user.email, PASSWORD)
    other_device = copy_of(app, client, "session")
    assert opens_organiser(other_device)

    wrong = post_form(client, "/account/password", current="not the password",
                      password="a brand new password", confirm="a brand new password")
    assert wrong.status_code == 200 and "not right" in wrong.get_data(as_text=True)
    assert opens_organiser(other_device)

    changed = post_form(client, "/account/password", current=PASSWORD,
                        password="a brand new password", confirm="a brand new password")
    assert changed.status_code == 302
    assert opens_organiser(client)
    assert not opens_organiser(other_device)
    post_form(client, "/logout")
    login(client, user.email, "a brand new password")


def test_the_session_version_changes_only_through_the_services(app, organiser_meeting):
    from webapp.accounts import services

    user, _meeting = organiser_meeting
    version = user.session_version
    services.end_sessions(user)
    db.session.refresh(user)
    assert user.session_version == version + 1


def test_session_lifetimes_are_settings(tmp_path):
    config = from_environ(tmp_path, {"PUENTE_SESSION_HOURS": "8", "PUENTE_REMEMBER_DAYS": "3",
                                     "SECRET_KEY": "x" * 40})
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    assert config["REMEMBER_COOKIE_DURATION"] == timedelta(days=3)
    defaults = from_environ(tmp_path, {"SECRET_KEY": "x" * 40})
    assert defaults["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=24)
    assert defaults["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)
    for bad in ("0", "-1", "soon"):
        with pytest.raises(ConfigError, match="PUENTE_SESSION_HOURS"):
            from_environ(tmp_path, {"PUENTE_SESSION_HOURS": bad, "SECRET_KEY": "x" * 40})


def test_a_session_in_use_expires_after_the_configured_idle_time(app, client,
                                                                 organiser_meeting):
    from werkzeug.http import parse_date

    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=2)
    user, _meeting = organiser_meeting
    login(client, user.email, PASSWORD)
    forget_request_caches()
    response = client.get("/organiser/")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = parse_date(header.split("Expires=", 1)[1].split(";", 1)[0])
    from webapp.core.timeutil import utcnow

    left = expires.replace(tzinfo=None) - utcnow()
    assert timedelta(hours=1, minutes=50) < left <= timedelta(hours=2)
    assert client.get("/").headers.get("Set-Cookie", "").startswith("session=")  # sliding
    anonymous = app.test_client()
    assert "Set-Cookie" not in anonymous.get("/healthz").headers
