"""A tab that drops for a while and rejoins shows the counts and its person's own votes and
reactions as they are now, without a reload; own reactions reach the person's other tabs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.qa_browser import (
    ask,
    card_with_text,
    join_as_attendee,
    open_console,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser

SOCKET = re.compile(r".*/socket\.io/.*")


def with_a_cable(page):
    """Let the test pull the page's live connection out and plug it back in."""
    cable = {"cut": False, "sockets": []}

    def on_socket(socket):
        if cable["cut"]:
            socket.close()
        else:
            socket.connect_to_server()
            cable["sockets"].append(socket)

    page.route_web_socket(SOCKET, on_socket)
    page.route(SOCKET, lambda route: route.abort() if cable["cut"] else route.continue_())

    def cut():
        cable["cut"] = True
        for socket in cable["sockets"]:
            socket.close()
        cable["sockets"].clear()
        page.wait_for_function("() => document.documentElement.dataset.connection !== 'online'")

    def plug():
        cable["cut"] = False
        # The network coming back fires the window's `online` event, and the page tries at
        # once instead of at the end of its back-off (tests/js/connection.test.mjs times that).
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        wait_online(page)

    return cut, plug


def shown(page, text):
    """The card of a newly published question, past the "new questions" pill if it waits."""
    page.wait_for_function(
        """(text) => !document.getElementById('new-pill').hidden || [...document
              .querySelectorAll('.q-card .q-text')].some((n) => n.textContent === text)""",
        arg=text)
    pill = page.locator("#new-pill")
    if pill.is_visible():
        pill.click()
    return card_with_text(page, text)


def reaction(page, post_id, kind):
    return page.locator(f'[data-board-posts] [data-post-id="{post_id}"] button.reaction'
                        f'[data-kind="{kind}"]')


def test_a_rejoining_tab_shows_current_counts_and_own_votes_and_reactions(qa_server, new_page):
    tab_a = watch(new_page(locale="en-GB"))
    cut, plug = with_a_cable(tab_a)
    join_as_attendee(tab_a, qa_server, 0)
    tab_b = watch(tab_a.context.new_page())
    tab_b.js_errors = []
    tab_b.on("pageerror", lambda error: tab_b.js_errors.append(str(error)))
    tab_b.goto(tab_a.url)
    wait_online(tab_b)
    other = watch(new_page(locale="en-GB"))
    join_as_attendee(other, qa_server, 1)
    asker = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 2)
    moderator = watch(new_page(locale="en-GB"))
    open_console(moderator, qa_server)

    question = "Will the district budgets for community health workers be published?"
    ask(asker, question)
    moderator.locator("#queue-tab-pending").click()
    moderator.locator("#queue-list .queue-row", has_text=question).locator(".queue-select").click()
    expect(moderator.locator("#detail-text")).to_have_text(question)
    moderator.keyboard.press("a")
    card = shown(tab_a, question)
    expect(card.locator(".vote-count")).to_have_text("0")
    shown(tab_b, question)
    shown(other, question)

    message = "Gracias por los datos de Loreto 谢谢"
    other.locator("#tab-board").click()
    other.locator("[data-board-form] textarea").fill(message)
    other.locator("[data-board-form] button[type=submit]").click()
    for page in (tab_a, tab_b):
        page.locator("#tab-board").click()
    post_id = tab_a.locator("[data-board-posts] [data-post-id]", has_text=message) \
        .get_attribute("data-post-id")
    thanks_a, thanks_b = reaction(tab_a, post_id, "thanks"), reaction(tab_b, post_id, "thanks")
    expect(thanks_a).to_have_attribute("aria-pressed", "false")
    thanks_b.click()  # the other tab of the same person: this one follows
    expect(thanks_a).to_have_attribute("aria-pressed", "true")

    cut()
    thanks_b.click()  # taken back while tab A is away
    expect(thanks_b).to_have_attribute("aria-pressed", "false")
    reaction(tab_b, post_id, "applause").click()
    expect(reaction(tab_b, post_id, "applause")).to_have_attribute("aria-pressed", "true")
    for page, votes in ((other, "1"), (tab_b, "2")):
        page.locator("#tab-questions").click()
        card_with_text(page, question).locator(".vote-button").click()
        expect(card_with_text(page, question).locator(".vote-count")).to_have_text(votes)
    expect(card.locator(".vote-count")).to_have_text("0")  # still away

    plug()
    expect(card.locator(".vote-count")).to_have_text("2")
    expect(card.locator(".vote-button")).to_have_attribute("aria-pressed", "true")
    expect(thanks_a).to_have_attribute("aria-pressed", "false")
    expect(reaction(tab_a, post_id, "applause")).to_have_attribute("aria-pressed", "true")
    for page in (tab_a, tab_b, other, asker, moderator):
        assert page.js_errors == [] and page.dialogs == []
