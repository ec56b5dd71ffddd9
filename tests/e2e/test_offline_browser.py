"""Sending while offline in a real browser: the attendee page keeps a question or a vote made
without a connection and sends it once the page has rejoined; the server stores it once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    ask,
    card_with_text,
    join_as_attendee,
    open_console,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser


def go_offline(page):
    page.context.set_offline(True)
    expect(page.locator("html")).to_have_attribute("data-connection", "offline")


def go_online(page):
    page.context.set_offline(False)
    wait_online(page)


#: What Chromium itself logs when the client's reconnection attempt meets the network these
#: tests switched off (the back-off timer may fire while offline on a slow machine).
OFFLINE_ATTEMPT = "net::ERR_INTERNET_DISCONNECTED"


def assert_clean(*pages):
    for page in pages:
        errors = [text for text in page.console_errors if OFFLINE_ATTEMPT not in text]
        assert page.js_errors == [] and page.dialogs == [] and errors == []


def test_a_question_asked_offline_is_sent_after_reconnecting_and_stored_once(qa_server, new_page):
    attendee = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    join_as_attendee(attendee, qa_server, 0)
    open_console(moderator, qa_server)

    question = "Will the slides of the water-quality session be shared offline too?"
    go_offline(attendee)
    attendee.fill("#ask-text", question)
    attendee.locator("#ask-submit").click()
    status = attendee.locator("#ask-status")
    expect(status).to_have_text("Sending…")
    expect(attendee.locator("#ask-text")).to_have_value(question)  # kept until delivered
    assert_accessible(attendee)

    go_online(attendee)
    expect(status).to_have_text("Sent. A moderator will review your question.")
    expect(attendee.locator("#ask-text")).to_have_value("")
    card_with_text(attendee, question)

    # Stored once: one row in the moderator's queue, one card after a reload.
    moderator.locator("#queue-tab-pending").click()
    expect(moderator.locator("#queue-list .queue-row", has_text=question)).to_have_count(1)
    attendee.reload()
    wait_online(attendee)
    attendee.locator("label[for=view-mine]").click()
    expect(attendee.locator(".q-card", has_text=question)).to_have_count(1)
    assert_clean(attendee, moderator)


def test_votes_clicked_offline_send_only_the_last_choice(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    voter = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 1)
    join_as_attendee(voter, qa_server, 2)
    open_console(moderator, qa_server)
    question = "Which districts will get the new testing kits first?"
    ask(asker, question)
    moderator.locator("#queue-tab-pending").click()
    moderator.locator("#queue-list .queue-row", has_text=question).locator(".queue-select").click()
    expect(moderator.locator("#detail-text")).to_have_text(question)
    moderator.keyboard.press("a")
    voter.locator("#new-pill").click()
    card = card_with_text(voter, question)
    count = card.locator(".vote-count")
    expect(count).to_have_text("0")

    go_offline(voter)
    vote = card.locator(".vote-button")
    for pressed in ("true", "false", "true"):
        vote.click()
        expect(vote).to_have_attribute("aria-pressed", pressed)
    expect(count).to_have_text("0")

    go_online(voter)
    expect(count).to_have_text("1")
    expect(vote).to_have_attribute("aria-pressed", "true")
    voter.reload()
    wait_online(voter)
    expect(card.locator(".vote-button")).to_have_attribute("aria-pressed", "true")
    expect(card.locator(".vote-count")).to_have_text("1")
    expect(voter.locator("#ask-status")).not_to_have_text(re.compile(r"\S"))
    assert_clean(asker, voter, moderator)
