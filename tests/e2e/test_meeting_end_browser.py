"""Ending the meeting in real browsers: an open attendee page turns into the ended state.

A moderator highlights a question and ends the meeting from the console; the attendee's live
page, left open, shows "The meeting has ended" with the after-meeting links, loses the
highlight, the ask box and its own Edit and Withdraw, and stays accessible (axe-core).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    SLUG,
    ask,
    card_with_text,
    end_meeting,
    join_as_attendee,
    open_console,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser


def test_moderator_ends_the_meeting_and_the_attendee_page_turns_into_the_after_page(
        qa_server, new_page):
    attendee = watch(new_page(locale="en-GB", timezone_id="America/Lima"))
    moderator = new_page(locale="en-GB", timezone_id="Asia/Shanghai")
    join_as_attendee(attendee, qa_server, 0)
    ended = attendee.locator("#meeting-ended")
    expect(ended).to_be_hidden()
    text = "Will the slides of the pilot be shared after the session?"
    ask(attendee, text)
    mine = card_with_text(attendee, text)
    expect(mine.locator('[data-role="edit"]')).to_be_visible()

    open_console(moderator, qa_server)
    moderator.locator("#queue-list .queue-row", has_text=text).locator(".queue-select").click()
    expect(moderator.locator("#detail-text")).to_have_text(text)
    moderator.keyboard.press("a")
    moderator.locator("#queue-tab-live").click()
    moderator.locator("#queue-list .queue-row", has_text=text).locator(".queue-select").click()
    moderator.keyboard.press("h")
    expect(moderator.locator("#now-answering .now-text", has_text=text)).to_be_visible()
    expect(attendee.locator(".q-card.highlighted")).to_have_count(1)

    end_meeting(moderator)

    expect(ended).to_be_visible()
    expect(ended.get_by_role("heading", name="The meeting has ended")).to_be_visible()
    expect(ended.get_by_role("link", name="Q&A transcript")).to_have_attribute(
        "href", f"/m/{SLUG}/transcript")
    expect(ended.locator('[data-after="meeting"]')).to_have_attribute("href", f"/m/{SLUG}")
    expect(attendee.locator(".q-card.highlighted")).to_have_count(0)
    expect(attendee.locator(".badge-now")).to_have_count(0)
    expect(mine.locator('[data-role="edit"]')).to_have_count(0)
    expect(mine.locator('[data-role="withdraw"]')).to_have_count(0)
    expect(attendee.locator("#ask-submit")).to_be_disabled()
    expect(attendee.locator("#ask-closed")).to_have_text(
        "The meeting has ended: questions are closed.")
    expect(attendee.locator("[data-clock]").first).to_have_attribute("data-status", "ended")
    assert_accessible(attendee)

    attendee.reload()
    expect(attendee.locator("#meeting-ended")).to_be_visible()
    assert attendee.dialogs == [] and attendee.js_errors == []


def test_after_the_end_organisers_open_questions_and_an_attendee_asks(qa_server, new_page):
    """Runs after the end above: the meeting stays ended for the whole module. An attendee who
    only watched comes back through their join link to ask."""
    attendee = watch(new_page(locale="en-GB", timezone_id="America/Lima"))
    moderator = new_page(locale="en-GB", timezone_id="Asia/Shanghai")
    open_console(moderator, qa_server)
    moderator.locator("#setting-after-meeting").check()
    expect(moderator.locator("#settings-status")).to_have_text("✓")
    moderator.locator("#setting-open").check()
    expect(moderator.locator("#setting-open")).to_be_checked()
    expect(moderator.locator("#settings-status")).to_have_text("✓")

    attendee.goto(qa_server.url + qa_server.join_paths[1])
    expect(attendee.locator("button.join-button")).to_contain_text(
        "Ask a question after the meeting")
    attendee.locator("button.join-button").click()
    attendee.wait_for_url(f"**/m/{SLUG}/live")
    expect(attendee.locator("#meeting-ended")).to_be_visible()
    expect(attendee.locator("#meeting-ended-ask")).to_be_visible()
    expect(attendee.locator("#ask-submit")).to_be_enabled()
    expect(attendee.locator("#ask-closed")).to_be_hidden()
    wait_online(attendee)
    text = "Could you share the volunteers' training material?"
    assert ask(attendee, text)
    expect(card_with_text(attendee, text).locator('[data-role="edit"]')).to_be_visible()
    expect(moderator.locator("#queue-list .queue-row", has_text=text)).to_be_visible()
    assert_accessible(attendee)

    moderator.locator("#setting-after-meeting").uncheck()
    expect(attendee.locator("#meeting-ended-ask")).to_be_hidden()
    expect(attendee.locator("#ask-submit")).to_be_disabled()
    expect(card_with_text(attendee, text).locator('[data-role="edit"]')).to_have_count(0)
    assert attendee.dialogs == [] and attendee.js_errors == []
