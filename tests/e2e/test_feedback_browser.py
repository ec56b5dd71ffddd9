"""The feedback survey in a real browser: after the meeting ends, an attendee who joined with
their link answers by keyboard, a missing rating is named and linked, the second visit thanks
them, and the organisers see the result on the dashboard; every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import SLUG, end_meeting, join_as_attendee, open_console

pytestmark = pytest.mark.browser


def test_an_attendee_answers_the_survey_once_and_organisers_see_it(qa_server, new_page):
    attendee = new_page(locale="en-GB", timezone_id="America/Lima")
    moderator = new_page(locale="en-GB", timezone_id="Asia/Shanghai")
    join_as_attendee(attendee, qa_server, 0)
    open_console(moderator, qa_server)  # the console names the meeting's id for later
    end_meeting(moderator)
    survey_link = attendee.locator('#meeting-ended [data-after="feedback"]')
    expect(survey_link).to_be_visible()
    survey_link.click()
    attendee.wait_for_url(f"**/m/{SLUG}/feedback")
    expect(attendee.get_by_role("heading", name="Feedback survey")).to_be_visible()
    assert_accessible(attendee)

    attendee.get_by_role("button", name="Send my answers").click()
    errors = attendee.locator("#survey-errors")
    expect(errors).to_be_visible()
    assert_accessible(attendee)
    errors.get_by_role("link").first.click()
    expect(attendee.locator("#overall-0")).to_be_focused()
    attendee.keyboard.press("ArrowRight")  # radio groups move by arrow keys
    attendee.keyboard.press("ArrowRight")
    attendee.keyboard.press("ArrowRight")
    expect(attendee.locator("#overall-3")).to_be_checked()
    overall = attendee.get_by_role("group", name="How was the meeting overall?")
    expect(overall).to_be_visible()
    attendee.get_by_label("Anything else you would like to tell the organisers?").fill(
        "<img src=x onerror=alert(1)> 很好, gracias")
    attendee.get_by_role("button", name="Send my answers").click()
    expect(attendee.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    expect(attendee.get_by_text("<img src=x onerror=alert(1)> 很好, gracias")).to_be_visible()
    assert_accessible(attendee)
    attendee.goto(f"{qa_server.url}/m/{SLUG}/feedback")
    expect(attendee.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()

    meeting_id = moderator.locator("[data-meeting-id]").first.get_attribute("data-meeting-id")
    moderator.goto(f"{qa_server.url}/organiser/meetings/{meeting_id}/")
    survey = moderator.locator("section#feedback")
    expect(survey.locator("dd").first).to_have_text("1")
    expect(survey.get_by_text("<img src=x onerror=alert(1)> 很好, gracias")).to_be_visible()
    assert_accessible(moderator)
    assert attendee.js_errors == [] and moderator.js_errors == []
