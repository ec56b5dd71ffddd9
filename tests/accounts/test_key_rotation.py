"""Rotating SECRET_KEY with the old one in SECRET_KEY_FALLBACKS logs nobody out.

Each test signs something with the old key on the site as it ran before the rotation, then
restarts the site (a new application on the same database) with the new key: with the old
key in SECRET_KEY_FALLBACKS it still verifies, without it it does not. Whatever the site signs
after the rotation carries the new key alone.
"""

from __future__ import annotations

import pytest
from flask_login.utils import decode_cookie

from tests.conftest import _make_app, base_config, csrf_token_from, login
from tests.factories import make_meeting, make_registration, make_user
from webapp.accounts import services
from webapp.accounts.models import RoleKind
from webapp.config import ConfigError, from_environ
from webapp.extensions import db, socketio
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.registration.models import Registration
from webapp.registration.services import _rotate, session_entry

OLD = "old-key-" + "o" * 40
NEW = "new-key-" + "n" * 40
PASSWORD = "correct horse battery"


def _site(tmp_path, key: str, fallbacks=()):
    """The site as started with `key` (and `fallbacks`), on the shared test database."""
    return _make_app(base_config(tmp_path, SECRET_KEY=key, SECRET_KEY_FALLBACKS=list(fallbacks)))


