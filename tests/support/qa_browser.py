"""Browser steps the live Q&A tests share: a served demo, joining, asking, finding cards.

The demo meeting `pacific-bridge-11` comes with join links for several attendees; the served
instance carries their paths as `join_paths`, so each test can take a different person.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from tests.support.server import ADMIN, prepare_demo, running_server

SLUG = "pacific-bridge-11"
JOIN_LINE = re.compile(rf"Join as .+?: (\S+/m/{SLUG}/join/\S+)")


@contextmanager
def served_demo(instance: Path):
    """A running demo instance whose `join_paths` are the attendees' personal join links."""
    env, demo_output = prepare_demo(instance)
    links = JOIN_LINE.findall(demo_output)
    assert len(links) >= 3, demo_output
    with running_server(env) as running:
        running.join_paths = ["/" + link.split("://", 1)[1].split("/", 1)[1] for link in links]
        yield running


def watch(page):
    """Record dialogs (a script that ran would open one) and console errors."""
    page.dialogs = []
    page.console_errors = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: page.console_errors.append(message.text)
            if message.type == "error" else None)
    return page


def wait_online(page):
    page.wait_for_function("() => document.documentElement.dataset.connection === 'online'")


def switch_language(page, code):
    """Choose the interface language with the switcher every page carries (it is remembered)."""
    page.select_option("#language-select", code)
    with page.expect_navigation():
        page.locator("#language-change").click()


def join_as_attendee(page, server, index):
    page.goto(server.url + server.join_paths[index])
    page.locator("button.join-button").click()
    page.wait_for_url(f"**/m/{SLUG}/live")
    wait_online(page)


def login_moderator(page, server):
    page.goto(server.url + "/login")
    page.fill("#email", ADMIN[0])
    page.fill("#password", ADMIN[1])
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/login" not in url)


def open_console(page, server):
    """Log in as the demo's admin and open the meeting's moderator console."""
    login_moderator(page, server)
    page.goto(f"{server.url}/m/{SLUG}/console")
    wait_online(page)


def confirm_dialog(page):
    """Press the action button of the confirmation dialog that is open (static/js/live/
    confirm-dialog.js)."""
    page.locator("dialog.confirm-dialog[open] button[value=confirm]").click()


def end_meeting(moderator):
    """End the meeting from the console, confirming in its dialog."""
    moderator.get_by_role("button", name="End the meeting").click()
    confirm_dialog(moderator)


def ask(page, text):
    """Ask `text` (past the similar-questions offer, if any); return the status line."""
    page.fill("#ask-text", text)
    page.locator("#ask-submit").click()
    similar = page.locator("#ask-similar")
    status = page.locator("#ask-status")
    # Sent (the box empties) or offered similar questions first. Not "the status line has
    # text": the line still holds the previous question's "sent" when asking again.
    page.wait_for_function(
        """() => !document.getElementById('ask-similar').hidden ||
                 document.getElementById('ask-text').value === ''""")
    if similar.is_visible():
        page.locator("#ask-send-anyway").click()
    page.wait_for_function("() => document.getElementById('ask-text').value === ''")
    return status.inner_text()


def card_with_text(page, text):
    """The question card whose text is exactly `text`, as a locator that survives re-renders.

    The text is compared in the page (a selector would normalise whitespace), and the card is
    then addressed by its id: the list re-renders cards, so an element handle can go stale.
    """
    handle = page.wait_for_function(
        """(text) => {
              const node = [...document.querySelectorAll('.q-card .q-text')]
                .find((candidate) => candidate.textContent === text);
              return node ? node.closest('.q-card').dataset.id : null;
           }""",
        arg=text,
    )
    return page.locator(f'.q-card[data-id="{handle.json_value()}"]')


def select_pending(moderator, text):
    """Pick a question in the console's Pending tab and wait until its detail shows."""
    moderator.locator("#queue-tab-pending").click()
    moderator.locator("#queue-list .queue-row", has_text=text).locator(".queue-select").click()
    expect(moderator.locator("#detail-text")).to_have_text(text)


def approve(moderator, text):
    """The demo meeting is pre-moderated: approve the new question with the keyboard."""
    select_pending(moderator, text)
    moderator.keyboard.press("a")
    expect(moderator.locator("#queue-list .queue-row", has_text=text)).to_have_count(0)
