"""Asking before banning someone or ending the meeting: a modal <dialog> in the page's language.

It opens with Cancel focused, Escape closes it without anything reaching the server, focus goes
back to the button that opened it, and confirming does what the button says.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.qa_browser import (
    ask,
    card_with_text,
    join_as_attendee,
    login_moderator,
    open_console,
    select_pending,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser

CATALOG = Path(__file__).resolve().parents[2] / "webapp" / "translations" / "es" / "LC_MESSAGES"


def spanish(msgid: str) -> str:
    """The Spanish of `msgid` as the server would render it (English until translated)."""
    with (CATALOG / "messages.po").open("rb") as handle:
        message = read_po(handle, locale="es").get(msgid)
    return message.string if message is not None and message.string else msgid


def console_in_spanish(page, server):
    """The admin's console, with Spanish chosen in the language menu (staff pages otherwise
    speak the account's language)."""
    open_console(page, server)
    with page.expect_navigation():
        page.select_option("#language-select", "es")
        page.locator("#language-change").click()
    assert page.locator("html").get_attribute("lang") == "es"
    wait_online(page)


def open_dialog(page):
    dialog = page.locator("dialog.confirm-dialog[open]")
    expect(dialog).to_be_visible()
    return dialog


def assert_named_and_focused(page, dialog, title, message, cancel, action):
    title_id = dialog.get_attribute("aria-labelledby")
    message_id = dialog.get_attribute("aria-describedby")
    expect(dialog.locator(f"#{title_id}")).to_have_text(title)
    expect(dialog.locator(f"#{message_id}")).to_have_text(message)
    expect(dialog).to_have_accessible_name(title)
    expect(dialog.get_by_role("button", name=cancel)).to_be_focused()
    expect(dialog.get_by_role("button", name=action)).to_be_visible()


def focused_text(page):
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_banning_asks_first_in_spanish(qa_server, new_page):
    attendee = watch(new_page(locale="es-PE"))
    join_as_attendee(attendee, qa_server, 0)
    text = "¿Habrá materiales para descargar después de la sesión?"
    ask(attendee, text)
    moderator = watch(new_page(locale="es-PE"))
    console_in_spanish(moderator, qa_server)
    select_pending(moderator, text)
    ban = moderator.locator("#detail-author-actions").get_by_role("button", name=spanish("Ban"))
    ban.click()
    dialog = open_dialog(moderator)
    assert_named_and_focused(
        moderator, dialog, spanish("Ban this person?"),
        spanish("Ban this person from the meeting? They are disconnected at once."),
        spanish("Cancel"), spanish("Ban"))
    assert_accessible(moderator)

    moderator.keyboard.press("Escape")
    expect(moderator.locator("dialog.confirm-dialog")).to_have_count(0)
    expect(ban).to_be_focused()
    # Nothing reached the server: after a reload the person is still allowed in.
    moderator.reload()
    wait_online(moderator)
    select_pending(moderator, text)
    expect(ban).to_be_enabled()
    expect(attendee.locator("#ask-submit")).to_be_enabled()

    ban.click()
    dialog = open_dialog(moderator)
    dialog.get_by_role("button", name=spanish("Ban")).click()
    expect(moderator.locator("dialog.confirm-dialog")).to_have_count(0)
    expect(ban).to_be_disabled()
    # Focus stays among the person's buttons rather than falling to the page.
    assert focused_text(moderator) in {spanish("Mute"), spanish("Unmute")}
    assert moderator.js_errors == [] and moderator.dialogs == []


def test_withdrawing_a_question_asks_first(qa_server, new_page):
    attendee = watch(new_page(locale="es-PE"))
    join_as_attendee(attendee, qa_server, 1)
    text = "¿Se compartirán las diapositivas del piloto?"
    ask(attendee, text)
    card = card_with_text(attendee, text)
    withdraw = card.locator('[data-role="withdraw"]')
    withdraw.click()
    dialog = open_dialog(attendee)
    assert_named_and_focused(
        attendee, dialog, spanish("Withdraw this question?"),
        spanish("It leaves the list for everyone, and you cannot bring it back."),
        spanish("Cancel"), spanish("Withdraw"))
    attendee.keyboard.press("Escape")
    expect(withdraw).to_be_focused()
    attendee.reload()
    expect(card_with_text(attendee, text)).to_be_visible()

    card_with_text(attendee, text).locator('[data-role="withdraw"]').click()
    open_dialog(attendee).get_by_role("button", name=spanish("Withdraw")).click()
    expect(attendee.locator(".q-card", has_text=text)).to_have_count(0)
    assert attendee.js_errors == [] and attendee.dialogs == []


def test_an_organiser_form_deletes_only_after_confirming(qa_server, new_page):
    page = watch(new_page())
    login_moderator(page, qa_server)
    page.goto(qa_server.url + "/organiser/")
    page.locator("table a", has_text="Pacific Bridge").first.click()
    page.wait_for_url(re.compile(r".*/organiser/meetings/\d+/$"))
    speakers = page.url + "speakers"
    page.goto(speakers)
    names = page.locator("table tbody th a")
    before = names.count()
    names.first.click()
    page.wait_for_load_state()
    delete = page.get_by_role("button", name="Delete this speaker")
    delete.click()
    dialog = open_dialog(page)
    assert_named_and_focused(page, dialog, "Delete this speaker?", "This cannot be undone.",
                             "Cancel", "Delete")
    page.keyboard.press("Escape")
    expect(delete).to_be_focused()
    editor = page.url
    page.goto(speakers)
    expect(names).to_have_count(before)

    page.goto(editor)
    delete.click()
    with page.expect_navigation():
        open_dialog(page).get_by_role("button", name="Delete").click()
    page.goto(speakers)
    expect(names).to_have_count(before - 1)
    assert page.js_errors == [] and page.dialogs == []


def test_ending_the_meeting_asks_first_in_spanish(qa_server, new_page):
    moderator = watch(new_page(locale="es-PE"))
    console_in_spanish(moderator, qa_server)
    clock = moderator.locator("[data-clock]").first
    end = moderator.get_by_role("button", name=spanish("End the meeting"), exact=True)
    end.click()
    dialog = open_dialog(moderator)
    assert_named_and_focused(
        moderator, dialog, spanish("End the meeting?"),
        spanish("End the meeting now? Attendees will see that it has ended."),
        spanish("Cancel"), spanish("End the meeting"))

    moderator.keyboard.press("Escape")
    expect(moderator.locator("dialog.confirm-dialog")).to_have_count(0)
    expect(end).to_be_focused()
    moderator.reload()
    wait_online(moderator)
    expect(clock).not_to_have_attribute("data-status", "ended")

    end.click()
    dialog = open_dialog(moderator)
    dialog.get_by_role("button", name=spanish("Cancel")).click()
    expect(end).to_be_focused()
    expect(clock).not_to_have_attribute("data-status", "ended")

    end.click()
    open_dialog(moderator).get_by_role("button", name=spanish("End the meeting")).click()
    expect(clock).to_have_attribute("data-status", "ended")
    expect(end).to_be_focused()
    assert moderator.js_errors == [] and moderator.dialogs == []
