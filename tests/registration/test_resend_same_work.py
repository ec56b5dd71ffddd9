""""Resend my link" and registering again do the same work for known and unknown addresses:
the request records a link request and the mail worker decides."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from tests.factories import make_meeting, make_registration
from tests.support.forms import registration_form as form
from tests.support.mailbox import mails_to, outbox
from webapp.extensions import db
from webapp.mail.models import QueuedMail
from webapp.registration.models import LinkRequest


@pytest.fixture
def meeting(app):
    return make_meeting(capacity=50, slug="exchange-11", title="Intercambio 11")


def link_mails(app, address: str) -> list:
    return [m for m in mails_to(app, address) if "personal link" in m["Subject"]]


# --- item 9: the request does the same work for known and unknown addresses ---------------

def statements_of(call) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, _params, _context, _many):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_resend_runs_the_same_statements_for_known_and_unknown_and_mails_nothing(
        app, client, csrf, meeting):
    make_registration(meeting, email="known@example.org", language="en")

    def resend(address):
        return lambda: client.post("/m/exchange-11/resend",
                                   data={"csrf_token": csrf, "email": address})

    known = statements_of(resend("known@example.org"))
    unknown = statements_of(resend("ghost@example.org"))
    assert known == unknown
    assert any(s.startswith("INSERT INTO link_requests") for s in known)
    assert not any("registrations" in s for s in known)  # nothing looks the address up
    assert db.session.scalar(select(func.count(QueuedMail.id))) == 0  # no mail yet
    assert link_mails(app, "known@example.org") != []  # the worker answers the known one
    assert link_mails(app, "ghost@example.org") == []


def test_registering_a_known_address_mails_nothing_in_the_request(app, client, csrf, meeting):
    client.post("/m/exchange-11/register", data=form(csrf))
    outbox(app)
    before = db.session.scalar(select(func.count(QueuedMail.id)))
    client.post("/m/exchange-11/register", data=form(csrf))
    assert db.session.scalar(select(func.count(QueuedMail.id))) == before
    assert db.session.scalar(select(func.count(LinkRequest.id))) == 1
