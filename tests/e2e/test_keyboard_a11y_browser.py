"""Keyboard and screen-reader behaviour axe cannot see: the language menu waits for its button,
the console's one-key shortcuts can be switched off and act only in the queue, tab lists answer
Home and End, and a burst of new questions is announced once, with its count."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.qa_browser import SLUG, join_as_attendee, watch

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
