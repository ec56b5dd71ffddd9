"""Failed logins are limited per account as well as per address, without telling accounts apart."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.conftest import base_config, csrf_token_from, forget_request_caches
from tests.factories import make_user

PASSWORD = "correct horse battery"
CSRF_VALUES = re.compile(r'(name="csrf[-_]token"[^>]*(?:value|content)=")[^"]+"')
_addresses = itertools.count(1)


@pytest.fixture
def app_config(tmp_path):
    return base_config(tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")


def attempt(client, email: str, password: str, address: str | None = None):
    """One login POST, by default from an address no other attempt used."""
    address = address or f"198.51.100.{next(_addresses)}"
    forget_request_caches()
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    forget_request_caches()
    return client.post("/login", environ_base={"REMOTE_ADDR": address}, data={
        "email": email, "password": password,
        "csrf_token": csrf_token_from(page.get_data(as_text=True))})


def page_of(response) -> str:
    return CSRF_VALUES.sub(r'\1-"', response.get_data(as_text=True))


def test_an_account_is_paused_after_ten_failures_from_many_addresses(app, client):
    make_user("target@example.org")
    make_user("bystander@example.org")
    for _n in range(10):
        assert attempt(client, "target@example.org", "wrong password!").status_code == 200
    # Even the right password is refused now: the guesser learns nothing more.
    paused = attempt(client, "Target@Example.org", PASSWORD)
    assert paused.status_code == 429
    # Other accounts are not affected.
    assert attempt(client, "bystander@example.org", PASSWORD).status_code == 302


def test_known_and_unknown_accounts_are_paused_alike(app, client):
    make_user("known@example.org")
    pages = []
    for email in ("known@example.org", "ghost@example.org"):
        for _n in range(10):
            assert attempt(client, email, "wrong password!").status_code == 200
        response = attempt(client, email, "wrong password!")
        assert response.status_code == 429
        pages.append(page_of(response))
    assert pages[0] == pages[1]
    # The same page the per-address limit shows.
    address = "203.0.113.9"
    responses = [attempt(client, f"p{n}@example.org", "wrong password!", address)
                 for n in range(11)]
    assert [r.status_code for r in responses] == [200] * 10 + [429]
    assert page_of(responses[10]) == pages[0]


def test_successful_logins_do_not_count(app, client):
    make_user("busy@example.org")
    for _n in range(12):
        assert attempt(client, "busy@example.org", PASSWORD).status_code == 302
        forget_request_caches()
        client.post("/logout", data={"csrf_token": csrf_token_from(
            client.get("/").get_data(as_text=True))})


def test_logins_still_work_while_the_limit_storage_is_down(tmp_path):
    """Redis down: limits fail open (as Flask-Limiter's do), never a 500 on the login page."""
    from tests.conftest import _make_app

    app = _make_app(base_config(tmp_path, RATELIMIT_ENABLED=True,
                                RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0"))
    client = app.test_client()
    with app.app_context():
        make_user("outage@example.org")
        assert attempt(client, "outage@example.org", "wrong password!").status_code == 200
        assert attempt(client, "outage@example.org", PASSWORD).status_code == 302
