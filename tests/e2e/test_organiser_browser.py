"""Organiser pages in a real browser: log in, open the editor, list and dashboard; axe clean."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.organiser_browser import log_in, open_demo_meeting
from tests.support.server import prepared_env, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    env = prepared_env(tmp_path_factory.mktemp("organiser-browser"))
    with running_server(env) as running:
        yield running


@pytest.mark.parametrize("locale", ["en-GB", "es-PE", "zh-CN"])
def test_organiser_pages_have_no_accessibility_violations(demo_server, new_page, locale):
    page = new_page(locale=locale, timezone_id="Asia/Shanghai")
    log_in(page, demo_server.url)
    meeting_url = open_demo_meeting(page, demo_server.url)
    assert page.locator("svg.chart title").count() == 15  # 13, and the survey's two
    assert_accessible(page)
    for suffix in ("/registrations", "/details", "/agenda", "/questions", "/qa", "/staff",
                   "/speakers/new", "/questions/new"):
        page.goto(meeting_url + suffix)
        assert_accessible(page)
    # The editors of one item and one speaker: every language side by side.
    for listing in ("/agenda", "/speakers"):
        page.goto(meeting_url + listing)
        page.locator("table tbody th a").first.click()
        page.wait_for_load_state()
        expect(page.locator(".i18n-values").first).to_be_visible()
        assert_accessible(page)
    assert page.js_errors == []


def test_organiser_filters_and_reorders_with_the_keyboard(demo_server, new_page):
    page = new_page()
    log_in(page, demo_server.url)
    meeting_url = open_demo_meeting(page, demo_server.url)
    page.goto(meeting_url + "/registrations")
    rows = page.locator("table.registrations tbody tr").count()
    assert rows > 1
    page.select_option("#f-language", "zh_Hans")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*language=zh_Hans.*"))
    for lang in page.locator("table.registrations tbody td:nth-child(5)").all_inner_texts():
        assert lang == "简体中文"
    # Move the second agenda item up using only the keyboard.
    page.goto(meeting_url + "/agenda")
    titles = page.locator("table tbody th a").all_inner_texts()
    up = page.locator("table tbody tr").nth(1).get_by_role("button", name=re.compile("^Up"))
    up.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    moved = page.locator("table tbody th a").all_inner_texts()
    assert moved[:2] == [titles[1], titles[0]]
    assert page.js_errors == []


# The agenda item's speaker picker: type to filter, Enter to add, roles, move up and remove
# with the keyboard only; the saved agenda shows the roles. Axe clean.
def test_pick_order_and_remove_speakers_with_the_keyboard(demo_server, new_page):
    page = new_page()
    log_in(page, demo_server.url)
    meeting_url = open_demo_meeting(page, demo_server.url)
    page.goto(meeting_url + "/agenda")
    page.locator("table tbody th a", has_text="Expert group").click()
    page.wait_for_load_state()

    rows = page.locator("#speaker-rows li.speaker-row")
    expect(rows).to_have_count(4)  # the four experts; the empty rows are gone
    search = page.get_by_role("combobox", name="Add a speaker")
    expect(search).to_be_visible()
    assert_accessible(page)

    # Type to filter, Enter adds the first match; the status line says so.
    search.focus()
    page.keyboard.type("rosa")
    listbox = page.locator("#speaker-options")
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(search).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Enter")
    expect(rows).to_have_count(5)
    expect(rows.nth(4)).to_contain_text("Rosa Quispe Mamani")
    expect(page.locator("#speaker-status")).to_have_text("Rosa Quispe Mamani added.")
    expect(search).to_be_focused()
    expect(search).to_have_value("")
    # Already on the item: not offered again.
    page.keyboard.type("rosa")
    expect(listbox.get_by_role("option")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    search.fill("")

    # Rosa moderates: her role, then "Move up" four times to the top, focus kept.
    rows.nth(4).get_by_label(re.compile("^Role")).select_option("moderator")
    up = rows.nth(4).get_by_role("button", name=re.compile("^Move up"))
    up.focus()
    for _ in range(3):
        page.keyboard.press("Enter")
    moved_up = page.locator("li.speaker-row", has_text="Rosa Quispe Mamani").get_by_role(
        "button", name=re.compile("^Move up"))
    expect(moved_up).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows.first).to_contain_text("Rosa Quispe Mamani")
    expect(moved_up).to_be_disabled()
    expect(page.locator("#speaker-status")).to_have_text("Rosa Quispe Mamani is now number 1.")

    # Remove the last expert with the keyboard.
    last = rows.nth(4)
    removed = last.locator(".speaker-name strong").inner_text()
    last.get_by_role("button", name=re.compile("^Remove")).focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(4)
    expect(page.locator("#speaker-status")).to_have_text(f"{removed} removed.")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    cell = page.locator("tr", has_text="Expert group").locator("td").nth(3)
    expect(cell).to_contain_text("Rosa Quispe Mamani (Moderator);")
    expect(cell).not_to_contain_text(removed)
    assert page.js_errors == []
