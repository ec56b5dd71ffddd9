"""Staff accounts: first-run setup, login, logout, timing-safe failures."""

import re

from flask_login import current_user

from tests.conftest import csrf_token_from, login
from tests.factories import make_user
from tests.support.html import parse
from webapp.accounts import services
from webapp.accounts.models import User
from webapp.extensions import db

#: Every CSRF token in a page (form inputs and the meta tag): signed with a timestamp, so two
#: requests a second apart carry different values.
CSRF_VALUES = re.compile(r'(name="csrf[-_]token"[^>]*(?:value|content)=")[^"]+"')


def without_csrf(html: str) -> str:
    return CSRF_VALUES.sub(r'\1-"', html)


def test_setup_link_creates_first_admin_once(app, client):
    token = services.issue_setup_token(app.config["SECRET_KEY"])
    page = client.get(f"/setup/{token}")
    assert page.status_code == 200
    response = client.post(f"/setup/{token}", data={
        "name": "陈组织者", "email": "Organiser@Example.org", "password": "a long password",
        "confirm": "a long password", "csrf_token": csrf_token_from(page.get_data(as_text=True)),
    })
    assert response.status_code == 302
    user = db.session.query(User).one()
    assert user.is_admin and user.email == "organiser@example.org" and user.name == "陈组织者"
    # The token is burnt and setup is closed once a user exists.
    assert client.get(f"/setup/{token}").status_code == 404
    again = services.issue_setup_token(app.config["SECRET_KEY"])
    assert client.get(f"/setup/{again}").status_code == 404


def test_setup_with_wrong_token_is_404(app, client):
    services.issue_setup_token(app.config["SECRET_KEY"])
    assert client.get("/setup/not-the-token").status_code == 404


def test_login_and_logout(app, client):
    make_user("mod@example.org")
    login(client, "mod@example.org")
    with client:
        client.get("/")
        assert current_user.is_authenticated
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    with client:
        client.get("/")
        assert not current_user.is_authenticated


def test_wrong_password_and_unknown_email_look_the_same(client):
    make_user("known@example.org")
    bodies = []
    for email in ("known@example.org", "unknown@example.org"):
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": email, "password": "wrong password!",
                                               "csrf_token": token})
        assert response.status_code == 200
        bodies.append(without_csrf(response.get_data(as_text=True)).replace(email, "EMAIL"))
    # the meta tag was neutralised too
    assert parse(bodies[0]).one("head meta[name=csrf-token]").attr("content") == "-"

    assert bodies[0] == bodies[1]


def test_login_redirect_stays_on_site(client):
    make_user("mod2@example.org")
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login?next=https://evil.example/", data={
        "email": "mod2@example.org", "password": "correct horse battery", "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_bumping_session_version_logs_out_everywhere(client):
    user = make_user("mod3@example.org")
    login(client, "mod3@example.org")
    user.session_version += 1
    db.session.commit()
    with client:
        client.get("/")
        assert not current_user.is_authenticated


def test_new_password_fields_show_the_rules_before_any_error(app, client):
    from tests.support.html import parse
    token = services.issue_setup_token(app.config["SECRET_KEY"])
    page = parse(client.get(f"/setup/{token}").data)
    field = page.one("input[name=password]")
    hint = page.one(f"#{field.attr('aria-describedby')}")
    assert hint.text == (f"Use {services.MIN_PASSWORD_LENGTH} to {services.MAX_PASSWORD_LENGTH} "
                         "characters; spaces and any script are fine.")
    assert page.one("p.required-legend").text == "* required"
    assert page.one("input[name=confirm]").attr("aria-required") == "true"
    # A too-short password repeats the same rule as its error, beside the hint.
    response = client.post(f"/setup/{token}", data={
        "name": "Ana", "email": "ana@example.org", "password": "short", "confirm": "short",
        "csrf_token": csrf_token_from(client.get(f"/setup/{token}").get_data(as_text=True))})
    field = parse(response.data).one("input[name=password]")
    assert field.attr("aria-describedby") == "password-error password-hint"
    assert "Use 10 to 200 characters" in parse(response.data).one("#password-error").text


def test_the_unknown_email_check_hashes_like_a_real_password():
    """The stand-in hash an unknown e-mail is checked against costs what a real one costs:
    same method and parameters as a password hashed today, and it is a valid hash."""
    from werkzeug.security import check_password_hash, generate_password_hash

    from webapp.accounts.services import _DUMMY_HASH

    assert _DUMMY_HASH.split("$")[0] == generate_password_hash("x").split("$")[0]
    assert check_password_hash(_DUMMY_HASH, "puente-timing-equaliser")
