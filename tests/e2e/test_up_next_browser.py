"""Up next in real browsers: the moderator orders the next questions by keyboard (and by
dragging), the presenter's "next" list follows, and the highlighted question shows a running
timer in the console and on the presenter screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    SLUG,
    approve,
    ask,
    join_as_attendee,
    open_console,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser

FIRST = "Which clinics will receive the new cold-chain fridges first?"
SECOND = "How will the volunteers be paid during the rainy season?"
TIMER = re.compile(r"^\d+:[0-5]\d$")


def open_presenter(moderator, presenter, server):
    moderator.locator("form[action$='/console/presenter-link'] button").click()
    presenter_url = moderator.locator("#presenter-url").input_value()
    moderator.goto(f"{server.url}/m/{SLUG}/console")
    wait_online(moderator)
    presenter.goto(presenter_url)
    wait_online(presenter)


def select_live(moderator, text):
    """Show the Live tab and select the question (then the keys act on it)."""
    moderator.locator("#queue-tab-live").click()
    row = moderator.locator("#queue-list .queue-row", has_text=text)
    row.locator(".queue-select").click()
    expect(moderator.locator("#detail-text")).to_have_text(text)


def test_up_next_orders_the_presenter_and_the_highlight_shows_a_timer(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    presenter = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    open_console(moderator, qa_server)
    open_presenter(moderator, presenter, qa_server)
    for text in (FIRST, SECOND):
        ask(asker, text)
    for text in (FIRST, SECOND):
        approve(moderator, text)

    up_next = moderator.locator("#up-next-list .up-next-row")
    upcoming = presenter.locator("#presenter-upcoming .presenter-text")
    expect(up_next).to_have_count(0)

    # Two new questions (no votes) go up next by keyboard, in the order chosen.
    select_live(moderator, FIRST)
    moderator.keyboard.press("u")
    expect(up_next).to_have_text([FIRST])
    select_live(moderator, SECOND)
    moderator.keyboard.press("u")
    expect(up_next).to_have_text([FIRST, SECOND])
    expect(moderator.locator(".detail-actions [data-action=up_next]")).to_contain_text(
        "Remove from up next")
    expect(upcoming.nth(0)).to_have_text(FIRST)
    expect(upcoming.nth(1)).to_have_text(SECOND)

    # Shift+K moves the selected question earlier; the presenter follows.
    moderator.keyboard.press("Shift+K")
    expect(up_next).to_have_text([SECOND, FIRST])
    expect(upcoming.nth(0)).to_have_text(SECOND)
    expect(upcoming.nth(1)).to_have_text(FIRST)
    assert_accessible(moderator)

    # Dragging is the pointer's way to the same order.
    up_next.filter(has_text=FIRST).drag_to(up_next.filter(has_text=SECOND))
    expect(up_next).to_have_text([FIRST, SECOND])
    expect(upcoming.nth(0)).to_have_text(FIRST)

    # Highlighting the first takes it out of up next and starts its timer on both screens.
    select_live(moderator, FIRST)
    moderator.keyboard.press("h")
    expect(moderator.locator("#now-answering .now-text")).to_have_text(FIRST)
    expect(up_next).to_have_text([SECOND])
    expect(upcoming.nth(0)).to_have_text(SECOND)
    expect(presenter.locator("#presenter-highlight .presenter-text")).to_have_text(FIRST)
    for page, timer in ((moderator, "#now-answering .timer"),
                        (presenter, "#presenter-highlight .timer")):
        clock = page.locator(timer)
        expect(clock).to_have_text(TIMER)
        shown = clock.inner_text()
        expect(clock).not_to_have_text(shown)   # it keeps counting, second by second
        expect(clock).to_have_text(TIMER)
    expect(moderator.locator("#now-answering .answer-timer")).to_contain_text("Answering for")
    assert_accessible(moderator)
    assert_accessible(presenter)

    for page in (asker, moderator, presenter):
        assert page.js_errors == []
