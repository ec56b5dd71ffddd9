"""The organisers' checklist: each step's state read from the meeting, and the page that
shows it with links to where each step is done."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from, login
from tests.factories import make_agenda_item, make_meeting, make_speaker, make_user
from tests.support.html import parse
from webapp.accounts.models import RoleKind
from webapp.errors import Forbidden, InvalidInput
from webapp.extensions import db
from webapp.meetings import checklist
from webapp.meetings.invitation_services import invite
from webapp.meetings.models import MeetingStatus
from webapp.qa.presenter_services import rotate_token
from webapp.registration.models import QuestionKind, RegistrationQuestion


@pytest.fixture
def draft(app):
    return make_meeting(status=MeetingStatus.DRAFT)


@pytest.fixture
def organiser(draft):
    return make_user(meeting=draft, role=RoleKind.ORGANISER)


def _done(meeting) -> dict[str, bool]:
    return {step.key: step.done for step in checklist.checklist(meeting).steps}


def test_a_new_meeting_has_everything_left(draft):
    state = checklist.checklist(draft)
    assert [step.key for step in state.steps] == list(checklist.STEPS)
    assert not any(step.done for step in state.steps)
    assert (state.done, len(state.required), state.complete) == (0, 6, False)
    assert state["staff"].optional


def test_each_step_is_read_from_the_meeting(draft, organiser):
    make_agenda_item(draft, planned_minutes=30)
    make_speaker(draft)
    assert _done(draft)["agenda"] and _done(draft)["speakers"]
    assert checklist.checklist(draft)["agenda"].count == 1

    db.session.add(RegistrationQuestion(meeting_id=draft.id, label="Dietary needs",
                                        kind=QuestionKind.TEXT))
    db.session.commit()
    assert _done(draft)["registration_form"]

    invite(organiser, draft.id, email="moderator@example.org", role=RoleKind.MODERATOR)
    assert _done(draft)["staff"]

    draft.status = MeetingStatus.PUBLISHED
    rotate_token(organiser, draft)
    db.session.commit()
    done = _done(draft)
    assert done["publish"] and done["presenter_link"] and not done["try_attendee"]

    checklist.mark(organiser, draft, "try_attendee")
    state = checklist.checklist(draft)
    assert state.complete and state.done == 6


def test_a_speaker_role_is_not_staff_help(draft):
    make_user(meeting=draft, role=RoleKind.SPEAKER)
    assert not _done(draft)["staff"]
    make_user(meeting=draft, role=RoleKind.INTERPRETER)
    assert _done(draft)["staff"]


def test_marks_are_kept_once_and_only_for_organisers(draft, organiser):
    checklist.mark(organiser, draft, "registration_form")
    first = draft.checklist_marks["registration_form"]
    checklist.mark(organiser, draft, "registration_form")
    db.session.expire_all()
    assert draft.checklist_marks == {"registration_form": first}
    assert _done(draft)["registration_form"]
    with pytest.raises(InvalidInput):
        checklist.mark(organiser, draft, "publish")  # read from the status, never marked
    moderator = make_user(meeting=draft, role=RoleKind.MODERATOR)
    with pytest.raises(Forbidden):
        checklist.mark(moderator, draft, "try_attendee")


# --- the page -------------------------------------------------------------------------------

def _details(client, meeting):
    response = client.get(f"/organiser/meetings/{meeting.id}/details")
    assert response.status_code == 200
    return parse(response.data), csrf_token_from(response.get_data(as_text=True))


def test_the_details_page_shows_each_step_in_words_with_its_link(client, draft, organiser):
    make_agenda_item(draft, planned_minutes=30)
    login(client, organiser.email)
    page, _ = _details(client, draft)
    steps = {li.attr("data-step"): li for li in page.all("[data-checklist] [data-step]")}
    assert list(steps) == list(checklist.STEPS)
    assert steps["agenda"].one("[data-step-state]").text.endswith("Done")
    assert steps["speakers"].one("[data-step-state]").text.endswith("Not yet")
    assert steps["staff"].one("[data-step-state]").text.endswith("Optional, not yet")
    assert steps["agenda"].one("a").attr("href") == f"/organiser/meetings/{draft.id}/agenda"
    assert steps["speakers"].one("a").attr("href") == f"/organiser/meetings/{draft.id}/speakers"
    assert steps["presenter_link"].one("a").attr("href") == f"/m/{draft.slug}/console"
    assert steps["publish"].one("a").attr("href") == "#publish" and "#publish" in page
    assert "1 of 6 steps done." in page.one("[data-checklist-summary]").text


def test_opening_a_step_from_the_checklist_marks_it(client, draft, organiser):
    login(client, organiser.email)
    page, token = _details(client, draft)
    form = page.all("[data-step=try_attendee] form")[0]
    response = client.post(form.attr("action"), data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/m/{draft.slug}"
    # A draft's public page opens for its staff, so it can be tried before publishing.
    assert client.get(response.headers["Location"]).status_code == 200
    db.session.expire_all()
    assert "try_attendee" in draft.checklist_marks
    live = client.post(f"/organiser/meetings/{draft.id}/checklist/try_attendee/live",
                       data={"csrf_token": token})
    assert live.headers["Location"] == f"/m/{draft.slug}/live"
    form = _details(client, draft)[0].one("[data-step=registration_form] form")
    opened = client.post(form.attr("action"), data={"csrf_token": token})
    assert opened.headers["Location"] == f"/organiser/meetings/{draft.id}/questions"
    page = _details(client, draft)[0]
    assert page.one("[data-step=try_attendee] [data-step-state]").text.endswith("Done")
    assert page.one("[data-step=registration_form] [data-step-state]").text.endswith("Done")


def test_marking_needs_csrf_a_known_step_and_an_organiser(client, draft, organiser):
    login(client, organiser.email)
    _, token = _details(client, draft)
    url = f"/organiser/meetings/{draft.id}/checklist/try_attendee/public"
    assert client.post(url).status_code == 400
    assert client.post(f"/organiser/meetings/{draft.id}/checklist/publish/public",
                       data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert draft.checklist_marks == {}
    moderator = make_user(meeting=draft, role=RoleKind.MODERATOR)
    client.post("/logout", data={"csrf_token": token})
    login(client, moderator.email)
    page, token = _details(client, draft)
    assert "[data-step=try_attendee] form" not in page  # plain links for moderators
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    other = make_user(meeting=make_meeting(), role=RoleKind.ORGANISER)
    client.post("/logout", data={"csrf_token": token})
    login(client, other.email)
    assert client.post(url, data={"csrf_token": token}).status_code in (400, 404)
