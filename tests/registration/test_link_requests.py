"""Asking for a link (resend, registering again) never breaks the link someone already has,
and link mails are limited per address; the per-IP limit lets an office sign up its staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import base_config
from tests.factories import make_meeting
from tests.support.forms import registration_form as form
from tests.support.mailbox import mails_to, token_in
from tests.support.people import person
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.mail.models import QueuedMail
from webapp.registration import services
from webapp.registration.models import LinkRequest, Registration


@pytest.fixture
def meeting(app):
    return make_meeting(capacity=50, slug="exchange-11", title="Intercambio 11")


def link_mails(app, address: str) -> list:
    return [m for m in mails_to(app, address) if "personal link" in m["Subject"]]


def first_link(app, address: str) -> str:
    return token_in(mails_to(app, address)[0])


def join(client, csrf, token: str):
    return client.post(f"/m/exchange-11/join/{token}", data={"csrf_token": csrf})


# --- item 6: asking for a link never breaks the working one --------------------------------

def test_resend_keeps_the_current_link_until_the_new_one_is_used(app, client, csrf, meeting):
    services.register(meeting, person(email="ana@example.org"))
    old = first_link(app, "ana@example.org")
    client.post("/m/exchange-11/resend", data={"csrf_token": csrf, "email": "ana@example.org"})
    (mail,) = link_mails(app, "ana@example.org")
    new = token_in(mail)
    assert new != old
    assert client.get(f"/m/exchange-11/join/{old}").status_code == 200
    assert client.get(f"/m/exchange-11/join/{new}").status_code == 200
    assert join(client, csrf, old).status_code == 302  # the old one still signs in...
    assert client.get(f"/m/exchange-11/join/{new}").status_code == 200  # ...and keeps the new
    assert join(client, csrf, new).status_code == 302  # using the new one retires the old
    assert client.get(f"/m/exchange-11/join/{old}").status_code == 404
    assert client.get(f"/m/exchange-11/join/{new}").status_code == 200


def test_registering_again_keeps_the_link_and_mails_a_newer_one(app, client, csrf, meeting):
    client.post("/m/exchange-11/register", data=form(csrf, language="en"))
    old = first_link(app, "lucia@example.org")
    again = client.post("/m/exchange-11/register", data=form(csrf, name="Impostor"))
    assert again.status_code == 302
    assert client.get(f"/m/exchange-11/join/{old}").status_code == 200
    (mail,) = link_mails(app, "lucia@example.org")
    assert client.get(f"/m/exchange-11/join/{token_in(mail)}").status_code == 200


def test_link_mails_are_limited_per_address_and_meeting(app, meeting):
    other_meeting = make_meeting(slug="other")
    for target in (meeting, other_meeting):
        services.register(target, person(email="ana@example.org"))
    services.register(meeting, person(email="ben@example.org"))
    for _ in range(5):
        services.resend_link(meeting, "ana@example.org")
    services.resend_link(other_meeting, "ana@example.org")
    services.resend_link(meeting, "ben@example.org")
    mails = link_mails(app, "ana@example.org")
    assert len([m for m in mails if "Intercambio 11" in m["Subject"]]) == \
        services.LINK_MAILS_PER_ADDRESS == 3
    assert len(mails) == 4  # the other meeting has its own allowance
    assert len(link_mails(app, "ben@example.org")) == 1
    assert db.session.scalar(select(func.count(LinkRequest.id))) == 0  # all answered
    # an hour later the address may ask again
    services.resend_link(meeting, "ana@example.org")
    from webapp.mail import run_pending

    run_pending(utcnow() + services.LINK_MAIL_WINDOW + timedelta(minutes=1))
    assert len(link_mails(app, "ana@example.org")) == 5


class TestPerIpLimit:
    @pytest.fixture
    def app_config(self, tmp_path):
        return base_config(tmp_path, RATELIMIT_ENABLED=True)

    def test_an_office_registers_30_staff_from_one_address_within_a_minute(
            self, app, client, csrf, meeting):
        codes = [client.post("/m/exchange-11/register", data=form(
            csrf, email=f"staff{n}@minsa.gob.pe", name=f"Staff {n}")).status_code
            for n in range(30)]
        assert codes == [302] * 30
        assert db.session.scalar(select(func.count(Registration.id))) == 30


@pytest.mark.postgres
def test_workers_of_two_processes_keep_the_per_address_limit(pg_app):
    """Two workers (two engines, as two processes have) answer 12 requests for one address."""
    import threading

    from webapp import create_app
    from webapp.mail import run_pending

    meeting = make_meeting(slug="exchange-11")
    services.register(meeting, person(email="ana@example.org", language="en"))
    for _ in range(12):
        services.resend_link(meeting, "ana@example.org")
    second = create_app({**pg_app.config, "INSTANCE_PATH": pg_app.instance_path})
    barrier = threading.Barrier(2)

    def work(app):
        with app.app_context():
            barrier.wait()
            run_pending()
            db.session.remove()

    threads = [threading.Thread(target=work, args=(app,)) for app in (pg_app, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    db.session.expire_all()
    links = db.session.scalar(select(func.count(QueuedMail.id)).where(
        QueuedMail.category == f"link:{meeting.id}"))
    assert links == services.LINK_MAILS_PER_ADDRESS
    assert db.session.scalar(select(func.count(LinkRequest.id))) == 0
