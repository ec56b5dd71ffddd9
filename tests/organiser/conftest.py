"""Two meetings and their staff, for checking that each sees only their own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.conftest import csrf_token_from, login
from tests.factories import make_meeting, make_user
from webapp.accounts.models import RoleKind


@dataclass
class Cast:
    meeting_a: object
    meeting_b: object
    admin: object
    organiser_a: object
    moderator_a: object
    speaker_a: object
    organiser_b: object
    interpreter_a: object = None


@pytest.fixture
def cast(app):
    meeting_a = make_meeting(title="Intercambio 11 · 交流会")
    meeting_b = make_meeting(title="Other meeting")
    return Cast(
        meeting_a=meeting_a,
        meeting_b=meeting_b,
        admin=make_user("admin@example.org", admin=True),
        organiser_a=make_user("org-a@example.org", meeting=meeting_a, role=RoleKind.ORGANISER),
        moderator_a=make_user("mod-a@example.org", meeting=meeting_a, role=RoleKind.MODERATOR),
        speaker_a=make_user("speaker-a@example.org", meeting=meeting_a, role=RoleKind.SPEAKER),
        interpreter_a=make_user("interpreter-a@example.org", meeting=meeting_a,
                                role=RoleKind.INTERPRETER),
        organiser_b=make_user("org-b@example.org", meeting=meeting_b, role=RoleKind.ORGANISER),
    )


@pytest.fixture
def as_user(app):
    """A logged-in test client for a user, with a helper to POST forms with CSRF."""

    def make(user):
        client = app.test_client()
        login(client, user.email)
        token = csrf_token_from(client.get("/").get_data(as_text=True))

        def post(url, data=None, **kwargs):
            payload = {"csrf_token": token, **(data or {})}
            return client.post(url, data=payload, **kwargs)

        client.post_form = post
        client.csrf = token
        return client

    return make


