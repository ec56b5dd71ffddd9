"""The console's "Merge into…" picker in a real browser: a Spanish question merged into a
Chinese duplicate with the keyboard only (a combobox with a listbox), axe clean while open."""

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
    select_pending,
    watch,
)

pytestmark = pytest.mark.browser

SPANISH = "¿Cómo se financian los centros de salud comunitarios de Ucayali?"
CHINESE = "乌卡亚利的社区卫生中心如何筹资？"


def focused(page, selector):
    return page.evaluate("(s) => document.activeElement === document.querySelector(s)", selector)


def tab_to(page, selector, limit=60):
    """Press Tab until `selector` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_moderator_merges_a_spanish_question_into_a_chinese_one_with_the_keyboard(
        qa_server, new_page):
    asker = watch(new_page(locale="es-ES"))
    other = watch(new_page(locale="zh-CN"))
    moderator = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    join_as_attendee(other, qa_server, 1)
    open_console(moderator, qa_server)

    ask(other, CHINESE)
    approve(moderator, CHINESE)
    ask(asker, SPANISH)
    select_pending(moderator, SPANISH)

    opener = moderator.locator('.detail-actions [data-action="merge"]')
    combobox = moderator.get_by_role("combobox", name="Merge this question into")
    listbox = moderator.locator("#merge-options")
    expect(opener).to_have_attribute("aria-expanded", "false")

    # Open with the keyboard; Escape closes and gives the focus back to the button.
    tab_to(moderator, '.detail-actions [data-action="merge"]')
    moderator.keyboard.press("Enter")
    expect(combobox).to_be_focused()
    expect(opener).to_have_attribute("aria-expanded", "true")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(combobox).to_have_attribute("aria-controls", "merge-options")
    expect(listbox.get_by_role("option", name=SPANISH)).to_have_count(0)  # never itself
    moderator.keyboard.press("Escape")
    expect(moderator.locator("#merge-picker")).to_be_hidden()
    expect(opener).to_be_focused()
    expect(opener).to_have_attribute("aria-expanded", "false")
    expect(moderator.locator("#detail-text")).to_have_text(SPANISH)  # nothing else changed

    # Open again and filter: typing narrows the list to the Chinese question.
    moderator.keyboard.press("Enter")
    expect(combobox).to_be_focused()
    moderator.keyboard.type("乌卡亚利")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(1)
    target = options.first
    expect(target).to_contain_text(CHINESE)
    target_id = target.get_attribute("id")
    expect(combobox).to_have_attribute("aria-activedescendant", target_id)
    expect(target).to_have_attribute("aria-selected", "true")
    expect(moderator.locator("#merge-count")).to_have_text("1 question matches")
    # ArrowDown/ArrowUp wrap round the one option and keep it active.
    moderator.keyboard.press("ArrowDown")
    moderator.keyboard.press("ArrowUp")
    expect(combobox).to_have_attribute("aria-activedescendant", target_id)
    assert_accessible(moderator)

    # Nothing matches: the list closes and says so.
    moderator.keyboard.type(" zzzz")
    expect(listbox).to_be_hidden()
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(moderator.locator("#merge-count")).to_have_text("No question matches.")
    # The question's number, shown in the queue as #n, finds it too.
    number = target_id.rsplit("-", 1)[1]
    source_row = moderator.locator("#queue-list .queue-row", has_text=SPANISH)
    expect(source_row.locator(".queue-number")).to_have_text(re.compile(r"^#\d+$"))
    moderator.keyboard.press("ControlOrMeta+a")
    moderator.keyboard.type(f"#{number}")
    expect(options).to_have_count(1)
    expect(combobox).to_have_attribute("aria-activedescendant", target_id)

    # Enter picks; the confirmation says what happens; Tab reaches Merge, Enter merges.
    moderator.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(moderator.locator("#merge-summary")).to_contain_text(f"into #{number}?")
    assert_accessible(moderator)
    moderator.keyboard.press("Tab")
    expect(moderator.locator("#merge-send")).to_be_focused()
    moderator.keyboard.press("Enter")

    expect(moderator.locator("#merge-picker")).to_be_hidden()
    expect(opener).to_be_focused()
    expect(moderator.locator("#detail-status")).to_have_text("Dismissed: duplicate")
    expect(moderator.locator("#live-announcer")).to_have_text(f"Merged into #{number}.")
    moderator.locator("#queue-tab-dismissed").click()
    expect(moderator.locator("#queue-list .queue-row", has_text=SPANISH)).to_be_visible()

    # The asker learns it was a duplicate of the Chinese question.
    asker.locator("label[for=view-mine]").click()
    card = card_with_text(asker, SPANISH)
    expect(card.locator(".q-state")).to_contain_text(CHINESE)
    for page in (asker, other, moderator):
        assert page.js_errors == [] and page.dialogs == [] and page.console_errors == []
