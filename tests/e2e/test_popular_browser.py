"""Popular follows the votes in a real browser: the reader's list offers the new order behind
its pill and moves only when asked, and the console's Live tab re-sorts in place."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    approve,
    ask,
    card_with_text,
    join_as_attendee,
    open_console,
    watch,
)

pytestmark = pytest.mark.browser

QUESTIONS = [
    "Which districts reported the first community health results?",
    "How were the interpreters for the provincial meetings chosen?",
    "Will the training material be shared with the rural clinics?",
]


def test_votes_reorder_popular_behind_a_pill_and_in_the_console(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    open_console(moderator, qa_server)
    for text in QUESTIONS:
        ask(asker, text)
    for text in QUESTIONS:
        approve(moderator, text)

    # The console shows the Live tab by votes, with the first question selected.
    moderator.locator("#queue-tab-live").click()
    moderator.locator("#queue-sort").select_option("popular")
    rows = moderator.locator("#queue-list .queue-row .queue-text")
    expect(rows).to_have_text(QUESTIONS)
    first_row = moderator.locator("#queue-list .queue-row", has_text=QUESTIONS[0])
    first_row.locator(".queue-select").click()
    expect(first_row).to_have_class(re.compile(r"\bselected\b"))

    reader = watch(new_page(locale="en-GB"))
    voter = watch(new_page(locale="en-GB"))
    join_as_attendee(reader, qa_server, 1)
    join_as_attendee(voter, qa_server, 2)
    expect(reader.locator("#sort-popular")).to_be_checked()
    cards = reader.locator("#question-list .q-card .q-text")
    expect(cards).to_have_text(QUESTIONS)  # no votes yet: the order they were asked in

    # Another attendee votes for the last question: it should now lead.
    vote = card_with_text(voter, QUESTIONS[-1]).locator("[data-role=vote]")
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(card_with_text(reader, QUESTIONS[-1]).locator(".vote-count")).to_have_text("1")

    # The reader's list does not move; a pill offers the new order.
    pill = reader.locator("#new-pill")
    expect(pill).to_be_visible()
    expect(pill).to_have_text("Votes changed the order — show it")
    expect(cards).to_have_text(QUESTIONS)
    assert_accessible(reader)

    reordered = [QUESTIONS[-1], *QUESTIONS[:-1]]
    pill.click()
    expect(cards).to_have_text(reordered)
    expect(pill).to_be_hidden()

    # The console's Live tab re-sorts in place, the selected row still selected and in view.
    expect(rows).to_have_text(reordered)
    expect(first_row).to_have_class(re.compile(r"\bselected\b"))
    expect(first_row).to_be_in_viewport()
    expect(moderator.locator("#detail-text")).to_have_text(QUESTIONS[0])
    assert_accessible(moderator)

    # Taking the vote back restores the asked order: the pill offers it again.
    vote.click()
    expect(vote).to_have_attribute("aria-pressed", "false")
    expect(pill).to_have_text("Votes changed the order — show it")
    expect(cards).to_have_text(reordered)
    expect(rows).to_have_text(QUESTIONS)

    for page in (asker, moderator, reader, voter):
        assert page.js_errors == [] and page.dialogs == [] and page.console_errors == []
