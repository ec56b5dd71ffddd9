"""The attendee's own questions and drafts in a real browser: dismissal notes, the Mine view,
and what a reload keeps (board draft, chosen view and tab)."""

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
    select_pending,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser


def dismiss(moderator, text, reason, note=""):
    select_pending(moderator, text)
    moderator.keyboard.press("d")
    dialog = moderator.locator("#dismiss-dialog")
    expect(dialog).to_be_visible()
    dialog.locator(f"#reason-{reason}").check()
    dialog.locator("#dismiss-note").fill(note)
    dialog.locator("button[value=dismiss]").click()
    expect(dialog).to_be_hidden()
    moderator.locator("#queue-tab-dismissed").click()
    expect(moderator.locator("#queue-list .queue-row", has_text=text)).to_be_visible()


def show_view(page, view):
    page.locator(f"label[for=view-{view}]").click()
    expect(page.locator(f"#view-{view}")).to_be_checked()


def assert_clean(*pages):
    for page in pages:
        assert page.js_errors == [] and page.dialogs == [] and page.console_errors == []


def test_the_dismissal_note_reaches_the_asker_as_text_and_nobody_else(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    reader = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    join_as_attendee(reader, qa_server, 1)
    open_console(moderator, qa_server)

    question = "Could the ministry publish the vaccination figures per district?"
    note = "Please raise it at the <b>press</b> briefing in Tumbes-7Q & bring the data"
    ask(asker, question)
    dismiss(moderator, question, "off_topic", note)

    show_view(asker, "mine")
    card = card_with_text(asker, question)
    expect(card.locator(".q-state")).to_have_text("Dismissed: off topic")
    expect(card.locator(".q-note")).to_have_text(f"Note from the moderators: {note}")
    assert card.locator(".q-note b").count() == 0
    # The note is user text: it was set as text, not parsed as markup.
    assert card.locator(".q-note").evaluate("node => node.textContent").endswith(note)
    assert_accessible(asker)

    # Another attendee's page, kept open and reloaded, never holds the note.
    reader.reload()
    wait_online(reader)
    expect(reader.locator("body")).not_to_contain_text("Tumbes-7Q")
    assert "Tumbes-7Q" not in reader.content()
    assert_clean(asker, reader, moderator)


def test_own_dismissed_and_merged_questions_are_under_mine_without_a_vote(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    other = watch(new_page(locale="en-GB"))
    moderator = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 2)
    join_as_attendee(other, qa_server, 1)
    open_console(moderator, qa_server)

    target = "Which rural health posts in Loreto received the new cold-chain fridges?"
    duplicate = "Which rural health posts in Loreto got the new cold-chain fridges?"
    dropped = "Can we have the slides of the opening session by e-mail?"
    ask(other, target)
    select_pending(moderator, target)
    moderator.keyboard.press("a")
    ask(asker, duplicate)
    ask(asker, dropped)

    select_pending(moderator, duplicate)
    moderator.locator("#detail-similar li", has_text=target).get_by_role("button").click()
    moderator.locator("#queue-tab-dismissed").click()
    expect(moderator.locator("#queue-list .queue-row", has_text=duplicate)).to_be_visible()
    dismiss(moderator, dropped, "out_of_time")

    # Mine lists both with what happened to them, and neither offers a vote.
    show_view(asker, "mine")
    merged = card_with_text(asker, duplicate)
    expect(merged.locator(".q-state")).to_have_text(f"Dismissed: duplicate of “{target}”")
    gone = card_with_text(asker, dropped)
    expect(gone.locator(".q-state")).to_have_text("Dismissed: out of time")
    expect(merged.locator(".vote-button")).to_have_count(0)
    expect(gone.locator(".vote-button")).to_have_count(0)
    assert_accessible(asker)

    # Open holds what is still open: the merge target, none of the closed own questions.
    show_view(asker, "open")
    card_with_text(asker, target)
    expect(asker.locator(".q-card.dismissed")).to_have_count(0)
    expect(asker.locator(".q-card", has_text=dropped)).to_have_count(0)

    # The same after a reload (the snapshot, not the live events, builds the list).
    asker.reload()
    wait_online(asker)
    card_with_text(asker, target)
    expect(asker.locator(".q-card.dismissed")).to_have_count(0)
    show_view(asker, "mine")
    expect(asker.locator(".q-card.dismissed")).to_have_count(2)
    assert_clean(asker, other, moderator)


def test_a_reload_keeps_the_board_draft_and_the_chosen_view(qa_server, new_page):
    page = watch(new_page(locale="es-PE"))
    join_as_attendee(page, qa_server, 1)
    show_view(page, "answered")
    page.locator("label[for=sort-recent]").click()
    page.locator("#tab-board").click()
    board_text = page.locator("[data-board-form] textarea")
    draft = "¡Gracias por la sesión! <i>Saludos</i> desde Iquitos 🌿"
    board_text.fill(draft)

    page.reload()
    wait_online(page)
    expect(page.locator("#tab-board")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-board")).to_be_visible()
    expect(board_text).to_have_value(draft)
    expect(page.locator("#ask-form")).to_be_hidden()  # it belongs to the Questions section
    page.locator("#tab-questions").click()
    expect(page.locator("#ask-form")).to_be_visible()
    expect(page.locator("#view-answered")).to_be_checked()
    expect(page.locator("#sort-recent")).to_be_checked()
    expect(page.locator("#question-list")).to_have_attribute("aria-busy", "false")
    expect(page.locator(".q-card:not(.answered)")).to_have_count(0)  # the demo's open ones
    assert_accessible(page)

    # Another meeting's page would not see this draft: the keys carry the meeting.
    meeting_id = page.locator("#qa-live").get_attribute("data-meeting-id")
    kept = page.evaluate("() => Object.keys(sessionStorage)")
    assert {f"puente:board-draft:{meeting_id}", f"puente:qa-view:{meeting_id}"} <= set(kept)
    assert all(re.fullmatch(rf"puente:[\w-]+:{meeting_id}", key) for key in kept), kept

    # A post that went through clears the draft; the reload finds the box empty.
    page.locator("#tab-board").click()
    page.locator("[data-board-form] button[type=submit]").click()
    expect(page.locator("[data-board-posts] .board-text", has_text="desde Iquitos")).to_be_visible()
    expect(board_text).to_have_value("")
    page.reload()
    wait_online(page)
    expect(page.locator("#panel-board")).to_be_visible()
    expect(board_text).to_have_value("")
    assert_clean(page)
