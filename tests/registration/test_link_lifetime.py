"""A join link works until the retention period ends, the person erases their data, or an
organiser revokes or reissues it; revoking also ends sessions already joined with it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import make_meeting, make_registration, make_user
from tests.support.live import wait_for
from webapp.accounts.models import RoleKind
from webapp.core.timeutil import utcnow
from webapp.extensions import db
from webapp.registration import services


@pytest.fixture
def meeting(app):
    return make_meeting(capacity=50, slug="exchange-11", title="Intercambio 11")


def join(client, csrf, token: str):
    return client.post(f"/m/exchange-11/join/{token}", data={"csrf_token": csrf})


# --- item 15: how long a link works, and revoking it ----------------------------------------

def test_a_link_ends_with_the_retention_period_even_before_purge(app, client, meeting):
    registration = make_registration(meeting)
    token = services._rotate(registration)
    db.session.commit()
    assert client.get(f"/m/exchange-11/join/{token}").status_code == 200
    meeting.starts_at = utcnow() - timedelta(days=meeting.retention_days + 2)
    meeting.planned_end = meeting.starts_at + timedelta(hours=2)
    db.session.commit()
    assert client.get(f"/m/exchange-11/join/{token}").status_code == 404


def test_a_link_ends_when_the_person_erases_their_data(app, client, csrf, meeting):
    registration = make_registration(meeting)
    token = services._rotate(registration)
    db.session.commit()
    services.cancel(registration)
    assert client.get(f"/m/exchange-11/join/{token}").status_code == 200  # shows "cancelled"
    services.erase(registration)
    assert client.get(f"/m/exchange-11/join/{token}").status_code == 404


@pytest.mark.parametrize("action", ["revoke", "reissue"])
def test_revoking_or_reissuing_a_link_ends_sessions_joined_with_it(
        app, client, csrf, meeting, socket_client_factory, action):
    organiser = make_user(meeting=meeting, role=RoleKind.ORGANISER)
    registration = make_registration(meeting)
    token = services._rotate(registration)
    db.session.commit()
    assert join(client, csrf, token).status_code == 302
    assert client.get("/m/exchange-11/live").status_code == 200
    socket = socket_client_factory(meeting.id)
    assert socket.is_connected()

    if action == "revoke":
        services.revoke_link(organiser, registration)
    else:
        services.reissue_link(organiser, registration, notify=False)

    wait_for(lambda: not socket.is_connected(), message="the socket to be closed")
    assert client.get("/m/exchange-11/live").status_code == 403
    assert not socket_client_factory(meeting.id).is_connected()  # nor can it reconnect
    assert client.get(f"/m/exchange-11/join/{token}").status_code == 404
