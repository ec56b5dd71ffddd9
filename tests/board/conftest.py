"""Board and clock fixtures: meetings with an agenda, attendees and staff as participants."""

from __future__ import annotations

import json

import pytest

from tests.conftest import forget_request_caches
from tests.factories import make_agenda_item, make_meeting, make_registration, make_user
from tests.support.blns import BLNS_PATH
from webapp.accounts.models import RoleKind
from webapp.accounts.participant import Participant
from webapp.agenda.models import ItemKind
from webapp.realtime import log

BLNS = BLNS_PATH


def blns_strings() -> list[str]:
    return [s for s in json.loads(BLNS.read_text(encoding="utf-8")) if isinstance(s, str)]


def attendee(registration) -> Participant:
    return Participant(registration.meeting_id, registration.id, None, frozenset(),
                       registration.name)


def staff(user, meeting, role=RoleKind.MODERATOR) -> Participant:
    return Participant(meeting.id, None, user.id, frozenset({role}), user.name)


def demo_agenda(meeting):
    """The demo's shape: 7 items, 120 planned minutes, Q&A second to last."""
    plan = [("Opening", ItemKind.OPENING, 10), ("Community", ItemKind.TALK, 20),
            ("Infection", ItemKind.TALK, 25), ("Diaspora", ItemKind.TALK, 10),
            ("Expert panel", ItemKind.PANEL, 25), ("Questions", ItemKind.QA, 25),
            ("Closing", ItemKind.CLOSING, 5)]
    return [make_agenda_item(meeting, title=t, kind=k, planned_minutes=m) for t, k, m in plan]


class Events:
    """Committed domain events, as the broadcaster would receive them."""

    def __init__(self):
        self.items: list[log.DomainEvent] = []

    def __call__(self, event):
        self.items.append(event)

    def of(self, type_):
        return [e for e in self.items if e.type == type_]


@pytest.fixture
def events():
    sink = Events()
    log.subscribe(sink)
    yield sink
    log.unsubscribe(sink)


@pytest.fixture
def meeting(app):
    return make_meeting()


@pytest.fixture
def registration(meeting):
    return make_registration(meeting, name="María José Quispe", organisation="Minsa",
                             country="PE", language="es")


@pytest.fixture
def me(registration):
    return attendee(registration)


@pytest.fixture
def moderator_user(meeting):
    return make_user(meeting=meeting, role=RoleKind.MODERATOR)


@pytest.fixture
def mod(moderator_user, meeting):
    return staff(moderator_user, meeting)


#: Before another client connects or renders a form (see tests/conftest.py).
forget_csrf_cache = forget_request_caches


def second_client(app, *, email: str | None = None, meeting=None, registration=None):
    """Another browser: logged in as `email`, or attending `meeting` as `registration`.

    Returns (flask test client, CSRF token valid for its session)."""
    from tests.conftest import csrf_token_from, login
    from tests.realtime.test_sockets import attend

    http = app.test_client()
    forget_csrf_cache()
    if email:
        login(http, email)
        forget_csrf_cache()
    if registration is not None:
        attend(http, meeting, registration)
    token = csrf_token_from(http.get("/").get_data(as_text=True))
    forget_csrf_cache()
    return http, token
