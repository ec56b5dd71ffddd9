"""Keyboard and screen-reader behaviour axe cannot see: the language menu waits for its button,
the console's one-key shortcuts can be switched off and act only in the queue, tab lists answer
Home and End, and a burst of new questions is announced once, with its count."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.qa_browser import (
    SLUG,
    ask,
    join_as_attendee,
    open_console,
    select_pending,
    wait_online,
    watch,
)

pytestmark = pytest.mark.browser


def test_arrow_keys_on_the_language_menu_keep_the_page_until_change_is_pressed(qa_server, new_page):
    page = watch(new_page(locale="en-GB"))
    page.goto(f"{qa_server.url}/m/{SLUG}")
    page.evaluate("""() => {
        window.stayed = true;
        const select = document.getElementById('language-select');
        select.addEventListener('change', () => { window.changed = true; });
        select.form.addEventListener('submit', () => { window.submitted = true; });
    }""")
    select = page.locator("#language-select")
    select.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => window.changed === true")
    # The selection moved, but nothing was submitted: same page, same language, same focus.
    assert page.evaluate("() => window.submitted === undefined && window.stayed === true")
    assert select.input_value() != "en"
    assert page.evaluate("() => document.activeElement.id") == "language-select"
    assert page.locator("html").get_attribute("lang") == "en"

    chosen = select.input_value()
    with page.expect_navigation():
        page.locator("#language-change").click()
    assert page.locator("html").get_attribute("lang").startswith(chosen[:2])
    assert page.js_errors == [] and page.console_errors == []


def assert_tab_selected(page, tab_id):
    """`tab_id` has the focus, is selected and is the list's one Tab stop."""
    expect(page.locator(f"#{tab_id}")).to_be_focused()
    expect(page.locator(f"#{tab_id}")).to_have_attribute("aria-selected", "true")
    tabs = page.locator(f"#{tab_id}").locator("xpath=..").locator("[role=tab]")
    expect(tabs.and_(page.locator("[aria-selected=true]"))).to_have_count(1)
    expect(tabs.and_(page.locator("[tabindex='0']"))).to_have_count(1)


def test_tab_lists_answer_home_and_end_like_the_arrows(qa_server, new_page):
    attendee = watch(new_page(locale="en-GB"))
    join_as_attendee(attendee, qa_server, 0)
    attendee.locator("#tab-questions").focus()
    attendee.keyboard.press("End")
    assert_tab_selected(attendee, "tab-board")
    expect(attendee.locator("#panel-board")).to_be_visible()
    expect(attendee.locator("#panel-questions")).to_be_hidden()
    attendee.keyboard.press("Home")
    assert_tab_selected(attendee, "tab-questions")
    expect(attendee.locator("#panel-questions")).to_be_visible()

    moderator = watch(new_page(locale="en-GB"))
    open_console(moderator, qa_server)
    moderator.locator("#queue-tab-pending").focus()
    moderator.keyboard.press("End")
    assert_tab_selected(moderator, "queue-tab-archived")
    expect(moderator.locator("#queue-panel")).to_have_attribute(
        "aria-labelledby", "queue-tab-archived")
    moderator.keyboard.press("ArrowLeft")
    assert_tab_selected(moderator, "queue-tab-dismissed")
    moderator.keyboard.press("Home")
    assert_tab_selected(moderator, "queue-tab-pending")
    moderator.keyboard.press("ArrowLeft")  # the arrows still wrap
    assert_tab_selected(moderator, "queue-tab-archived")
    for page in (attendee, moderator):
        assert page.js_errors == [] and page.console_errors == []


WATCH_ANNOUNCER = """() => {
    window.announced = [];
    const region = document.getElementById('live-announcer');
    new MutationObserver(() => {
        if (region.textContent) window.announced.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
}"""


def test_questions_approved_at_once_are_announced_once_with_their_count(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    reader = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 1)
    join_as_attendee(reader, qa_server, 2)
    texts = [f"Burst question {n}: which district reports its vaccination figures first?"
             for n in range(1, 6)]  # an attendee may ask five a minute
    for text in texts:
        ask(asker, text)

    moderator = watch(new_page(locale="en-GB"))
    open_console(moderator, qa_server)
    for text in texts:
        moderator.locator("#queue-list .queue-row", has_text=text).locator(
            "[data-role=bulk]").check()
    reader.evaluate(WATCH_ANNOUNCER)
    moderator.locator("#bulk-approve").click()

    reader.wait_for_function("() => window.announced.length > 0")
    expect(reader.locator("#new-pill")).to_have_text("5 new questions")
    assert reader.evaluate("() => window.announced") == ["5 new questions"]
    for page in (asker, reader, moderator):
        assert page.js_errors == [] and page.console_errors == []


# After the console's own listener: was the key taken as a shortcut (it prevents the default)?
WATCH_KEYS = """() => {
    window.keys = [];
    document.addEventListener('keydown', (event) => {
        window.keys.push({ key: event.key, taken: event.defaultPrevented });
    });
}"""


def press_and_report(page, key):
    """Press `key` and say whether the console took it as a shortcut."""
    page.evaluate("() => { window.keys = []; }")
    page.keyboard.press(key)
    page.wait_for_function("() => window.keys.length === 1")
    return page.evaluate("() => window.keys[0].taken")


def test_one_key_shortcuts_act_only_in_the_queue_and_can_be_switched_off(qa_server, new_page):
    asker = watch(new_page(locale="en-GB"))
    join_as_attendee(asker, qa_server, 0)
    question = "Can the shortcut setting keep this question waiting while I dictate?"
    ask(asker, question)

    moderator = watch(new_page(locale="en-GB"))
    open_console(moderator, qa_server)
    toggle = moderator.locator("#shortcuts-enabled")
    expect(toggle).to_be_checked()  # on by default
    moderator.evaluate(WATCH_KEYS)
    select_pending(moderator, question)
    row = moderator.locator("#queue-list .queue-row", has_text=question)

    # Outside the queue a letter is only a letter, even on a button.
    moderator.locator("#shortcuts-open").focus()
    assert press_and_report(moderator, "a") is False
    moderator.locator(".detail-actions button").first.focus()
    assert press_and_report(moderator, "d") is False
    expect(moderator.locator("#dismiss-dialog")).to_be_hidden()

    # Switched off, the queue ignores them too, and the choice survives a reload.
    toggle.uncheck()
    row.locator(".queue-select").focus()
    assert press_and_report(moderator, "a") is False
    moderator.reload()
    wait_online(moderator)
    moderator.evaluate(WATCH_KEYS)
    expect(toggle).not_to_be_checked()
    select_pending(moderator, question)
    assert press_and_report(moderator, "a") is False
    expect(row).to_have_count(1)

    # The shortcuts dialog says where they act and how to switch them off.
    moderator.locator("#shortcuts-open").click()
    dialog = moderator.locator("#shortcuts-dialog")
    expect(dialog).to_contain_text("focus is in the queue")
    expect(dialog).to_contain_text("“One-key shortcuts”")
    dialog.get_by_role("button", name="Close").click()

    # Back on: a key in the queue approves the selected question.
    toggle.check()
    row.locator(".queue-select").focus()
    assert press_and_report(moderator, "a") is True
    expect(row).to_have_count(0)
    assert moderator.js_errors == [] and moderator.console_errors == []
