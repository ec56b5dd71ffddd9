"""The organiser's first hour: from the setup link to "Create your first meeting"."""

from __future__ import annotations

from tests.conftest import csrf_token_from, login
from tests.factories import make_meeting, make_user
from tests.support.html import parse
from webapp.accounts import services
from webapp.meetings.models import MeetingStatus

CALL = "[data-first-meeting]"


def test_setup_lands_on_create_your_first_meeting(app, client):
    token = services.issue_setup_token(app.config["SECRET_KEY"])
    page = client.get(f"/setup/{token}")
    response = client.post(f"/setup/{token}", data={
        "name": "Ana", "email": "ana@example.org", "password": "a long password",
        "confirm": "a long password", "csrf_token": csrf_token_from(page.get_data(as_text=True)),
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organiser/")
    landing = parse(client.get(response.headers["Location"]).data)
    call = landing.one(CALL)
    assert "Create your first meeting" in call.text
    assert call.one("a.button.primary").attr("href") == "/organiser/meetings/new"


def test_the_public_home_invites_staff_and_greets_the_public(app, client):
    empty = parse(client.get("/").data)
    assert CALL not in empty
    assert "No meetings yet" in empty.one("[data-no-meetings]").text
    admin = make_user(admin=True)
    login(client, admin.email)
    staff = parse(client.get("/").data)
    assert staff.one(f"{CALL} a.button").attr("href") == "/organiser/meetings/new"
    # A draft is not on the public home; staff still get the call to action.
    make_meeting(status=MeetingStatus.DRAFT)
    assert CALL in parse(client.get("/").data)


def test_once_a_meeting_is_published_the_home_lists_it(app, client):
    admin = make_user(admin=True)
    login(client, admin.email)
    meeting = make_meeting()
    page = parse(client.get("/").data)
    assert CALL not in page and "[data-no-meetings]" not in page
    assert str(meeting.title) in page.text
