"""Time-zone pickers in a real browser: type to narrow the list, Enter or the down arrow to
reach it; the labels are the server's; axe clean with the checklist on the details page."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible
from tests.support.organiser_browser import log_in, open_demo_meeting
from tests.support.server import prepared_env, running_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    env = prepared_env(tmp_path_factory.mktemp("zone-picker-browser"))
    with running_server(env) as running:
        yield running


def test_a_partner_zone_is_found_by_typing(demo_server, new_page):
    page = new_page()
    log_in(page, demo_server.url)
    meeting_url = open_demo_meeting(page, demo_server.url)
    page.goto(meeting_url + "/details")
    expect(page.locator("[data-checklist] [data-step]")).to_have_count(7)
    search = page.locator("#partner-timezone-2-search")
    select = page.locator("#partner-timezone-2")
    all_options = select.locator("option").count()
    search.fill("lima")
    expect(page.locator("#partner-timezone-2 option")).not_to_have_count(all_options)
    values = [o.get_attribute("value") for o in select.locator("option").all()]
    assert "America/Lima" in values and len(values) < 10
    lima = select.locator("option[value='America/Lima']").inner_text()
    assert re.match(r"UTC-05:00 · ", lima)  # the server's label, offset first
    search.press("Enter")
    expect(select).to_have_value("America/Lima")
    expect(select).to_be_focused()
    status = page.locator("#partner-timezone-2-search ~ .zone-search-status")
    expect(status).to_have_text(re.compile(r"\d"))
    assert_accessible(page)
    assert page.js_errors == []


def test_the_public_switcher_filters_too(demo_server, new_page):
    page = new_page(locale="es-PE")
    log_in(page, demo_server.url)
    open_demo_meeting(page, demo_server.url)
    page.goto(demo_server.url + page.locator(".org-status a").first.get_attribute("href"))
    page.locator(".timezone-switcher summary").click()
    page.locator("#timezone-select-search").fill("shanghai")
    expect(page.locator("#timezone-select option")).to_have_count(2)  # "as detected" + 1
    page.locator("#timezone-select-search").press("ArrowDown")
    expect(page.locator("#timezone-select")).to_be_focused()
    assert_accessible(page)
    assert page.js_errors == []
