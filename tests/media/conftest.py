"""Two meetings with their staff, and logged-in clients that post forms with CSRF."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.conftest import csrf_token_from, login
from tests.factories import make_meeting, make_user
from webapp.accounts.models import RoleKind


@pytest.fixture
def cast(app):
    meeting_a = make_meeting(title="Intercambio 11 · 交流会")
    meeting_b = make_meeting(title="Other meeting")
    return SimpleNamespace(
        meeting_a=meeting_a, meeting_b=meeting_b,
        admin=make_user("admin@example.org", admin=True),
        organiser_a=make_user("org-a@example.org", meeting=meeting_a, role=RoleKind.ORGANISER),
        organiser_b=make_user("org-b@example.org", meeting=meeting_b, role=RoleKind.ORGANISER),
    )


@pytest.fixture
def as_user(app):
    """A logged-in test client for a user; `client.post_form(url, data=...)` adds CSRF."""

    def make(user):
        client = app.test_client()
        login(client, user.email)
        token = csrf_token_from(client.get("/").get_data(as_text=True))

        def post(url, data=None, **kwargs):
            return client.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)

        client.post_form = post
        return client

    return make
