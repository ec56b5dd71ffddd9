"""People as tests need them: participants as the socket layer resolves them, sign-up input,
and extra browsers (HTTP sessions) for an attendee or a logged-in user."""

from __future__ import annotations

import itertools

from tests.factories import make_user
from webapp.accounts.models import RoleKind
from webapp.accounts.participant import Participant
from webapp.live.sockets import SESSION_REGISTRATIONS
from webapp.registration.services import RegistrationInput

_numbers = itertools.count(1)


def attendee(registration) -> Participant:
    return Participant(registration.meeting_id, registration.id, None, frozenset(),
                       registration.name)


def staff(user, meeting, role=RoleKind.MODERATOR) -> Participant:
    return Participant(meeting.id, None, user.id, frozenset({role}), user.name)


def new_staff(meeting, role=RoleKind.MODERATOR) -> Participant:
    """A staff participant backed by a new user holding `role` in `meeting`."""
    return staff(make_user(meeting=meeting, role=role), meeting, role)


def person(**overrides) -> RegistrationInput:
    """A valid sign-up; every call gets a new e-mail address."""
    n = next(_numbers)
    values = dict(name=f"María Quispe {n}", email=f"person{n}@example.org",
                  organisation="Asociación Peruana de Salud", organisation_type="ngo",
                  position="Coordinadora", country="PE", language="en", consent=True,
                  answers={})
    values.update(overrides)
    return RegistrationInput(**values)


def attend(client, meeting, registration) -> None:
    """Make `client`'s session that of `registration`, as following its join link does."""
    with client.session_transaction() as session:
        session[SESSION_REGISTRATIONS] = {str(meeting.id): registration.id}


def second_client(app, *, email: str | None = None, meeting=None, registration=None):
    """Another browser: logged in as `email`, or attending `meeting` as `registration`.

    Returns (flask test client, CSRF token valid for its session)."""
    from tests.conftest import csrf_token_from, forget_request_caches, login

    http = app.test_client()
    forget_request_caches()
    if email:
        login(http, email)
        forget_request_caches()
    if registration is not None:
        attend(http, meeting, registration)
    token = csrf_token_from(http.get("/").get_data(as_text=True))
    forget_request_caches()
    return http, token