def _stop(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def before(tmp_path):
    """The site before the rotation: a moderator and a confirmed attendee of a meeting."""
    app = _site(tmp_path, OLD)
    with app.app_context():
        meeting = make_meeting()
        user = make_user(meeting=meeting, role=RoleKind.MODERATOR)
        registration = make_registration(meeting)
        app.people = {"meeting": meeting.id, "email": user.email,
                      "registration": registration.id, "entry": session_entry(registration)}
    yield app
    _stop(app)


def _restart(tmp_path, before, fallbacks):
    _stop(before)
    return _site(tmp_path, NEW, fallbacks)


def _carry(cookie_names, old_client, new_client) -> None:
    for name in cookie_names:
        cookie = old_client.get_cookie(name)
        if cookie is not None:
            new_client.set_cookie(name, cookie.value)


ROTATIONS = pytest.mark.parametrize(("fallbacks", "kept"), [((OLD,), True), ((), False)],
                                    ids=["old key kept", "old key dropped"])


def test_the_setting_is_a_comma_separated_list_newest_first(tmp_path):
    environ = {"SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": f" {OLD} , older"}
    assert from_environ(tmp_path, environ)["SECRET_KEY_FALLBACKS"] == [OLD, "older"]
    assert from_environ(tmp_path, {"SECRET_KEY": NEW})["SECRET_KEY_FALLBACKS"] == []
    with pytest.raises(ConfigError, match="SECRET_KEY_FALLBACKS"):
        from_environ(tmp_path, {"SECRET_KEY": NEW, "SECRET_KEY_FALLBACKS": f"{OLD},,x"})


def test_the_environment_variable_reaches_flask(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", NEW)
    monkeypatch.setenv("SECRET_KEY_FALLBACKS", OLD)
    app = _make_app(base_config(tmp_path))
    assert app.config["SECRET_KEY"] == NEW
    assert app.config["SECRET_KEY_FALLBACKS"] == [OLD]
    assert app.config["WTF_CSRF_SECRET_KEY"] == [OLD, NEW]  # itsdangerous: signing key last
    _stop(app)


@ROTATIONS
def test_a_staff_session_survives_the_rotation_and_is_signed_again(tmp_path, before,
                                                                    fallbacks, kept):
    old_client = before.test_client()
    login(old_client, before.people["email"])
    after = _restart(tmp_path, before, fallbacks)
    client = after.test_client()
    _carry(["session"], old_client, client)

    page = client.get("/account/password")
    assert page.status_code == (200 if kept else 302)
    if kept:
        # The answer carries the session signed with the new key: it outlives the fallback.
        _stop(after)
        bare = _site(tmp_path, NEW)
        fresh = bare.test_client()
        _carry(["session"], client, fresh)
        assert fresh.get("/account/password").status_code == 200
        _stop(bare)
    else:
        _stop(after)


@ROTATIONS
def test_a_remember_me_cookie_survives_the_rotation_and_is_signed_again(tmp_path, before,
                                                                        fallbacks, kept):
    old_client = before.test_client()
    token = csrf_token_from(old_client.get("/login").get_data(as_text=True))
    old_client.post("/login", data={"email": before.people["email"], "password": PASSWORD,
                                    "remember": "y", "csrf_token": token})
    assert old_client.get_cookie("remember_token") is not None
    after = _restart(tmp_path, before, fallbacks)
    client = after.test_client()
    _carry(["remember_token"], old_client, client)  # the browser was closed: no session

    assert client.get("/account/password").status_code == (200 if kept else 302)
    if kept:
        renewed = client.get_cookie("remember_token").value
        with after.app_context():
            assert decode_cookie(renewed, key=NEW) is not None
            assert decode_cookie(renewed, key=OLD) is None
    _stop(after)


@ROTATIONS
def test_a_form_opened_before_the_rotation_can_be_sent_after_it(tmp_path, before, fallbacks,
                                                               kept):
    old_client = before.test_client()
    login(old_client, before.people["email"])
    token = csrf_token_from(old_client.get("/account/password").get_data(as_text=True))
    after = _restart(tmp_path, before, fallbacks)
    client = after.test_client()
    _carry(["session"], old_client, client)

    response = client.post("/account/password", data={
        "csrf_token": token, "current": PASSWORD, "password": "another horse battery",
        "confirm": "another horse battery"})
    if kept:
        assert response.status_code == 302
        with after.app_context():
            assert services.authenticate(before.people["email"], "another horse battery")
    else:
        assert response.status_code in (302, 400)  # to the login page, or a refused form
        with after.app_context():
            assert services.authenticate(before.people["email"], PASSWORD)
    _stop(after)


def test_tokens_made_after_the_rotation_carry_the_new_key_alone(tmp_path, before):
    after = _restart(tmp_path, before, (OLD,))
    client = after.test_client()
    login(client, before.people["email"])
    token = csrf_token_from(client.get("/account/password").get_data(as_text=True))
    _stop(after)
    bare = _site(tmp_path, NEW)  # the fallback removed at the next restart
    fresh = bare.test_client()
    _carry(["session"], client, fresh)
    response = fresh.post("/account/password", data={
        "csrf_token": token, "current": PASSWORD, "password": "another horse battery",
        "confirm": "another horse battery"})
    assert response.status_code == 302
    _stop(bare)


def _live_socket(app, flask_client, meeting_id: int, token: str):
    return socketio.test_client(app, flask_test_client=flask_client,
                                auth={"csrf_token": token, "meeting": meeting_id})


@ROTATIONS
def test_an_attendee_reconnects_after_the_rotation(tmp_path, before, fallbacks, kept):
    """A restart drops every socket; the page reconnects with the session cookie and the CSRF
    token it was rendered with, both signed with the old key."""
    meeting_id = before.people["meeting"]
    old_client = before.test_client()
    token = csrf_token_from(old_client.get("/").get_data(as_text=True))
    with old_client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(meeting_id): before.people["entry"]}
    sio = _live_socket(before, old_client, meeting_id, token)
    assert sio.is_connected()
    sio.disconnect()

    after = _restart(tmp_path, before, fallbacks)
    client = after.test_client()
    _carry(["session"], old_client, client)
    with after.app_context():
        sio = _live_socket(after, client, meeting_id, token)
        assert sio.is_connected() is kept
        if kept:
            assert sio.emit("join", {}, callback=True)["ok"] is True
            sio.disconnect()
    _stop(after)


@ROTATIONS
def test_a_moderator_reconnects_after_the_rotation(tmp_path, before, fallbacks, kept):
    meeting_id = before.people["meeting"]
    old_client = before.test_client()
    login(old_client, before.people["email"])
    token = csrf_token_from(old_client.get("/").get_data(as_text=True))
    after = _restart(tmp_path, before, fallbacks)
    client = after.test_client()
    _carry(["session"], old_client, client)
    with after.app_context():
        sio = _live_socket(after, client, meeting_id, token)
        assert sio.is_connected() is kept
        if kept:
            sio.disconnect()
    _stop(after)


@ROTATIONS
def test_the_setup_link_printed_before_the_rotation(tmp_path, fallbacks, kept):
    app = _site(tmp_path, OLD)
    with app.app_context():
        token = services.issue_setup_token(OLD)
    after = _restart(tmp_path, app, fallbacks)
    assert after.test_client().get(f"/setup/{token}").status_code == (200 if kept else 404)
    with after.app_context():
        # `puente serve` prints the link made with the current key, which always works.
        assert after.test_client().get(
            f"/setup/{services.issue_setup_token(NEW)}").status_code == 200
    _stop(after)


def test_join_links_do_not_depend_on_the_key(tmp_path, before):
    """Join links (like invitations, survey and presenter links) are random tokens whose
    hash is stored: they survive any rotation, even without the fallback."""
    with before.app_context():
        registration = db.session.get(Registration, before.people["registration"])
        token = _rotate(registration)
        db.session.commit()
        slug = registration.meeting.slug
    after = _restart(tmp_path, before, ())
    assert after.test_client().get(f"/m/{slug}/join/{token}").status_code == 200
    _stop(after)
