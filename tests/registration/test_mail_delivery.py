"""A sign-up never fails or loses its link because mail cannot be delivered right now."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.factories import make_meeting
from tests.support.forms import registration_form as form
from tests.support.mailbox import mails_to, token_in
from webapp.extensions import db
from webapp.mail import run_pending
from webapp.mail.models import MailStatus, QueuedMail
from webapp.registration.models import Registration


@pytest.fixture
def meeting(app):
    return make_meeting(capacity=5, slug="exchange-11", title="Intercambio 11")


def test_unwritable_outbox_keeps_the_sign_up_and_delivers_the_link_once_it_works(
        app, client, csrf, meeting):
    outbox = Path(app.config["PUENTE_OUTBOX"])
    outbox.parent.mkdir(parents=True, exist_ok=True)
    outbox.write_text("a file where the folder should be: unwritable, even for root")

    page = client.post("/m/exchange-11/register", data=form(csrf), follow_redirects=True)
    assert page.status_code == 200
    registration = db.session.scalar(select(Registration).where(
        Registration.email == "lucia@example.org"))
    assert registration is not None and registration.join_token_hash
    (row,) = db.session.scalars(select(QueuedMail))
    assert row.recipient == "lucia@example.org" and row.status == MailStatus.QUEUED

    assert run_pending() == 0  # the worker's attempt fails and is recorded on the row
    db.session.refresh(row)
    assert row.attempts == 1 and row.status == MailStatus.QUEUED
    assert "outbox" in row.last_error or "Errno" in row.last_error

    outbox.unlink()  # the disk works again
    assert run_pending(row.next_attempt_at) == 1
    (mail,) = mails_to(app, "lucia@example.org")
    assert client.get(f"/m/exchange-11/join/{token_in(mail)}").status_code == 200
    db.session.refresh(row)
    assert row.status == MailStatus.SENT and row.attempts == 2


def test_smtp_refusing_then_accepting_delivers_the_sign_up_mail_exactly_once(
        app, client, csrf, meeting, smtp_server):
    app.config["SMTP_URL"] = smtp_server.url
    smtp_server.refuse_next(1)
    page = client.post("/m/exchange-11/register", data=form(csrf), follow_redirects=True)
    assert page.status_code == 200
    assert run_pending() == 0
    (row,) = db.session.scalars(select(QueuedMail))
    assert "451" in row.last_error
    assert run_pending(row.next_attempt_at) == 1
    assert run_pending(row.next_attempt_at) == 0
    (received,) = smtp_server.wait_for(1)
    assert received["to"] == ["lucia@example.org"]
    assert client.get(f"/m/exchange-11/join/{token_in(received['message'])}").status_code == 200
